//! `idc diff` as JSON (one object with a list per kind of change) or as tables, one section
//! per kind of change that has any.

use std::fmt::Write as _;

use serde::Serialize;

use super::json;
use super::rows::{AssignmentRow, assignment_rows};
use super::table::Table;
use crate::audit::Via;
use crate::audit::diff::{AccessChange, DirectoryDiff, FieldValue};
use crate::model::{Directory, PrincipalType};

/// Where one side of the comparison came from.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct SnapshotInfo {
    pub file: String,
    pub created_at: String,
    pub source: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct MembershipRow {
    pub group_name: String,
    pub group_id: String,
    pub user_name: String,
    pub user_id: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct PermissionSetRow {
    pub permission_set: String,
    pub permission_set_arn: String,
}

/// One field of one permission set that differs. Values are JSON: `null` when absent, a
/// string, or a sorted array for lists (policies, accounts).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct PermissionSetChangeRow {
    pub permission_set: String,
    pub permission_set_arn: String,
    pub field: &'static str,
    pub old: serde_json::Value,
    pub new: serde_json::Value,
}

/// A user who gained (or lost) a permission set on an account, with every path to it on the
/// side where they have it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct AccessChangeRow {
    pub user_name: String,
    pub user_id: String,
    pub account_id: String,
    pub account_name: String,
    pub permission_set: String,
    pub via: Vec<String>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct DiffReport {
    pub old: SnapshotInfo,
    pub new: SnapshotInfo,
    pub assignments_added: Vec<AssignmentRow>,
    pub assignments_removed: Vec<AssignmentRow>,
    pub memberships_added: Vec<MembershipRow>,
    pub memberships_removed: Vec<MembershipRow>,
    pub permission_sets_added: Vec<PermissionSetRow>,
    pub permission_sets_removed: Vec<PermissionSetRow>,
    pub permission_sets_changed: Vec<PermissionSetChangeRow>,
    pub access_gained: Vec<AccessChangeRow>,
    pub access_lost: Vec<AccessChangeRow>,
}

/// Names for what one side holds, taken from that side first and from the other when it has
/// lost them (a removed membership of a deleted user still gets the user's name).
fn names(primary: &Directory, fallback: &Directory) -> Directory {
    let mut dir = Directory {
        accounts: fallback.accounts.clone(),
        groups: fallback.groups.clone(),
        users: fallback.users.clone(),
        permission_sets: fallback.permission_sets.clone(),
        ..Directory::default()
    };
    dir.add_accounts(primary.accounts.values().cloned());
    dir.add_groups(primary.groups.values().cloned());
    dir.add_users(primary.users.values().cloned());
    dir.add_permission_sets(primary.permission_sets.values().cloned());
    dir
}

fn sort_key(s: &str) -> (String, String) {
    (s.to_lowercase(), s.to_string())
}

fn membership_rows(dir: &Directory, pairs: &[(String, String)]) -> Vec<MembershipRow> {
    let mut rows: Vec<MembershipRow> = pairs
        .iter()
        .map(|(g, u)| MembershipRow {
            group_name: dir
                .principal_name(PrincipalType::Group, g)
                .unwrap_or(g)
                .to_string(),
            group_id: g.clone(),
            user_name: dir
                .principal_name(PrincipalType::User, u)
                .unwrap_or(u)
                .to_string(),
            user_id: u.clone(),
        })
        .collect();
    rows.sort_by_cached_key(|r| {
        (
            sort_key(&r.group_name),
            r.group_id.clone(),
            sort_key(&r.user_name),
            r.user_id.clone(),
        )
    });
    rows
}

fn permission_set_rows(dir: &Directory, arns: &[String]) -> Vec<PermissionSetRow> {
    let mut rows: Vec<PermissionSetRow> = arns
        .iter()
        .map(|arn| PermissionSetRow {
            permission_set: dir.permission_set_name(arn).to_string(),
            permission_set_arn: arn.clone(),
        })
        .collect();
    rows.sort_by_cached_key(|r| (sort_key(&r.permission_set), r.permission_set_arn.clone()));
    rows
}

fn access_rows(dir: &Directory, changes: &[AccessChange]) -> Vec<AccessChangeRow> {
    let mut keyed: Vec<_> = changes
        .iter()
        .map(|c| {
            let mut paths: Vec<&Via> = c.paths.iter().collect();
            // `direct` first, then groups by name.
            paths.sort_by_cached_key(|v| match v {
                Via::Direct => None,
                Via::Group(_) => Some(sort_key(v.label(dir))),
            });
            let row = AccessChangeRow {
                user_name: dir
                    .users
                    .get(&c.user_id)
                    .map_or(c.user_id.as_str(), |u| u.user_name.as_str())
                    .to_string(),
                user_id: c.user_id.clone(),
                account_id: c.account_id.clone(),
                account_name: dir.account_name(&c.account_id).to_string(),
                permission_set: dir.permission_set_name(&c.permission_set_arn).to_string(),
                via: paths.iter().map(|v| v.label(dir).to_string()).collect(),
            };
            let key = (
                sort_key(&row.user_name),
                row.user_id.clone(),
                sort_key(&row.account_name),
                row.account_id.clone(),
                sort_key(&row.permission_set),
                c.permission_set_arn.clone(),
            );
            (key, row)
        })
        .collect();
    keyed.sort_by(|a, b| a.0.cmp(&b.0));
    keyed.into_iter().map(|(_, r)| r).collect()
}

fn value(v: &FieldValue) -> serde_json::Value {
    match v {
        FieldValue::Absent => serde_json::Value::Null,
        FieldValue::Text(s) => serde_json::Value::String(s.clone()),
        FieldValue::List(items) => items
            .iter()
            .cloned()
            .map(serde_json::Value::String)
            .collect(),
    }
}

impl DiffReport {
    pub fn new(
        old: &Directory,
        new: &Directory,
        diff: &DirectoryDiff,
        old_info: SnapshotInfo,
        new_info: SnapshotInfo,
    ) -> Self {
        let (was, is) = (names(old, new), names(new, old));
        let mut permission_sets_changed: Vec<PermissionSetChangeRow> = diff
            .permission_sets_changed
            .iter()
            .flat_map(|c| {
                let is = &is;
                c.fields.iter().map(move |f| PermissionSetChangeRow {
                    permission_set: is.permission_set_name(&c.arn).to_string(),
                    permission_set_arn: c.arn.clone(),
                    field: f.field,
                    old: value(&f.old),
                    new: value(&f.new),
                })
            })
            .collect();
        // Fields keep the snapshot's order within a permission set.
        permission_sets_changed
            .sort_by_cached_key(|r| (sort_key(&r.permission_set), r.permission_set_arn.clone()));
        DiffReport {
            old: old_info,
            new: new_info,
            assignments_added: assignment_rows(&is, &diff.assignments_added),
            assignments_removed: assignment_rows(&was, &diff.assignments_removed),
            memberships_added: membership_rows(&is, &diff.memberships_added),
            memberships_removed: membership_rows(&was, &diff.memberships_removed),
            permission_sets_added: permission_set_rows(&is, &diff.permission_sets_added),
            permission_sets_removed: permission_set_rows(&was, &diff.permission_sets_removed),
            permission_sets_changed,
            access_gained: access_rows(&is, &diff.access_gained),
            access_lost: access_rows(&was, &diff.access_lost),
        }
    }

    pub fn is_empty(&self) -> bool {
        self.assignments_added.is_empty()
            && self.assignments_removed.is_empty()
            && self.memberships_added.is_empty()
            && self.memberships_removed.is_empty()
            && self.permission_sets_added.is_empty()
            && self.permission_sets_removed.is_empty()
            && self.permission_sets_changed.is_empty()
            && self.access_gained.is_empty()
            && self.access_lost.is_empty()
    }

    pub fn to_json(&self) -> std::io::Result<String> {
        json(self)
    }

    /// A summary line, then a table per kind of change that has any.
    pub fn to_table(&self, width: Option<usize>) -> String {
        let mut out = format!(
            "{} ({}, {}) -> {} ({}, {})\n",
            self.old.file,
            self.old.created_at,
            self.old.source,
            self.new.file,
            self.new.created_at,
            self.new.source
        );
        if self.is_empty() {
            out.push_str("No differences.\n");
            return out;
        }
        let changed_sets = {
            let mut arns: Vec<&str> = self
                .permission_sets_changed
                .iter()
                .map(|r| r.permission_set_arn.as_str())
                .collect();
            arns.dedup();
            arns.len()
        };
        let _ = writeln!(
            out,
            "assignments: {} added, {} removed; memberships: {} added, {} removed; permission sets: {} added, {} removed, {} changed; access: {} gained, {} lost",
            self.assignments_added.len(),
            self.assignments_removed.len(),
            self.memberships_added.len(),
            self.memberships_removed.len(),
            self.permission_sets_added.len(),
            self.permission_sets_removed.len(),
            changed_sets,
            self.access_gained.len(),
            self.access_lost.len(),
        );
        let mut section = |title: &str, table: Table, count: usize| {
            if count > 0 {
                let _ = write!(out, "\n{title} ({count})\n{}", table.render(width));
            }
        };
        section(
            "Access gained",
            access_table(&self.access_gained),
            self.access_gained.len(),
        );
        section(
            "Access lost",
            access_table(&self.access_lost),
            self.access_lost.len(),
        );
        section(
            "Assignments added",
            super::table(&self.assignments_added),
            self.assignments_added.len(),
        );
        section(
            "Assignments removed",
            super::table(&self.assignments_removed),
            self.assignments_removed.len(),
        );
        section(
            "Memberships added",
            membership_table(&self.memberships_added),
            self.memberships_added.len(),
        );
        section(
            "Memberships removed",
            membership_table(&self.memberships_removed),
            self.memberships_removed.len(),
        );
        section(
            "Permission sets added",
            permission_set_table(&self.permission_sets_added),
            self.permission_sets_added.len(),
        );
        section(
            "Permission sets removed",
            permission_set_table(&self.permission_sets_removed),
            self.permission_sets_removed.len(),
        );
        let mut changes = Table::new(&["PERMISSION SET", "FIELD", "OLD", "NEW"]);
        for r in &self.permission_sets_changed {
            changes.push(vec![
                r.permission_set.clone(),
                r.field.to_string(),
                cell(&r.old),
                cell(&r.new),
            ]);
        }
        section(
            "Permission sets changed",
            changes,
            self.permission_sets_changed.len(),
        );
        out
    }
}

fn cell(v: &serde_json::Value) -> String {
    match v {
        serde_json::Value::Null => "(none)".to_string(),
        serde_json::Value::String(s) => s.clone(),
        serde_json::Value::Array(items) if items.is_empty() => "(none)".to_string(),
        serde_json::Value::Array(items) => items
            .iter()
            .map(|i| i.as_str().map_or_else(|| i.to_string(), str::to_string))
            .collect::<Vec<_>>()
            .join(", "),
        other => other.to_string(),
    }
}

fn access_table(rows: &[AccessChangeRow]) -> Table {
    let mut t = Table::new(&[
        "USER NAME",
        "ACCOUNT ID",
        "ACCOUNT NAME",
        "PERMISSION SET",
        "VIA",
    ]);
    for r in rows {
        t.push(vec![
            r.user_name.clone(),
            r.account_id.clone(),
            r.account_name.clone(),
            r.permission_set.clone(),
            r.via.join(", "),
        ]);
    }
    t
}

fn membership_table(rows: &[MembershipRow]) -> Table {
    let mut t = Table::new(&["GROUP", "USER NAME"]);
    for r in rows {
        t.push(vec![r.group_name.clone(), r.user_name.clone()]);
    }
    t
}

fn permission_set_table(rows: &[PermissionSetRow]) -> Table {
    let mut t = Table::new(&["PERMISSION SET", "ARN"]);
    for r in rows {
        t.push(vec![r.permission_set.clone(), r.permission_set_arn.clone()]);
    }
    t
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::audit::diff;
    use crate::model::{Group, Membership, PermissionSet, User};

    fn info(file: &str) -> SnapshotInfo {
        SnapshotInfo {
            file: file.into(),
            created_at: "t".into(),
            source: "demo".into(),
        }
    }

    #[test]
    fn a_deleted_user_keeps_their_name_in_what_they_lost() {
        let mut old = Directory::default();
        old.add_users([User {
            id: "u".into(),
            user_name: "leaver".into(),
            display_name: None,
            email: None,
            external_ids: Vec::new(),
        }]);
        old.add_groups([Group {
            id: "g".into(),
            display_name: "Team".into(),
            description: None,
            external_ids: Vec::new(),
        }]);
        old.add_memberships([Membership {
            group_id: "g".into(),
            user_id: "u".into(),
            membership_id: None,
        }]);
        old.add_permission_sets([PermissionSet {
            arn: "ps".into(),
            name: "Admin".into(),
            session_duration: Some("PT1H".into()),
            ..PermissionSet::default()
        }]);
        old.add_assignments([crate::model::Assignment {
            account_id: "1".into(),
            permission_set_arn: "ps".into(),
            principal_type: crate::model::PrincipalType::Group,
            principal_id: "g".into(),
        }]);
        let mut new = old.clone();
        new.users.clear();
        new.memberships.clear();
        new.permission_sets
            .get_mut("ps")
            .expect("ps")
            .session_duration = None;
        let report = DiffReport::new(&old, &new, &diff(&old, &new), info("a"), info("b"));
        assert_eq!(report.memberships_removed[0].user_name, "leaver");
        assert_eq!(report.access_lost[0].user_name, "leaver");
        assert_eq!(report.access_lost[0].via, ["Team"]);
        assert_eq!(
            report.permission_sets_changed[0].new,
            serde_json::Value::Null
        );
        let table = report.to_table(None);
        assert!(table.contains("\nAccess lost (1)\nUSER NAME"), "{table}");
        assert!(table.contains("session_duration  PT1H  (none)"), "{table}");
        assert!(!table.contains("Access gained"), "{table}");

        let same = DiffReport::new(&old, &old, &diff(&old, &old), info("a"), info("a"));
        assert!(same.is_empty());
        assert_eq!(
            same.to_table(None),
            "a (t, demo) -> a (t, demo)\nNo differences.\n"
        );
    }
}
