//! Everything idc reads from and changes in Identity Center goes through [`Backend`]; `aws`
//! talks to the SDK and `demo` keeps an in-memory organization with the same semantics.

pub mod aws;
pub mod demo;
pub mod read_only;
pub mod stats;

use async_trait::async_trait;

pub use stats::RequestStats;

use crate::model::{
    Account, Assignment, Group, Instance, Membership, OrgUnit, PermissionSet, User,
};

/// What went wrong talking to the backend, in the words an administrator needs to act on it.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum BackendError {
    #[error(
        "AWS credentials are missing or expired ({0}). Log in with `aws sso login --profile <profile>` (or export credentials), then try again"
    )]
    Credentials(String),
    #[error("{operation} was denied: {message}")]
    AccessDenied { operation: String, message: String },
    #[error("{operation} was throttled beyond its retries: {message}")]
    Throttled { operation: String, message: String },
    #[error("{operation} conflicts with a change in progress: {message}")]
    Conflict { operation: String, message: String },
    #[error("{operation}: not found: {message}")]
    NotFound { operation: String, message: String },
    #[error("{operation}: invalid request: {message}")]
    Validation { operation: String, message: String },
    #[error("{operation} is not supported by this identity source: {message}")]
    UnknownOperation { operation: String, message: String },
    #[error("{operation}: network error: {message}")]
    Network { operation: String, message: String },
    #[error("{operation} failed: {message}")]
    Service { operation: String, message: String },
    #[error("idc runs read-only (--read-only): {0} was not sent")]
    ReadOnly(String),
}

impl BackendError {
    /// Worth retrying after a pause: throttling and conflicts with a change in progress.
    pub fn is_transient(&self) -> bool {
        matches!(self, Self::Throttled { .. } | Self::Conflict { .. })
    }
}

pub type Result<T> = std::result::Result<T, BackendError>;

/// Where an asynchronous request (assignment, provisioning) stands.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum RequestState {
    InProgress,
    Succeeded,
    Failed(String),
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RequestStatus {
    pub request_id: String,
    pub state: RequestState,
}

/// Which accounts of a provisioned permission set to list.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ProvisioningFilter {
    All,
    /// LATEST_PERMISSION_SET_NOT_PROVISIONED: the console's "needs reapplying".
    Outdated,
}

/// The editable fields of a permission set (create and update). Saved in the plan as JSON.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
pub struct PermissionSetSpec {
    pub name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    pub session_duration: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub relay_state: Option<String>,
}

impl PermissionSetSpec {
    /// The editable fields of an existing permission set.
    pub fn of(ps: &PermissionSet) -> Self {
        Self {
            name: ps.name.clone(),
            description: ps.description.clone(),
            session_duration: ps.session_duration.clone().unwrap_or_default(),
            relay_state: ps.relay_state.clone(),
        }
    }

    /// Whether `ps` already has this description, session duration and relay state (the name
    /// is not compared: it cannot change).
    pub fn matches(&self, ps: &PermissionSet) -> bool {
        self.description == ps.description
            && ps.session_duration.as_deref() == Some(self.session_duration.as_str())
            && self.relay_state == ps.relay_state
    }
}

/// Reads and changes one Identity Center instance. Every list method follows every page.
#[async_trait]
pub trait Backend: Send + Sync {
    /// A short label for the status line and snapshots: `demo`, `aws (profile prod, eu-west-1)`.
    fn label(&self) -> String;

    /// Requests made so far, per operation.
    fn stats(&self) -> RequestStats;

    async fn instance(&self) -> Result<Instance>;

    // Organizations.
    async fn list_roots(&self) -> Result<Vec<OrgUnit>>;
    async fn list_child_ous(&self, parent_id: &str) -> Result<Vec<OrgUnit>>;
    async fn list_accounts_for_parent(&self, parent_id: &str) -> Result<Vec<Account>>;

    // Identity store.
    async fn list_users(&self, identity_store_id: &str) -> Result<Vec<User>>;
    async fn list_groups(&self, identity_store_id: &str) -> Result<Vec<Group>>;
    async fn list_group_memberships(
        &self,
        identity_store_id: &str,
        group_id: &str,
    ) -> Result<Vec<Membership>>;

    // Permission sets.
    async fn list_permission_sets(&self, instance_arn: &str) -> Result<Vec<String>>;
    /// The permission set with its policies (managed, customer-managed, inline).
    async fn describe_permission_set(&self, instance_arn: &str, arn: &str)
    -> Result<PermissionSet>;
    async fn list_accounts_for_provisioned_permission_set(
        &self,
        instance_arn: &str,
        arn: &str,
        filter: ProvisioningFilter,
    ) -> Result<Vec<String>>;
    async fn list_permission_sets_provisioned_to_account(
        &self,
        instance_arn: &str,
        account_id: &str,
    ) -> Result<Vec<String>>;

    // Assignments.
    /// Management account only; others are denied.
    async fn list_assignments_for_principal(
        &self,
        instance_arn: &str,
        principal: &crate::model::Principal,
    ) -> Result<Vec<Assignment>>;
    async fn list_assignments(
        &self,
        instance_arn: &str,
        account_id: &str,
        permission_set_arn: &str,
    ) -> Result<Vec<Assignment>>;

    // Changes. Assignment and provisioning requests are asynchronous: poll their status.
    async fn create_assignment(&self, instance_arn: &str, a: &Assignment) -> Result<RequestStatus>;
    async fn delete_assignment(&self, instance_arn: &str, a: &Assignment) -> Result<RequestStatus>;
    async fn assignment_creation_status(
        &self,
        instance_arn: &str,
        request_id: &str,
    ) -> Result<RequestStatus>;
    async fn assignment_deletion_status(
        &self,
        instance_arn: &str,
        request_id: &str,
    ) -> Result<RequestStatus>;

    /// Returns the new membership id.
    async fn create_group_membership(
        &self,
        identity_store_id: &str,
        group_id: &str,
        user_id: &str,
    ) -> Result<String>;
    async fn delete_group_membership(
        &self,
        identity_store_id: &str,
        membership_id: &str,
    ) -> Result<()>;

    /// Returns the new permission set's ARN.
    async fn create_permission_set(
        &self,
        instance_arn: &str,
        spec: &PermissionSetSpec,
    ) -> Result<String>;
    async fn update_permission_set(
        &self,
        instance_arn: &str,
        arn: &str,
        spec: &PermissionSetSpec,
    ) -> Result<()>;
    async fn delete_permission_set(&self, instance_arn: &str, arn: &str) -> Result<()>;
    async fn attach_managed_policy(
        &self,
        instance_arn: &str,
        arn: &str,
        policy_arn: &str,
    ) -> Result<()>;
    async fn detach_managed_policy(
        &self,
        instance_arn: &str,
        arn: &str,
        policy_arn: &str,
    ) -> Result<()>;
    /// Attaches a customer managed policy reference (name and path).
    async fn attach_customer_managed_policy(
        &self,
        instance_arn: &str,
        arn: &str,
        name: &str,
        path: &str,
    ) -> Result<()>;
    async fn detach_customer_managed_policy(
        &self,
        instance_arn: &str,
        arn: &str,
        name: &str,
        path: &str,
    ) -> Result<()>;
    /// `None` deletes the inline policy.
    async fn put_inline_policy(
        &self,
        instance_arn: &str,
        arn: &str,
        policy: Option<&str>,
    ) -> Result<()>;
    /// Provisions to one account, or to every account it is provisioned to when `None`.
    async fn provision_permission_set(
        &self,
        instance_arn: &str,
        arn: &str,
        account_id: Option<&str>,
    ) -> Result<RequestStatus>;
    async fn provisioning_status(
        &self,
        instance_arn: &str,
        request_id: &str,
    ) -> Result<RequestStatus>;
}
