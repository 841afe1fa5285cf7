//! The Users pane: user name, display name, email and the number of groups.

use ratatui::Frame;
use ratatui::layout::{Constraint, Rect};
use ratatui::style::Style;
use ratatui::text::Line;

use super::list::{self, Column, ListView};
use super::{text, theme};
use crate::app::{App, Item, Mode, PaneId};

const COLUMNS: &[Column] = &[
    Column {
        title: "USER NAME",
        constraint: Constraint::Fill(3),
    },
    Column {
        title: "DISPLAY NAME",
        constraint: Constraint::Fill(2),
    },
    Column {
        title: "EMAIL",
        constraint: Constraint::Fill(3),
    },
    Column {
        title: "GROUPS",
        constraint: Constraint::Length(6),
    },
];

/// Narrow panes drop the email column (the detail panel shows it).
const NARROW: &[Column] = &[
    Column {
        title: "USER NAME",
        constraint: Constraint::Fill(3),
    },
    Column {
        title: "DISPLAY NAME",
        constraint: Constraint::Fill(2),
    },
    Column {
        title: "GROUPS",
        constraint: Constraint::Length(6),
    },
];

pub fn render(f: &mut Frame, area: Rect, app: &App) {
    let pane = app.pane(PaneId::Users);
    let focused = app.focus == PaneId::Users;
    let wide = area.width >= 100;
    let view = ListView {
        title: list::title(
            "Users",
            pane,
            app.dir.users.len(),
            focused && app.mode == Mode::Filter,
            focused,
            3,
        ),
        focused,
        columns: if wide { COLUMNS } else { NARROW },
        empty: if app.load.running {
            "loading…"
        } else {
            "no users"
        },
    };
    list::render(f, area, pane, view, |row, w| {
        let Item::User(id) = &row.item else {
            return Vec::new();
        };
        let Some(user) = app.dir.users.get(id) else {
            return Vec::new();
        };
        let groups = app.index.groups_of(id).len();
        let display = user.display_name.as_deref().unwrap_or("");
        let mut cells = vec![
            text::highlighted(
                &user.user_name,
                &row.matched,
                0,
                w[0] as usize,
                Style::default(),
            ),
            text::highlighted(
                display,
                &row.matched,
                user.user_name.chars().count() + 1,
                w[1] as usize,
                Style::default(),
            ),
        ];
        if wide {
            cells.push(Line::styled(
                text::truncate(user.email.as_deref().unwrap_or(""), w[2] as usize),
                theme::dim(),
            ));
        }
        cells.push(Line::styled(
            format!("{groups:>6}"),
            if groups == 0 {
                theme::warning()
            } else {
                Style::default()
            },
        ));
        cells
    });
}
