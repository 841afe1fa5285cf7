use std::collections::HashMap;

use super::{Assignment, Directory, Principal, PrincipalType};

/// Reverse lookups derived from a [`Directory`]; rebuilt whenever the directory changes.
#[derive(Debug, Default)]
pub struct DirectoryIndex {
    pub groups_of_user: HashMap<String, Vec<String>>,
    pub assignments_of_principal: HashMap<Principal, Vec<Assignment>>,
    pub assignments_of_permission_set: HashMap<String, Vec<Assignment>>,
    pub member_count: HashMap<String, usize>,
    /// OU and account ids under each OU (or root), for the tree.
    pub child_ous: HashMap<String, Vec<String>>,
    pub child_accounts: HashMap<String, Vec<String>>,
    /// Accounts whose parent is unknown (Organizations not readable) or missing.
    pub orphan_accounts: Vec<String>,
    pub roots: Vec<String>,
}

impl DirectoryIndex {
    pub fn build(dir: &Directory) -> Self {
        let mut ix = Self::default();
        for (group_id, user_id) in dir.memberships.keys() {
            ix.groups_of_user
                .entry(user_id.clone())
                .or_default()
                .push(group_id.clone());
            *ix.member_count.entry(group_id.clone()).or_default() += 1;
        }
        for a in &dir.assignments {
            ix.assignments_of_principal
                .entry(a.principal())
                .or_default()
                .push(a.clone());
            ix.assignments_of_permission_set
                .entry(a.permission_set_arn.clone())
                .or_default()
                .push(a.clone());
        }
        for ou in dir.ous.values() {
            match ou.parent_id.as_deref() {
                Some(p) if dir.ous.contains_key(p) => {
                    ix.child_ous
                        .entry(p.to_string())
                        .or_default()
                        .push(ou.id.clone());
                }
                _ => ix.roots.push(ou.id.clone()),
            }
        }
        for account in dir.accounts.values() {
            match account.parent_id.as_deref() {
                Some(p) if dir.ous.contains_key(p) => ix
                    .child_accounts
                    .entry(p.to_string())
                    .or_default()
                    .push(account.id.clone()),
                _ => ix.orphan_accounts.push(account.id.clone()),
            }
        }
        let by_ou_name = |a: &String, b: &String| {
            let name = |id: &String| dir.ous.get(id).map(|o| o.name.to_lowercase());
            name(a).cmp(&name(b)).then(a.cmp(b))
        };
        let by_account_name = |a: &String, b: &String| {
            let name = |id: &String| dir.accounts.get(id).map(|o| o.name.to_lowercase());
            name(a).cmp(&name(b)).then(a.cmp(b))
        };
        ix.roots.sort_by(by_ou_name);
        ix.child_ous
            .values_mut()
            .for_each(|v| v.sort_by(by_ou_name));
        ix.child_accounts
            .values_mut()
            .for_each(|v| v.sort_by(by_account_name));
        ix.orphan_accounts.sort_by(by_account_name);
        ix
    }

    pub fn assignments_of(&self, principal_type: PrincipalType, id: &str) -> &[Assignment] {
        self.assignments_of_principal
            .get(&Principal {
                principal_type,
                principal_id: id.to_string(),
            })
            .map_or(&[], Vec::as_slice)
    }

    pub fn groups_of(&self, user_id: &str) -> &[String] {
        self.groups_of_user.get(user_id).map_or(&[], Vec::as_slice)
    }

    pub fn members(&self, group_id: &str) -> usize {
        self.member_count.get(group_id).copied().unwrap_or(0)
    }
}
