//! The Groups pane: name, member count, assignment count, and whether an IdP owns it.

use ratatui::Frame;
use ratatui::layout::{Constraint, Rect};
use ratatui::style::Style;
use ratatui::text::Line;

use super::list::{self, Column, ListView};
use super::{text, theme};
use crate::app::{App, Item, Mode, PaneId};
use crate::model::PrincipalType;

const COLUMNS: &[Column] = &[
    Column {
        title: "NAME",
        constraint: Constraint::Fill(1),
    },
    Column {
        title: "MEMBERS",
        constraint: Constraint::Length(7),
    },
    Column {
        title: "ASSIGNED",
        constraint: Constraint::Length(8),
    },
    Column {
        title: "SOURCE",
        constraint: Constraint::Length(6),
    },
];

pub fn render(f: &mut Frame, area: Rect, app: &App) {
    let pane = app.pane(PaneId::Groups);
    let focused = app.focus == PaneId::Groups;
    let view = ListView {
        title: list::title(
            "Groups",
            pane,
            app.dir.groups.len(),
            focused && app.mode == Mode::Filter,
            focused,
            2,
        ),
        focused,
        columns: COLUMNS,
        empty: if app.load.running {
            "loading…"
        } else {
            "no groups"
        },
    };
    list::render(f, area, pane, view, |row, w| {
        let Item::Group(id) = &row.item else {
            return Vec::new();
        };
        let Some(group) = app.dir.groups.get(id) else {
            return Vec::new();
        };
        let members = app.index.members(id);
        let assigned = app.index.assignments_of(PrincipalType::Group, id).len();
        vec![
            text::highlighted(
                &group.display_name,
                &row.matched,
                0,
                w[0] as usize,
                Style::default(),
            ),
            Line::styled(
                format!("{members:>7}"),
                if members == 0 {
                    theme::warning()
                } else {
                    Style::default()
                },
            ),
            Line::raw(format!("{assigned:>8}")),
            Line::styled(
                if group.external_ids.is_empty() {
                    "local"
                } else {
                    "IdP"
                },
                theme::dim(),
            ),
        ]
    });
}
