use super::store::{JournalEntry, Store};
use super::*;
use crate::model::PrincipalType;

fn a(account: &str) -> Assignment {
    Assignment {
        account_id: account.into(),
        permission_set_arn: "arn:ps".into(),
        principal_type: PrincipalType::Group,
        principal_id: "g".into(),
    }
}

fn dir_with(existing: &[&str]) -> Directory {
    let mut d = Directory::default();
    d.add_assignments(existing.iter().map(|x| a(x)));
    d
}

#[test]
fn staging_rules() {
    let dir = dir_with(&["1"]);
    let mut plan = Plan::default();
    assert_eq!(
        plan.stage(Change::Assign(a("1")), &dir),
        Err(Refusal::AlreadyTrue)
    );
    assert_eq!(
        plan.stage(Change::Unassign(a("2")), &dir),
        Err(Refusal::AlreadyTrue)
    );
    let id = plan.stage(Change::Assign(a("2")), &dir).expect("staged");
    assert_eq!(
        plan.stage(Change::Assign(a("2")), &dir),
        Err(Refusal::AlreadyStaged)
    );
    plan.stage(Change::Unassign(a("1")), &dir).expect("staged");
    assert_eq!(plan.staged().count(), 2);
    // The opposite of a staged change cancels it.
    assert_eq!(
        plan.stage(Change::Unassign(a("2")), &dir),
        Err(Refusal::CancelledOpposite)
    );
    assert!(plan.items.iter().all(|i| i.id != id));
}

#[test]
fn in_flight_items_cannot_be_dropped_and_restore_stages_them_again() {
    let dir = dir_with(&[]);
    let mut plan = Plan::default();
    let sent = plan.stage(Change::Assign(a("1")), &dir).expect("staged");
    let done = plan.stage(Change::Assign(a("2")), &dir).expect("staged");
    plan.set_status(
        sent,
        ItemStatus::InProgress {
            request_id: "r".into(),
        },
    );
    plan.set_status(
        done,
        ItemStatus::Succeeded {
            request_id: "r2".into(),
        },
    );
    assert!(!plan.drop_item(sent));
    assert!(plan.running());
    let restored = plan.clone().restored();
    assert_eq!(restored.items.len(), 1);
    assert_eq!(restored.items[0].status, ItemStatus::Staged);
    assert!(plan.drop_item(done));
}

#[test]
fn command_lines_name_every_id() {
    let instance = crate::model::Instance {
        instance_arn: "arn:aws:sso:::instance/ssoins-1".into(),
        identity_store_id: "d-1".into(),
        owner_account_id: None,
    };
    let line = command_line(&Change::Unassign(a("123456789012")), &instance);
    assert_eq!(
        line,
        "aws sso-admin delete-account-assignment --instance-arn arn:aws:sso:::instance/ssoins-1 --target-id 123456789012 --target-type AWS_ACCOUNT --permission-set-arn arn:ps --principal-type GROUP --principal-id g"
    );
    let add = Change::AddMember {
        group_id: "g".into(),
        user_id: "u".into(),
    };
    assert_eq!(
        command_line(&add, &instance),
        "aws identitystore create-group-membership --identity-store-id d-1 --group-id g --member-id UserId=u"
    );
    assert!(
        command_line(&add.inverse().expect("invertible"), &instance).contains(
            "get-group-membership-id --identity-store-id d-1 --group-id g --member-id UserId=u"
        )
    );
}

#[test]
fn plan_survives_a_restart_and_damage_is_reported() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let store = Store::new(tmp.path(), "arn:aws:sso:::instance/ssoins-abc");
    assert_eq!(store.load_plan(), Ok(Plan::default()));
    let mut plan = Plan::default();
    plan.stage(Change::Assign(a("1")), &dir_with(&[]))
        .expect("staged");
    store.save_plan(&plan).expect("saved");
    assert_eq!(store.load_plan(), Ok(plan.clone()));
    assert!(store.plan_path().starts_with(tmp.path().join("ssoins-abc")));
    std::fs::write(store.plan_path(), "{ half").expect("write");
    let err = store.load_plan().expect_err("damaged");
    assert!(
        err.contains("plan.json") && err.contains("damaged"),
        "{err}"
    );
}

#[test]
fn journal_returns_the_last_batch() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let store = Store::new(tmp.path(), "ssoins-x");
    assert!(store.last_batch().expect("empty").is_empty());
    let dir = dir_with(&[]);
    let entry = |batch: &str, account: &str| {
        JournalEntry::new(
            &dir,
            batch,
            &Change::Assign(a(account)),
            Some("r".into()),
            "SUCCEEDED".into(),
            "t".into(),
        )
    };
    store.append_journal(&[entry("b1", "1")]).expect("append");
    store
        .append_journal(&[entry("b2", "2"), entry("b2", "3")])
        .expect("append");
    let last = store.last_batch().expect("read");
    assert_eq!(last.len(), 2);
    assert!(last.iter().all(|e| e.batch == "b2" && e.succeeded()));
}

#[test]
fn membership_changes_follow_the_same_rules() {
    let mut dir = dir_with(&[]);
    dir.add_memberships([crate::model::Membership {
        group_id: "g".into(),
        user_id: "u1".into(),
        membership_id: None,
    }]);
    let mut plan = Plan::default();
    let add = |u: &str| Change::AddMember {
        group_id: "g".into(),
        user_id: u.into(),
    };
    assert_eq!(plan.stage(add("u1"), &dir), Err(Refusal::AlreadyTrue));
    plan.stage(add("u2"), &dir).expect("staged");
    assert_eq!(
        plan.stage(add("u2").inverse().expect("invertible"), &dir),
        Err(Refusal::CancelledOpposite)
    );
    plan.stage(add("u1").inverse().expect("invertible"), &dir)
        .expect("staged removal");
    assert_eq!(plan.staged().count(), 1);
    assert_ne!(
        add("u1").lane(),
        add("u2").lane(),
        "memberships do not wait for each other"
    );
}

#[test]
fn permission_set_changes_have_commands_lanes_and_no_inverse() {
    let instance = crate::model::Instance {
        instance_arn: "arn:aws:sso:::instance/ssoins-1".into(),
        identity_store_id: "d-1".into(),
        owner_account_id: None,
    };
    let create = Change::CreatePermissionSet(PermissionSetSpec {
        name: "ReadOnlyEC2".into(),
        description: Some("EC2 read only, it's safe".into()),
        session_duration: "PT1H".into(),
        relay_state: Some("https://console.aws.amazon.com/ec2/".into()),
    });
    assert_eq!(
        command_line(&create, &instance),
        "aws sso-admin create-permission-set --instance-arn arn:aws:sso:::instance/ssoins-1 --name ReadOnlyEC2 --session-duration PT1H --description 'EC2 read only, it'\\''s safe' --relay-state https://console.aws.amazon.com/ec2/"
    );
    let attach = Change::AttachManagedPolicy {
        permission_set_arn: "arn:ps".into(),
        policy_arn: "arn:aws:iam::aws:policy/job-function/ViewOnlyAccess".into(),
    };
    assert_eq!(
        command_line(&attach, &instance),
        "aws sso-admin attach-managed-policy-to-permission-set --instance-arn arn:aws:sso:::instance/ssoins-1 --permission-set-arn arn:ps --managed-policy-arn arn:aws:iam::aws:policy/job-function/ViewOnlyAccess"
    );
    let provision = Change::Provision {
        permission_set_arn: "arn:ps".into(),
    };
    assert_eq!(
        command_line(&provision, &instance),
        "aws sso-admin provision-permission-set --instance-arn arn:aws:sso:::instance/ssoins-1 --permission-set-arn arn:ps --target-type ALL_PROVISIONED_ACCOUNTS"
    );
    for change in [&create, &attach, &provision] {
        assert_eq!(change.inverse(), None);
        assert!(change.is_addition());
        // Saved as JSON in the plan and the journal.
        let json = serde_json::to_string(change).expect("json");
        assert_eq!(
            &serde_json::from_str::<Change>(&json).expect("back"),
            change
        );
    }
    assert_eq!(attach.lane(), provision.lane());
    assert_ne!(create.lane(), attach.lane());

    // Already true: a set with the name exists; the policy is attached; provisioning never.
    let mut dir = Directory::default();
    assert!(!create.already_true(&dir));
    dir.add_permission_sets([crate::model::PermissionSet {
        arn: "arn:ps".into(),
        name: "ReadOnlyEC2".into(),
        managed_policies: vec![crate::model::ManagedPolicy {
            arn: "arn:aws:iam::aws:policy/job-function/ViewOnlyAccess".into(),
            name: "ViewOnlyAccess".into(),
        }],
        provisioned_accounts: vec!["1".into(), "2".into()],
        ..Default::default()
    }]);
    assert!(create.already_true(&dir));
    assert!(attach.already_true(&dir));
    assert!(!provision.already_true(&dir));
    assert_eq!(
        attach.describe(&dir),
        "attach ViewOnlyAccess to permission set ReadOnlyEC2"
    );
    assert_eq!(
        provision.describe(&dir),
        "provision permission set ReadOnlyEC2 to its 2 accounts"
    );
    let mut plan = Plan::default();
    assert_eq!(plan.stage(attach, &dir), Err(Refusal::AlreadyTrue));
    plan.stage(provision.clone(), &dir).expect("staged");
    assert_eq!(plan.stage(provision, &dir), Err(Refusal::AlreadyStaged));
}

#[test]
fn edit_detach_and_delete_have_commands_lanes_checks_and_no_inverse() {
    let instance = crate::model::Instance {
        instance_arn: "arn:aws:sso:::instance/ssoins-1".into(),
        identity_store_id: "d-1".into(),
        owner_account_id: None,
    };
    let spec = PermissionSetSpec {
        name: "ReadOnly".into(),
        description: Some("Read it all".into()),
        session_duration: "PT2H".into(),
        relay_state: None,
    };
    let update = Change::UpdatePermissionSet {
        permission_set_arn: "arn:ps".into(),
        spec: spec.clone(),
    };
    let detach = Change::DetachManagedPolicy {
        permission_set_arn: "arn:ps".into(),
        policy_arn: "arn:aws:iam::aws:policy/ReadOnlyAccess".into(),
    };
    let delete = Change::DeletePermissionSet {
        permission_set_arn: "arn:ps".into(),
    };
    assert_eq!(
        command_line(&update, &instance),
        "aws sso-admin update-permission-set --instance-arn arn:aws:sso:::instance/ssoins-1 --permission-set-arn arn:ps --session-duration PT2H --description 'Read it all'"
    );
    assert_eq!(
        command_line(&detach, &instance),
        "aws sso-admin detach-managed-policy-from-permission-set --instance-arn arn:aws:sso:::instance/ssoins-1 --permission-set-arn arn:ps --managed-policy-arn arn:aws:iam::aws:policy/ReadOnlyAccess"
    );
    assert_eq!(
        command_line(&delete, &instance),
        "aws sso-admin delete-permission-set --instance-arn arn:aws:sso:::instance/ssoins-1 --permission-set-arn arn:ps"
    );
    let provision = Change::Provision {
        permission_set_arn: "arn:ps".into(),
    };
    for change in [&update, &detach, &delete] {
        assert_eq!(change.inverse(), None);
        assert_eq!(change.lane(), provision.lane());
        assert_eq!(change.permission_set_arn(), Some("arn:ps"));
        let json = serde_json::to_string(change).expect("json");
        assert_eq!(
            &serde_json::from_str::<Change>(&json).expect("back"),
            change
        );
    }
    assert!(update.is_addition());
    assert!(!detach.is_addition());
    assert!(!delete.is_addition());

    // Nothing in the directory: the update and the detachment cannot be true, the deletion is.
    let mut dir = Directory::default();
    assert!(!update.already_true(&dir));
    assert!(detach.already_true(&dir));
    assert!(delete.already_true(&dir));
    dir.add_permission_sets([crate::model::PermissionSet {
        arn: "arn:ps".into(),
        name: "ReadOnly".into(),
        description: Some("Read everything".into()),
        session_duration: Some("PT8H".into()),
        managed_policies: vec![crate::model::ManagedPolicy {
            arn: "arn:aws:iam::aws:policy/ReadOnlyAccess".into(),
            name: "ReadOnlyAccess".into(),
        }],
        ..Default::default()
    }]);
    assert!(!update.already_true(&dir));
    assert!(!detach.already_true(&dir));
    assert!(!delete.already_true(&dir));
    assert_eq!(
        update.describe(&dir),
        "update permission set ReadOnly: session PT2H, description \"Read it all\", relay state none"
    );
    assert_eq!(
        detach.describe(&dir),
        "detach ReadOnlyAccess from permission set ReadOnly"
    );
    assert_eq!(delete.describe(&dir), "delete permission set ReadOnly");
    let entry = JournalEntry::new(&dir, "b", &delete, None, "SUCCEEDED".into(), "t".into());
    assert_eq!(entry.permission_set_name.as_deref(), Some("ReadOnly"));

    // The same settings: already true, refused at staging.
    let ps = dir.permission_sets.get_mut("arn:ps").expect("there");
    ps.description = Some("Read it all".into());
    ps.session_duration = Some("PT2H".into());
    assert!(update.already_true(&dir));
    let mut plan = Plan::default();
    assert_eq!(plan.stage(update, &dir), Err(Refusal::AlreadyTrue));
    plan.stage(delete.clone(), &dir).expect("staged");
    assert_eq!(plan.stage(delete, &dir), Err(Refusal::AlreadyStaged));
}

#[test]
fn inline_policy_changes_describe_and_command_line() {
    use crate::model::{Instance, PermissionSet};
    let mut dir = Directory::default();
    dir.add_permission_sets([PermissionSet {
        arn: "arn:ps".to_string(),
        name: "Dev".to_string(),
        inline_policy: Some(r#"{"Statement": []}"#.to_string()),
        ..PermissionSet::default()
    }]);
    let instance = Instance {
        instance_arn: "arn:aws:sso:::instance/ssoins-1".to_string(),
        identity_store_id: "d-1".to_string(),
        owner_account_id: None,
    };
    let put = Change::PutInlinePolicy {
        permission_set_arn: "arn:ps".to_string(),
        policy: Some(r#"{"Statement":[1]}"#.to_string()),
    };
    let delete = Change::PutInlinePolicy {
        permission_set_arn: "arn:ps".to_string(),
        policy: None,
    };
    assert_eq!(
        put.describe(&dir),
        "set the inline policy of permission set Dev (17 characters)"
    );
    assert_eq!(
        delete.describe(&dir),
        "delete the inline policy of permission set Dev"
    );
    assert_eq!(put.lane(), "permission set arn:ps");
    assert_eq!(put.inverse(), None);
    assert!(!put.already_true(&dir));
    assert!(!delete.already_true(&dir));
    // The same policy, whatever its layout, is already true.
    let same = Change::PutInlinePolicy {
        permission_set_arn: "arn:ps".to_string(),
        policy: Some(r#"{"Statement":[]}"#.to_string()),
    };
    assert!(same.already_true(&dir));
    assert!(command_line(&put, &instance).starts_with(
        "aws sso-admin put-inline-policy-to-permission-set --instance-arn arn:aws:sso:::instance/ssoins-1 --permission-set-arn arn:ps --inline-policy file://policy.json"
    ));
    assert_eq!(
        command_line(&delete, &instance),
        "aws sso-admin delete-inline-policy-from-permission-set --instance-arn arn:aws:sso:::instance/ssoins-1 --permission-set-arn arn:ps"
    );
}

#[test]
fn customer_policy_references_have_commands_lanes_and_checks() {
    let instance = crate::model::Instance {
        instance_arn: "arn:aws:sso:::instance/ssoins-1".into(),
        identity_store_id: "d-1".into(),
        owner_account_id: None,
    };
    let attach = Change::AttachCustomerPolicy {
        permission_set_arn: "arn:ps".into(),
        name: "ReadBilling".into(),
        path: "/finance/".into(),
    };
    let detach = Change::DetachCustomerPolicy {
        permission_set_arn: "arn:ps".into(),
        name: "ReadBilling".into(),
        path: "/finance/".into(),
    };
    assert_eq!(
        command_line(&attach, &instance),
        "aws sso-admin attach-customer-managed-policy-reference-to-permission-set --instance-arn arn:aws:sso:::instance/ssoins-1 --permission-set-arn arn:ps --customer-managed-policy-reference Name=ReadBilling,Path=/finance/"
    );
    assert_eq!(
        command_line(&detach, &instance),
        "aws sso-admin detach-customer-managed-policy-reference-from-permission-set --instance-arn arn:aws:sso:::instance/ssoins-1 --permission-set-arn arn:ps --customer-managed-policy-reference Name=ReadBilling,Path=/finance/"
    );
    let provision = Change::Provision {
        permission_set_arn: "arn:ps".into(),
    };
    for change in [&attach, &detach] {
        assert_eq!(change.inverse(), None);
        assert_eq!(change.lane(), provision.lane());
        assert_eq!(change.permission_set_arn(), Some("arn:ps"));
        let json = serde_json::to_string(change).expect("json");
        assert_eq!(
            &serde_json::from_str::<Change>(&json).expect("back"),
            change
        );
    }
    assert!(attach.is_addition());
    assert!(!detach.is_addition());

    let mut dir = Directory::default();
    assert!(!attach.already_true(&dir));
    assert!(detach.already_true(&dir));
    dir.add_permission_sets([crate::model::PermissionSet {
        arn: "arn:ps".into(),
        name: "Billing".into(),
        customer_managed_policies: vec![crate::model::CustomerPolicyRef {
            name: "ReadBilling".into(),
            path: "/".into(),
        }],
        ..Default::default()
    }]);
    // The same name on another path is another reference.
    assert!(!attach.already_true(&dir));
    assert!(detach.already_true(&dir));
    if let Some(ps) = dir.permission_sets.get_mut("arn:ps") {
        ps.customer_managed_policies
            .push(crate::model::CustomerPolicyRef {
                name: "ReadBilling".into(),
                path: "/finance/".into(),
            });
    }
    assert!(attach.already_true(&dir));
    assert!(!detach.already_true(&dir));
    assert_eq!(
        attach.describe(&dir),
        "attach customer managed policy /finance/ReadBilling to permission set Billing"
    );
    assert_eq!(
        detach.describe(&dir),
        "detach customer managed policy /finance/ReadBilling from permission set Billing"
    );
    let entry = JournalEntry::new(&dir, "b", &attach, None, "SUCCEEDED".into(), "t".into());
    assert_eq!(entry.permission_set_name.as_deref(), Some("Billing"));
}
