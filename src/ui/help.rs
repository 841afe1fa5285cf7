//! The help screen, generated from the key table that dispatches.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph};

use super::{text, theme};
use crate::app::keymap::{BINDINGS, Context};

const ORDER: [Context; 14] = [
    Context::Global,
    Context::List,
    Context::Tree,
    Context::Principal,
    Context::PermissionSets,
    Context::Matrix,
    Context::Filter,
    Context::Command,
    Context::Picker,
    Context::Form,
    Context::Plan,
    Context::Access,
    Context::Confirm,
    Context::Help,
];

pub fn lines(width: usize) -> Vec<Line<'static>> {
    let mut out = Vec::new();
    for ctx in ORDER {
        out.push(Line::styled(ctx.title().to_string(), theme::header()));
        for b in BINDINGS.iter().filter(|b| b.context == ctx) {
            // Long descriptions continue under themselves rather than being cut.
            let mut lines = text::field(&format!("  {}", b.keys_label()), b.help, width);
            if let Some(span) = lines.first_mut().and_then(|l| l.spans.first_mut()) {
                span.style = theme::key();
            }
            out.extend(lines);
        }
        out.push(Line::raw(""));
    }
    out
}

pub fn render(f: &mut Frame, area: Rect, scroll: u16) {
    let block = Block::default()
        .borders(Borders::ALL)
        .border_style(theme::focused_border())
        .title(Span::styled(
            " Keys — j/k scroll, Esc closes ",
            theme::title(),
        ));
    let inner = block.inner(area);
    let lines = lines(inner.width as usize);
    let max = lines.len().saturating_sub(inner.height as usize) as u16;
    f.render_widget(Clear, area);
    f.render_widget(
        Paragraph::new(lines)
            .block(block)
            .scroll((scroll.min(max), 0)),
        area,
    );
}
