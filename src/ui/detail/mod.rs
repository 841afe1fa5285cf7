//! The detail panel: everything about the item under the cursor.

mod account;
mod cell;
mod group;
mod ou;
mod permission_set;
mod user;

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph, Wrap};

use super::{text, theme};
use crate::app::{App, Item};
use crate::model::{Directory, PrincipalType};

pub fn render(f: &mut Frame, area: Rect, app: &App) {
    let block = Block::default()
        .borders(Borders::ALL)
        .border_style(theme::border())
        .title(Span::styled(" Detail ", theme::dim()));
    let inner = block.inner(area);
    f.render_widget(block, area);
    let width = inner.width as usize;
    let lines = match app.selected() {
        _ if app.focus == crate::app::PaneId::Matrix => cell::lines(app, width),
        Some(Item::Account { id, .. }) => account::lines(app, id, width),
        Some(Item::Ou { id, .. }) => ou::lines(app, id, width),
        Some(Item::Group(id)) => group::lines(app, id, width),
        Some(Item::User(id)) => user::lines(app, id, width),
        Some(Item::PermissionSet(arn)) => permission_set::lines(app, arn, width),
        None => vec![Line::styled("nothing selected", theme::dim())],
    };
    let scroll = app.pane(app.focus).detail_scroll;
    // Long values (ARNs, ids, descriptions) wrap; table rows are cut to fit beforehand.
    let paragraph = Paragraph::new(lines).wrap(Wrap { trim: false });
    let max_scroll = (paragraph.line_count(inner.width) as u16).saturating_sub(inner.height);
    f.render_widget(paragraph.scroll((scroll.min(max_scroll), 0)), inner);
}

/// The item's name as the panel's first line.
fn heading(name: &str, width: usize) -> Line<'static> {
    Line::styled(text::truncate(name, width), theme::title())
}

fn section(title: &str, count: usize) -> Line<'static> {
    Line::styled(format!("{title} ({count})"), theme::header())
}

/// Splits `width` between columns in proportion to `weights`, after one space between each.
fn split(width: usize, weights: &[usize]) -> Vec<usize> {
    let gaps = weights.len().saturating_sub(1) + 2;
    let room = width.saturating_sub(gaps);
    let total: usize = weights.iter().sum::<usize>().max(1);
    weights.iter().map(|w| room * w / total).collect()
}

/// A row of padded cells, indented by two spaces.
fn row(cells: Vec<(String, Style)>, widths: &[usize]) -> Line<'static> {
    let mut spans = vec![Span::raw("  ")];
    let last = cells.len().saturating_sub(1);
    for (i, ((content, style), w)) in cells.into_iter().zip(widths).enumerate() {
        let cell = if i == last {
            text::truncate(&content, *w)
        } else {
            text::pad(&content, *w) + " "
        };
        spans.push(Span::styled(cell, style));
    }
    Line::from(spans)
}

fn header_row(titles: &[&str], widths: &[usize]) -> Line<'static> {
    row(
        titles
            .iter()
            .map(|t| ((*t).to_string(), theme::dim()))
            .collect(),
        widths,
    )
}

/// A principal's name, or a red note that it no longer exists (its assignments remain).
fn principal(dir: &Directory, ptype: PrincipalType, id: &str) -> (String, Style) {
    let tag = match ptype {
        PrincipalType::Group => "G",
        PrincipalType::User => "U",
    };
    match dir.principal_name(ptype, id) {
        Some(name) => (format!("{tag} {name}"), Style::default()),
        None => (
            format!("{tag} deleted {} {id}", ptype.as_str().to_lowercase()),
            theme::danger(),
        ),
    }
}

fn permission_set(dir: &Directory, arn: &str) -> (String, Style) {
    let name = dir.permission_set_name(arn).to_string();
    let style = match dir.permission_sets.get(arn) {
        Some(ps) if ps.is_admin() => theme::danger(),
        _ => Style::default(),
    };
    (name, style)
}

fn account(dir: &Directory, id: &str) -> (String, Style) {
    (dir.account_name(id).to_string(), Style::default())
}

/// Staged and in-flight changes that touch the item, marked `+` and `−`.
fn pending(app: &App, touches: impl Fn(&crate::plan::Change) -> bool) -> Vec<Line<'static>> {
    let items: Vec<_> = app
        .plan
        .items
        .iter()
        .filter(|i| !i.status.is_final() && touches(&i.change))
        .collect();
    if items.is_empty() {
        return Vec::new();
    }
    let mut out = vec![Line::raw(""), section("Pending changes", items.len())];
    for item in items {
        let (sign, style) = if item.change.is_addition() {
            ("+", theme::good())
        } else {
            ("−", theme::danger())
        };
        out.push(Line::styled(
            format!(
                "  {sign} {} ({})",
                item.change.describe(&app.dir),
                item.status.label()
            ),
            style,
        ));
    }
    out
}
