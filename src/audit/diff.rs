//! What changed between two directories (two snapshots): assignments, memberships, permission
//! sets, and who gained or lost access to what.

use std::collections::{BTreeMap, BTreeSet};

use super::access::{Via, effective_access};
use crate::model::{Assignment, Directory, PermissionSet};

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct DirectoryDiff {
    pub assignments_added: Vec<Assignment>,
    pub assignments_removed: Vec<Assignment>,
    /// (group id, user id).
    pub memberships_added: Vec<(String, String)>,
    pub memberships_removed: Vec<(String, String)>,
    /// ARNs.
    pub permission_sets_added: Vec<String>,
    pub permission_sets_removed: Vec<String>,
    pub permission_sets_changed: Vec<PermissionSetChange>,
    /// (user, account, permission set) reachable in the new directory and not in the old one,
    /// with the new paths.
    pub access_gained: Vec<AccessChange>,
    /// Reachable in the old directory and not in the new one, with the old paths.
    pub access_lost: Vec<AccessChange>,
}

impl DirectoryDiff {
    pub fn is_empty(&self) -> bool {
        *self == Self::default()
    }
}

/// A permission set present on both sides whose fields differ.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PermissionSetChange {
    pub arn: String,
    pub fields: Vec<FieldChange>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FieldChange {
    /// The field's name in the snapshot, e.g. `session_duration`.
    pub field: &'static str,
    pub old: FieldValue,
    pub new: FieldValue,
}

/// A field's value; lists are sorted, since their order carries no meaning.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum FieldValue {
    Absent,
    Text(String),
    List(Vec<String>),
}

/// A user's reach to a permission set on an account, and the paths to it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AccessChange {
    pub user_id: String,
    pub account_id: String,
    pub permission_set_arn: String,
    pub paths: Vec<Via>,
}

/// Everything that differs from `old` to `new`, each list in id order.
pub fn diff(old: &Directory, new: &Directory) -> DirectoryDiff {
    let (access_gained, access_lost) = access_changes(old, new);
    DirectoryDiff {
        assignments_added: new
            .assignments
            .difference(&old.assignments)
            .cloned()
            .collect(),
        assignments_removed: old
            .assignments
            .difference(&new.assignments)
            .cloned()
            .collect(),
        memberships_added: keys_only_in(&new.memberships, &old.memberships),
        memberships_removed: keys_only_in(&old.memberships, &new.memberships),
        permission_sets_added: keys_only_in(&new.permission_sets, &old.permission_sets),
        permission_sets_removed: keys_only_in(&old.permission_sets, &new.permission_sets),
        permission_sets_changed: old
            .permission_sets
            .iter()
            .filter_map(|(arn, before)| {
                let after = new.permission_sets.get(arn)?;
                let fields = field_changes(before, after);
                (!fields.is_empty()).then(|| PermissionSetChange {
                    arn: arn.clone(),
                    fields,
                })
            })
            .collect(),
        access_gained,
        access_lost,
    }
}

fn keys_only_in<K: Ord + Clone, V>(a: &BTreeMap<K, V>, b: &BTreeMap<K, V>) -> Vec<K> {
    a.keys().filter(|k| !b.contains_key(k)).cloned().collect()
}

type Reach = BTreeMap<(String, String, String), BTreeSet<Via>>;

fn reach(dir: &Directory) -> Reach {
    let mut out = Reach::new();
    for a in effective_access(dir) {
        out.entry((a.user_id, a.account_id, a.permission_set_arn))
            .or_default()
            .insert(a.via);
    }
    out
}

/// A change of path alone (moved from one granting group to another) is no gain or loss:
/// the assignment and membership changes show it.
fn access_changes(old: &Directory, new: &Directory) -> (Vec<AccessChange>, Vec<AccessChange>) {
    let (before, after) = (reach(old), reach(new));
    let only = |a: &Reach, b: &Reach| -> Vec<AccessChange> {
        a.iter()
            .filter(|(k, _)| !b.contains_key(*k))
            .map(|((user, account, ps), paths)| AccessChange {
                user_id: user.clone(),
                account_id: account.clone(),
                permission_set_arn: ps.clone(),
                paths: paths.iter().cloned().collect(),
            })
            .collect()
    };
    (only(&after, &before), only(&before, &after))
}

fn text(v: Option<&String>) -> FieldValue {
    v.map_or(FieldValue::Absent, |s| FieldValue::Text(s.clone()))
}

fn list(items: impl Iterator<Item = String>) -> FieldValue {
    let set: BTreeSet<String> = items.collect();
    FieldValue::List(set.into_iter().collect())
}

/// Inline policies that differ only in layout are the same policy.
fn same_policy(a: Option<&String>, b: Option<&String>) -> bool {
    let parse = |s: &String| serde_json::from_str::<serde_json::Value>(s).ok();
    match (a, b) {
        (Some(a), Some(b)) => a == b || parse(a).is_some_and(|x| Some(x) == parse(b)),
        (a, b) => a == b,
    }
}

fn field_changes(old: &PermissionSet, new: &PermissionSet) -> Vec<FieldChange> {
    let fields = |p: &PermissionSet| -> [(&'static str, FieldValue); 9] {
        [
            ("name", FieldValue::Text(p.name.clone())),
            ("description", text(p.description.as_ref())),
            ("session_duration", text(p.session_duration.as_ref())),
            ("relay_state", text(p.relay_state.as_ref())),
            (
                "managed_policies",
                list(p.managed_policies.iter().map(|m| m.arn.clone())),
            ),
            (
                "customer_managed_policies",
                list(
                    p.customer_managed_policies
                        .iter()
                        .map(|c| format!("{}{}", c.path, c.name)),
                ),
            ),
            ("inline_policy", text(p.inline_policy.as_ref())),
            (
                "provisioned_accounts",
                list(p.provisioned_accounts.iter().cloned()),
            ),
            (
                "outdated_accounts",
                list(p.outdated_accounts.iter().cloned()),
            ),
        ]
    };
    fields(old)
        .into_iter()
        .zip(fields(new))
        .filter(|((field, before), (_, after))| {
            if *field == "inline_policy" {
                !same_policy(old.inline_policy.as_ref(), new.inline_policy.as_ref())
            } else {
                before != after
            }
        })
        .map(|((field, old), (_, new))| FieldChange { field, old, new })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Group, ManagedPolicy, Membership, PrincipalType, User};

    fn base() -> Directory {
        let mut d = Directory::default();
        d.add_users(["u1", "u2"].map(|id| User {
            id: id.into(),
            user_name: id.into(),
            display_name: None,
            email: None,
            external_ids: Vec::new(),
        }));
        d.add_groups(["g1", "g2"].map(|id| Group {
            id: id.into(),
            display_name: id.into(),
            description: None,
            external_ids: Vec::new(),
        }));
        d.add_memberships([("g1", "u1"), ("g2", "u1")].map(|(g, u)| Membership {
            group_id: g.into(),
            user_id: u.into(),
            membership_id: Some(format!("m-{g}-{u}")),
        }));
        d.add_permission_sets([PermissionSet {
            arn: "ps".into(),
            name: "Admin".into(),
            session_duration: Some("PT1H".into()),
            managed_policies: vec![
                ManagedPolicy {
                    arn: "arn:a".into(),
                    name: "a".into(),
                },
                ManagedPolicy {
                    arn: "arn:b".into(),
                    name: "b".into(),
                },
            ],
            inline_policy: Some(r#"{"Statement": []}"#.into()),
            ..PermissionSet::default()
        }]);
        d.add_assignments(["g1", "g2"].map(|g| assignment(PrincipalType::Group, g)));
        d
    }

    fn assignment(principal_type: PrincipalType, id: &str) -> Assignment {
        Assignment {
            account_id: "1".into(),
            permission_set_arn: "ps".into(),
            principal_type,
            principal_id: id.into(),
        }
    }

    #[test]
    fn same_directory_and_cosmetic_changes_are_no_difference() {
        let old = base();
        assert!(diff(&old, &old).is_empty());
        let mut new = base();
        let ps = new.permission_sets.get_mut("ps").expect("ps");
        ps.managed_policies.reverse();
        ps.inline_policy = Some(r#"{ "Statement" : [ ] }"#.into());
        new.memberships
            .values_mut()
            .for_each(|m| m.membership_id = None);
        assert!(diff(&old, &new).is_empty(), "{:?}", diff(&old, &new));
    }

    #[test]
    fn a_path_that_moves_is_no_gain_but_a_new_member_is() {
        let old = base();
        let mut new = base();
        // u1 loses g1 but keeps the same access via g2; u2 joins g1.
        new.memberships.remove(&("g1".into(), "u1".into()));
        new.add_memberships([Membership {
            group_id: "g1".into(),
            user_id: "u2".into(),
            membership_id: None,
        }]);
        new.permission_sets
            .get_mut("ps")
            .expect("ps")
            .session_duration = Some("PT4H".into());
        new.add_assignments([assignment(PrincipalType::User, "u1")]);
        let d = diff(&old, &new);
        assert_eq!(d.memberships_removed, [("g1".into(), "u1".into())]);
        assert_eq!(d.memberships_added, [("g1".into(), "u2".into())]);
        assert_eq!(d.assignments_added, [assignment(PrincipalType::User, "u1")]);
        assert!(d.assignments_removed.is_empty());
        assert_eq!(
            d.access_gained,
            [AccessChange {
                user_id: "u2".into(),
                account_id: "1".into(),
                permission_set_arn: "ps".into(),
                paths: vec![Via::Group("g1".into())],
            }]
        );
        assert!(d.access_lost.is_empty());
        assert_eq!(
            d.permission_sets_changed,
            [PermissionSetChange {
                arn: "ps".into(),
                fields: vec![FieldChange {
                    field: "session_duration",
                    old: FieldValue::Text("PT1H".into()),
                    new: FieldValue::Text("PT4H".into()),
                }],
            }]
        );

        // Backwards, the same change is a loss with the old paths.
        let back = diff(&new, &old);
        assert_eq!(back.access_lost.len(), 1);
        assert!(back.access_gained.is_empty());
    }

    #[test]
    fn permission_sets_added_removed_and_list_fields() {
        let old = base();
        let mut new = base();
        let mut ps = new.permission_sets["ps"].clone();
        ps.managed_policies.pop();
        ps.description = Some("now described".into());
        new.add_permission_sets([ps]);
        new.add_permission_sets([PermissionSet {
            arn: "ps2".into(),
            name: "New".into(),
            ..PermissionSet::default()
        }]);
        let d = diff(&old, &new);
        assert_eq!(d.permission_sets_added, ["ps2"]);
        assert!(d.permission_sets_removed.is_empty());
        let fields: Vec<_> = d.permission_sets_changed[0]
            .fields
            .iter()
            .map(|f| (f.field, f.old.clone(), f.new.clone()))
            .collect();
        assert_eq!(
            fields,
            [
                (
                    "description",
                    FieldValue::Absent,
                    FieldValue::Text("now described".into())
                ),
                (
                    "managed_policies",
                    FieldValue::List(vec!["arn:a".into(), "arn:b".into()]),
                    FieldValue::List(vec!["arn:a".into()])
                ),
            ]
        );
        assert_eq!(diff(&new, &old).permission_sets_removed, ["ps2"]);
    }
}
