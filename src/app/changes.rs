//! Staging, reviewing and applying changes: the pickers, the plan view, questions, the
//! journal and undo. The effects carry the I/O; this stays pure.

use crossterm::event::{KeyCode, KeyEvent};

use super::form::{PermissionSetForm, is_managed_policy_arn};
use super::keymap::Action;
use super::matrix::{self, MatrixColumn, MatrixRow};
use super::picker::{self, PickItem, Picker, Purpose};
use super::{App, Confirm, Effect, Item, Level, Mode, OnYes, PaneId, Source};
use crate::model::{
    Assignment, ManagedPolicy, Membership, PermissionSet, Principal, PrincipalType,
};
use crate::plan::store::JournalEntry;
use crate::plan::{Change, ItemStatus, Plan, Refusal, policy_name};
use crate::worker::apply::ApplyEvent;

/// Said before membership changes of users or groups that an external identity provider owns.
const SYNC_WARNING: &str = "Warning: an external identity provider (SCIM) owns these users or groups; its next sync may undo:";

impl App {
    /// Refuses a change while read-only, saying why; true when the change may go ahead.
    fn may_change(&mut self, what: &str) -> bool {
        if !self.read_only {
            return true;
        }
        let why = match &self.source {
            Source::Snapshot(_) => "a snapshot is read-only",
            Source::Live(_) => "idc runs with --read-only",
        };
        self.set_status(Level::Warn, format!("{what} is disabled: {why}"));
        false
    }

    fn instance_arn(&self) -> Option<String> {
        self.dir.instance.as_ref().map(|i| i.instance_arn.clone())
    }

    pub(super) fn save_plan(&self) -> Vec<Effect> {
        self.instance_arn()
            .map(|instance_arn| Effect::SavePlan {
                instance_arn,
                plan: self.plan.clone(),
            })
            .into_iter()
            .collect()
    }

    pub(super) fn quit(&mut self) -> Vec<Effect> {
        let staged = self.plan.staged().count();
        if staged == 0 && !self.plan.running() {
            return vec![Effect::Quit];
        }
        let mut lines = Vec::new();
        if staged > 0 {
            lines.push(format!(
                "{staged} staged changes are saved and come back when idc starts again."
            ));
        }
        if self.plan.running() {
            lines.push("Changes are being applied: requests already sent go on in AWS, but idc stops following them.".to_string());
        }
        self.mode = Mode::Confirm(Confirm {
            title: "Quit idc?".to_string(),
            lines,
            on_yes: OnYes::Quit,
        });
        Vec::new()
    }

    /// `a` on a group or user: pick accounts, then a permission set.
    pub(super) fn start_assign(&mut self) -> Vec<Effect> {
        if !self.may_change("assigning") {
            return Vec::new();
        }
        let principal = match self.selected() {
            Some(Item::Group(id)) => Principal {
                principal_type: PrincipalType::Group,
                principal_id: id.clone(),
            },
            Some(Item::User(id)) => Principal {
                principal_type: PrincipalType::User,
                principal_id: id.clone(),
            },
            _ => {
                self.set_status(Level::Info, "select a group or a user first");
                return Vec::new();
            }
        };
        let name = self.principal_label(&principal);
        let items = picker::account_items(&self.dir, &self.index);
        self.open_picker(Picker::new(
            format!("Accounts for {name} — Space marks, Enter takes"),
            Purpose::AssignAccounts { principal },
            items,
            true,
        ));
        Vec::new()
    }

    /// `m`: add users to the selected group, or the selected user to groups.
    pub(super) fn start_add_members(&mut self) -> Vec<Effect> {
        self.start_membership_picker(true)
    }

    /// `x` in the Groups and Users panes: pick members (or groups) to remove.
    pub(super) fn start_remove_members(&mut self) -> Vec<Effect> {
        self.start_membership_picker(false)
    }

    /// The picker of users to add to (or remove from) the selected group, or of groups to add
    /// the selected user to (or remove them from).
    fn start_membership_picker(&mut self, add: bool) -> Vec<Effect> {
        if !self.may_change("changing group members") {
            return Vec::new();
        }
        let (title, purpose, items) = match self.selected().cloned() {
            Some(Item::Group(group_id)) => {
                let members: Vec<String> =
                    self.dir.members_of(&group_id).map(str::to_string).collect();
                let name = self
                    .dir
                    .groups
                    .get(&group_id)
                    .map_or(group_id.clone(), |g| g.display_name.clone());
                let items =
                    picker::user_items(&self.dir, |u| members.iter().any(|m| m == u) != add);
                if add {
                    (
                        format!("Add users to group {name}"),
                        Purpose::AddMembers { group_id },
                        items,
                    )
                } else {
                    (
                        format!("Remove members from group {name}"),
                        Purpose::RemoveMembers { group_id },
                        items,
                    )
                }
            }
            Some(Item::User(user_id)) => {
                let groups = self.index.groups_of(&user_id).to_vec();
                let name = self
                    .dir
                    .users
                    .get(&user_id)
                    .map_or(user_id.clone(), |u| u.user_name.clone());
                let items =
                    picker::group_items(&self.dir, |g| groups.iter().any(|x| x == g) != add);
                if add {
                    (
                        format!("Add {name} to groups"),
                        Purpose::AddToGroups { user_id },
                        items,
                    )
                } else {
                    (
                        format!("Remove {name} from groups"),
                        Purpose::RemoveFromGroups { user_id },
                        items,
                    )
                }
            }
            _ => {
                let key = if add {
                    "m adds members"
                } else {
                    "x removes members"
                };
                self.set_status(
                    Level::Info,
                    format!("{key} in the Groups pane, or for a user in the Users pane"),
                );
                return Vec::new();
            }
        };
        if items.is_empty() {
            let why = if add {
                "nothing to add: every one is in already"
            } else {
                "nothing to remove: no membership"
            };
            self.set_status(Level::Info, why);
            return Vec::new();
        }
        self.open_picker(Picker::new(
            format!("{title} — Space marks, Enter takes"),
            purpose,
            items,
            true,
        ));
        Vec::new()
    }

    fn principal_label(&self, p: &Principal) -> String {
        let kind = p.principal_type.as_str().to_lowercase();
        match self.dir.principal_name(p.principal_type, &p.principal_id) {
            Some(name) => format!("{kind} {name}"),
            None => format!("deleted {kind} {}", p.principal_id),
        }
    }

    fn open_picker(&mut self, picker: Picker) {
        self.picker = Some(picker);
        self.mode = Mode::Picker;
    }

    fn open_permission_set_picker(&mut self, principal: Principal, accounts: Vec<String>) {
        let target = match accounts.as_slice() {
            [one] => format!("{} ({one})", self.dir.account_name(one)),
            many => format!("{} accounts", many.len()),
        };
        let title = format!(
            "Permission set for {} on {target}",
            self.principal_label(&principal)
        );
        let items = picker::permission_set_items(&self.dir);
        self.open_picker(Picker::new(
            title,
            Purpose::AssignPermissionSet {
                principal,
                accounts,
            },
            items,
            false,
        ));
    }

    /// `n` in the Permission sets pane: the form of a new permission set.
    pub(super) fn start_create_permission_set(&mut self) {
        if !self.may_change("creating a permission set") {
            return;
        }
        let existing = self
            .dir
            .permission_sets
            .values()
            .map(|p| p.name.clone())
            .collect();
        let staged = self
            .plan
            .items
            .iter()
            .filter(|i| !i.status.is_final())
            .filter_map(|i| match &i.change {
                Change::CreatePermissionSet(spec) => Some(spec.name.clone()),
                _ => None,
            })
            .collect();
        self.form = Some(PermissionSetForm::new(existing, staged));
        self.mode = Mode::Form;
    }

    pub(super) fn form_action(&mut self, action: Action, key: KeyEvent) -> Vec<Effect> {
        let Some(form) = self.form.as_mut() else {
            self.mode = Mode::Normal;
            return Vec::new();
        };
        let submit = match action {
            Action::NextField => {
                form.next_field();
                false
            }
            Action::PrevField => {
                form.prev_field();
                false
            }
            Action::CycleChoice if form.focus.is_text() => {
                // Space is a character in a text field; the arrows do nothing there.
                if key.code == KeyCode::Char(' ') {
                    form.type_char(' ');
                }
                false
            }
            Action::CycleChoice => {
                form.cycle(key.code != KeyCode::Left);
                false
            }
            Action::Accept if !form.is_last_field() => {
                form.next_field();
                false
            }
            Action::Accept | Action::Submit => true,
            Action::Cancel => {
                self.form = None;
                self.mode = Mode::Normal;
                self.set_status(Level::Info, "cancelled: nothing was staged");
                return Vec::new();
            }
            _ => false,
        };
        if !submit {
            return Vec::new();
        }
        let Some(spec) = form.submit() else {
            let n = form.errors.len();
            let s = if n == 1 { "" } else { "s" };
            self.set_status(
                Level::Warn,
                format!("{n} field{s} to correct: nothing was staged"),
            );
            return Vec::new();
        };
        self.form = None;
        self.mode = Mode::Normal;
        self.stage_all(vec![Change::CreatePermissionSet(spec)])
    }

    /// The permission set under the cursor of the Permission sets pane, if it exists in AWS.
    fn selected_permission_set(&mut self, what: &str) -> Option<String> {
        let Some(Item::PermissionSet(arn)) = self.selected().cloned() else {
            self.set_status(
                Level::Info,
                format!("{what} works in the Permission sets pane: select a permission set"),
            );
            return None;
        };
        if !self.dir.permission_sets.contains_key(&arn) {
            self.set_status(
                Level::Info,
                format!(
                    "{what}: this permission set does not exist yet — apply its creation first"
                ),
            );
            return None;
        }
        Some(arn)
    }

    /// `A` in the Permission sets pane: pick a managed policy, or type its ARN.
    pub(super) fn start_attach_policy(&mut self) {
        if !self.may_change("attaching a policy") {
            return;
        }
        let Some(arn) = self.selected_permission_set("A (attach)") else {
            return;
        };
        let (name, attached) = self.dir.permission_sets.get(&arn).map_or_else(
            || (arn.clone(), Vec::new()),
            |p| {
                (
                    p.name.clone(),
                    p.managed_policies.iter().map(|m| m.arn.clone()).collect(),
                )
            },
        );
        let items = picker::managed_policy_items(&attached);
        self.open_picker(Picker::new(
            format!("Attach a managed policy to {name} — Enter takes (or type a policy ARN)"),
            Purpose::AttachPolicy {
                permission_set_arn: arn,
            },
            items,
            false,
        ));
    }

    /// `P` in the Permission sets pane: provision again to its accounts.
    pub(super) fn stage_provision(&mut self) -> Vec<Effect> {
        if !self.may_change("provisioning") {
            return Vec::new();
        }
        let Some(arn) = self.selected_permission_set("P (provision)") else {
            return Vec::new();
        };
        let Some(ps) = self.dir.permission_sets.get(&arn) else {
            return Vec::new();
        };
        if ps.provisioned_accounts.is_empty() {
            let name = ps.name.clone();
            self.set_status(
                Level::Info,
                format!("{name} is provisioned to no account yet: assigning it provisions it"),
            );
            return Vec::new();
        }
        self.stage_all(vec![Change::Provision {
            permission_set_arn: arn,
        }])
    }

    /// Enter in the managed policy picker: the highlighted policy, or a typed ARN.
    fn accept_policy(&mut self, picker: Picker, permission_set_arn: String) -> Vec<Effect> {
        let typed = picker.filter.trim().to_string();
        let attached = |arn: &str| {
            self.dir
                .permission_sets
                .get(&permission_set_arn)
                .is_some_and(|p| p.managed_policies.iter().any(|m| m.arn == arn))
        };
        let policy_arn = if is_managed_policy_arn(&typed) {
            // A whole ARN was typed: take it, whether or not the list holds it.
            if attached(&typed) {
                self.set_status(Level::Info, format!("{typed} is already attached"));
                return Vec::new();
            }
            typed
        } else if let Some(arn) = picker.chosen().into_iter().next() {
            arn
        } else if typed.starts_with("arn:") {
            self.set_status(
                Level::Warn,
                format!("{typed} is not an AWS managed policy ARN (arn:aws:iam::aws:policy/[path/]Name): nothing was staged"),
            );
            return Vec::new();
        } else {
            self.set_status(
                Level::Info,
                "nothing matches: type a whole policy ARN to attach one that is not listed",
            );
            return Vec::new();
        };
        self.stage_all(vec![Change::AttachManagedPolicy {
            permission_set_arn,
            policy_arn,
        }])
    }

    pub(super) fn picker_action(&mut self, action: Action) -> Vec<Effect> {
        let Some(picker) = self.picker.as_mut() else {
            self.mode = Mode::Normal;
            return Vec::new();
        };
        let page = 10;
        match action {
            Action::Down => picker.move_by(1),
            Action::Up => picker.move_by(-1),
            Action::PageDown => picker.move_by(page),
            Action::PageUp => picker.move_by(-page),
            Action::Mark if picker.multi => picker.toggle_mark(),
            Action::Mark => self.set_status(
                Level::Info,
                "pick one here: Enter takes the highlighted item",
            ),
            Action::Cancel => {
                self.picker = None;
                self.mode = Mode::Normal;
            }
            Action::Accept => return self.accept_picker(),
            _ => {}
        }
        Vec::new()
    }

    fn accept_picker(&mut self) -> Vec<Effect> {
        let Some(picker) = self.picker.take() else {
            return Vec::new();
        };
        self.mode = Mode::Normal;
        if let Purpose::AttachPolicy { permission_set_arn } = &picker.purpose {
            let arn = permission_set_arn.clone();
            return self.accept_policy(picker, arn);
        }
        let chosen = picker.chosen();
        if chosen.is_empty() {
            self.set_status(Level::Info, "nothing matches: nothing was chosen");
            return Vec::new();
        }
        match picker.purpose {
            Purpose::AssignAccounts { principal } => {
                self.open_permission_set_picker(principal, chosen);
                Vec::new()
            }
            Purpose::AssignPermissionSet {
                principal,
                accounts,
            } => {
                let Some(ps) = chosen.first() else {
                    return Vec::new();
                };
                let changes = accounts
                    .iter()
                    .map(|account| {
                        Change::Assign(Assignment {
                            account_id: account.clone(),
                            permission_set_arn: ps.clone(),
                            principal_type: principal.principal_type,
                            principal_id: principal.principal_id.clone(),
                        })
                    })
                    .collect();
                self.stage_all(changes)
            }
            Purpose::Remove { assignments } => {
                let picked: Vec<Change> = chosen
                    .iter()
                    .filter_map(|key| key.parse::<usize>().ok())
                    .filter_map(|i| assignments.get(i).cloned())
                    .map(Change::Unassign)
                    .collect();
                self.confirm_removal(picked);
                Vec::new()
            }
            Purpose::AddMembers { group_id } => self.stage_all(
                chosen
                    .into_iter()
                    .map(|user_id| Change::AddMember {
                        group_id: group_id.clone(),
                        user_id,
                    })
                    .collect(),
            ),
            Purpose::AddToGroups { user_id } => self.stage_all(
                chosen
                    .into_iter()
                    .map(|group_id| Change::AddMember {
                        group_id,
                        user_id: user_id.clone(),
                    })
                    .collect(),
            ),
            Purpose::RemoveMembers { group_id } => {
                let changes = chosen
                    .into_iter()
                    .map(|user_id| Change::RemoveMember {
                        group_id: group_id.clone(),
                        user_id,
                    })
                    .collect();
                self.confirm_removal(changes);
                Vec::new()
            }
            Purpose::RemoveFromGroups { user_id } => {
                let changes = chosen
                    .into_iter()
                    .map(|group_id| Change::RemoveMember {
                        group_id,
                        user_id: user_id.clone(),
                    })
                    .collect();
                self.confirm_removal(changes);
                Vec::new()
            }
            // Taken above.
            Purpose::AttachPolicy { .. } => Vec::new(),
        }
    }

    /// Stages changes and says what happened to each kind of refusal.
    pub(super) fn stage_all(&mut self, changes: Vec<Change>) -> Vec<Effect> {
        let (mut staged, mut already_true, mut already_staged, mut cancelled) = (0, 0, 0, 0);
        for change in changes {
            match self.plan.stage(change, &self.dir) {
                Ok(_) => staged += 1,
                Err(Refusal::AlreadyTrue) => already_true += 1,
                Err(Refusal::AlreadyStaged) => already_staged += 1,
                Err(Refusal::CancelledOpposite) => cancelled += 1,
            }
        }
        let mut parts = vec![format!(
            "staged {staged} change{}",
            if staged == 1 { "" } else { "s" }
        )];
        if already_true > 0 {
            parts.push(format!("{already_true} already true in AWS"));
        }
        if already_staged > 0 {
            parts.push(format!("{already_staged} already staged"));
        }
        if cancelled > 0 {
            parts.push(format!("{cancelled} cancelled a staged opposite"));
        }
        parts.push("p reviews and applies".to_string());
        self.set_status(Level::Info, parts.join(", "));
        self.save_plan()
    }

    fn confirm_removal(&mut self, changes: Vec<Change>) {
        if changes.is_empty() {
            return;
        }
        let mut lines: Vec<String> = changes.iter().map(|c| c.describe(&self.dir)).collect();
        if changes.iter().any(|c| c.touches_synced_identity(&self.dir)) {
            lines.push(SYNC_WARNING.to_string());
        }
        self.mode = Mode::Confirm(Confirm {
            title: "Stage this removal?".to_string(),
            lines,
            on_yes: OnYes::Stage(changes),
        });
    }

    pub(super) fn confirm_action(&mut self, action: Action) -> Vec<Effect> {
        let Mode::Confirm(confirm) = std::mem::replace(&mut self.mode, Mode::Normal) else {
            return Vec::new();
        };
        match (action, confirm.on_yes) {
            (Action::Confirm, OnYes::Quit) => vec![Effect::Quit],
            (Action::Confirm, OnYes::Stage(changes)) => self.stage_all(changes),
            (Action::Confirm, OnYes::Apply) => self.start_apply(),
            (Action::Cancel, OnYes::Apply) => {
                self.mode = Mode::Plan { cursor: 0 };
                Vec::new()
            }
            _ => Vec::new(),
        }
    }

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

    fn ask_apply(&mut self) {
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

    fn start_apply(&mut self) -> Vec<Effect> {
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
                            if let Some(ps) = self.dir.permission_sets.get_mut(permission_set_arn) {
                                if !ps.managed_policies.iter().any(|m| &m.arn == policy_arn) {
                                    ps.managed_policies.push(ManagedPolicy {
                                        arn: policy_arn.clone(),
                                        name: policy_name(policy_arn).to_string(),
                                    });
                                }
                                // Like AWS: the accounts hold the old version until provisioned.
                                ps.outdated_accounts.clone_from(&ps.provisioned_accounts);
                                if !ps.provisioned_accounts.is_empty()
                                    && !self.reprovision.contains(permission_set_arn)
                                {
                                    self.reprovision.push(permission_set_arn.clone());
                                }
                            }
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
                        " (creating a permission set, attaching a policy and provisioning cannot be undone by idc)"
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
                        " — {kept} change{} left as they are: permission set creations, policy attachments and provisionings cannot be undone by idc",
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

    /// Keys of the matrix pane; false when the action is not the matrix's own.
    pub(super) fn matrix_action(&mut self, action: Action) -> bool {
        let page = self.matrix.page().max(1) as isize;
        match action {
            Action::Down => self.matrix.move_row(1),
            Action::Up => self.matrix.move_row(-1),
            Action::PageDown => self.matrix.move_row(page),
            Action::PageUp => self.matrix.move_row(-page),
            Action::Top => self.matrix.row_to(0),
            Action::Bottom => self.matrix.row_to(usize::MAX),
            Action::Left => self.matrix.move_col(-1),
            Action::Right => self.matrix.move_col(1),
            Action::Toggle => self.matrix.set_expanded(None),
            Action::CycleColumns => self.matrix.cycle_kind(),
            Action::StartFilter => self.mode = Mode::Filter,
            Action::StartColumnFilter => self.mode = Mode::ColumnFilter,
            Action::AcceptFilter => self.mode = Mode::Normal,
            Action::ClearFilter => {
                let column = self.mode == Mode::ColumnFilter;
                let row = self.mode == Mode::Filter;
                self.mode = Mode::Normal;
                // Esc while typing clears that filter; Esc in the matrix clears both.
                if !row {
                    self.matrix.col_filter.clear();
                }
                if !column {
                    self.matrix.row_filter.clear();
                }
                self.matrix.filter_changed();
            }
            Action::DetailDown | Action::DetailUp => {
                let pane = &mut self.panes[PaneId::Matrix.index()];
                pane.detail_scroll = if action == Action::DetailDown {
                    pane.detail_scroll.saturating_add(1)
                } else {
                    pane.detail_scroll.saturating_sub(1)
                };
            }
            Action::Assign => self.matrix_assign(),
            Action::Remove => self.matrix_remove(),
            _ => return false,
        }
        true
    }

    /// The account and principal of the matrix cell under the cursor.
    fn matrix_cell(&mut self, what: &str) -> Option<(String, Principal)> {
        let account = match self.matrix.selected_row() {
            Some(MatrixRow::Account { id, .. }) => id.clone(),
            Some(MatrixRow::Ou { .. }) => {
                self.set_status(Level::Info, format!("{what} works on an account row; on an OU, use a in the Groups pane to pick its accounts"));
                return None;
            }
            None => return None,
        };
        let principal = match self.matrix.selected_column() {
            Some(MatrixColumn::Group(id)) => Principal {
                principal_type: PrincipalType::Group,
                principal_id: id.clone(),
            },
            Some(MatrixColumn::User(id)) => Principal {
                principal_type: PrincipalType::User,
                principal_id: id.clone(),
            },
            Some(MatrixColumn::PermissionSet(_)) => {
                self.set_status(
                    Level::Info,
                    format!("{what} needs a group or user column: c switches the columns"),
                );
                return None;
            }
            None => return None,
        };
        Some((account, principal))
    }

    fn matrix_assign(&mut self) {
        if !self.may_change("assigning") {
            return;
        }
        if let Some((account, principal)) = self.matrix_cell("a") {
            self.open_permission_set_picker(principal, vec![account]);
        }
    }

    fn matrix_remove(&mut self) {
        if !self.may_change("removing") {
            return;
        }
        let Some((account, principal)) = self.matrix_cell("x") else {
            return;
        };
        let column = match principal.principal_type {
            PrincipalType::Group => MatrixColumn::Group(principal.principal_id.clone()),
            PrincipalType::User => MatrixColumn::User(principal.principal_id.clone()),
        };
        let existing: Vec<Assignment> =
            matrix::cell_entries(&self.dir, &self.plan, &account, &column)
                .into_iter()
                .filter(|e| e.pending.is_none() && self.dir.assignments.contains(&e.assignment))
                .map(|e| e.assignment)
                .collect();
        match existing.len() {
            0 => self.set_status(Level::Info, "this cell has no assignment to remove"),
            1 => self.confirm_removal(existing.into_iter().map(Change::Unassign).collect()),
            _ => {
                let items = existing
                    .iter()
                    .enumerate()
                    .map(|(i, a)| {
                        let ps = self.dir.permission_sets.get(&a.permission_set_arn);
                        PickItem {
                            key: i.to_string(),
                            label: self
                                .dir
                                .permission_set_name(&a.permission_set_arn)
                                .to_string(),
                            detail: String::new(),
                            depth: 0,
                            accounts_below: None,
                            warn: ps.is_some_and(|p| p.is_admin()),
                        }
                    })
                    .collect();
                let title = format!(
                    "Remove which permission set of {} on {}?",
                    self.principal_label(&principal),
                    self.dir.account_name(&account)
                );
                self.open_picker(Picker::new(
                    title,
                    Purpose::Remove {
                        assignments: existing,
                    },
                    items,
                    true,
                ));
            }
        }
    }
}
