//! Effective access: which user reaches which (account, permission set), and by which path.

use crate::model::{Assignment, Directory, DirectoryIndex, PrincipalType};

/// How a user holds a permission set on an account.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Via {
    Direct,
    /// Through the group with this id.
    Group(String),
}

impl Via {
    /// `direct`, or the group's display name (its id when the group is unknown).
    pub fn label<'a>(&'a self, dir: &'a Directory) -> &'a str {
        match self {
            Via::Direct => "direct",
            Via::Group(id) => dir.groups.get(id).map_or(id, |g| g.display_name.as_str()),
        }
    }
}

/// One path of access: the user reaches `account_id` with `permission_set_arn` via `via`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Grant {
    pub account_id: String,
    pub permission_set_arn: String,
    pub via: Via,
}

/// One path of effective access, for any user: what one audit row says.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Access {
    pub user_id: String,
    pub account_id: String,
    pub permission_set_arn: String,
    pub via: Via,
}

/// The paths these assignments open: a user assignment gives its user a direct path, a group
/// assignment gives every member of the group a path via that group.
///
/// Only principals that exist count: the assignments of a deleted group or user open no path
/// (see [`super::orphaned_assignments`]), and neither do memberships that name a user who is
/// gone (AWS removes them with the user; moto and old snapshots may keep them). In the order of
/// the assignments, then of the member ids.
pub fn expand<'a>(
    dir: &Directory,
    assignments: impl IntoIterator<Item = &'a Assignment>,
) -> Vec<Access> {
    let mut out = Vec::new();
    for a in assignments {
        let path = |user_id: &str, via: Via| Access {
            user_id: user_id.to_string(),
            account_id: a.account_id.clone(),
            permission_set_arn: a.permission_set_arn.clone(),
            via,
        };
        match a.principal_type {
            PrincipalType::User if dir.users.contains_key(&a.principal_id) => {
                out.push(path(&a.principal_id, Via::Direct));
            }
            PrincipalType::Group if dir.groups.contains_key(&a.principal_id) => {
                out.extend(
                    dir.members_of(&a.principal_id)
                        .filter(|u| dir.users.contains_key(*u))
                        .map(|u| path(u, Via::Group(a.principal_id.clone()))),
                );
            }
            PrincipalType::User | PrincipalType::Group => {}
        }
    }
    out
}

/// Every path of every user to every (account, permission set) in the directory.
pub fn effective_access(dir: &Directory) -> Vec<Access> {
    expand(dir, &dir.assignments)
}

/// Who can reach one account, and how.
pub fn access_to_account(dir: &Directory, account_id: &str) -> Vec<Access> {
    expand(dir, dir.assignments_on(account_id))
}

/// Who holds one permission set, where, and how.
pub fn access_with_permission_set(
    dir: &Directory,
    ix: &DirectoryIndex,
    permission_set_arn: &str,
) -> Vec<Access> {
    expand(
        dir,
        ix.assignments_of_permission_set
            .get(permission_set_arn)
            .map_or(&[][..], Vec::as_slice),
    )
}

/// What one group grants to its members.
pub fn access_via_group(dir: &Directory, ix: &DirectoryIndex, group_id: &str) -> Vec<Access> {
    expand(dir, ix.assignments_of(PrincipalType::Group, group_id))
}

/// Every (account, permission set) the user can reach, with each path: direct assignments,
/// and the assignments of every (existing) group the user belongs to. Sorted by account name,
/// permission set name, then path.
pub fn access_of_user(dir: &Directory, ix: &DirectoryIndex, user_id: &str) -> Vec<Grant> {
    let direct = ix
        .assignments_of(PrincipalType::User, user_id)
        .iter()
        .map(|a| (a, Via::Direct));
    // A membership that outlived its group grants nothing, as in `expand`.
    let via_groups = ix
        .groups_of(user_id)
        .iter()
        .filter(|g| dir.groups.contains_key(*g))
        .flat_map(|g| {
            ix.assignments_of(PrincipalType::Group, g)
                .iter()
                .map(move |a| (a, Via::Group(g.clone())))
        });
    let mut grants: Vec<Grant> = direct
        .chain(via_groups)
        .map(|(a, via)| Grant {
            account_id: a.account_id.clone(),
            permission_set_arn: a.permission_set_arn.clone(),
            via,
        })
        .collect();
    grants.sort_by(|a, b| {
        let key = |g: &Grant| {
            (
                dir.account_name(&g.account_id).to_lowercase(),
                g.account_id.clone(),
                dir.permission_set_name(&g.permission_set_arn)
                    .to_lowercase(),
            )
        };
        key(a).cmp(&key(b)).then(a.via.cmp(&b.via))
    });
    grants
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Group, Membership, User};

    fn assignment(ptype: PrincipalType, pid: &str) -> Assignment {
        Assignment {
            account_id: "1".into(),
            permission_set_arn: "ps".into(),
            principal_type: ptype,
            principal_id: pid.into(),
        }
    }

    fn member(group: &str, user: &str) -> Membership {
        Membership {
            group_id: group.into(),
            user_id: user.into(),
            membership_id: None,
        }
    }

    fn user(id: &str) -> User {
        User {
            id: id.into(),
            user_name: format!("{id}@example.com"),
            display_name: None,
            email: None,
            external_ids: Vec::new(),
        }
    }

    fn group(id: &str) -> Group {
        Group {
            id: id.into(),
            display_name: id.to_uppercase(),
            description: None,
            external_ids: Vec::new(),
        }
    }

    #[test]
    fn user_gets_direct_and_every_group_path() {
        let mut d = Directory::default();
        d.add_assignments([
            assignment(PrincipalType::User, "u"),
            assignment(PrincipalType::Group, "g1"),
            assignment(PrincipalType::Group, "g2"),
            assignment(PrincipalType::Group, "g3"),
        ]);
        d.add_groups([group("g1"), group("g2"), group("g3")]);
        // A membership that outlived its group (moto, old snapshots) grants nothing.
        d.add_memberships([member("g1", "u"), member("g2", "u"), member("g-gone", "u")]);
        d.add_assignments([assignment(PrincipalType::Group, "g-gone")]);
        let ix = DirectoryIndex::build(&d);
        let vias: Vec<Via> = access_of_user(&d, &ix, "u")
            .into_iter()
            .map(|g| g.via)
            .collect();
        assert_eq!(
            vias,
            [
                Via::Direct,
                Via::Group("g1".into()),
                Via::Group("g2".into())
            ]
        );
        assert!(access_of_user(&d, &ix, "nobody").is_empty());
    }

    #[test]
    fn expand_skips_deleted_principals_and_members() {
        let mut d = Directory::default();
        d.add_users([user("u1"), user("u2")]);
        d.add_groups([group("g")]);
        d.add_memberships([
            member("g", "u1"),
            member("g", "u2"),
            member("g", "gone-user"),
        ]);
        d.add_assignments([
            assignment(PrincipalType::Group, "g"),
            assignment(PrincipalType::Group, "deleted-group"),
            assignment(PrincipalType::User, "deleted-user"),
            assignment(PrincipalType::User, "u2"),
        ]);
        let paths: Vec<(String, Via)> = effective_access(&d)
            .into_iter()
            .map(|a| (a.user_id, a.via))
            .collect();
        assert_eq!(
            paths,
            [
                ("u1".into(), Via::Group("g".into())),
                ("u2".into(), Via::Group("g".into())),
                ("u2".into(), Via::Direct),
            ]
        );
        assert_eq!(access_to_account(&d, "1").len(), 3);
        assert!(access_to_account(&d, "2").is_empty());
        let ix = DirectoryIndex::build(&d);
        assert_eq!(access_via_group(&d, &ix, "g").len(), 2);
        assert_eq!(access_with_permission_set(&d, &ix, "ps").len(), 3);
        assert!(access_with_permission_set(&d, &ix, "other").is_empty());
        assert_eq!(Via::Group("g".into()).label(&d), "G");
        assert_eq!(Via::Group("x".into()).label(&d), "x");
        assert_eq!(Via::Direct.label(&d), "direct");
    }
}
