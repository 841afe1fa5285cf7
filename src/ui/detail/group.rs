use ratatui::style::Style;
use ratatui::text::Line;

use super::{account, header_row, heading, permission_set, row, section, split};
use crate::app::App;
use crate::model::PrincipalType;
use crate::ui::text::field;
use crate::ui::theme;

pub fn lines(app: &App, id: &str, width: usize) -> Vec<Line<'static>> {
    let dir = &app.dir;
    let Some(group) = dir.groups.get(id) else {
        return vec![Line::raw(format!("group {id} is gone"))];
    };
    let source = match group.external_ids.first() {
        Some(x) => format!("external IdP ({})", x.issuer),
        None => "Identity Center".to_string(),
    };
    let mut out = [
        vec![heading(&group.display_name, width)],
        field("Id", id, width),
        field(
            "Description",
            group.description.clone().unwrap_or_default(),
            width,
        ),
        field("Source", source, width),
        vec![Line::raw("")],
    ]
    .concat();
    let members: Vec<&str> = dir.members_of(id).collect();
    out.push(section("Members", members.len()));
    let widths = split(width, &[3, 2]);
    let mut member_rows: Vec<_> = members
        .iter()
        .map(|u| match dir.users.get(*u) {
            Some(user) => vec![
                (user.user_name.clone(), Style::default()),
                (user.display_name.clone().unwrap_or_default(), theme::dim()),
            ],
            None => vec![
                (format!("deleted user {u}"), theme::danger()),
                (String::new(), Style::default()),
            ],
        })
        .collect();
    member_rows.sort_by(|a, b| a[0].0.to_lowercase().cmp(&b[0].0.to_lowercase()));
    out.extend(member_rows.into_iter().map(|cells| row(cells, &widths)));
    out.push(Line::raw(""));

    let mut assignments: Vec<_> = app
        .index
        .assignments_of(PrincipalType::Group, id)
        .iter()
        .collect();
    assignments.sort_by_cached_key(|a| {
        (
            dir.account_name(&a.account_id).to_lowercase(),
            dir.permission_set_name(&a.permission_set_arn)
                .to_lowercase(),
        )
    });
    out.push(section("Assignments", assignments.len()));
    let widths = split(width, &[1, 1]);
    if !assignments.is_empty() {
        out.push(header_row(&["ACCOUNT", "PERMISSION SET"], &widths));
    }
    out.extend(assignments.iter().map(|a| {
        row(
            vec![
                account(dir, &a.account_id),
                permission_set(dir, &a.permission_set_arn),
            ],
            &widths,
        )
    }));
    out.extend(super::pending(app, |c| {
        c.membership().is_some_and(|(g, _)| g == id)
            || c.assignment()
                .is_some_and(|a| a.principal_type == PrincipalType::Group && a.principal_id == id)
    }));
    out
}
