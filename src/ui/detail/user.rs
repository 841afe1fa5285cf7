use ratatui::style::Style;
use ratatui::text::Line;

use super::{account, header_row, heading, permission_set, row, section, split};
use crate::app::App;
use crate::audit::{self, Via};
use crate::ui::text::{field, truncate};
use crate::ui::theme;

pub fn lines(app: &App, id: &str, width: usize) -> Vec<Line<'static>> {
    let dir = &app.dir;
    let Some(user) = dir.users.get(id) else {
        return vec![Line::raw(format!("user {id} is gone"))];
    };
    let source = match user.external_ids.first() {
        Some(x) => format!("external IdP ({})", x.issuer),
        None => "Identity Center".to_string(),
    };
    let mut out = [
        vec![heading(&user.user_name, width)],
        field(
            "Display name",
            user.display_name.clone().unwrap_or_default(),
            width,
        ),
        field("Email", user.email.clone().unwrap_or_default(), width),
        field("Id", id, width),
        field("Source", source, width),
        vec![Line::raw("")],
    ]
    .concat();
    let groups = app.index.groups_of(id);
    out.push(section("Groups", groups.len()));
    let mut names: Vec<String> = groups
        .iter()
        .map(|g| {
            dir.groups
                .get(g)
                .map_or_else(|| format!("deleted group {g}"), |g| g.display_name.clone())
        })
        .collect();
    names.sort_by_key(|n| n.to_lowercase());
    out.extend(
        names
            .iter()
            .map(|n| Line::raw(truncate(&format!("  {n}"), width))),
    );
    out.push(Line::raw(""));

    let grants = audit::access_of_user(dir, &app.index, id);
    out.push(section(
        "Access (account, permission set, via)",
        grants.len(),
    ));
    let widths = split(width, &[4, 3, 3]);
    if !grants.is_empty() {
        out.push(header_row(&["ACCOUNT", "PERMISSION SET", "VIA"], &widths));
    }
    out.extend(grants.iter().map(|g| {
        let via = match &g.via {
            Via::Direct => ("direct".to_string(), theme::warning()),
            Via::Group(gid) => (
                dir.groups
                    .get(gid)
                    .map_or(gid.clone(), |g| g.display_name.clone()),
                Style::default(),
            ),
        };
        row(
            vec![
                account(dir, &g.account_id),
                permission_set(dir, &g.permission_set_arn),
                via,
            ],
            &widths,
        )
    }));
    out.extend(super::pending(app, |c| {
        c.membership().is_some_and(|(_, u)| u == id)
            || c.assignment().is_some_and(|a| {
                a.principal_type == crate::model::PrincipalType::User && a.principal_id == id
            })
    }));
    out
}
