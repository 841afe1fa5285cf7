//! Who can reach what: pure functions over a directory and its index.

use crate::model::{Directory, DirectoryIndex, PrincipalType};

/// How a user holds a permission set on an account.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Via {
    Direct,
    Group(String),
}

/// One path of access: the user reaches `account_id` with `permission_set_arn` via `via`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Grant {
    pub account_id: String,
    pub permission_set_arn: String,
    pub via: Via,
}

/// Every (account, permission set) the user can reach, with each path: direct assignments,
/// and the assignments of every group the user belongs to. Sorted by account name,
/// permission set name, then path.
pub fn access_of_user(dir: &Directory, ix: &DirectoryIndex, user_id: &str) -> Vec<Grant> {
    let direct = ix
        .assignments_of(PrincipalType::User, user_id)
        .iter()
        .map(|a| (a, Via::Direct));
    let via_groups = ix.groups_of(user_id).iter().flat_map(|g| {
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
    use crate::model::{Assignment, Membership};

    #[test]
    fn user_gets_direct_and_every_group_path() {
        let mut d = Directory::default();
        let a = |ptype, pid: &str| Assignment {
            account_id: "1".into(),
            permission_set_arn: "ps".into(),
            principal_type: ptype,
            principal_id: pid.into(),
        };
        d.add_assignments([
            a(PrincipalType::User, "u"),
            a(PrincipalType::Group, "g1"),
            a(PrincipalType::Group, "g2"),
            a(PrincipalType::Group, "g3"),
        ]);
        d.add_memberships(["g1", "g2"].map(|g| Membership {
            group_id: g.into(),
            user_id: "u".into(),
            membership_id: None,
        }));
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
}
