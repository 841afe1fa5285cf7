//! A fuzzy picker popup: type to filter, Space marks (an OU marks every account under it),
//! Enter takes the marked items or the highlighted one.

use std::collections::BTreeSet;

use super::filter::FuzzyFilter;
use crate::model::{Assignment, Directory, DirectoryIndex, Principal};

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PickItem {
    /// Account id, OU id or permission set ARN.
    pub key: String,
    pub label: String,
    pub detail: String,
    pub depth: usize,
    /// For an OU: the accounts below it, which Space marks together.
    pub accounts_below: Option<Vec<String>>,
    /// Drawn as a warning (admin-level permission sets, suspended accounts).
    pub warn: bool,
}

/// What the picker is for, and so what Enter does.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Purpose {
    /// Choose accounts to give `principal` a permission set on.
    AssignAccounts { principal: Principal },
    /// Choose the permission set for `principal` on `accounts`.
    AssignPermissionSet {
        principal: Principal,
        accounts: Vec<String>,
    },
    /// Choose which of a cell's assignments to remove.
    Remove { assignments: Vec<Assignment> },
    /// Choose users to add to a group.
    AddMembers { group_id: String },
    /// Choose groups to add a user to.
    AddToGroups { user_id: String },
    /// Choose members to remove from a group.
    RemoveMembers { group_id: String },
    /// Choose groups to remove a user from.
    RemoveFromGroups { user_id: String },
    /// Choose an AWS managed policy (or type its ARN) to attach to a permission set.
    AttachPolicy { permission_set_arn: String },
    /// Choose one of the AWS managed policies attached to a permission set, to detach it.
    DetachPolicy { permission_set_arn: String },
    /// Type a customer managed policy reference (`NAME` or `/path/NAME`) to attach.
    AttachCustomerPolicy { permission_set_arn: String },
}

#[derive(Debug)]
pub struct Picker {
    pub title: String,
    pub purpose: Purpose,
    pub items: Vec<PickItem>,
    pub multi: bool,
    pub filter: String,
    pub cursor: usize,
    pub marked: BTreeSet<String>,
    /// Visible items (indexes into `items`) with the matched character positions.
    pub visible: Vec<(usize, Vec<usize>)>,
    engine: FuzzyFilter,
    haystacks: Vec<String>,
}

impl Picker {
    pub fn new(
        title: impl Into<String>,
        purpose: Purpose,
        items: Vec<PickItem>,
        multi: bool,
    ) -> Self {
        let haystacks = items
            .iter()
            .map(|i| format!("{} {}", i.label, i.detail))
            .collect();
        let mut picker = Self {
            title: title.into(),
            purpose,
            items,
            multi,
            filter: String::new(),
            cursor: 0,
            marked: BTreeSet::new(),
            visible: Vec::new(),
            engine: FuzzyFilter::default(),
            haystacks,
        };
        picker.refilter();
        picker
    }

    pub fn refilter(&mut self) {
        self.visible = if self.filter.is_empty() {
            (0..self.items.len()).map(|i| (i, Vec::new())).collect()
        } else {
            self.engine
                .apply(&self.filter, &self.haystacks)
                .into_iter()
                .map(|h| (h.item, h.indices))
                .collect()
        };
        self.cursor = 0;
    }

    pub fn move_by(&mut self, delta: isize) {
        let last = self.visible.len().saturating_sub(1);
        self.cursor = self.cursor.saturating_add_signed(delta).min(last);
    }

    pub fn highlighted(&self) -> Option<&PickItem> {
        self.visible
            .get(self.cursor)
            .and_then(|(i, _)| self.items.get(*i))
    }

    /// Marks or unmarks the highlighted item; on an OU, all its accounts together.
    pub fn toggle_mark(&mut self) {
        let Some(item) = self.highlighted().cloned() else {
            return;
        };
        let keys = item
            .accounts_below
            .clone()
            .unwrap_or_else(|| vec![item.key.clone()]);
        if keys.iter().all(|k| self.marked.contains(k)) {
            for k in &keys {
                self.marked.remove(k);
            }
        } else {
            self.marked.extend(keys);
        }
        self.move_by(1);
    }

    /// How many of an item's keys are marked, and how many it has.
    pub fn mark_count(&self, item: &PickItem) -> (usize, usize) {
        match &item.accounts_below {
            Some(below) => (
                below.iter().filter(|k| self.marked.contains(*k)).count(),
                below.len(),
            ),
            None => (usize::from(self.marked.contains(&item.key)), 1),
        }
    }

    /// The chosen keys: the marked ones, else the highlighted item's.
    pub fn chosen(&self) -> Vec<String> {
        if !self.marked.is_empty() {
            // Keep the list order, not the key order.
            let mut seen = BTreeSet::new();
            return self
                .items
                .iter()
                .flat_map(|i| {
                    i.accounts_below
                        .clone()
                        .unwrap_or_else(|| vec![i.key.clone()])
                })
                .filter(|k| self.marked.contains(k) && seen.insert(k.clone()))
                .collect();
        }
        self.highlighted()
            .map(|i| {
                i.accounts_below
                    .clone()
                    .unwrap_or_else(|| vec![i.key.clone()])
            })
            .unwrap_or_default()
    }
}

/// A common AWS managed policy, as listed in `assets/managed-policies.json`.
#[derive(Clone, Debug, PartialEq, Eq, serde::Deserialize)]
pub struct KnownPolicy {
    pub name: String,
    pub arn: String,
}

/// The common AWS managed policies shipped with idc.
pub fn known_policies() -> Vec<KnownPolicy> {
    // Checked by a test: the file is part of the binary.
    serde_json::from_str(include_str!("../../assets/managed-policies.json")).unwrap_or_default()
}

/// The common managed policies not attached yet, as picker items keyed by ARN.
pub fn managed_policy_items(attached: &[String]) -> Vec<PickItem> {
    known_policies()
        .into_iter()
        .filter(|p| !attached.contains(&p.arn))
        .map(|p| PickItem {
            warn: p.name == "AdministratorAccess" || p.name == "IAMFullAccess",
            label: p.name,
            detail: p.arn.clone(),
            key: p.arn,
            depth: 0,
            accounts_below: None,
        })
        .collect()
}

/// The account tree as picker items: OUs (marking one marks its accounts) and accounts.
pub fn account_items(dir: &Directory, ix: &DirectoryIndex) -> Vec<PickItem> {
    let mut out = Vec::new();
    for root in &ix.roots {
        push_ou(dir, ix, root, 0, &mut out);
    }
    for id in &ix.orphan_accounts {
        out.push(account_item(dir, id, 0));
    }
    out
}

fn account_item(dir: &Directory, id: &str, depth: usize) -> PickItem {
    let account = dir.accounts.get(id);
    PickItem {
        key: id.to_string(),
        label: dir.account_name(id).to_string(),
        detail: id.to_string(),
        depth,
        accounts_below: None,
        warn: account.is_some_and(|a| a.status != crate::model::AccountStatus::Active),
    }
}

/// Appends the OU and everything below it; returns the accounts below it.
fn push_ou(
    dir: &Directory,
    ix: &DirectoryIndex,
    ou: &str,
    depth: usize,
    out: &mut Vec<PickItem>,
) -> Vec<String> {
    if depth > 64 {
        return Vec::new();
    }
    let at = out.len();
    out.push(PickItem {
        key: ou.to_string(),
        label: dir.ous.get(ou).map_or(ou, |o| o.name.as_str()).to_string(),
        detail: String::new(),
        depth,
        accounts_below: Some(Vec::new()),
        warn: false,
    });
    let mut below = Vec::new();
    for child in ix.child_ous.get(ou).into_iter().flatten() {
        below.extend(push_ou(dir, ix, child, depth + 1, out));
    }
    for id in ix.child_accounts.get(ou).into_iter().flatten() {
        out.push(account_item(dir, id, depth + 1));
        below.push(id.clone());
    }
    if let Some(item) = out.get_mut(at) {
        let s = if below.len() == 1 { "" } else { "s" };
        item.detail = format!("OU, {} account{s}", below.len());
        item.accounts_below = Some(below.clone());
    }
    below
}

/// Users for which `keep` holds, by user name; IdP-synced ones are marked.
pub fn user_items(dir: &Directory, keep: impl Fn(&str) -> bool) -> Vec<PickItem> {
    identity_items(dir.users.values().filter(|u| keep(&u.id)).map(|u| {
        let detail = u.display_name.clone().unwrap_or_default();
        (&u.id, &u.user_name, detail, !u.external_ids.is_empty())
    }))
}

/// Groups for which `keep` holds, by name; IdP-synced ones are marked.
pub fn group_items(dir: &Directory, keep: impl Fn(&str) -> bool) -> Vec<PickItem> {
    identity_items(dir.groups.values().filter(|g| keep(&g.id)).map(|g| {
        let detail = g.description.clone().unwrap_or_default();
        (&g.id, &g.display_name, detail, !g.external_ids.is_empty())
    }))
}

/// (id, label, detail, synced from an IdP) as picker items sorted by label.
fn identity_items<'a>(
    entries: impl Iterator<Item = (&'a String, &'a String, String, bool)>,
) -> Vec<PickItem> {
    let mut items: Vec<PickItem> = entries
        .map(|(id, label, detail, synced)| PickItem {
            key: id.clone(),
            label: label.clone(),
            detail: if synced {
                format!("{detail}  (IdP)")
            } else {
                detail
            },
            depth: 0,
            accounts_below: None,
            warn: false,
        })
        .collect();
    items.sort_by_key(|i| i.label.to_lowercase());
    items
}

pub fn permission_set_items(dir: &Directory) -> Vec<PickItem> {
    let mut sets: Vec<_> = dir.permission_sets.values().collect();
    sets.sort_by_key(|p| p.name.to_lowercase());
    sets.into_iter()
        .map(|p| PickItem {
            key: p.arn.clone(),
            label: p.name.clone(),
            detail: p.description.clone().unwrap_or_default(),
            depth: 0,
            accounts_below: None,
            warn: p.is_admin(),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::backend::demo::demo_organization;

    fn accounts_picker() -> (Directory, Picker) {
        let dir = demo_organization();
        let ix = DirectoryIndex::build(&dir);
        let items = account_items(&dir, &ix);
        let p = Principal {
            principal_type: crate::model::PrincipalType::Group,
            principal_id: "g".into(),
        };
        (
            dir,
            Picker::new(
                "Accounts",
                Purpose::AssignAccounts { principal: p },
                items,
                true,
            ),
        )
    }

    #[test]
    fn the_managed_policy_list_loads_with_valid_arns() {
        let all = known_policies();
        assert!(all.len() >= 40, "{}", all.len());
        for p in &all {
            assert!(super::super::form::is_managed_policy_arn(&p.arn), "{p:?}");
            assert!(p.arn.ends_with(&format!("/{}", p.name)), "{p:?}");
        }
        assert!(all.iter().any(|p| p.arn.contains("/job-function/")));
        let ec2 = "arn:aws:iam::aws:policy/AmazonEC2ReadOnlyAccess".to_string();
        let items = managed_policy_items(std::slice::from_ref(&ec2));
        assert_eq!(items.len(), all.len() - 1);
        assert!(items.iter().all(|i| i.key != ec2));
    }

    #[test]
    fn marking_an_ou_marks_every_account_under_it() {
        let (dir, mut picker) = accounts_picker();
        picker.filter = "Prod".into();
        picker.refilter();
        let prod = picker.highlighted().cloned().expect("an item");
        assert!(prod.accounts_below.is_some(), "{prod:?}");
        picker.cursor = 0;
        picker.toggle_mark();
        let chosen = picker.chosen();
        let below = prod.accounts_below.clone().expect("an OU");
        assert_eq!(chosen.len(), below.len());
        assert!(chosen.iter().all(|id| dir.accounts.contains_key(id)));
        // Toggling again unmarks them all.
        picker.cursor = 0;
        picker.toggle_mark();
        assert!(picker.marked.is_empty());
    }

    #[test]
    fn enter_without_marks_takes_the_highlighted_account() {
        let (_, mut picker) = accounts_picker();
        picker.filter = "payments-prod".into();
        picker.refilter();
        let first = picker.highlighted().cloned().expect("a match");
        assert_eq!(picker.chosen(), vec![first.key]);
    }
}
