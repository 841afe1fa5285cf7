//! Speed figures on generated organizations: `cargo bench --bench perf` prints them.
//! Figures, not assertions: the machine decides the numbers.

use std::time::{Duration, Instant};

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use idc::app::{App, Msg, Source};
use idc::backend::demo::synthetic_organization;
use ratatui::Terminal;
use ratatui::backend::TestBackend;

fn press(app: &mut App, code: KeyCode) {
    app.update(Msg::Key(KeyEvent::new(code, KeyModifiers::NONE)));
}

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}

fn max(v: &[Duration]) -> Duration {
    v.iter().copied().max().unwrap_or_default()
}

fn ms(d: Duration) -> String {
    format!("{:.3} ms", d.as_secs_f64() * 1000.0)
}

fn main() {
    for scale in [1000, 2000] {
        let started = Instant::now();
        let dir = synthetic_organization(scale);
        let generated = started.elapsed();
        println!(
            "scale {scale}: {} accounts, {} groups, {} users, {} permission sets, {} assignments (generated in {})",
            dir.accounts.len(),
            dir.groups.len(),
            dir.users.len(),
            dir.permission_sets.len(),
            dir.assignments.len(),
            ms(generated)
        );
        let started = Instant::now();
        let mut app = App::with_directory(dir, Source::Live("bench".into()));
        println!("  index and rows built in {}", ms(started.elapsed()));

        let mut terminal = Terminal::new(TestBackend::new(200, 60)).expect("terminal");
        for (pane, key) in [
            ("accounts", '1'),
            ("groups", '2'),
            ("users", '3'),
            ("permission sets", '4'),
        ] {
            press(&mut app, KeyCode::Char(key));
            let mut frames = Vec::new();
            for _ in 0..50 {
                press(&mut app, KeyCode::Char('j'));
                let t = Instant::now();
                app.prepare();
                terminal.draw(|f| idc::ui::draw(f, &app)).expect("draw");
                frames.push(t.elapsed());
            }
            println!(
                "  frame, {pane} pane: median {}, max {}",
                ms(median(frames.clone())),
                ms(max(&frames))
            );
        }

        // Typing a filter in the users pane, one keystroke at a time, including the redraw.
        press(&mut app, KeyCode::Char('3'));
        press(&mut app, KeyCode::Char('/'));
        let mut strokes = Vec::new();
        for c in "user0421".chars() {
            let t = Instant::now();
            press(&mut app, KeyCode::Char(c));
            terminal.draw(|f| idc::ui::draw(f, &app)).expect("draw");
            strokes.push(t.elapsed());
        }
        let t = Instant::now();
        press(&mut app, KeyCode::Backspace);
        terminal.draw(|f| idc::ui::draw(f, &app)).expect("draw");
        let backspace = t.elapsed();
        println!(
            "  filter keystroke on {} users: first {}, median {}, max {}; backspace {}",
            app.dir.users.len(),
            ms(strokes[0]),
            ms(median(strokes.clone())),
            ms(max(&strokes)),
            ms(backspace)
        );
    }
}
