use ratatui::style::Style;
use ratatui::text::Line;

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
            out.extend(
                pretty
                    .lines()
                    .map(|l| Line::styled(format!("  {l}"), theme::good())),
            );
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
