//! Drawing for screen tests: the app (or one widget) on ratatui's TestBackend, the buffer as
//! text, and where a piece of text is on it.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use idc::app::{App, Msg, Source};
use idc::backend::demo::demo_organization;
use ratatui::backend::TestBackend;
use ratatui::buffer::Buffer;
use ratatui::{Frame, Terminal};

/// The demo organization, loaded, on a live (not read-only) source.
pub fn demo() -> App {
    App::with_directory(demo_organization(), Source::Live("demo".into()))
}

/// Types keys: `\n` is Enter, `\x1b` is Esc, `\t` is Tab, anything else the character.
pub fn keys(app: &mut App, keys: &str) {
    for c in keys.chars() {
        let code = match c {
            '\n' => KeyCode::Enter,
            '\x1b' => KeyCode::Esc,
            '\t' => KeyCode::Tab,
            c => KeyCode::Char(c),
        };
        app.update(Msg::Key(KeyEvent::new(code, KeyModifiers::NONE)));
    }
}

/// Whatever `render` draws on a `width` × `height` screen.
pub fn render_with(width: u16, height: u16, render: impl FnOnce(&mut Frame)) -> Buffer {
    let mut terminal = Terminal::new(TestBackend::new(width, height)).expect("terminal");
    terminal.draw(render).expect("draw");
    terminal.backend().buffer().clone()
}

/// The whole screen of the app.
pub fn draw(app: &mut App, width: u16, height: u16) -> Buffer {
    app.prepare();
    render_with(width, height, |f| idc::ui::draw(f, app))
}

/// The buffer as lines of text, trailing spaces cut.
pub fn text(buffer: &Buffer) -> String {
    let area = buffer.area;
    let mut out = String::new();
    for y in 0..area.height {
        let mut line = String::new();
        for x in 0..area.width {
            line.push_str(buffer[(x, y)].symbol());
        }
        out.push_str(line.trim_end());
        out.push('\n');
    }
    out
}

pub fn screen(app: &mut App, width: u16, height: u16) -> String {
    text(&draw(app, width, height))
}

/// The position of the first cell of `needle` on screen.
pub fn find(buffer: &Buffer, needle: &str) -> Option<(u16, u16)> {
    text(buffer).lines().enumerate().find_map(|(y, line)| {
        let byte = line.find(needle)?;
        let x = line[..byte].chars().count();
        Some((x as u16, y as u16))
    })
}
