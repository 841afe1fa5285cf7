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

const LABEL: usize = 16;

/// A label and a value, for the detail panel's header fields. A value too long for `max`
/// columns continues on the next lines, under itself.
pub fn field(label: &str, value: impl Into<String>, max: usize) -> Vec<Line<'static>> {
    field_styled(label, value, max, Style::default())
}

pub fn field_styled(
    label: &str,
    value: impl Into<String>,
    max: usize,
    style: Style,
) -> Vec<Line<'static>> {
    let value = value.into();
    let room = max.saturating_sub(LABEL).max(8);
    let mut chunks = Vec::new();
    let mut chunk = String::new();
    let mut used = 0;
    for c in value.chars() {
        let w = c.width().unwrap_or(0);
        if used + w > room {
            // Break after the last space when there is one, so that words stay whole.
            match chunk.rfind(' ') {
                Some(space) if space > 0 => {
                    let rest = chunk.split_off(space + 1);
                    chunks.push(std::mem::replace(&mut chunk, rest));
                    used = width(&chunk);
                }
                _ => {
                    chunks.push(std::mem::take(&mut chunk));
                    used = 0;
                }
            }
        }
        used += w;
        chunk.push(c);
    }
    chunks.push(chunk);
    chunks
        .into_iter()
        .enumerate()
        .map(|(i, part)| {
            let head = if i == 0 {
                format!("{label:<LABEL$}")
            } else {
                " ".repeat(LABEL)
            };
            Line::from(vec![
                Span::styled(head, Style::default().add_modifier(Modifier::DIM)),
                Span::styled(part, style),
            ])
        })
        .collect()
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
    fn long_fields_continue_under_themselves() {
        let lines = field("ARN", "a".repeat(30), 26);
        let text: Vec<String> = lines
            .iter()
            .map(|l| l.spans.iter().map(|s| s.content.to_string()).collect())
            .collect();
        let indent = " ".repeat(16);
        assert_eq!(
            text,
            [
                format!("ARN{}{}", " ".repeat(13), "a".repeat(10)),
                format!("{indent}{}", "a".repeat(10)),
                format!("{indent}{}", "a".repeat(10)),
            ]
        );
    }

    #[test]
    fn long_text_breaks_between_words() {
        let lines = field("Description", "Build and run services", 28);
        let text: Vec<String> = lines
            .iter()
            .map(|l| l.spans[1].content.to_string())
            .collect();
        assert_eq!(text, ["Build and ", "run services"]);
    }

    #[test]
    fn highlights_matched_characters_of_this_column() {
        let line = highlighted("prod", &[0, 5, 6], 4, 10, Style::default());
        let text: Vec<String> = line.spans.iter().map(|s| s.content.to_string()).collect();
        assert_eq!(text, ["p", "ro", "d"]);
    }
}

/// `s` cut to `max` columns in the middle, keeping its start and its end (where names such as
/// `payments-dev-0042` differ), with `…` where it was cut.
pub fn truncate_middle(s: &str, max: usize) -> String {
    if width(s) <= max {
        return s.to_string();
    }
    if max < 3 {
        return truncate(s, max);
    }
    let tail_room = (max - 1) / 2;
    let mut tail: Vec<char> = Vec::new();
    let mut used = 0;
    for c in s.chars().rev() {
        let w = c.width().unwrap_or(0);
        if used + w > tail_room {
            break;
        }
        used += w;
        tail.push(c);
    }
    let head_room = max - 1 - used;
    let mut out = String::new();
    let mut used = 0;
    for c in s.chars() {
        let w = c.width().unwrap_or(0);
        if used + w > head_room {
            break;
        }
        used += w;
        out.push(c);
    }
    out.push('…');
    out.extend(tail.into_iter().rev());
    out
}

#[cfg(test)]
mod middle_tests {
    use super::*;

    #[test]
    fn cuts_in_the_middle_by_display_width() {
        assert_eq!(
            truncate_middle("bu00-payments-dev-0123", 20),
            "bu00-payme…-dev-0123"
        );
        assert_eq!(truncate_middle("short", 20), "short");
        assert_eq!(width(&truncate_middle("日本語のアカウント名前", 9)), 9);
        assert_eq!(truncate_middle("abcdef", 2), "a…");
    }
}
