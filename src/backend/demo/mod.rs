//! An in-memory organization behind the same trait as AWS, with AWS's semantics: a little
//! latency per call, assignment and provisioning requests that stay IN_PROGRESS for a while
//! before they succeed or fail, conflicts, and unknown ids rejected.

mod data;
mod state;

pub use data::{demo_organization, synthetic_organization};

use std::sync::Mutex;
use std::time::Duration;

use async_trait::async_trait;

use super::stats::RequestCounter;
use super::{
    Backend, BackendError, PermissionSetSpec, ProvisioningFilter, RequestStats, RequestStatus,
    Result,
};
use crate::model::{
    Account, Assignment, Directory, Group, Instance, Membership, OrgUnit, PermissionSet, Principal,
    User,
};
use state::{DemoState, RequestKind};

#[derive(Clone, Debug)]
pub struct DemoOptions {
    /// Added to every call, so that loading shows progress as it would against AWS.
    pub latency: Duration,
    /// How long an assignment or provisioning request stays IN_PROGRESS.
    pub completion: Duration,
    /// Behave as a delegated administrator: ListAccountAssignmentsForPrincipal is denied.
    pub delegated_admin: bool,
    /// Organizations calls are denied (a delegated administrator without Organizations access).
    pub organizations_denied: bool,
}

impl Default for DemoOptions {
    fn default() -> Self {
        Self {
            latency: Duration::from_millis(15),
            completion: Duration::from_millis(1500),
            delegated_admin: false,
            organizations_denied: false,
        }
    }
}

impl DemoOptions {
    /// No latency and instant completion, for tests that do not look at timing.
    pub fn instant() -> Self {
        Self {
            latency: Duration::ZERO,
            completion: Duration::ZERO,
            ..Self::default()
        }
    }
}

pub struct DemoBackend {
    state: Mutex<DemoState>,
    opts: DemoOptions,
    counter: RequestCounter,
}

impl DemoBackend {
    pub fn new(dir: Directory, opts: DemoOptions) -> Self {
        Self {
            state: Mutex::new(DemoState::new(dir)),
            opts,
            counter: RequestCounter::default(),
        }
    }

    /// A copy of the organization as it is now, with finished requests applied.
    pub fn directory(&self) -> Directory {
        self.with_state(|s| s.dir.clone())
    }

    fn with_state<T>(&self, f: impl FnOnce(&mut DemoState) -> T) -> T {
        // A poisoned lock only means another call panicked mid-way; the data is still usable.
        let mut guard = self
            .state
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        guard.settle(tokio::time::Instant::now());
        f(&mut guard)
    }

    /// One call on the instance: counted, delayed like AWS, then run on the state once the
    /// instance ARN is known to be this one.
    async fn on_instance<T>(
        &self,
        op: &str,
        instance_arn: &str,
        f: impl FnOnce(&mut DemoState) -> Result<T>,
    ) -> Result<T> {
        self.call(op).await;
        self.with_state(|s| {
            s.require_instance(op, instance_arn)?;
            f(s)
        })
    }

    /// The same for a call on the identity store.
    async fn on_store<T>(
        &self,
        op: &str,
        identity_store_id: &str,
        f: impl FnOnce(&mut DemoState) -> Result<T>,
    ) -> Result<T> {
        self.call(op).await;
        self.with_state(|s| {
            s.require_store(op, identity_store_id)?;
            f(s)
        })
    }

    async fn call(&self, operation: &str) {
        self.counter.count(operation);
        if !self.opts.latency.is_zero() {
            tokio::time::sleep(self.opts.latency).await;
        }
    }

    async fn organizations_call(&self, operation: &str) -> Result<()> {
        self.call(operation).await;
        if self.opts.organizations_denied {
            return Err(BackendError::AccessDenied {
                operation: operation.to_string(),
                message: "You don't have permissions to access this resource.".to_string(),
            });
        }
        Ok(())
    }

    fn ready_at(&self) -> tokio::time::Instant {
        tokio::time::Instant::now() + self.opts.completion
    }
}

#[async_trait]
impl Backend for DemoBackend {
    fn label(&self) -> String {
        "demo".to_string()
    }

    fn stats(&self) -> RequestStats {
        self.counter.snapshot()
    }

    async fn instance(&self) -> Result<Instance> {
        self.call("ListInstances").await;
        self.with_state(|s| {
            s.dir
                .instance
                .clone()
                .ok_or_else(|| BackendError::NotFound {
                    operation: "ListInstances".to_string(),
                    message: "the demo organization has no Identity Center instance".to_string(),
                })
        })
    }

    async fn list_roots(&self) -> Result<Vec<OrgUnit>> {
        self.organizations_call("ListRoots").await?;
        Ok(self.with_state(|s| {
            s.dir
                .ous
                .values()
                .filter(|o| o.parent_id.is_none())
                .cloned()
                .collect()
        }))
    }

    async fn list_child_ous(&self, parent_id: &str) -> Result<Vec<OrgUnit>> {
        self.organizations_call("ListOrganizationalUnitsForParent")
            .await?;
        self.with_state(|s| {
            s.require_ou("ListOrganizationalUnitsForParent", parent_id)?;
            Ok(s.dir
                .ous
                .values()
                .filter(|o| o.parent_id.as_deref() == Some(parent_id))
                .cloned()
                .collect())
        })
    }

    async fn list_accounts_for_parent(&self, parent_id: &str) -> Result<Vec<Account>> {
        self.organizations_call("ListAccountsForParent").await?;
        self.with_state(|s| {
            s.require_ou("ListAccountsForParent", parent_id)?;
            Ok(s.dir
                .accounts
                .values()
                .filter(|a| a.parent_id.as_deref() == Some(parent_id))
                .cloned()
                .collect())
        })
    }

    async fn list_users(&self, identity_store_id: &str) -> Result<Vec<User>> {
        self.on_store("ListUsers", identity_store_id, |s| {
            Ok(s.dir.users.values().cloned().collect())
        })
        .await
    }

    async fn list_groups(&self, identity_store_id: &str) -> Result<Vec<Group>> {
        self.on_store("ListGroups", identity_store_id, |s| {
            Ok(s.dir.groups.values().cloned().collect())
        })
        .await
    }

    async fn list_group_memberships(
        &self,
        identity_store_id: &str,
        group_id: &str,
    ) -> Result<Vec<Membership>> {
        const OP: &str = "ListGroupMemberships";
        self.on_store(OP, identity_store_id, |s| {
            s.require_group(OP, group_id)?;
            Ok(s.dir
                .memberships
                .range((group_id.to_string(), String::new())..)
                .take_while(|((g, _), _)| g == group_id)
                .map(|(_, m)| m.clone())
                .collect())
        })
        .await
    }

    async fn list_permission_sets(&self, instance_arn: &str) -> Result<Vec<String>> {
        self.on_instance("ListPermissionSets", instance_arn, |s| {
            Ok(s.dir.permission_sets.keys().cloned().collect())
        })
        .await
    }

    async fn describe_permission_set(
        &self,
        instance_arn: &str,
        arn: &str,
    ) -> Result<PermissionSet> {
        const OP: &str = "DescribePermissionSet";
        // AWS needs four calls for what the trait returns at once; count them all.
        for op in [
            OP,
            "ListManagedPoliciesInPermissionSet",
            "ListCustomerManagedPolicyReferencesInPermissionSet",
            "GetInlinePolicyForPermissionSet",
        ] {
            self.call(op).await;
        }
        self.with_state(|s| {
            s.require_instance(OP, instance_arn)?;
            let ps = s.require_permission_set(OP, arn)?;
            Ok(PermissionSet {
                provisioned_accounts: Vec::new(),
                outdated_accounts: Vec::new(),
                ..ps.clone()
            })
        })
    }

    async fn list_accounts_for_provisioned_permission_set(
        &self,
        instance_arn: &str,
        arn: &str,
        filter: ProvisioningFilter,
    ) -> Result<Vec<String>> {
        const OP: &str = "ListAccountsForProvisionedPermissionSet";
        self.on_instance(OP, instance_arn, |s| {
            let ps = s.require_permission_set(OP, arn)?;
            Ok(match filter {
                ProvisioningFilter::All => ps.provisioned_accounts.clone(),
                ProvisioningFilter::Outdated => ps.outdated_accounts.clone(),
            })
        })
        .await
    }

    async fn list_permission_sets_provisioned_to_account(
        &self,
        instance_arn: &str,
        account_id: &str,
    ) -> Result<Vec<String>> {
        const OP: &str = "ListPermissionSetsProvisionedToAccount";
        self.on_instance(OP, instance_arn, |s| {
            s.require_account(OP, account_id)?;
            Ok(s.dir
                .permission_sets
                .values()
                .filter(|p| p.provisioned_accounts.iter().any(|a| a == account_id))
                .map(|p| p.arn.clone())
                .collect())
        })
        .await
    }

    async fn list_assignments_for_principal(
        &self,
        instance_arn: &str,
        principal: &Principal,
    ) -> Result<Vec<Assignment>> {
        const OP: &str = "ListAccountAssignmentsForPrincipal";
        self.call(OP).await;
        if self.opts.delegated_admin {
            return Err(BackendError::AccessDenied {
                operation: OP.to_string(),
                message: "only the management account can list assignments by principal"
                    .to_string(),
            });
        }
        self.with_state(|s| {
            s.require_instance(OP, instance_arn)?;
            Ok(s.dir
                .assignments
                .iter()
                .filter(|a| {
                    a.principal_type == principal.principal_type
                        && a.principal_id == principal.principal_id
                })
                .cloned()
                .collect())
        })
    }

    async fn list_assignments(
        &self,
        instance_arn: &str,
        account_id: &str,
        permission_set_arn: &str,
    ) -> Result<Vec<Assignment>> {
        const OP: &str = "ListAccountAssignments";
        self.on_instance(OP, instance_arn, |s| {
            s.require_account(OP, account_id)?;
            s.require_permission_set(OP, permission_set_arn)?;
            Ok(s.dir
                .assignments_on(account_id)
                .filter(|a| a.permission_set_arn == permission_set_arn)
                .cloned()
                .collect())
        })
        .await
    }

    async fn create_assignment(&self, instance_arn: &str, a: &Assignment) -> Result<RequestStatus> {
        const OP: &str = "CreateAccountAssignment";
        // The request finishes `completion` after it was accepted.
        self.on_instance(OP, instance_arn, |s| {
            s.start_assignment_request(OP, RequestKind::Create(a.clone()), self.ready_at())
        })
        .await
    }

    async fn delete_assignment(&self, instance_arn: &str, a: &Assignment) -> Result<RequestStatus> {
        const OP: &str = "DeleteAccountAssignment";
        // The request finishes `completion` after it was accepted.
        self.on_instance(OP, instance_arn, |s| {
            s.start_assignment_request(OP, RequestKind::Delete(a.clone()), self.ready_at())
        })
        .await
    }

    async fn assignment_creation_status(
        &self,
        instance_arn: &str,
        request_id: &str,
    ) -> Result<RequestStatus> {
        const OP: &str = "DescribeAccountAssignmentCreationStatus";
        self.on_instance(OP, instance_arn, |s| s.request_status(OP, request_id))
            .await
    }

    async fn assignment_deletion_status(
        &self,
        instance_arn: &str,
        request_id: &str,
    ) -> Result<RequestStatus> {
        const OP: &str = "DescribeAccountAssignmentDeletionStatus";
        self.on_instance(OP, instance_arn, |s| s.request_status(OP, request_id))
            .await
    }

    async fn create_group_membership(
        &self,
        identity_store_id: &str,
        group_id: &str,
        user_id: &str,
    ) -> Result<String> {
        const OP: &str = "CreateGroupMembership";
        self.on_store(OP, identity_store_id, |s| {
            s.create_membership(OP, group_id, user_id)
        })
        .await
    }

    async fn delete_group_membership(
        &self,
        identity_store_id: &str,
        membership_id: &str,
    ) -> Result<()> {
        const OP: &str = "DeleteGroupMembership";
        self.on_store(OP, identity_store_id, |s| {
            s.delete_membership(OP, membership_id)
        })
        .await
    }

    async fn create_permission_set(
        &self,
        instance_arn: &str,
        spec: &PermissionSetSpec,
    ) -> Result<String> {
        const OP: &str = "CreatePermissionSet";
        self.on_instance(OP, instance_arn, |s| {
            s.create_permission_set(OP, instance_arn, spec)
        })
        .await
    }

    async fn update_permission_set(
        &self,
        instance_arn: &str,
        arn: &str,
        spec: &PermissionSetSpec,
    ) -> Result<()> {
        const OP: &str = "UpdatePermissionSet";
        self.on_instance(OP, instance_arn, |s| {
            s.edit_permission_set(OP, arn, |ps| {
                ps.description.clone_from(&spec.description);
                ps.session_duration = Some(spec.session_duration.clone());
                ps.relay_state.clone_from(&spec.relay_state);
                Ok(())
            })
        })
        .await
    }

    async fn delete_permission_set(&self, instance_arn: &str, arn: &str) -> Result<()> {
        const OP: &str = "DeletePermissionSet";
        self.on_instance(OP, instance_arn, |s| s.delete_permission_set(OP, arn))
            .await
    }

    async fn attach_managed_policy(
        &self,
        instance_arn: &str,
        arn: &str,
        policy_arn: &str,
    ) -> Result<()> {
        const OP: &str = "AttachManagedPolicyToPermissionSet";
        self.on_instance(OP, instance_arn, |s| {
            s.attach_managed_policy(OP, arn, policy_arn)
        })
        .await
    }

    async fn detach_managed_policy(
        &self,
        instance_arn: &str,
        arn: &str,
        policy_arn: &str,
    ) -> Result<()> {
        const OP: &str = "DetachManagedPolicyFromPermissionSet";
        self.on_instance(OP, instance_arn, |s| {
            s.edit_permission_set(OP, arn, |ps| {
                let before = ps.managed_policies.len();
                ps.managed_policies.retain(|p| p.arn != policy_arn);
                if ps.managed_policies.len() == before {
                    return Err(format!("{policy_arn} is not attached to {}", ps.name));
                }
                Ok(())
            })
        })
        .await
    }

    async fn attach_customer_managed_policy(
        &self,
        instance_arn: &str,
        arn: &str,
        name: &str,
        path: &str,
    ) -> Result<()> {
        const OP: &str = "AttachCustomerManagedPolicyReferenceToPermissionSet";
        self.on_instance(OP, instance_arn, |s| {
            s.customer_policy(OP, arn, true, name, path)
        })
        .await
    }

    async fn detach_customer_managed_policy(
        &self,
        instance_arn: &str,
        arn: &str,
        name: &str,
        path: &str,
    ) -> Result<()> {
        const OP: &str = "DetachCustomerManagedPolicyReferenceFromPermissionSet";
        self.on_instance(OP, instance_arn, |s| {
            s.customer_policy(OP, arn, false, name, path)
        })
        .await
    }

    async fn put_inline_policy(
        &self,
        instance_arn: &str,
        arn: &str,
        policy: Option<&str>,
    ) -> Result<()> {
        const OP: &str = "PutInlinePolicyToPermissionSet";
        self.on_instance(OP, instance_arn, |s| {
            s.edit_permission_set(OP, arn, |ps| {
                ps.inline_policy = policy.map(str::to_string);
                Ok(())
            })
        })
        .await
    }

    async fn provision_permission_set(
        &self,
        instance_arn: &str,
        arn: &str,
        account_id: Option<&str>,
    ) -> Result<RequestStatus> {
        const OP: &str = "ProvisionPermissionSet";
        // The request finishes `completion` after it was accepted.
        self.on_instance(OP, instance_arn, |s| {
            s.start_provisioning(OP, arn, account_id, self.ready_at())
        })
        .await
    }

    async fn provisioning_status(
        &self,
        instance_arn: &str,
        request_id: &str,
    ) -> Result<RequestStatus> {
        const OP: &str = "DescribePermissionSetProvisioningStatus";
        self.on_instance(OP, instance_arn, |s| s.request_status(OP, request_id))
            .await
    }
}

#[cfg(test)]
mod tests;
