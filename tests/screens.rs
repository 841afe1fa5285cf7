//! The screens as a person sees them: the app driven with key events and drawn on ratatui's
//! TestBackend at a fixed size, compared with reviewed snapshots.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use idc::app::{App, Msg, Source};
use idc::backend::demo::demo_organization;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::buffer::Buffer;
use ratatui::style::Color;

fn demo() -> App {
    App::with_directory(demo_organization(), Source::Live("demo".into()))
}

fn keys(app: &mut App, keys: &str) {
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

fn draw(app: &mut App, width: u16, height: u16) -> Buffer {
    app.prepare();
    let mut terminal = Terminal::new(TestBackend::new(width, height)).expect("terminal");
    terminal.draw(|f| idc::ui::draw(f, app)).expect("draw");
    terminal.backend().buffer().clone()
}

fn text(buffer: &Buffer) -> String {
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

fn screen(app: &mut App, width: u16, height: u16) -> String {
    text(&draw(app, width, height))
}

/// The position of the first cell of `needle` on screen.
fn find(buffer: &Buffer, needle: &str) -> Option<(u16, u16)> {
    let t = text(buffer);
    t.lines().enumerate().find_map(|(y, line)| {
        let byte = line.find(needle)?;
        let x = line[..byte].chars().count();
        Some((x as u16, y as u16))
    })
}

#[test]
fn accounts_tree() {
    let mut app = demo();
    insta::assert_snapshot!(screen(&mut app, 120, 32));
}

#[test]
fn accounts_at_80_by_24() {
    let mut app = demo();
    keys(&mut app, "jjj");
    insta::assert_snapshot!(screen(&mut app, 80, 24));
}

#[test]
fn groups_pane_with_members_and_assignments() {
    let mut app = demo();
    keys(&mut app, "2");
    keys(&mut app, "/platform\n");
    insta::assert_snapshot!(screen(&mut app, 120, 32));
}

#[test]
fn users_pane_with_access_paths() {
    let mut app = demo();
    keys(&mut app, "3jj");
    insta::assert_snapshot!(screen(&mut app, 120, 32));
}

#[test]
fn permission_sets_pane_marks_outdated() {
    let mut app = demo();
    keys(&mut app, "4/developer\n");
    let s = screen(&mut app, 120, 40);
    assert!(s.contains("⚠ 3 outdated"), "{s}");
    insta::assert_snapshot!(s);
}

#[test]
fn filter_shows_matches_and_count() {
    let mut app = demo();
    keys(&mut app, "/payprod");
    let buffer = draw(&mut app, 100, 30);
    let s = text(&buffer);
    assert!(s.contains("/payprod█"), "{s}");
    assert!(s.contains("(3 of 36)"), "{s}");
    // The matched characters are highlighted.
    let (x, y) = find(&buffer, "payments-prod").expect("first match on screen");
    assert_eq!(buffer[(x, y)].fg, Color::Magenta);
    insta::assert_snapshot!(s);
}

#[test]
fn filter_without_matches_says_how_to_clear() {
    let mut app = demo();
    keys(&mut app, "/zzzzqqq");
    let s = screen(&mut app, 100, 30);
    assert!(
        s.contains("nothing matches /zzzzqqq — Esc clears the filter"),
        "{s}"
    );
}

#[test]
fn help_screen_lists_the_key_table() {
    let mut app = demo();
    keys(&mut app, "?");
    let s = screen(&mut app, 100, 40);
    for expected in [
        "Everywhere",
        "Accounts tree",
        "Fuzzy-filter the pane",
        "Reload everything",
    ] {
        assert!(s.contains(expected), "{expected} missing from help:\n{s}");
    }
    insta::assert_snapshot!(s);
}

#[test]
fn suspended_accounts_and_admin_sets_are_red() {
    let mut app = demo();
    let buffer = draw(&mut app, 120, 50);
    let (x, y) = find(&buffer, "legacy-erp-migration").expect("suspended account on screen");
    assert_eq!(buffer[(x, y)].fg, Color::Red);
    keys(&mut app, "4");
    let buffer = draw(&mut app, 120, 40);
    // The list's row (at the left border), not the detail panel's heading.
    let y = text(&buffer)
        .lines()
        .position(|l| l.starts_with("│AdministratorAccess"))
        .expect("admin set on screen");
    assert_eq!(buffer[(1, y as u16)].fg, Color::Red);
}

#[test]
fn the_key_bar_follows_the_focus() {
    let mut app = demo();
    let s = screen(&mut app, 120, 30);
    assert!(
        s.lines()
            .last()
            .is_some_and(|l| l.contains("open/close OU")),
        "{s}"
    );
    keys(&mut app, "2");
    let s = screen(&mut app, 120, 30);
    let bar = s.lines().last().unwrap_or_default().to_string();
    assert!(
        !bar.contains("open/close OU") && bar.contains("filter"),
        "{bar}"
    );
    keys(&mut app, "/");
    let s = screen(&mut app, 120, 30);
    assert!(
        s.lines().last().is_some_and(|l| l.contains("Esc clear")),
        "{s}"
    );
}

#[test]
fn a_deleted_group_shows_in_red_on_its_account() {
    let mut app = demo();
    keys(&mut app, "/logistics-routing-prod\n");
    let buffer = draw(&mut app, 120, 40);
    let (x, y) = find(&buffer, "deleted group").expect("orphaned assignment in the detail panel");
    assert_eq!(buffer[(x, y)].fg, Color::Red);
}

#[test]
fn any_size_draws_without_panicking() {
    let mut app = demo();
    keys(&mut app, "jjjj");
    for (w, h) in [(1, 1), (10, 5), (20, 8), (40, 10), (79, 23), (200, 60)] {
        for pane in ["1", "2", "3", "4", "?"] {
            keys(&mut app, pane);
            draw(&mut app, w, h);
            keys(&mut app, "\x1b");
        }
    }
}

#[test]
fn account_picker_marks_an_ou_and_its_accounts() {
    let mut app = demo();
    keys(&mut app, "2/Contractors\na");
    keys(&mut app, "Staging ");
    let s = screen(&mut app, 100, 30);
    assert!(s.contains("[x] Staging  OU, 5 accounts"), "{s}");
    assert!(s.contains("5 marked"), "{s}");
    // Clearing the filter shows the tree, the OUs above partly marked.
    for _ in 0.."Staging".len() {
        app.update(Msg::Key(KeyEvent::new(
            KeyCode::Backspace,
            KeyModifiers::NONE,
        )));
    }
    let buffer = draw(&mut app, 100, 30);
    let s = text(&buffer);
    assert!(s.contains("[-] Root"), "a partly marked OU shows [-]:\n{s}");
    insta::assert_snapshot!(s);
}

#[test]
fn plan_view_shows_names_status_and_command() {
    let mut app = demo();
    keys(&mut app, "2/Contractors\na");
    keys(&mut app, "payments-prod\n");
    keys(&mut app, "AdministratorAccess\n");
    keys(&mut app, "p");
    let s = screen(&mut app, 110, 30);
    assert!(s.contains("+ staged"), "{s}");
    assert!(
        s.contains("assign AdministratorAccess to group Contractors-Acme on payments-prod"),
        "{s}"
    );
    assert!(s.contains("OU Root/Workloads/Prod/Payments"), "{s}");
    assert!(
        s.contains("$ aws sso-admin create-account-assignment --instance-arn"),
        "{s}"
    );
    insta::assert_snapshot!(s);
    keys(&mut app, "y");
    let s = screen(&mut app, 110, 30);
    assert!(
        s.contains("Apply the plan?") && s.contains("Grants administrator access 1 times:"),
        "{s}"
    );
}
