//! The access views, a popup over the main screen: who can reach an account, where a user can
//! go, what a group grants and to whom, who holds a permission set where. Rows come in
//! sections (a heading, then its entries); a fuzzy filter narrows them; what stands can be
//! exported with the keys of `idc audit`.

mod build;

use std::cell::Cell;
use std::collections::HashMap;
use std::time::{SystemTime, UNIX_EPOCH};

use super::filter::FuzzyFilter;
use crate::audit::Access;
use crate::model::{Directory, DirectoryIndex};
use crate::report::{self, AuditRow};

/// What a view is about.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum AccessTarget {
    /// An account id.
    Account(String),
    /// A user id.
    User(String),
    /// A group id.
    Group(String),
    /// A permission set ARN.
    PermissionSet(String),
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ExportFormat {
    Csv,
    Json,
}

impl ExportFormat {
    pub fn extension(self) -> &'static str {
        match self {
            Self::Csv => "csv",
            Self::Json => "json",
        }
    }
}

/// How a piece of text is drawn; the renderer maps tones to the theme.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Tone {
    #[default]
    Normal,
    /// Headings' names.
    Strong,
    /// Ids, display names, counts: context.
    Dim,
    /// Admin-level permission sets, suspended accounts, orphaned assignments.
    Danger,
    /// Outdated provisioning, direct assignments.
    Warning,
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Piece {
    pub text: String,
    pub tone: Tone,
}

impl Piece {
    pub fn new(text: impl Into<String>, tone: Tone) -> Self {
        Self {
            text: text.into(),
            tone,
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RowKind {
    /// Starts a section: its pieces run together on one line.
    Heading,
    /// One line of a section: its cells are columns.
    Entry,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ViewRow {
    pub kind: RowKind,
    /// The row of this row's heading (itself for a heading).
    pub section: usize,
    pub cells: Vec<Piece>,
    /// The entry's column widths, relative to each other; empty for headings.
    pub shares: &'static [u16],
    /// What Enter on this row could open a view on.
    pub target: Option<AccessTarget>,
    /// The paths the row stands for (indexes into the view's export rows).
    exports: Vec<usize>,
}

impl ViewRow {
    /// Where each cell starts in the row's filter text (cells joined by one space), in
    /// characters: what the filter's match positions count from.
    pub fn starts(&self) -> Vec<usize> {
        let mut at = 0;
        self.cells
            .iter()
            .map(|c| {
                let start = at;
                at += c.text.chars().count() + 1;
                start
            })
            .collect()
    }

    fn haystack(&self) -> String {
        let texts: Vec<&str> = self.cells.iter().map(|c| c.text.as_str()).collect();
        texts.join(" ")
    }
}

#[derive(Debug)]
pub struct AccessView {
    pub target: AccessTarget,
    title: String,
    /// `account`, `user`, `group` or `permission-set`: for the export's file name.
    kind: &'static str,
    /// The target's name, for the export's file name.
    name: String,
    /// The counts line at the top.
    pub counts: Vec<Piece>,
    pub rows: Vec<ViewRow>,
    /// The rows that pass the filter, in order, with the matched character positions.
    pub visible: Vec<(usize, Vec<usize>)>,
    /// Position in `visible`.
    pub cursor: usize,
    pub filter: String,
    /// Typing goes to the filter (the renderer shows a cursor after it).
    pub editing: bool,
    /// The first visible row and how many rows fit, as last rendered.
    pub offset: Cell<usize>,
    pub height: Cell<usize>,
    /// Every path the view covers as `idc audit` rows, sorted as `idc audit` sorts them.
    export_rows: Vec<AuditRow>,
    /// Built on the first filtering: most views are never filtered.
    haystacks: Vec<String>,
    engine: FuzzyFilter,
}

impl AccessView {
    pub fn for_item(dir: &Directory, ix: &DirectoryIndex, target: AccessTarget) -> Self {
        let built = match &target {
            AccessTarget::Account(id) => build::account(dir, id),
            AccessTarget::User(id) => build::user(dir, ix, id),
            AccessTarget::Group(id) => build::group(dir, ix, id),
            AccessTarget::PermissionSet(arn) => build::permission_set(dir, ix, arn),
        };
        let (export_rows, row_of_path) = sorted_export(dir, &built.paths);
        let mut rows = built.rows;
        for row in &mut rows {
            for e in &mut row.exports {
                *e = row_of_path.get(*e).copied().unwrap_or(*e);
            }
        }
        let visible = (0..rows.len()).map(|i| (i, Vec::new())).collect();
        Self {
            target,
            title: built.title,
            kind: built.kind,
            name: built.name,
            counts: built.counts,
            rows,
            visible,
            cursor: 0,
            filter: String::new(),
            editing: false,
            offset: Cell::new(0),
            height: Cell::new(0),
            export_rows,
            haystacks: Vec::new(),
            engine: FuzzyFilter::default(),
        }
    }

    pub fn title(&self) -> &str {
        &self.title
    }

    pub fn move_by(&mut self, delta: isize) {
        self.move_to(self.cursor.saturating_add_signed(delta));
    }

    /// Moves the cursor to `row` of the visible rows; `usize::MAX` is the last.
    pub fn move_to(&mut self, row: usize) {
        self.cursor = row.min(self.visible.len().saturating_sub(1));
    }

    /// Rows that fit in the view as last rendered (at least one): what PgUp/PgDn move by.
    pub fn page(&self) -> usize {
        self.height.get().max(1)
    }

    /// The highlighted row.
    pub fn selected(&self) -> Option<&ViewRow> {
        self.visible
            .get(self.cursor)
            .and_then(|(i, _)| self.rows.get(*i))
    }

    /// What the highlighted row is about (a user, an account, a permission set, a group),
    /// to open its own view.
    pub fn drill(&self) -> Option<AccessTarget> {
        self.selected()
            .and_then(|r| r.target.clone())
            .filter(|t| *t != self.target)
    }

    /// Entries (not headings): visible ones and all.
    pub fn entry_counts(&self) -> (usize, usize) {
        let is_entry = |i: &usize| {
            self.rows
                .get(*i)
                .is_some_and(|r| r.kind == RowKind::Entry)
        };
        (
            self.visible.iter().map(|(i, _)| i).filter(is_entry).count(),
            (0..self.rows.len()).filter(is_entry).count(),
        )
    }

    /// Applies `filter` again after it changed; the cursor goes to the top.
    ///
    /// A section shows when its heading or one of its entries matches. A heading that
    /// matches closely (its matched characters bunched together, as `admin` in
    /// `AdministratorAccess admin`) brings its whole section: that is how one asks for every
    /// user of a permission set. A loose match (`ana` spread over `ReadOnlyAccess`) does not,
    /// or a short query would bring back thousands of rows.
    pub fn filter_changed(&mut self) {
        self.cursor = 0;
        self.offset.set(0);
        if self.filter.is_empty() {
            self.visible = (0..self.rows.len()).map(|i| (i, Vec::new())).collect();
            return;
        }
        if self.haystacks.len() != self.rows.len() {
            self.haystacks = self.rows.iter().map(ViewRow::haystack).collect();
            self.engine.invalidate();
        }
        let query_len = self.filter.chars().count();
        let mut matched: Vec<Option<Vec<usize>>> = vec![None; self.rows.len()];
        let mut whole = vec![false; self.rows.len()];
        for hit in self.engine.apply(&self.filter, &self.haystacks) {
            let Some(row) = self.rows.get(hit.item) else {
                continue;
            };
            if row.kind == RowKind::Heading
                && let (Some(first), Some(last)) = (hit.indices.first(), hit.indices.last())
                && last - first < 2 * query_len
                && let Some(w) = whole.get_mut(hit.item)
            {
                *w = true;
            }
            if let Some(m) = matched.get_mut(hit.item) {
                *m = Some(hit.indices);
            }
        }
        let mut visible = Vec::new();
        let mut shown_heading = None;
        for (i, row) in self.rows.iter().enumerate() {
            let section_whole = whole.get(row.section).copied().unwrap_or(false);
            if row.kind == RowKind::Heading && !section_whole {
                // Shown with its first matching entry, if any.
                continue;
            }
            let own = matched.get_mut(i).and_then(Option::take);
            if section_whole {
                visible.push((i, own.unwrap_or_default()));
                continue;
            }
            let Some(indices) = own else { continue };
            if shown_heading != Some(row.section) {
                let heading = matched
                    .get_mut(row.section)
                    .and_then(Option::take)
                    .unwrap_or_default();
                visible.push((row.section, heading));
                shown_heading = Some(row.section);
            }
            visible.push((i, indices));
        }
        self.visible = visible;
    }

    /// The `idc audit` rows of what the view shows: every path when it is not filtered,
    /// else the paths of the rows that pass the filter. Sorted as `idc audit` sorts.
    pub fn export_rows(&self) -> Vec<AuditRow> {
        if self.filter.is_empty() {
            return self.export_rows.clone();
        }
        let mut keep = vec![false; self.export_rows.len()];
        for (i, _) in &self.visible {
            for e in self.rows.get(*i).map_or(&[][..], |r| r.exports.as_slice()) {
                if let Some(k) = keep.get_mut(*e) {
                    *k = true;
                }
            }
        }
        self.export_rows
            .iter()
            .zip(keep)
            .filter_map(|(r, k)| k.then(|| r.clone()))
            .collect()
    }

    /// The suggested file name and the contents of the export, as it stands now.
    pub fn export(&self, format: ExportFormat) -> (String, String) {
        self.export_at(format, SystemTime::now())
    }

    /// [`Self::export`] at a given time (UTC in the file name).
    pub fn export_at(&self, format: ExportFormat, now: SystemTime) -> (String, String) {
        let rows = self.export_rows();
        let contents = match format {
            ExportFormat::Csv => report::csv(&rows),
            ExportFormat::Json => report::json(&rows),
        };
        // Writing these rows to memory cannot fail; if it ever did, the file says why rather
        // than being silently empty.
        let contents = contents.unwrap_or_else(|e| format!("idc: export failed: {e}\n"));
        (self.file_name(format, now), contents)
    }

    /// `idc-access-<kind>-<name>-<yyyymmdd-hhmmss>.<ext>`, safe on any file system.
    pub fn file_name(&self, format: ExportFormat, now: SystemTime) -> String {
        format!(
            "idc-access-{}-{}-{}.{}",
            self.kind,
            file_part(&self.name),
            stamp(now),
            format.extension()
        )
    }
}

/// The `idc audit` rows of `paths`, and for each path the position of its row.
fn sorted_export(dir: &Directory, paths: &[Access]) -> (Vec<AuditRow>, Vec<usize>) {
    let rows = report::audit_rows(dir, paths);
    let mut slots: HashMap<(&str, &str, &str, &str), Vec<usize>> = HashMap::new();
    for (i, r) in rows.iter().enumerate().rev() {
        slots
            .entry((
                r.user_id.as_str(),
                r.account_id.as_str(),
                r.permission_set.as_str(),
                r.via.as_str(),
            ))
            .or_default()
            .push(i);
    }
    // Rows with the same four fields are identical: which of them a path takes is moot.
    let row_of_path = paths
        .iter()
        .enumerate()
        .map(|(i, p)| {
            let key = (
                p.user_id.as_str(),
                p.account_id.as_str(),
                dir.permission_set_name(&p.permission_set_arn),
                p.via.label(dir),
            );
            slots.get_mut(&key).and_then(Vec::pop).unwrap_or(i)
        })
        .collect();
    drop(slots);
    (rows, row_of_path)
}

/// A name as part of a file name: letters, digits, `.`, `_` and `-`; anything else becomes
/// one `-`; at most 48 characters.
fn file_part(name: &str) -> String {
    let mut out = String::new();
    for c in name.chars() {
        if c.is_alphanumeric() || matches!(c, '.' | '_' | '-') {
            out.push(c);
        } else if !out.ends_with('-') {
            out.push('-');
        }
    }
    let cut: String = out
        .trim_matches(['-', '.'])
        .chars()
        .take(48)
        .collect();
    let cut = cut.trim_end_matches(['-', '.']);
    if cut.is_empty() {
        "unnamed".to_string()
    } else {
        cut.to_string()
    }
}

/// `yyyymmdd-hhmmss` in UTC.
fn stamp(now: SystemTime) -> String {
    let secs = now.duration_since(UNIX_EPOCH).map_or(0, |d| d.as_secs());
    let (y, m, d) = civil_from_days(i64::try_from(secs / 86_400).unwrap_or(0));
    let rem = secs % 86_400;
    format!(
        "{y:04}{m:02}{d:02}-{:02}{:02}{:02}",
        rem / 3600,
        rem % 3600 / 60,
        rem % 60
    )
}

/// The proleptic Gregorian date of a day count since 1970-01-01 (Howard Hinnant's algorithm).
fn civil_from_days(days: i64) -> (i64, i64, i64) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    (yoe + era * 400 + i64::from(m <= 2), m, d)
}

#[cfg(test)]
mod tests;
