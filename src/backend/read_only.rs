//! A backend that reads through another and refuses every change: `--read-only` holds even
//! if a key or a bug tried to send one.

use std::sync::Arc;

use async_trait::async_trait;

use super::{
    Backend, BackendError, PermissionSetSpec, ProvisioningFilter, RequestStats, RequestStatus,
    Result,
};
use crate::model::{
    Account, Assignment, Group, Instance, Membership, OrgUnit, PermissionSet, Principal, User,
};

pub struct ReadOnly(pub Arc<dyn Backend>);

fn refuse<T>(operation: &str) -> Result<T> {
    Err(BackendError::ReadOnly(operation.to_string()))
}

#[async_trait]
impl Backend for ReadOnly {
    fn label(&self) -> String {
        format!("{}, read-only", self.0.label())
    }
    fn stats(&self) -> RequestStats {
        self.0.stats()
    }
    async fn instance(&self) -> Result<Instance> {
        self.0.instance().await
    }
    async fn list_roots(&self) -> Result<Vec<OrgUnit>> {
        self.0.list_roots().await
    }
    async fn list_child_ous(&self, parent_id: &str) -> Result<Vec<OrgUnit>> {
        self.0.list_child_ous(parent_id).await
    }
    async fn list_accounts_for_parent(&self, parent_id: &str) -> Result<Vec<Account>> {
        self.0.list_accounts_for_parent(parent_id).await
    }
    async fn list_users(&self, store: &str) -> Result<Vec<User>> {
        self.0.list_users(store).await
    }
    async fn list_groups(&self, store: &str) -> Result<Vec<Group>> {
        self.0.list_groups(store).await
    }
    async fn list_group_memberships(&self, store: &str, group_id: &str) -> Result<Vec<Membership>> {
        self.0.list_group_memberships(store, group_id).await
    }
    async fn list_permission_sets(&self, instance: &str) -> Result<Vec<String>> {
        self.0.list_permission_sets(instance).await
    }
    async fn describe_permission_set(&self, instance: &str, arn: &str) -> Result<PermissionSet> {
        self.0.describe_permission_set(instance, arn).await
    }
    async fn list_accounts_for_provisioned_permission_set(
        &self,
        instance: &str,
        arn: &str,
        filter: ProvisioningFilter,
    ) -> Result<Vec<String>> {
        self.0
            .list_accounts_for_provisioned_permission_set(instance, arn, filter)
            .await
    }
    async fn list_permission_sets_provisioned_to_account(
        &self,
        instance: &str,
        account_id: &str,
    ) -> Result<Vec<String>> {
        self.0
            .list_permission_sets_provisioned_to_account(instance, account_id)
            .await
    }
    async fn list_assignments_for_principal(
        &self,
        instance: &str,
        principal: &Principal,
    ) -> Result<Vec<Assignment>> {
        self.0
            .list_assignments_for_principal(instance, principal)
            .await
    }
    async fn list_assignments(
        &self,
        instance: &str,
        account_id: &str,
        ps: &str,
    ) -> Result<Vec<Assignment>> {
        self.0.list_assignments(instance, account_id, ps).await
    }
    async fn assignment_creation_status(
        &self,
        instance: &str,
        request_id: &str,
    ) -> Result<RequestStatus> {
        self.0
            .assignment_creation_status(instance, request_id)
            .await
    }
    async fn assignment_deletion_status(
        &self,
        instance: &str,
        request_id: &str,
    ) -> Result<RequestStatus> {
        self.0
            .assignment_deletion_status(instance, request_id)
            .await
    }
    async fn provisioning_status(&self, instance: &str, request_id: &str) -> Result<RequestStatus> {
        self.0.provisioning_status(instance, request_id).await
    }

    async fn create_assignment(&self, _: &str, _: &Assignment) -> Result<RequestStatus> {
        refuse("CreateAccountAssignment")
    }
    async fn delete_assignment(&self, _: &str, _: &Assignment) -> Result<RequestStatus> {
        refuse("DeleteAccountAssignment")
    }
    async fn create_group_membership(&self, _: &str, _: &str, _: &str) -> Result<String> {
        refuse("CreateGroupMembership")
    }
    async fn delete_group_membership(&self, _: &str, _: &str) -> Result<()> {
        refuse("DeleteGroupMembership")
    }
    async fn create_permission_set(&self, _: &str, _: &PermissionSetSpec) -> Result<String> {
        refuse("CreatePermissionSet")
    }
    async fn update_permission_set(&self, _: &str, _: &str, _: &PermissionSetSpec) -> Result<()> {
        refuse("UpdatePermissionSet")
    }
    async fn delete_permission_set(&self, _: &str, _: &str) -> Result<()> {
        refuse("DeletePermissionSet")
    }
    async fn attach_managed_policy(&self, _: &str, _: &str, _: &str) -> Result<()> {
        refuse("AttachManagedPolicyToPermissionSet")
    }
    async fn detach_managed_policy(&self, _: &str, _: &str, _: &str) -> Result<()> {
        refuse("DetachManagedPolicyFromPermissionSet")
    }
    async fn attach_customer_managed_policy(
        &self,
        _: &str,
        _: &str,
        _: &str,
        _: &str,
    ) -> Result<()> {
        refuse("AttachCustomerManagedPolicyReferenceToPermissionSet")
    }
    async fn detach_customer_managed_policy(
        &self,
        _: &str,
        _: &str,
        _: &str,
        _: &str,
    ) -> Result<()> {
        refuse("DetachCustomerManagedPolicyReferenceFromPermissionSet")
    }
    async fn put_inline_policy(&self, _: &str, _: &str, _: Option<&str>) -> Result<()> {
        refuse("PutInlinePolicyToPermissionSet")
    }
    async fn provision_permission_set(
        &self,
        _: &str,
        _: &str,
        _: Option<&str>,
    ) -> Result<RequestStatus> {
        refuse("ProvisionPermissionSet")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::backend::demo::{DemoBackend, DemoOptions, demo_organization};

    #[tokio::test]
    async fn reads_pass_and_changes_are_refused() {
        let dir = demo_organization();
        let instance = dir.instance.clone().expect("instance");
        let a = dir
            .assignments
            .iter()
            .next()
            .cloned()
            .expect("an assignment");
        let ro = ReadOnly(Arc::new(DemoBackend::new(dir, DemoOptions::instant())));
        assert_eq!(ro.instance().await.as_ref(), Ok(&instance));
        let err = ro
            .delete_assignment(&instance.instance_arn, &a)
            .await
            .expect_err("refused");
        assert_eq!(
            err,
            BackendError::ReadOnly("DeleteAccountAssignment".into())
        );
        assert!(err.to_string().contains("--read-only"));
        assert_eq!(
            ro.stats().get("DeleteAccountAssignment"),
            0,
            "nothing reached the backend"
        );
    }
}
