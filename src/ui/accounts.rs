//! The Accounts pane: the OU tree with accounts under their OU (flat under a filter).

use ratatui::Frame;
use ratatui::layout::{Constraint, Rect};
use ratatui::style::Style;
use ratatui::text::Line;

use super::list::{self, Column, ListView};
use super::{text, theme};
use crate::app::{App, Item, Mode, PaneId};
use crate::model::AccountStatus;

fn columns(status_width: u16) -> [Column; 3] {
    [
        Column {
            title: "NAME",
            constraint: Constraint::Fill(1),
        },
        Column {
            title: "ID",
            constraint: Constraint::Length(12),
        },
        Column {
            title: "STATUS",
            constraint: Constraint::Length(status_width),
        },
    ]
}

pub fn status_style(status: AccountStatus) -> Style {
    match status {
        AccountStatus::Active => Style::default(),
        AccountStatus::Suspended => theme::danger(),
        AccountStatus::PendingClosure | AccountStatus::Unknown => theme::warning(),
    }
}

pub fn render(f: &mut Frame, area: Rect, app: &App) {
    let pane = app.pane(PaneId::Accounts);
    let focused = app.focus == PaneId::Accounts;
    let editing = focused && app.mode == Mode::Filter;
    let status_width = app
        .dir
        .accounts
        .values()
        .map(|a| a.status.label().len())
        .max()
        .unwrap_or(6)
        .max(6);
    let columns = columns(status_width as u16);
    let view = ListView {
        title: list::title(
            "Accounts",
            pane,
            app.dir.accounts.len(),
            editing,
            focused,
            1,
        ),
        focused,
        columns: &columns,
        empty: if app.load.running {
            "loading…"
        } else {
            "no accounts"
        },
    };
    list::render(f, area, pane, view, |row, w| match &row.item {
        Item::Ou {
            id,
            depth,
            expanded,
            accounts,
        } => {
            let name = app.dir.ous.get(id).map_or(id.as_str(), |o| o.name.as_str());
            let marker = if *expanded { "▾" } else { "▸" };
            let label = format!("{}{marker} {name}", "  ".repeat(*depth));
            vec![
                Line::styled(text::truncate(&label, w[0] as usize), theme::ou()),
                Line::styled(format!("{accounts} acct"), theme::dim()),
                Line::raw(""),
            ]
        }
        Item::Account { id, depth } => {
            let account = app.dir.accounts.get(id);
            let name = account.map_or(id.as_str(), |a| a.name.as_str());
            let status = account.map_or(AccountStatus::Unknown, |a| a.status);
            let indent = "  ".repeat(*depth) + if *depth > 0 { "  " } else { "" };
            let indent_w = indent.len();
            let mut name_line = text::highlighted(
                name,
                &row.matched,
                0,
                (w[0] as usize).saturating_sub(indent_w),
                status_style(status),
            );
            name_line.spans.insert(0, indent.into());
            let id_offset = name.chars().count() + 1;
            vec![
                name_line,
                text::highlighted(id, &row.matched, id_offset, 12, theme::dim()),
                Line::styled(status.label(), status_style(status)),
            ]
        }
        _ => Vec::new(),
    });
}
