//! Where the directory comes from: a snapshot file, or a backend (the demo organization or
//! AWS) loaded in full. Shared by `export`, `assignments` and `audit`.

use std::path::Path;
use std::sync::Arc;

use idc::backend::aws::{AwsBackend, AwsOptions};
use idc::backend::demo::{DemoBackend, DemoOptions, demo_organization, synthetic_organization};
use idc::backend::{Backend, RequestStats};
use idc::cli::Cli;
use idc::model::Directory;
use idc::model::snapshot::Snapshot;
use idc::worker::loader::{self, LoadOptions, LoadOutcome, Strategy};

use super::Failure;

pub enum Loaded {
    /// Read from `--snapshot FILE`, as written.
    Snapshot { snapshot: Snapshot },
    /// Loaded through a backend; `outcome.errors` names the parts that failed.
    Live {
        backend: Arc<dyn Backend>,
        outcome: LoadOutcome,
    },
}

impl Loaded {
    /// The directory, and what failed to load (empty when everything did). Fails when nothing
    /// loaded at all (no instance), which is no basis for a report.
    pub fn directory(self) -> Result<(Directory, Vec<String>), Failure> {
        match self {
            Loaded::Snapshot { snapshot } => Ok((snapshot.into_directory(), Vec::new())),
            Loaded::Live { outcome, .. } if outcome.directory.instance.is_none() => Err(
                Failure::runtime(format!("nothing was loaded: {}", outcome.errors.join("; "))),
            ),
            Loaded::Live { outcome, .. } => Ok((outcome.directory, outcome.errors)),
        }
    }
}

pub fn load_options(cli: &Cli, strategy: Strategy) -> LoadOptions {
    LoadOptions {
        strategy,
        concurrency: usize::from(cli.load.concurrency),
    }
}

/// The strategy for a report on access: `auto` becomes by-pair, the only enumeration that
/// finds the assignments of deleted groups and users; a strategy asked for is kept.
pub fn audit_strategy(asked: Strategy) -> Strategy {
    match asked {
        Strategy::Auto => Strategy::ByPair,
        other => other,
    }
}

/// Reads the snapshot, or loads everything from the backend with `strategy`, printing the
/// request statistics (`--stats`) and the load's warnings on stderr.
pub async fn load(cli: &Cli, strategy: Strategy) -> Result<Loaded, Failure> {
    if let Some(path) = &cli.source.snapshot {
        let snapshot = read_snapshot(path)?;
        return Ok(Loaded::Snapshot { snapshot });
    }
    let backend = open_backend(cli).await?;
    let opts = load_options(cli, strategy);
    let outcome = loader::load_directory(Arc::clone(&backend), &opts).await;
    if cli.stats {
        // What was asked on the command line; the line also names the strategy used.
        print_stats(
            outcome.strategy,
            cli.load.strategy,
            outcome.elapsed,
            &outcome.stats,
        );
    }
    for w in &outcome.warnings {
        eprintln!("idc: warning: {w}");
    }
    Ok(Loaded::Live { backend, outcome })
}

pub fn read_snapshot(path: &Path) -> Result<Snapshot, Failure> {
    Snapshot::load(path).map_err(|e| Failure::input(e.to_string()))
}

pub async fn open_backend(cli: &Cli) -> Result<Arc<dyn Backend>, Failure> {
    let src = &cli.source;
    if src.demo || src.demo_scale.is_some() {
        let dir = match src.demo_scale {
            Some(n) => synthetic_organization(n),
            None => demo_organization(),
        };
        return Ok(Arc::new(DemoBackend::new(dir, DemoOptions::default())));
    }
    let opts = AwsOptions {
        profile: src.profile.clone(),
        region: src.region.clone(),
        endpoint_url: src.endpoint_url.clone(),
        sso_admin_rps: cli.load.sso_admin_rps,
        identity_store_rps: cli.load.identity_store_rps,
        organizations_rps: cli.load.organizations_rps,
        ..AwsOptions::default()
    };
    let backend = AwsBackend::connect(&opts).await.map_err(|e| {
        Failure::runtime(format!("{e}\n(no AWS account at hand? try `idc --demo`)"))
    })?;
    Ok(Arc::new(backend.with_instance(src.instance.clone())))
}

pub fn print_stats(
    used: Option<Strategy>,
    asked: Strategy,
    elapsed: std::time::Duration,
    stats: &RequestStats,
) {
    use std::io::Write as _;
    let strategy = used.map_or("none (the load stopped early)", Strategy::label);
    let mut text = format!(
        "idc: loaded in {:.2} s; assignments strategy {strategy} (asked: {})\n{:>9}  operation\n",
        elapsed.as_secs_f64(),
        asked.label(),
        "requests"
    );
    for (op, n) in &stats.per_operation {
        text.push_str(&format!("{n:>9}  {op}\n"));
    }
    text.push_str(&format!("{:>9}  total\n", stats.total()));
    // A closed stderr must not stop the command (eprintln! would panic).
    let _ = std::io::stderr().write_all(text.as_bytes());
}

/// After a report printed from a partial load: exit 1, naming what is missing from it.
pub fn incomplete(what: &str, errors: &[String]) -> Result<(), Failure> {
    if errors.is_empty() {
        Ok(())
    } else {
        Err(Failure::runtime(format!(
            "the {what} above is incomplete, because part of the load failed:\n  {}",
            errors.join("\n  ")
        )))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reports_on_access_list_by_pair_unless_told_otherwise() {
        assert_eq!(audit_strategy(Strategy::Auto), Strategy::ByPair);
        assert_eq!(audit_strategy(Strategy::ByPrincipal), Strategy::ByPrincipal);
        assert_eq!(audit_strategy(Strategy::ByPair), Strategy::ByPair);
    }

    #[test]
    fn nothing_loaded_is_a_failure_and_a_partial_load_names_what_failed() {
        let outcome = |instance: bool| LoadOutcome {
            directory: Directory {
                instance: instance.then(idc::model::Instance::default),
                ..Directory::default()
            },
            strategy: None,
            warnings: Vec::new(),
            errors: vec!["loading users: denied".into()],
            stats: RequestStats::default(),
            elapsed: std::time::Duration::ZERO,
        };
        let backend: Arc<dyn Backend> = Arc::new(DemoBackend::new(
            Directory::default(),
            DemoOptions::instant(),
        ));
        let live = |instance| Loaded::Live {
            backend: Arc::clone(&backend),
            outcome: outcome(instance),
        };
        let Err(failure) = live(false).directory() else {
            panic!("nothing loaded must fail")
        };
        assert_eq!(failure.code, 1);
        assert!(failure.message.contains("loading users: denied"));
        let Ok((_, errors)) = live(true).directory() else {
            panic!("a partial load is a directory")
        };
        let Err(failure) = incomplete("audit", &errors) else {
            panic!("a partial audit must fail")
        };
        assert_eq!(failure.code, 1);
        assert!(failure.message.starts_with("the audit above is incomplete"));
        assert!(incomplete("audit", &[]).is_ok());
    }
}
