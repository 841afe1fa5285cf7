//! Speed of the matrix pane on the `--demo-scale 1000` organization (1,000 accounts × 300
//! groups, 20,000 assignments): `cargo bench --bench matrix` prints the figures. Figures, not
//! assertions: the machine decides the numbers. The budgets are 5 ms a frame and 10 ms a
//! filter keystroke.

use std::time::{Duration, Instant};

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use idc::app::{App, Msg, PaneId, Source};
use idc::backend::demo::synthetic_organization;
use ratatui::Terminal;
use ratatui::backend::TestBackend;

const WIDTH: u16 = 200;
const HEIGHT: u16 = 60;

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v.get(v.len() / 2).copied().unwrap_or_default()
}

fn max(v: &[Duration]) -> Duration {
    v.iter().copied().max().unwrap_or_default()
}

fn ms(d: Duration) -> String {
    format!("{:.3} ms", d.as_secs_f64() * 1000.0)
}

fn report(what: &str, v: &[Duration]) {
    println!(
        "  {what}: median {}, max {} ({} samples)",
        ms(median(v.to_vec())),
        ms(max(v)),
        v.len()
    );
}

fn refresh(app: &mut App) {
    app.prepare();
    app.matrix.refresh(&app.dir, &app.index);
}

/// Types `query` into a filter one keystroke at a time, then erases it the same way; returns
/// the time of each keystroke's handling and of each keystroke plus the redraw.
fn type_filter(
    app: &mut App,
    terminal: &mut Terminal<TestBackend>,
    columns: bool,
    query: &str,
) -> (Vec<Duration>, Vec<Duration>) {
    let mut handled = Vec::new();
    let mut with_frame = Vec::new();
    let strokes = query
        .chars()
        .map(Some)
        .chain(std::iter::repeat_n(None, query.chars().count()));
    for c in strokes {
        let t = Instant::now();
        let filter = if columns {
            &mut app.matrix.col_filter
        } else {
            &mut app.matrix.row_filter
        };
        match c {
            Some(c) => filter.push(c),
            None => {
                filter.pop();
            }
        }
        app.matrix.filter_changed();
        app.matrix.refresh(&app.dir, &app.index);
        handled.push(t.elapsed());
        terminal.draw(|f| idc::ui::draw(f, app)).expect("draw");
        with_frame.push(t.elapsed());
    }
    (handled, with_frame)
}

fn main() {
    let started = Instant::now();
    let dir = synthetic_organization(1000);
    println!(
        "scale 1000: {} accounts, {} OUs, {} groups, {} users, {} permission sets, {} assignments (generated in {})",
        dir.accounts.len(),
        dir.ous.len(),
        dir.groups.len(),
        dir.users.len(),
        dir.permission_sets.len(),
        dir.assignments.len(),
        ms(started.elapsed())
    );
    let mut app = App::with_directory(dir, Source::Live("bench".into()));
    app.update(Msg::Key(KeyEvent::new(
        KeyCode::Char('5'),
        KeyModifiers::NONE,
    )));
    if app.focus != PaneId::Matrix {
        app.focus = PaneId::Matrix;
    }
    let mut terminal = Terminal::new(TestBackend::new(WIDTH, HEIGHT)).expect("terminal");

    // Building the lookups: once per directory change, and the kind's part once per `c`.
    let mut builds = Vec::new();
    for _ in 0..20 {
        app.matrix.invalidate();
        let t = Instant::now();
        refresh(&mut app);
        builds.push(t.elapsed());
    }
    report("lookups rebuilt after a directory change (groups)", &builds);
    let mut cycles = Vec::new();
    for _ in 0..30 {
        let t = Instant::now();
        app.matrix.cycle_kind();
        refresh(&mut app);
        cycles.push(t.elapsed());
    }
    report("column kind cycled (c), with its lookups", &cycles);
    // Back to groups.
    while app.matrix.kind() != idc::app::matrix::ColumnKind::Groups {
        app.matrix.cycle_kind();
    }
    refresh(&mut app);

    println!("frames at {WIDTH}x{HEIGHT} (the whole screen; the matrix pane alone):");
    for kind in 0..3 {
        let mut whole = Vec::new();
        let mut pane = Vec::new();
        for i in 0..300 {
            // Down a row every frame, right a column every third, a page every fiftieth.
            app.matrix.move_row(1);
            if i % 3 == 0 {
                app.matrix.move_col(1);
            }
            if i % 50 == 49 {
                let rows = isize::try_from(app.matrix.page().max(1)).unwrap_or(1);
                app.matrix.move_row(rows);
            }
            let t = Instant::now();
            refresh(&mut app);
            terminal.draw(|f| idc::ui::draw(f, &app)).expect("draw");
            whole.push(t.elapsed());
            let t = Instant::now();
            terminal
                .draw(|f| idc::ui::matrix::render(f, f.area(), &app))
                .expect("draw");
            pane.push(t.elapsed());
        }
        let name = app.matrix.kind().label();
        report(&format!("frame, {name} columns, whole screen"), &whole);
        report(&format!("frame, {name} columns, matrix pane"), &pane);
        let _ = kind;
        app.matrix.cycle_kind();
        refresh(&mut app);
    }

    println!("filter keystrokes (push or pop, filter_changed, refresh; then with the redraw):");
    let mut handled = Vec::new();
    let mut with_frame = Vec::new();
    for query in [
        "fleet",
        "prod04",
        "bu12dev",
        "payments",
        "0999",
        "hrstaging",
        "retail-p",
        "3001",
    ] {
        let (h, w) = type_filter(&mut app, &mut terminal, false, query);
        handled.extend(h);
        with_frame.extend(w);
    }
    report("row filter keystroke", &handled);
    report("row filter keystroke + frame", &with_frame);
    let mut handled = Vec::new();
    let mut with_frame = Vec::new();
    for query in ["team-0042", "admins", "oncall01", "0299", "readonly", "t7d"] {
        let (h, w) = type_filter(&mut app, &mut terminal, true, query);
        handled.extend(h);
        with_frame.extend(w);
    }
    report("column filter keystroke", &handled);
    report("column filter keystroke + frame", &with_frame);
}
