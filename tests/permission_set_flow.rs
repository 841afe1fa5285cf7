//! Permission sets through the whole app against the demo backend: a new set from the form,
//! a managed policy attached from the picker, provisioning followed from IN_PROGRESS to its
//! end, a provisioning that fails because the set was deleted meanwhile, and editing,
//! detaching and deleting.

#![allow(clippy::unwrap_used)]

mod support;

use std::sync::Arc;
use std::time::Duration;

use crossterm::event::{KeyCode, KeyModifiers};
use idc::app::{Item, Mode};
use idc::backend::Backend;
use idc::backend::demo::{DemoBackend, DemoOptions, demo_organization};
use idc::plan::store::Store;
use idc::plan::{Change, ItemStatus};
use support::driver::{Driver, options};

const EC2_READ: &str = "arn:aws:iam::aws:policy/AmazonEC2ReadOnlyAccess";

fn demo() -> Arc<DemoBackend> {
    Arc::new(DemoBackend::new(
        demo_organization(),
        DemoOptions {
            latency: Duration::ZERO,
            completion: Duration::from_millis(300),
            ..DemoOptions::default()
        },
    ))
}

/// Selects the permission set named `name` in the Permission sets pane.
fn select_set(d: &mut Driver, name: &str) -> String {
    d.keys(&format!("\x1b4\x1b/{name}\n"));
    d.app.prepare();
    match d.app.selected() {
        Some(Item::PermissionSet(arn)) => {
            assert_eq!(d.app.dir.permission_sets[arn].name, name);
            arn.clone()
        }
        other => panic!("expected {name} selected, got {other:?}"),
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn create_attach_and_provision_with_keys() {
    let state = tempfile::tempdir().unwrap();
    let backend = demo();
    let mut d = Driver::start(backend.clone(), options(state.path())).await;
    let instance = d.app.dir.instance.clone().unwrap();

    // n: the form. Name, Tab, description, Tab, the duration (PT1H is first), Ctrl-s.
    d.keys("4n");
    assert_eq!(d.app.mode, Mode::Form);
    d.keys("ReadOnlyEC2\tEC2 read only\t");
    d.key(KeyCode::Char('s'), KeyModifiers::CONTROL);
    assert_eq!(d.app.mode, Mode::Normal, "{:?}", d.app.form);
    let staged: Vec<Change> = d.app.plan.staged().map(|i| i.change.clone()).collect();
    let [Change::CreatePermissionSet(spec)] = staged.as_slice() else {
        panic!("{staged:?}");
    };
    assert_eq!(spec.name, "ReadOnlyEC2");
    assert_eq!(spec.session_duration, "PT1H");
    assert_eq!(spec.description.as_deref(), Some("EC2 read only"));
    // The plan, with the change, is saved as JSON.
    let store = Store::new(state.path(), &instance.instance_arn);
    assert_eq!(store.load_plan().unwrap().staged().count(), 1);

    d.keys("pyy");
    d.until_applied().await;
    d.assert_all_succeeded();
    let ItemStatus::Succeeded { request_id: arn } = &d.app.plan.items[0].status else {
        unreachable!()
    };
    let arn = arn.clone();
    let truth = backend.directory();
    assert_eq!(truth.permission_sets[&arn].name, "ReadOnlyEC2");
    assert_eq!(
        truth.permission_sets[&arn].session_duration.as_deref(),
        Some("PT1H")
    );
    // The app shows it with the ARN AWS gave, without a reload.
    assert_eq!(d.app.dir.permission_sets[&arn].name, "ReadOnlyEC2");

    // A: the managed policy picker; the filter finds AmazonEC2ReadOnlyAccess.
    assert_eq!(select_set(&mut d, "ReadOnlyEC2"), arn);
    d.keys("A");
    assert_eq!(d.app.mode, Mode::Picker);
    d.keys("AmazonEC2ReadOnlyAccess\n");
    assert_eq!(
        d.app
            .plan
            .staged()
            .map(|i| i.change.clone())
            .collect::<Vec<_>>(),
        vec![Change::AttachManagedPolicy {
            permission_set_arn: arn.clone(),
            policy_arn: EC2_READ.to_string(),
        }]
    );
    d.keys("pyy");
    d.until(|app| app.plan.items.iter().all(|i| i.status.is_final()) && !app.plan.running())
        .await;
    d.assert_all_succeeded();
    let has_ec2 = |dir: &idc::model::Directory| {
        dir.permission_sets[&arn]
            .managed_policies
            .iter()
            .any(|p| p.arn == EC2_READ && p.name == "AmazonEC2ReadOnlyAccess")
    };
    assert!(has_ec2(&backend.directory()));
    assert!(has_ec2(&d.app.dir));
    // Attaching it again is refused: the picker no longer offers it, and a typed ARN is
    // already true.
    d.keys(&format!("A{EC2_READ}\n"));
    assert_eq!(d.app.plan.staged().count(), 0, "{:?}", d.app.status);

    // A set provisioned to accounts: after an attach, they are outdated and P is offered.
    let (target, accounts) = d
        .app
        .dir
        .permission_sets
        .values()
        .filter(|p| !p.provisioned_accounts.is_empty())
        .filter(|p| {
            !p.managed_policies
                .iter()
                .any(|m| m.arn.ends_with("/SecurityAudit"))
        })
        .map(|p| (p.name.clone(), p.provisioned_accounts.len()))
        .next()
        .unwrap();
    let target_arn = select_set(&mut d, &target);
    d.keys("ASecurityAudit\n");
    assert_eq!(d.app.plan.staged().count(), 1, "{:?}", d.app.status);
    d.keys("pyy");
    d.until(|app| !app.plan.running() && app.plan.items.iter().all(|i| i.status.is_final()))
        .await;
    d.until(|app| {
        app.status.as_ref().is_some_and(|s| {
            s.text
                .contains("P in the Permission sets pane re-provisions")
        })
    })
    .await;
    assert_eq!(
        backend.directory().permission_sets[&target_arn]
            .outdated_accounts
            .len(),
        accounts
    );
    assert_eq!(
        d.app.dir.permission_sets[&target_arn]
            .outdated_accounts
            .len(),
        accounts
    );

    // P stages the provisioning; it is IN_PROGRESS, then SUCCEEDED, and nothing is outdated.
    select_set(&mut d, &target);
    d.keys("P");
    assert_eq!(
        d.app
            .plan
            .staged()
            .map(|i| i.change.clone())
            .collect::<Vec<_>>(),
        vec![Change::Provision {
            permission_set_arn: target_arn.clone()
        }]
    );
    d.keys("pyy");
    d.until(|app| {
        app.plan
            .items
            .iter()
            .any(|i| matches!(i.status, ItemStatus::InProgress { .. }))
    })
    .await;
    d.until_applied().await;
    d.assert_all_succeeded();
    assert!(
        backend.directory().permission_sets[&target_arn]
            .outdated_accounts
            .is_empty()
    );
    assert!(
        d.app.dir.permission_sets[&target_arn]
            .outdated_accounts
            .is_empty()
    );
    // The provisioning is the last batch of the journal; undo leaves it as it is and says so.
    let batch = store.last_batch().unwrap();
    assert_eq!(batch.len(), 1);
    assert!(batch[0].succeeded());
    d.keys("\x1bu");
    d.until(|app| {
        app.status
            .as_ref()
            .is_some_and(|s| s.text.contains("cannot be undone"))
    })
    .await;
    assert_eq!(d.app.plan.staged().count(), 0);
}

#[tokio::test(flavor = "multi_thread")]
async fn provisioning_fails_when_the_set_is_deleted_meanwhile() {
    let state = tempfile::tempdir().unwrap();
    let backend = demo();
    let mut d = Driver::start(backend.clone(), options(state.path())).await;
    let instance = d.app.dir.instance.clone().unwrap().instance_arn;
    let ps = d
        .app
        .dir
        .permission_sets
        .values()
        .filter(|p| !p.provisioned_accounts.is_empty())
        .min_by_key(|p| {
            d.app
                .dir
                .assignments
                .iter()
                .filter(|a| a.permission_set_arn == p.arn)
                .count()
        })
        .cloned()
        .unwrap();
    // Someone else removes its assignments (so that it can be deleted) behind idc's back.
    let assigned: Vec<_> = d
        .app
        .dir
        .assignments
        .iter()
        .filter(|a| a.permission_set_arn == ps.arn)
        .cloned()
        .collect();
    for a in &assigned {
        backend.delete_assignment(&instance, a).await.unwrap();
    }
    let deadline = tokio::time::Instant::now() + Duration::from_secs(10);
    while backend
        .directory()
        .assignments
        .iter()
        .any(|a| a.permission_set_arn == ps.arn)
    {
        assert!(tokio::time::Instant::now() < deadline);
        tokio::time::sleep(Duration::from_millis(50)).await;
    }

    select_set(&mut d, &ps.name);
    d.keys("Ppyy");
    d.until(|app| {
        app.plan
            .items
            .iter()
            .any(|i| matches!(i.status, ItemStatus::InProgress { .. }))
    })
    .await;
    backend
        .delete_permission_set(&instance, &ps.arn)
        .await
        .unwrap();
    d.until_applied().await;
    let ItemStatus::Failed(reason) = &d.app.plan.items[0].status else {
        panic!("{:?}", d.app.plan.items);
    };
    assert!(reason.contains("was deleted"), "{reason}");
    assert!(
        d.app
            .status
            .as_ref()
            .is_some_and(|s| s.text.contains("1 failed"))
    );
}

fn finished(app: &idc::app::App) -> bool {
    !app.plan.running() && app.plan.items.iter().all(|i| i.status.is_final())
}

fn backspaces(d: &mut Driver, n: usize) {
    for _ in 0..n {
        d.key(KeyCode::Backspace, KeyModifiers::NONE);
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn edit_detach_and_delete_with_keys() {
    let state = tempfile::tempdir().unwrap();
    let backend = demo();
    let mut d = Driver::start(backend.clone(), options(state.path())).await;
    let instance = d.app.dir.instance.clone().unwrap();
    let store = Store::new(state.path(), &instance.instance_arn);

    // e on a provisioned set: the form comes filled; a new description and the next duration.
    let target = d
        .app
        .dir
        .permission_sets
        .values()
        .find(|p| !p.provisioned_accounts.is_empty() && !p.managed_policies.is_empty())
        .cloned()
        .unwrap();
    let arn = select_set(&mut d, &target.name);
    d.keys("e");
    assert_eq!(d.app.mode, Mode::Form);
    let form = d.app.form.as_ref().unwrap();
    assert!(form.is_editing());
    assert_eq!(Some(&form.description), target.description.as_ref());
    // Saving it unchanged is refused, and the form stays open.
    d.key(KeyCode::Char('s'), KeyModifiers::CONTROL);
    assert_eq!(d.app.mode, Mode::Form);
    assert!(
        d.app
            .status
            .as_ref()
            .is_some_and(|s| s.text.contains("nothing changed")),
        "{:?}",
        d.app.status
    );
    backspaces(
        &mut d,
        target.description.as_ref().map_or(0, |s| s.chars().count()),
    );
    d.keys("Edited by idc\t ");
    d.key(KeyCode::Char('s'), KeyModifiers::CONTROL);
    assert_eq!(d.app.mode, Mode::Normal, "{:?}", d.app.form);
    let staged: Vec<Change> = d.app.plan.staged().map(|i| i.change.clone()).collect();
    let [
        Change::UpdatePermissionSet {
            permission_set_arn,
            spec,
        },
    ] = staged.as_slice()
    else {
        panic!("{staged:?}");
    };
    assert_eq!(permission_set_arn, &arn);
    assert_eq!(spec.name, target.name);
    assert_eq!(spec.description.as_deref(), Some("Edited by idc"));
    assert_ne!(
        Some(&spec.session_duration),
        target.session_duration.as_ref()
    );
    let duration = spec.session_duration.clone();
    assert_eq!(store.load_plan().unwrap().staged().count(), 1);

    d.keys("pyy");
    d.until(finished).await;
    d.assert_all_succeeded();
    d.until(|app| {
        app.status.as_ref().is_some_and(|s| {
            s.text
                .contains("P in the Permission sets pane re-provisions")
        })
    })
    .await;
    let truth = backend.directory().permission_sets[&arn].clone();
    assert_eq!(truth.description.as_deref(), Some("Edited by idc"));
    assert_eq!(truth.session_duration.as_deref(), Some(duration.as_str()));
    let shown = &d.app.dir.permission_sets[&arn];
    assert_eq!(shown.description.as_deref(), Some("Edited by idc"));
    assert_eq!(
        shown.outdated_accounts.len(),
        target.provisioned_accounts.len()
    );
    let batch = store.last_batch().unwrap();
    assert_eq!(
        batch[0].permission_set_name.as_deref(),
        Some(target.name.as_str())
    );

    // P clears them.
    select_set(&mut d, &target.name);
    d.keys("Ppyy");
    d.until_applied().await;
    d.assert_all_succeeded();
    assert!(d.app.dir.permission_sets[&arn].outdated_accounts.is_empty());
    assert!(
        backend.directory().permission_sets[&arn]
            .outdated_accounts
            .is_empty()
    );

    // D: the attached policies, Enter takes the first, y stages it; applied, P is offered.
    let policy = target.managed_policies[0].arn.clone();
    select_set(&mut d, &target.name);
    d.keys("D");
    assert_eq!(d.app.mode, Mode::Picker);
    assert_eq!(
        d.app.picker.as_ref().unwrap().items.len(),
        target.managed_policies.len()
    );
    d.keys("\n");
    assert!(matches!(d.app.mode, Mode::Confirm(_)), "{:?}", d.app.mode);
    d.keys("y");
    assert_eq!(
        d.app
            .plan
            .staged()
            .map(|i| i.change.clone())
            .collect::<Vec<_>>(),
        vec![Change::DetachManagedPolicy {
            permission_set_arn: arn.clone(),
            policy_arn: policy.clone(),
        }]
    );
    d.keys("pyy");
    d.until(finished).await;
    d.assert_all_succeeded();
    d.until(|app| {
        app.status
            .as_ref()
            .is_some_and(|s| s.text.contains("P in the Permission sets pane"))
    })
    .await;
    let attached = |dir: &idc::model::Directory| {
        dir.permission_sets[&arn]
            .managed_policies
            .iter()
            .any(|m| m.arn == policy)
    };
    assert!(!attached(&backend.directory()));
    assert!(!attached(&d.app.dir));
    assert!(!d.app.dir.permission_sets[&arn].outdated_accounts.is_empty());

    // X on an assigned set: refused, naming where it is used.
    select_set(&mut d, &target.name);
    d.keys("X");
    assert_eq!(d.app.mode, Mode::Normal);
    assert!(
        d.app
            .status
            .as_ref()
            .is_some_and(|s| s.text.contains("is still assigned on")),
        "{:?}",
        d.app.status
    );
    assert_eq!(d.app.plan.staged().count(), 0);

    // A new, unassigned set: X asks, then the deletion is applied and it leaves the pane.
    d.keys("\x1bn");
    d.keys("Disposable\t\t");
    d.key(KeyCode::Char('s'), KeyModifiers::CONTROL);
    d.keys("pyy");
    d.until_applied().await;
    d.assert_all_succeeded();
    let ItemStatus::Succeeded {
        request_id: new_arn,
    } = d.app.plan.items[0].status.clone()
    else {
        unreachable!()
    };
    select_set(&mut d, "Disposable");
    d.keys("X");
    assert!(matches!(d.app.mode, Mode::Confirm(_)), "{:?}", d.app.status);
    d.keys("y");
    assert_eq!(
        d.app
            .plan
            .staged()
            .map(|i| i.change.clone())
            .collect::<Vec<_>>(),
        vec![Change::DeletePermissionSet {
            permission_set_arn: new_arn.clone()
        }]
    );
    d.keys("pyy");
    d.until_applied().await;
    d.assert_all_succeeded();
    assert!(!backend.directory().permission_sets.contains_key(&new_arn));
    assert!(!d.app.dir.permission_sets.contains_key(&new_arn));
    d.app.prepare();
    assert!(
        !d.app
            .pane(idc::app::PaneId::PermissionSets)
            .rows
            .iter()
            .any(|r| r.item == Item::PermissionSet(new_arn.clone()))
    );
    // The journal names it, and undo says it cannot be undone.
    let batch = store.last_batch().unwrap();
    assert_eq!(batch[0].permission_set_name.as_deref(), Some("Disposable"));
    d.keys("\x1bu");
    d.until(|app| {
        app.status
            .as_ref()
            .is_some_and(|s| s.text.contains("cannot be undone"))
    })
    .await;
    assert_eq!(d.app.plan.staged().count(), 0);
}

/// An editor that answers whatever the test put in `next` (and keeps what it was shown).
fn scripted_editor(
    state: &std::path::Path,
) -> (
    idc::runtime::Options,
    Arc<std::sync::Mutex<String>>,
    Arc<std::sync::Mutex<String>>,
) {
    let next = Arc::new(std::sync::Mutex::new(String::new()));
    let shown = Arc::new(std::sync::Mutex::new(String::new()));
    let (n, s) = (Arc::clone(&next), Arc::clone(&shown));
    let mut opts = options(state);
    opts.editor = Some(idc::runtime::EditorHook::new(move |text| {
        *s.lock().unwrap() = text.to_string();
        Ok(n.lock().unwrap().clone())
    }));
    (opts, next, shown)
}

#[tokio::test(flavor = "multi_thread")]
async fn inline_policy_edited_staged_and_applied() {
    let state = tempfile::tempdir().unwrap();
    let backend = demo();
    let (opts, next, shown) = scripted_editor(state.path());
    let mut d = Driver::start(backend.clone(), opts).await;
    let target = d
        .app
        .dir
        .permission_sets
        .values()
        .find(|p| !p.provisioned_accounts.is_empty())
        .cloned()
        .unwrap();
    let arn = select_set(&mut d, &target.name);
    let status = |d: &Driver| d.app.status.clone().map(|s| s.text).unwrap_or_default();

    // Bad JSON: the position is named and nothing is staged.
    *next.lock().unwrap() = "{\n  \"Statement\": [,]\n}".to_string();
    d.keys("I");
    assert!(status(&d).contains("line 2, column"), "{}", status(&d));
    assert!(d.app.plan.is_empty());
    // The editor was shown the current policy pretty-printed, or the starter.
    assert!(shown.lock().unwrap().contains("\"Statement\""));

    // No "Statement": refused too.
    *next.lock().unwrap() = r#"{"Version": "2012-10-17"}"#.to_string();
    d.keys("I");
    assert!(status(&d).contains("no \"Statement\""), "{}", status(&d));
    assert!(d.app.plan.is_empty());

    // Unchanged: nothing staged.
    *next.lock().unwrap() = shown.lock().unwrap().clone();
    d.keys("I");
    assert!(status(&d).contains("nothing changed"), "{}", status(&d));
    assert!(d.app.plan.is_empty());

    // A new policy: staged minified, applied, the directory holds it and the accounts are
    // outdated, and P is offered.
    *next.lock().unwrap() = "{\n  \"Version\": \"2012-10-17\",\n  \"Statement\": [\n    {\"Effect\": \"Allow\", \"Action\": \"s3:ListAllMyBuckets\", \"Resource\": \"*\"}\n  ]\n}\n".to_string();
    let policy = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:ListAllMyBuckets","Resource":"*"}]}"#;
    d.keys("I");
    assert_eq!(
        d.app
            .plan
            .staged()
            .map(|i| i.change.clone())
            .collect::<Vec<_>>(),
        vec![Change::PutInlinePolicy {
            permission_set_arn: arn.clone(),
            policy: Some(policy.to_string()),
        }],
        "{}",
        status(&d)
    );
    d.keys("pyy");
    d.until(finished).await;
    d.assert_all_succeeded();
    d.until(|app| {
        app.status.as_ref().is_some_and(|s| {
            s.text
                .contains("P in the Permission sets pane re-provisions")
        })
    })
    .await;
    assert_eq!(
        backend.directory().permission_sets[&arn]
            .inline_policy
            .as_deref(),
        Some(policy)
    );
    let shown_set = &d.app.dir.permission_sets[&arn];
    assert_eq!(shown_set.inline_policy.as_deref(), Some(policy));
    assert_eq!(
        shown_set.outdated_accounts.len(),
        target.provisioned_accounts.len()
    );

    // An emptied file asks, then stages the deletion.
    select_set(&mut d, &target.name);
    *next.lock().unwrap() = "\n".to_string();
    d.keys("I");
    assert!(matches!(d.app.mode, Mode::Confirm(_)), "{:?}", d.app.mode);
    d.keys("y");
    assert_eq!(
        d.app
            .plan
            .staged()
            .map(|i| i.change.clone())
            .collect::<Vec<_>>(),
        vec![Change::PutInlinePolicy {
            permission_set_arn: arn.clone(),
            policy: None,
        }]
    );
    d.keys("pyy");
    d.until_applied().await;
    d.assert_all_succeeded();
    assert_eq!(
        backend.directory().permission_sets[&arn].inline_policy,
        None
    );
    assert_eq!(d.app.dir.permission_sets[&arn].inline_policy, None);
}

#[tokio::test(flavor = "multi_thread")]
async fn inline_policy_needs_a_terminal_and_write_access() {
    let state = tempfile::tempdir().unwrap();
    // No editor hook: the runtime says so, and nothing is staged.
    let mut d = Driver::start(demo(), options(state.path())).await;
    let name = d
        .app
        .dir
        .permission_sets
        .values()
        .next()
        .unwrap()
        .name
        .clone();
    select_set(&mut d, &name);
    d.keys("I");
    let text = d.app.status.clone().unwrap().text;
    assert!(text.contains("needs the terminal"), "{text}");
    assert!(d.app.plan.is_empty());
    // --read-only refuses the key before any editor opens.
    d.app.read_only = true;
    d.keys("I");
    let text = d.app.status.clone().unwrap().text;
    assert!(text.contains("--read-only"), "{text}");
    assert!(d.app.plan.is_empty());
}

#[tokio::test(flavor = "multi_thread")]
async fn customer_managed_policy_attached_and_detached_with_keys() {
    let state = tempfile::tempdir().unwrap();
    let backend = demo();
    let mut d = Driver::start(backend.clone(), options(state.path())).await;
    let instance = d.app.dir.instance.clone().unwrap();
    let target = d
        .app
        .dir
        .permission_sets
        .values()
        .find(|p| !p.provisioned_accounts.is_empty())
        .cloned()
        .unwrap();
    let arn = select_set(&mut d, &target.name);

    // C: bad input is named and nothing is staged.
    d.keys("C");
    assert_eq!(d.app.mode, Mode::Picker);
    d.keys("ops/IdcTestRef\n");
    assert_eq!(d.app.plan.staged().count(), 0);
    assert!(
        d.app
            .status
            .as_ref()
            .is_some_and(|s| s.text.contains("must start and end with /")),
        "{:?}",
        d.app.status
    );
    select_set(&mut d, &target.name);
    d.keys("C");
    d.keys("Bad!Name\n");
    assert_eq!(d.app.plan.staged().count(), 0);
    assert!(
        d.app
            .status
            .as_ref()
            .is_some_and(|s| s.text.contains("policy name")),
        "{:?}",
        d.app.status
    );

    // C with /path/NAME: staged, applied, shown; the set is outdated and P is offered.
    select_set(&mut d, &target.name);
    d.keys("C/ops/IdcTestRef\n");
    let attach = Change::AttachCustomerPolicy {
        permission_set_arn: arn.clone(),
        name: "IdcTestRef".into(),
        path: "/ops/".into(),
    };
    assert_eq!(
        d.app
            .plan
            .staged()
            .map(|i| i.change.clone())
            .collect::<Vec<_>>(),
        vec![attach.clone()],
        "{:?}",
        d.app.status
    );
    d.keys("pyy");
    d.until(finished).await;
    d.assert_all_succeeded();
    d.until(|app| {
        app.status
            .as_ref()
            .is_some_and(|s| s.text.contains("P in the Permission sets pane"))
    })
    .await;
    let held = |dir: &idc::model::Directory| {
        dir.permission_sets[&arn]
            .customer_managed_policies
            .iter()
            .any(|c| c.name == "IdcTestRef" && c.path == "/ops/")
    };
    assert!(held(&backend.directory()));
    assert!(held(&d.app.dir));
    assert!(!d.app.dir.permission_sets[&arn].outdated_accounts.is_empty());
    assert!(
        !backend.directory().permission_sets[&arn]
            .outdated_accounts
            .is_empty()
    );
    // Attaching it again: already true, nothing staged; the demo answers a duplicate with a
    // conflict.
    select_set(&mut d, &target.name);
    d.keys("C/ops/IdcTestRef\n");
    assert_eq!(d.app.plan.staged().count(), 0);
    let err = backend
        .attach_customer_managed_policy(&instance.instance_arn, &arn, "IdcTestRef", "/ops/")
        .await
        .unwrap_err();
    assert!(
        matches!(err, idc::backend::BackendError::Conflict { .. }),
        "{err:?}"
    );

    // D lists it as customer managed; Enter, y stages the detachment.
    d.app.plan.clear_finished();
    select_set(&mut d, &target.name);
    d.keys("D");
    assert_eq!(d.app.mode, Mode::Picker);
    let picker = d.app.picker.as_ref().unwrap();
    assert!(
        picker
            .items
            .iter()
            .any(|i| i.label == "IdcTestRef" && i.detail.contains("customer managed"))
    );
    d.keys("IdcTestRef\n");
    assert!(matches!(d.app.mode, Mode::Confirm(_)), "{:?}", d.app.mode);
    d.keys("y");
    assert_eq!(
        d.app
            .plan
            .staged()
            .map(|i| i.change.clone())
            .collect::<Vec<_>>(),
        vec![Change::DetachCustomerPolicy {
            permission_set_arn: arn.clone(),
            name: "IdcTestRef".into(),
            path: "/ops/".into(),
        }]
    );
    d.keys("pyy");
    d.until(finished).await;
    d.assert_all_succeeded();
    assert!(!held(&backend.directory()));
    assert!(!held(&d.app.dir));
    let err = backend
        .detach_customer_managed_policy(&instance.instance_arn, &arn, "IdcTestRef", "/ops/")
        .await
        .unwrap_err();
    assert!(
        matches!(err, idc::backend::BackendError::NotFound { .. }),
        "{err:?}"
    );
}
