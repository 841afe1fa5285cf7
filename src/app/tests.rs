use std::time::Duration;

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use super::*;
use crate::backend::demo::demo_organization;
use crate::model::{Account, AccountStatus, OrgUnit};
use crate::worker::LoadSummary;

fn press(app: &mut App, code: KeyCode) -> Vec<Effect> {
    app.update(Msg::Key(KeyEvent::new(code, KeyModifiers::NONE)))
}

fn typed(app: &mut App, text: &str) {
    for c in text.chars() {
        press(app, KeyCode::Char(c));
    }
}

fn demo() -> App {
    App::with_directory(demo_organization(), Source::Live("demo".into()))
}

fn selected_name(app: &App) -> String {
    match app.selected() {
        Some(Item::Account { id, .. }) => app.dir.account_name(id).to_string(),
        Some(Item::Ou { id, .. }) => app.dir.ous[id].name.clone(),
        Some(Item::Group(id)) => app.dir.groups[id].display_name.clone(),
        Some(Item::User(id)) => app.dir.users[id].user_name.clone(),
        Some(Item::PermissionSet(arn)) => app.dir.permission_sets[arn].name.clone(),
        None => String::new(),
    }
}

#[test]
fn panes_switch_with_digits_tab_and_commands() {
    let mut app = demo();
    press(&mut app, KeyCode::Char('3'));
    assert_eq!(app.focus, PaneId::Users);
    press(&mut app, KeyCode::Tab);
    assert_eq!(app.focus, PaneId::PermissionSets);
    press(&mut app, KeyCode::Tab);
    assert_eq!(app.focus, PaneId::Matrix);
    press(&mut app, KeyCode::Tab);
    assert_eq!(app.focus, PaneId::Accounts);
    press(&mut app, KeyCode::BackTab);
    assert_eq!(app.focus, PaneId::Matrix);
    press(&mut app, KeyCode::Char(':'));
    typed(&mut app, "groups");
    press(&mut app, KeyCode::Enter);
    assert_eq!(app.focus, PaneId::Groups);
    assert_eq!(app.mode, Mode::Normal);
}

#[test]
fn unknown_command_says_what_exists() {
    let mut app = demo();
    press(&mut app, KeyCode::Char(':'));
    typed(&mut app, "matrx");
    press(&mut app, KeyCode::Enter);
    let status = app.status.clone().expect("status");
    assert_eq!(status.level, Level::Error);
    assert!(
        status.text.contains(":matrx") && status.text.contains(":accounts"),
        "{}",
        status.text
    );
    press(&mut app, KeyCode::Char(':'));
    typed(&mut app, "q");
    assert_eq!(press(&mut app, KeyCode::Enter), vec![Effect::Quit]);
}

#[test]
fn quit_keys() {
    let mut app = demo();
    assert_eq!(press(&mut app, KeyCode::Char('q')), vec![Effect::Quit]);
    let ctrl_c = KeyEvent::new(KeyCode::Char('c'), KeyModifiers::CONTROL);
    assert_eq!(app.update(Msg::Key(ctrl_c)), vec![Effect::Quit]);
}

#[test]
fn cursor_moves_and_stops_at_the_ends() {
    let mut app = demo();
    press(&mut app, KeyCode::Char('2'));
    assert_eq!(app.pane(PaneId::Groups).cursor, 0);
    press(&mut app, KeyCode::Char('k'));
    assert_eq!(app.pane(PaneId::Groups).cursor, 0);
    press(&mut app, KeyCode::Char('j'));
    press(&mut app, KeyCode::Down);
    assert_eq!(app.pane(PaneId::Groups).cursor, 2);
    press(&mut app, KeyCode::Char('G'));
    assert_eq!(app.pane(PaneId::Groups).cursor, app.dir.groups.len() - 1);
    press(&mut app, KeyCode::Char('j'));
    assert_eq!(app.pane(PaneId::Groups).cursor, app.dir.groups.len() - 1);
    press(&mut app, KeyCode::Char('g'));
    assert_eq!(app.pane(PaneId::Groups).cursor, 0);
}

#[test]
fn ous_collapse_and_expand() {
    let mut app = demo();
    let rows_before = app.pane(PaneId::Accounts).rows.len();
    assert_eq!(selected_name(&app), "Root");
    press(&mut app, KeyCode::Enter);
    assert_eq!(
        app.pane(PaneId::Accounts).rows.len(),
        1,
        "only the collapsed root is left"
    );
    press(&mut app, KeyCode::Char('l'));
    assert_eq!(app.pane(PaneId::Accounts).rows.len(), rows_before);
    // On an account, h goes to its OU; h again collapses it.
    press(&mut app, KeyCode::Char('j'));
    press(&mut app, KeyCode::Char('j'));
    assert!(matches!(app.selected(), Some(Item::Account { .. })));
    press(&mut app, KeyCode::Char('h'));
    assert_eq!(selected_name(&app), "Infrastructure");
    press(&mut app, KeyCode::Char('h'));
    assert!(matches!(
        app.selected(),
        Some(Item::Ou {
            expanded: false,
            ..
        })
    ));
    assert!(app.pane(PaneId::Accounts).rows.len() < rows_before);
}

#[test]
fn filter_narrows_jumps_to_best_and_esc_restores() {
    let mut app = demo();
    press(&mut app, KeyCode::Char('/'));
    typed(&mut app, "payprod");
    assert_eq!(app.mode, Mode::Filter);
    let rows = &app.pane(PaneId::Accounts).rows;
    assert!(!rows.is_empty());
    assert!(
        rows.iter().all(|r| matches!(r.item, Item::Account { .. })),
        "flat accounts under a filter"
    );
    assert_eq!(selected_name(&app), "payments-prod");
    assert!(!rows[0].matched.is_empty());
    press(&mut app, KeyCode::Backspace);
    press(&mut app, KeyCode::Enter);
    assert_eq!(app.mode, Mode::Normal);
    assert_eq!(app.pane(PaneId::Accounts).filter, "paypro");
    press(&mut app, KeyCode::Esc);
    assert!(app.pane(PaneId::Accounts).filter.is_empty());
    assert!(
        matches!(app.pane(PaneId::Accounts).rows[0].item, Item::Ou { .. }),
        "the tree is back"
    );
}

#[test]
fn filter_matches_ids_and_keys_typed_are_text() {
    let mut app = demo();
    press(&mut app, KeyCode::Char('/'));
    // `q` and `j` are text while filtering, not quit and down.
    let id = app.dir.accounts.keys().next().cloned().expect("an account");
    assert!(press(&mut app, KeyCode::Char('q')).is_empty());
    press(&mut app, KeyCode::Backspace);
    typed(&mut app, &id);
    match app.selected() {
        Some(Item::Account { id: got, .. }) => assert_eq!(got, &id),
        other => panic!("expected the account, got {other:?}"),
    }
}

#[test]
fn unbound_key_says_so() {
    let mut app = demo();
    press(&mut app, KeyCode::Char('z'));
    let status = app.status.clone().expect("status");
    assert!(
        status.text.contains("'z' does nothing here"),
        "{}",
        status.text
    );
}

#[test]
fn help_opens_scrolls_and_closes() {
    let mut app = demo();
    press(&mut app, KeyCode::Char('?'));
    assert_eq!(app.mode, Mode::Help { scroll: 0 });
    press(&mut app, KeyCode::Char('j'));
    assert_eq!(app.mode, Mode::Help { scroll: 1 });
    // q closes help rather than quitting.
    assert!(press(&mut app, KeyCode::Char('q')).is_empty());
    assert_eq!(app.mode, Mode::Normal);
}

fn load(app: &mut App, generation: u64, event: LoadEvent) {
    app.update(Msg::Load(generation, Box::new(event)));
}

fn account(id: &str, name: &str) -> Account {
    Account {
        id: id.into(),
        name: name.into(),
        email: String::new(),
        status: AccountStatus::Active,
        parent_id: Some("r".into()),
    }
}

#[test]
fn panes_fill_as_data_arrives_and_stale_loads_are_ignored() {
    let mut app = App::new(Source::Live("demo".into()), false);
    assert_eq!(app.start(), vec![Effect::Load(1)]);
    assert!(app.load.running);
    load(
        &mut app,
        1,
        LoadEvent::Ous(vec![OrgUnit {
            id: "r".into(),
            name: "Root".into(),
            parent_id: None,
        }]),
    );
    load(&mut app, 1, LoadEvent::Accounts(vec![account("1", "one")]));
    app.prepare();
    assert_eq!(app.pane(PaneId::Accounts).rows.len(), 2);
    load(
        &mut app,
        0,
        LoadEvent::Accounts(vec![account("2", "stale")]),
    );
    app.prepare();
    assert_eq!(
        app.dir.accounts.len(),
        1,
        "events of an older load are dropped"
    );
    load(
        &mut app,
        1,
        LoadEvent::Finished(LoadSummary {
            strategy: None,
            elapsed: Duration::from_millis(1500),
            stats: Default::default(),
        }),
    );
    assert!(!app.load.running);
    assert!(
        app.status
            .as_ref()
            .is_some_and(|s| s.text.contains("loaded in 1.5 s"))
    );
}

#[test]
fn a_failed_reload_keeps_what_was_there() {
    let mut app = App::new(Source::Live("demo".into()), false);
    app.start();
    load(&mut app, 1, LoadEvent::Accounts(vec![account("1", "one")]));
    load(
        &mut app,
        1,
        LoadEvent::Finished(LoadSummary {
            strategy: None,
            elapsed: Duration::ZERO,
            stats: Default::default(),
        }),
    );
    let effects = app.update(Msg::Key(KeyEvent::new(
        KeyCode::Char('r'),
        KeyModifiers::CONTROL,
    )));
    assert_eq!(effects, vec![Effect::Load(2)]);
    // A second Ctrl-r while loading does not start another load.
    assert!(
        app.update(Msg::Key(KeyEvent::new(
            KeyCode::Char('r'),
            KeyModifiers::CONTROL
        )))
        .is_empty()
    );
    load(&mut app, 2, LoadEvent::Accounts(vec![account("2", "two")]));
    assert_eq!(
        app.dir.accounts.len(),
        1,
        "the reload is not shown half-done"
    );
    load(
        &mut app,
        2,
        LoadEvent::Error("loading users: throttled".into()),
    );
    load(
        &mut app,
        2,
        LoadEvent::Finished(LoadSummary {
            strategy: None,
            elapsed: Duration::ZERO,
            stats: Default::default(),
        }),
    );
    assert_eq!(app.dir.accounts.len(), 2, "kept the old and added the new");
    let status = app.status.clone().expect("status");
    assert_eq!(status.level, Level::Error);
    assert!(status.text.contains("Ctrl-r retries"), "{}", status.text);
}

#[test]
fn a_snapshot_has_nothing_to_refresh() {
    let mut app = App::with_directory(demo_organization(), Source::Snapshot("s.json".into()));
    assert!(app.start().is_empty());
    let effects = app.update(Msg::Key(KeyEvent::new(
        KeyCode::Char('r'),
        KeyModifiers::CONTROL,
    )));
    assert!(effects.is_empty());
    assert!(
        app.status
            .as_ref()
            .is_some_and(|s| s.text.contains("nothing to refresh"))
    );
}

#[test]
fn cursor_stays_on_its_item_while_rows_arrive() {
    let mut app = App::new(Source::Live("demo".into()), false);
    app.start();
    load(
        &mut app,
        1,
        LoadEvent::Ous(vec![OrgUnit {
            id: "r".into(),
            name: "Root".into(),
            parent_id: None,
        }]),
    );
    load(
        &mut app,
        1,
        LoadEvent::Accounts(vec![account("1", "m-account")]),
    );
    press(&mut app, KeyCode::Char('j'));
    assert_eq!(selected_name(&app), "m-account");
    load(
        &mut app,
        1,
        LoadEvent::Accounts(vec![account("2", "a-account")]),
    );
    app.prepare();
    assert_eq!(
        selected_name(&app),
        "m-account",
        "a row sorted above does not move the cursor off"
    );
}

fn live_demo() -> App {
    App::with_directory(demo_organization(), Source::Live("demo".into()))
}

#[test]
fn assign_from_a_group_stages_one_change_per_picked_account() {
    let mut app = live_demo();
    press(&mut app, KeyCode::Char('2'));
    press(&mut app, KeyCode::Char('/'));
    typed(&mut app, "BreakGlass");
    press(&mut app, KeyCode::Enter);
    press(&mut app, KeyCode::Char('a'));
    assert_eq!(app.mode, Mode::Picker);
    // Mark two accounts by name, then take them.
    for name in ["payments-prod", "log-archive"] {
        typed(&mut app, name);
        press(&mut app, KeyCode::Char(' '));
        for _ in 0..name.len() {
            press(&mut app, KeyCode::Backspace);
        }
    }
    assert_eq!(app.picker.as_ref().map(|p| p.marked.len()), Some(2));
    press(&mut app, KeyCode::Enter);
    assert_eq!(app.mode, Mode::Picker, "now the permission set picker");
    typed(&mut app, "ViewOnly");
    let effects = press(&mut app, KeyCode::Enter);
    assert_eq!(app.mode, Mode::Normal);
    assert_eq!(app.plan.staged().count(), 2);
    assert!(
        effects
            .iter()
            .any(|e| matches!(e, Effect::SavePlan { plan, .. } if plan.staged().count() == 2)),
        "{effects:?}"
    );
    assert!(
        app.status
            .as_ref()
            .is_some_and(|s| s.text.starts_with("staged 2 changes"))
    );
}

#[test]
fn staging_what_exists_is_refused_and_said() {
    let mut app = live_demo();
    let existing = app
        .dir
        .assignments
        .iter()
        .find(|a| a.principal_type == crate::model::PrincipalType::Group)
        .cloned()
        .expect("one");
    let effects = app.stage_all(vec![crate::plan::Change::Assign(existing)]);
    assert_eq!(app.plan.staged().count(), 0);
    assert!(
        app.status
            .as_ref()
            .is_some_and(|s| s.text.contains("1 already true in AWS")),
        "{:?}",
        app.status
    );
    assert!(matches!(effects.as_slice(), [Effect::SavePlan { .. }]));
}

#[test]
fn apply_asks_naming_removals_and_admin_grants() {
    let mut app = live_demo();
    let admin_arn = app
        .dir
        .permission_sets
        .values()
        .find(|p| p.name == "AdministratorAccess")
        .map(|p| p.arn.clone())
        .expect("admin");
    let existing = app.dir.assignments.iter().next().cloned().expect("one");
    let account = app
        .dir
        .accounts
        .keys()
        .find(|id| {
            !app.dir.assignments.iter().any(|a| {
                &a.account_id == *id
                    && a.permission_set_arn == admin_arn
                    && a.principal_id == "u-new"
            })
        })
        .cloned()
        .expect("an account");
    let user = app.dir.users.keys().next().cloned().expect("a user");
    app.stage_all(vec![
        crate::plan::Change::Unassign(existing),
        crate::plan::Change::Assign(crate::model::Assignment {
            account_id: account,
            permission_set_arn: admin_arn,
            principal_type: crate::model::PrincipalType::User,
            principal_id: user,
        }),
    ]);
    press(&mut app, KeyCode::Char('p'));
    press(&mut app, KeyCode::Char('y'));
    let Mode::Confirm(confirm) = app.mode.clone() else {
        panic!("expected a question: {:?}", app.mode)
    };
    assert!(
        confirm.lines.iter().any(|l| l == "Removes 1:"),
        "{confirm:?}"
    );
    assert!(
        confirm
            .lines
            .iter()
            .any(|l| l == "Grants administrator access 1 times:"),
        "{confirm:?}"
    );
    // Esc goes back to the plan; nothing was sent.
    assert!(press(&mut app, KeyCode::Esc).is_empty());
    assert!(matches!(app.mode, Mode::Plan { .. }));
    press(&mut app, KeyCode::Char('y'));
    let effects = press(&mut app, KeyCode::Char('y'));
    let Some(Effect::Apply { items, .. }) = effects.first() else {
        panic!("expected Apply: {effects:?}")
    };
    assert_eq!(items.len(), 2);
    assert!(
        app.plan
            .items
            .iter()
            .all(|i| i.status == crate::plan::ItemStatus::Queued)
    );
}

#[test]
fn drop_removes_a_staged_item_from_the_plan() {
    let mut app = live_demo();
    press(&mut app, KeyCode::Char('2'));
    press(&mut app, KeyCode::Char('a'));
    press(&mut app, KeyCode::Enter);
    press(&mut app, KeyCode::Enter);
    let staged = app.plan.staged().count();
    assert!(staged >= 1, "{:?}", app.status);
    press(&mut app, KeyCode::Char('p'));
    let effects = press(&mut app, KeyCode::Char('d'));
    assert_eq!(app.plan.staged().count(), staged - 1);
    assert!(matches!(effects.as_slice(), [Effect::SavePlan { .. }]));
}

#[test]
fn keys_that_change_aws_explain_themselves_when_read_only() {
    let mut app = App::with_directory(demo_organization(), Source::Snapshot("s.json".into()));
    for key in ['2', 'a', 'u', 'p', 'y'] {
        press(&mut app, KeyCode::Char(key));
    }
    assert!(app.picker.is_none());
    assert!(
        app.status
            .as_ref()
            .is_some_and(|s| s.text.contains("a snapshot is read-only")),
        "{:?}",
        app.status
    );
}

#[test]
fn membership_changes_of_idp_groups_warn_before_applying() {
    let mut app = live_demo();
    let group = app
        .dir
        .groups
        .values()
        .find(|g| !g.external_ids.is_empty())
        .cloned()
        .expect("an IdP group");
    let outsider = app
        .dir
        .users
        .values()
        .find(|u| {
            !app.dir
                .memberships
                .contains_key(&(group.id.clone(), u.id.clone()))
        })
        .cloned()
        .expect("a user outside it");
    press(&mut app, KeyCode::Char('2'));
    press(&mut app, KeyCode::Char('/'));
    typed(&mut app, &group.display_name);
    press(&mut app, KeyCode::Enter);
    press(&mut app, KeyCode::Char('m'));
    assert_eq!(app.mode, Mode::Picker);
    typed(&mut app, &outsider.user_name);
    press(&mut app, KeyCode::Enter);
    let staged: Vec<_> = app.plan.staged().map(|i| i.change.clone()).collect();
    assert_eq!(
        staged,
        vec![crate::plan::Change::AddMember {
            group_id: group.id.clone(),
            user_id: outsider.id.clone()
        }]
    );
    press(&mut app, KeyCode::Char('p'));
    press(&mut app, KeyCode::Char('y'));
    let Mode::Confirm(confirm) = app.mode.clone() else {
        panic!("expected a question")
    };
    assert!(
        confirm
            .lines
            .iter()
            .any(|l| l.contains("its next sync may undo")),
        "{confirm:?}"
    );
}

#[test]
fn w_opens_who_can_reach_an_account_and_exports_what_is_shown() {
    let mut app = live_demo();
    press(&mut app, KeyCode::Char('/'));
    typed(&mut app, "payments-prod");
    press(&mut app, KeyCode::Enter);
    press(&mut app, KeyCode::Char('w'));
    assert_eq!(app.mode, Mode::Access);
    let view = app.access.as_ref().expect("a view");
    assert!(view.title().contains("payments-prod"), "{}", view.title());
    press(&mut app, KeyCode::Char('/'));
    typed(&mut app, "AdministratorAccess");
    press(&mut app, KeyCode::Enter);
    let effects = press(&mut app, KeyCode::Char('e'));
    let Some(Effect::WriteFile { path, contents }) = effects.first() else {
        panic!("{effects:?}")
    };
    assert!(path.ends_with(".csv"), "{path}");
    let mut lines = contents.lines();
    assert_eq!(
        lines.next(),
        Some("user_name,user_id,account_id,account_name,permission_set,via")
    );
    assert!(lines.all(|l| l.contains(",payments-prod,")), "{contents}");
    // Esc clears the filter first, then closes.
    press(&mut app, KeyCode::Esc);
    assert_eq!(app.mode, Mode::Access);
    press(&mut app, KeyCode::Esc);
    assert_eq!(app.mode, Mode::Normal);
    assert!(app.access.is_none());
}

/// Selects the permission set `name` in the Permission sets pane.
fn select_permission_set(app: &mut App, name: &str) -> String {
    press(app, KeyCode::Char('4'));
    press(app, KeyCode::Esc);
    press(app, KeyCode::Char('/'));
    typed(app, name);
    press(app, KeyCode::Enter);
    app.prepare();
    match app.selected() {
        Some(Item::PermissionSet(arn)) => arn.clone(),
        other => panic!("{other:?}"),
    }
}

fn status_text(app: &App) -> String {
    app.status
        .as_ref()
        .map(|s| s.text.clone())
        .unwrap_or_default()
}

#[test]
fn deleting_a_set_in_use_is_refused_naming_where() {
    let mut app = live_demo();
    let (name, arn) = app
        .dir
        .permission_sets
        .values()
        .map(|p| {
            let accounts: std::collections::BTreeSet<&str> = app
                .dir
                .assignments
                .iter()
                .filter(|a| a.permission_set_arn == p.arn)
                .map(|a| a.account_id.as_str())
                .collect();
            (accounts.len(), p.name.clone(), p.arn.clone())
        })
        .filter(|(n, _, _)| *n > 3)
        .map(|(_, name, arn)| (name, arn))
        .next()
        .expect("a set assigned on more than 3 accounts");
    assert_eq!(select_permission_set(&mut app, &name), arn);
    press(&mut app, KeyCode::Char('X'));
    assert_eq!(app.mode, Mode::Normal);
    let text = status_text(&app);
    assert!(
        text.contains(&format!("{name} is still assigned on")) && text.ends_with("(Matrix, x)"),
        "{text}"
    );
    assert!(text.contains(", …"), "{text}");
    assert_eq!(app.plan.staged().count(), 0);

    // An unassigned set with a staged change in the plan is refused too.
    let unused = (
        "Unused".to_string(),
        "arn:aws:sso:::permissionSet/ssoins-x/ps-unused".to_string(),
    );
    app.dir.add_permission_sets([crate::model::PermissionSet {
        arn: unused.1.clone(),
        name: unused.0.clone(),
        session_duration: Some("PT1H".into()),
        provisioned_accounts: vec!["111111111111".into()],
        ..Default::default()
    }]);
    app.stale = true;
    app.stage_all(vec![crate::plan::Change::Provision {
        permission_set_arn: unused.1.clone(),
    }]);
    assert_eq!(app.plan.staged().count(), 1);
    select_permission_set(&mut app, &unused.0);
    press(&mut app, KeyCode::Char('X'));
    assert!(
        status_text(&app).contains("used by 1 change in the plan"),
        "{:?}",
        app.status
    );
    // Dropped from the plan, the deletion is asked, then staged.
    app.plan = crate::plan::Plan::default();
    press(&mut app, KeyCode::Char('X'));
    assert!(matches!(app.mode, Mode::Confirm(_)), "{:?}", app.status);
    press(&mut app, KeyCode::Char('y'));
    assert_eq!(
        app.plan
            .staged()
            .map(|i| i.change.clone())
            .collect::<Vec<_>>(),
        vec![crate::plan::Change::DeletePermissionSet {
            permission_set_arn: unused.1
        }]
    );
}

#[test]
fn a_no_op_edit_is_refused_and_the_form_stays_open() {
    let mut app = live_demo();
    let arn = select_permission_set(&mut app, "ReadOnlyAccess");
    press(&mut app, KeyCode::Char('e'));
    assert_eq!(app.mode, Mode::Form);
    let form = app.form.as_ref().expect("open");
    assert!(form.is_editing());
    assert_eq!(form.name, app.dir.permission_sets[&arn].name);
    app.update(Msg::Key(KeyEvent::new(
        KeyCode::Char('s'),
        KeyModifiers::CONTROL,
    )));
    assert_eq!(app.mode, Mode::Form);
    assert!(
        status_text(&app).contains("nothing changed"),
        "{:?}",
        app.status
    );
    assert_eq!(app.plan.staged().count(), 0);
    press(&mut app, KeyCode::Esc);
    assert_eq!(app.mode, Mode::Normal);
}

#[test]
fn edit_detach_and_delete_are_refused_when_read_only() {
    let mut app = App::with_directory(demo_organization(), Source::Snapshot("s.json".into()));
    for key in ['e', 'D', 'X'] {
        select_permission_set(&mut app, "ReadOnlyAccess");
        press(&mut app, KeyCode::Char(key));
        assert_eq!(app.mode, Mode::Normal);
        assert!(
            status_text(&app).contains("is disabled: a snapshot is read-only"),
            "{key}: {:?}",
            app.status
        );
    }
}

#[test]
fn an_untouched_cursor_stays_on_the_first_row_while_rows_arrive() {
    let mut app = App::new(Source::Live("demo".into()), false);
    app.start();
    load(
        &mut app,
        1,
        LoadEvent::Ous(vec![OrgUnit {
            id: "r".into(),
            name: "Root".into(),
            parent_id: None,
        }]),
    );
    app.update(Msg::Key(KeyEvent::new(
        KeyCode::Char('2'),
        KeyModifiers::NONE,
    )));
    load(
        &mut app,
        1,
        LoadEvent::Groups(vec![crate::model::Group {
            id: "g2".into(),
            display_name: "zeta".into(),
            description: None,
            external_ids: vec![],
        }]),
    );
    app.prepare();
    load(
        &mut app,
        1,
        LoadEvent::Groups(vec![crate::model::Group {
            id: "g1".into(),
            display_name: "alpha".into(),
            description: None,
            external_ids: vec![],
        }]),
    );
    app.prepare();
    assert_eq!(
        selected_name(&app),
        "alpha",
        "the first row, not the first group that arrived"
    );
}
