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
    let hints = keymap::hints(&app.contexts());
    // Help stays in view however narrow the terminal: it leads to every other key.
    let (help, rest): (Vec<_>, Vec<_>) = hints.into_iter().partition(|(_, hint)| *hint == "help");
    let width = |(keys, hint): &(String, &str)| text::width(keys) + text::width(hint) + 3;
    let mut room = (area.width as usize).saturating_sub(help.iter().map(width).sum());
    let mut shown = Vec::new();
    for hint in rest {
        if width(&hint) > room {
            break;
        }
        room -= width(&hint);
        shown.push(hint);
    }
    shown.extend(help);
    let spans: Vec<Span> = shown
        .into_iter()
        .flat_map(|(keys, hint)| {
            [
                Span::styled(format!(" {keys}"), theme::key()),
                Span::raw(format!(" {hint} ")),
            ]
        })
        .collect();
    f.render_widget(Paragraph::new(Line::from(spans)), area);
}
