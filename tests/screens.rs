//! The screens as a person sees them: the app driven with key events and drawn on ratatui's
//! TestBackend at a fixed size, compared with reviewed snapshots.

mod support;

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use idc::app::Msg;
use ratatui::style::Color;
use support::screen::{demo, draw, find, keys, screen, text};

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
