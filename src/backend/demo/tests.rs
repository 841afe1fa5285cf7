use std::time::Duration;

use super::*;
use crate::backend::RequestState;
use crate::model::{AccountStatus, PrincipalType};

const INSTANCE: &str = "arn:aws:sso:::instance/ssoins-test";
const STORE: &str = "d-test";
const PS: &str = "arn:aws:sso:::permissionSet/ssoins-test/ps-1";

fn org() -> Directory {
    let mut d = Directory {
        instance: Some(Instance {
            instance_arn: INSTANCE.into(),
            identity_store_id: STORE.into(),
            owner_account_id: None,
        }),
        ..Directory::default()
    };
    d.add_ous([OrgUnit {
        id: "r-1".into(),
        name: "Root".into(),
        parent_id: None,
    }]);
    for (id, status) in [
        ("111111111111", AccountStatus::Active),
        ("222222222222", AccountStatus::Suspended),
    ] {
        d.add_accounts([Account {
            id: id.into(),
            name: format!("acct-{id}"),
            email: String::new(),
            status,
            parent_id: Some("r-1".into()),
        }]);
    }
    d.add_groups([Group {
        id: "g-1".into(),
        display_name: "Admins".into(),
        description: None,
        external_ids: vec![],
    }]);
    d.add_users([User {
        id: "u-1".into(),
        user_name: "ana".into(),
        display_name: None,
        email: None,
        external_ids: vec![],
    }]);
    d.add_permission_sets([PermissionSet {
        arn: PS.into(),
        name: "Admin".into(),
        ..PermissionSet::default()
    }]);
    d
}

fn grant(account: &str) -> Assignment {
    Assignment {
        account_id: account.into(),
        permission_set_arn: PS.into(),
        principal_type: PrincipalType::Group,
        principal_id: "g-1".into(),
    }
}

fn slow() -> DemoOptions {
    DemoOptions {
        latency: Duration::ZERO,
        completion: Duration::from_secs(2),
        ..DemoOptions::default()
    }
}

#[tokio::test(start_paused = true)]
async fn creation_is_in_progress_then_succeeds() {
    let b = DemoBackend::new(org(), slow());
    let st = b
        .create_assignment(INSTANCE, &grant("111111111111"))
        .await
        .expect("accepted");
    assert_eq!(st.state, RequestState::InProgress);
    assert!(
        b.directory().assignments.is_empty(),
        "not applied before it succeeds"
    );
    tokio::time::advance(Duration::from_secs(3)).await;
    let st = b
        .assignment_creation_status(INSTANCE, &st.request_id)
        .await
        .expect("status");
    assert_eq!(st.state, RequestState::Succeeded);
    let dir = b.directory();
    assert!(dir.assignments.contains(&grant("111111111111")));
    assert!(
        dir.permission_sets[PS]
            .provisioned_accounts
            .contains(&"111111111111".to_string())
    );
}

#[tokio::test(start_paused = true)]
async fn creation_on_a_suspended_account_fails_with_a_reason() {
    let b = DemoBackend::new(org(), slow());
    let st = b
        .create_assignment(INSTANCE, &grant("222222222222"))
        .await
        .expect("accepted");
    tokio::time::advance(Duration::from_secs(3)).await;
    let st = b
        .assignment_creation_status(INSTANCE, &st.request_id)
        .await
        .expect("status");
    match st.state {
        RequestState::Failed(reason) => assert!(reason.contains("suspended"), "{reason}"),
        other => panic!("expected FAILED, got {other:?}"),
    }
    assert!(b.directory().assignments.is_empty());
}

#[tokio::test(start_paused = true)]
async fn one_change_per_account_and_duplicates_conflict() {
    let b = DemoBackend::new(org(), slow());
    b.create_assignment(INSTANCE, &grant("111111111111"))
        .await
        .expect("accepted");
    let mut other = grant("111111111111");
    other.principal_type = PrincipalType::User;
    other.principal_id = "u-1".into();
    let err = b
        .create_assignment(INSTANCE, &other)
        .await
        .expect_err("account busy");
    assert!(matches!(err, BackendError::Conflict { .. }), "{err}");
    tokio::time::advance(Duration::from_secs(3)).await;
    let err = b
        .create_assignment(INSTANCE, &grant("111111111111"))
        .await
        .expect_err("duplicate");
    assert!(matches!(err, BackendError::Conflict { .. }), "{err}");
    // The account is free again: the user assignment goes through now.
    b.create_assignment(INSTANCE, &other)
        .await
        .expect("accepted after the first finished");
}

#[tokio::test]
async fn unknown_ids_are_rejected() {
    let b = DemoBackend::new(org(), DemoOptions::instant());
    let mut a = grant("999999999999");
    assert!(matches!(
        b.create_assignment(INSTANCE, &a).await,
        Err(BackendError::Validation { .. })
    ));
    a.account_id = "111111111111".into();
    a.principal_id = "g-deleted".into();
    assert!(matches!(
        b.create_assignment(INSTANCE, &a).await,
        Err(BackendError::Validation { .. })
    ));
    a.principal_id = "g-1".into();
    a.permission_set_arn = "arn:nope".into();
    assert!(matches!(
        b.create_assignment(INSTANCE, &a).await,
        Err(BackendError::NotFound { .. })
    ));
    assert!(matches!(
        b.list_users("d-other").await,
        Err(BackendError::Validation { .. })
    ));
    assert!(matches!(
        b.delete_assignment(INSTANCE, &grant("111111111111")).await,
        Err(BackendError::NotFound { .. })
    ));
}

#[tokio::test]
async fn delegated_admin_cannot_list_by_principal() {
    let opts = DemoOptions {
        delegated_admin: true,
        ..DemoOptions::instant()
    };
    let b = DemoBackend::new(org(), opts);
    let p = Principal {
        principal_type: PrincipalType::Group,
        principal_id: "g-1".into(),
    };
    assert!(matches!(
        b.list_assignments_for_principal(INSTANCE, &p).await,
        Err(BackendError::AccessDenied { .. })
    ));
    assert_eq!(b.stats().get("ListAccountAssignmentsForPrincipal"), 1);
}

#[tokio::test]
async fn memberships_and_permission_set_edits() {
    let b = DemoBackend::new(org(), DemoOptions::instant());
    let id = b
        .create_group_membership(STORE, "g-1", "u-1")
        .await
        .expect("created");
    assert!(matches!(
        b.create_group_membership(STORE, "g-1", "u-1").await,
        Err(BackendError::Conflict { .. })
    ));
    assert_eq!(b.directory().members_of("g-1").collect::<Vec<_>>(), ["u-1"]);
    b.delete_group_membership(STORE, &id)
        .await
        .expect("deleted");
    assert_eq!(b.directory().memberships.len(), 0);

    b.create_assignment(INSTANCE, &grant("111111111111"))
        .await
        .expect("assigned");
    b.attach_managed_policy(INSTANCE, PS, "arn:aws:iam::aws:policy/job-function/Billing")
        .await
        .expect("attached");
    let outdated = b
        .list_accounts_for_provisioned_permission_set(INSTANCE, PS, ProvisioningFilter::Outdated)
        .await
        .expect("listed");
    assert_eq!(
        outdated,
        ["111111111111"],
        "an edit leaves provisioned accounts outdated"
    );
    let st = b
        .provision_permission_set(INSTANCE, PS, None)
        .await
        .expect("provisioning");
    assert_eq!(st.state, RequestState::Succeeded);
    let outdated = b
        .list_accounts_for_provisioned_permission_set(INSTANCE, PS, ProvisioningFilter::Outdated)
        .await
        .expect("listed");
    assert!(outdated.is_empty());
    assert!(matches!(
        b.delete_permission_set(INSTANCE, PS).await,
        Err(BackendError::Conflict { .. })
    ));
}
