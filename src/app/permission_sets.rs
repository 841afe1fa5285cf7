//! Permission-set changes from the Permission sets pane: the creation form, attaching a
//! managed policy, re-provisioning.
use crossterm::event::{KeyCode, KeyEvent};

use super::form::{PermissionSetForm, is_managed_policy_arn};
use super::keymap::Action;
use super::picker::{self, Picker, Purpose};
use super::{App, Effect, Item, Level, Mode};
use crate::plan::Change;

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
        self.form = None;
        self.mode = Mode::Normal;
        self.stage_all(vec![Change::CreatePermissionSet(spec)])
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
