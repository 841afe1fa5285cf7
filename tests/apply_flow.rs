//! Staging and applying through the whole app, as a person would: keys into `App::update`,
//! effects run by the same runtime as the TUI, the demo backend behind it with AWS's
//! asynchronous statuses.

#![allow(clippy::unwrap_used)]

mod support;

use std::sync::Arc;
use std::time::Duration;

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use idc::app::{Mode, Msg};
use idc::backend::demo::{DemoBackend, DemoOptions, demo_organization};
use idc::model::{AccountStatus, PrincipalType};
use idc::plan::ItemStatus;
use idc::plan::store::Store;
use support::driver::{Driver, options};

struct Harness {
    d: Driver,
    backend: Arc<DemoBackend>,
}

impl std::ops::Deref for Harness {
    type Target = Driver;
    fn deref(&self) -> &Driver {
        &self.d
    }
}

impl std::ops::DerefMut for Harness {
    fn deref_mut(&mut self) -> &mut Driver {
        &mut self.d
    }
}

impl Harness {
    async fn start(backend: Arc<DemoBackend>, state_dir: &std::path::Path) -> Self {
        let d = Driver::start(backend.clone(), options(state_dir)).await;
        Self { d, backend }
    }
}

fn demo() -> Arc<DemoBackend> {
    Arc::new(DemoBackend::new(
        demo_organization(),
        DemoOptions {
            latency: Duration::ZERO,
            completion: Duration::from_millis(100),
            ..DemoOptions::default()
        },
    ))
}

#[tokio::test(flavor = "multi_thread")]
async fn assign_a_group_to_an_ou_and_watch_it_apply() {
    let state = tempfile::tempdir().expect("tempdir");
    let mut h = Harness::start(demo(), state.path()).await;
    let group = h.group_id("Contractors-Acme");
    // Groups pane, the group, a: accounts picker; mark the Staging OU; Enter; ReadOnlyAccess.
    h.keys("2/Contractors-Acme\n");
    h.keys("a");
    assert_eq!(h.app.mode, Mode::Picker);
    h.keys("Staging");
    h.keys(" \n");
    h.keys("ReadOnlyAccess\n");
    let staged: Vec<_> = h.app.plan.staged().collect();
    let staging_accounts = h
        .app
        .dir
        .accounts
        .values()
        .filter(|a| h.app.dir.account_ou_path(&a.id).ends_with("Staging"))
        .count();
    assert_eq!(
        staged.len(),
        staging_accounts,
        "one change per account of the OU"
    );
    assert!(
        staged
            .iter()
            .all(|i| i.change.assignment().unwrap().principal_id == group)
    );
    // The plan was saved at once.
    let instance = h.app.dir.instance.clone().expect("instance");
    let store = Store::new(state.path(), &instance.instance_arn);
    assert_eq!(
        store.load_plan().expect("saved").staged().count(),
        staging_accounts
    );

    h.keys("p");
    assert!(matches!(h.app.mode, Mode::Plan { .. }));
    h.keys("y");
    assert!(matches!(h.app.mode, Mode::Confirm(_)));
    h.keys("y");
    h.until_applied().await;
    assert!(
        h.app
            .plan
            .items
            .iter()
            .all(|i| matches!(i.status, ItemStatus::Succeeded { .. })),
        "{:?}",
        h.app.plan.items
    );
    // AWS (the demo backend) has them, and so has the app without a reload.
    let truth = h.backend.directory();
    for item in &h.app.plan.items {
        assert!(
            truth
                .assignments
                .contains(item.change.assignment().unwrap())
        );
        assert!(
            h.app
                .dir
                .assignments
                .contains(item.change.assignment().unwrap())
        );
    }
    // Every change is in the journal, as one batch.
    let batch = store.last_batch().expect("journal");
    assert_eq!(batch.len(), staging_accounts);
    assert!(
        batch
            .iter()
            .all(|e| e.succeeded() && e.request_id.is_some() && !e.time.is_empty())
    );

    // u stages the inverse of that batch; applying it takes the access away again.
    h.keys("\x1bu");
    h.until(|app| app.plan.staged().count() == staging_accounts)
        .await;
    h.keys("py");
    let confirm = match &h.app.mode {
        Mode::Confirm(c) => c.clone(),
        other => panic!("expected a question, got {other:?}"),
    };
    assert!(
        confirm
            .lines
            .iter()
            .any(|l| l.starts_with(&format!("Removes {staging_accounts}"))),
        "{confirm:?}"
    );
    h.keys("y");
    h.until_applied().await;
    let truth = h.backend.directory();
    for entry in &batch {
        assert!(
            !truth
                .assignments
                .contains(entry.change.assignment().unwrap()),
            "undone: {entry:?}"
        );
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn a_failure_is_shown_with_its_reason() {
    let state = tempfile::tempdir().expect("tempdir");
    let mut h = Harness::start(demo(), state.path()).await;
    let suspended = h
        .app
        .dir
        .accounts
        .values()
        .find(|a| a.status == AccountStatus::Suspended)
        .expect("suspended")
        .name
        .clone();
    h.keys(&format!("2/Contractors-Acme\na{suspended}\nBilling\n"));
    assert_eq!(h.app.plan.staged().count(), 1);
    h.keys("pyy");
    h.until_applied().await;
    match &h.app.plan.items[0].status {
        ItemStatus::Failed(reason) => assert!(reason.contains("suspended"), "{reason}"),
        other => panic!("expected a failure, got {other:?}"),
    }
    assert!(
        h.app
            .status
            .as_ref()
            .is_some_and(|s| s.text.contains("1 failed")),
        "{:?}",
        h.app.status
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_staged_plan_survives_a_crash() {
    let state = tempfile::tempdir().expect("tempdir");
    {
        let mut h = Harness::start(demo(), state.path()).await;
        h.keys("3/emily\napayments-prod\nBilling\n");
        assert_eq!(h.app.plan.staged().count(), 1);
        assert_eq!(
            h.app.plan.items[0]
                .change
                .assignment()
                .unwrap()
                .principal_type,
            PrincipalType::User
        );
        // The process dies here: no quit, no goodbye.
    }
    let h = Harness::start(demo(), state.path()).await;
    assert_eq!(h.app.plan.staged().count(), 1, "the staged change is back");
    assert!(
        h.app
            .status
            .as_ref()
            .is_some_and(|s| s.text.contains("restored 1 staged change")),
        "{:?}",
        h.app.status
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn quitting_with_staged_changes_asks_first_and_read_only_refuses() {
    let state = tempfile::tempdir().expect("tempdir");
    let mut h = Harness::start(demo(), state.path()).await;
    h.keys("2apayments-prod\n\n");
    assert_eq!(h.app.plan.staged().count(), 1, "{:?}", h.app.status);
    let effects = h.app.update(Msg::Key(KeyEvent::new(
        KeyCode::Char('q'),
        KeyModifiers::NONE,
    )));
    assert!(effects.is_empty());
    assert!(matches!(h.app.mode, Mode::Confirm(_)));
    h.keys("n");
    assert_eq!(h.app.mode, Mode::Normal);

    h.app.read_only = true;
    h.keys("a");
    assert_eq!(h.app.mode, Mode::Normal);
    assert!(
        h.app
            .status
            .as_ref()
            .is_some_and(|s| s.text.contains("--read-only")),
        "{:?}",
        h.app.status
    );
}
