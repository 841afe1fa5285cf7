//! The matrix pane's own keys: moving by cell, filters, and assigning or removing on a cell.

use super::keymap::Action;
use super::matrix::{self, MatrixColumn, MatrixRow};
use super::picker::{PickItem, Picker, Purpose};
use super::{App, Level, Mode, PaneId};
use crate::model::{Assignment, Principal, PrincipalType};
use crate::plan::Change;

impl App {
    /// Keys of the matrix pane; false when the action is not the matrix's own.
    pub(super) fn matrix_action(&mut self, action: Action) -> bool {
        let page = self.matrix.page().max(1) as isize;
        match action {
            Action::Down => self.matrix.move_row(1),
            Action::Up => self.matrix.move_row(-1),
            Action::PageDown => self.matrix.move_row(page),
            Action::PageUp => self.matrix.move_row(-page),
            Action::Top => self.matrix.row_to(0),
            Action::Bottom => self.matrix.row_to(usize::MAX),
            Action::Left => self.matrix.move_col(-1),
            Action::Right => self.matrix.move_col(1),
            Action::Toggle => self.matrix.set_expanded(None),
            Action::CycleColumns => self.matrix.cycle_kind(),
            Action::StartFilter => self.mode = Mode::Filter,
            Action::StartColumnFilter => self.mode = Mode::ColumnFilter,
            Action::AcceptFilter => self.mode = Mode::Normal,
            Action::ClearFilter => {
                let column = self.mode == Mode::ColumnFilter;
                let row = self.mode == Mode::Filter;
                self.mode = Mode::Normal;
                // Esc while typing clears that filter; Esc in the matrix clears both.
                if !row {
                    self.matrix.col_filter.clear();
                }
                if !column {
                    self.matrix.row_filter.clear();
                }
                self.matrix.filter_changed();
            }
            Action::DetailDown | Action::DetailUp => {
                let pane = &mut self.panes[PaneId::Matrix.index()];
                pane.detail_scroll = if action == Action::DetailDown {
                    pane.detail_scroll.saturating_add(1)
                } else {
                    pane.detail_scroll.saturating_sub(1)
                };
            }
            Action::Assign => self.matrix_assign(),
            Action::Remove => self.matrix_remove(),
            _ => return false,
        }
        true
    }

    /// The account and principal of the matrix cell under the cursor.
    pub(super) fn matrix_cell(&mut self, what: &str) -> Option<(String, Principal)> {
        let account = match self.matrix.selected_row() {
            Some(MatrixRow::Account { id, .. }) => id.clone(),
            Some(MatrixRow::Ou { .. }) => {
                self.set_status(Level::Info, format!("{what} works on an account row; on an OU, use a in the Groups pane to pick its accounts"));
                return None;
            }
            None => return None,
        };
        let principal = match self.matrix.selected_column() {
            Some(MatrixColumn::Group(id)) => Principal {
                principal_type: PrincipalType::Group,
                principal_id: id.clone(),
            },
            Some(MatrixColumn::User(id)) => Principal {
                principal_type: PrincipalType::User,
                principal_id: id.clone(),
            },
            Some(MatrixColumn::PermissionSet(_)) => {
                self.set_status(
                    Level::Info,
                    format!("{what} needs a group or user column: c switches the columns"),
                );
                return None;
            }
            None => return None,
        };
        Some((account, principal))
    }

    pub(super) fn matrix_assign(&mut self) {
        if !self.may_change("assigning") {
            return;
        }
        if let Some((account, principal)) = self.matrix_cell("a") {
            self.open_permission_set_picker(principal, vec![account]);
        }
    }

    pub(super) fn matrix_remove(&mut self) {
        if !self.may_change("removing") {
            return;
        }
        let Some((account, principal)) = self.matrix_cell("x") else {
            return;
        };
        let column = match principal.principal_type {
            PrincipalType::Group => MatrixColumn::Group(principal.principal_id.clone()),
            PrincipalType::User => MatrixColumn::User(principal.principal_id.clone()),
        };
        let existing: Vec<Assignment> =
            matrix::cell_entries(&self.dir, &self.plan, &account, &column)
                .into_iter()
                .filter(|e| e.pending.is_none() && self.dir.assignments.contains(&e.assignment))
                .map(|e| e.assignment)
                .collect();
        match existing.len() {
            0 => self.set_status(Level::Info, "this cell has no assignment to remove"),
            1 => self.confirm_removal(existing.into_iter().map(Change::Unassign).collect()),
            _ => {
                let items = existing
                    .iter()
                    .enumerate()
                    .map(|(i, a)| {
                        let ps = self.dir.permission_sets.get(&a.permission_set_arn);
                        PickItem {
                            key: i.to_string(),
                            label: self
                                .dir
                                .permission_set_name(&a.permission_set_arn)
                                .to_string(),
                            detail: String::new(),
                            depth: 0,
                            accounts_below: None,
                            warn: ps.is_some_and(|p| p.is_admin()),
                        }
                    })
                    .collect();
                let title = format!(
                    "Remove which permission set of {} on {}?",
                    self.principal_label(&principal),
                    self.dir.account_name(&account)
                );
                self.open_picker(Picker::new(
                    title,
                    Purpose::Remove {
                        assignments: existing,
                    },
                    items,
                    true,
                ));
            }
        }
    }
}
