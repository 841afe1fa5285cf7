//! The access views as a person sees them: built on the demo organization, drawn alone on
//! ratatui's TestBackend at a fixed size and compared with reviewed snapshots, plus `Buffer`
//! assertions where colour matters.

mod support;

use idc::app::access_view::{AccessTarget, AccessView};
use idc::backend::demo::{demo_organization, synthetic_organization};
use idc::model::{Directory, DirectoryIndex};
use ratatui::buffer::Buffer;
use ratatui::style::Color;
use support::screen::{find, render_with, text};

const W: u16 = 100;
const H: u16 = 30;

fn demo() -> (Directory, DirectoryIndex) {
    let dir = demo_organization();
    let ix = DirectoryIndex::build(&dir);
    (dir, ix)
}

fn account(dir: &Directory, name: &str) -> AccessTarget {
    let id = dir
        .accounts
        .values()
        .find(|a| a.name == name)
        .map(|a| a.id.clone());
    AccessTarget::Account(id.unwrap_or_else(|| panic!("no account {name}")))
}

fn user(dir: &Directory, name: &str) -> AccessTarget {
    let id = dir
        .users
        .values()
        .find(|u| u.user_name == name)
        .map(|u| u.id.clone());
    AccessTarget::User(id.unwrap_or_else(|| panic!("no user {name}")))
}

fn group(dir: &Directory, name: &str) -> AccessTarget {
    let id = dir
        .groups
        .values()
        .find(|g| g.display_name == name)
        .map(|g| g.id.clone());
    AccessTarget::Group(id.unwrap_or_else(|| panic!("no group {name}")))
}

fn permission_set(dir: &Directory, name: &str) -> AccessTarget {
    let arn = dir
        .permission_sets
        .values()
        .find(|p| p.name == name)
        .map(|p| p.arn.clone());
    AccessTarget::PermissionSet(arn.unwrap_or_else(|| panic!("no permission set {name}")))
}

/// The view alone, filling a `width` × `height` screen.
fn draw(view: &AccessView, width: u16, height: u16) -> Buffer {
    render_with(width, height, |f| {
        idc::ui::access_view::render(f, f.area(), view)
    })
}

fn typed(view: &mut AccessView, query: &str) {
    view.filter = query.to_string();
    view.filter_changed();
}

#[test]
fn account_view_counts_sections_and_orphans() {
    let (dir, ix) = demo();
    let mut view = AccessView::for_item(&dir, &ix, account(&dir, "logistics-routing-prod"));
    let buffer = draw(&view, W, H);
    let s = text(&buffer);
    assert!(s.contains("Who can reach logistics-routing-prod"), "{s}");
    // Admin-level permission sets in red, and the orphan count.
    let (x, y) = find(&buffer, "AdministratorAccess").expect("admin heading");
    assert_eq!(buffer[(x, y)].fg, Color::Red);
    let (x, y) = find(&buffer, "1 orphaned assignment").expect("orphan count");
    assert_eq!(buffer[(x, y)].fg, Color::Red);
    insta::assert_snapshot!("account_view_top", s);
    // At the bottom, the orphaned assignment itself, in red.
    view.move_to(usize::MAX);
    let buffer = draw(&view, W, H);
    let (x, y) = find(&buffer, "deleted group").expect("orphan on screen");
    assert_eq!(buffer[(x, y)].fg, Color::Red);
    insta::assert_snapshot!("account_view_bottom", text(&buffer));
}

#[test]
fn account_view_filtered_to_admins() {
    let (dir, ix) = demo();
    let mut view = AccessView::for_item(&dir, &ix, account(&dir, "payments-prod"));
    view.editing = true;
    typed(&mut view, "admin");
    view.move_by(2);
    let buffer = draw(&view, W, H);
    let s = text(&buffer);
    assert!(s.contains("/admin█"), "{s}");
    // The cursor's row is highlighted across the width, the others not.
    let (_, y) = find(&buffer, "maria.garcia").expect("the third row");
    assert_eq!(buffer[(W - 4, y)].bg, Color::Rgb(40, 60, 90));
    assert_eq!(buffer[(W - 4, y + 1)].bg, Color::Reset);
    insta::assert_snapshot!(s);
}

#[test]
fn suspended_account_is_marked() {
    let (dir, ix) = demo();
    let view = AccessView::for_item(&dir, &ix, account(&dir, "legacy-erp-migration"));
    let buffer = draw(&view, W, 16);
    let (x, y) = find(&buffer, "SUSPENDED").expect("marked");
    assert_eq!(buffer[(x, y)].fg, Color::Red);
    insta::assert_snapshot!(text(&buffer));
}

#[test]
fn user_view_by_account_with_paths() {
    let (dir, ix) = demo();
    let mut view = AccessView::for_item(&dir, &ix, user(&dir, "maria.garcia@northwind.example"));
    insta::assert_snapshot!("user_view_top", text(&draw(&view, W, H)));
    // The sandbox accounts, whole: a direct assignment besides the groups, and one closing.
    typed(&mut view, "sandbox");
    let buffer = draw(&view, W, H);
    let s = text(&buffer);
    assert!(s.contains("direct"), "{s}");
    let (x, y) = find(&buffer, "[PENDING_CLOSURE]").expect("marked");
    assert_eq!(buffer[(x, y)].fg, Color::Red);
    insta::assert_snapshot!("user_view_sandboxes", s);
}

#[test]
fn group_view_members_and_grants() {
    let (dir, ix) = demo();
    let view = AccessView::for_item(&dir, &ix, group(&dir, "Developers-Payments"));
    insta::assert_snapshot!(text(&draw(&view, W, H)));
}

#[test]
fn permission_set_view_marks_outdated_accounts() {
    let (dir, ix) = demo();
    let view = AccessView::for_item(&dir, &ix, permission_set(&dir, "DeveloperAccess"));
    let buffer = draw(&view, W, 40);
    let (x, y) = find(&buffer, "⚠ outdated").expect("outdated marked");
    assert_eq!(buffer[(x, y)].fg, Color::Yellow);
    insta::assert_snapshot!(text(&buffer));
}

#[test]
fn scrolling_keeps_the_cursor_on_screen() {
    let (dir, ix) = demo();
    let mut view = AccessView::for_item(&dir, &ix, account(&dir, "payments-prod"));
    draw(&view, 80, 24);
    let page = view.page();
    assert!(page > 10 && page < 24, "{page}");
    view.move_to(usize::MAX);
    let s = text(&draw(&view, 80, 24));
    assert!(s.contains("zoe.dubois"), "the last row shows:\n{s}");
    assert!(
        !s.contains("aisha.rahman"),
        "the first rows scrolled away:\n{s}"
    );
    view.move_by(-(page as isize) * 100);
    let s = text(&draw(&view, 80, 24));
    assert!(s.contains("AdministratorAccess"), "{s}");
}

#[test]
fn nothing_matches_says_how_to_clear() {
    let (dir, ix) = demo();
    let mut view = AccessView::for_item(&dir, &ix, account(&dir, "payments-prod"));
    typed(&mut view, "zzzqqq");
    let s = text(&draw(&view, W, 12));
    assert!(
        s.contains("nothing matches /zzzqqq — Esc clears the filter"),
        "{s}"
    );
    assert!(s.contains("0 of"), "{s}");
}

#[test]
fn any_size_draws_without_panicking() {
    let (dir, ix) = demo();
    let views = [
        AccessView::for_item(&dir, &ix, account(&dir, "logistics-routing-prod")),
        AccessView::for_item(&dir, &ix, user(&dir, "olaf.lindqvist@northwind.example")),
        AccessView::for_item(&dir, &ix, group(&dir, "BreakGlass")),
        AccessView::for_item(&dir, &ix, permission_set(&dir, "DeveloperAccess")),
    ];
    for view in &views {
        for (w, h) in [(1, 1), (2, 3), (10, 4), (20, 6), (45, 10), (200, 60)] {
            draw(view, w, h);
        }
    }
}

/// On a large organization the view opens on thousands of rows and draws only a screenful.
#[test]
fn large_organization_account_view() {
    let dir = synthetic_organization(200);
    let ix = DirectoryIndex::build(&dir);
    let busiest = dir
        .accounts
        .keys()
        .max_by_key(|id| dir.assignments_on(id).count())
        .cloned()
        .expect("accounts");
    let mut view = AccessView::for_item(&dir, &ix, AccessTarget::Account(busiest));
    assert!(view.rows.len() > 100, "{} rows", view.rows.len());
    view.move_to(usize::MAX);
    let s = text(&draw(&view, W, H));
    assert!(s.contains("paths"), "{s}");
    typed(&mut view, "admin");
    draw(&view, W, H);
}
