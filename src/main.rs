mod commands;

use std::process::ExitCode;
use std::sync::Arc;

use clap::Parser;

use idc::app::{App, Source};
use idc::cli::{Cli, Command};

use commands::Failure;
use commands::source::{self, print_stats};

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
    match &cli.command {
        Some(Command::Export { output }) => commands::export::run(&cli, output).await,
        Some(Command::Assignments { format }) => commands::assignments::run(&cli, *format).await,
        Some(Command::Audit { filter, format }) => {
            commands::audit::run(&cli, &filter.query(), *format).await
        }
        Some(Command::Diff { old, new, format }) => commands::diff::run(&cli, old, new, *format),
        None => run_tui(&cli).await,
    }
}

/// The TUI, on a snapshot (offline, read-only) or on a live backend.
async fn run_tui(cli: &Cli) -> Result<(), Failure> {
    let load = source::load_options(cli, cli.load.strategy);
    if let Some(path) = &cli.source.snapshot {
        let snapshot = source::read_snapshot(path)?;
        let app = App::with_directory(
            snapshot.into_directory(),
            Source::Snapshot(path.display().to_string()),
        );
        let opts = idc::runtime::Options {
            load,
            ..Default::default()
        };
        return idc::tui::run(app, None, opts)
            .await
            .map(drop)
            .map_err(|e| Failure::runtime(e.to_string()));
    }
    let mut backend = source::open_backend(cli).await?;
    if cli.read_only {
        // Refused at the source too, not only by the keys.
        backend = Arc::new(idc::backend::read_only::ReadOnly(backend));
    }
    let app = App::new(Source::Live(backend.label()), cli.read_only);
    let opts = idc::runtime::Options {
        load: load.clone(),
        apply: idc::worker::apply::ApplyOptions {
            max_outstanding: usize::from(cli.max_outstanding),
            ..Default::default()
        },
        state_dir: idc::plan::store::default_state_dir(),
        // The terminal loop runs $EDITOR.
        editor: None,
    };
    let app = idc::tui::run(app, Some(Arc::clone(&backend)), opts)
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
