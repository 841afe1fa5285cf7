//! The plan view, applying it, the journal and undo, and the saved plan coming back.

use super::changes::SYNC_WARNING;
use super::keymap::Action;
use super::{App, Confirm, Effect, Level, Mode, OnYes};
use crate::model::{CustomerPolicyRef, ManagedPolicy, Membership, PermissionSet};
use crate::plan::store::JournalEntry;
use crate::plan::{Change, ItemStatus, Plan, policy_name};
use crate::worker::apply::ApplyEvent;

impl App {
    pub(super) fn plan_action(&mut self, action: Action) -> Vec<Effect> {
        let Mode::Plan { cursor } = self.mode else {
            return Vec::new();
        };
        let last = self.plan.items.len().saturating_sub(1);
        match action {
            Action::Down => {
                self.mode = Mode::Plan {
                    cursor: (cursor + 1).min(last),
                }
            }
            Action::Up => {
                self.mode = Mode::Plan {
                    cursor: cursor.saturating_sub(1),
                }
            }
            Action::ClosePlan => self.mode = Mode::Normal,
            Action::DropItem => {
                let Some(item) = self.plan.items.get(cursor) else {
                    return Vec::new();
                };
                let id = item.id;
                if self.plan.drop_item(id) {
                    let last = self.plan.items.len().saturating_sub(1);
                    self.mode = Mode::Plan {
                        cursor: cursor.min(last),
                    };
                    return self.save_plan();
                }
                self.set_status(
                    Level::Info,
                    "that change is being applied: it can no longer be dropped",
                );
            }
            Action::Apply => self.ask_apply(),
            _ => {}
        }
        Vec::new()
    }

    pub(super) fn ask_apply(&mut self) {
        if !self.may_change("applying") {
            return;
        }
        if self.plan.running() {
            self.set_status(
                Level::Info,
                "changes are being applied: wait for them to finish",
            );
            return;
        }
        let staged: Vec<Change> = self.plan.staged().map(|i| i.change.clone()).collect();
        if staged.is_empty() {
            self.set_status(Level::Info, "nothing is staged: a assigns from the Groups, Users or Matrix pane, x removes in the Matrix");
            return;
        }
        let mut lines = vec![format!("{} changes will be sent to AWS.", staged.len())];
        let removals: Vec<String> = staged
            .iter()
            .filter(|c| !c.is_addition())
            .map(|c| format!("  {}", c.describe(&self.dir)))
            .collect();
        if !removals.is_empty() {
            lines.push(format!("Removes {}:", removals.len()));
            lines.extend(removals);
        }
        let admin: Vec<String> = staged
            .iter()
            .filter(|c| {
                matches!(c, Change::Assign(a) if self.dir.permission_sets.get(&a.permission_set_arn).is_some_and(|p| p.is_admin()))
            })
            .map(|c| format!("  {}", c.describe(&self.dir)))
            .collect();
        if !admin.is_empty() {
            lines.push(format!(
                "Grants administrator access {} times:",
                admin.len()
            ));
            lines.extend(admin);
        }
        let synced: Vec<String> = staged
            .iter()
            .filter(|c| c.touches_synced_identity(&self.dir))
            .map(|c| format!("  {}", c.describe(&self.dir)))
            .collect();
        if !synced.is_empty() {
            lines.push(SYNC_WARNING.to_string());
            lines.extend(synced);
        }
        self.mode = Mode::Confirm(Confirm {
            title: "Apply the plan?".to_string(),
            lines,
            on_yes: OnYes::Apply,
        });
    }

    pub(super) fn start_apply(&mut self) -> Vec<Effect> {
        let Some(instance) = self.dir.instance.clone() else {
            self.set_status(
                Level::Error,
                "the instance is not loaded yet: wait for the load to finish",
            );
            return Vec::new();
        };
        self.plan.clear_finished();
        let items: Vec<(u64, Change)> = self
            .plan
            .staged()
            .map(|i| (i.id, i.change.clone()))
            .collect();
        for (id, _) in &items {
            self.plan.set_status(*id, ItemStatus::Queued);
        }
        self.batches += 1;
        self.applying = Some(format!("{}-{}", self.session, self.batches));
        self.mode = Mode::Plan { cursor: 0 };
        self.set_status(Level::Info, format!("applying {} changes…", items.len()));
        let mut effects = vec![Effect::Apply { instance, items }];
        effects.extend(self.save_plan());
        effects
    }

    pub(super) fn on_apply(&mut self, event: ApplyEvent) -> Vec<Effect> {
        match event {
            ApplyEvent::Status { item, status } => {
                let change = self
                    .plan
                    .items
                    .iter()
                    .find(|i| i.id == item)
                    .map(|i| i.change.clone());
                self.plan.set_status(item, status.clone());
                let Some(change) = change.filter(|_| status.is_final()) else {
                    return Vec::new();
                };
                // In the names of the directory before the change (a deleted set keeps its name).
                let (request_id, result) = match &status {
                    ItemStatus::Succeeded { request_id } => {
                        (Some(request_id.clone()), "SUCCEEDED".to_string())
                    }
                    ItemStatus::Failed(reason) => (None, format!("FAILED: {reason}")),
                    ItemStatus::Skipped(reason) => (None, format!("SKIPPED: {reason}")),
                    _ => (None, String::new()),
                };
                let batch = self.applying.clone().unwrap_or_default();
                let entry = JournalEntry::new(
                    &self.dir,
                    &batch,
                    &change,
                    request_id,
                    result,
                    String::new(),
                );
                if matches!(status, ItemStatus::Succeeded { .. }) {
                    // What AWS now holds, without a full reload.
                    match &change {
                        Change::Assign(a) => self.dir.add_assignments([a.clone()]),
                        Change::Unassign(a) => {
                            self.dir.assignments.remove(a);
                        }
                        Change::AddMember { group_id, user_id } => {
                            let membership_id = match &status {
                                ItemStatus::Succeeded { request_id } => Some(request_id.clone()),
                                _ => None,
                            };
                            self.dir.add_memberships([Membership {
                                group_id: group_id.clone(),
                                user_id: user_id.clone(),
                                membership_id,
                            }]);
                        }
                        Change::RemoveMember { group_id, user_id } => {
                            self.dir
                                .memberships
                                .remove(&(group_id.clone(), user_id.clone()));
                        }
                        Change::CreatePermissionSet(spec) => {
                            // The receipt of a creation is the ARN AWS gave the set.
                            if let ItemStatus::Succeeded { request_id } = &status {
                                self.dir.add_permission_sets([PermissionSet {
                                    arn: request_id.clone(),
                                    name: spec.name.clone(),
                                    description: spec.description.clone(),
                                    session_duration: Some(spec.session_duration.clone()),
                                    relay_state: spec.relay_state.clone(),
                                    ..PermissionSet::default()
                                }]);
                            }
                        }
                        Change::AttachManagedPolicy {
                            permission_set_arn,
                            policy_arn,
                        } => {
                            if let Some(ps) = self.dir.permission_sets.get_mut(permission_set_arn)
                                && !ps.managed_policies.iter().any(|m| &m.arn == policy_arn)
                            {
                                ps.managed_policies.push(ManagedPolicy {
                                    arn: policy_arn.clone(),
                                    name: policy_name(policy_arn).to_string(),
                                });
                            }
                            self.mark_outdated(permission_set_arn);
                        }
                        Change::UpdatePermissionSet {
                            permission_set_arn,
                            spec,
                        } => {
                            if let Some(ps) = self.dir.permission_sets.get_mut(permission_set_arn) {
                                ps.description.clone_from(&spec.description);
                                ps.session_duration = Some(spec.session_duration.clone());
                                ps.relay_state.clone_from(&spec.relay_state);
                            }
                            self.mark_outdated(permission_set_arn);
                        }
                        Change::DetachManagedPolicy {
                            permission_set_arn,
                            policy_arn,
                        } => {
                            if let Some(ps) = self.dir.permission_sets.get_mut(permission_set_arn) {
                                ps.managed_policies.retain(|m| &m.arn != policy_arn);
                            }
                            self.mark_outdated(permission_set_arn);
                        }
                        Change::AttachCustomerPolicy {
                            permission_set_arn,
                            name,
                            path,
                        } => {
                            if let Some(ps) = self.dir.permission_sets.get_mut(permission_set_arn)
                                && !ps
                                    .customer_managed_policies
                                    .iter()
                                    .any(|c| &c.name == name && &c.path == path)
                            {
                                ps.customer_managed_policies.push(CustomerPolicyRef {
                                    name: name.clone(),
                                    path: path.clone(),
                                });
                            }
                            self.mark_outdated(permission_set_arn);
                        }
                        Change::DetachCustomerPolicy {
                            permission_set_arn,
                            name,
                            path,
                        } => {
                            if let Some(ps) = self.dir.permission_sets.get_mut(permission_set_arn) {
                                ps.customer_managed_policies
                                    .retain(|c| !(&c.name == name && &c.path == path));
                            }
                            self.mark_outdated(permission_set_arn);
                        }
                        Change::PutInlinePolicy {
                            permission_set_arn,
                            policy,
                        } => {
                            if let Some(ps) = self.dir.permission_sets.get_mut(permission_set_arn) {
                                ps.inline_policy.clone_from(policy);
                            }
                            self.mark_outdated(permission_set_arn);
                        }
                        Change::DeletePermissionSet { permission_set_arn } => {
                            self.dir.permission_sets.remove(permission_set_arn);
                            self.reprovision.retain(|a| a != permission_set_arn);
                        }
                        Change::Provision { permission_set_arn } => {
                            if let Some(ps) = self.dir.permission_sets.get_mut(permission_set_arn) {
                                ps.outdated_accounts.clear();
                            }
                            self.reprovision.retain(|a| a != permission_set_arn);
                        }
                    }
                    self.stale = true;
                }
                let mut effects: Vec<Effect> = self
                    .instance_arn()
                    .map(|instance_arn| Effect::Journal {
                        instance_arn,
                        entries: vec![entry],
                    })
                    .into_iter()
                    .collect();
                effects.extend(self.save_plan());
                effects
            }
            ApplyEvent::Finished => {
                self.applying = None;
                let count = |f: fn(&ItemStatus) -> bool| {
                    self.plan.items.iter().filter(|i| f(&i.status)).count()
                };
                let done = count(|s| matches!(s, ItemStatus::Succeeded { .. }));
                let failed = count(|s| matches!(s, ItemStatus::Failed(_)));
                let skipped = count(|s| matches!(s, ItemStatus::Skipped(_)));
                let level = if failed > 0 {
                    Level::Error
                } else {
                    Level::Info
                };
                let mut text = format!(
                    "applied: {done} done, {failed} failed, {skipped} skipped (already so) — p shows each; u stages the undo"
                );
                let changed: Vec<String> = std::mem::take(&mut self.reprovision)
                    .iter()
                    .map(|arn| self.dir.permission_set_name(arn).to_string())
                    .collect();
                if !changed.is_empty() {
                    text.push_str(&format!(
                        " — {} changed where it is provisioned: P in the Permission sets pane re-provisions",
                        changed.join(", ")
                    ));
                }
                self.set_status(level, text);
                self.save_plan()
            }
        }
    }

    /// Like AWS after an edit: the accounts hold the old version until it is provisioned
    /// again, which is offered when the batch ends.
    fn mark_outdated(&mut self, permission_set_arn: &str) {
        if let Some(ps) = self.dir.permission_sets.get_mut(permission_set_arn) {
            ps.outdated_accounts.clone_from(&ps.provisioned_accounts);
            if !ps.provisioned_accounts.is_empty()
                && !self.reprovision.iter().any(|a| a == permission_set_arn)
            {
                self.reprovision.push(permission_set_arn.to_string());
            }
        }
    }

    pub(super) fn on_plan_restored(&mut self, result: Result<Plan, String>) -> Vec<Effect> {
        match result {
            Ok(plan) if plan.is_empty() => {}
            Ok(plan) => {
                let n = plan.items.len();
                self.plan = plan;
                let s = if n == 1 { "" } else { "s" };
                self.set_status(
                    Level::Info,
                    format!("restored {n} staged change{s} from the last session — p reviews them"),
                );
            }
            Err(e) => self.set_status(Level::Error, e),
        }
        Vec::new()
    }

    pub(super) fn undo(&mut self) -> Vec<Effect> {
        if !self.may_change("undo") {
            return Vec::new();
        }
        match self.instance_arn() {
            Some(instance_arn) => vec![Effect::ReadLastBatch { instance_arn }],
            None => {
                self.set_status(
                    Level::Info,
                    "nothing to undo yet: the instance is not loaded",
                );
                Vec::new()
            }
        }
    }

    pub(super) fn on_last_batch(
        &mut self,
        result: Result<Vec<JournalEntry>, String>,
    ) -> Vec<Effect> {
        match result {
            Ok(entries) => {
                let applied: Vec<&JournalEntry> =
                    entries.iter().filter(|e| e.succeeded()).collect();
                let inverse: Vec<Change> =
                    applied.iter().filter_map(|e| e.change.inverse()).collect();
                let kept = applied.len() - inverse.len();
                if inverse.is_empty() {
                    let why = if kept > 0 {
                        " (creating, editing and deleting permission sets, attaching and detaching policies, inline policies and provisioning cannot be undone by idc)"
                    } else {
                        ""
                    };
                    self.set_status(
                        Level::Info,
                        format!("the journal has no applied change to undo{why}"),
                    );
                    return Vec::new();
                }
                let effects = self.stage_all(inverse);
                if kept > 0
                    && let Some(status) = &mut self.status
                {
                    status.text.push_str(&format!(
                        " — {kept} change{} left as they are: permission set creations, edits and deletions, policy attachments and detachments and provisionings cannot be undone by idc",
                        if kept == 1 { "" } else { "s" }
                    ));
                }
                effects
            }
            Err(e) => {
                self.set_status(Level::Error, e);
                Vec::new()
            }
        }
    }
}
