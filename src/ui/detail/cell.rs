//! The matrix cell under the cursor: its account, its column, and the assignments there,
//! pending changes marked.

use ratatui::style::Style;
use ratatui::text::Line;

use super::{header_row, heading, permission_set, principal, row, section, split};
use crate::app::App;
use crate::app::matrix::{self, MatrixColumn, MatrixRow};
use crate::model::PrincipalType;
use crate::ui::text::field;
use crate::ui::theme;

pub fn lines(app: &App, width: usize) -> Vec<Line<'static>> {
    let dir = &app.dir;
    let (Some(row_item), column) = (app.matrix.selected_row(), app.matrix.selected_column()) else {
        return vec![Line::styled("no row selected", theme::dim())];
    };
    let account_id = match row_item {
        MatrixRow::Ou { id, .. } => return super::ou::lines(app, id, width),
        MatrixRow::Account { id, .. } => id.clone(),
    };
    let Some(column) = column else {
        return super::account::lines(app, &account_id, width);
    };
    let column_name = match column {
        MatrixColumn::Group(id) => principal(dir, PrincipalType::Group, id).0,
        MatrixColumn::User(id) => principal(dir, PrincipalType::User, id).0,
        MatrixColumn::PermissionSet(arn) => {
            format!("permission set {}", dir.permission_set_name(arn))
        }
    };
    let mut out = vec![heading(dir.account_name(&account_id), width)];
    out.extend(field("Account", account_id.clone(), width));
    out.extend(field("OU", dir.account_ou_path(&account_id), width));
    out.extend(field("Column", column_name, width));
    out.push(Line::raw(""));
    let entries = matrix::cell_entries(dir, &app.plan, &account_id, column);
    out.push(section("Assignments in this cell", entries.len()));
    let widths = split(width, &[1, 1, 1]);
    if !entries.is_empty() {
        out.push(header_row(
            &["PRINCIPAL", "PERMISSION SET", "PENDING"],
            &widths,
        ));
    }
    for e in entries {
        let a = &e.assignment;
        let pending = match e.pending {
            Some(c) if c.is_addition() => ("+ to assign".to_string(), theme::good()),
            Some(_) => ("− to remove".to_string(), theme::danger()),
            None => (String::new(), Style::default()),
        };
        out.push(row(
            vec![
                principal(dir, a.principal_type, &a.principal_id),
                permission_set(dir, &a.permission_set_arn),
                pending,
            ],
            &widths,
        ));
    }
    if !matches!(column, MatrixColumn::PermissionSet(_)) {
        out.push(Line::raw(""));
        out.push(Line::styled(
            "a assigns a permission set here, x removes one",
            theme::dim(),
        ));
    }
    out
}
