//! Drawing: a pure function of the app state. One file per pane or popup.

pub mod access_view;
mod accounts;
mod confirm;
mod detail;
mod footer;
mod form;
mod groups;
mod header;
mod help;
pub mod list;
pub mod matrix;
mod permission_sets;
mod picker;
mod plan;
pub mod text;
pub mod theme;
mod users;

use ratatui::Frame;
use ratatui::layout::{Constraint, Direction, Layout, Rect};

use crate::app::{App, Mode, PaneId};

/// Panes side by side from this width on; stacked below it.
const SIDE_BY_SIDE: u16 = 110;

pub fn draw(f: &mut Frame, app: &App) {
    let [top, tabs, body, status, keys] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Length(1),
        Constraint::Min(4),
        Constraint::Length(1),
        Constraint::Length(1),
    ])
    .areas(f.area());
    header::render_title(f, top, app);
    header::render_tabs(f, tabs, app);
    // The matrix wants width: it gets the full width with the detail panel below it.
    let (direction, share) = match (app.focus, body.width >= SIDE_BY_SIDE) {
        (PaneId::Matrix, _) => (Direction::Vertical, 68),
        (_, true) => (Direction::Horizontal, 50),
        (_, false) => (Direction::Vertical, 55),
    };
    let [list, detail] = Layout::new(
        direction,
        [Constraint::Percentage(share), Constraint::Fill(1)],
    )
    .areas(body);
    render_pane(f, list, app);
    detail::render(f, detail, app);
    footer::render_status(f, status, app);
    footer::render_keys(f, keys, app);
    match &app.mode {
        Mode::Help { scroll } => {
            // Narrow terminals give the help their whole width.
            let pct = if f.area().width < 100 { 98 } else { 80 };
            help::render(f, centered(f.area(), pct, 90), *scroll);
        }
        Mode::Plan { cursor } => plan::render(f, centered(f.area(), 94, 90), app, *cursor),
        Mode::Access | Mode::AccessFilter => {
            if let Some(view) = &app.access {
                access_view::render(f, centered(f.area(), 94, 90), view);
            }
        }
        Mode::Confirm(c) => {
            // As tall as the question, within the screen.
            let area = f.area();
            let height = (c.lines.len() as u16 + 5).min(area.height);
            let pct = (height * 100).div_ceil(area.height.max(1));
            confirm::render(f, centered(area, 70, pct), c);
        }
        Mode::Picker => {
            if let Some(p) = &app.picker {
                picker::render(f, centered(f.area(), 80, 80), p);
            }
        }
        Mode::Form => {
            if let Some(form) = &app.form {
                let area = f.area();
                let height = (form.errors.len() as u16 + 18).min(area.height);
                let pct = (height * 100).div_ceil(area.height.max(1));
                form::render(f, centered(area, 70, pct), form);
            }
        }
        _ => {}
    }
}

fn render_pane(f: &mut Frame, area: Rect, app: &App) {
    match app.focus {
        PaneId::Accounts => accounts::render(f, area, app),
        PaneId::Groups => groups::render(f, area, app),
        PaneId::Users => users::render(f, area, app),
        PaneId::PermissionSets => permission_sets::render(f, area, app),
        PaneId::Matrix => matrix::render(f, area, app),
    }
}

fn centered(area: Rect, pct_w: u16, pct_h: u16) -> Rect {
    let w = (area.width * pct_w / 100).max(40).min(area.width);
    let h = (area.height * pct_h / 100).max(10).min(area.height);
    Rect {
        x: area.x + (area.width - w) / 2,
        y: area.y + (area.height - h) / 2,
        width: w,
        height: h,
    }
}
