//! The access view popup: the counts, the filter line, then the sections (a heading, its
//! entries in columns). Only the rows on screen are drawn: an account of a large organization
//! can have thousands of users.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph, Scrollbar, ScrollbarOrientation};
use ratatui::widgets::{ScrollbarState, Wrap};

use super::{list, text, theme};
use crate::app::access_view::{AccessView, Piece, RowKind, Tone, ViewRow};

/// Entries sit under their heading, indented by this much.
const INDENT: usize = 2;
/// Between columns, and between a heading's pieces.
const GAP: usize = 2;

fn style(tone: Tone) -> Style {
    match tone {
        Tone::Normal => Style::default(),
        Tone::Strong => theme::title(),
        Tone::Dim => theme::dim(),
        Tone::Danger => theme::danger(),
        Tone::Warning => theme::warning(),
    }
}

pub fn render(f: &mut Frame, area: Rect, view: &AccessView) {
    let block = Block::default()
        .borders(Borders::ALL)
        .border_style(theme::focused_border())
        .title(Span::styled(
            format!(
                " {} ",
                text::truncate(view.title(), area.width.saturating_sub(4) as usize)
            ),
            theme::title(),
        ))
        .title_bottom(Line::from(hints()).right_aligned());
    let inner = block.inner(area);
    f.render_widget(Clear, area);
    f.render_widget(block, area);
    if inner.width == 0 || inner.height == 0 {
        return;
    }
    let counts = counts_line(&view.counts);
    // The counts wrap rather than lose the last ones on a narrow screen.
    let counts_height = Paragraph::new(counts.clone())
        .wrap(Wrap { trim: true })
        .line_count(inner.width)
        .clamp(1, 3) as u16;
    let [counts_area, filter_area, body] = Layout::vertical([
        Constraint::Length(counts_height),
        Constraint::Length(1),
        Constraint::Min(0),
    ])
    .areas(inner);
    f.render_widget(
        Paragraph::new(counts).wrap(Wrap { trim: true }),
        counts_area,
    );
    f.render_widget(filter_line(view), filter_area);

    let height = body.height as usize;
    view.height.set(height);
    if view.visible.is_empty() {
        view.offset.set(0);
        let message = if view.filter.is_empty() {
            " nothing to show".to_string()
        } else {
            format!(" nothing matches /{} — Esc clears the filter", view.filter)
        };
        f.render_widget(Line::styled(message, theme::dim()), body);
        return;
    }
    let scrolls = view.visible.len() > height;
    // One column on the right for the scrollbar when there is one.
    let width = body.width.saturating_sub(u16::from(scrolls)) as usize;
    let offset = list::keep_in_view(view.offset.get(), view.cursor, height, view.visible.len());
    view.offset.set(offset);
    let lines: Vec<Line> = view
        .visible
        .iter()
        .enumerate()
        .skip(offset)
        .take(height)
        .filter_map(|(at, (i, matched))| {
            let row = view.rows.get(*i)?;
            let line = match row.kind {
                RowKind::Heading => heading(row, matched, width),
                RowKind::Entry => entry(row, matched, width),
            };
            Some(if at == view.cursor {
                // Filled to the width, so that the highlight runs across.
                let mut line = line;
                let fill = width.saturating_sub(line.width());
                line.spans.push(Span::raw(" ".repeat(fill)));
                line.style(theme::selected())
            } else {
                line
            })
        })
        .collect();
    f.render_widget(Paragraph::new(lines), body);
    if scrolls {
        let mut state =
            ScrollbarState::new(view.visible.len().saturating_sub(height)).position(offset);
        let bar = Rect {
            x: body.x + body.width.saturating_sub(1),
            width: 1,
            ..body
        };
        f.render_stateful_widget(
            Scrollbar::new(ScrollbarOrientation::VerticalRight)
                .begin_symbol(None)
                .end_symbol(None),
            bar,
            &mut state,
        );
    }
}

fn hints() -> Vec<Span<'static>> {
    let mut spans = Vec::new();
    for (key, what) in [
        ("Enter", "open"),
        ("/", "filter"),
        ("e", "CSV"),
        ("E", "JSON"),
        ("Esc", "close"),
    ] {
        spans.push(Span::styled(format!(" {key}"), theme::key()));
        spans.push(Span::styled(format!(" {what}"), theme::dim()));
    }
    spans.push(Span::raw(" "));
    spans
}

fn counts_line(counts: &[Piece]) -> Line<'static> {
    let mut spans = Vec::new();
    for (i, piece) in counts.iter().enumerate() {
        if i > 0 {
            spans.push(Span::styled(" · ", theme::dim()));
        }
        let mut s = style(piece.tone);
        if piece.tone == Tone::Danger {
            s = s.add_modifier(Modifier::BOLD);
        }
        spans.push(Span::styled(piece.text.clone(), s));
    }
    Line::from(spans)
}

fn filter_line(view: &AccessView) -> Line<'static> {
    let (shown, total) = view.entry_counts();
    if view.filter.is_empty() && !view.editing {
        return Line::from(vec![
            Span::styled("/", theme::key()),
            Span::styled(format!(" to filter the {}", rows(total)), theme::dim()),
        ]);
    }
    let cursor = if view.editing { "█" } else { "" };
    Line::from(vec![
        Span::styled("/", theme::key()),
        Span::styled(format!("{}{cursor}", view.filter), theme::matched()),
        Span::styled(format!("  {shown} of {}", rows(total)), theme::dim()),
    ])
}

fn rows(n: usize) -> String {
    format!("{n} row{}", if n == 1 { "" } else { "s" })
}

/// A heading: its pieces one after the other, the first in bold; what does not fit is cut.
fn heading(row: &ViewRow, matched: &[usize], width: usize) -> Line<'static> {
    let starts = row.starts();
    let mut spans: Vec<Span<'static>> = Vec::new();
    let mut used = 0;
    for (i, piece) in row.cells.iter().enumerate() {
        if piece.text.is_empty() {
            continue;
        }
        let gap = if spans.is_empty() { 0 } else { GAP };
        let room = width.saturating_sub(used + gap);
        if room == 0 {
            break;
        }
        if gap > 0 {
            spans.push(Span::raw(" ".repeat(gap)));
        }
        let mut s = style(piece.tone);
        if i == 0 {
            s = s.add_modifier(Modifier::BOLD);
        }
        let (matched, start) = cell_matches(&starts, i, matched);
        let cell = text::highlighted(&piece.text, matched, start, room, s);
        used += gap + text::width(&text::truncate(&piece.text, room));
        spans.extend(cell.spans);
    }
    Line::from(spans)
}

/// An entry: indented, its cells in columns of their shares of the width.
fn entry(row: &ViewRow, matched: &[usize], width: usize) -> Line<'static> {
    let starts = row.starts();
    let widths = column_widths(row.shares, width.saturating_sub(INDENT));
    let mut spans: Vec<Span<'static>> = vec![Span::raw(" ".repeat(INDENT))];
    let last = row.cells.len().saturating_sub(1);
    for (i, piece) in row.cells.iter().enumerate() {
        let w = widths.get(i).copied().unwrap_or(0);
        if w == 0 {
            continue;
        }
        let (matched, start) = cell_matches(&starts, i, matched);
        let cell = text::highlighted(&piece.text, matched, start, w, style(piece.tone));
        spans.extend(cell.spans);
        if i < last {
            let fill = w.saturating_sub(text::width(&text::truncate(&piece.text, w)));
            spans.push(Span::raw(" ".repeat(fill + GAP)));
        }
    }
    Line::from(spans)
}

/// The match positions and where cell `i` starts among them; none for a cell the filter
/// does not look at.
fn cell_matches<'a>(
    starts: &[Option<usize>],
    i: usize,
    matched: &'a [usize],
) -> (&'a [usize], usize) {
    match starts.get(i).copied().flatten() {
        Some(start) => (matched, start),
        None => (&[], 0),
    }
}

/// Each column's width: `width` less the gaps, shared out by `shares`; the last column takes
/// what rounding leaves.
pub fn column_widths(shares: &[u16], width: usize) -> Vec<usize> {
    let gaps = GAP * shares.len().saturating_sub(1);
    let room = width.saturating_sub(gaps);
    let total: usize = shares.iter().map(|s| usize::from(*s)).sum();
    if total == 0 {
        return Vec::new();
    }
    let mut widths: Vec<usize> = shares
        .iter()
        .map(|s| room * usize::from(*s) / total)
        .collect();
    let given: usize = widths.iter().sum();
    if let Some(last) = widths.last_mut() {
        *last += room - given;
    }
    widths
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_fill_the_width_exactly() {
        for width in [0, 1, 7, 40, 117] {
            let widths = column_widths(&[4, 3, 5], width);
            let used: usize = widths.iter().sum::<usize>() + 2 * GAP;
            assert!(used == width || width < 2 * GAP, "{width}: {widths:?}");
        }
        assert_eq!(column_widths(&[1], 10), [10]);
        assert!(column_widths(&[], 10).is_empty());
    }

    #[test]
    fn entries_are_cut_to_their_columns() {
        use crate::app::access_view::AccessTarget;
        use crate::backend::demo::demo_organization;
        use crate::model::DirectoryIndex;

        let dir = demo_organization();
        let ix = DirectoryIndex::build(&dir);
        let id = dir
            .accounts
            .values()
            .find(|a| a.name == "payments-prod")
            .map(|a| a.id.clone())
            .expect("payments-prod");
        let view = AccessView::for_item(&dir, &ix, AccessTarget::Account(id));
        let row = view
            .rows
            .iter()
            .find(|r| r.kind == RowKind::Entry)
            .expect("an entry");
        for width in [10, 24, 60] {
            let line = entry(row, &[], width);
            let text: String = line.spans.iter().map(|s| s.content.as_ref()).collect();
            assert!(text::width(&text) <= width, "{width}: {text:?}");
            assert!(text.starts_with("  "), "{text:?}");
        }
        let line = entry(row, &[], 40);
        let text: String = line.spans.iter().map(|s| s.content.as_ref()).collect();
        assert!(text.contains('…'), "{text:?}");
    }
}
