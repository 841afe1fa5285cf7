//! Output formats for the command line (and for exports from the TUI): tables that fit the
//! terminal, CSV after RFC 4180, and JSON arrays of objects.
//!
//! Every kind of row is a [`Record`]: its serde form is the JSON object, its [`Record::values`]
//! the CSV record under [`Record::KEYS`], and its [`Record::cells`] the table row. Tables may
//! leave out opaque ids and ARNs and mark suspended accounts; CSV and JSON carry every key and
//! only the keys.

pub mod diff;
pub mod rows;
pub mod table;

use std::io::{self, IsTerminal};

use serde::Serialize;

pub use rows::{AssignmentRow, AuditRow, assignment_rows, audit_rows};
pub use table::Table;

/// How `idc assignments` and `idc audit` print their rows.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// Columns fitted to the terminal's width.
    #[default]
    Table,
    /// RFC 4180: a header row of the keys, CRLF line ends, quotes where needed.
    Csv,
    /// An array of objects with the same keys as the CSV header.
    Json,
}

/// How `idc diff` prints its changes.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, clap::ValueEnum)]
pub enum DiffFormat {
    /// A summary line, then a table per kind of change.
    #[default]
    Table,
    /// One object with a list per kind of change.
    Json,
}

/// A kind of row the formats can print.
pub trait Record: Serialize {
    /// The CSV header and the JSON keys, in order.
    const KEYS: &'static [&'static str];
    /// The table's headers.
    const COLUMNS: &'static [&'static str];
    /// The CSV fields, one per key.
    fn values(&self) -> Vec<String>;
    /// The table's cells, one per column.
    fn cells(&self) -> Vec<String>;
}

/// The rows in `format`; `width` limits tables only (see [`output_width`]).
pub fn render<R: Record>(rows: &[R], format: Format, width: Option<usize>) -> io::Result<String> {
    match format {
        Format::Table => Ok(table(rows).render(width)),
        Format::Csv => csv(rows),
        Format::Json => json(rows),
    }
}

pub fn table<R: Record>(rows: &[R]) -> Table {
    let mut t = Table::new(R::COLUMNS);
    for r in rows {
        t.push(r.cells());
    }
    t
}

/// RFC 4180 CSV: the header row even when there are no rows, CRLF after every record, and
/// fields with commas, quotes or line breaks quoted (quotes doubled). UTF-8, without a BOM.
pub fn csv<R: Record>(rows: &[R]) -> io::Result<String> {
    let mut w = ::csv::WriterBuilder::new()
        .terminator(::csv::Terminator::CRLF)
        .from_writer(Vec::new());
    w.write_record(R::KEYS)?;
    for r in rows {
        w.write_record(r.values())?;
    }
    let bytes = w
        .into_inner()
        .map_err(|e| io::Error::other(e.to_string()))?;
    String::from_utf8(bytes).map_err(io::Error::other)
}

/// A pretty-printed JSON array, ending in a newline.
pub fn json<T: Serialize + ?Sized>(value: &T) -> io::Result<String> {
    let mut s = serde_json::to_string_pretty(value)?;
    s.push('\n');
    Ok(s)
}

/// How wide a table may be: the terminal's width when stdout is a terminal; otherwise
/// `$COLUMNS` when set, or no limit, so that output sent to a file or a pipe is never cut.
pub fn output_width() -> Option<usize> {
    if io::stdout().is_terminal()
        && let Ok((w, _)) = crossterm::terminal::size()
    {
        return Some(usize::from(w));
    }
    std::env::var("COLUMNS")
        .ok()
        .and_then(|c| c.trim().parse::<usize>().ok())
        .filter(|w| *w > 0)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::AccountStatus;

    fn assignment(name: &str) -> AssignmentRow {
        AssignmentRow {
            account_id: "111111111111".into(),
            account_name: name.into(),
            permission_set: "Admin".into(),
            permission_set_arn: "arn:ps".into(),
            principal_type: "GROUP",
            principal_id: "g".into(),
            principal_name: None,
            account_status: AccountStatus::Suspended,
        }
    }

    fn audit(user: &str) -> AuditRow {
        AuditRow {
            user_name: user.into(),
            user_id: "u".into(),
            account_id: "1".into(),
            account_name: "a".into(),
            permission_set: "p".into(),
            via: "direct".into(),
            account_status: AccountStatus::Active,
        }
    }

    /// The JSON keys are exactly the CSV header, in the same order, for every kind of row.
    #[test]
    fn json_keys_are_the_csv_keys() {
        fn keys<R: Record>(row: &R) -> Vec<String> {
            let serde_json::Value::Object(map) = serde_json::to_value(row).expect("serializes")
            else {
                panic!("not an object")
            };
            let mut keys: Vec<String> = map.keys().cloned().collect();
            keys.sort();
            keys
        }
        fn sorted(k: &[&str]) -> Vec<String> {
            let mut v: Vec<String> = k.iter().map(|s| (*s).to_string()).collect();
            v.sort();
            v
        }
        assert_eq!(keys(&assignment("x")), sorted(AssignmentRow::KEYS));
        assert_eq!(keys(&audit("x")), sorted(AuditRow::KEYS));
        assert_eq!(assignment("x").values().len(), AssignmentRow::KEYS.len());
        assert_eq!(audit("x").values().len(), AuditRow::KEYS.len());
        assert_eq!(assignment("x").cells().len(), AssignmentRow::COLUMNS.len());
        assert_eq!(audit("x").cells().len(), AuditRow::COLUMNS.len());
        let json = json(&[assignment("x")]).expect("json");
        assert!(json.contains("\"principal_name\": null"), "{json}");
        let order: Vec<usize> = AssignmentRow::KEYS
            .iter()
            .map(|k| json.find(&format!("\"{k}\"")).expect("key present"))
            .collect();
        assert!(order.is_sorted(), "keys out of order in {json}");
    }

    #[test]
    fn csv_quotes_what_needs_it_and_ends_records_with_crlf() {
        let text = csv(&[audit("Müller, \"Jo\""), audit("plain")]).expect("csv");
        assert_eq!(
            text,
            "user_name,user_id,account_id,account_name,permission_set,via\r\n\
             \"Müller, \"\"Jo\"\"\",u,1,a,p,direct\r\n\
             plain,u,1,a,p,direct\r\n"
        );
        assert_eq!(
            csv::<AuditRow>(&[]).expect("csv"),
            "user_name,user_id,account_id,account_name,permission_set,via\r\n"
        );
    }

    #[test]
    fn json_of_no_rows_is_an_empty_array() {
        assert_eq!(json::<[AuditRow]>(&[]).expect("json"), "[]\n");
        let table = render::<AuditRow>(&[], Format::Table, None).expect("table");
        assert_eq!(
            table,
            "USER NAME  ACCOUNT ID  ACCOUNT NAME  PERMISSION SET  VIA\n"
        );
    }
}
