use std::collections::{BTreeMap, BTreeSet};

use super::{
    Account, Assignment, Group, Instance, Membership, OrgUnit, PermissionSet, Principal,
    PrincipalType, User,
};

/// Everything idc knows about one Identity Center instance, keyed by id.
///
/// Memberships and assignments are sets, so loading the same page twice (a retry, two
/// strategies overlapping) never duplicates them.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Directory {
    pub instance: Option<Instance>,
    pub ous: BTreeMap<String, OrgUnit>,
    pub accounts: BTreeMap<String, Account>,
    pub groups: BTreeMap<String, Group>,
    pub users: BTreeMap<String, User>,
    pub permission_sets: BTreeMap<String, PermissionSet>,
    /// Keyed by (group id, user id): the membership id is metadata, not identity.
    pub memberships: BTreeMap<(String, String), Membership>,
    pub assignments: BTreeSet<Assignment>,
}

impl Directory {
    pub fn add_ous(&mut self, ous: impl IntoIterator<Item = OrgUnit>) {
        self.ous.extend(ous.into_iter().map(|o| (o.id.clone(), o)));
    }

    pub fn add_accounts(&mut self, accounts: impl IntoIterator<Item = Account>) {
        self.accounts
            .extend(accounts.into_iter().map(|a| (a.id.clone(), a)));
    }

    pub fn add_groups(&mut self, groups: impl IntoIterator<Item = Group>) {
        self.groups
            .extend(groups.into_iter().map(|g| (g.id.clone(), g)));
    }

    pub fn add_users(&mut self, users: impl IntoIterator<Item = User>) {
        self.users
            .extend(users.into_iter().map(|u| (u.id.clone(), u)));
    }

    pub fn add_permission_sets(&mut self, sets: impl IntoIterator<Item = PermissionSet>) {
        self.permission_sets
            .extend(sets.into_iter().map(|p| (p.arn.clone(), p)));
    }

    pub fn add_memberships(&mut self, memberships: impl IntoIterator<Item = Membership>) {
        self.memberships.extend(
            memberships
                .into_iter()
                .map(|m| ((m.group_id.clone(), m.user_id.clone()), m)),
        );
    }

    pub fn add_assignments(&mut self, assignments: impl IntoIterator<Item = Assignment>) {
        self.assignments.extend(assignments);
    }

    /// The display name of a principal, or `None` when it no longer exists.
    pub fn principal_name(&self, principal_type: PrincipalType, id: &str) -> Option<&str> {
        match principal_type {
            PrincipalType::Group => self.groups.get(id).map(|g| g.display_name.as_str()),
            PrincipalType::User => self.users.get(id).map(|u| u.user_name.as_str()),
        }
    }

    pub fn principal_exists(&self, principal: &Principal) -> bool {
        self.principal_name(principal.principal_type, &principal.principal_id)
            .is_some()
    }

    /// A permission set's name, falling back to the last part of its ARN.
    pub fn permission_set_name<'a>(&'a self, arn: &'a str) -> &'a str {
        self.permission_sets.get(arn).map_or_else(
            || arn.rsplit('/').next().unwrap_or(arn),
            |p| p.name.as_str(),
        )
    }

    pub fn account_name<'a>(&'a self, id: &'a str) -> &'a str {
        self.accounts.get(id).map_or(id, |a| a.name.as_str())
    }

    /// The names of the OUs from the root down to the account's parent, e.g. `Root/Workloads/Prod`.
    pub fn ou_path(&self, parent_id: Option<&str>) -> String {
        let mut names = Vec::new();
        let mut next = parent_id;
        // A cycle in malformed input must not hang the UI: stop after as many steps as there are OUs.
        for _ in 0..=self.ous.len() {
            let Some(id) = next else { break };
            let Some(ou) = self.ous.get(id) else { break };
            names.push(ou.name.as_str());
            next = ou.parent_id.as_deref();
        }
        names.reverse();
        names.join("/")
    }

    pub fn account_ou_path(&self, account_id: &str) -> String {
        self.accounts
            .get(account_id)
            .map(|a| self.ou_path(a.parent_id.as_deref()))
            .unwrap_or_default()
    }

    /// Ids of the users in a group, in user id order.
    pub fn members_of<'a>(&'a self, group_id: &'a str) -> impl Iterator<Item = &'a str> + 'a {
        self.memberships
            .range((group_id.to_string(), String::new())..)
            .take_while(move |((g, _), _)| g == group_id)
            .map(|((_, u), _)| u.as_str())
    }

    /// Assignments on one account, in permission set order.
    pub fn assignments_on<'a>(
        &'a self,
        account_id: &'a str,
    ) -> impl Iterator<Item = &'a Assignment> + 'a {
        let start = Assignment {
            account_id: account_id.to_string(),
            permission_set_arn: String::new(),
            principal_type: PrincipalType::Group,
            principal_id: String::new(),
        };
        self.assignments
            .range(start..)
            .take_while(move |a| a.account_id == account_id)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn assignment(account: &str, ps: &str, pid: &str) -> Assignment {
        Assignment {
            account_id: account.into(),
            permission_set_arn: ps.into(),
            principal_type: PrincipalType::Group,
            principal_id: pid.into(),
        }
    }

    #[test]
    fn adding_twice_does_not_duplicate() {
        let mut d = Directory::default();
        d.add_assignments([assignment("1", "ps", "g"), assignment("1", "ps", "g")]);
        d.add_memberships([
            Membership {
                group_id: "g".into(),
                user_id: "u".into(),
                membership_id: None,
            },
            Membership {
                group_id: "g".into(),
                user_id: "u".into(),
                membership_id: Some("m".into()),
            },
        ]);
        assert_eq!(d.assignments.len(), 1);
        assert_eq!(d.memberships.len(), 1);
    }

    #[test]
    fn range_queries_return_exactly_their_key() {
        let mut d = Directory::default();
        d.add_assignments([
            assignment("1", "a", "g"),
            assignment("11", "a", "g"),
            assignment("1", "b", "h"),
            assignment("2", "a", "g"),
        ]);
        let on1: Vec<_> = d
            .assignments_on("1")
            .map(|a| a.permission_set_arn.as_str())
            .collect();
        assert_eq!(on1, ["a", "b"]);
        d.add_memberships([
            Membership {
                group_id: "g".into(),
                user_id: "u2".into(),
                membership_id: None,
            },
            Membership {
                group_id: "g".into(),
                user_id: "u1".into(),
                membership_id: None,
            },
            Membership {
                group_id: "g2".into(),
                user_id: "u1".into(),
                membership_id: None,
            },
        ]);
        assert_eq!(d.members_of("g").collect::<Vec<_>>(), ["u1", "u2"]);
        assert_eq!(d.members_of("missing").count(), 0);
    }

    #[test]
    fn ou_path_survives_cycles_and_missing_parents() {
        let mut d = Directory::default();
        d.add_ous([
            OrgUnit {
                id: "r".into(),
                name: "Root".into(),
                parent_id: None,
            },
            OrgUnit {
                id: "a".into(),
                name: "Workloads".into(),
                parent_id: Some("r".into()),
            },
            OrgUnit {
                id: "b".into(),
                name: "Prod".into(),
                parent_id: Some("a".into()),
            },
            OrgUnit {
                id: "x".into(),
                name: "X".into(),
                parent_id: Some("y".into()),
            },
            OrgUnit {
                id: "y".into(),
                name: "Y".into(),
                parent_id: Some("x".into()),
            },
        ]);
        assert_eq!(d.ou_path(Some("b")), "Root/Workloads/Prod");
        assert_eq!(d.ou_path(Some("nope")), "");
        assert!(d.ou_path(Some("x")).len() < 100);
    }
}
