//! Staged changes: what the user asked for, in ids, before and while it is applied. Pure
//! data and rules; saving it and the journal are in `store`.

mod command_line;
pub mod store;

use serde::{Deserialize, Serialize};

pub use command_line::command_line;

use crate::model::{Assignment, Directory};

/// One change to AWS.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Change {
    Assign(Assignment),
    Unassign(Assignment),
}

impl Change {
    /// The change that undoes this one.
    pub fn inverse(&self) -> Change {
        match self {
            Change::Assign(a) => Change::Unassign(a.clone()),
            Change::Unassign(a) => Change::Assign(a.clone()),
        }
    }

    pub fn assignment(&self) -> &Assignment {
        match self {
            Change::Assign(a) | Change::Unassign(a) => a,
        }
    }

    /// The account whose permission-set state the change touches: AWS takes one change per
    /// account at a time.
    pub fn account_id(&self) -> &str {
        &self.assignment().account_id
    }

    pub fn verb(&self) -> &'static str {
        match self {
            Change::Assign(_) => "assign",
            Change::Unassign(_) => "remove",
        }
    }

    /// "assign AdministratorAccess to group Admins on payments-prod (123456789012)".
    pub fn describe(&self, dir: &Directory) -> String {
        let a = self.assignment();
        let principal = dir
            .principal_name(a.principal_type, &a.principal_id)
            .map_or_else(|| a.principal_id.clone(), str::to_string);
        let (verb, prep) = match self {
            Change::Assign(_) => ("assign", "to"),
            Change::Unassign(_) => ("remove", "from"),
        };
        format!(
            "{verb} {} {prep} {} {principal} on {} ({})",
            dir.permission_set_name(&a.permission_set_arn),
            a.principal_type.as_str().to_lowercase(),
            dir.account_name(&a.account_id),
            a.account_id
        )
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
            .position(|i| i.status == ItemStatus::Staged && i.change == opposite)
        {
            self.items.remove(pos);
            return Err(Refusal::CancelledOpposite);
        }
        let exists = dir.assignments.contains(change.assignment());
        if matches!(change, Change::Assign(_)) == exists {
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
            .find(|i| !i.status.is_final() && i.change.assignment() == a)
    }

    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }
}

#[cfg(test)]
mod tests;
