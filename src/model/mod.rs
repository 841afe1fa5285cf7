//! Plain data: what an Identity Center instance holds. No SDK, no UI.

mod directory;
mod index;
pub mod snapshot;

pub use directory::Directory;
pub use index::DirectoryIndex;

use serde::{Deserialize, Serialize};

/// The Identity Center instance the directory was read from.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Instance {
    pub instance_arn: String,
    pub identity_store_id: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub owner_account_id: Option<String>,
}

/// An organizational unit, or a root when `parent_id` is `None`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrgUnit {
    pub id: String,
    pub name: String,
    #[serde(default)]
    pub parent_id: Option<String>,
}

#[derive(
    Clone, Copy, Debug, Default, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize,
)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum AccountStatus {
    #[default]
    Active,
    Suspended,
    PendingClosure,
    /// Organizations could not be read: the account is known only from sso-admin.
    Unknown,
}

impl AccountStatus {
    pub fn label(self) -> &'static str {
        match self {
            Self::Active => "ACTIVE",
            Self::Suspended => "SUSPENDED",
            Self::PendingClosure => "PENDING_CLOSURE",
            Self::Unknown => "UNKNOWN",
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Account {
    pub id: String,
    pub name: String,
    #[serde(default)]
    pub email: String,
    #[serde(default)]
    pub status: AccountStatus,
    /// The OU (or root) the account sits in; `None` when Organizations was not readable.
    #[serde(default)]
    pub parent_id: Option<String>,
}

/// An identifier of a user or group in an external identity provider (SCIM sync).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ExternalId {
    pub issuer: String,
    pub id: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Group {
    pub id: String,
    pub display_name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub external_ids: Vec<ExternalId>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct User {
    pub id: String,
    pub user_name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub display_name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub external_ids: Vec<ExternalId>,
}

/// A user's membership in a group.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Membership {
    pub group_id: String,
    pub user_id: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub membership_id: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ManagedPolicy {
    pub arn: String,
    pub name: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CustomerPolicyRef {
    pub name: String,
    #[serde(default = "default_policy_path")]
    pub path: String,
}

fn default_policy_path() -> String {
    "/".to_string()
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PermissionSet {
    pub arn: String,
    pub name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// ISO-8601 duration such as `PT1H`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub session_duration: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub relay_state: Option<String>,
    #[serde(default)]
    pub managed_policies: Vec<ManagedPolicy>,
    #[serde(default)]
    pub customer_managed_policies: Vec<CustomerPolicyRef>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub inline_policy: Option<String>,
    /// Accounts the permission set is provisioned to.
    #[serde(default)]
    pub provisioned_accounts: Vec<String>,
    /// Accounts where the latest version is not provisioned ("needs reapplying").
    #[serde(default)]
    pub outdated_accounts: Vec<String>,
}

impl PermissionSet {
    pub fn is_outdated_on(&self, account_id: &str) -> bool {
        self.outdated_accounts.iter().any(|a| a == account_id)
    }

    /// Grants full administrative access (AdministratorAccess or an equivalent inline `*:*`).
    pub fn is_admin(&self) -> bool {
        self.managed_policies
            .iter()
            .any(|p| p.arn.ends_with(":policy/AdministratorAccess"))
            || self.inline_policy.as_deref().is_some_and(grants_everything)
    }
}

fn grants_everything(policy: &str) -> bool {
    let Ok(doc) = serde_json::from_str::<serde_json::Value>(policy) else {
        return false;
    };
    let statements = match &doc["Statement"] {
        serde_json::Value::Array(s) => s.clone(),
        s @ serde_json::Value::Object(_) => vec![s.clone()],
        _ => return false,
    };
    let is_star = |v: &serde_json::Value| match v {
        serde_json::Value::String(s) => s == "*",
        serde_json::Value::Array(a) => a.iter().any(|x| x == "*"),
        _ => false,
    };
    statements
        .iter()
        .any(|s| s["Effect"] == "Allow" && is_star(&s["Action"]) && is_star(&s["Resource"]))
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "UPPERCASE")]
pub enum PrincipalType {
    Group,
    User,
}

impl PrincipalType {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Group => "GROUP",
            Self::User => "USER",
        }
    }
}

/// A group or user, by id.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Principal {
    pub principal_type: PrincipalType,
    pub principal_id: String,
}

/// One account assignment: a principal holds a permission set on an account.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Assignment {
    pub account_id: String,
    pub permission_set_arn: String,
    pub principal_type: PrincipalType,
    pub principal_id: String,
}

impl Assignment {
    pub fn principal(&self) -> Principal {
        Principal {
            principal_type: self.principal_type,
            principal_id: self.principal_id.clone(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn admin_detection_covers_managed_and_inline() {
        let mut ps = PermissionSet {
            managed_policies: vec![ManagedPolicy {
                arn: "arn:aws:iam::aws:policy/AdministratorAccess".into(),
                name: "AdministratorAccess".into(),
            }],
            ..PermissionSet::default()
        };
        assert!(ps.is_admin());
        ps.managed_policies[0].arn = "arn:aws:iam::aws:policy/ReadOnlyAccess".into();
        assert!(!ps.is_admin());
        ps.inline_policy =
            Some(r#"{"Statement":{"Effect":"Allow","Action":"*","Resource":["*"]}}"#.into());
        assert!(ps.is_admin());
        ps.inline_policy =
            Some(r#"{"Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"*"}]}"#.into());
        assert!(!ps.is_admin());
    }
}
