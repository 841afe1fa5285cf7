use std::sync::Arc;

use super::*;
use crate::backend::demo::{DemoBackend, DemoOptions};
use crate::model::{Group, Membership, OrgUnit, User};

const INSTANCE: &str = "arn:aws:sso:::instance/ssoins-t";

fn ps_arn(n: usize) -> String {
    format!("arn:aws:sso:::permissionSet/ssoins-t/ps-{n}")
}

/// Two levels of OUs, accounts in each, groups with members, a user with a direct grant and
/// an assignment of a group that was deleted.
fn org() -> Directory {
    let mut d = Directory {
        instance: Some(Instance {
            instance_arn: INSTANCE.into(),
            identity_store_id: "d-t".into(),
            owner_account_id: None,
        }),
        ..Directory::default()
    };
    d.add_ous([
        OrgUnit {
            id: "r".into(),
            name: "Root".into(),
            parent_id: None,
        },
        OrgUnit {
            id: "ou-w".into(),
            name: "Workloads".into(),
            parent_id: Some("r".into()),
        },
        OrgUnit {
            id: "ou-p".into(),
            name: "Prod".into(),
            parent_id: Some("ou-w".into()),
        },
    ]);
    for (i, parent) in ["r", "ou-w", "ou-p", "ou-p"].iter().enumerate() {
        d.add_accounts([Account {
            id: format!("{i:012}"),
            name: format!("account-{i}"),
            email: format!("a{i}@example.com"),
            status: AccountStatus::Active,
            parent_id: Some((*parent).into()),
        }]);
    }
    for g in 0..3 {
        d.add_groups([Group {
            id: format!("g{g}"),
            display_name: format!("group {g}"),
            description: None,
            external_ids: vec![],
        }]);
    }
    for u in 0..5 {
        d.add_users([User {
            id: format!("u{u}"),
            user_name: format!("user{u}"),
            display_name: None,
            email: None,
            external_ids: vec![],
        }]);
        d.add_memberships([Membership {
            group_id: format!("g{}", u % 3),
            user_id: format!("u{u}"),
            membership_id: Some(format!("m{u}")),
        }]);
    }
    let mut assignments = Vec::new();
    for i in 0..4 {
        for (ptype, pid, ps) in [
            (PrincipalType::Group, "g0", 0),
            (PrincipalType::Group, "g1", 1),
            (PrincipalType::Group, "g-deleted", 1),
        ] {
            assignments.push(crate::model::Assignment {
                account_id: format!("{i:012}"),
                permission_set_arn: ps_arn(ps),
                principal_type: ptype,
                principal_id: pid.into(),
            });
        }
    }
    assignments.push(crate::model::Assignment {
        account_id: format!("{:012}", 2),
        permission_set_arn: ps_arn(0),
        principal_type: PrincipalType::User,
        principal_id: "u4".into(),
    });
    for n in 0..2 {
        let provisioned: BTreeSet<String> = assignments
            .iter()
            .filter(|a| a.permission_set_arn == ps_arn(n))
            .map(|a| a.account_id.clone())
            .collect();
        d.add_permission_sets([PermissionSet {
            arn: ps_arn(n),
            name: format!("Set{n}"),
            session_duration: Some("PT1H".into()),
            outdated_accounts: if n == 1 {
                vec![format!("{:012}", 3)]
            } else {
                vec![]
            },
            provisioned_accounts: provisioned.into_iter().collect(),
            ..PermissionSet::default()
        }]);
    }
    d.add_assignments(assignments);
    d
}

fn without_orphans(mut d: Directory) -> Directory {
    let groups = d.groups.clone();
    d.assignments.retain(|a| {
        a.principal_type == PrincipalType::User || groups.contains_key(&a.principal_id)
    });
    d
}

async fn load(opts: DemoOptions, strategy: Strategy) -> LoadOutcome {
    let backend: Arc<dyn Backend> = Arc::new(DemoBackend::new(org(), opts));
    load_directory(
        backend,
        &LoadOptions {
            strategy,
            concurrency: 3,
        },
    )
    .await
}

#[tokio::test]
async fn by_pair_loads_everything_including_orphans() {
    let out = load(DemoOptions::instant(), Strategy::ByPair).await;
    assert!(out.errors.is_empty(), "{:?}", out.errors);
    assert_eq!(out.strategy, Some(Strategy::ByPair));
    assert_eq!(out.directory, org());
    // One listing per account, then one per provisioned pair.
    assert_eq!(out.stats.get("ListPermissionSetsProvisionedToAccount"), 4);
    assert_eq!(out.stats.get("ListAccountAssignments"), 8);
}

#[tokio::test]
async fn by_principal_loads_what_it_can_see() {
    let out = load(DemoOptions::instant(), Strategy::ByPrincipal).await;
    assert!(out.errors.is_empty(), "{:?}", out.errors);
    assert_eq!(out.strategy, Some(Strategy::ByPrincipal));
    assert_eq!(out.directory, without_orphans(org()));
    assert_eq!(out.stats.get("ListAccountAssignmentsForPrincipal"), 8);
}

#[tokio::test]
async fn auto_picks_the_cheaper_strategy() {
    // 8 principals against 4 accounts + 8 pairs: by principal is cheaper.
    let out = load(DemoOptions::instant(), Strategy::Auto).await;
    assert_eq!(out.strategy, Some(Strategy::ByPrincipal));
}

#[tokio::test]
async fn delegated_admin_falls_back_to_pairs() {
    let opts = DemoOptions {
        delegated_admin: true,
        ..DemoOptions::instant()
    };
    let out = load(opts, Strategy::ByPrincipal).await;
    assert_eq!(out.strategy, Some(Strategy::ByPair));
    assert_eq!(out.directory, org());
    assert_eq!(
        out.stats.get("ListAccountAssignmentsForPrincipal"),
        1,
        "stops after the denial"
    );
    assert!(
        out.warnings
            .iter()
            .any(|w| w.contains("by principal was denied")),
        "{:?}",
        out.warnings
    );
}

#[tokio::test]
async fn organizations_denied_lists_accounts_from_sso_admin() {
    let opts = DemoOptions {
        organizations_denied: true,
        ..DemoOptions::instant()
    };
    let out = load(opts, Strategy::ByPair).await;
    assert!(
        out.warnings
            .iter()
            .any(|w| w.contains("Organizations is not readable")),
        "{:?}",
        out.warnings
    );
    assert!(out.directory.ous.is_empty());
    let names: Vec<_> = out
        .directory
        .accounts
        .values()
        .map(|a| (a.name.as_str(), a.status))
        .collect();
    assert_eq!(names.len(), 4);
    assert!(
        names
            .iter()
            .all(|(n, s)| n.len() == 12 && *s == AccountStatus::Unknown),
        "{names:?}"
    );
    assert_eq!(out.directory.assignments, org().assignments);
}

#[tokio::test]
async fn progress_reaches_every_total() {
    let events = Arc::new(Mutex::new(Vec::new()));
    let sink = Arc::clone(&events);
    let backend: Arc<dyn Backend> = Arc::new(DemoBackend::new(org(), DemoOptions::instant()));
    run(
        backend,
        LoadOptions::default(),
        Arc::new(move |e| {
            if let Ok(mut v) = sink.lock() {
                v.push(e);
            }
        }),
    )
    .await;
    let events = events.lock().expect("lock");
    let mut progress = crate::worker::LoadProgress::default();
    for e in events.iter() {
        if let LoadEvent::Progress { stage, done, total } = e {
            assert!(done <= total, "{stage:?} {done}/{total}");
            progress.update(*stage, *done, *total);
        }
    }
    assert!(
        (progress.ratio() - 1.0).abs() < f64::EPSILON,
        "{progress:?}"
    );
    assert!(matches!(events.last(), Some(LoadEvent::Finished(_))));
}

#[tokio::test]
async fn a_second_load_reports_only_its_own_requests() {
    let backend: Arc<dyn Backend> = Arc::new(DemoBackend::new(org(), DemoOptions::instant()));
    let opts = LoadOptions {
        strategy: Strategy::ByPair,
        concurrency: 2,
    };
    let first = load_directory(Arc::clone(&backend), &opts).await;
    let second = load_directory(backend, &opts).await;
    assert_eq!(first.stats, second.stats);
    assert_eq!(second.stats.get("ListInstances"), 1);
}
