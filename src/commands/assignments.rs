//! `idc assignments`: every account assignment, one row each.

use idc::cli::Cli;
use idc::report::{self, Format};

use super::source::{self, audit_strategy};
use super::{Failure, print, rendered};

pub async fn run(cli: &Cli, format: Format) -> Result<(), Failure> {
    let loaded = source::load(cli, audit_strategy(cli.load.strategy)).await?;
    let (dir, errors) = loaded.directory()?;
    let rows = report::assignment_rows(&dir, &dir.assignments);
    print(&rendered(report::render(
        &rows,
        format,
        report::output_width(),
    ))?)?;
    source::incomplete("list of assignments", &errors)
}
