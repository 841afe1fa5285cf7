//! The matrix pane: a fixed column of row headers (the OU tree), a fixed two-line row of
//! column headers, the cells in view, and a footer naming the column and the cell's labels.
//! Only what is visible is drawn.

use ratatui::Frame;
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{
    Block, Borders, Scrollbar, ScrollbarOrientation, ScrollbarState, StatefulWidget,
};

use super::accounts::status_style;
use super::list::keep_in_view;
use super::{text, theme};
use crate::app::matrix::{
    CellEntry, CellLabel, CellView, ColumnKind, Mark, MatrixColumn, MatrixRow, MatrixState,
    Pending, cell_entries,
};
use crate::app::{App, Mode, PaneId};
use crate::model::{AccountStatus, PrincipalType};

/// Columns of a cell; one more between cells.
const CELL_WIDTH: u16 = 10;
const MIN_LABEL: u16 = 14;
const MAX_LABEL: u16 = 28;

pub fn render(f: &mut Frame, area: Rect, app: &App) {
    let m = &app.matrix;
    let focused = app.focus == PaneId::Matrix;
    let block = Block::default()
        .borders(Borders::ALL)
        .border_style(if focused {
            theme::focused_border()
        } else {
            theme::border()
        })
        .title(title(app, focused));
    let inner = block.inner(area);
    f.render_widget(block, area);
    if inner.height == 0 || inner.width == 0 {
        return;
    }
    let buf = f.buffer_mut();
    if m.rows().is_empty() {
        let message = if !m.row_filter.is_empty() {
            format!("nothing matches /{} — Esc clears the filter", m.row_filter)
        } else if app.load.running || !app.dir.accounts.is_empty() {
            "loading…".to_string()
        } else {
            "no accounts".to_string()
        };
        message_line(buf, inner, &message);
        m.visible_rows.set(inner.height as usize);
        return;
    }
    if m.column_count() == 0 {
        let message = if m.col_filter.is_empty() {
            match m.kind() {
                ColumnKind::Groups => "no groups".to_string(),
                ColumnKind::Users => "no users with direct assignments".to_string(),
                ColumnKind::PermissionSets => "no permission sets".to_string(),
            }
        } else {
            format!(
                "no column matches f:{} — Esc clears the filter",
                m.col_filter
            )
        };
        message_line(buf, inner, &message);
        m.visible_rows.set(inner.height as usize);
        return;
    }
    let grid = Layout::new(inner, m.label_width());
    draw_grid(buf, &grid, app, focused);
    if let Some(footer) = grid.footer {
        let line = footer_line(app, footer.width as usize);
        buf.set_line(footer.x, footer.y, &line, footer.width);
    }
}

/// Where everything goes inside the frame.
struct Layout {
    /// Row headers, below the column headers.
    labels: Rect,
    /// Column headers (one or two lines), right of the corner.
    heads: Rect,
    corner: Rect,
    /// The cells in view.
    body: Rect,
    footer: Option<Rect>,
    cell: u16,
    visible_rows: usize,
    visible_cols: usize,
    scrollbar_x: u16,
}

impl Layout {
    fn new(inner: Rect, label_width: usize) -> Self {
        let footer_h = u16::from(inner.height >= 5);
        let head_h = if inner.height >= 7 { 2 } else { 1 };
        let body_h = inner.height.saturating_sub(head_h + footer_h);
        // The last column holds the scrollbar and the "more to the right" mark.
        let grid_w = inner.width.saturating_sub(1);
        let wanted = u16::try_from(label_width)
            .unwrap_or(MAX_LABEL)
            .clamp(MIN_LABEL, MAX_LABEL);
        let label_w = wanted.min(grid_w * 2 / 5);
        let cells_x = inner.x + label_w + 1;
        let cells_w = grid_w.saturating_sub(label_w + 1);
        let cell = CELL_WIDTH.min(cells_w).max(1);
        let visible_cols = if cells_w == 0 {
            0
        } else {
            usize::from((cells_w + 1) / (cell + 1)).max(1)
        };
        let top = inner.y + head_h;
        Self {
            corner: Rect::new(inner.x, inner.y, label_w, head_h),
            heads: Rect::new(cells_x, inner.y, cells_w, head_h),
            labels: Rect::new(inner.x, top, label_w, body_h),
            body: Rect::new(cells_x, top, cells_w, body_h),
            footer: (footer_h > 0).then(|| Rect::new(inner.x, top + body_h, inner.width, 1)),
            cell,
            visible_rows: usize::from(body_h),
            visible_cols,
            scrollbar_x: inner.x + inner.width.saturating_sub(1),
        }
    }

    fn cell_x(&self, i: usize) -> u16 {
        let i = u16::try_from(i).unwrap_or(u16::MAX);
        self.body.x.saturating_add(i.saturating_mul(self.cell + 1))
    }
}

fn draw_grid(buf: &mut Buffer, g: &Layout, app: &App, focused: bool) {
    let m = &app.matrix;
    let rows = m.rows();
    let (row, col) = m.cursor();
    m.visible_rows.set(g.visible_rows);
    m.visible_cols.set(g.visible_cols);
    let row_offset = keep_in_view(m.row_offset.get(), row, g.visible_rows, rows.len());
    let col_offset = keep_in_view(m.col_offset.get(), col, g.visible_cols, m.column_count());
    m.row_offset.set(row_offset);
    m.col_offset.set(col_offset);
    let cursor_style = if focused {
        theme::selected()
    } else {
        theme::selected().remove_modifier(Modifier::BOLD)
    };
    let last_col = (col_offset + g.visible_cols).min(m.column_count());

    // The corner and the separator between row headers and cells.
    let corner = ["ACCOUNTS", &format!("× {}", m.kind().label())];
    for (dy, t) in corner.iter().enumerate().take(usize::from(g.corner.height)) {
        let y = g.corner.y + u16::try_from(dy).unwrap_or(0);
        let t = text::truncate(t, usize::from(g.corner.width));
        buf.set_stringn(g.corner.x, y, t, usize::from(g.corner.width), theme::dim());
    }
    let sep_x = g.corner.x + g.corner.width;
    for y in g.corner.y..g.body.y + g.body.height {
        let mark = if y == g.corner.y && col_offset > 0 {
            Span::styled("◂", theme::key())
        } else {
            Span::styled("│", theme::border())
        };
        buf.set_span(sep_x, y, &mark, 1);
    }
    if last_col < m.column_count() {
        buf.set_span(
            g.scrollbar_x,
            g.heads.y,
            &Span::styled("▸", theme::key()),
            1,
        );
    }

    // Column headers, on one or two lines.
    for (i, c) in (col_offset..last_col).enumerate() {
        let Some(head) = m.column_head(c) else {
            continue;
        };
        let x = g.cell_x(i);
        let mut style = if head.deleted {
            theme::danger()
        } else {
            theme::header()
        };
        if c == col {
            style = style.patch(cursor_style);
        }
        let w = usize::from(g.cell);
        let (first, second) = if g.heads.height >= 2 {
            split_two(head.short, w)
        } else {
            (text::truncate(head.short, w), String::new())
        };
        buf.set_stringn(x, g.heads.y, text::pad(&first, w), w, style);
        if g.heads.height >= 2 {
            buf.set_stringn(x, g.heads.y + 1, text::pad(&second, w), w, style);
        }
    }

    let pending = m.pending(&app.dir, &app.plan);
    for (dy, r) in (row_offset..(row_offset + g.visible_rows).min(rows.len())).enumerate() {
        let y = g.body.y + u16::try_from(dy).unwrap_or(0);
        let Some(view) = rows.get(r) else { continue };
        let mut label = row_label(app, &view.row, &view.matched, usize::from(g.labels.width));
        if r == row {
            label = label.patch_style(cursor_style);
            buf.set_style(Rect::new(g.labels.x, y, g.labels.width, 1), cursor_style);
        }
        buf.set_line(g.labels.x, y, &label, g.labels.width);
        for (i, c) in (col_offset..last_col).enumerate() {
            let x = g.cell_x(i);
            let line = m
                .cell(r, c, &pending)
                .map_or_else(Line::default, |v| cell_line(&v, usize::from(g.cell)));
            buf.set_line(x, y, &line, g.cell);
            if r == row && c == col {
                buf.set_style(Rect::new(x, y, g.cell, 1), cursor_style);
            }
        }
    }

    if rows.len() > g.visible_rows && g.body.height > 0 {
        let mut state =
            ScrollbarState::new(rows.len().saturating_sub(g.visible_rows)).position(row_offset);
        StatefulWidget::render(
            Scrollbar::new(ScrollbarOrientation::VerticalRight)
                .begin_symbol(None)
                .end_symbol(None),
            Rect::new(g.scrollbar_x, g.body.y, 1, g.body.height),
            buf,
            &mut state,
        );
    }
}

fn message_line(buf: &mut Buffer, area: Rect, message: &str) {
    let line = Line::from(Span::styled(format!(" {message}"), theme::dim()));
    buf.set_line(area.x, area.y, &line, area.width);
}

/// The indented name of an OU or account.
fn row_label(app: &App, row: &MatrixRow, matched: &[usize], width: usize) -> Line<'static> {
    match row {
        MatrixRow::Ou {
            id,
            depth,
            expanded,
        } => {
            let name = app.dir.ous.get(id).map_or(id.as_str(), |o| o.name.as_str());
            let marker = if *expanded { "▾" } else { "▸" };
            let label = format!("{}{marker} {name}", "  ".repeat(*depth));
            Line::styled(text::pad(&label, width), theme::ou())
        }
        MatrixRow::Account { id, depth } => {
            let account = app.dir.accounts.get(id);
            let name = account.map_or(id.as_str(), |a| a.name.as_str());
            let status = account.map_or(AccountStatus::Unknown, |a| a.status);
            let indent = if *depth > 0 { 2 * depth + 2 } else { 0 };
            let room = width.saturating_sub(indent);
            let mut line = if matched.is_empty() {
                // Siblings often share a prefix: keep the end, where they differ.
                Line::styled(text::truncate_middle(name, room), status_style(status))
            } else {
                text::highlighted(name, matched, 0, room, status_style(status))
            };
            line.spans
                .insert(0, Span::raw(" ".repeat(indent.min(width))));
            let used: usize = line.spans.iter().map(|s| text::width(&s.content)).sum();
            line.spans
                .push(Span::raw(" ".repeat(width.saturating_sub(used))));
            line
        }
    }
}

/// A header on two lines of `w` columns, broken between words when it can be.
fn split_two(s: &str, w: usize) -> (String, String) {
    if text::width(s) <= w {
        return (s.to_string(), String::new());
    }
    let chars: Vec<char> = s.chars().collect();
    // The last break that leaves a first line of at most `w` columns.
    let mut best = 0;
    let mut used = 0;
    for (i, &c) in chars.iter().enumerate() {
        used += text::width(c.encode_utf8(&mut [0; 4]));
        if used > w {
            break;
        }
        if is_boundary(c, chars.get(i + 1).copied()) {
            best = i + 1;
        }
    }
    if best == 0 {
        // The first word alone is too long: cut it, and start the second line after it.
        let end = (1..chars.len())
            .find(|&i| is_boundary(chars[i - 1], chars.get(i).copied()))
            .map_or(chars.len(), |i| i);
        let rest: String = chars[end..].iter().collect();
        if rest.is_empty() {
            let first: String = chars.iter().take(w).collect();
            let second: String = chars.iter().skip(w).collect();
            return (first, text::truncate(&second, w));
        }
        let word: String = chars[..end].iter().collect();
        return (
            text::truncate(&word, w),
            text::truncate(trim_separators(&rest), w),
        );
    }
    let first: String = chars[..best].iter().collect();
    let rest: String = chars[best..].iter().collect();
    (
        first.trim_end().to_string(),
        text::truncate(trim_separators(&rest), w),
    )
}

/// Whether a header may break between `c` and `next`.
fn is_boundary(c: char, next: Option<char>) -> bool {
    !c.is_alphanumeric()
        || next.is_some_and(|n| {
            !n.is_alphanumeric()
                || (c.is_lowercase() && n.is_uppercase())
                || (c.is_ascii_digit() != n.is_ascii_digit())
        })
}

fn trim_separators(s: &str) -> &str {
    s.trim_start_matches([' ', '-', '_'])
}

/// A cell as one line of at most `w` columns.
fn cell_line(view: &CellView, w: usize) -> Line<'static> {
    match view {
        CellView::Rollup(0) => Line::default(),
        CellView::Rollup(n) => Line::styled(text::truncate(&n.to_string(), w), theme::dim()),
        CellView::Sets(labels) if labels.is_empty() => Line::styled("·", theme::dim()),
        CellView::Sets(labels) => sets_line(labels, w),
        CellView::Holders {
            count,
            adding,
            removing,
            admin,
            outdated,
        } => {
            if *count == 0 && *adding == 0 && *removing == 0 {
                return Line::styled("·", theme::dim());
            }
            let mut spans = vec![Span::styled(
                count.to_string(),
                if *admin {
                    theme::danger()
                } else {
                    Style::default()
                },
            )];
            if *adding > 0 {
                spans.push(Span::styled(format!("+{adding}"), theme::good()));
            }
            if *removing > 0 {
                spans.push(Span::styled(format!("−{removing}"), theme::danger()));
            }
            if *outdated && *count > 0 {
                spans.push(Span::styled("!", theme::warning()));
            }
            Line::from(spans)
        }
    }
}

fn label_style(l: &CellLabel) -> Style {
    match l.mark {
        Mark::Adding => theme::good(),
        Mark::Removing => theme::danger().add_modifier(Modifier::CROSSED_OUT),
        Mark::Existing if l.admin => theme::danger(),
        Mark::Existing => Style::default(),
    }
}

fn mark_prefix(mark: Mark) -> &'static str {
    match mark {
        Mark::Existing => "",
        Mark::Adding => "+",
        Mark::Removing => "−",
    }
}

/// The labels joined by `·` when they fit, else a count with the marks that matter.
fn sets_line(labels: &[CellLabel], w: usize) -> Line<'static> {
    let full: usize = labels
        .iter()
        .map(|l| text::width(mark_prefix(l.mark)) + text::width(&l.label) + usize::from(l.outdated))
        .sum::<usize>()
        + labels.len().saturating_sub(1);
    if full <= w {
        let mut spans = Vec::with_capacity(labels.len() * 3);
        for (i, l) in labels.iter().enumerate() {
            if i > 0 {
                spans.push(Span::styled("·", theme::dim()));
            }
            let style = label_style(l);
            spans.push(Span::styled(
                format!("{}{}", mark_prefix(l.mark), l.label),
                style,
            ));
            if l.outdated {
                spans.push(Span::styled("!", theme::warning()));
            }
        }
        return Line::from(spans);
    }
    let n = labels.len();
    let admin = labels.iter().any(|l| l.admin && l.mark != Mark::Removing);
    let mut marks = Vec::new();
    if labels.iter().any(|l| l.mark == Mark::Adding) {
        marks.push(Span::styled("+", theme::good()));
    }
    if labels.iter().any(|l| l.mark == Mark::Removing) {
        marks.push(Span::styled("−", theme::danger()));
    }
    if labels.iter().any(|l| l.outdated) {
        marks.push(Span::styled("!", theme::warning()));
    }
    let noun = if n == 1 { "set" } else { "sets" };
    let long = format!("{n} {noun}");
    let count = if text::width(&long) + marks.len() <= w {
        long
    } else {
        n.to_string()
    };
    let style = if admin {
        theme::danger()
    } else {
        Style::default()
    };
    let mut spans = vec![Span::styled(count, style)];
    spans.extend(marks);
    Line::from(spans)
}

fn title(app: &App, focused: bool) -> Line<'static> {
    let m = &app.matrix;
    let editing_rows = focused && app.mode == Mode::Filter;
    let editing_cols = focused && app.mode == Mode::ColumnFilter;
    let mut spans = vec![
        Span::styled(
            " 5 Matrix ",
            if focused {
                theme::title()
            } else {
                theme::dim()
            },
        ),
        Span::styled(format!("accounts × {} ", m.kind().label()), theme::dim()),
    ];
    let filtered_rows = editing_rows || !m.row_filter.is_empty();
    let filtered_cols = editing_cols || !m.col_filter.is_empty();
    if !filtered_rows && !filtered_cols {
        spans.push(Span::styled(
            format!("({} × {}) ", m.total_accounts(), m.total_columns()),
            theme::dim(),
        ));
    }
    let cursor = |on: bool| if on { "█" } else { "" };
    if filtered_rows {
        spans.push(Span::styled(
            format!("/{}{} ", m.row_filter, cursor(editing_rows)),
            theme::matched(),
        ));
        spans.push(Span::styled(
            format!("({} of {}) ", m.rows().len(), m.total_accounts()),
            theme::dim(),
        ));
    }
    if filtered_cols {
        spans.push(Span::styled(
            format!("f:{}{} ", m.col_filter, cursor(editing_cols)),
            theme::matched(),
        ));
        spans.push(Span::styled(
            format!("({} of {}) ", m.column_count(), m.total_columns()),
            theme::dim(),
        ));
    }
    Line::from(spans)
}

/// The column's full name, the row, and the legend of the selected cell.
fn footer_line(app: &App, width: usize) -> Line<'static> {
    let m = &app.matrix;
    let (_, col) = m.cursor();
    let Some(head) = m.column_head(col) else {
        return Line::default();
    };
    let mut spans = vec![Span::styled(
        head.name.to_string(),
        if head.deleted {
            theme::danger()
        } else {
            theme::title()
        },
    )];
    match m.selected_row() {
        Some(MatrixRow::Ou { id, .. }) => {
            let path = app.dir.ou_path(Some(id));
            let n = match m.cell(m.cursor().0, col, &Pending::default()) {
                Some(CellView::Rollup(n)) => n,
                _ => 0,
            };
            spans.push(Span::styled(format!(" · {path}: "), theme::dim()));
            spans.push(Span::raw(format!(
                "{n} assignment{} below",
                if n == 1 { "" } else { "s" }
            )));
        }
        Some(MatrixRow::Account { id, .. }) => {
            spans.push(Span::styled(
                format!(" · {} ({id}): ", app.dir.account_name(id)),
                theme::dim(),
            ));
            let entries = cell_entries(&app.dir, &app.plan, id, head.column);
            if entries.is_empty() {
                spans.push(Span::styled("no assignment", theme::dim()));
            }
            for (i, e) in entries.iter().enumerate() {
                if i > 0 {
                    spans.push(Span::styled(", ", theme::dim()));
                }
                spans.extend(legend_entry(app, m, id, head.column, e));
            }
        }
        None => {}
    }
    let mut line = Line::from(spans);
    // Cut at the width with an ellipsis, by display width.
    let total: usize = line.spans.iter().map(|s| text::width(&s.content)).sum();
    if total > width {
        let mut used = 0;
        let mut kept = Vec::new();
        for s in line.spans {
            let w = text::width(&s.content);
            if used + w >= width {
                let room = width.saturating_sub(used);
                kept.push(Span::styled(text::truncate(&s.content, room), s.style));
                break;
            }
            used += w;
            kept.push(s);
        }
        line = Line::from(kept);
    }
    line
}

fn legend_entry(
    app: &App,
    m: &MatrixState,
    account: &str,
    column: &MatrixColumn,
    e: &CellEntry,
) -> Vec<Span<'static>> {
    let a = &e.assignment;
    let (prefix, style) = match &e.pending {
        Some(c) if c.is_addition() => ("+", theme::good()),
        Some(_) => ("−", theme::danger().add_modifier(Modifier::CROSSED_OUT)),
        None if m.is_admin(&a.permission_set_arn) => ("", theme::danger()),
        None => ("", Style::default()),
    };
    let mut spans = Vec::new();
    if let MatrixColumn::PermissionSet(_) = column {
        let kind = match a.principal_type {
            PrincipalType::Group => "group",
            PrincipalType::User => "user",
        };
        let name = app
            .dir
            .principal_name(a.principal_type, &a.principal_id)
            .map_or_else(
                || format!("deleted {kind} {}", a.principal_id),
                str::to_string,
            );
        spans.push(Span::styled(format!("{prefix}{kind} {name}"), style));
    } else {
        let label = m.label_of(&a.permission_set_arn).unwrap_or("?");
        spans.push(Span::styled(format!("{prefix}{label}"), style));
        spans.push(Span::raw(format!(
            " {}",
            app.dir.permission_set_name(&a.permission_set_arn)
        )));
    }
    if m.is_outdated(account, &a.permission_set_arn) {
        spans.push(Span::styled(" (needs reapplying)", theme::warning()));
    }
    spans
}

#[cfg(test)]
mod tests {
    use super::*;

    fn plain(line: &Line<'_>) -> String {
        line.spans.iter().map(|s| s.content.to_string()).collect()
    }

    fn label(label: &str, mark: Mark) -> CellLabel {
        CellLabel {
            label: label.into(),
            admin: label == "AA",
            outdated: false,
            mark,
        }
    }

    #[test]
    fn headers_break_between_words() {
        assert_eq!(
            split_two("PlatformAdmins", 10),
            ("Platform".into(), "Admins".into())
        );
        assert_eq!(
            split_two("Developers-Payments", 10),
            ("Developers".into(), "Payments".into())
        );
        assert_eq!(
            split_two("team-0042-developers", 10),
            ("team-0042-".into(), "developers".into())
        );
        assert_eq!(split_two("Billing", 10), ("Billing".into(), String::new()));
        assert_eq!(
            split_two("abcdefghijklmnopqrstuvwxyz", 10),
            ("abcdefghij".into(), "klmnopqrs…".into())
        );
        assert_eq!(
            split_two("Contractors-Acme", 10),
            ("Contracto…".into(), "Acme".into())
        );
        assert_eq!(
            split_two("AdministratorAccess", 10),
            ("Administr…".into(), "Access".into())
        );
    }

    #[test]
    fn labels_fit_or_turn_into_a_count() {
        let cell = [label("AA", Mark::Existing), label("ROA", Mark::Adding)];
        let line = sets_line(&cell, 10);
        assert_eq!(plain(&line), "AA·+ROA");
        assert_eq!(line.spans[0].style, theme::danger());
        assert_eq!(line.spans[2].style, theme::good());
        let many = [
            label("AA", Mark::Existing),
            label("ROA", Mark::Removing),
            label("PUA", Mark::Existing),
        ];
        let line = sets_line(&many, 10);
        assert_eq!(plain(&line), "3 sets−");
        assert_eq!(line.spans[0].style, theme::danger());
        assert_eq!(plain(&sets_line(&many, 3)), "3−");
    }

    #[test]
    fn holders_show_count_and_pending() {
        let v = CellView::Holders {
            count: 2,
            adding: 1,
            removing: 0,
            admin: true,
            outdated: true,
        };
        let line = cell_line(&v, 10);
        assert_eq!(plain(&line), "2+1!");
        assert_eq!(line.spans[0].style, theme::danger());
        assert_eq!(plain(&cell_line(&CellView::Rollup(0), 10)), "");
    }
}
