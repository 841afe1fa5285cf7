//! SDK types to model types. Records without the id that makes them usable are skipped
//! (`None`) rather than turned into empty strings.

use aws_sdk_identitystore::types as ids;
use aws_sdk_organizations::types as org;
use aws_sdk_ssoadmin::types as sso;

use crate::backend::{RequestState, RequestStatus};
use crate::model::{
    Account, AccountStatus, Assignment, CustomerPolicyRef, ExternalId, Group, ManagedPolicy,
    Membership, OrgUnit, PermissionSet, PrincipalType, User,
};

pub(crate) fn root(root: &org::Root) -> Option<OrgUnit> {
    let id = root.id()?.to_string();
    Some(OrgUnit {
        name: root.name().unwrap_or("Root").to_string(),
        id,
        parent_id: None,
    })
}

pub(crate) fn org_unit(ou: &org::OrganizationalUnit, parent_id: &str) -> Option<OrgUnit> {
    let id = ou.id()?.to_string();
    Some(OrgUnit {
        name: ou.name().unwrap_or(&id).to_string(),
        id,
        parent_id: Some(parent_id.to_string()),
    })
}

pub(crate) fn account(account: &org::Account, parent_id: &str) -> Option<Account> {
    let id = account.id()?.to_string();
    Some(Account {
        name: account.name().unwrap_or(&id).to_string(),
        email: account.email().unwrap_or_default().to_string(),
        status: account_status(account),
        id,
        parent_id: Some(parent_id.to_string()),
    })
}

/// `Status` while Organizations still sends it (retired in September 2026), else `State`.
fn account_status(account: &org::Account) -> AccountStatus {
    if let Some(status) = account.status() {
        return match status {
            org::AccountStatus::Active => AccountStatus::Active,
            org::AccountStatus::Suspended => AccountStatus::Suspended,
            org::AccountStatus::PendingClosure => AccountStatus::PendingClosure,
            _ => AccountStatus::Unknown,
        };
    }
    match account.state() {
        Some(org::AccountState::Active | org::AccountState::PendingActivation) => {
            AccountStatus::Active
        }
        // A closed account stays suspended for 90 days before it disappears.
        Some(org::AccountState::Suspended | org::AccountState::Closed) => AccountStatus::Suspended,
        Some(org::AccountState::PendingClosure) => AccountStatus::PendingClosure,
        _ => AccountStatus::Unknown,
    }
}

fn external_ids(ids: &[ids::ExternalId]) -> Vec<ExternalId> {
    ids.iter()
        .map(|e| ExternalId {
            issuer: e.issuer().to_string(),
            id: e.id().to_string(),
        })
        .collect()
}

pub(crate) fn user(user: &ids::User) -> User {
    let emails = user.emails();
    let email = emails
        .iter()
        .find(|e| e.primary())
        .or_else(|| emails.first())
        .and_then(|e| e.value())
        .map(str::to_string);
    User {
        id: user.user_id().to_string(),
        // UserName is required by the API; the id is a better stand-in than an empty name.
        user_name: user.user_name().unwrap_or(user.user_id()).to_string(),
        display_name: user.display_name().map(str::to_string),
        email,
        external_ids: external_ids(user.external_ids()),
    }
}

pub(crate) fn group(group: &ids::Group) -> Group {
    Group {
        id: group.group_id().to_string(),
        display_name: group.display_name().unwrap_or(group.group_id()).to_string(),
        description: group.description().map(str::to_string),
        external_ids: external_ids(group.external_ids()),
    }
}

/// Only user members count: nested groups are not supported by Identity Center.
pub(crate) fn membership(m: &ids::GroupMembership, group_id: &str) -> Option<Membership> {
    let ids::MemberId::UserId(user_id) = m.member_id()? else {
        return None;
    };
    Some(Membership {
        group_id: m.group_id().unwrap_or(group_id).to_string(),
        user_id: user_id.clone(),
        membership_id: m.membership_id().map(str::to_string),
    })
}

pub(crate) fn principal_type(t: &sso::PrincipalType) -> Option<PrincipalType> {
    match t {
        sso::PrincipalType::Group => Some(PrincipalType::Group),
        sso::PrincipalType::User => Some(PrincipalType::User),
        _ => None,
    }
}

pub(crate) fn sdk_principal_type(t: PrincipalType) -> sso::PrincipalType {
    match t {
        PrincipalType::Group => sso::PrincipalType::Group,
        PrincipalType::User => sso::PrincipalType::User,
    }
}

pub(crate) fn assignment(a: &sso::AccountAssignment) -> Option<Assignment> {
    Some(Assignment {
        account_id: a.account_id()?.to_string(),
        permission_set_arn: a.permission_set_arn()?.to_string(),
        principal_type: principal_type(a.principal_type()?)?,
        principal_id: a.principal_id()?.to_string(),
    })
}

pub(crate) fn assignment_for_principal(
    a: &sso::AccountAssignmentForPrincipal,
) -> Option<Assignment> {
    Some(Assignment {
        account_id: a.account_id()?.to_string(),
        permission_set_arn: a.permission_set_arn()?.to_string(),
        principal_type: principal_type(a.principal_type()?)?,
        principal_id: a.principal_id()?.to_string(),
    })
}

pub(crate) fn permission_set(ps: &sso::PermissionSet, arn: &str) -> PermissionSet {
    PermissionSet {
        arn: ps.permission_set_arn().unwrap_or(arn).to_string(),
        name: ps.name().unwrap_or_default().to_string(),
        description: ps.description().map(str::to_string),
        session_duration: ps.session_duration().map(str::to_string),
        relay_state: ps.relay_state().map(str::to_string),
        ..PermissionSet::default()
    }
}

pub(crate) fn managed_policy(p: &sso::AttachedManagedPolicy) -> Option<ManagedPolicy> {
    let arn = p.arn()?.to_string();
    let name = match p.name() {
        Some(name) => name.to_string(),
        None => arn.rsplit('/').next().unwrap_or(&arn).to_string(),
    };
    Some(ManagedPolicy { arn, name })
}

pub(crate) fn customer_policy(p: &sso::CustomerManagedPolicyReference) -> CustomerPolicyRef {
    CustomerPolicyRef {
        name: p.name().to_string(),
        path: p.path().unwrap_or("/").to_string(),
    }
}

/// The state of an asynchronous request; an answer without a status is taken as still running.
pub(crate) fn request_state(
    status: Option<&sso::StatusValues>,
    reason: Option<&str>,
) -> RequestState {
    match status {
        None | Some(sso::StatusValues::InProgress) => RequestState::InProgress,
        Some(sso::StatusValues::Succeeded) => RequestState::Succeeded,
        Some(sso::StatusValues::Failed) => {
            RequestState::Failed(reason.unwrap_or("no reason given").to_string())
        }
        // A status this SDK does not know: stop polling and show it rather than wait forever.
        Some(other) => RequestState::Failed(format!("unexpected status {}", other.as_str())),
    }
}

pub(crate) fn assignment_status(s: &sso::AccountAssignmentOperationStatus) -> RequestStatus {
    RequestStatus {
        request_id: s.request_id().unwrap_or_default().to_string(),
        state: request_state(s.status(), s.failure_reason()),
    }
}

pub(crate) fn provisioning_status(s: &sso::PermissionSetProvisioningStatus) -> RequestStatus {
    RequestStatus {
        request_id: s.request_id().unwrap_or_default().to_string(),
        state: request_state(s.status(), s.failure_reason()),
    }
}
