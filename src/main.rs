use std::process::ExitCode;
use std::sync::Arc;
use std::time::SystemTime;

use clap::Parser;

use idc::app::{App, Source};
use idc::backend::aws::{AwsBackend, AwsOptions};
use idc::backend::demo::{DemoBackend, DemoOptions, demo_organization, synthetic_organization};
use idc::backend::{Backend, RequestStats};
use idc::cli::{Cli, Command};
use idc::model::snapshot::Snapshot;
use idc::worker::loader::{self, LoadOptions, Strategy};

/// A failure to report on one line, with its exit status: 2 for bad input, 1 otherwise.
struct Failure {
    code: u8,
    message: String,
}

impl Failure {
    fn input(message: impl Into<String>) -> Self {
        Self {
            code: 2,
            message: message.into(),
        }
    }

    fn runtime(message: impl Into<String>) -> Self {
        Self {
            code: 1,
            message: message.into(),
        }
    }
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("idc: cannot start the async runtime: {e}");
            return ExitCode::FAILURE;
        }
    };
    match runtime.block_on(run(cli)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(f) => {
            eprintln!("idc: {}", f.message);
            ExitCode::from(f.code)
        }
    }
}

async fn run(cli: Cli) -> Result<(), Failure> {
    let load = LoadOptions {
        strategy: cli.load.strategy,
        concurrency: usize::from(cli.load.concurrency),
    };
    if let Some(path) = &cli.source.snapshot {
        let snapshot = Snapshot::load(path).map_err(|e| Failure::input(e.to_string()))?;
        return match cli.command {
            Some(Command::Export { output }) => write_snapshot(&output, &snapshot),
            None => {
                let app = App::with_directory(
                    snapshot.into_directory(),
                    Source::Snapshot(path.display().to_string()),
                );
                idc::tui::run(app, None, load)
                    .await
                    .map(drop)
                    .map_err(|e| Failure::runtime(e.to_string()))
            }
        };
    }
    let backend = open_backend(&cli).await?;
    match cli.command {
        Some(Command::Export { output }) => {
            let outcome = loader::load_directory(Arc::clone(&backend), &load).await;
            if cli.stats {
                print_stats(
                    outcome.strategy,
                    load.strategy,
                    outcome.elapsed,
                    &outcome.stats,
                );
            }
            for w in &outcome.warnings {
                eprintln!("idc: warning: {w}");
            }
            if outcome.directory.instance.is_none() {
                return Err(Failure::runtime(format!(
                    "nothing was loaded, so no snapshot was written: {}",
                    outcome.errors.join("; ")
                )));
            }
            let snapshot = Snapshot::new(&outcome.directory, &backend.label(), now_rfc3339());
            write_snapshot(&output, &snapshot)?;
            if outcome.errors.is_empty() {
                Ok(())
            } else {
                Err(Failure::runtime(format!(
                    "the snapshot in {} is incomplete:\n  {}",
                    output.display(),
                    outcome.errors.join("\n  ")
                )))
            }
        }
        None => {
            let app = App::new(Source::Live(backend.label()), cli.read_only);
            let app = idc::tui::run(app, Some(Arc::clone(&backend)), load.clone())
                .await
                .map_err(|e| Failure::runtime(e.to_string()))?;
            if cli.stats {
                let summary = app.load.summary.unwrap_or_default();
                print_stats(
                    summary.strategy,
                    load.strategy,
                    summary.elapsed,
                    &summary.stats,
                );
            }
            Ok(())
        }
    }
}

async fn open_backend(cli: &Cli) -> Result<Arc<dyn Backend>, Failure> {
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

fn write_snapshot(path: &std::path::Path, snapshot: &Snapshot) -> Result<(), Failure> {
    std::fs::write(path, snapshot.to_json() + "\n").map_err(|e| {
        Failure::runtime(format!(
            "{}: cannot write the snapshot: {e}",
            path.display()
        ))
    })
}

fn now_rfc3339() -> String {
    use aws_sdk_ssoadmin::primitives::{DateTime, DateTimeFormat};
    DateTime::from(SystemTime::now())
        .fmt(DateTimeFormat::DateTime)
        .unwrap_or_default()
}

fn print_stats(
    used: Option<Strategy>,
    asked: Strategy,
    elapsed: std::time::Duration,
    stats: &RequestStats,
) {
    let strategy = used.map_or("none (the load stopped early)", Strategy::label);
    eprintln!(
        "idc: loaded in {:.2} s; assignments strategy {strategy} (asked: {})",
        elapsed.as_secs_f64(),
        asked.label()
    );
    eprintln!("{:>9}  operation", "requests");
    for (op, n) in &stats.per_operation {
        eprintln!("{n:>9}  {op}");
    }
    eprintln!("{:>9}  total", stats.total());
}
