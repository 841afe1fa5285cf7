//! Permission-set changes from the Permission sets pane: the creation and edit form,
//! attaching and detaching a managed policy, re-provisioning, deleting.
use crossterm::event::{KeyCode, KeyEvent};

use super::form::{PermissionSetForm, is_managed_policy_arn, parse_customer_policy_ref};
use super::keymap::Action;
use super::picker::{self, PickItem, Picker, Purpose};
use super::{App, Confirm, Effect, Item, Level, Mode, OnYes};
use crate::backend::PermissionSetSpec;
use crate::plan::Change;

/// Marks a customer managed policy reference among the detach picker's keys (policy ARNs).
const CUSTOMER_KEY: &str = "customer:";

impl App {
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
        let Some((permission_set_arn, _)) = form.editing.clone() else {
            self.form = None;
            self.mode = Mode::Normal;
            return self.stage_all(vec![Change::CreatePermissionSet(spec)]);
        };
        let Some(ps) = self.dir.permission_sets.get(&permission_set_arn) else {
            self.form = None;
            self.mode = Mode::Normal;
            self.set_status(
                Level::Warn,
                "the permission set is gone (deleted meanwhile?): nothing was staged",
            );
            return Vec::new();
        };
        if spec.matches(ps) {
            // The form stays open: change something, or Esc.
            self.set_status(
                Level::Info,
                format!(
                    "nothing changed: {} already has this description, session duration and relay state — nothing was staged",
                    ps.name
                ),
            );
            return Vec::new();
        }
        self.form = None;
        self.mode = Mode::Normal;
        self.stage_all(vec![Change::UpdatePermissionSet {
            permission_set_arn,
            spec,
        }])
    }

    /// `e` in the Permission sets pane: the form, filled with the selected set.
    pub(super) fn start_edit_permission_set(&mut self) {
        if !self.may_change("editing a permission set") {
            return;
        }
        let Some(arn) = self.selected_permission_set("e (edit)") else {
            return;
        };
        let Some(ps) = self.dir.permission_sets.get(&arn) else {
            return;
        };
        let current = PermissionSetSpec::of(ps);
        self.form = Some(PermissionSetForm::edit(arn, current));
        self.mode = Mode::Form;
    }

    /// `D` in the Permission sets pane: pick one of the attached AWS managed policies or
    /// customer managed policy references.
    pub(super) fn start_detach_policy(&mut self) {
        if !self.may_change("detaching a policy") {
            return;
        }
        let Some(arn) = self.selected_permission_set("D (detach)") else {
            return;
        };
        let Some(ps) = self.dir.permission_sets.get(&arn) else {
            return;
        };
        if ps.managed_policies.is_empty() && ps.customer_managed_policies.is_empty() {
            let name = ps.name.clone();
            self.set_status(
                Level::Info,
                format!("{name} has no managed policy attached: nothing to detach"),
            );
            return;
        }
        let managed = ps.managed_policies.iter().map(|m| PickItem {
            key: m.arn.clone(),
            label: m.name.clone(),
            detail: m.arn.clone(),
            depth: 0,
            accounts_below: None,
            warn: false,
        });
        let customer = ps.customer_managed_policies.iter().map(|c| PickItem {
            key: format!("{CUSTOMER_KEY}{}{}", c.path, c.name),
            label: c.name.clone(),
            detail: format!("customer managed {}{}", c.path, c.name),
            depth: 0,
            accounts_below: None,
            warn: false,
        });
        let items = managed.chain(customer).collect();
        let title = format!("Detach a managed policy from {} — Enter takes", ps.name);
        self.open_picker(Picker::new(
            title,
            Purpose::DetachPolicy {
                permission_set_arn: arn,
            },
            items,
            false,
        ));
    }

    /// Enter in the detach picker: asks before staging.
    pub(super) fn accept_detach(&mut self, key: String, permission_set_arn: String) {
        let change = match key
            .strip_prefix(CUSTOMER_KEY)
            .and_then(|r| r.rsplit_once('/'))
        {
            Some((path, name)) => Change::DetachCustomerPolicy {
                permission_set_arn,
                name: name.to_string(),
                path: format!("{path}/"),
            },
            None => Change::DetachManagedPolicy {
                permission_set_arn,
                policy_arn: key,
            },
        };
        let mut lines = vec![change.describe(&self.dir)];
        lines.push(
            "Accounts it is provisioned to keep the policy until P provisions it again."
                .to_string(),
        );
        self.mode = Mode::Confirm(Confirm {
            title: "Stage this detachment?".to_string(),
            lines,
            on_yes: OnYes::Stage(vec![change]),
        });
    }

    /// `C` in the Permission sets pane: type a customer managed policy reference.
    pub(super) fn start_attach_customer_policy(&mut self) {
        if !self.may_change("attaching a policy") {
            return;
        }
        let Some(arn) = self.selected_permission_set("C (customer managed policy)") else {
            return;
        };
        let name = self.dir.permission_set_name(&arn).to_string();
        self.open_picker(Picker::new(
            format!(
                "Attach a customer managed policy to {name} — type NAME or /path/NAME, Enter takes"
            ),
            Purpose::AttachCustomerPolicy {
                permission_set_arn: arn,
            },
            Vec::new(),
            false,
        ));
    }

    /// Enter in the customer managed policy prompt: stages the typed reference when valid.
    pub(super) fn accept_customer_policy(
        &mut self,
        typed: &str,
        permission_set_arn: String,
    ) -> Vec<Effect> {
        match parse_customer_policy_ref(typed) {
            Ok((name, path)) => self.stage_all(vec![Change::AttachCustomerPolicy {
                permission_set_arn,
                name,
                path,
            }]),
            Err(why) => {
                self.set_status(Level::Warn, format!("{why}: nothing was staged"));
                Vec::new()
            }
        }
    }

    /// Why the permission set cannot be deleted now: where it is still assigned, or the
    /// staged changes that use it.
    pub fn deletion_blocker(&self, permission_set_arn: &str) -> Option<String> {
        let name = self.dir.permission_set_name(permission_set_arn);
        let mut accounts: Vec<&str> = Vec::new();
        for a in self
            .dir
            .assignments
            .iter()
            .filter(|a| a.permission_set_arn == permission_set_arn)
        {
            if !accounts.contains(&a.account_id.as_str()) {
                accounts.push(&a.account_id);
            }
        }
        if !accounts.is_empty() {
            let n = accounts.len();
            let mut names: Vec<&str> = accounts
                .iter()
                .take(3)
                .map(|id| self.dir.account_name(id))
                .collect();
            if n > 3 {
                names.push("…");
            }
            let s = if n == 1 { "" } else { "s" };
            return Some(format!(
                "{name} is still assigned on {n} account{s}: {} — remove its assignments first (Matrix, x)",
                names.join(", ")
            ));
        }
        let staged = self
            .plan
            .items
            .iter()
            .filter(|i| !i.status.is_final())
            .filter(|i| i.change.permission_set_arn() == Some(permission_set_arn))
            .count();
        if staged > 0 {
            let s = if staged == 1 { "" } else { "s" };
            return Some(format!(
                "{name} is used by {staged} change{s} in the plan: apply or drop {} first (p)",
                if staged == 1 { "it" } else { "them" }
            ));
        }
        None
    }

    /// `X` in the Permission sets pane: delete the set, when nothing uses it.
    pub(super) fn start_delete_permission_set(&mut self) {
        if !self.may_change("deleting a permission set") {
            return;
        }
        let Some(arn) = self.selected_permission_set("X (delete)") else {
            return;
        };
        if let Some(why) = self.deletion_blocker(&arn) {
            self.set_status(Level::Warn, format!("not deleted: {why}"));
            return;
        }
        let change = Change::DeletePermissionSet {
            permission_set_arn: arn,
        };
        let lines = vec![
            change.describe(&self.dir),
            "Nothing is assigned with it. idc cannot undo a deletion.".to_string(),
        ];
        self.mode = Mode::Confirm(Confirm {
            title: "Stage this deletion?".to_string(),
            lines,
            on_yes: OnYes::Stage(vec![change]),
        });
    }

    /// The permission set under the cursor of the Permission sets pane, if it exists in AWS.
    pub(super) fn selected_permission_set(&mut self, what: &str) -> Option<String> {
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
    pub(super) fn accept_policy(
        &mut self,
        picker: Picker,
        permission_set_arn: String,
    ) -> Vec<Effect> {
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
}
