use std::sync::Mutex;

use super::*;
use crate::backend::demo::{DemoBackend, DemoOptions};
use crate::model::{
    Account, AccountStatus, Assignment, Directory, Group, Instance, OrgUnit, PermissionSet,
    PrincipalType,
};

const INSTANCE: &str = "arn:aws:sso:::instance/ssoins-t";
const PS: &str = "arn:aws:sso:::permissionSet/ssoins-t/ps-1";

fn account_id(n: usize) -> String {
    format!("{n:012}")
}

/// 20 accounts (the last suspended), one group, one permission set, nothing assigned.
fn org() -> Directory {
    let mut d = Directory {
        instance: Some(Instance {
            instance_arn: INSTANCE.into(),
            identity_store_id: "d-t".into(),
            owner_account_id: None,
        }),
        ..Directory::default()
    };
    d.add_ous([OrgUnit {
        id: "r".into(),
        name: "Root".into(),
        parent_id: None,
    }]);
    d.add_accounts((0..20).map(|n| Account {
        id: account_id(n),
        name: format!("a{n}"),
        email: String::new(),
        status: if n == 19 {
            AccountStatus::Suspended
        } else {
            AccountStatus::Active
        },
        parent_id: Some("r".into()),
    }));
    d.add_groups([Group {
        id: "g".into(),
        display_name: "G".into(),
        description: None,
        external_ids: vec![],
    }]);
    d.add_permission_sets([PermissionSet {
        arn: PS.into(),
        name: "Admin".into(),
        ..PermissionSet::default()
    }]);
    d
}

fn grant(n: usize) -> Assignment {
    Assignment {
        account_id: account_id(n),
        permission_set_arn: PS.into(),
        principal_type: PrincipalType::Group,
        principal_id: "g".into(),
    }
}

fn opts(max_outstanding: usize) -> ApplyOptions {
    ApplyOptions {
        max_outstanding,
        poll_interval: Duration::from_millis(100),
        max_attempts: 100,
        backoff: Duration::from_millis(50),
        ..ApplyOptions::default()
    }
}

async fn apply(
    backend: &Arc<DemoBackend>,
    items: Vec<(u64, Change)>,
    opts: ApplyOptions,
) -> Vec<ApplyEvent> {
    let events = Arc::new(Mutex::new(Vec::new()));
    let sink = Arc::clone(&events);
    let dynamic: Arc<dyn Backend> = backend.clone();
    run(
        dynamic,
        Instance {
            instance_arn: INSTANCE.into(),
            identity_store_id: "d-t".into(),
            owner_account_id: None,
        },
        items,
        opts,
        Arc::new(move |e| sink.lock().expect("lock").push(e)),
    )
    .await;
    events.lock().expect("lock").clone()
}

fn final_status(events: &[ApplyEvent], id: u64) -> ItemStatus {
    events
        .iter()
        .filter_map(|e| match e {
            ApplyEvent::Status { item, status } if *item == id => Some(status.clone()),
            _ => None,
        })
        .next_back()
        .expect("a status")
}

fn slow_demo() -> Arc<DemoBackend> {
    Arc::new(DemoBackend::new(
        org(),
        DemoOptions {
            latency: Duration::ZERO,
            completion: Duration::from_secs(1),
            ..DemoOptions::default()
        },
    ))
}

#[tokio::test(start_paused = true)]
async fn in_progress_then_succeeded_then_removed() {
    let backend = slow_demo();
    let events = apply(&backend, vec![(1, Change::Assign(grant(0)))], opts(15)).await;
    let statuses: Vec<&str> = events
        .iter()
        .filter_map(|e| match e {
            ApplyEvent::Status { status, .. } => Some(status.label()),
            ApplyEvent::Finished => None,
        })
        .collect();
    assert_eq!(statuses.first(), Some(&"queued"));
    assert!(statuses.contains(&"in progress"), "{statuses:?}");
    assert!(matches!(
        final_status(&events, 1),
        ItemStatus::Succeeded { .. }
    ));
    assert_eq!(events.last(), Some(&ApplyEvent::Finished));
    assert!(backend.directory().assignments.contains(&grant(0)));

    let events = apply(&backend, vec![(2, Change::Unassign(grant(0)))], opts(15)).await;
    assert!(matches!(
        final_status(&events, 2),
        ItemStatus::Succeeded { .. }
    ));
    assert!(backend.directory().assignments.is_empty());
}

#[tokio::test(start_paused = true)]
async fn failure_reason_is_reported() {
    let backend = slow_demo();
    let events = apply(&backend, vec![(1, Change::Assign(grant(19)))], opts(15)).await;
    match final_status(&events, 1) {
        ItemStatus::Failed(reason) => assert!(reason.contains("suspended"), "{reason}"),
        other => panic!("expected a failure, got {other:?}"),
    }
}

#[tokio::test(start_paused = true)]
async fn existing_and_gone_are_skipped_without_a_request() {
    let backend = Arc::new(DemoBackend::new(org(), DemoOptions::instant()));
    apply(&backend, vec![(1, Change::Assign(grant(1)))], opts(15)).await;
    let events = apply(
        &backend,
        vec![
            (2, Change::Assign(grant(1))),
            (3, Change::Unassign(grant(2))),
        ],
        opts(15),
    )
    .await;
    assert_eq!(
        final_status(&events, 2),
        ItemStatus::Skipped("the assignment already exists".into())
    );
    assert_eq!(
        final_status(&events, 3),
        ItemStatus::Skipped("the assignment is already gone".into())
    );
    assert_eq!(backend.stats().get("CreateAccountAssignment"), 1);
    assert_eq!(backend.stats().get("DeleteAccountAssignment"), 0);
}

#[tokio::test(start_paused = true)]
async fn a_conflict_on_a_busy_account_is_retried() {
    let backend = slow_demo();
    // Something else is changing the account: a provisioning request from another admin.
    backend
        .provision_permission_set(INSTANCE, PS, Some(&account_id(0)))
        .await
        .expect("provisioning");
    let events = apply(&backend, vec![(1, Change::Assign(grant(0)))], opts(15)).await;
    assert!(matches!(
        final_status(&events, 1),
        ItemStatus::Succeeded { .. }
    ));
    assert!(
        backend.stats().get("CreateAccountAssignment") > 1,
        "the first attempt conflicted"
    );
}

#[tokio::test(start_paused = true)]
async fn throttling_beyond_fifteen_outstanding_is_retried() {
    let backend = slow_demo();
    // Allow more in flight than AWS does: the 16th creation is throttled, then retried.
    let items: Vec<(u64, Change)> = (0..18)
        .map(|n| (n as u64, Change::Assign(grant(n))))
        .collect();
    let events = apply(&backend, items, opts(50)).await;
    for n in 0..18 {
        assert!(
            matches!(final_status(&events, n), ItemStatus::Succeeded { .. }),
            "{n}: {:?}",
            final_status(&events, n)
        );
    }
    assert!(
        backend.stats().get("CreateAccountAssignment") > 18,
        "some creations were throttled and sent again"
    );
}

#[tokio::test(start_paused = true)]
async fn outstanding_creations_stay_within_the_limit_and_accounts_go_one_at_a_time() {
    let backend = slow_demo();
    let mut items: Vec<(u64, Change)> = (0..6)
        .map(|n| (n as u64, Change::Assign(grant(n))))
        .collect();
    // A second change on account 0 waits for the first.
    let mut other = grant(0);
    other.principal_type = PrincipalType::User;
    other.principal_id = "u".into();
    items.push((99, Change::Unassign(other)));
    let events = apply(&backend, items, opts(2)).await;
    let mut in_flight = std::collections::HashSet::new();
    let mut peak = 0;
    for e in &events {
        if let ApplyEvent::Status { item, status } = e {
            match status {
                ItemStatus::InProgress { .. } => {
                    in_flight.insert(*item);
                }
                s if s.is_final() => {
                    in_flight.remove(item);
                }
                _ => {}
            }
            peak = peak.max(in_flight.len());
        }
    }
    assert!(peak <= 2, "peak {peak}");
    assert_eq!(
        backend.stats().get("CreateAccountAssignment"),
        6,
        "no conflicts: one change per account at a time"
    );
    assert_eq!(
        final_status(&events, 99),
        ItemStatus::Skipped("the assignment is already gone".into())
    );
}

#[tokio::test(start_paused = true)]
async fn memberships_are_added_removed_and_skipped_when_already_so() {
    let mut dir = org();
    dir.add_users([crate::model::User {
        id: "u".into(),
        user_name: "ana".into(),
        display_name: None,
        email: None,
        external_ids: vec![],
    }]);
    let backend = Arc::new(DemoBackend::new(dir, DemoOptions::instant()));
    let add = Change::AddMember {
        group_id: "g".into(),
        user_id: "u".into(),
    };
    let events = apply(
        &backend,
        vec![
            (1, add.clone()),
            (
                2,
                add.inverse().and_then(|c| c.inverse()).expect("invertible"),
            ),
        ],
        opts(15),
    )
    .await;
    // Same lane: the second finds the first done.
    assert!(matches!(
        final_status(&events, 1),
        ItemStatus::Succeeded { .. }
    ));
    assert_eq!(
        final_status(&events, 2),
        ItemStatus::Skipped("the user is already a member".into())
    );
    assert_eq!(
        backend.directory().members_of("g").collect::<Vec<_>>(),
        ["u"]
    );
    let events = apply(
        &backend,
        vec![(3, add.inverse().expect("invertible"))],
        opts(15),
    )
    .await;
    assert!(matches!(
        final_status(&events, 3),
        ItemStatus::Succeeded { .. }
    ));
    assert_eq!(backend.directory().memberships.len(), 0);
    let events = apply(
        &backend,
        vec![(4, add.inverse().expect("invertible"))],
        opts(15),
    )
    .await;
    assert_eq!(
        final_status(&events, 4),
        ItemStatus::Skipped("the user is already not a member".into())
    );
}

#[tokio::test(start_paused = true)]
async fn at_most_three_provisionings_run_at_once() {
    let mut dir = org();
    // Five sets, each provisioned to its own account (so that AWS sees no conflict).
    dir.add_permission_sets((0..5).map(|n| PermissionSet {
        arn: format!("{PS}-{n}"),
        name: format!("Set{n}"),
        provisioned_accounts: vec![account_id(n)],
        outdated_accounts: vec![account_id(n)],
        ..PermissionSet::default()
    }));
    let backend = Arc::new(DemoBackend::new(
        dir,
        DemoOptions {
            latency: Duration::ZERO,
            completion: Duration::from_secs(1),
            ..DemoOptions::default()
        },
    ));
    let items = (0..5)
        .map(|n| {
            (
                n + 1,
                Change::Provision {
                    permission_set_arn: format!("{PS}-{n}"),
                },
            )
        })
        .collect();
    let events = apply(&backend, items, opts(15)).await;
    let mut running = std::collections::BTreeSet::new();
    let mut most = 0;
    for e in &events {
        if let ApplyEvent::Status { item, status } = e {
            match status {
                ItemStatus::InProgress { .. } => {
                    running.insert(*item);
                }
                s if s.is_final() => {
                    running.remove(item);
                }
                _ => {}
            }
            most = most.max(running.len());
        }
    }
    assert_eq!(most, 3, "{events:?}");
    for n in 1..=5 {
        assert!(matches!(
            final_status(&events, n),
            ItemStatus::Succeeded { .. }
        ));
    }
    let truth = backend.directory();
    assert!(
        truth
            .permission_sets
            .values()
            .all(|p| p.outdated_accounts.is_empty())
    );
}

#[tokio::test(start_paused = true)]
async fn edits_detachments_and_deletions_check_first() {
    let mut dir = org();
    if let Some(ps) = dir.permission_sets.get_mut(PS) {
        ps.session_duration = Some("PT1H".into());
        ps.managed_policies = vec![crate::model::ManagedPolicy {
            arn: "arn:aws:iam::aws:policy/ReadOnlyAccess".into(),
            name: "ReadOnlyAccess".into(),
        }];
    }
    dir.add_assignments([grant(0)]);
    let backend = Arc::new(DemoBackend::new(dir, DemoOptions::instant()));
    let update = Change::UpdatePermissionSet {
        permission_set_arn: PS.into(),
        spec: PermissionSetSpec {
            name: "Admin".into(),
            description: Some("new".into()),
            session_duration: "PT4H".into(),
            relay_state: None,
        },
    };
    let detach = Change::DetachManagedPolicy {
        permission_set_arn: PS.into(),
        policy_arn: "arn:aws:iam::aws:policy/ReadOnlyAccess".into(),
    };
    let delete = Change::DeletePermissionSet {
        permission_set_arn: PS.into(),
    };
    // Twice each, in one lane: the second finds the first done. The deletion is refused
    // (still assigned) without retrying the conflict.
    let events = apply(
        &backend,
        vec![
            (1, update.clone()),
            (2, update),
            (3, detach.clone()),
            (4, detach),
            (5, delete.clone()),
        ],
        opts(15),
    )
    .await;
    assert!(matches!(
        final_status(&events, 1),
        ItemStatus::Succeeded { .. }
    ));
    assert_eq!(
        final_status(&events, 2),
        ItemStatus::Skipped("the permission set already has these settings".into())
    );
    assert_eq!(
        final_status(&events, 3),
        ItemStatus::Succeeded {
            request_id: "arn:aws:iam::aws:policy/ReadOnlyAccess".into()
        }
    );
    assert_eq!(
        final_status(&events, 4),
        ItemStatus::Skipped("the policy is already detached".into())
    );
    let ItemStatus::Failed(reason) = final_status(&events, 5) else {
        panic!("{events:?}");
    };
    assert!(reason.contains("still assigned"), "{reason}");
    assert_eq!(backend.stats().get("DeletePermissionSet"), 1);
    let ps = backend.directory().permission_sets[PS].clone();
    assert_eq!(ps.description.as_deref(), Some("new"));
    assert_eq!(ps.session_duration.as_deref(), Some("PT4H"));
    assert!(ps.managed_policies.is_empty());

    // Unassigned, it goes; a second deletion is skipped.
    backend
        .delete_assignment(INSTANCE, &grant(0))
        .await
        .expect("removed");
    let events = apply(&backend, vec![(6, delete.clone()), (7, delete)], opts(15)).await;
    assert_eq!(
        final_status(&events, 6),
        ItemStatus::Succeeded {
            request_id: PS.into()
        }
    );
    assert_eq!(
        final_status(&events, 7),
        ItemStatus::Skipped("the permission set is already deleted".into())
    );
    assert!(backend.directory().permission_sets.is_empty());
}
