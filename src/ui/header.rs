//! The title line (source, counts, load progress) and the pane tabs.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Gauge, Paragraph};

use super::theme;
use crate::app::{App, PaneId, Source};

pub fn render_title(f: &mut Frame, area: Rect, app: &App) {
    let source = match &app.source {
        Source::Live(label) => label.clone(),
        Source::Snapshot(path) => format!("snapshot {path}"),
    };
    let instance = app
        .dir
        .instance
        .as_ref()
        .map(|i| {
            i.instance_arn
                .rsplit('/')
                .next()
                .unwrap_or(&i.instance_arn)
                .to_string()
        })
        .unwrap_or_default();
    let mut spans = vec![
        Span::styled(" idc ", theme::key()),
        Span::raw(format!("{source} ")),
        Span::styled(instance, theme::dim()),
    ];
    if app.read_only {
        spans.push(Span::styled(" read-only", theme::warning()));
    }
    if !app.load.running {
        f.render_widget(Paragraph::new(Line::from(spans)), area);
        return;
    }
    let [left, right] =
        Layout::horizontal([Constraint::Fill(1), Constraint::Length(30)]).areas(area);
    f.render_widget(Paragraph::new(Line::from(spans)), left);
    let ratio = app.load.progress.ratio().clamp(0.0, 1.0);
    let gauge = Gauge::default()
        .gauge_style(theme::good())
        .ratio(ratio)
        .label(format!("loading {:.0}%", ratio * 100.0));
    f.render_widget(gauge, right);
}

pub fn render_tabs(f: &mut Frame, area: Rect, app: &App) {
    let mut spans = Vec::new();
    for (n, pane) in PaneId::ALL.into_iter().enumerate() {
        let count = match pane {
            PaneId::Accounts => app.dir.accounts.len(),
            PaneId::Groups => app.dir.groups.len(),
            PaneId::Users => app.dir.users.len(),
            PaneId::PermissionSets => app.dir.permission_sets.len(),
            PaneId::Matrix => app.dir.assignments.len(),
        };
        let style = if pane == app.focus {
            theme::selected()
        } else {
            theme::dim()
        };
        // The matrix has no single count: its title says what it shows.
        let label = if pane == PaneId::Matrix {
            format!(" {} {} ", n + 1, pane.title())
        } else {
            format!(" {} {} {count} ", n + 1, pane.title())
        };
        spans.push(Span::styled(label, style));
        spans.push(Span::raw(" "));
    }
    f.render_widget(Paragraph::new(Line::from(spans)), area);
}
