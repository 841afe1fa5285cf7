use ratatui::text::Line;

use super::{header_row, heading, permission_set, principal, row, section, split};
use crate::app::App;
use crate::ui::{
    accounts::status_style,
    text::{field, field_styled},
};

pub fn lines(app: &App, id: &str, width: usize) -> Vec<Line<'static>> {
    let dir = &app.dir;
    let Some(account) = dir.accounts.get(id) else {
        return vec![Line::raw(format!("account {id} is gone"))];
    };
    let mut out = [
        vec![heading(&account.name, width)],
        field("Id", id, width),
        field("Email", account.email.clone(), width),
        field_styled(
            "Status",
            account.status.label(),
            width,
            status_style(account.status),
        ),
        field("OU", dir.ou_path(account.parent_id.as_deref()), width),
        vec![Line::raw("")],
    ]
    .concat();
    let assignments: Vec<_> = dir.assignments_on(id).collect();
    out.push(section("Assignments", assignments.len()));
    let widths = split(width, &[1, 1]);
    if !assignments.is_empty() {
        out.push(header_row(&["PRINCIPAL", "PERMISSION SET"], &widths));
    }
    for a in assignments {
        out.push(row(
            vec![
                principal(dir, a.principal_type, &a.principal_id),
                permission_set(dir, &a.permission_set_arn),
            ],
            &widths,
        ));
    }
    out.extend(super::pending(app, |c| {
        c.assignment().is_some_and(|a| a.account_id == id)
    }));
    out
}
