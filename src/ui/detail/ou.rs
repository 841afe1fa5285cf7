use ratatui::text::Line;

use super::{heading, section};
use crate::app::App;
use crate::ui::text::{field, truncate};

pub fn lines(app: &App, id: &str, width: usize) -> Vec<Line<'static>> {
    let dir = &app.dir;
    let Some(ou) = dir.ous.get(id) else {
        return vec![Line::raw(format!("OU {id} is gone"))];
    };
    let kind = if ou.parent_id.is_none() {
        "Root"
    } else {
        "Organizational unit"
    };
    let children = app.index.child_ous.get(id).map_or(&[][..], Vec::as_slice);
    let accounts = app
        .index
        .child_accounts
        .get(id)
        .map_or(&[][..], Vec::as_slice);
    let mut out = [
        vec![heading(&ou.name, width)],
        field("Kind", kind, width),
        field("Id", id, width),
        field("Path", dir.ou_path(Some(id)), width),
        vec![Line::raw("")],
        vec![section("Organizational units", children.len())],
    ]
    .concat();
    out.extend(children.iter().map(|c| {
        let name = dir.ous.get(c).map_or(c.as_str(), |o| o.name.as_str());
        Line::raw(truncate(&format!("  {name}"), width))
    }));
    out.push(section("Accounts directly in it", accounts.len()));
    out.extend(
        accounts
            .iter()
            .map(|a| Line::raw(truncate(&format!("  {} {a}", dir.account_name(a)), width))),
    );
    out
}
