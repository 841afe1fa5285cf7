//! The plan: every staged change in names, its status and the equivalent AWS CLI command.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph};

use super::text::field_styled;
use super::theme;
use crate::app::App;
use crate::plan::{ItemStatus, command_line};

fn status_style(status: &ItemStatus) -> Style {
    match status {
        ItemStatus::Staged => Style::default(),
        ItemStatus::Queued | ItemStatus::InProgress { .. } => theme::warning(),
        ItemStatus::Succeeded { .. } => theme::good(),
        ItemStatus::Failed(_) => theme::danger(),
        ItemStatus::Skipped(_) => theme::dim(),
    }
}

pub fn render(f: &mut Frame, area: Rect, app: &App, cursor: usize) {
    let staged = app.plan.staged().count();
    let title = format!(
        " Plan: {} changes, {staged} staged — y apply, d drop, Esc close ",
        app.plan.items.len()
    );
    let block = Block::default()
        .borders(Borders::ALL)
        .border_style(theme::focused_border())
        .title(Span::styled(title, theme::title()));
    let placeholder = crate::model::Instance {
        instance_arn: "INSTANCE_ARN".to_string(),
        identity_store_id: "IDENTITY_STORE_ID".to_string(),
        owner_account_id: None,
    };
    let instance = app.dir.instance.as_ref().unwrap_or(&placeholder);
    let mut lines = Vec::new();
    let mut cursor_line = 0;
    if app.plan.is_empty() {
        lines.push(Line::styled(
            "Nothing is staged. a assigns from the Groups, Users or Matrix pane; x removes in the Matrix.",
            theme::dim(),
        ));
    }
    for (i, item) in app.plan.items.iter().enumerate() {
        if i == cursor {
            cursor_line = lines.len();
        }
        let a = item.change.assignment();
        let (sign, sign_style) = if item.change.is_addition() {
            ("+", theme::good())
        } else {
            ("−", theme::danger())
        };
        let row_style = if i == cursor {
            theme::selected()
        } else {
            Style::default()
        };
        let width = area.width.saturating_sub(2) as usize;
        let label = format!("{sign} {}", item.status.label());
        let mut head = field_styled(
            &label,
            item.change.describe(&app.dir),
            width,
            Style::default(),
        );
        if let Some(first) = head.first_mut() {
            if let Some(span) = first.spans.first_mut() {
                span.style = sign_style.patch(status_style(&item.status));
            }
            *first = std::mem::take(first).style(row_style);
        }
        lines.extend(head);
        let ou = a
            .map(|a| app.dir.account_ou_path(&a.account_id))
            .unwrap_or_default();
        if !ou.is_empty() {
            lines.extend(field_styled("", format!("OU {ou}"), width, theme::dim()));
        }
        match &item.status {
            ItemStatus::Failed(reason) | ItemStatus::Skipped(reason) => {
                lines.extend(field_styled(
                    "",
                    reason.clone(),
                    width,
                    status_style(&item.status),
                ));
            }
            ItemStatus::InProgress { request_id } | ItemStatus::Succeeded { request_id } => {
                lines.extend(field_styled(
                    "",
                    format!("request {request_id}"),
                    width,
                    theme::dim(),
                ));
            }
            _ => {}
        }
        lines.extend(field_styled(
            "",
            format!("$ {}", command_line(&item.change, instance)),
            width,
            theme::dim(),
        ));
    }
    // Keep the highlighted item in view.
    let height = area.height.saturating_sub(2) as usize;
    let scroll = cursor_line.saturating_sub(height.saturating_sub(4)) as u16;
    f.render_widget(Clear, area);
    f.render_widget(Paragraph::new(lines).block(block).scroll((scroll, 0)), area);
}
