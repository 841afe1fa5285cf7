use ratatui::text::Line;

use super::{header_row, heading, permission_set, principal, row, section, split};
use crate::app::App;
use crate::ui::{accounts::status_style, text::field};

pub fn lines(app: &App, id: &str, width: usize) -> Vec<Line<'static>> {
    let dir = &app.dir;
    let Some(account) = dir.accounts.get(id) else {
        return vec![Line::raw(format!("account {id} is gone"))];
    };
    let mut out = vec![
        heading(&account.name, width),
        field("Id", id),
        field("Email", account.email.clone()),
        Line::from(vec![
            field("Status", "").spans[0].clone(),
            ratatui::text::Span::styled(account.status.label(), status_style(account.status)),
        ]),
        field("OU", dir.ou_path(account.parent_id.as_deref())),
        Line::raw(""),
    ];
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
    out
}
