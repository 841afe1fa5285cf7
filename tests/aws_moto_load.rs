//! The SDK backend and the loader against moto: seed an organization through the SDK, load it
//! with each strategy, and compare what was loaded with what was seeded, item by item.
//!
//! Each test starts its own moto_server (the first run installs moto into target/moto-venv,
//! about 40 s). Run with `cargo test --test aws_moto_load -- --nocapture` to see the timings.
#![allow(clippy::unwrap_used)]

mod support;

use std::collections::BTreeSet;
use std::sync::Arc;
use std::time::Instant;

use idc::backend::Backend;
use idc::model::{
    Account, AccountStatus, Assignment, CustomerPolicyRef, Directory, Group, Instance,
    ManagedPolicy, Membership, OrgUnit, PermissionSet, PrincipalType, User,
};
use idc::worker::loader::{LoadOptions, LoadOutcome, Strategy, load_directory};

use support::moto::{Clients, Moto};
use support::seed::{SeedSpec, Seeded, seed_organization};

async fn seeded(spec: &SeedSpec) -> (Moto, Clients, Seeded) {
    let moto = Moto::start();
    let clients = moto.clients().await;
    let started = Instant::now();
    let seeded = seed_organization(&clients, spec).await;
    eprintln!(
        "seeded {} accounts, {} users, {} groups, {} memberships, {} assignments with {} requests in {:.1?}",
        seeded.directory.accounts.len(),
        seeded.directory.users.len(),
        seeded.directory.groups.len(),
        seeded.directory.memberships.len(),
        seeded.directory.assignments.len(),
        seeded.requests,
        started.elapsed()
    );
    (moto, clients, seeded)
}

async fn load(backend: Arc<dyn Backend>, strategy: Strategy) -> LoadOutcome {
    let outcome = load_directory(
        backend,
        &LoadOptions {
            strategy,
            ..LoadOptions::default()
        },
    )
    .await;
    eprintln!(
        "load {strategy:?} -> {:?}: {} requests in {:.1?}; per operation {:?}; warnings {:?}",
        outcome.strategy,
        outcome.stats.total(),
        outcome.elapsed,
        outcome.stats.per_operation,
        outcome.warnings
    );
    outcome
}

/// Clears what moto cannot report: ListAccountsForProvisionedPermissionSet answers the caller's
/// account for any provisioned permission set and ignores the status filter (GUIDE §3), so
/// `provisioned_accounts` and `outdated_accounts` say nothing about the seed here. The fault
/// tests with smithy mocks cover those fields. Policy lists are compared as sets.
fn comparable(dir: &Directory) -> Directory {
    let mut dir = dir.clone();
    for ps in dir.permission_sets.values_mut() {
        ps.provisioned_accounts.clear();
        ps.outdated_accounts.clear();
        ps.managed_policies.sort_by(|a, b| a.arn.cmp(&b.arn));
        ps.customer_managed_policies
            .sort_by(|a, b| (&a.path, &a.name).cmp(&(&b.path, &b.name)));
    }
    dir
}

fn assert_loaded(context: &str, outcome: &LoadOutcome, expected: &Directory) {
    assert!(
        outcome.errors.is_empty(),
        "{context}: the load reported errors: {:#?}",
        outcome.errors
    );
    support::assert_same_directory(
        context,
        &comparable(&outcome.directory),
        &comparable(expected),
    );
}

/// Pages that only a loader which follows NextToken gets right. moto's default page sizes: 100
/// for ListUsers, ListGroupMemberships and ListAccountAssignmentsForPrincipal, 20 for
/// ListAccountsForParent and ListOrganizationalUnitsForParent; the default seed exceeds each.
fn assert_paged(outcome: &LoadOutcome, seeded: &Seeded) {
    let stats = &outcome.stats;
    let parents = seeded.directory.ous.len() as u64;
    let groups = seeded.directory.groups.len() as u64;
    assert!(
        stats.get("ListUsers") >= 2,
        "{} users need 2 pages of 100: {stats:?}",
        seeded.directory.users.len()
    );
    assert!(
        stats.get("ListAccountsForParent") > parents,
        "Prod holds more than 20 accounts, so more ListAccountsForParent calls than the {parents} parents: {stats:?}"
    );
    assert!(
        stats.get("ListOrganizationalUnitsForParent") > parents,
        "Sandbox has more than 20 child OUs, so more calls than the {parents} parents: {stats:?}"
    );
    assert!(
        stats.get("ListGroupMemberships") > groups,
        "Everyone has more than 100 members, so more calls than the {groups} groups: {stats:?}"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn load_by_principal_matches_the_seed_except_deleted_principals() {
    let (moto, clients, seeded) = seeded(&SeedSpec::default()).await;
    let outcome = load(moto.backend(&clients), Strategy::ByPrincipal).await;

    assert_eq!(outcome.strategy, Some(Strategy::ByPrincipal));
    // Enumerating by principal only asks about the groups and users that exist: the
    // assignments of the deleted group and user stay invisible (the reason ByPair exists).
    assert_loaded(
        "by principal",
        &outcome,
        &seeded.directory_without_orphans(),
    );
    assert!(!seeded.orphaned_assignments.is_empty());
    for orphan in &seeded.orphaned_assignments {
        assert!(
            !outcome.directory.assignments.contains(orphan),
            "{orphan:?}"
        );
    }
    assert_paged(&outcome, &seeded);
    let principals = (seeded.directory.groups.len() + seeded.directory.users.len()) as u64;
    let stats = &outcome.stats;
    assert!(
        stats.get("ListAccountAssignmentsForPrincipal") > principals,
        "Everyone and Auditors hold more than 100 assignments each, so more calls than the {principals} principals: {stats:?}"
    );
    assert_eq!(stats.get("ListAccountAssignments"), 0, "{stats:?}");
}

#[tokio::test(flavor = "multi_thread")]
async fn load_by_pair_matches_the_seed_including_deleted_principals() {
    let (moto, clients, seeded) = seeded(&SeedSpec::default()).await;
    let outcome = load(moto.backend(&clients), Strategy::ByPair).await;

    assert_eq!(outcome.strategy, Some(Strategy::ByPair));
    assert_loaded("by pair", &outcome, &seeded.directory);
    assert_paged(&outcome, &seeded);
    let stats = &outcome.stats;
    assert_eq!(
        stats.get("ListAccountAssignmentsForPrincipal"),
        0,
        "{stats:?}"
    );

    // The assignments of the deleted group and user are there, and name no known principal.
    assert!(!seeded.orphaned_assignments.is_empty());
    for orphan in &seeded.orphaned_assignments {
        assert!(
            outcome.directory.assignments.contains(orphan),
            "missing {orphan:?}"
        );
        assert!(
            !outcome.directory.principal_exists(&orphan.principal()),
            "{orphan:?}"
        );
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn load_auto_matches_the_seed_for_the_strategy_it_chose() {
    let (moto, clients, seeded) = seeded(&SeedSpec::default()).await;
    let outcome = load(moto.backend(&clients), Strategy::Auto).await;

    let expected = match outcome.strategy {
        Some(Strategy::ByPrincipal) => seeded.directory_without_orphans(),
        Some(Strategy::ByPair) => seeded.directory.clone(),
        other => panic!("auto must settle on a strategy, got {other:?}"),
    };
    assert_loaded("auto", &outcome, &expected);
}

#[tokio::test(flavor = "multi_thread")]
async fn small_organization_loads_the_same_with_both_strategies() {
    let (moto, clients, seeded) = seeded(&SeedSpec::small()).await;
    // A backend per load: its request counts are cumulative.
    let by_pair = load(moto.backend(&clients), Strategy::ByPair).await;
    assert_loaded("small, by pair", &by_pair, &seeded.directory);
    let by_principal = load(moto.backend(&clients), Strategy::ByPrincipal).await;
    assert_loaded(
        "small, by principal",
        &by_principal,
        &seeded.directory_without_orphans(),
    );
}

/// The comparison names what differs (and so cannot pass vacuously).
#[test]
fn directory_diff_names_missing_extra_and_different_items() {
    let user = |id: &str, name: &str| User {
        id: id.into(),
        user_name: name.into(),
        display_name: None,
        email: None,
        external_ids: Vec::new(),
    };
    let assignment = |account: &str| Assignment {
        account_id: account.into(),
        permission_set_arn: "arn:ps".into(),
        principal_type: PrincipalType::Group,
        principal_id: "g".into(),
    };
    let mut expected = Directory::default();
    expected.add_users([user("u1", "alice"), user("u2", "bob")]);
    expected.add_assignments([assignment("111"), assignment("222")]);
    let mut loaded = Directory::default();
    loaded.add_users([user("u1", "alicia"), user("u3", "carol")]);
    loaded.add_assignments([assignment("111")]);

    assert_eq!(support::diff_directories(&expected, &expected), None);
    let report = support::diff_directories(&loaded, &expected).unwrap();
    assert!(
        report.contains("users: 2 loaded, 2 expected; 1 missing, 1 extra, 1 different"),
        "{report}"
    );
    assert!(report.contains("missing: User { id: \"u2\""), "{report}");
    assert!(report.contains("extra: User { id: \"u3\""), "{report}");
    assert!(
        report.contains("\"u1\"\n        expected User { id: \"u1\", user_name: \"alice\""),
        "{report}"
    );
    assert!(
        report.contains("assignments: 1 loaded, 2 expected; 1 missing"),
        "{report}"
    );
    assert!(report.contains("account_id: \"222\""), "{report}");
    assert!(!report.contains("groups"), "{report}");
}

/// Checks the harness itself without the product code: what the seed claims is what moto holds,
/// read back with the raw SDK (listing assignments by pair, as AWS does for a delegated admin).
#[tokio::test(flavor = "multi_thread")]
async fn seed_reads_back_with_the_raw_sdk() {
    let (_moto, clients, seeded) = seeded(&SeedSpec::default()).await;
    let read = read_back(&clients).await;
    support::assert_same_directory(
        "raw read-back",
        &comparable(&read),
        &comparable(&seeded.directory),
    );

    // What the seed is for: deep OUs, over 100 accounts and users, a closed account.
    let dir = &seeded.directory;
    assert!(dir.accounts.len() > 100 && dir.users.len() > 100);
    assert!(
        dir.ous
            .values()
            .any(|o| dir.ou_path(Some(&o.id)).split('/').count() >= 4)
    );
    assert!(
        dir.accounts
            .values()
            .any(|a| a.status == AccountStatus::Suspended)
    );
    assert_eq!(
        dir.accounts[&seeded.management_account_id]
            .parent_id
            .as_deref(),
        Some(seeded.root_id.as_str())
    );
    assert_eq!(
        seeded.ou_ids["Root/Workloads/Prod/Payments"],
        dir.ous.values().find(|o| o.name == "Payments").unwrap().id
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn reset_wipes_the_organization() {
    let (moto, clients, _seeded) = seeded(&SeedSpec::small()).await;
    let (_, ids, org) = &clients;
    moto.reset();
    let err = org.describe_organization().send().await.unwrap_err();
    assert!(
        format!("{err:?}").contains("AWSOrganizationsNotInUseException"),
        "after a reset there is no organization: {err:?}"
    );
    let users = ids
        .list_users()
        .identity_store_id("d-anything")
        .send()
        .await
        .unwrap();
    assert!(users.users().is_empty());
}

/// A minimal loader on the raw SDK clients, independent of the product code.
async fn read_back(clients: &Clients) -> Directory {
    let (sso, ids, org) = clients;
    let mut dir = Directory::default();

    let instances = sso.list_instances().send().await.unwrap();
    let instance = &instances.instances()[0];
    let instance_arn = instance.instance_arn().unwrap().to_string();
    let store = instance.identity_store_id().unwrap().to_string();
    dir.instance = Some(Instance {
        instance_arn: instance_arn.clone(),
        identity_store_id: store.clone(),
        owner_account_id: instance.owner_account_id().map(str::to_string),
    });

    let roots = org.list_roots().send().await.unwrap();
    let mut parents: Vec<String> = Vec::new();
    for root in roots.roots() {
        let id = root.id().unwrap().to_string();
        dir.add_ous([OrgUnit {
            id: id.clone(),
            name: root.name().unwrap().into(),
            parent_id: None,
        }]);
        parents.push(id);
    }
    while let Some(parent) = parents.pop() {
        let mut pages = org
            .list_organizational_units_for_parent()
            .parent_id(&parent)
            .into_paginator()
            .send();
        while let Some(page) = pages.next().await {
            for ou in page.unwrap().organizational_units() {
                let id = ou.id().unwrap().to_string();
                dir.add_ous([OrgUnit {
                    id: id.clone(),
                    name: ou.name().unwrap().into(),
                    parent_id: Some(parent.clone()),
                }]);
                parents.push(id);
            }
        }
        let mut pages = org
            .list_accounts_for_parent()
            .parent_id(&parent)
            .into_paginator()
            .send();
        while let Some(page) = pages.next().await {
            for a in page.unwrap().accounts() {
                let status = match a
                    .status()
                    .map(aws_sdk_organizations::types::AccountStatus::as_str)
                {
                    Some("ACTIVE") => AccountStatus::Active,
                    Some("SUSPENDED") => AccountStatus::Suspended,
                    other => panic!("unexpected account status {other:?}"),
                };
                dir.add_accounts([Account {
                    id: a.id().unwrap().into(),
                    name: a.name().unwrap().into(),
                    email: a.email().unwrap().into(),
                    status,
                    parent_id: Some(parent.clone()),
                }]);
            }
        }
    }

    let mut users = ids
        .list_users()
        .identity_store_id(&store)
        .into_paginator()
        .items()
        .send();
    while let Some(u) = users.next().await {
        let u = u.unwrap();
        let email = u
            .emails()
            .iter()
            .find(|e| e.primary())
            .and_then(|e| e.value())
            .map(str::to_string);
        dir.add_users([User {
            id: u.user_id().into(),
            user_name: u.user_name().unwrap().into(),
            display_name: u.display_name().map(str::to_string),
            email,
            external_ids: Vec::new(),
        }]);
    }
    let mut groups = ids
        .list_groups()
        .identity_store_id(&store)
        .into_paginator()
        .items()
        .send();
    while let Some(g) = groups.next().await {
        let g = g.unwrap();
        dir.add_groups([Group {
            id: g.group_id().into(),
            display_name: g.display_name().unwrap().into(),
            description: g.description().map(str::to_string),
            external_ids: Vec::new(),
        }]);
    }
    let group_ids: Vec<String> = dir.groups.keys().cloned().collect();
    for group_id in group_ids {
        let mut members = ids
            .list_group_memberships()
            .identity_store_id(&store)
            .group_id(&group_id)
            .into_paginator()
            .items()
            .send();
        while let Some(m) = members.next().await {
            let m = m.unwrap();
            let Some(aws_sdk_identitystore::types::MemberId::UserId(user)) = m.member_id() else {
                panic!("unexpected member {m:?}")
            };
            dir.add_memberships([Membership {
                group_id: group_id.clone(),
                user_id: user.clone(),
                membership_id: m.membership_id().map(str::to_string),
            }]);
        }
    }

    let mut arns = sso
        .list_permission_sets()
        .instance_arn(&instance_arn)
        .into_paginator()
        .items()
        .send();
    while let Some(arn) = arns.next().await {
        let arn = arn.unwrap();
        let out = sso
            .describe_permission_set()
            .instance_arn(&instance_arn)
            .permission_set_arn(&arn)
            .send()
            .await
            .unwrap();
        let ps = out.permission_set().unwrap();
        let managed = sso
            .list_managed_policies_in_permission_set()
            .instance_arn(&instance_arn)
            .permission_set_arn(&arn)
            .send()
            .await
            .unwrap();
        let customer = sso
            .list_customer_managed_policy_references_in_permission_set()
            .instance_arn(&instance_arn)
            .permission_set_arn(&arn)
            .send()
            .await
            .unwrap();
        let inline = sso
            .get_inline_policy_for_permission_set()
            .instance_arn(&instance_arn)
            .permission_set_arn(&arn)
            .send()
            .await
            .unwrap();
        dir.add_permission_sets([PermissionSet {
            arn: arn.clone(),
            name: ps.name().unwrap().into(),
            description: ps.description().map(str::to_string),
            session_duration: ps.session_duration().map(str::to_string),
            relay_state: ps.relay_state().map(str::to_string),
            managed_policies: managed
                .attached_managed_policies()
                .iter()
                .map(|p| ManagedPolicy {
                    arn: p.arn().unwrap().into(),
                    name: p.name().unwrap().into(),
                })
                .collect(),
            customer_managed_policies: customer
                .customer_managed_policy_references()
                .iter()
                .map(|p| CustomerPolicyRef {
                    name: p.name().into(),
                    path: p.path().unwrap_or("/").into(),
                })
                .collect(),
            inline_policy: inline
                .inline_policy()
                .filter(|p| !p.is_empty())
                .map(str::to_string),
            provisioned_accounts: Vec::new(),
            outdated_accounts: Vec::new(),
        }]);
    }

    // By pair: every account with every permission set provisioned to it (moto lists the same
    // ones for every account, duplicates included).
    let accounts: Vec<String> = dir.accounts.keys().cloned().collect();
    for account in accounts {
        let provisioned: BTreeSet<String> = sso
            .list_permission_sets_provisioned_to_account()
            .instance_arn(&instance_arn)
            .account_id(&account)
            .send()
            .await
            .unwrap()
            .permission_sets()
            .iter()
            .cloned()
            .collect();
        for ps in provisioned {
            let mut assignments = sso
                .list_account_assignments()
                .instance_arn(&instance_arn)
                .account_id(&account)
                .permission_set_arn(&ps)
                .into_paginator()
                .items()
                .send();
            while let Some(a) = assignments.next().await {
                let a = a.unwrap();
                dir.add_assignments([Assignment {
                    account_id: a.account_id().unwrap().into(),
                    permission_set_arn: a.permission_set_arn().unwrap().into(),
                    principal_type: match a.principal_type().unwrap().as_str() {
                        "GROUP" => PrincipalType::Group,
                        _ => PrincipalType::User,
                    },
                    principal_id: a.principal_id().unwrap().into(),
                }]);
            }
        }
    }
    dir
}
