//! The matrix pane as a person sees it: the demo organization drawn on ratatui's `TestBackend`
//! at a fixed size and compared with reviewed snapshots, plus `Buffer` assertions where colour
//! matters. Only the pane is drawn for the snapshots, so that they follow the matrix and not
//! the rest of the screen.

mod support;

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use idc::app::matrix::{MatrixColumn, MatrixRow};
use idc::app::{App, Mode, Msg, PaneId, Source};
use idc::backend::demo::demo_organization;
use idc::model::{Assignment, Directory, PrincipalType};
use idc::plan::Change;
use ratatui::buffer::Buffer;
use ratatui::style::{Color, Modifier};
use support::screen::{render_with, text};

const W: u16 = 100;
const H: u16 = 30;

fn demo() -> App {
    let mut app = App::with_directory(demo_organization(), Source::Live("demo".into()));
    app.focus = PaneId::Matrix;
    app
}

fn refresh(app: &mut App) {
    app.prepare();
    app.matrix.refresh(&app.dir, &app.index);
}

/// The matrix pane alone, filling a `width` × `height` screen.
fn draw(app: &mut App, width: u16, height: u16) -> Buffer {
    refresh(app);
    render_with(width, height, |f| idc::ui::matrix::render(f, f.area(), app))
}

fn screen(app: &mut App) -> String {
    text(&draw(app, W, H))
}

/// The position of the first cell of `needle` on the line that contains `on_line`.
fn find_on(buffer: &Buffer, on_line: &str, needle: &str) -> Option<(u16, u16)> {
    text(buffer).lines().enumerate().find_map(|(y, line)| {
        if !line.contains(on_line) {
            return None;
        }
        let start = line.find(on_line)?;
        let byte = start + line[start..].find(needle).or_else(|| line.find(needle))?;
        let x = line[..byte].chars().count();
        Some((x as u16, y as u16))
    })
}

fn id_of<'a>(names: impl Iterator<Item = (&'a String, &'a str)>, name: &str) -> String {
    names
        .into_iter()
        .find(|(_, n)| *n == name)
        .map(|(id, _)| id.clone())
        .unwrap_or_else(|| panic!("{name} not found"))
}

fn account(dir: &Directory, name: &str) -> String {
    id_of(
        dir.accounts.values().map(|a| (&a.id, a.name.as_str())),
        name,
    )
}

fn group(dir: &Directory, name: &str) -> String {
    id_of(
        dir.groups
            .values()
            .map(|g| (&g.id, g.display_name.as_str())),
        name,
    )
}

fn permission_set(dir: &Directory, name: &str) -> String {
    id_of(
        dir.permission_sets
            .values()
            .map(|p| (&p.arn, p.name.as_str())),
        name,
    )
}

fn go_account(app: &mut App, name: &str) {
    refresh(app);
    let id = account(&app.dir, name);
    let pos = app
        .matrix
        .rows()
        .iter()
        .position(|r| matches!(&r.row, MatrixRow::Account { id: a, .. } if *a == id))
        .expect("account row");
    app.matrix.row_to(pos);
}

fn go_column(app: &mut App, column: &MatrixColumn) {
    refresh(app);
    let pos = (0..app.matrix.column_count())
        .position(|c| {
            app.matrix
                .column_head(c)
                .is_some_and(|h| h.column == column)
        })
        .expect("column");
    app.matrix.col_to(pos);
}

#[test]
fn default_view_groups_under_the_ou_tree() {
    let mut app = demo();
    let s = screen(&mut app);
    assert!(s.contains(" 5 Matrix accounts × groups (36 × 17)"), "{s}");
    assert!(s.contains("▾ Root"), "{s}");
    insta::assert_snapshot!(s);
}

#[test]
fn headers_stay_when_scrolled_right_and_down() {
    let mut app = demo();
    refresh(&mut app);
    app.matrix.row_to(usize::MAX);
    app.matrix.col_to(usize::MAX);
    let s = screen(&mut app);
    let lines: Vec<&str> = s.lines().collect();
    // The column headers are still the second and third lines, the corner too, and the last
    // account and the deleted group are in view.
    assert!(lines[1].starts_with("│ACCOUNTS"), "{s}");
    assert!(lines[1].contains("deleted"), "{s}");
    assert!(lines[1].contains('◂'), "scrolled right is marked: {s}");
    assert!(s.contains("│    northwind-management"), "{s}");
    assert!(!s.contains("▾ Root"), "{s}");
    insta::assert_snapshot!(s);
}

#[test]
fn permission_set_columns_count_the_principals() {
    let mut app = demo();
    refresh(&mut app);
    app.matrix.cycle_kind();
    app.matrix.cycle_kind();
    go_account(&mut app, "payments-prod");
    let column = MatrixColumn::PermissionSet(permission_set(&app.dir, "SupportUser"));
    go_column(&mut app, &column);
    let s = screen(&mut app);
    assert!(s.contains("accounts × permission sets (36 × 12)"), "{s}");
    let expected = format!(
        "SupportUser · payments-prod ({}): group Developers-Payments, group Support-Tier2",
        account(&app.dir, "payments-prod")
    );
    assert!(s.contains(&expected), "{s}");
    insta::assert_snapshot!(s);
}

#[test]
fn staged_changes_show_as_pending_marks() {
    let mut app = demo();
    let on = |ps: &str, app: &App| Assignment {
        account_id: account(&app.dir, "payments-prod"),
        permission_set_arn: permission_set(&app.dir, ps),
        principal_type: PrincipalType::Group,
        principal_id: group(&app.dir, "SRE-OnCall"),
    };
    let add = on("ReadOnlyAccess", &app);
    let remove = on("PowerUserAccess", &app);
    app.plan
        .stage(Change::Assign(add), &app.dir)
        .expect("staged");
    app.plan
        .stage(Change::Unassign(remove), &app.dir)
        .expect("staged");
    app.matrix.invalidate();
    app.matrix.note_plan(&app.plan);
    go_account(&mut app, "payments-prod");
    let column = MatrixColumn::Group(group(&app.dir, "SRE-OnCall"));
    go_column(&mut app, &column);
    let buffer = draw(&mut app, W, H);
    let s = text(&buffer);
    let expected = format!(
        "SRE-OnCall · payments-prod ({}): −PUA PowerUserAccess, +ROA ReadOnlyAccess",
        account(&app.dir, "payments-prod")
    );
    assert!(s.contains(&expected), "{s}");
    let (x, y) = find_on(&buffer, "payments-prod ", "+ROA").expect("+ROA in the cell");
    assert_eq!(buffer[(x, y)].fg, Color::Green);
    let (x, y) = find_on(&buffer, "payments-prod ", "−PUA").expect("−PUA in the cell");
    assert_eq!(buffer[(x, y)].fg, Color::Red);
    assert!(buffer[(x + 1, y)].modifier.contains(Modifier::CROSSED_OUT));
    insta::assert_snapshot!(s);
}

#[test]
fn admin_cells_are_red_and_outdated_ones_marked() {
    let mut app = demo();
    go_account(&mut app, "payments-prod");
    let column = MatrixColumn::Group(group(&app.dir, "PlatformAdmins"));
    go_column(&mut app, &column);
    let buffer = draw(&mut app, W, H);
    let (x, y) = find_on(&buffer, "payments-prod ", "AA").expect("AA on payments-prod");
    assert_eq!(buffer[(x, y)].fg, Color::Red);
    assert_eq!(buffer[(x + 1, y)].fg, Color::Red);
    // DeveloperAccess needs reapplying on payments-dev: its label ends in a yellow `!`.
    go_account(&mut app, "payments-dev");
    let column = MatrixColumn::Group(group(&app.dir, "Developers-Payments"));
    go_column(&mut app, &column);
    let buffer = draw(&mut app, W, H);
    let (x, y) = find_on(&buffer, "payments-dev ", "DeA!").expect("DeA! on payments-dev");
    assert_eq!(buffer[(x, y)].fg, Color::Reset);
    assert_eq!(buffer[(x + 3, y)].fg, Color::Yellow);
    let s = text(&buffer);
    assert!(s.contains("DeA DeveloperAccess (needs reapplying)"), "{s}");
}

#[test]
fn the_cursor_cell_and_its_headers_are_highlighted() {
    let mut app = demo();
    go_account(&mut app, "payments-prod");
    let column = MatrixColumn::Group(group(&app.dir, "PlatformAdmins"));
    go_column(&mut app, &column);
    let buffer = draw(&mut app, W, H);
    let (x, y) = find_on(&buffer, "payments-prod ", "AA").expect("cell");
    let selected = buffer[(x, y)].bg;
    assert_ne!(selected, Color::Reset);
    let (hx, hy) = find_on(&buffer, "ACCOUNTS", "Platform").expect("header");
    assert_eq!(buffer[(hx, hy)].bg, selected);
    let (rx, ry) = find_on(&buffer, "payments-prod ", "payments-prod").expect("row label");
    assert_eq!(buffer[(rx, ry)].bg, selected);
}

#[test]
fn filters_show_in_the_title_and_say_how_to_clear() {
    let mut app = demo();
    app.matrix.row_filter.push_str("payprod");
    app.matrix.filter_changed();
    app.matrix.col_filter.push_str("dev");
    app.mode = Mode::ColumnFilter;
    let s = screen(&mut app);
    assert!(s.contains("/payprod (3 of 36) f:dev█ ("), "{s}");
    assert!(
        s.lines()
            .nth(3)
            .is_some_and(|l| l.contains("payments-prod")),
        "{s}"
    );
    insta::assert_snapshot!(s);

    app.matrix.row_filter.push_str("zzz");
    app.matrix.filter_changed();
    let s = screen(&mut app);
    assert!(
        s.contains("nothing matches /payprodzzz — Esc clears the filter"),
        "{s}"
    );
    app.matrix.row_filter.clear();
    app.matrix.col_filter.push_str("qqq");
    app.matrix.filter_changed();
    let s = screen(&mut app);
    assert!(
        s.contains("no column matches f:devqqq — Esc clears the filter"),
        "{s}"
    );
}

#[test]
fn empty_states() {
    let mut app = App::new(Source::Live("demo".into()), false);
    app.focus = PaneId::Matrix;
    app.load.running = true;
    assert!(screen(&mut app).contains("loading…"));
    app.load.running = false;
    assert!(screen(&mut app).contains("no accounts"));
}

#[test]
fn collapsed_ous_hide_their_accounts() {
    let mut app = demo();
    refresh(&mut app);
    let workloads = app
        .matrix
        .rows()
        .iter()
        .position(|r| {
            app.dir
                .ous
                .get(r.row.id())
                .is_some_and(|o| o.name == "Workloads")
        })
        .expect("Workloads");
    app.matrix.row_to(workloads);
    app.matrix.set_expanded(Some(false));
    let s = screen(&mut app);
    assert!(s.contains("▸ Workloads"), "{s}");
    assert!(!s.contains("payments-prod"), "{s}");
}

#[test]
fn the_whole_screen_shows_the_matrix_on_5() {
    let mut app = App::with_directory(demo_organization(), Source::Live("demo".into()));
    app.update(Msg::Key(KeyEvent::new(
        KeyCode::Char('5'),
        KeyModifiers::NONE,
    )));
    assert_eq!(app.focus, PaneId::Matrix);
    refresh(&mut app);
    let s = text(&support::screen::draw(&mut app, 160, 40));
    assert!(s.contains(" 5 Matrix accounts × groups"), "{s}");
}

#[test]
fn any_size_draws_without_panicking() {
    let mut app = demo();
    refresh(&mut app);
    app.matrix.move_row(7);
    app.matrix.move_col(3);
    for _ in 0..3 {
        for (w, h) in [
            (1, 1),
            (3, 3),
            (10, 5),
            (20, 8),
            (40, 10),
            (79, 23),
            (200, 60),
        ] {
            draw(&mut app, w, h);
        }
        app.matrix.cycle_kind();
    }
}
