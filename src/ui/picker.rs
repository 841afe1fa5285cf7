//! The picker popup: a filter line, the items (a tree when not filtering) with marks.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph};

use super::{list, text, theme};
use crate::app::form::{is_managed_policy_arn, parse_customer_policy_ref};
use crate::app::picker::{Picker, Purpose};

pub fn render(f: &mut Frame, area: Rect, picker: &Picker) {
    let block = Block::default()
        .borders(Borders::ALL)
        .border_style(theme::focused_border())
        .title(Span::styled(format!(" {} ", picker.title), theme::title()));
    let inner = block.inner(area);
    f.render_widget(Clear, area);
    f.render_widget(block, area);
    let [filter, body] = Layout::vertical([Constraint::Length(1), Constraint::Min(1)]).areas(inner);
    let marked = if picker.multi {
        format!("  {} marked", picker.marked.len())
    } else {
        String::new()
    };
    f.render_widget(
        Paragraph::new(Line::from(vec![
            Span::styled("/", theme::key()),
            Span::styled(format!("{}█", picker.filter), theme::matched()),
            Span::styled(
                format!(
                    "  {} of {}{marked}",
                    picker.visible.len(),
                    picker.items.len()
                ),
                theme::dim(),
            ),
        ])),
        filter,
    );
    let height = body.height as usize;
    let typed_arn = matches!(picker.purpose, Purpose::AttachPolicy { .. })
        && is_managed_policy_arn(picker.filter.trim());
    if let Purpose::AttachCustomerPolicy { .. } = picker.purpose {
        let line = match parse_customer_policy_ref(&picker.filter) {
            Ok((name, path)) => Line::styled(
                format!(" Enter attaches the customer managed policy reference {path}{name}"),
                theme::good(),
            ),
            Err(why) => Line::styled(format!(" {why}"), theme::dim()),
        };
        f.render_widget(line, body);
        return;
    }
    if picker.visible.is_empty() || typed_arn {
        let line = if typed_arn {
            Line::styled(
                format!(" Enter attaches the typed ARN {}", picker.filter.trim()),
                theme::good(),
            )
        } else {
            Line::styled(
                " nothing matches — Backspace edits, Esc cancels",
                theme::dim(),
            )
        };
        f.render_widget(line, body);
        return;
    }
    let offset = list::keep_in_view(0, picker.cursor, height, picker.visible.len());
    let width = body.width as usize;
    let lines: Vec<Line> = picker
        .visible
        .iter()
        .enumerate()
        .skip(offset)
        .take(height)
        .filter_map(|(row, (index, matched))| {
            let item = picker.items.get(*index)?;
            let (marked, of) = picker.mark_count(item);
            let mark = match (picker.multi, item.accounts_below.is_some()) {
                (false, _) => String::new(),
                (true, false) => {
                    if marked > 0 {
                        "[x] ".to_string()
                    } else {
                        "[ ] ".to_string()
                    }
                }
                (true, true) if marked == 0 => "[ ] ".to_string(),
                (true, true) if marked == of => "[x] ".to_string(),
                (true, true) => "[-] ".to_string(),
            };
            let depth = if picker.filter.is_empty() {
                item.depth
            } else {
                0
            };
            let indent = format!("{mark}{}", "  ".repeat(depth));
            let base = if item.accounts_below.is_some() {
                theme::ou()
            } else if item.warn {
                theme::danger()
            } else {
                Style::default()
            };
            let label_width = width.saturating_sub(text::width(&indent) + 1).min(48);
            let mut line = text::highlighted(&item.label, matched, 0, label_width, base);
            line.spans.insert(0, Span::raw(indent.clone()));
            let used =
                text::width(&indent) + text::width(&text::truncate(&item.label, label_width));
            let detail_room = width.saturating_sub(used + 2);
            if detail_room > 3 && !item.detail.is_empty() {
                line.spans.push(Span::styled(
                    format!("  {}", text::truncate(&item.detail, detail_room)),
                    theme::dim(),
                ));
            }
            let style = if row == picker.cursor {
                theme::selected()
            } else {
                Style::default()
            };
            Some(line.style(style))
        })
        .collect();
    f.render_widget(Paragraph::new(lines), body);
}
