//! Text that fits: truncation with an ellipsis by display width, and filter highlights.

use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use unicode_width::{UnicodeWidthChar, UnicodeWidthStr};

use super::theme;

pub fn width(s: &str) -> usize {
    UnicodeWidthStr::width(s)
}

/// `s` cut to `max` columns, ending in `…` when cut.
pub fn truncate(s: &str, max: usize) -> String {
    if width(s) <= max {
        return s.to_string();
    }
    if max == 0 {
        return String::new();
    }
    let mut out = String::new();
    let mut used = 0;
    for c in s.chars() {
        let w = c.width().unwrap_or(0);
        if used + w > max - 1 {
            break;
        }
        used += w;
        out.push(c);
    }
    out.push('…');
    out
}

/// `s` truncated and padded to exactly `w` columns.
pub fn pad(s: &str, w: usize) -> String {
    let t = truncate(s, w);
    let fill = w.saturating_sub(width(&t));
    format!("{t}{}", " ".repeat(fill))
}

/// `s` as spans, truncated to `max` columns, with the characters whose positions (counted
/// from `offset` in the filter text) are in `matched` highlighted.
pub fn highlighted(
    s: &str,
    matched: &[usize],
    offset: usize,
    max: usize,
    style: Style,
) -> Line<'static> {
    let cut = truncate(s, max);
    if matched.is_empty() {
        return Line::from(Span::styled(cut, style));
    }
    let hl = style.patch(theme::matched());
    let mut spans: Vec<Span<'static>> = Vec::new();
    let mut run = String::new();
    let mut run_hl = false;
    for (i, c) in cut.chars().enumerate() {
        let is_hl = c != '…' && matched.contains(&(offset + i));
        if is_hl != run_hl && !run.is_empty() {
            spans.push(Span::styled(
                std::mem::take(&mut run),
                if run_hl { hl } else { style },
            ));
        }
        run_hl = is_hl;
        run.push(c);
    }
    if !run.is_empty() {
        spans.push(Span::styled(run, if run_hl { hl } else { style }));
    }
    Line::from(spans)
}

/// A label and a value, for the detail panel's header fields.
pub fn field(label: &str, value: impl Into<String>) -> Line<'static> {
    Line::from(vec![
        Span::styled(
            format!("{label:<16}"),
            Style::default().add_modifier(Modifier::DIM),
        ),
        Span::raw(value.into()),
    ])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn truncates_by_display_width() {
        assert_eq!(truncate("payments-prod", 20), "payments-prod");
        assert_eq!(truncate("payments-prod", 8), "payment…");
        assert_eq!(truncate("日本語のアカウント", 7), "日本語…");
        assert_eq!(width(&pad("Zürich", 8)), 8);
        assert_eq!(truncate("x", 0), "");
    }

    #[test]
    fn highlights_matched_characters_of_this_column() {
        let line = highlighted("prod", &[0, 5, 6], 4, 10, Style::default());
        let text: Vec<String> = line.spans.iter().map(|s| s.content.to_string()).collect();
        assert_eq!(text, ["p", "ro", "d"]);
    }
}
