//! `idc export -o FILE`: the directory as a snapshot.

use std::path::Path;
use std::time::SystemTime;

use idc::cli::Cli;
use idc::model::snapshot::Snapshot;

use super::Failure;
use super::source::{self, Loaded};

pub async fn run(cli: &Cli, output: &Path) -> Result<(), Failure> {
    // A snapshot feeds audits and diffs later: under `auto` it is loaded completely, by pair,
    // so that the assignments of deleted principals are in it.
    match source::load(cli, source::audit_strategy(cli.load.strategy)).await? {
        // A snapshot is written again as it was read (its time and source included).
        Loaded::Snapshot { snapshot } => write_snapshot(output, &snapshot),
        Loaded::Live { backend, outcome } => {
            if outcome.directory.instance.is_none() {
                return Err(Failure::runtime(format!(
                    "nothing was loaded, so no snapshot was written: {}",
                    outcome.errors.join("; ")
                )));
            }
            let snapshot = Snapshot::new(&outcome.directory, &backend.label(), now_rfc3339());
            write_snapshot(output, &snapshot)?;
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
    }
}

fn write_snapshot(path: &Path, snapshot: &Snapshot) -> Result<(), Failure> {
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
