//! Changing access against moto through the whole app: keys staged into the plan, applied by
//! the same runtime as the TUI with the SDK backend, then read back with a separate client.
#![allow(clippy::unwrap_used)]

mod support;

use std::collections::BTreeSet;
use std::sync::Arc;

use aws_sdk_ssoadmin::types::PrincipalType as SdkPrincipalType;
use idc::model::{Assignment, PrincipalType};
use idc::plan::ItemStatus;
use idc::plan::store::Store;
use support::driver::{Driver, options};
use support::moto::Moto;
use support::seed::{SeedSpec, seed_organization};

/// What the separate client reads for one (account, permission set).
async fn assignments_in_aws(
    sso: &aws_sdk_ssoadmin::Client,
    instance: &str,
    account: &str,
    ps: &str,
) -> BTreeSet<(String, String)> {
    let out = sso
        .list_account_assignments()
        .instance_arn(instance)
        .account_id(account)
        .permission_set_arn(ps)
        .send()
        .await
        .unwrap();
    out.account_assignments()
        .iter()
        .map(|a| {
            let t = if a.principal_type() == Some(&SdkPrincipalType::Group) {
                "GROUP"
            } else {
                "USER"
            };
            (
                t.to_string(),
                a.principal_id().unwrap_or_default().to_string(),
            )
        })
        .collect()
}

#[tokio::test(flavor = "multi_thread")]
async fn assign_three_accounts_and_remove_one_with_keys() {
    let moto = Moto::start();
    let clients = moto.clients().await;
    let seeded = seed_organization(&clients, &SeedSpec::small()).await;
    let backend = moto.backend(&clients);
    let state = tempfile::tempdir().unwrap();
    let mut d = Driver::start(backend, options(state.path())).await;
    let dir = d.app.dir.clone();
    let instance = dir.instance.clone().unwrap().instance_arn;

    // A group and a permission set it does not hold on three accounts (ids are random, so
    // look for such a pair rather than take the first).
    let free = |group: &str, ps: &str| -> Vec<String> {
        dir.accounts
            .keys()
            .filter(|id| {
                !dir.assignments.contains(&Assignment {
                    account_id: (*id).clone(),
                    permission_set_arn: ps.to_string(),
                    principal_type: PrincipalType::Group,
                    principal_id: group.to_string(),
                })
            })
            .take(3)
            .cloned()
            .collect()
    };
    let (group, ps, targets) = dir
        .groups
        .values()
        .flat_map(|g| dir.permission_sets.values().map(move |p| (g, p)))
        .map(|(g, p)| (g.clone(), p.clone(), free(&g.id, &p.arn)))
        .find(|(_, _, t)| t.len() == 3)
        .unwrap();
    assert_eq!(targets.len(), 3, "status: {:?}", d.app.status);

    d.keys(&format!("2/{}\na", group.display_name));
    for account in &targets {
        // Filter by the account id (unique), mark it, clear the filter.
        d.keys(account);
        d.keys(" ");
        for _ in 0..account.len() {
            d.app
                .update(idc::app::Msg::Key(crossterm::event::KeyEvent::new(
                    crossterm::event::KeyCode::Backspace,
                    crossterm::event::KeyModifiers::NONE,
                )));
        }
    }
    d.keys("\n");
    d.keys(&format!("{}\n", ps.name));
    assert_eq!(d.app.plan.staged().count(), 3, "{:?}", d.app.status);

    // And remove an existing group assignment from the matrix. moto stores a duplicate
    // creation twice (AWS would not), and the seed makes one on purpose: pick an assignment
    // moto holds once, so that one deletion removes it.
    let (lister, _, _) = moto.clients().await;
    let mut removed = None;
    for a in dir.assignments.iter().filter(|a| {
        a.principal_type == PrincipalType::Group && dir.groups.contains_key(&a.principal_id)
    }) {
        let held = lister
            .list_account_assignments()
            .instance_arn(&instance)
            .account_id(&a.account_id)
            .permission_set_arn(&a.permission_set_arn)
            .send()
            .await
            .unwrap()
            .account_assignments()
            .iter()
            .filter(|x| x.principal_id() == Some(a.principal_id.as_str()))
            .count();
        if held == 1 {
            removed = Some(a.clone());
            break;
        }
    }
    let removed = removed.unwrap();
    let removed_group = dir.groups[&removed.principal_id].display_name.clone();
    d.keys(&format!(
        "\x1b5/{}\nf{}\n",
        removed.account_id, removed_group
    ));
    d.keys("x");
    if matches!(d.app.mode, idc::app::Mode::Picker) {
        let name = dir
            .permission_set_name(&removed.permission_set_arn)
            .to_string();
        d.keys(&format!("{name}\n"));
    }
    d.keys("y");
    assert_eq!(d.app.plan.staged().count(), 4, "{:?}", d.app.status);

    d.keys("pyy");
    d.until_applied().await;
    d.assert_all_succeeded();

    // A separate client sees the result in AWS.
    let (reader, _, _) = moto.clients().await;
    for account in &targets {
        let found = assignments_in_aws(&reader, &instance, account, &ps.arn).await;
        assert!(
            found.contains(&("GROUP".to_string(), group.id.clone())),
            "{account}: {found:?}"
        );
    }
    let found = assignments_in_aws(
        &reader,
        &instance,
        &removed.account_id,
        &removed.permission_set_arn,
    )
    .await;
    assert!(
        !found.contains(&("GROUP".to_string(), removed.principal_id.clone())),
        "still assigned: {found:?}"
    );

    let store = Store::new(state.path(), &instance);
    assert_eq!(store.last_batch().unwrap().len(), 4);
    assert!(store.last_batch().unwrap().iter().all(|e| e.succeeded()));
    let _ = seeded;

    // Sending the same changes again (a stale plan, another admin was faster): the runner
    // finds them already so in AWS and sends nothing.
    let again: Vec<(u64, idc::plan::Change)> = d
        .app
        .plan
        .items
        .iter()
        .map(|i| (i.id, i.change.clone()))
        .collect();
    // A backend of its own, so that its request counts are this run's alone.
    let backend = moto.backend(&moto.clients().await);
    let events = Arc::new(std::sync::Mutex::new(Vec::new()));
    let sink = Arc::clone(&events);
    idc::worker::apply::run(
        Arc::clone(&backend),
        dir.instance.clone().unwrap(),
        again,
        idc::worker::apply::ApplyOptions::default(),
        Arc::new(move |e| sink.lock().unwrap().push(e)),
    )
    .await;
    let finals: Vec<ItemStatus> = events
        .lock()
        .unwrap()
        .iter()
        .filter_map(|e| match e {
            idc::worker::apply::ApplyEvent::Status { status, .. } if status.is_final() => {
                Some(status.clone())
            }
            _ => None,
        })
        .collect();
    assert_eq!(finals.len(), 4);
    assert!(
        finals.iter().all(|s| matches!(s, ItemStatus::Skipped(_))),
        "{finals:?}"
    );
    assert_eq!(backend.stats().get("CreateAccountAssignment"), 0);
    assert_eq!(backend.stats().get("DeleteAccountAssignment"), 0);
}

#[tokio::test(flavor = "multi_thread")]
async fn add_and_remove_group_members_with_keys() {
    let moto = Moto::start();
    let clients = moto.clients().await;
    seed_organization(&clients, &SeedSpec::small()).await;
    let backend = moto.backend(&clients);
    let state = tempfile::tempdir().unwrap();
    let mut d = Driver::start(backend, options(state.path())).await;
    let dir = d.app.dir.clone();
    let store = dir.instance.clone().unwrap().identity_store_id;
    // A group with a member to remove and a user outside it (ids are random: search).
    let outside = |g: &str| {
        dir.users
            .values()
            .find(|u| !dir.memberships.contains_key(&(g.to_string(), u.id.clone())))
            .cloned()
    };
    let (group, outsider) = dir
        .groups
        .values()
        .filter(|g| dir.members_of(&g.id).count() >= 1)
        .find_map(|g| outside(&g.id).map(|u| (g.clone(), u)))
        .unwrap();
    let member = dir.members_of(&group.id).next().unwrap().to_string();
    let member_name = dir.users[&member].user_name.clone();

    d.keys(&format!(
        "2/{}\nm{}\n",
        group.display_name, outsider.user_name
    ));
    d.keys(&format!("x{member_name} \ny"));
    assert_eq!(d.app.plan.staged().count(), 2, "{:?}", d.app.status);
    d.keys("pyy");
    d.until_applied().await;
    d.assert_all_succeeded();
    assert!(
        d.app
            .dir
            .memberships
            .contains_key(&(group.id.clone(), outsider.id.clone()))
    );
    assert!(
        !d.app
            .dir
            .memberships
            .contains_key(&(group.id.clone(), member.clone()))
    );

    // A separate identitystore client sees the new member and not the removed one.
    let (_, reader, _) = moto.clients().await;
    let members: BTreeSet<String> = reader
        .list_group_memberships()
        .identity_store_id(&store)
        .group_id(&group.id)
        .send()
        .await
        .unwrap()
        .group_memberships()
        .iter()
        .filter_map(|m| match m.member_id() {
            Some(aws_sdk_identitystore::types::MemberId::UserId(u)) => Some(u.clone()),
            _ => None,
        })
        .collect();
    assert!(members.contains(&outsider.id), "{members:?}");
    assert!(!members.contains(&member), "{members:?}");
}

#[tokio::test(flavor = "multi_thread")]
async fn create_a_permission_set_and_attach_a_policy_with_keys() {
    use crossterm::event::{KeyCode, KeyModifiers};
    use idc::app::Item;

    let moto = Moto::start();
    let clients = moto.clients().await;
    seed_organization(&clients, &SeedSpec::small()).await;
    let backend = moto.backend(&clients);
    let state = tempfile::tempdir().unwrap();
    let mut d = Driver::start(backend, options(state.path())).await;
    let instance = d.app.dir.instance.clone().unwrap().instance_arn;

    // First apply: n, the form (name, Tab, description, Tab, PT1H), Ctrl-s; p y y.
    d.keys("4n");
    d.keys("ReadOnlyEC2\tEC2 read only\t");
    d.key(KeyCode::Char('s'), KeyModifiers::CONTROL);
    assert_eq!(d.app.plan.staged().count(), 1, "{:?}", d.app.status);
    d.keys("pyy");
    d.until_applied().await;
    let ItemStatus::Succeeded { request_id: arn } = d.app.plan.items[0].status.clone() else {
        panic!("{:?}", d.app.plan.items);
    };

    // Second apply: select it, A, the policy (moto keeps no paths: a root policy), p y y.
    d.keys("\x1b4\x1b/ReadOnlyEC2\n");
    assert_eq!(d.app.selected(), Some(&Item::PermissionSet(arn.clone())));
    d.keys("AAmazonEC2ReadOnlyAccess\n");
    assert_eq!(d.app.plan.staged().count(), 1, "{:?}", d.app.status);
    d.keys("pyy");
    d.until(|app| !app.plan.running() && app.plan.items.iter().all(|i| i.status.is_final()))
        .await;
    d.assert_all_succeeded();

    // A separate client reads it back.
    let (reader, _, _) = moto.clients().await;
    let described = reader
        .describe_permission_set()
        .instance_arn(&instance)
        .permission_set_arn(&arn)
        .send()
        .await
        .unwrap();
    let ps = described.permission_set().unwrap();
    assert_eq!(ps.name(), Some("ReadOnlyEC2"));
    assert_eq!(ps.session_duration(), Some("PT1H"));
    assert_eq!(ps.description(), Some("EC2 read only"));
    let policies: Vec<String> = reader
        .list_managed_policies_in_permission_set()
        .instance_arn(&instance)
        .permission_set_arn(&arn)
        .send()
        .await
        .unwrap()
        .attached_managed_policies()
        .iter()
        .filter_map(|p| p.arn().map(str::to_string))
        .collect();
    assert_eq!(
        policies,
        vec!["arn:aws:iam::aws:policy/AmazonEC2ReadOnlyAccess".to_string()]
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn edit_detach_and_delete_permission_sets_with_keys() {
    use crossterm::event::{KeyCode, KeyModifiers};
    use idc::app::{Item, Mode};
    use idc::plan::Change;

    const READ_ONLY: &str = "arn:aws:iam::aws:policy/ReadOnlyAccess";
    const SECURITY_AUDIT: &str = "arn:aws:iam::aws:policy/SecurityAudit";

    let moto = Moto::start();
    let clients = moto.clients().await;
    seed_organization(&clients, &SeedSpec::small()).await;
    let backend = moto.backend(&clients);
    let state = tempfile::tempdir().unwrap();
    let mut d = Driver::start(backend, options(state.path())).await;
    let instance = d.app.dir.instance.clone().unwrap().instance_arn;
    let arn_of = |d: &Driver, name: &str| {
        d.app
            .dir
            .permission_sets
            .values()
            .find(|p| p.name == name)
            .map(|p| p.arn.clone())
            .unwrap()
    };
    let select = |d: &mut Driver, name: &str| {
        d.keys(&format!("\x1b4\x1b/{name}\n"));
        d.app.prepare();
        let arn = arn_of(d, name);
        assert_eq!(d.app.selected(), Some(&Item::PermissionSet(arn.clone())));
        arn
    };
    let all_succeeded = |d: &Driver| {
        d.assert_all_succeeded();
    };

    // e on SecurityAudit ("Security auditors", PT4H): a new description, Tab, Space (PT8H).
    let audit = select(&mut d, "SecurityAudit");
    d.keys("e");
    assert_eq!(d.app.mode, Mode::Form);
    for _ in 0.."Security auditors".len() {
        d.key(KeyCode::Backspace, KeyModifiers::NONE);
    }
    d.keys("Audit only\t ");
    d.key(KeyCode::Char('s'), KeyModifiers::CONTROL);
    assert_eq!(d.app.plan.staged().count(), 1, "{:?}", d.app.status);
    d.keys("pyy");
    d.until_applied().await;
    all_succeeded(&d);

    // D: detach ReadOnlyAccess from it (picked by name), y.
    select(&mut d, "SecurityAudit");
    d.keys("DReadOnlyAccess\ny");
    assert_eq!(
        d.app
            .plan
            .staged()
            .map(|i| i.change.clone())
            .collect::<Vec<_>>(),
        vec![Change::DetachManagedPolicy {
            permission_set_arn: audit.clone(),
            policy_arn: READ_ONLY.to_string(),
        }]
    );
    d.keys("pyy");
    d.until_applied().await;
    all_succeeded(&d);

    // X: the seeded "Unused" set (never assigned) is deleted after y.
    let unused = select(&mut d, "Unused");
    d.keys("Xy");
    assert_eq!(d.app.plan.staged().count(), 1, "{:?}", d.app.status);
    d.keys("pyy");
    d.until_applied().await;
    all_succeeded(&d);
    assert!(!d.app.dir.permission_sets.contains_key(&unused));

    // A separate client reads it all back.
    let (reader, _, _) = moto.clients().await;
    let described = reader
        .describe_permission_set()
        .instance_arn(&instance)
        .permission_set_arn(&audit)
        .send()
        .await
        .unwrap();
    let ps = described.permission_set().unwrap();
    assert_eq!(ps.name(), Some("SecurityAudit"));
    assert_eq!(ps.description(), Some("Audit only"));
    assert_eq!(ps.session_duration(), Some("PT8H"));
    let policies: Vec<String> = reader
        .list_managed_policies_in_permission_set()
        .instance_arn(&instance)
        .permission_set_arn(&audit)
        .send()
        .await
        .unwrap()
        .attached_managed_policies()
        .iter()
        .filter_map(|p| p.arn().map(str::to_string))
        .collect();
    assert_eq!(policies, vec![SECURITY_AUDIT.to_string()]);
    let remaining: Vec<String> = reader
        .list_permission_sets()
        .instance_arn(&instance)
        .send()
        .await
        .unwrap()
        .permission_sets()
        .to_vec();
    assert!(!remaining.contains(&unused), "{remaining:?}");
    assert!(remaining.contains(&audit), "{remaining:?}");
}

#[tokio::test(flavor = "multi_thread")]
async fn put_an_inline_policy_with_an_injected_edit() {
    use idc::app::Item;
    use idc::plan::Change;

    const POLICY: &str = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:ListAllMyBuckets","Resource":"*"}]}"#;

    let moto = Moto::start();
    let clients = moto.clients().await;
    seed_organization(&clients, &SeedSpec::small()).await;
    let backend = moto.backend(&clients);
    let state = tempfile::tempdir().unwrap();
    let mut opts = options(state.path());
    // The editor: the policy laid out over several lines, as a person would type it.
    opts.editor = Some(idc::runtime::EditorHook::new(|_| {
        Ok("{\n  \"Version\": \"2012-10-17\",\n  \"Statement\": [\n    { \"Effect\": \"Allow\", \"Action\": \"s3:ListAllMyBuckets\", \"Resource\": \"*\" }\n  ]\n}\n".to_string())
    }));
    let mut d = Driver::start(backend, opts).await;
    let instance = d.app.dir.instance.clone().unwrap().instance_arn;
    let ps = d
        .app
        .dir
        .permission_sets
        .values()
        .find(|p| p.name == "SecurityAudit")
        .cloned()
        .unwrap();
    d.keys("\x1b4\x1b/SecurityAudit\n");
    d.app.prepare();
    assert_eq!(d.app.selected(), Some(&Item::PermissionSet(ps.arn.clone())));

    d.keys("I");
    assert_eq!(
        d.app
            .plan
            .staged()
            .map(|i| i.change.clone())
            .collect::<Vec<_>>(),
        vec![Change::PutInlinePolicy {
            permission_set_arn: ps.arn.clone(),
            policy: Some(POLICY.to_string()),
        }],
        "{:?}",
        d.app.status
    );
    d.keys("pyy");
    d.until_applied().await;
    d.assert_all_succeeded();
    assert_eq!(
        d.app.dir.permission_sets[&ps.arn].inline_policy.as_deref(),
        Some(POLICY)
    );

    // A separate client reads it back.
    let (reader, _, _) = moto.clients().await;
    let read = reader
        .get_inline_policy_for_permission_set()
        .instance_arn(&instance)
        .permission_set_arn(&ps.arn)
        .send()
        .await
        .unwrap();
    let got: serde_json::Value = serde_json::from_str(read.inline_policy().unwrap()).unwrap();
    let want: serde_json::Value = serde_json::from_str(POLICY).unwrap();
    assert_eq!(got, want);
}

#[tokio::test(flavor = "multi_thread")]
async fn attach_a_customer_managed_policy_reference_with_keys() {
    use idc::app::Item;
    use idc::plan::Change;

    let moto = Moto::start();
    let clients = moto.clients().await;
    seed_organization(&clients, &SeedSpec::small()).await;
    let backend = moto.backend(&clients);
    let state = tempfile::tempdir().unwrap();
    let mut d = Driver::start(backend, options(state.path())).await;
    let instance = d.app.dir.instance.clone().unwrap().instance_arn;
    let ps = d
        .app
        .dir
        .permission_sets
        .values()
        .find(|p| p.name == "SecurityAudit")
        .cloned()
        .unwrap();
    d.keys("\x1b4\x1b/SecurityAudit\n");
    d.app.prepare();
    assert_eq!(d.app.selected(), Some(&Item::PermissionSet(ps.arn.clone())));

    // C: type /path/NAME, Enter stages it.
    d.keys("C/idc/AuditExtras\n");
    assert_eq!(
        d.app
            .plan
            .staged()
            .map(|i| i.change.clone())
            .collect::<Vec<_>>(),
        vec![Change::AttachCustomerPolicy {
            permission_set_arn: ps.arn.clone(),
            name: "AuditExtras".into(),
            path: "/idc/".into(),
        }],
        "{:?}",
        d.app.status
    );
    d.keys("pyy");
    d.until_applied().await;
    d.assert_all_succeeded();
    assert!(
        d.app.dir.permission_sets[&ps.arn]
            .customer_managed_policies
            .iter()
            .any(|c| c.name == "AuditExtras" && c.path == "/idc/")
    );

    // A separate client reads it back.
    let (reader, _, _) = moto.clients().await;
    let read = reader
        .list_customer_managed_policy_references_in_permission_set()
        .instance_arn(&instance)
        .permission_set_arn(&ps.arn)
        .send()
        .await
        .unwrap();
    let refs: Vec<(String, String)> = read
        .customer_managed_policy_references()
        .iter()
        .map(|r| (r.name().to_string(), r.path().unwrap_or("/").to_string()))
        .collect();
    assert!(
        refs.contains(&("AuditExtras".to_string(), "/idc/".to_string())),
        "{refs:?}"
    );
}
