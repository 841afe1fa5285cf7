//! The access views (`w`): opening one on what is selected, moving in it, drilling into a row,
//! and exporting it.

use super::access_view::{AccessTarget, AccessView, ExportFormat};
use super::keymap::Action;
use super::matrix::MatrixRow;
use super::{App, Effect, Item, Level, Mode, PaneId};

impl App {
    /// The target of `w` for what is selected in the focused pane.
    fn access_target(&self) -> Option<AccessTarget> {
        if self.focus == PaneId::Matrix {
            return match self.matrix.selected_row() {
                Some(MatrixRow::Account { id, .. }) => Some(AccessTarget::Account(id.clone())),
                _ => None,
            };
        }
        match self.selected()? {
            Item::Account { id, .. } => Some(AccessTarget::Account(id.clone())),
            Item::Group(id) => Some(AccessTarget::Group(id.clone())),
            Item::User(id) => Some(AccessTarget::User(id.clone())),
            Item::PermissionSet(arn) => Some(AccessTarget::PermissionSet(arn.clone())),
            Item::Ou { .. } => None,
        }
    }

    pub(super) fn open_access(&mut self) -> Vec<Effect> {
        match self.access_target() {
            Some(target) => {
                self.access = Some(AccessView::for_item(&self.dir, &self.index, target));
                self.mode = Mode::Access;
            }
            None => self.set_status(
                Level::Info,
                "w works on an account, a group, a user or a permission set",
            ),
        }
        Vec::new()
    }

    pub(super) fn access_action(&mut self, action: Action) -> Vec<Effect> {
        let Some(view) = self.access.as_mut() else {
            self.mode = Mode::Normal;
            return Vec::new();
        };
        let page = view.page() as isize;
        match action {
            Action::Down => view.move_by(1),
            Action::Up => view.move_by(-1),
            Action::PageDown => view.move_by(page),
            Action::PageUp => view.move_by(-page),
            Action::Top => view.move_to(0),
            Action::Bottom => view.move_to(usize::MAX),
            Action::StartFilter => {
                view.editing = true;
                self.mode = Mode::AccessFilter;
            }
            Action::AcceptFilter => {
                view.editing = false;
                self.mode = Mode::Access;
            }
            Action::ClearFilter | Action::CloseAccess
                if self.mode == Mode::AccessFilter || !view.filter.is_empty() =>
            {
                view.editing = false;
                view.filter.clear();
                view.filter_changed();
                self.mode = Mode::Access;
            }
            Action::CloseAccess | Action::ClearFilter => {
                self.access = None;
                self.mode = Mode::Normal;
            }
            Action::Drill => match view.drill() {
                Some(target) => *view = AccessView::for_item(&self.dir, &self.index, target),
                None => self.set_status(Level::Info, "nothing to open on this row"),
            },
            Action::ExportCsv | Action::ExportJson => {
                let format = if action == Action::ExportCsv {
                    ExportFormat::Csv
                } else {
                    ExportFormat::Json
                };
                let (path, contents) = view.export(format);
                return vec![Effect::WriteFile { path, contents }];
            }
            _ => {}
        }
        Vec::new()
    }

    pub(super) fn on_file_written(&mut self, result: Result<String, String>) -> Vec<Effect> {
        match result {
            Ok(path) => self.set_status(Level::Info, format!("exported to {path}")),
            Err(e) => self.set_status(Level::Error, e),
        }
        Vec::new()
    }
}
