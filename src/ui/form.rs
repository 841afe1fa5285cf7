//! The "new permission set" and "edit permission set" form: each field with its value, the focused one with a cursor,
//! and under a field the message that says what is wrong with it.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph, Wrap};

use super::{text, theme};
use crate::app::form::{Field, PermissionSetForm};

/// The end of `value` that fits in `width` (the cursor is at the end).
fn tail(value: &str, width: usize) -> String {
    let count = value.chars().count();
    if count <= width {
        return value.to_string();
    }
    let skip = count - width.saturating_sub(1);
    format!("…{}", value.chars().skip(skip).collect::<String>())
}

pub fn render(f: &mut Frame, area: Rect, form: &PermissionSetForm) {
    let block = Block::default()
        .borders(Borders::ALL)
        .border_style(theme::focused_border())
        .title(Span::styled(
            if form.is_editing() {
                " Edit permission set "
            } else {
                " New permission set "
            },
            theme::title(),
        ));
    let verb = if form.is_editing() { "save" } else { "create" };
    let width = area.width.saturating_sub(6) as usize;
    let mut lines = Vec::new();
    for field in Field::ALL {
        let focused = form.focus == field;
        let marker = if focused { "▸ " } else { "  " };
        let label_style = if focused {
            theme::header()
        } else {
            theme::dim()
        };
        lines.push(Line::from(vec![
            Span::styled(marker, theme::key()),
            Span::styled(field.label(), label_style),
        ]));
        let value = match field {
            Field::Name => Some(&form.name),
            Field::Description => Some(&form.description),
            Field::RelayState => Some(&form.relay_state),
            Field::Duration => None,
        };
        let line = match value {
            Some(v) if field == Field::Name && form.is_editing() => Line::from(vec![
                Span::raw("    "),
                Span::raw(v.clone()),
                Span::styled("  (the name cannot be changed)", theme::dim()),
            ]),
            Some(v) => {
                let cursor = if focused { "█" } else { "" };
                Line::from(vec![
                    Span::raw("    "),
                    Span::styled(
                        format!("{}{cursor}", tail(v, width.saturating_sub(1))),
                        if focused {
                            theme::matched()
                        } else {
                            Style::default()
                        },
                    ),
                ])
            }
            None => {
                let mut spans = vec![Span::raw("    ")];
                for (i, d) in form.options.iter().enumerate() {
                    let style = if i == form.duration {
                        if focused {
                            theme::selected()
                        } else {
                            theme::matched()
                        }
                    } else {
                        theme::dim()
                    };
                    let shown = if i == form.duration {
                        format!("[{d}]")
                    } else {
                        format!(" {d} ")
                    };
                    spans.push(Span::styled(shown, style));
                    spans.push(Span::raw(" "));
                }
                if focused {
                    spans.push(Span::styled("←/→ or Space", theme::dim()));
                }
                Line::from(spans)
            }
        };
        lines.push(line);
        if let Some(error) = form.errors.get(&field) {
            lines.push(Line::styled(
                format!("    ✗ {}", text::truncate(error, width)),
                theme::danger(),
            ));
        }
        lines.push(Line::raw(""));
    }
    lines.push(Line::from(vec![
        Span::styled(" Tab ", theme::key()),
        Span::raw("next  "),
        Span::styled(" S-Tab ", theme::key()),
        Span::raw("previous  "),
        Span::styled(" Enter ", theme::key()),
        Span::raw(format!("next ({verb} on the last field)  ")),
        Span::styled(" C-s ", theme::key()),
        Span::raw(format!("{verb}  ")),
        Span::styled(" Esc ", theme::key()),
        Span::raw("cancel"),
    ]));
    lines.push(Line::styled(
        if form.is_editing() {
            " Saving stages the change: p reviews and applies it; P re-provisions afterwards."
        } else {
            " Creating stages the change: p reviews and applies it."
        },
        theme::dim(),
    ));
    f.render_widget(Clear, area);
    f.render_widget(
        Paragraph::new(lines)
            .block(block)
            .wrap(Wrap { trim: false }),
        area,
    );
}
