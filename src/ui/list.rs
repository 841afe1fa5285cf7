//! The shared frame of the four list panes: bordered table, header, only the visible rows
//! rendered, the cursor kept in view, a scrollbar.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{
    Block, Borders, Cell, Row as TableRow, Scrollbar, ScrollbarOrientation, ScrollbarState, Table,
};

use super::theme;
use crate::app::{PaneState, Row};

pub struct Column {
    pub title: &'static str,
    pub constraint: Constraint,
}

pub const SPACING: u16 = 1;

/// Widths the columns get inside `width` columns of table.
pub fn widths(columns: &[Column], width: u16) -> Vec<u16> {
    let area = Rect::new(0, 0, width, 1);
    Layout::horizontal(columns.iter().map(|c| c.constraint))
        .spacing(SPACING)
        .split(area)
        .iter()
        .map(|r| r.width)
        .collect()
}

pub struct ListView<'a> {
    pub title: Line<'static>,
    pub focused: bool,
    pub columns: &'a [Column],
    pub empty: &'a str,
}

pub fn render(
    f: &mut Frame,
    area: Rect,
    pane: &PaneState,
    view: ListView<'_>,
    cells: impl Fn(&Row, &[u16]) -> Vec<Line<'static>>,
) {
    let border = if view.focused {
        theme::focused_border()
    } else {
        theme::border()
    };
    let block = Block::default()
        .borders(Borders::ALL)
        .border_style(border)
        .title(view.title);
    let inner = block.inner(area);
    f.render_widget(block, area);
    if inner.height == 0 || inner.width == 0 {
        return;
    }
    if pane.rows.is_empty() {
        let message = if pane.filter.is_empty() {
            view.empty.to_string()
        } else {
            format!("nothing matches /{} — Esc clears the filter", pane.filter)
        };
        f.render_widget(
            Line::from(Span::styled(format!(" {message}"), theme::dim())),
            inner,
        );
        pane.visible.set(inner.height.saturating_sub(1) as usize);
        return;
    }
    // One column on the right for the scrollbar.
    let table_area = Rect {
        width: inner.width.saturating_sub(1),
        ..inner
    };
    let visible = table_area.height.saturating_sub(1) as usize;
    pane.visible.set(visible);
    let offset = keep_in_view(pane.offset.get(), pane.cursor, visible, pane.rows.len());
    pane.offset.set(offset);

    let widths = widths(view.columns, table_area.width);
    let header =
        TableRow::new(view.columns.iter().map(|c| Cell::from(c.title))).style(theme::header());
    let rows = pane
        .rows
        .iter()
        .enumerate()
        .skip(offset)
        .take(visible)
        .map(|(i, row)| {
            let style = if i == pane.cursor && view.focused {
                theme::selected()
            } else if i == pane.cursor {
                theme::selected().remove_modifier(ratatui::style::Modifier::BOLD)
            } else {
                ratatui::style::Style::default()
            };
            TableRow::new(cells(row, &widths).into_iter().map(Cell::from)).style(style)
        });
    let table = Table::new(rows, view.columns.iter().map(|c| c.constraint))
        .header(header)
        .column_spacing(SPACING);
    f.render_widget(table, table_area);

    if pane.rows.len() > visible {
        let mut state =
            ScrollbarState::new(pane.rows.len().saturating_sub(visible)).position(offset);
        let bar_area = Rect {
            x: inner.x + inner.width.saturating_sub(1),
            width: 1,
            y: inner.y + 1,
            height: inner.height.saturating_sub(1),
        };
        f.render_stateful_widget(
            Scrollbar::new(ScrollbarOrientation::VerticalRight)
                .begin_symbol(None)
                .end_symbol(None),
            bar_area,
            &mut state,
        );
    }
}

/// The first visible row that keeps `cursor` on screen, moving as little as possible.
pub fn keep_in_view(offset: usize, cursor: usize, visible: usize, len: usize) -> usize {
    if visible == 0 {
        return cursor;
    }
    let mut offset = offset.min(len.saturating_sub(visible));
    if cursor < offset {
        offset = cursor;
    } else if cursor >= offset + visible {
        offset = cursor + 1 - visible;
    }
    offset
}

/// The pane's title: name, counts, and the filter when there is one.
pub fn title(
    name: &str,
    pane: &PaneState,
    total: usize,
    editing: bool,
    focused: bool,
    number: usize,
) -> Line<'static> {
    let mut spans = vec![Span::styled(
        format!(" {number} {name} "),
        if focused {
            theme::title()
        } else {
            theme::dim()
        },
    )];
    if pane.filter.is_empty() && !editing {
        spans.push(Span::styled(format!("({total}) "), theme::dim()));
    } else {
        let cursor = if editing { "█" } else { "" };
        spans.push(Span::styled(
            format!("/{}{cursor} ", pane.filter),
            theme::matched(),
        ));
        spans.push(Span::styled(
            format!("({} of {total}) ", pane.rows.len()),
            theme::dim(),
        ));
    }
    Line::from(spans)
}

#[cfg(test)]
mod tests {
    use super::keep_in_view;

    #[test]
    fn cursor_stays_visible() {
        assert_eq!(keep_in_view(0, 5, 10, 100), 0);
        assert_eq!(keep_in_view(0, 10, 10, 100), 1);
        assert_eq!(keep_in_view(50, 20, 10, 100), 20);
        // Shrinking lists pull the window back so that it stays full.
        assert_eq!(keep_in_view(95, 3, 10, 12), 2);
    }
}
