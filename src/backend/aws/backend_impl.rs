//! [`Backend`] for [`AwsBackend`]: each method hands over to the file of its service.

use async_trait::async_trait;

use super::{AwsBackend, changes, identitystore, organizations, ssoadmin};
use crate::backend::{
    Backend, PermissionSetSpec, ProvisioningFilter, RequestStats, RequestStatus, Result,
};
use crate::model::{
    Account, Assignment, Group, Instance, Membership, OrgUnit, PermissionSet, Principal, User,
};

#[async_trait]
impl Backend for AwsBackend {
    fn label(&self) -> String {
        self.label.clone()
    }

    fn stats(&self) -> RequestStats {
        self.counter.snapshot()
    }

    async fn instance(&self) -> Result<Instance> {
        ssoadmin::instance(self).await
    }

    async fn list_roots(&self) -> Result<Vec<OrgUnit>> {
        organizations::list_roots(self).await
    }

    async fn list_child_ous(&self, parent_id: &str) -> Result<Vec<OrgUnit>> {
        organizations::list_child_ous(self, parent_id).await
    }

    async fn list_accounts_for_parent(&self, parent_id: &str) -> Result<Vec<Account>> {
        organizations::list_accounts_for_parent(self, parent_id).await
    }

    async fn list_users(&self, identity_store_id: &str) -> Result<Vec<User>> {
        identitystore::list_users(self, identity_store_id).await
    }

    async fn list_groups(&self, identity_store_id: &str) -> Result<Vec<Group>> {
        identitystore::list_groups(self, identity_store_id).await
    }

    async fn list_group_memberships(
        &self,
        identity_store_id: &str,
        group_id: &str,
    ) -> Result<Vec<Membership>> {
        identitystore::list_group_memberships(self, identity_store_id, group_id).await
    }

    async fn list_permission_sets(&self, instance_arn: &str) -> Result<Vec<String>> {
        ssoadmin::list_permission_sets(self, instance_arn).await
    }

    async fn describe_permission_set(
        &self,
        instance_arn: &str,
        arn: &str,
    ) -> Result<PermissionSet> {
        ssoadmin::describe_permission_set(self, instance_arn, arn).await
    }

    async fn list_accounts_for_provisioned_permission_set(
        &self,
        instance_arn: &str,
        arn: &str,
        filter: ProvisioningFilter,
    ) -> Result<Vec<String>> {
        ssoadmin::list_accounts_for_provisioned_permission_set(self, instance_arn, arn, filter)
            .await
    }

    async fn list_permission_sets_provisioned_to_account(
        &self,
        instance_arn: &str,
        account_id: &str,
    ) -> Result<Vec<String>> {
        ssoadmin::list_permission_sets_provisioned_to_account(self, instance_arn, account_id).await
    }

    async fn list_assignments_for_principal(
        &self,
        instance_arn: &str,
        principal: &Principal,
    ) -> Result<Vec<Assignment>> {
        ssoadmin::list_assignments_for_principal(self, instance_arn, principal).await
    }

    async fn list_assignments(
        &self,
        instance_arn: &str,
        account_id: &str,
        permission_set_arn: &str,
    ) -> Result<Vec<Assignment>> {
        ssoadmin::list_assignments(self, instance_arn, account_id, permission_set_arn).await
    }

    async fn create_assignment(&self, instance_arn: &str, a: &Assignment) -> Result<RequestStatus> {
        changes::create_assignment(self, instance_arn, a).await
    }

    async fn delete_assignment(&self, instance_arn: &str, a: &Assignment) -> Result<RequestStatus> {
        changes::delete_assignment(self, instance_arn, a).await
    }

    async fn assignment_creation_status(
        &self,
        instance_arn: &str,
        request_id: &str,
    ) -> Result<RequestStatus> {
        changes::assignment_creation_status(self, instance_arn, request_id).await
    }

    async fn assignment_deletion_status(
        &self,
        instance_arn: &str,
        request_id: &str,
    ) -> Result<RequestStatus> {
        changes::assignment_deletion_status(self, instance_arn, request_id).await
    }

    async fn create_group_membership(
        &self,
        identity_store_id: &str,
        group_id: &str,
        user_id: &str,
    ) -> Result<String> {
        identitystore::create_group_membership(self, identity_store_id, group_id, user_id).await
    }

    async fn delete_group_membership(
        &self,
        identity_store_id: &str,
        membership_id: &str,
    ) -> Result<()> {
        identitystore::delete_group_membership(self, identity_store_id, membership_id).await
    }

    async fn create_permission_set(
        &self,
        instance_arn: &str,
        spec: &PermissionSetSpec,
    ) -> Result<String> {
        changes::create_permission_set(self, instance_arn, spec).await
    }

    async fn update_permission_set(
        &self,
        instance_arn: &str,
        arn: &str,
        spec: &PermissionSetSpec,
    ) -> Result<()> {
        changes::update_permission_set(self, instance_arn, arn, spec).await
    }

    async fn delete_permission_set(&self, instance_arn: &str, arn: &str) -> Result<()> {
        changes::delete_permission_set(self, instance_arn, arn).await
    }

    async fn attach_managed_policy(
        &self,
        instance_arn: &str,
        arn: &str,
        policy_arn: &str,
    ) -> Result<()> {
        changes::attach_managed_policy(self, instance_arn, arn, policy_arn).await
    }

    async fn detach_managed_policy(
        &self,
        instance_arn: &str,
        arn: &str,
        policy_arn: &str,
    ) -> Result<()> {
        changes::detach_managed_policy(self, instance_arn, arn, policy_arn).await
    }

    async fn attach_customer_managed_policy(
        &self,
        instance_arn: &str,
        arn: &str,
        name: &str,
        path: &str,
    ) -> Result<()> {
        changes::attach_customer_managed_policy(self, instance_arn, arn, name, path).await
    }

    async fn detach_customer_managed_policy(
        &self,
        instance_arn: &str,
        arn: &str,
        name: &str,
        path: &str,
    ) -> Result<()> {
        changes::detach_customer_managed_policy(self, instance_arn, arn, name, path).await
    }

    async fn put_inline_policy(
        &self,
        instance_arn: &str,
        arn: &str,
        policy: Option<&str>,
    ) -> Result<()> {
        changes::put_inline_policy(self, instance_arn, arn, policy).await
    }

    async fn provision_permission_set(
        &self,
        instance_arn: &str,
        arn: &str,
        account_id: Option<&str>,
    ) -> Result<RequestStatus> {
        changes::provision_permission_set(self, instance_arn, arn, account_id).await
    }

    async fn provisioning_status(
        &self,
        instance_arn: &str,
        request_id: &str,
    ) -> Result<RequestStatus> {
        changes::provisioning_status_of(self, instance_arn, request_id).await
    }
}
