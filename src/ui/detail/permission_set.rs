use ratatui::style::Style;
use ratatui::text::{Line, Span};

use super::{heading, row, section, split};
use crate::app::App;
use crate::ui::permission_sets::duration;
use crate::ui::text::{field, truncate};
use crate::ui::theme;

pub fn lines(app: &App, arn: &str, width: usize) -> Vec<Line<'static>> {
    let dir = &app.dir;
    let Some(ps) = dir.permission_sets.get(arn) else {
        return vec![Line::raw(format!("permission set {arn} is gone"))];
    };
    let mut out = [
        vec![heading(&ps.name, width)],
        field("ARN", arn, width),
        field(
            "Description",
            ps.description.clone().unwrap_or_default(),
            width,
        ),
        field("Session", duration(ps.session_duration.as_deref()), width),
        field(
            "Relay state",
            ps.relay_state.clone().unwrap_or_default(),
            width,
        ),
    ]
    .concat();
    if ps.is_admin() {
        out.push(Line::styled("grants administrator access", theme::danger()));
    }
    out.push(Line::raw(""));
    out.push(section("AWS managed policies", ps.managed_policies.len()));
    out.extend(ps.managed_policies.iter().flat_map(|p| {
        [
            Line::raw(truncate(&format!("  {}", p.name), width)),
            Line::styled(format!("    {}", p.arn), theme::dim()),
        ]
    }));
    out.push(section(
        "Customer managed policies",
        ps.customer_managed_policies.len(),
    ));
    out.extend(
        ps.customer_managed_policies
            .iter()
            .map(|p| Line::raw(truncate(&format!("  {}{}", p.path, p.name), width))),
    );
    match &ps.inline_policy {
        Some(policy) => {
            out.push(Line::styled("Inline policy", theme::header()));
            let pretty = serde_json::from_str::<serde_json::Value>(policy)
                .ok()
                .and_then(|v| serde_json::to_string_pretty(&v).ok())
                .unwrap_or_else(|| policy.clone());
            out.extend(pretty.lines().map(|l| json_line(&format!("  {l}"))));
        }
        None => out.push(Line::styled("No inline policy", theme::dim())),
    }
    out.push(Line::raw(""));
    let outdated = ps.outdated_accounts.len();
    out.push(section(
        &format!("Provisioned to accounts, {outdated} outdated"),
        ps.provisioned_accounts.len(),
    ));
    let widths = split(width, &[3, 1]);
    let mut accounts: Vec<&String> = ps.provisioned_accounts.iter().collect();
    accounts.sort_by_key(|a| dir.account_name(a).to_lowercase());
    out.extend(accounts.into_iter().map(|a| {
        let state = if ps.is_outdated_on(a) {
            ("⚠ outdated".to_string(), theme::warning())
        } else {
            ("current".to_string(), theme::dim())
        };
        row(
            vec![(dir.account_name(a).to_string(), Style::default()), state],
            &widths,
        )
    }));
    out
}

/// One line of pretty-printed JSON in colours: keys, strings, numbers and literals, and
/// punctuation each in their style. Pretty-printed strings never span lines.
pub fn json_line(line: &str) -> Line<'static> {
    let mut spans: Vec<Span<'static>> = Vec::new();
    let chars: Vec<char> = line.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        let start = i;
        let style = if c == '"' {
            i += 1;
            while i < chars.len() && chars[i] != '"' {
                i += if chars[i] == '\\' { 2 } else { 1 };
            }
            i = (i + 1).min(chars.len());
            let rest: String = chars[i..].iter().collect();
            if rest.trim_start().starts_with(':') {
                theme::json_key()
            } else {
                theme::json_string()
            }
        } else if "{}[]:,".contains(c) {
            i += 1;
            theme::json_punctuation()
        } else if c.is_whitespace() {
            while i < chars.len() && chars[i].is_whitespace() {
                i += 1;
            }
            Style::default()
        } else {
            while i < chars.len() && !"{}[]:,\"".contains(chars[i]) && !chars[i].is_whitespace() {
                i += 1;
            }
            theme::json_literal()
        };
        spans.push(Span::styled(
            chars[start..i].iter().collect::<String>(),
            style,
        ));
    }
    Line::from(spans)
}

#[cfg(test)]
mod tests {
    use super::json_line;
    use crate::ui::theme;

    #[test]
    fn json_is_coloured_by_token() {
        let line = json_line(r#"    "Effect": "Allow", "N": 12, "B": true, "E": "a\"b" }"#);
        let styled: Vec<(String, ratatui::style::Style)> = line
            .spans
            .iter()
            .filter(|s| !s.content.trim().is_empty())
            .map(|s| (s.content.to_string(), s.style))
            .collect();
        let want = [
            ("\"Effect\"", theme::json_key()),
            (":", theme::json_punctuation()),
            ("\"Allow\"", theme::json_string()),
            (",", theme::json_punctuation()),
            ("\"N\"", theme::json_key()),
            (":", theme::json_punctuation()),
            ("12", theme::json_literal()),
            (",", theme::json_punctuation()),
            ("\"B\"", theme::json_key()),
            (":", theme::json_punctuation()),
            ("true", theme::json_literal()),
            (",", theme::json_punctuation()),
            ("\"E\"", theme::json_key()),
            (":", theme::json_punctuation()),
            (r#""a\"b""#, theme::json_string()),
            ("}", theme::json_punctuation()),
        ];
        let want: Vec<(String, ratatui::style::Style)> =
            want.iter().map(|(t, s)| (t.to_string(), *s)).collect();
        assert_eq!(styled, want);
        // Nothing is lost.
        let text: String = line.spans.iter().map(|s| s.content.as_ref()).collect();
        assert!(text.starts_with("    \"Effect\""));
    }
}
