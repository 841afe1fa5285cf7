//! Staged changes: what the user asked for, in ids, before and while it is applied. Pure
//! data and rules; saving it and the journal are in `store`.

mod command_line;
pub mod store;

use serde::{Deserialize, Serialize};

pub use command_line::command_line;

use crate::backend::PermissionSetSpec;
use crate::model::{Assignment, Directory};

/// The name of a managed policy: the last part of its ARN.
pub fn policy_name(policy_arn: &str) -> &str {
    policy_arn.rsplit('/').next().unwrap_or(policy_arn)
}

/// Whether two inline policies say the same: equal as JSON (whitespace and layout aside), or
/// equal as text when either is not JSON.
pub fn same_policy(a: Option<&str>, b: Option<&str>) -> bool {
    match (a, b) {
        (None, None) => true,
        (Some(a), Some(b)) => {
            let parse = |t: &str| serde_json::from_str::<serde_json::Value>(t).ok();
            match (parse(a), parse(b)) {
                (Some(x), Some(y)) => x == y,
                _ => a.trim() == b.trim(),
            }
        }
        _ => false,
    }
}

/// One change to AWS.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Change {
    Assign(Assignment),
    Unassign(Assignment),
    AddMember {
        group_id: String,
        user_id: String,
    },
    RemoveMember {
        group_id: String,
        user_id: String,
    },
    /// A new permission set; AWS answers its ARN.
    CreatePermissionSet(PermissionSetSpec),
    /// An AWS managed policy attached to an existing permission set.
    AttachManagedPolicy {
        permission_set_arn: String,
        policy_arn: String,
    },
    /// Provisions the permission set again to every account it is provisioned to.
    Provision {
        permission_set_arn: String,
    },
    /// New description, session duration and relay state of an existing permission set (its
    /// name cannot change).
    UpdatePermissionSet {
        permission_set_arn: String,
        spec: PermissionSetSpec,
    },
    /// An AWS managed policy detached from a permission set.
    DetachManagedPolicy {
        permission_set_arn: String,
        policy_arn: String,
    },
    /// A permission set that nothing is assigned.
    DeletePermissionSet {
        permission_set_arn: String,
    },
    /// The inline policy of a permission set (minified JSON); `None` deletes it.
    PutInlinePolicy {
        permission_set_arn: String,
        policy: Option<String>,
    },
    /// A customer managed policy reference (name and path) attached to a permission set.
    AttachCustomerPolicy {
        permission_set_arn: String,
        name: String,
        path: String,
    },
    /// A customer managed policy reference detached from a permission set.
    DetachCustomerPolicy {
        permission_set_arn: String,
        name: String,
        path: String,
    },
}

impl Change {
    /// The change that undoes this one; `None` for changes idc cannot undo (creating, editing
    /// or deleting a permission set, attaching or detaching a managed policy, provisioning).
    pub fn inverse(&self) -> Option<Change> {
        Some(match self {
            Change::Assign(a) => Change::Unassign(a.clone()),
            Change::Unassign(a) => Change::Assign(a.clone()),
            Change::AddMember { group_id, user_id } => Change::RemoveMember {
                group_id: group_id.clone(),
                user_id: user_id.clone(),
            },
            Change::RemoveMember { group_id, user_id } => Change::AddMember {
                group_id: group_id.clone(),
                user_id: user_id.clone(),
            },
            Change::CreatePermissionSet(_)
            | Change::AttachManagedPolicy { .. }
            | Change::Provision { .. }
            | Change::UpdatePermissionSet { .. }
            | Change::DetachManagedPolicy { .. }
            | Change::DeletePermissionSet { .. }
            | Change::PutInlinePolicy { .. }
            | Change::AttachCustomerPolicy { .. }
            | Change::DetachCustomerPolicy { .. } => return None,
        })
    }

    /// The assignment an assignment change is about.
    pub fn assignment(&self) -> Option<&Assignment> {
        match self {
            Change::Assign(a) | Change::Unassign(a) => Some(a),
            _ => None,
        }
    }

    /// The (group, user) a membership change is about.
    pub fn membership(&self) -> Option<(&str, &str)> {
        match self {
            Change::AddMember { group_id, user_id }
            | Change::RemoveMember { group_id, user_id } => Some((group_id, user_id)),
            _ => None,
        }
    }

    /// The permission set an assignment or permission-set change is about (none for a
    /// creation: it has no ARN yet).
    pub fn permission_set_arn(&self) -> Option<&str> {
        match self {
            Change::Assign(a) | Change::Unassign(a) => Some(&a.permission_set_arn),
            Change::AttachManagedPolicy {
                permission_set_arn, ..
            }
            | Change::Provision { permission_set_arn }
            | Change::UpdatePermissionSet {
                permission_set_arn, ..
            }
            | Change::DetachManagedPolicy {
                permission_set_arn, ..
            }
            | Change::DeletePermissionSet { permission_set_arn }
            | Change::PutInlinePolicy {
                permission_set_arn, ..
            }
            | Change::AttachCustomerPolicy {
                permission_set_arn, ..
            }
            | Change::DetachCustomerPolicy {
                permission_set_arn, ..
            } => Some(permission_set_arn),
            Change::AddMember { .. }
            | Change::RemoveMember { .. }
            | Change::CreatePermissionSet(_) => None,
        }
    }

    /// Adds access or configuration rather than taking it away.
    pub fn is_addition(&self) -> bool {
        !matches!(
            self,
            Change::Unassign(_)
                | Change::RemoveMember { .. }
                | Change::DetachManagedPolicy { .. }
                | Change::DetachCustomerPolicy { .. }
                | Change::DeletePermissionSet { .. }
                | Change::PutInlinePolicy { policy: None, .. }
        )
    }

    /// What must not change at the same time: AWS takes one permission-set change per account
    /// at a time; memberships have no such limit; the edits of one permission set go one after
    /// the other, and each creation has its own lane.
    pub fn lane(&self) -> String {
        match self {
            Change::Assign(a) | Change::Unassign(a) => format!("account {}", a.account_id),
            Change::AddMember { group_id, user_id }
            | Change::RemoveMember { group_id, user_id } => {
                format!("membership {group_id} {user_id}")
            }
            Change::CreatePermissionSet(spec) => format!("create permission set {}", spec.name),
            Change::AttachManagedPolicy {
                permission_set_arn, ..
            }
            | Change::Provision { permission_set_arn }
            | Change::UpdatePermissionSet {
                permission_set_arn, ..
            }
            | Change::DetachManagedPolicy {
                permission_set_arn, ..
            }
            | Change::DeletePermissionSet { permission_set_arn }
            | Change::PutInlinePolicy {
                permission_set_arn, ..
            }
            | Change::AttachCustomerPolicy {
                permission_set_arn, ..
            }
            | Change::DetachCustomerPolicy {
                permission_set_arn, ..
            } => {
                format!("permission set {permission_set_arn}")
            }
        }
    }

    /// Whether AWS already holds what this change would make true.
    pub fn already_true(&self, dir: &Directory) -> bool {
        if let Change::PutInlinePolicy {
            permission_set_arn,
            policy,
        } = self
        {
            // The same policy as now (deleting one that is not there is no change either).
            return dir
                .permission_sets
                .get(permission_set_arn)
                .is_some_and(|p| same_policy(p.inline_policy.as_deref(), policy.as_deref()));
        }
        let exists = match self {
            Change::Assign(a) | Change::Unassign(a) => dir.assignments.contains(a),
            Change::AddMember { group_id, user_id }
            | Change::RemoveMember { group_id, user_id } => dir
                .memberships
                .contains_key(&(group_id.clone(), user_id.clone())),
            Change::CreatePermissionSet(spec) => {
                dir.permission_sets.values().any(|p| p.name == spec.name)
            }
            Change::AttachManagedPolicy {
                permission_set_arn,
                policy_arn,
            } => dir
                .permission_sets
                .get(permission_set_arn)
                .is_some_and(|p| p.managed_policies.iter().any(|m| &m.arn == policy_arn)),
            // Provisioning is asked for because something changed: never skipped.
            Change::Provision { .. } => false,
            Change::UpdatePermissionSet {
                permission_set_arn,
                spec,
            } => dir
                .permission_sets
                .get(permission_set_arn)
                .is_some_and(|p| spec.matches(p)),
            Change::DetachManagedPolicy {
                permission_set_arn,
                policy_arn,
            } => dir
                .permission_sets
                .get(permission_set_arn)
                .is_some_and(|p| p.managed_policies.iter().any(|m| &m.arn == policy_arn)),
            Change::DeletePermissionSet { permission_set_arn } => {
                dir.permission_sets.contains_key(permission_set_arn)
            }
            Change::PutInlinePolicy { .. } => false,
            Change::AttachCustomerPolicy {
                permission_set_arn,
                name,
                path,
            }
            | Change::DetachCustomerPolicy {
                permission_set_arn,
                name,
                path,
            } => dir
                .permission_sets
                .get(permission_set_arn)
                .is_some_and(|p| {
                    p.customer_managed_policies
                        .iter()
                        .any(|c| &c.name == name && &c.path == path)
                }),
        };
        self.is_addition() == exists
    }

    /// The change in names, e.g. "assign AdministratorAccess to group Admins on
    /// payments-prod (123456789012)" or "add user ana to group Admins".
    pub fn describe(&self, dir: &Directory) -> String {
        match self {
            Change::Assign(a) | Change::Unassign(a) => {
                let principal = dir
                    .principal_name(a.principal_type, &a.principal_id)
                    .map_or_else(|| a.principal_id.clone(), str::to_string);
                let (verb, prep) = if self.is_addition() {
                    ("assign", "to")
                } else {
                    ("remove", "from")
                };
                format!(
                    "{verb} {} {prep} {} {principal} on {} ({})",
                    dir.permission_set_name(&a.permission_set_arn),
                    a.principal_type.as_str().to_lowercase(),
                    dir.account_name(&a.account_id),
                    a.account_id
                )
            }
            Change::AddMember { group_id, user_id }
            | Change::RemoveMember { group_id, user_id } => {
                let user = dir
                    .users
                    .get(user_id)
                    .map_or(user_id.as_str(), |u| u.user_name.as_str());
                let group = dir
                    .groups
                    .get(group_id)
                    .map_or(group_id.as_str(), |g| g.display_name.as_str());
                let (verb, prep) = if self.is_addition() {
                    ("add", "to")
                } else {
                    ("remove", "from")
                };
                format!("{verb} user {user} {prep} group {group}")
            }
            Change::CreatePermissionSet(spec) => {
                let mut out = format!(
                    "create permission set {} (session {})",
                    spec.name, spec.session_duration
                );
                if let Some(d) = &spec.description {
                    out.push_str(&format!(": {d}"));
                }
                out
            }
            Change::AttachManagedPolicy {
                permission_set_arn,
                policy_arn,
            } => format!(
                "attach {} to permission set {}",
                policy_name(policy_arn),
                dir.permission_set_name(permission_set_arn)
            ),
            Change::Provision { permission_set_arn } => {
                let accounts = dir
                    .permission_sets
                    .get(permission_set_arn)
                    .map_or(0, |p| p.provisioned_accounts.len());
                let s = if accounts == 1 { "" } else { "s" };
                format!(
                    "provision permission set {} to its {accounts} account{s}",
                    dir.permission_set_name(permission_set_arn)
                )
            }
            Change::UpdatePermissionSet {
                permission_set_arn,
                spec,
            } => format!(
                "update permission set {}: session {}, description {}, relay state {}",
                dir.permission_set_name(permission_set_arn),
                spec.session_duration,
                spec.description
                    .as_deref()
                    .map_or_else(|| "none".to_string(), |d| format!("\"{d}\"")),
                spec.relay_state.as_deref().unwrap_or("none")
            ),
            Change::DetachManagedPolicy {
                permission_set_arn,
                policy_arn,
            } => format!(
                "detach {} from permission set {}",
                policy_name(policy_arn),
                dir.permission_set_name(permission_set_arn)
            ),
            Change::DeletePermissionSet { permission_set_arn } => format!(
                "delete permission set {}",
                dir.permission_set_name(permission_set_arn)
            ),
            Change::PutInlinePolicy {
                permission_set_arn,
                policy: Some(policy),
            } => format!(
                "set the inline policy of permission set {} ({} characters)",
                dir.permission_set_name(permission_set_arn),
                policy.chars().count()
            ),
            Change::PutInlinePolicy {
                permission_set_arn,
                policy: None,
            } => format!(
                "delete the inline policy of permission set {}",
                dir.permission_set_name(permission_set_arn)
            ),
            Change::AttachCustomerPolicy {
                permission_set_arn,
                name,
                path,
            } => format!(
                "attach customer managed policy {path}{name} to permission set {}",
                dir.permission_set_name(permission_set_arn)
            ),
            Change::DetachCustomerPolicy {
                permission_set_arn,
                name,
                path,
            } => format!(
                "detach customer managed policy {path}{name} from permission set {}",
                dir.permission_set_name(permission_set_arn)
            ),
        }
    }

    /// Whether an external identity provider owns the group or user changed, so that its next
    /// sync may undo the change.
    pub fn touches_synced_identity(&self, dir: &Directory) -> bool {
        let Some((group_id, user_id)) = self.membership() else {
            return false;
        };
        dir.groups
            .get(group_id)
            .is_some_and(|g| !g.external_ids.is_empty())
            || dir
                .users
                .get(user_id)
                .is_some_and(|u| !u.external_ids.is_empty())
    }
}

/// Where a staged change stands.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "state", content = "detail", rename_all = "snake_case")]
pub enum ItemStatus {
    Staged,
    /// Sent or about to be; waiting for a turn on its account or for a slot.
    Queued,
    InProgress {
        request_id: String,
    },
    Succeeded {
        request_id: String,
    },
    Failed(String),
    /// Not sent: already true in AWS (an assignment that exists, a removal already gone).
    Skipped(String),
}

impl ItemStatus {
    pub fn is_final(&self) -> bool {
        matches!(
            self,
            Self::Succeeded { .. } | Self::Failed(_) | Self::Skipped(_)
        )
    }

    pub fn label(&self) -> &'static str {
        match self {
            Self::Staged => "staged",
            Self::Queued => "queued",
            Self::InProgress { .. } => "in progress",
            Self::Succeeded { .. } => "done",
            Self::Failed(_) => "failed",
            Self::Skipped(_) => "skipped",
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PlanItem {
    pub id: u64,
    pub change: Change,
    pub status: ItemStatus,
}

/// The staged changes of one Identity Center instance.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Plan {
    pub items: Vec<PlanItem>,
    next_id: u64,
}

/// Why a change was not staged.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Refusal {
    AlreadyStaged,
    /// Staging it would cancel a staged opposite change instead.
    CancelledOpposite,
    AlreadyTrue,
}

impl Plan {
    /// Stages a change. Staging the opposite of a staged change drops both; staging what is
    /// already true in `dir` or already staged is refused.
    pub fn stage(&mut self, change: Change, dir: &Directory) -> Result<u64, Refusal> {
        let pending = |i: &PlanItem| !i.status.is_final();
        if self.items.iter().any(|i| pending(i) && i.change == change) {
            return Err(Refusal::AlreadyStaged);
        }
        let opposite = change.inverse();
        if let Some(pos) = self
            .items
            .iter()
            .position(|i| i.status == ItemStatus::Staged && opposite.as_ref() == Some(&i.change))
        {
            self.items.remove(pos);
            return Err(Refusal::CancelledOpposite);
        }
        if change.already_true(dir) {
            return Err(Refusal::AlreadyTrue);
        }
        self.next_id += 1;
        self.items.push(PlanItem {
            id: self.next_id,
            change,
            status: ItemStatus::Staged,
        });
        Ok(self.next_id)
    }

    /// Drops a staged item; items being applied stay.
    pub fn drop_item(&mut self, id: u64) -> bool {
        let before = self.items.len();
        let in_flight =
            |s: &ItemStatus| matches!(s, ItemStatus::Queued | ItemStatus::InProgress { .. });
        self.items.retain(|i| i.id != id || in_flight(&i.status));
        self.items.len() != before
    }

    pub fn set_status(&mut self, id: u64, status: ItemStatus) {
        if let Some(item) = self.items.iter_mut().find(|i| i.id == id) {
            item.status = status;
        }
    }

    /// Items not applied yet.
    pub fn staged(&self) -> impl Iterator<Item = &PlanItem> {
        self.items.iter().filter(|i| i.status == ItemStatus::Staged)
    }

    /// Items sent and not finished.
    pub fn running(&self) -> bool {
        self.items
            .iter()
            .any(|i| matches!(i.status, ItemStatus::Queued | ItemStatus::InProgress { .. }))
    }

    /// Forgets finished items, keeping what still has to be done.
    pub fn clear_finished(&mut self) {
        self.items.retain(|i| !i.status.is_final());
    }

    /// After a restart nothing is in flight any more: whatever was queued or in progress is
    /// staged again (applying checks AWS first, so a change that did go through is skipped).
    pub fn restored(mut self) -> Self {
        for item in &mut self.items {
            if matches!(
                item.status,
                ItemStatus::Queued | ItemStatus::InProgress { .. }
            ) {
                item.status = ItemStatus::Staged;
            }
        }
        self.items.retain(|i| !i.status.is_final());
        self
    }

    /// The staged change for this assignment, if any: for pending marks.
    pub fn pending_for(&self, a: &Assignment) -> Option<&PlanItem> {
        self.items
            .iter()
            .find(|i| !i.status.is_final() && i.change.assignment() == Some(a))
    }

    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }
}

#[cfg(test)]
mod tests;
