//! The Permission sets pane: name, session duration, accounts provisioned, outdated marker.

use ratatui::Frame;
use ratatui::layout::{Constraint, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};

use super::list::{self, Column, ListView};
use super::{text, theme};
use crate::app::{App, Item, Mode, PaneId};

const COLUMNS: &[Column] = &[
    Column {
        title: "NAME",
        constraint: Constraint::Fill(1),
    },
    Column {
        title: "SESSION",
        constraint: Constraint::Length(7),
    },
    Column {
        title: "ACCOUNTS",
        constraint: Constraint::Length(8),
    },
    Column {
        title: "PROVISIONING",
        constraint: Constraint::Length(15),
    },
];

/// `PT1H` → `1h`, `PT1H30M` → `1h30m`; anything else as it is.
pub fn duration(iso: Option<&str>) -> String {
    match iso {
        Some(d) => d
            .strip_prefix("PT")
            .map_or_else(|| d.to_string(), str::to_lowercase),
        None => "—".to_string(),
    }
}

pub fn render(f: &mut Frame, area: Rect, app: &App) {
    let pane = app.pane(PaneId::PermissionSets);
    let focused = app.focus == PaneId::PermissionSets;
    let view = ListView {
        title: list::title(
            "Permission sets",
            pane,
            app.dir.permission_sets.len(),
            focused && app.mode == Mode::Filter,
            focused,
            4,
        ),
        focused,
        columns: COLUMNS,
        empty: if app.load.running {
            "loading…"
        } else {
            "no permission sets"
        },
    };
    list::render(f, area, pane, view, |row, w| {
        let Item::PermissionSet(arn) = &row.item else {
            return Vec::new();
        };
        let Some(ps) = app.dir.permission_sets.get(arn) else {
            return Vec::new();
        };
        let name_style = if ps.is_admin() {
            theme::danger()
        } else {
            Style::default()
        };
        let outdated = ps.outdated_accounts.len();
        let provisioning = if outdated > 0 {
            Span::styled(format!("⚠ {outdated} outdated"), theme::warning())
        } else if ps.provisioned_accounts.is_empty() {
            Span::styled("not provisioned", theme::dim())
        } else {
            Span::styled("current", theme::good())
        };
        vec![
            text::highlighted(&ps.name, &row.matched, 0, w[0] as usize, name_style),
            Line::raw(duration(ps.session_duration.as_deref())),
            Line::raw(format!("{:>8}", ps.provisioned_accounts.len())),
            Line::from(provisioning),
        ]
    });
}
