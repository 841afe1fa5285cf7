//! Staging changes: the pickers and questions that turn keys into plan items.

use super::keymap::Action;
use super::picker::{self, Picker, Purpose};
use super::{App, Confirm, Effect, Item, Level, Mode, OnYes, Source};
use crate::model::{Assignment, Principal, PrincipalType};
use crate::plan::{Change, Refusal};

/// Said before membership changes of users or groups that an external identity provider owns.
pub(super) const SYNC_WARNING: &str = "Warning: an external identity provider (SCIM) owns these users or groups; its next sync may undo:";

impl App {
    /// Refuses a change while read-only, saying why; true when the change may go ahead.
    pub(super) fn may_change(&mut self, what: &str) -> bool {
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

    pub(super) fn instance_arn(&self) -> Option<String> {
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
    pub(super) fn start_membership_picker(&mut self, add: bool) -> Vec<Effect> {
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

    pub(super) fn principal_label(&self, p: &Principal) -> String {
        let kind = p.principal_type.as_str().to_lowercase();
        match self.dir.principal_name(p.principal_type, &p.principal_id) {
            Some(name) => format!("{kind} {name}"),
            None => format!("deleted {kind} {}", p.principal_id),
        }
    }

    pub(super) fn open_picker(&mut self, picker: Picker) {
        self.picker = Some(picker);
        self.mode = Mode::Picker;
    }

    pub(super) fn open_permission_set_picker(
        &mut self,
        principal: Principal,
        accounts: Vec<String>,
    ) {
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

    pub(super) fn accept_picker(&mut self) -> Vec<Effect> {
        let Some(picker) = self.picker.take() else {
            return Vec::new();
        };
        self.mode = Mode::Normal;
        if let Purpose::AttachPolicy { permission_set_arn } = &picker.purpose {
            let arn = permission_set_arn.clone();
            return self.accept_policy(picker, arn);
        }
        if let Purpose::AttachCustomerPolicy { permission_set_arn } = &picker.purpose {
            let arn = permission_set_arn.clone();
            return self.accept_customer_policy(&picker.filter, arn);
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
            Purpose::DetachPolicy { permission_set_arn } => {
                if let Some(policy_arn) = chosen.into_iter().next() {
                    self.accept_detach(policy_arn, permission_set_arn);
                }
                Vec::new()
            }
            // Taken above.
            Purpose::AttachPolicy { .. } | Purpose::AttachCustomerPolicy { .. } => Vec::new(),
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

    pub(super) fn confirm_removal(&mut self, changes: Vec<Change>) {
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
}
