//! `idc diff OLD NEW`: what changed between two snapshots.

use std::path::Path;

use idc::audit;
use idc::cli::Cli;
use idc::report::diff::{DiffReport, SnapshotInfo};
use idc::report::{self, DiffFormat};

use super::source::read_snapshot;
use super::{Failure, print, rendered};

pub fn run(cli: &Cli, old: &Path, new: &Path, format: DiffFormat) -> Result<(), Failure> {
    let src = &cli.source;
    if src.demo
        || src.demo_scale.is_some()
        || src.snapshot.is_some()
        || src.profile.is_some()
        || src.endpoint_url.is_some()
    {
        return Err(Failure::input(
            "idc diff compares the two snapshot files it is given; leave out --demo, --snapshot, --profile and --endpoint-url",
        ));
    }
    let (old_snap, new_snap) = (read_snapshot(old)?, read_snapshot(new)?);
    let info = |path: &Path, s: &idc::model::snapshot::Snapshot| SnapshotInfo {
        file: path.display().to_string(),
        created_at: s.created_at.clone(),
        source: s.source.clone(),
    };
    let (old_info, new_info) = (info(old, &old_snap), info(new, &new_snap));
    let (old_dir, new_dir) = (old_snap.into_directory(), new_snap.into_directory());
    let diff = audit::diff(&old_dir, &new_dir);
    let report = DiffReport::new(&old_dir, &new_dir, &diff, old_info, new_info);
    let text = match format {
        DiffFormat::Table => report.to_table(report::output_width()),
        DiffFormat::Json => rendered(report.to_json())?,
    };
    print(&text)
}
