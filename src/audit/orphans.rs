//! Assignments left behind by deleted groups and users.
//!
//! AWS keeps an assignment when its group or user is deleted. It grants nobody anything any
//! more (principal ids are never reused), but it is exactly what auditors look for: access that
//! nobody owns. Only enumerating assignments by (account, permission set) finds them.

use crate::model::{Assignment, Directory};

/// The assignments whose group or user no longer exists, in assignment order.
pub fn orphaned_assignments(dir: &Directory) -> Vec<&Assignment> {
    dir.assignments
        .iter()
        .filter(|a| {
            dir.principal_name(a.principal_type, &a.principal_id)
                .is_none()
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Group, PrincipalType};

    #[test]
    fn only_assignments_of_missing_principals_are_orphaned() {
        let mut d = Directory::default();
        d.add_groups([Group {
            id: "g".into(),
            display_name: "G".into(),
            description: None,
            external_ids: Vec::new(),
        }]);
        let a = |ptype, pid: &str| Assignment {
            account_id: "1".into(),
            permission_set_arn: "ps".into(),
            principal_type: ptype,
            principal_id: pid.into(),
        };
        d.add_assignments([
            a(PrincipalType::Group, "g"),
            a(PrincipalType::Group, "gone"),
            // A user id that happens to be a group's id is still a missing user.
            a(PrincipalType::User, "g"),
        ]);
        let orphans: Vec<_> = orphaned_assignments(&d)
            .into_iter()
            .map(|a| (a.principal_type, a.principal_id.as_str()))
            .collect();
        assert_eq!(
            orphans,
            [(PrincipalType::Group, "gone"), (PrincipalType::User, "g")]
        );
    }
}
