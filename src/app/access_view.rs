//! The access views, a popup over the main screen: who can reach an account, where a user can
//! go, what a group grants and to whom, who holds a permission set where. Rows come in
//! sections (a heading, then its entries); a fuzzy filter narrows them; what stands can be
//! exported with the keys of `idc audit`.

mod build;
mod parts;

use std::cell::Cell;
use std::time::{SystemTime, UNIX_EPOCH};

use super::filter::FuzzyFilter;

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
    /// Outdated provisioning.
    Warning,
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Piece {
    pub text: String,
    pub tone: Tone,
    /// The filter looks at it. Counts (`44 users`) it does not: `user` would match every
    /// heading, and bring back every section whole.
    pub searchable: bool,
}

impl Piece {
    pub fn new(text: impl Into<String>, tone: Tone) -> Self {
        Self {
            text: text.into(),
            tone,
            searchable: true,
        }
    }

    /// A count: dim, and not for the filter.
    pub fn count(text: impl Into<String>) -> Self {
        Self {
            text: text.into(),
            tone: Tone::Dim,
            searchable: false,
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
    /// Where each searchable cell starts in the row's filter text (those cells joined by one
    /// space), in characters: what the filter's match positions count from.
    pub fn starts(&self) -> Vec<Option<usize>> {
        let mut at = 0;
        self.cells
            .iter()
            .map(|c| {
                c.searchable.then(|| {
                    let start = at;
                    at += c.text.chars().count() + 1;
                    start
                })
            })
            .collect()
    }

    /// Whether the filter text's characters `first..=last` lie in one cell.
    fn within_one_cell(&self, first: usize, last: usize) -> bool {
        self.starts()
            .into_iter()
            .zip(&self.cells)
            .any(|(start, cell)| {
                start
                    .is_some_and(|start| start <= first && last < start + cell.text.chars().count())
            })
    }

    fn haystack(&self) -> String {
        let texts: Vec<&str> = self
            .cells
            .iter()
            .filter(|c| c.searchable)
            .map(|c| c.text.as_str())
            .collect();
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
    /// Every path the view covers as an `idc audit` row, in the order of the paths (rows'
    /// `exports` index it); sorted when exported, as most views never are.
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
        let export_rows = built.paths.iter().map(|p| AuditRow::of(dir, p)).collect();
        let rows = built.rows;
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
        let is_entry = |i: usize| self.rows.get(i).is_some_and(|r| r.kind == RowKind::Entry);
        (
            self.visible.iter().filter(|(i, _)| is_entry(*i)).count(),
            (0..self.rows.len()).filter(|i| is_entry(*i)).count(),
        )
    }

    /// Applies `filter` again after it changed; the cursor goes to the top.
    ///
    /// Matches must be close: the matched characters bunched together (`admin` in
    /// `AdministratorAccess`, `payprod` in `payments-prod`), and within one cell for an entry.
    /// Rows are long, and the loose matches a fuzzy filter also finds (`admin` strewn over
    /// `ola.nordmann@northwind.example`) would keep most of them.
    ///
    /// A section shows when its heading or one of its entries matches; a heading that
    /// matches brings its whole section: that is how one asks for every user of a permission
    /// set, or every grant on the accounts of an OU.
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
            let (Some(&first), Some(&last)) = (hit.indices.first(), hit.indices.last()) else {
                continue;
            };
            let close = last - first < 2 * query_len;
            match row.kind {
                RowKind::Heading => {
                    if close && let Some(w) = whole.get_mut(hit.item) {
                        *w = true;
                    }
                }
                RowKind::Entry => {
                    if !close || !row.within_one_cell(first, last) {
                        continue;
                    }
                }
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
        let mut rows: Vec<AuditRow> = if self.filter.is_empty() {
            self.export_rows.clone()
        } else {
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
                .filter(|(_, k)| *k)
                .map(|(r, _)| r.clone())
                .collect()
        };
        sort_as_audit(&mut rows);
        rows
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

/// In the order of [`report::audit_rows`]: user, account, permission set, then `direct`
/// before groups, each by name ignoring case, then exactly, then by id. (`audit_rows` breaks
/// ties between equal names by ARN or group id, which rows do not carry; but permission set
/// and group names are unique in an instance, and rows equal in every field are the same.)
fn sort_as_audit(rows: &mut [AuditRow]) {
    rows.sort_by_cached_key(|r| {
        (
            r.user_name.to_lowercase(),
            r.user_name.clone(),
            r.user_id.clone(),
            r.account_name.to_lowercase(),
            r.account_name.clone(),
            r.account_id.clone(),
            r.permission_set.to_lowercase(),
            r.permission_set.clone(),
            r.via != "direct",
            r.via.to_lowercase(),
            r.via.clone(),
        )
    });
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
    let cut: String = out.trim_matches(['-', '.']).chars().take(48).collect();
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
