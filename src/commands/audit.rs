//! `idc audit`: effective access, one row per user, account, permission set and path.

use std::collections::BTreeSet;
use std::fmt::Write as _;

use idc::audit::{self, AccessQuery};
use idc::cli::Cli;
use idc::model::Directory;
use idc::report::{self, Format};

use super::source::{self, audit_strategy};
use super::{Failure, print, rendered};

pub async fn run(cli: &Cli, query: &AccessQuery, format: Format) -> Result<(), Failure> {
    let loaded = source::load(cli, audit_strategy(cli.load.strategy)).await?;
    let (dir, errors) = loaded.directory()?;
    print(&output(&dir, query, format, report::output_width())?)?;
    if format != Format::Table {
        let orphans = orphans(&dir, query);
        if !orphans.is_empty() {
            let n = orphans.len();
            if n == 1 {
                eprintln!(
                    "idc: note: 1 assignment of a deleted group or user matches too; it reaches nobody (`idc assignments` lists it)"
                );
            } else {
                eprintln!(
                    "idc: note: {n} assignments of deleted groups or users match too; they reach nobody (`idc assignments` lists them)"
                );
            }
        }
    }
    source::incomplete("audit", &errors)
}

/// The orphaned assignments the query selects (a user or group filter selects none).
fn orphans<'a>(dir: &'a Directory, query: &AccessQuery) -> Vec<&'a idc::model::Assignment> {
    let Ok(filter) = query.resolve(dir) else {
        return Vec::new();
    };
    audit::orphaned_assignments(dir)
        .into_iter()
        .filter(|a| filter.matches_assignment(a))
        .collect()
}

/// What `idc audit` prints on stdout. A name that matches nothing fails with exit status 2
/// and the closest names.
pub fn output(
    dir: &Directory,
    query: &AccessQuery,
    format: Format,
    width: Option<usize>,
) -> Result<String, Failure> {
    let filter = query.resolve(dir).map_err(|e| {
        // One complaint per line, each with the `idc: ` prefix main puts on the first.
        let lines: Vec<String> = e.0.iter().map(ToString::to_string).collect();
        Failure::input(lines.join("\nidc: "))
    })?;
    let paths: Vec<audit::Access> = audit::effective_access(dir)
        .into_iter()
        .filter(|a| filter.matches(a))
        .collect();
    let rows = report::audit_rows(dir, &paths);
    // Hundreds of thousands of paths on a large organization: free them before formatting.
    drop(paths);
    let mut out = rendered(report::render(&rows, format, width))?;
    if format == Format::Table {
        let users: BTreeSet<&str> = rows.iter().map(|r| r.user_id.as_str()).collect();
        let accounts: BTreeSet<&str> = rows.iter().map(|r| r.account_id.as_str()).collect();
        let _ = writeln!(
            out,
            "{} path{} for {} user{} on {} account{}",
            rows.len(),
            plural(rows.len()),
            users.len(),
            plural(users.len()),
            accounts.len(),
            plural(accounts.len()),
        );
        let orphans = orphans(dir, query);
        if !orphans.is_empty() {
            let rows = report::assignment_rows(dir, orphans);
            let _ = writeln!(
                out,
                "\nOrphaned assignments ({}), whose group or user was deleted:",
                rows.len()
            );
            out.push_str(&report::table(&rows).render(width));
        }
    }
    Ok(out)
}

fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}
