//! The rows `idc assignments` and `idc audit` print: one struct per kind, whose serde form is
//! the JSON object and the CSV record, and whose cells are the table's.

use std::collections::{BTreeMap, HashMap};

use serde::Serialize;

use super::Record;
use crate::audit::{Access, Via};
use crate::model::{AccountStatus, Assignment, Directory, PrincipalType};

/// One account assignment, as `idc assignments` prints it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct AssignmentRow {
    pub account_id: String,
    pub account_name: String,
    pub permission_set: String,
    pub permission_set_arn: String,
    /// `GROUP` or `USER`.
    pub principal_type: &'static str,
    pub principal_id: String,
    /// The group's display name or the user's user name; `None` (JSON `null`, an empty CSV
    /// field) when the principal was deleted and the assignment is orphaned.
    pub principal_name: Option<String>,
    #[serde(skip)]
    pub account_status: AccountStatus,
}

impl Record for AssignmentRow {
    const KEYS: &'static [&'static str] = &[
        "account_id",
        "account_name",
        "permission_set",
        "permission_set_arn",
        "principal_type",
        "principal_id",
        "principal_name",
    ];
    const COLUMNS: &'static [&'static str] = &[
        "ACCOUNT ID",
        "ACCOUNT NAME",
        "PERMISSION SET",
        "TYPE",
        "PRINCIPAL",
    ];

    fn values(&self) -> Vec<String> {
        vec![
            self.account_id.clone(),
            self.account_name.clone(),
            self.permission_set.clone(),
            self.permission_set_arn.clone(),
            self.principal_type.to_string(),
            self.principal_id.clone(),
            self.principal_name.clone().unwrap_or_default(),
        ]
    }

    fn cells(&self) -> Vec<String> {
        let principal = self.principal_name.clone().unwrap_or_else(|| {
            format!(
                "(deleted {} {})",
                self.principal_type.to_lowercase(),
                self.principal_id
            )
        });
        vec![
            self.account_id.clone(),
            account_cell(&self.account_name, self.account_status),
            self.permission_set.clone(),
            self.principal_type.to_string(),
            principal,
        ]
    }
}

/// One path of effective access, as `idc audit` prints it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct AuditRow {
    pub user_name: String,
    pub user_id: String,
    pub account_id: String,
    pub account_name: String,
    pub permission_set: String,
    /// The granting group's display name, or `direct`.
    pub via: String,
    #[serde(skip)]
    pub account_status: AccountStatus,
}

impl Record for AuditRow {
    const KEYS: &'static [&'static str] = &[
        "user_name",
        "user_id",
        "account_id",
        "account_name",
        "permission_set",
        "via",
    ];
    const COLUMNS: &'static [&'static str] = &[
        "USER NAME",
        "ACCOUNT ID",
        "ACCOUNT NAME",
        "PERMISSION SET",
        "VIA",
    ];

    fn values(&self) -> Vec<String> {
        vec![
            self.user_name.clone(),
            self.user_id.clone(),
            self.account_id.clone(),
            self.account_name.clone(),
            self.permission_set.clone(),
            self.via.clone(),
        ]
    }

    fn cells(&self) -> Vec<String> {
        vec![
            self.user_name.clone(),
            self.account_id.clone(),
            account_cell(&self.account_name, self.account_status),
            self.permission_set.clone(),
            self.via.clone(),
        ]
    }
}

/// An account's name, marked in tables when the account cannot be used as it stands. The
/// mark comes first, so that cutting a long name to the terminal's width keeps it.
pub fn account_cell(name: &str, status: AccountStatus) -> String {
    match status {
        AccountStatus::Active | AccountStatus::Unknown => name.to_string(),
        AccountStatus::Suspended | AccountStatus::PendingClosure => {
            format!("[{}] {name}", status.label())
        }
    }
}

impl AuditRow {
    /// The row of one path, in names.
    pub fn of(dir: &Directory, p: &Access) -> Self {
        AuditRow {
            user_name: dir
                .users
                .get(&p.user_id)
                .map_or(p.user_id.as_str(), |u| u.user_name.as_str())
                .to_string(),
            user_id: p.user_id.clone(),
            account_id: p.account_id.clone(),
            account_name: dir.account_name(&p.account_id).to_string(),
            permission_set: dir.permission_set_name(&p.permission_set_arn).to_string(),
            via: p.via.label(dir).to_string(),
            account_status: status_of(dir, &p.account_id),
        }
    }
}

fn status_of(dir: &Directory, account_id: &str) -> AccountStatus {
    dir.accounts
        .get(account_id)
        .map_or(AccountStatus::Unknown, |a| a.status)
}

/// Each id's place in the order of its name (ignoring case, then exactly, then by id), worked
/// out once per distinct id: sorting hundreds of thousands of rows then compares integers
/// rather than freshly lowercased names.
fn ranks<'a>(pairs: impl Iterator<Item = (&'a str, &'a str)>) -> HashMap<&'a str, usize> {
    let distinct: BTreeMap<&str, &str> = pairs.collect();
    let mut order: Vec<(String, &str, &str)> = distinct
        .into_iter()
        .map(|(id, name)| (name.to_lowercase(), name, id))
        .collect();
    order.sort_unstable();
    order
        .into_iter()
        .enumerate()
        .map(|(i, (_, _, id))| (id, i))
        .collect()
}

/// `rows` in the order of their keys; equal keys keep their order.
fn sorted_by<R, K: Ord>(rows: Vec<R>, keys: Vec<K>) -> Vec<R> {
    let mut order: Vec<(K, usize)> = keys.into_iter().zip(0..).collect();
    order.sort_by(|a, b| a.0.cmp(&b.0));
    let mut slots: Vec<Option<R>> = rows.into_iter().map(Some).collect();
    order
        .into_iter()
        .filter_map(|(_, i)| slots.get_mut(i).and_then(Option::take))
        .collect()
}

/// The rows of these assignments, sorted by account name and id, permission set name and
/// ARN, principal type (groups first), then principal name and id, deleted principals last
/// among their kind.
pub fn assignment_rows<'a>(
    dir: &Directory,
    assignments: impl IntoIterator<Item = &'a Assignment>,
) -> Vec<AssignmentRow> {
    let rows: Vec<AssignmentRow> = assignments
        .into_iter()
        .map(|a| AssignmentRow {
            account_id: a.account_id.clone(),
            account_name: dir.account_name(&a.account_id).to_string(),
            permission_set: dir.permission_set_name(&a.permission_set_arn).to_string(),
            permission_set_arn: a.permission_set_arn.clone(),
            principal_type: a.principal_type.as_str(),
            principal_id: a.principal_id.clone(),
            principal_name: dir
                .principal_name(a.principal_type, &a.principal_id)
                .map(str::to_string),
            account_status: status_of(dir, &a.account_id),
        })
        .collect();
    let keys: Vec<_> = {
        let accounts = ranks(
            rows.iter()
                .map(|r| (r.account_id.as_str(), r.account_name.as_str())),
        );
        let sets = ranks(
            rows.iter()
                .map(|r| (r.permission_set_arn.as_str(), r.permission_set.as_str())),
        );
        let principals = |kind: &str| {
            ranks(rows.iter().filter(|r| r.principal_type == kind).map(|r| {
                (
                    r.principal_id.as_str(),
                    r.principal_name.as_deref().unwrap_or(&r.principal_id),
                )
            }))
        };
        let (groups, users) = (
            principals(PrincipalType::Group.as_str()),
            principals(PrincipalType::User.as_str()),
        );
        rows.iter()
            .map(|r| {
                let is_user = r.principal_type == PrincipalType::User.as_str();
                let principals = if is_user { &users } else { &groups };
                (
                    accounts.get(r.account_id.as_str()).copied(),
                    sets.get(r.permission_set_arn.as_str()).copied(),
                    is_user,
                    r.principal_name.is_none(),
                    principals.get(r.principal_id.as_str()).copied(),
                )
            })
            .collect()
    };
    sorted_by(rows, keys)
}

/// The rows of these paths, sorted by user name and id, account name and id, permission set
/// name and ARN, then path: `direct` first, then groups by name and id.
pub fn audit_rows(dir: &Directory, paths: &[Access]) -> Vec<AuditRow> {
    let rows: Vec<AuditRow> = paths.iter().map(|p| AuditRow::of(dir, p)).collect();
    let keys: Vec<_> = {
        let users = ranks(
            rows.iter()
                .map(|r| (r.user_id.as_str(), r.user_name.as_str())),
        );
        let accounts = ranks(
            rows.iter()
                .map(|r| (r.account_id.as_str(), r.account_name.as_str())),
        );
        let sets = ranks(
            paths
                .iter()
                .zip(&rows)
                .map(|(p, r)| (p.permission_set_arn.as_str(), r.permission_set.as_str())),
        );
        let groups = ranks(paths.iter().zip(&rows).filter_map(|(p, r)| match &p.via {
            Via::Direct => None,
            Via::Group(id) => Some((id.as_str(), r.via.as_str())),
        }));
        paths
            .iter()
            .zip(&rows)
            .map(|(p, r)| {
                (
                    users.get(r.user_id.as_str()).copied(),
                    accounts.get(r.account_id.as_str()).copied(),
                    sets.get(p.permission_set_arn.as_str()).copied(),
                    match &p.via {
                        Via::Direct => None,
                        Via::Group(id) => groups.get(id.as_str()).copied(),
                    },
                )
            })
            .collect()
    };
    sorted_by(rows, keys)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::audit::effective_access;
    use crate::model::{Account, Group, Membership, PermissionSet, User};

    fn dir() -> Directory {
        let mut d = Directory::default();
        d.add_accounts(
            [
                ("1", "beta", AccountStatus::Suspended),
                ("2", "Alpha", AccountStatus::Active),
            ]
            .map(|(id, name, status)| Account {
                id: id.into(),
                name: name.into(),
                email: String::new(),
                status,
                parent_id: None,
            }),
        );
        d.add_users([User {
            id: "u".into(),
            user_name: "ana".into(),
            display_name: None,
            email: None,
            external_ids: Vec::new(),
        }]);
        d.add_groups(["g-z", "g-a"].map(|id| Group {
            id: id.into(),
            display_name: id.replace("g-", "Team ").to_uppercase(),
            description: None,
            external_ids: Vec::new(),
        }));
        d.add_memberships(["g-z", "g-a"].map(|g| Membership {
            group_id: g.into(),
            user_id: "u".into(),
            membership_id: None,
        }));
        d.add_permission_sets([PermissionSet {
            arn: "arn:ps".into(),
            name: "Admin".into(),
            ..PermissionSet::default()
        }]);
        let a = |account: &str, ptype, pid: &str| Assignment {
            account_id: account.into(),
            permission_set_arn: "arn:ps".into(),
            principal_type: ptype,
            principal_id: pid.into(),
        };
        d.add_assignments([
            a("1", PrincipalType::Group, "g-z"),
            a("1", PrincipalType::Group, "g-a"),
            a("1", PrincipalType::User, "u"),
            a("2", PrincipalType::Group, "g-gone"),
            a("2", PrincipalType::Group, "g-z"),
        ]);
        d
    }

    #[test]
    fn audit_rows_sort_by_user_account_permission_set_then_direct_first() {
        let d = dir();
        let rows = audit_rows(&d, &effective_access(&d));
        let got: Vec<(&str, &str)> = rows
            .iter()
            .map(|r| (r.account_name.as_str(), r.via.as_str()))
            .collect();
        assert_eq!(
            got,
            [
                ("Alpha", "TEAM Z"),
                ("beta", "direct"),
                ("beta", "TEAM A"),
                ("beta", "TEAM Z")
            ]
        );
        assert_eq!(rows[1].cells()[2], "[SUSPENDED] beta");
        assert_eq!(rows[1].values()[3], "beta");
    }

    #[test]
    fn assignment_rows_mark_deleted_principals() {
        let d = dir();
        let rows = assignment_rows(&d, &d.assignments);
        let orphan = &rows[1];
        assert_eq!(orphan.principal_name, None);
        assert_eq!(orphan.cells()[4], "(deleted group g-gone)");
        assert_eq!(orphan.values()[6], "");
        let types: Vec<&str> = rows.iter().map(|r| r.principal_type).collect();
        assert_eq!(types, ["GROUP", "GROUP", "GROUP", "GROUP", "USER"]);
    }
}
