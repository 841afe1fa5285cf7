//! The assignment matrix: accounts, under their OUs, against groups, users with direct
//! assignments, or permission sets. State and pure logic; `ui::matrix` draws it.
//!
//! Lookups are built once per directory change (and per column kind), rows and columns once
//! per filter keystroke, and a frame only reads what is visible.
//!
//! A principal that was deleted but still holds assignments (AWS keeps them) gets a column of
//! its own, "deleted group <id>", after the live ones: that is exactly what an audit looks for,
//! and `x` on it removes what is left. In the permission-set kind it counts as a holder like
//! any other. Assignments on an account the directory does not list have no row.

mod abbrev;
mod grid;
#[cfg(test)]
mod tests;

use std::cell::Cell;
use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};

use super::filter::FuzzyFilter;
use crate::model::{Assignment, Directory, DirectoryIndex, Principal, PrincipalType};
use crate::plan::{Change, Plan};
use grid::{Base, Grid, KeyMap, MAX_DEPTH, index_of, key};

/// What the columns are.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum ColumnKind {
    #[default]
    Groups,
    /// Users with at least one direct assignment (or a staged one).
    Users,
    /// A cell counts the principals holding the set on the account.
    PermissionSets,
}

impl ColumnKind {
    pub fn next(self) -> Self {
        match self {
            Self::Groups => Self::Users,
            Self::Users => Self::PermissionSets,
            Self::PermissionSets => Self::Groups,
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::Groups => "groups",
            Self::Users => "users",
            Self::PermissionSets => "permission sets",
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum MatrixRow {
    Ou {
        id: String,
        depth: usize,
        expanded: bool,
    },
    Account {
        id: String,
        depth: usize,
    },
}

impl MatrixRow {
    pub fn id(&self) -> &str {
        match self {
            Self::Ou { id, .. } | Self::Account { id, .. } => id,
        }
    }

    pub fn depth(&self) -> usize {
        match self {
            Self::Ou { depth, .. } | Self::Account { depth, .. } => *depth,
        }
    }

    fn same(&self, other: &Self) -> bool {
        match (self, other) {
            (Self::Ou { id: a, .. }, Self::Ou { id: b, .. })
            | (Self::Account { id: a, .. }, Self::Account { id: b, .. }) => a == b,
            _ => false,
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum MatrixColumn {
    Group(String),
    User(String),
    PermissionSet(String),
}

impl MatrixColumn {
    /// Whether an assignment belongs in this column.
    pub fn holds(&self, a: &Assignment) -> bool {
        match self {
            Self::Group(id) => a.principal_type == PrincipalType::Group && a.principal_id == *id,
            Self::User(id) => a.principal_type == PrincipalType::User && a.principal_id == *id,
            Self::PermissionSet(arn) => a.permission_set_arn == *arn,
        }
    }

    /// The principal of a group or user column.
    pub fn principal(&self) -> Option<Principal> {
        let (principal_type, id) = match self {
            Self::Group(id) => (PrincipalType::Group, id),
            Self::User(id) => (PrincipalType::User, id),
            Self::PermissionSet(_) => return None,
        };
        Some(Principal {
            principal_type,
            principal_id: id.clone(),
        })
    }
}

/// The assignments of one cell (existing and pending), for the detail panel and for `x`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CellEntry {
    pub assignment: Assignment,
    /// The staged or in-flight change of this assignment, if any.
    pub pending: Option<Change>,
}

/// Every assignment of `account_id` in `column`, and every pending Assign there, sorted by
/// permission set name, then principal.
pub fn cell_entries(
    dir: &Directory,
    plan: &Plan,
    account_id: &str,
    column: &MatrixColumn,
) -> Vec<CellEntry> {
    let mut out: Vec<CellEntry> = dir
        .assignments_on(account_id)
        .filter(|a| column.holds(a))
        .map(|a| CellEntry {
            assignment: a.clone(),
            pending: plan.pending_for(a).map(|i| i.change.clone()),
        })
        .collect();
    for item in plan.items.iter().filter(|i| !i.status.is_final()) {
        if let Change::Assign(a) = &item.change
            && a.account_id == account_id
            && column.holds(a)
            && !out.iter().any(|e| e.assignment == *a)
        {
            out.push(CellEntry {
                assignment: a.clone(),
                pending: Some(item.change.clone()),
            });
        }
    }
    let sort_key = |e: &CellEntry| {
        let a = &e.assignment;
        (
            dir.permission_set_name(&a.permission_set_arn)
                .to_lowercase(),
            a.principal_type,
            dir.principal_name(a.principal_type, &a.principal_id)
                .unwrap_or(&a.principal_id)
                .to_lowercase(),
            a.clone(),
        )
    };
    out.sort_by_cached_key(sort_key);
    out
}

/// A short label for every permission set, distinct across the organization (ignoring case)
/// and deterministic: see `abbrev`. Covers sets only referenced by an assignment too.
pub fn labels(dir: &Directory) -> HashMap<String, String> {
    let mut referenced: BTreeSet<&str> = BTreeSet::new();
    let mut last = "";
    for a in &dir.assignments {
        // Assignments come sorted by account, then set: skip repeats cheaply.
        if a.permission_set_arn != last {
            last = &a.permission_set_arn;
            if !dir.permission_sets.contains_key(last) {
                referenced.insert(last);
            }
        }
    }
    labels_with(dir, referenced.into_iter())
}

/// [`labels`] of the directory's permission sets and of `referenced` ones it may not list.
fn labels_with<'a>(
    dir: &'a Directory,
    referenced: impl Iterator<Item = &'a str>,
) -> HashMap<String, String> {
    let mut names: BTreeMap<&str, &str> = dir
        .permission_sets
        .values()
        .map(|p| (p.arn.as_str(), p.name.as_str()))
        .collect();
    for arn in referenced {
        names
            .entry(arn)
            .or_insert_with(|| dir.permission_set_name(arn));
    }
    abbrev::short_labels(names)
}

/// A row on screen, with the matched character positions of its filter text ("name id").
#[derive(Clone, Debug)]
pub struct RowView {
    pub row: MatrixRow,
    pub matched: Vec<usize>,
    /// The account's or OU's index in the lookups.
    slot: u32,
}

/// A column header.
#[derive(Clone, Copy, Debug)]
pub struct ColumnHead<'a> {
    pub column: &'a MatrixColumn,
    /// The full name, e.g. "maria.garcia@northwind.example (María García)".
    pub name: &'a str,
    /// What fits a header, e.g. "maria.garcia".
    pub short: &'a str,
    /// A principal (or permission set) the directory no longer has.
    pub deleted: bool,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mark {
    Existing,
    /// A staged or in-flight Assign.
    Adding,
    /// A staged or in-flight Unassign.
    Removing,
}

/// One permission set in a cell.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CellLabel {
    pub label: String,
    pub admin: bool,
    /// Needs reapplying on the row's account.
    pub outdated: bool,
    pub mark: Mark,
}

/// What a cell holds.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum CellView {
    /// An OU row: the assignments in the column on accounts anywhere below it.
    Rollup(u32),
    /// An account and a principal: its permission sets, in label order.
    Sets(Vec<CellLabel>),
    /// An account and a permission set: how many principals hold it, and pending changes.
    Holders {
        count: u32,
        adding: u32,
        removing: u32,
        admin: bool,
        outdated: bool,
    },
}

/// The plan's pending changes by cell, for one frame: built from the plan, which is small.
#[derive(Debug, Default)]
pub struct Pending {
    /// (account, column) → (permission set, is an Assign, already in the directory).
    cells: KeyMap<Vec<(u32, bool, bool)>>,
}

/// The matrix pane's state. Call [`MatrixState::refresh`] before drawing.
#[derive(Debug, Default)]
pub struct MatrixState {
    /// Fuzzy filter of the rows: accounts by "name id"; the tree goes flat under it.
    pub row_filter: String,
    /// Fuzzy filter of the columns: principal or permission set names.
    pub col_filter: String,
    kind: ColumnKind,
    collapsed: HashSet<String>,
    /// Users with a staged direct assignment: a column before their first assignment exists.
    plan_users: BTreeSet<String>,
    rows: Vec<RowView>,
    /// Shown columns, as indices into `grid.columns`.
    cols: Vec<u32>,
    row: usize,
    col: usize,
    base: Base,
    grid: Grid,
    base_valid: bool,
    grid_valid: bool,
    rows_valid: bool,
    cols_valid: bool,
    /// The filters the rows and columns were built for.
    applied_row_filter: String,
    applied_col_filter: String,
    row_engine: FuzzyFilter,
    col_engine: FuzzyFilter,
    /// Kept by the renderer: the first visible row and column, and how many are visible.
    pub row_offset: Cell<usize>,
    pub col_offset: Cell<usize>,
    pub visible_rows: Cell<usize>,
    pub visible_cols: Cell<usize>,
}

impl MatrixState {
    /// The directory changed: rebuild everything on the next refresh. (A plan change alone
    /// needs only [`MatrixState::note_plan`]: pending marks are read from the plan when drawn.)
    pub fn invalidate(&mut self) {
        self.base_valid = false;
    }

    /// Notes the users the plan gives a direct assignment, so that they have a column in the
    /// users kind before it is applied. Cheap; call it whenever the plan may have changed.
    pub fn note_plan(&mut self, plan: &Plan) {
        let users: BTreeSet<String> = plan
            .items
            .iter()
            .filter(|i| !i.status.is_final())
            .filter_map(|i| match &i.change {
                Change::Assign(a) if a.principal_type == PrincipalType::User => {
                    Some(a.principal_id.clone())
                }
                _ => None,
            })
            .collect();
        if users != self.plan_users {
            self.plan_users = users;
            if self.kind == ColumnKind::Users {
                self.grid_valid = false;
            }
        }
    }

    /// The filters changed. (`refresh` also notices on its own.)
    pub fn filter_changed(&mut self) {
        if self.row_filter != self.applied_row_filter {
            self.rows_valid = false;
        }
        if self.col_filter != self.applied_col_filter {
            self.cols_valid = false;
        }
    }

    /// Rebuilds what is out of date. The cursor stays on the same account (or OU) and column
    /// when they are still there; a changed filter moves it to the best match.
    pub fn refresh(&mut self, dir: &Directory, ix: &DirectoryIndex) {
        let keep_row = self.selected_row().cloned();
        let keep_col = self.selected_column().cloned();
        if !self.base_valid {
            self.base = Base::build(dir, ix);
            self.base_valid = true;
            self.grid_valid = false;
            self.rows_valid = false;
            self.row_engine.invalidate();
        }
        if !self.grid_valid {
            self.grid = Grid::build(self.kind, dir, ix, &self.base, &self.plan_users);
            self.grid_valid = true;
            self.cols_valid = false;
            self.col_engine.invalidate();
        }
        let jump_row = self.row_filter != self.applied_row_filter;
        if jump_row {
            self.applied_row_filter.clone_from(&self.row_filter);
            self.rows_valid = false;
        }
        let jump_col = self.col_filter != self.applied_col_filter;
        if jump_col {
            self.applied_col_filter.clone_from(&self.col_filter);
            self.cols_valid = false;
        }
        if !self.rows_valid {
            self.rows = self.build_rows(ix);
            self.rows_valid = true;
            // A new filter goes to its best match; clearing it stays on the account found.
            let kept = keep_row
                .filter(|_| !jump_row || self.row_filter.is_empty())
                .and_then(|k| self.rows.iter().position(|r| r.row.same(&k)));
            if let Some(pos) = kept {
                self.row = pos;
            } else if jump_row {
                self.row = 0;
                self.row_offset.set(0);
            }
        }
        if !self.cols_valid {
            self.cols = self.build_cols();
            self.cols_valid = true;
            if jump_col {
                self.col = 0;
                self.col_offset.set(0);
            } else if let Some(pos) = keep_col.and_then(|k| {
                self.cols
                    .iter()
                    .position(|&c| self.column_at(c) == Some(&k))
            }) {
                self.col = pos;
            }
        }
        self.row = self.row.min(self.rows.len().saturating_sub(1));
        self.col = self.col.min(self.cols.len().saturating_sub(1));
    }

    fn build_rows(&mut self, ix: &DirectoryIndex) -> Vec<RowView> {
        if self.row_filter.is_empty() {
            return self.tree_rows(ix);
        }
        self.row_engine
            .apply(&self.row_filter, &self.base.haystacks)
            .into_iter()
            .filter_map(|hit| {
                let id = self.base.account_ids.get(hit.item)?;
                Some(RowView {
                    row: MatrixRow::Account {
                        id: id.clone(),
                        depth: 0,
                    },
                    matched: hit.indices,
                    slot: index_of(hit.item),
                })
            })
            .collect()
    }

    fn tree_rows(&self, ix: &DirectoryIndex) -> Vec<RowView> {
        let mut out = Vec::with_capacity(self.base.ou_ix.len() + self.base.account_ix.len());
        for root in &ix.roots {
            self.push_ou(root, 0, ix, &mut out);
        }
        for id in &ix.orphan_accounts {
            self.push_account(id, 0, &mut out);
        }
        out
    }

    fn push_ou(&self, ou: &str, depth: usize, ix: &DirectoryIndex, out: &mut Vec<RowView>) {
        let Some(&slot) = self.base.ou_ix.get(ou) else {
            return;
        };
        if depth > MAX_DEPTH {
            return;
        }
        let expanded = !self.collapsed.contains(ou);
        out.push(RowView {
            row: MatrixRow::Ou {
                id: ou.to_string(),
                depth,
                expanded,
            },
            matched: Vec::new(),
            slot,
        });
        if !expanded {
            return;
        }
        for child in ix.child_ous.get(ou).into_iter().flatten() {
            self.push_ou(child, depth + 1, ix, out);
        }
        for id in ix.child_accounts.get(ou).into_iter().flatten() {
            self.push_account(id, depth + 1, out);
        }
    }

    fn push_account(&self, id: &str, depth: usize, out: &mut Vec<RowView>) {
        if let Some(&slot) = self.base.account_ix.get(id) {
            out.push(RowView {
                row: MatrixRow::Account {
                    id: id.to_string(),
                    depth,
                },
                matched: Vec::new(),
                slot,
            });
        }
    }

    fn build_cols(&mut self) -> Vec<u32> {
        if self.col_filter.is_empty() {
            return (0..self.grid.columns.len()).map(index_of).collect();
        }
        self.col_engine
            .apply(&self.col_filter, &self.grid.haystacks)
            .into_iter()
            .map(|hit| index_of(hit.item))
            .collect()
    }

    fn column_at(&self, c: u32) -> Option<&MatrixColumn> {
        self.grid.columns.get(c as usize).map(|i| &i.column)
    }

    pub fn move_row(&mut self, delta: isize) {
        self.row_to(self.row.saturating_add_signed(delta));
    }

    pub fn move_col(&mut self, delta: isize) {
        self.col_to(self.col.saturating_add_signed(delta));
    }

    /// Moves to a row; `usize::MAX` is the last.
    pub fn row_to(&mut self, row: usize) {
        self.row = row.min(self.rows.len().saturating_sub(1));
    }

    /// Moves to a column; `usize::MAX` is the last.
    pub fn col_to(&mut self, col: usize) {
        self.col = col.min(self.cols.len().saturating_sub(1));
    }

    /// The number of visible rows, as last drawn.
    pub fn page(&self) -> usize {
        self.visible_rows.get()
    }

    pub fn kind(&self) -> ColumnKind {
        self.kind
    }

    /// Groups → users → permission sets → groups. The column filter is cleared: names of one
    /// kind rarely match another's.
    pub fn cycle_kind(&mut self) {
        self.kind = self.kind.next();
        self.grid_valid = false;
        self.col_filter.clear();
        self.col = 0;
        self.col_offset.set(0);
    }

    /// On an OU row: expands (`Some(true)`), collapses (`Some(false)`) or toggles (`None`).
    /// Collapsing a collapsed OU or an account moves to the parent OU instead.
    pub fn set_expanded(&mut self, want: Option<bool>) {
        let Some(view) = self.rows.get(self.row) else {
            return;
        };
        match &view.row {
            MatrixRow::Ou { id, expanded, .. } => {
                let expand = want.unwrap_or(!*expanded);
                if expand == *expanded {
                    if !expand {
                        self.select_parent();
                    }
                    return;
                }
                let id = id.clone();
                if expand {
                    self.collapsed.remove(&id);
                } else {
                    self.collapsed.insert(id);
                }
                self.rows_valid = false;
            }
            MatrixRow::Account { .. } if want == Some(false) => self.select_parent(),
            MatrixRow::Account { .. } => {}
        }
    }

    fn select_parent(&mut self) {
        let Some(depth) = self.rows.get(self.row).map(|r| r.row.depth()) else {
            return;
        };
        if depth == 0 {
            return;
        }
        if let Some(pos) = self.rows[..self.row]
            .iter()
            .rposition(|r| matches!(r.row, MatrixRow::Ou { depth: d, .. } if d + 1 == depth))
        {
            self.row = pos;
        }
    }

    pub fn selected_row(&self) -> Option<&MatrixRow> {
        self.rows.get(self.row).map(|r| &r.row)
    }

    pub fn selected_column(&self) -> Option<&MatrixColumn> {
        self.cols.get(self.col).and_then(|&c| self.column_at(c))
    }

    /// The cursor: (row, column) among the shown ones.
    pub fn cursor(&self) -> (usize, usize) {
        (self.row, self.col)
    }

    pub fn rows(&self) -> &[RowView] {
        &self.rows
    }

    pub fn column_count(&self) -> usize {
        self.cols.len()
    }

    /// Columns of the kind before the column filter.
    pub fn total_columns(&self) -> usize {
        self.grid.columns.len()
    }

    /// Accounts before the row filter.
    pub fn total_accounts(&self) -> usize {
        self.base.account_ix.len()
    }

    pub fn column_head(&self, col: usize) -> Option<ColumnHead<'_>> {
        let info = self.grid.columns.get(*self.cols.get(col)? as usize)?;
        Some(ColumnHead {
            column: &info.column,
            name: &info.name,
            short: &info.short,
            deleted: info.deleted,
        })
    }

    /// The widest row label of the whole tree (indentation included), for a steady layout.
    pub fn label_width(&self) -> usize {
        self.base.label_width
    }

    pub fn label_of(&self, arn: &str) -> Option<&str> {
        let i = *self.base.ps_ix.get(arn)?;
        self.base.ps.get(i as usize).map(|p| p.label.as_str())
    }

    pub fn is_admin(&self, arn: &str) -> bool {
        self.base
            .ps_ix
            .get(arn)
            .and_then(|&i| self.base.ps.get(i as usize))
            .is_some_and(|p| p.admin)
    }

    pub fn is_outdated(&self, account_id: &str, arn: &str) -> bool {
        match (
            self.base.account_ix.get(account_id),
            self.base.ps_ix.get(arn),
        ) {
            (Some(&a), Some(&p)) => self.base.outdated.contains(&key(a, p)),
            _ => false,
        }
    }

    /// The plan's pending changes by cell of the current kind.
    pub fn pending(&self, dir: &Directory, plan: &Plan) -> Pending {
        let mut pending = Pending::default();
        for item in plan.items.iter().filter(|i| !i.status.is_final()) {
            // Membership changes have no cell.
            let Some(a) = item.change.assignment() else {
                continue;
            };
            let column_id = match (self.kind, a.principal_type) {
                (ColumnKind::Groups, PrincipalType::Group)
                | (ColumnKind::Users, PrincipalType::User) => &a.principal_id,
                (ColumnKind::PermissionSets, _) => &a.permission_set_arn,
                _ => continue,
            };
            let (Some(&account), Some(&col), Some(&ps)) = (
                self.base.account_ix.get(&a.account_id),
                self.grid.column_ix.get(column_id),
                self.base.ps_ix.get(&a.permission_set_arn),
            ) else {
                continue;
            };
            let assign = matches!(item.change, Change::Assign(_));
            pending.cells.entry(key(account, col)).or_default().push((
                ps,
                assign,
                dir.assignments.contains(a),
            ));
        }
        pending
    }

    /// What the cell at (shown row, shown column) holds.
    pub fn cell(&self, row: usize, col: usize, pending: &Pending) -> Option<CellView> {
        let view = self.rows.get(row)?;
        let c = *self.cols.get(col)?;
        let info = self.grid.columns.get(c as usize)?;
        let k = key(view.slot, c);
        if let MatrixRow::Ou { .. } = view.row {
            return Some(CellView::Rollup(
                self.grid.rollups.get(&k).copied().unwrap_or(0),
            ));
        }
        let changes = pending.cells.get(&k).map_or(&[][..], Vec::as_slice);
        if let Some(ps) = info.ps {
            let count = |assign: bool| {
                let n = changes
                    .iter()
                    .filter(|(_, a, exists)| *a == assign && *exists != assign)
                    .count();
                u32::try_from(n).unwrap_or(u32::MAX)
            };
            return Some(CellView::Holders {
                count: index_of(self.grid.cell(k).len()),
                adding: count(true),
                removing: count(false),
                admin: self.base.ps.get(ps as usize).is_some_and(|p| p.admin),
                outdated: self.base.outdated.contains(&key(view.slot, ps)),
            });
        }
        let existing: Vec<u32> = self.grid.cell(k).collect();
        let mut sets: Vec<(u32, Mark)> = existing
            .iter()
            .map(|&ps| {
                let mark = match changes.iter().find(|(p, ..)| *p == ps) {
                    Some((_, true, _)) => Mark::Adding,
                    Some((_, false, _)) => Mark::Removing,
                    None => Mark::Existing,
                };
                (ps, mark)
            })
            .collect();
        for &(ps, assign, _) in changes {
            if assign && !existing.contains(&ps) && !sets.iter().any(|(p, _)| *p == ps) {
                sets.push((ps, Mark::Adding));
            }
        }
        sets.sort_by_key(|(ps, _)| *ps);
        Some(CellView::Sets(
            sets.into_iter()
                .filter_map(|(ps, mark)| {
                    let info = self.base.ps.get(ps as usize)?;
                    Some(CellLabel {
                        label: info.label.clone(),
                        admin: info.admin,
                        outdated: self.base.outdated.contains(&key(view.slot, ps)),
                        mark,
                    })
                })
                .collect(),
        ))
    }
}
