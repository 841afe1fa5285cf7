//! The status line (messages, load progress, the command being typed) and the key bar.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::{text, theme};
use crate::app::{App, Level, Mode, keymap};
use crate::worker::Stage;

pub fn render_status(f: &mut Frame, area: Rect, app: &App) {
    let line = match (&app.mode, &app.status) {
        (Mode::Command(cmd), _) => Line::from(vec![
            Span::styled(":", theme::key()),
            Span::raw(format!("{cmd}█")),
        ]),
        (_, Some(status)) => {
            let style = match status.level {
                Level::Info => theme::dim(),
                Level::Warn => theme::warning(),
                Level::Error => theme::danger(),
            };
            Line::styled(text::truncate(&status.text, area.width as usize), style)
        }
        (_, None) if app.load.running => Line::styled(progress_text(app), theme::dim()),
        (_, None) => Line::raw(""),
    };
    f.render_widget(Paragraph::new(line), area);
}

fn progress_text(app: &App) -> String {
    // Stages still running first: they are what the user is waiting for.
    let mut stages: Vec<(bool, String)> = Stage::ALL
        .iter()
        .filter_map(|s| {
            let (done, total) = app.load.progress.get(*s)?;
            Some((done >= total, format!("{} {done}/{total}", s.label())))
        })
        .collect();
    stages.sort_by_key(|(finished, _)| *finished);
    stages
        .into_iter()
        .map(|(_, s)| s)
        .collect::<Vec<_>>()
        .join(" · ")
}

pub fn render_keys(f: &mut Frame, area: Rect, app: &App) {
    let mut spans = Vec::new();
    let mut used = 0;
    for (keys, hint) in keymap::hints(&app.contexts()) {
        let w = text::width(&keys) + text::width(hint) + 3;
        if used + w > area.width as usize {
            break;
        }
        used += w;
        spans.push(Span::styled(format!(" {keys}"), theme::key()));
        spans.push(Span::raw(format!(" {hint} ")));
    }
    f.render_widget(Paragraph::new(Line::from(spans)), area);
}
