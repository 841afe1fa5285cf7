use std::collections::BTreeSet;
use std::time::Duration;

use super::*;
use crate::audit;
use crate::audit::Access;
use crate::backend::demo::demo_organization;

fn demo() -> (Directory, DirectoryIndex) {
    let dir = demo_organization();
    let ix = DirectoryIndex::build(&dir);
    (dir, ix)
}

fn account_id(dir: &Directory, name: &str) -> String {
    dir.accounts
        .values()
        .find(|a| a.name == name)
        .map(|a| a.id.clone())
        .unwrap_or_else(|| panic!("no account {name}"))
}

fn user_id(dir: &Directory, name: &str) -> String {
    dir.users
        .values()
        .find(|u| u.user_name == name)
        .map(|u| u.id.clone())
        .unwrap_or_else(|| panic!("no user {name}"))
}

fn group_id(dir: &Directory, name: &str) -> String {
    dir.groups
        .values()
        .find(|g| g.display_name == name)
        .map(|g| g.id.clone())
        .unwrap_or_else(|| panic!("no group {name}"))
}

fn set_arn(dir: &Directory, name: &str) -> String {
    dir.permission_sets
        .values()
        .find(|p| p.name == name)
        .map(|p| p.arn.clone())
        .unwrap_or_else(|| panic!("no permission set {name}"))
}

/// The visible rows as text: headings flush, entries indented, cells joined by ` | `.
fn shown(view: &AccessView) -> Vec<String> {
    view.visible
        .iter()
        .filter_map(|(i, _)| view.rows.get(*i))
        .map(|r| {
            let cells: Vec<&str> = r.cells.iter().map(|c| c.text.as_str()).collect();
            match r.kind {
                RowKind::Heading => cells.join(" | "),
                RowKind::Entry => format!("  {}", cells.join(" | ")),
            }
        })
        .collect()
}

fn typed(view: &mut AccessView, query: &str) {
    view.filter = query.to_string();
    view.filter_changed();
}

#[test]
fn account_view_groups_users_by_permission_set_and_lists_orphans() {
    let (dir, ix) = demo();
    let id = account_id(&dir, "logistics-routing-prod");
    let view = AccessView::for_item(&dir, &ix, AccessTarget::Account(id.clone()));
    assert_eq!(
        view.title(),
        format!("Who can reach logistics-routing-prod ({id})")
    );
    let headings: Vec<&str> = view
        .rows
        .iter()
        .filter(|r| r.kind == RowKind::Heading)
        .filter_map(|r| r.cells.first().map(|c| c.text.as_str()))
        .collect();
    assert_eq!(
        headings,
        [
            "AdministratorAccess",
            "PowerUserAccess",
            "ReadOnlyAccess",
            "SecurityAudit",
            "SupportUser",
            "Orphaned assignments"
        ]
    );
    // Admin-level in red, and so are the orphans.
    let admin = view.rows.first().expect("a heading");
    assert_eq!(admin.cells.first().map(|c| c.tone), Some(Tone::Danger));
    let orphan = view.rows.last().expect("the orphan");
    assert_eq!(orphan.kind, RowKind::Entry);
    assert!(
        orphan.cells[0].text.starts_with("deleted group "),
        "{orphan:?}"
    );
    assert_eq!(orphan.cells[0].tone, Tone::Danger);
    assert_eq!(orphan.cells[1].text, "PowerUserAccess");
    let counts: Vec<&str> = view.counts.iter().map(|c| c.text.as_str()).collect();
    assert!(counts.contains(&"1 orphaned assignment"), "{counts:?}");
    // Every user once per permission set, every path of the engine once.
    let users = audit::access_to_account(&dir, &id);
    let distinct: BTreeSet<(&str, &str)> = users
        .iter()
        .map(|a| (a.user_id.as_str(), a.permission_set_arn.as_str()))
        .collect();
    let entries = view
        .rows
        .iter()
        .filter(|r| r.kind == RowKind::Entry && r.target.is_some())
        .count();
    assert_eq!(
        entries,
        distinct.len() + 1,
        "one per user and set, plus the orphan"
    );
}

#[test]
fn suspended_account_is_marked_in_the_counts() {
    let (dir, ix) = demo();
    let id = account_id(&dir, "legacy-erp-migration");
    let view = AccessView::for_item(&dir, &ix, AccessTarget::Account(id));
    let first = view.counts.first().expect("counts");
    assert_eq!(
        (first.text.as_str(), first.tone),
        ("SUSPENDED", Tone::Danger)
    );
}

#[test]
fn an_empty_group_grant_is_noted_not_dropped() {
    let (dir, ix) = demo();
    let id = account_id(&dir, "log-archive");
    let view = AccessView::for_item(&dir, &ix, AccessTarget::Account(id));
    let lines = shown(&view);
    let at = lines
        .iter()
        .position(|l| l.starts_with("BreakGlassAdmin | admin | 0 users"))
        .unwrap_or_else(|| panic!("{lines:#?}"));
    assert_eq!(
        lines[at + 1],
        "  group BreakGlass has no members: this grant reaches nobody"
    );
}

/// Unfiltered, every view exports exactly what `idc audit` prints for the same question.
#[test]
fn unfiltered_exports_equal_the_audit_of_every_item() {
    let (dir, ix) = demo();
    let audit_csv = |paths: &[Access]| report::csv(&report::audit_rows(&dir, paths)).expect("csv");
    let now = UNIX_EPOCH;
    for id in dir.accounts.keys() {
        let view = AccessView::for_item(&dir, &ix, AccessTarget::Account(id.clone()));
        let (_, csv) = view.export_at(ExportFormat::Csv, now);
        assert_eq!(csv, audit_csv(&audit::access_to_account(&dir, id)), "{id}");
    }
    for id in dir.groups.keys() {
        let view = AccessView::for_item(&dir, &ix, AccessTarget::Group(id.clone()));
        let (_, csv) = view.export_at(ExportFormat::Csv, now);
        assert_eq!(
            csv,
            audit_csv(&audit::access_via_group(&dir, &ix, id)),
            "{id}"
        );
    }
    for arn in dir.permission_sets.keys() {
        let view = AccessView::for_item(&dir, &ix, AccessTarget::PermissionSet(arn.clone()));
        let (_, csv) = view.export_at(ExportFormat::Csv, now);
        let paths = audit::access_with_permission_set(&dir, &ix, arn);
        assert_eq!(csv, audit_csv(&paths), "{arn}");
    }
    for id in dir.users.keys() {
        let view = AccessView::for_item(&dir, &ix, AccessTarget::User(id.clone()));
        let (_, csv) = view.export_at(ExportFormat::Csv, now);
        let mine: Vec<Access> = audit::effective_access(&dir)
            .into_iter()
            .filter(|a| a.user_id == *id)
            .collect();
        assert_eq!(csv, audit_csv(&mine), "{id}");
    }
}

#[test]
fn a_close_heading_match_brings_its_section_a_user_match_only_that_user() {
    let (dir, ix) = demo();
    let id = account_id(&dir, "payments-prod");
    let mut view = AccessView::for_item(&dir, &ix, AccessTarget::Account(id));
    let all = view.visible.len();

    typed(&mut view, "admin");
    let lines = shown(&view);
    assert_eq!(
        lines.first().map(String::as_str),
        Some("AdministratorAccess | admin | 3 users"),
        "{lines:#?}"
    );
    let admins = view
        .rows
        .iter()
        .filter(|r| r.section == 0 && r.kind == RowKind::Entry);
    assert!(lines.len() > admins.count(), "the whole section shows");

    typed(&mut view, "ana.kovac");
    let lines = shown(&view);
    assert_eq!(
        lines,
        [
            "ReadOnlyAccess | 44 users",
            "  ana.kovac@northwind.example | Ana Kovač | via ReadOnlyEveryone"
        ]
    );
    let (shown, total) = view.entry_counts();
    assert_eq!(shown, 1);
    assert!(total > 40);
    // The match positions point at the user name's characters.
    let (_, matched) = &view.visible[1];
    assert_eq!(matched.len(), "ana.kovac".len());

    typed(&mut view, "zzzqqq");
    assert!(view.visible.is_empty());
    assert!(view.selected().is_none());
    typed(&mut view, "");
    assert_eq!(view.visible.len(), all);
}

#[test]
fn a_filtered_export_has_the_rows_that_stand() {
    let (dir, ix) = demo();
    let id = account_id(&dir, "payments-prod");
    let mut view = AccessView::for_item(&dir, &ix, AccessTarget::Account(id));
    typed(&mut view, "emily.johnson");
    let rows = view.export_rows();
    let got: Vec<(&str, &str, &str)> = rows
        .iter()
        .map(|r| {
            (
                r.user_name.as_str(),
                r.permission_set.as_str(),
                r.via.as_str(),
            )
        })
        .collect();
    assert_eq!(
        got,
        [
            (
                "emily.johnson@northwind.example",
                "ReadOnlyAccess",
                "ReadOnlyEveryone"
            ),
            (
                "emily.johnson@northwind.example",
                "SupportUser",
                "Developers-Payments"
            ),
            (
                "emily.johnson@northwind.example",
                "SupportUser",
                "Support-Tier2"
            ),
        ]
    );
    let (name, json) = view.export_at(
        ExportFormat::Json,
        UNIX_EPOCH + Duration::from_secs(1_773_065_107),
    );
    assert_eq!(
        name,
        "idc-access-account-payments-prod-20260309-140507.json"
    );
    let parsed: serde_json::Value = serde_json::from_str(&json).expect("json");
    assert_eq!(parsed.as_array().map(Vec::len), Some(3));
    assert_eq!(
        parsed[0]
            .as_object()
            .map(|o| o.keys().cloned().collect::<BTreeSet<_>>()),
        Some(
            [
                "user_name",
                "user_id",
                "account_id",
                "account_name",
                "permission_set",
                "via"
            ]
            .map(String::from)
            .into_iter()
            .collect()
        )
    );
}

#[test]
fn user_view_goes_by_account_with_direct_paths() {
    let (dir, ix) = demo();
    let id = user_id(&dir, "olaf.lindqvist@northwind.example");
    let view = AccessView::for_item(&dir, &ix, AccessTarget::User(id));
    assert!(
        view.title()
            .starts_with("Where olaf.lindqvist@northwind.example")
    );
    let lines = shown(&view);
    let at = lines
        .iter()
        .position(|l| l.starts_with("Zürich Analytics (legacy)"))
        .unwrap_or_else(|| panic!("{lines:#?}"));
    assert!(
        lines[at + 1..]
            .iter()
            .take_while(|l| l.starts_with("  "))
            .any(|l| l.starts_with("  PowerUserAccess | direct")),
        "{lines:#?}"
    );
}

#[test]
fn group_view_lists_members_then_grants() {
    let (dir, ix) = demo();
    let id = group_id(&dir, "PlatformAdmins");
    let view = AccessView::for_item(&dir, &ix, AccessTarget::Group(id.clone()));
    let members = dir.members_of(&id).count();
    let lines = shown(&view);
    assert_eq!(lines[0], format!("Members | {members}"));
    let grants = lines
        .iter()
        .position(|l| l.starts_with("Grants | "))
        .expect("grants");
    assert_eq!(grants, members + 1);
    let grant = view.rows.get(grants + 1).expect("a grant");
    assert_eq!(grant.cells[1].text, "AdministratorAccess");
    assert_eq!(grant.cells[1].tone, Tone::Danger);
    assert_eq!(grant.cells[2].text, format!("reaches {members} users"));

    let empty = AccessView::for_item(&dir, &ix, AccessTarget::Group(group_id(&dir, "BreakGlass")));
    assert_eq!(
        shown(&empty)[..2],
        [
            "Members | 0",
            "  no members: what this group grants reaches nobody"
        ]
    );
    assert_eq!(empty.export_rows().len(), 0);
}

#[test]
fn permission_set_view_marks_outdated_accounts_and_orphans() {
    let (dir, ix) = demo();
    let arn = set_arn(&dir, "DeveloperAccess");
    let view = AccessView::for_item(&dir, &ix, AccessTarget::PermissionSet(arn));
    let outdated = view
        .rows
        .iter()
        .filter(|r| {
            r.cells
                .iter()
                .any(|c| c.text.starts_with("⚠ outdated") && c.tone == Tone::Warning)
        })
        .count();
    assert_eq!(outdated, 3);
    assert!(view.counts.iter().any(|c| c.text == "3 outdated"));

    let arn = set_arn(&dir, "PowerUserAccess");
    let view = AccessView::for_item(&dir, &ix, AccessTarget::PermissionSet(arn));
    let lines = shown(&view);
    let orphans = lines
        .iter()
        .position(|l| l.starts_with("Orphaned assignments"))
        .expect("orphan section");
    assert!(
        lines[orphans + 1].ends_with("| logistics-routing-prod"),
        "{lines:#?}"
    );

    let arn = set_arn(&dir, "AdministratorAccess");
    let view = AccessView::for_item(&dir, &ix, AccessTarget::PermissionSet(arn));
    assert_eq!(
        view.counts.first().map(|c| (c.text.as_str(), c.tone)),
        Some(("admin-level", Tone::Danger))
    );
}

#[test]
fn cursor_moves_within_the_visible_rows() {
    let (dir, ix) = demo();
    let id = account_id(&dir, "payments-prod");
    let mut view = AccessView::for_item(&dir, &ix, AccessTarget::Account(id));
    let last = view.visible.len() - 1;
    view.move_by(-3);
    assert_eq!(view.cursor, 0);
    view.move_by(5);
    assert_eq!(view.cursor, 5);
    view.move_to(usize::MAX);
    assert_eq!(view.cursor, last);
    view.move_by(isize::MAX);
    assert_eq!(view.cursor, last);
    assert_eq!(view.page(), 1, "never rendered: a page is one row");
    view.height.set(20);
    assert_eq!(view.page(), 20);
    typed(&mut view, "ana");
    assert_eq!(view.cursor, 0, "a new filter starts at the top");
}

#[test]
fn drill_opens_what_the_row_is_about() {
    let (dir, ix) = demo();
    let id = account_id(&dir, "payments-prod");
    let mut view = AccessView::for_item(&dir, &ix, AccessTarget::Account(id));
    assert!(matches!(view.drill(), Some(AccessTarget::PermissionSet(_))));
    view.move_by(1);
    let Some(AccessTarget::User(user)) = view.drill() else {
        panic!("{:?}", view.selected())
    };
    let mut from_user = AccessView::for_item(&dir, &ix, AccessTarget::User(user));
    assert!(matches!(from_user.drill(), Some(AccessTarget::Account(_))));
    from_user.move_by(1);
    assert!(matches!(
        from_user.drill(),
        Some(AccessTarget::PermissionSet(_))
    ));
}

#[test]
fn unknown_targets_say_so() {
    let (dir, ix) = demo();
    let view = AccessView::for_item(&dir, &ix, AccessTarget::User("gone".into()));
    assert_eq!(shown(&view), ["Nowhere", "  this user no longer exists"]);
    let view = AccessView::for_item(&dir, &ix, AccessTarget::Account("000000000000".into()));
    assert_eq!(shown(&view), ["Nobody", "  no assignment on this account"]);
    assert_eq!(
        view.export_at(ExportFormat::Csv, UNIX_EPOCH).1,
        "user_name,user_id,account_id,account_name,permission_set,via\r\n"
    );
}

#[test]
fn file_names_are_safe_and_stamped_in_utc() {
    assert_eq!(
        file_part("Zürich Analytics (legacy)"),
        "Zürich-Analytics-legacy"
    );
    assert_eq!(file_part("ana@northwind.example"), "ana-northwind.example");
    assert_eq!(file_part("../../etc/passwd"), "etc-passwd");
    assert_eq!(file_part("///"), "unnamed");
    assert_eq!(file_part(&"x".repeat(100)).len(), 48);
    assert_eq!(stamp(UNIX_EPOCH), "19700101-000000");
    assert_eq!(
        stamp(UNIX_EPOCH + Duration::from_secs(951_868_799)),
        "20000229-235959"
    );
    let (dir, ix) = demo();
    let arn = set_arn(&dir, "AdministratorAccess");
    let view = AccessView::for_item(&dir, &ix, AccessTarget::PermissionSet(arn));
    assert_eq!(
        view.file_name(ExportFormat::Csv, UNIX_EPOCH),
        "idc-access-permission-set-AdministratorAccess-19700101-000000.csv"
    );
}
