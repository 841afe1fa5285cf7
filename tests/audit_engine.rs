//! Properties of the effective-access engine, the audit filters, the snapshot diff and the
//! output formats, on generated directories (proptest).

use std::collections::{BTreeMap, BTreeSet};

use idc::audit::{
    self, Access, AccessQuery, Via, access_of_user, effective_access, orphaned_assignments,
};
use idc::model::{
    Account, AccountStatus, Assignment, Directory, DirectoryIndex, Group, Membership,
    PermissionSet, PrincipalType, User,
};
use idc::report::{self, AssignmentRow, AuditRow, Record};
use proptest::prelude::*;

/// Ids are drawn from ranges wider than what exists, so that memberships and assignments
/// also name deleted groups and users.
#[derive(Clone, Debug)]
struct Spec {
    accounts: usize,
    users: usize,
    groups: usize,
    memberships: Vec<(usize, usize)>,
    assignments: Vec<(usize, usize, bool, usize)>,
}

fn spec() -> impl Strategy<Value = Spec> {
    (
        1..4usize,
        0..6usize,
        0..4usize,
        proptest::collection::vec((0..6usize, 0..8usize), 0..24),
        proptest::collection::vec((0..4usize, 0..3usize, any::<bool>(), 0..8usize), 0..30),
    )
        .prop_map(|(accounts, users, groups, memberships, assignments)| Spec {
            accounts,
            users,
            groups,
            memberships,
            assignments,
        })
}

fn build(spec: &Spec) -> Directory {
    let mut d = Directory::default();
    d.add_accounts((0..spec.accounts).map(|i| Account {
        id: format!("a{i}"),
        name: format!("account {i}"),
        email: String::new(),
        status: if i == 0 {
            AccountStatus::Suspended
        } else {
            AccountStatus::Active
        },
        parent_id: None,
    }));
    d.add_users((0..spec.users).map(|i| User {
        id: format!("u{i}"),
        user_name: format!("user{i}"),
        display_name: None,
        email: None,
        external_ids: Vec::new(),
    }));
    d.add_groups((0..spec.groups).map(|i| Group {
        id: format!("g{i}"),
        display_name: format!("Group {i}"),
        description: None,
        external_ids: Vec::new(),
    }));
    d.add_permission_sets((0..3).map(|i| PermissionSet {
        arn: format!("arn:ps/{i}"),
        name: format!("Set{i}"),
        ..PermissionSet::default()
    }));
    d.add_memberships(spec.memberships.iter().map(|(g, u)| Membership {
        group_id: format!("g{g}"),
        user_id: format!("u{u}"),
        membership_id: None,
    }));
    d.add_assignments(
        spec.assignments
            .iter()
            .map(|&(a, p, is_group, who)| Assignment {
                account_id: format!("a{a}"),
                permission_set_arn: format!("arn:ps/{p}"),
                principal_type: if is_group {
                    PrincipalType::Group
                } else {
                    PrincipalType::User
                },
                principal_id: if is_group {
                    format!("g{who}")
                } else {
                    format!("u{who}")
                },
            }),
    );
    d
}

fn assignment(a: &Access, principal_type: PrincipalType, principal_id: &str) -> Assignment {
    Assignment {
        account_id: a.account_id.clone(),
        permission_set_arn: a.permission_set_arn.clone(),
        principal_type,
        principal_id: principal_id.to_string(),
    }
}

proptest! {
    /// Every path is backed by an assignment and, through a group, by a membership; it names
    /// a user and a group that exist.
    #[test]
    fn every_path_is_backed(spec in spec()) {
        let d = build(&spec);
        for a in effective_access(&d) {
            prop_assert!(d.users.contains_key(&a.user_id), "{a:?}");
            match &a.via {
                Via::Direct => {
                    prop_assert!(d.assignments.contains(&assignment(&a, PrincipalType::User, &a.user_id)), "{a:?}");
                }
                Via::Group(g) => {
                    prop_assert!(d.groups.contains_key(g), "{a:?}");
                    prop_assert!(d.assignments.contains(&assignment(&a, PrincipalType::Group, g)), "{a:?}");
                    prop_assert!(d.memberships.contains_key(&(g.clone(), a.user_id.clone())), "{a:?}");
                }
            }
        }
    }

    /// Every assignment of an existing group reaches every (existing) member, every
    /// assignment of an existing user reaches that user, and the rest are orphaned.
    #[test]
    fn every_assignment_reaches_every_member_or_is_orphaned(spec in spec()) {
        let d = build(&spec);
        let paths: BTreeSet<Access> = effective_access(&d).into_iter().collect();
        let orphans: BTreeSet<&Assignment> = orphaned_assignments(&d).into_iter().collect();
        for asg in &d.assignments {
            let exists = d.principal_name(asg.principal_type, &asg.principal_id).is_some();
            prop_assert_eq!(!exists, orphans.contains(asg), "{:?}", asg);
            let path = |user: &str, via: Via| Access {
                user_id: user.to_string(),
                account_id: asg.account_id.clone(),
                permission_set_arn: asg.permission_set_arn.clone(),
                via,
            };
            match asg.principal_type {
                PrincipalType::User if exists => {
                    prop_assert!(paths.contains(&path(&asg.principal_id, Via::Direct)), "{asg:?}");
                }
                PrincipalType::Group if exists => {
                    for (g, u) in d.memberships.keys() {
                        if *g == asg.principal_id && d.users.contains_key(u) {
                            prop_assert!(paths.contains(&path(u, Via::Group(g.clone()))), "{asg:?} {u}");
                        }
                    }
                }
                _ => {}
            }
        }
    }

    /// No path is reported twice; one user's view agrees with the whole.
    #[test]
    fn paths_are_unique_and_agree_with_the_user_view(spec in spec()) {
        let d = build(&spec);
        let all = effective_access(&d);
        let unique: BTreeSet<&Access> = all.iter().collect();
        prop_assert_eq!(unique.len(), all.len());
        let ix = DirectoryIndex::build(&d);
        for user in d.users.keys() {
            let mine: BTreeSet<(String, String, Via)> = access_of_user(&d, &ix, user)
                .into_iter()
                .map(|g| (g.account_id, g.permission_set_arn, g.via))
                .collect();
            let from_all: BTreeSet<(String, String, Via)> = all
                .iter()
                .filter(|a| a.user_id == *user)
                .map(|a| (a.account_id.clone(), a.permission_set_arn.clone(), a.via.clone()))
                .collect();
            prop_assert_eq!(mine, from_all, "user {}", user);
        }
    }

    /// Filters keep exactly the paths that match every given name.
    #[test]
    fn filters_keep_exactly_the_matching_paths(spec in spec(), account in 0..4usize, user in 0..6usize, group in 0..4usize, ps in 0..3usize, which in 0..16u8) {
        let d = build(&spec);
        let query = AccessQuery {
            account: (which & 1 != 0).then(|| format!("account {account}")),
            user: (which & 2 != 0).then(|| format!("USER{user}")),
            group: (which & 4 != 0).then(|| format!("group {group}")),
            permission_set: (which & 8 != 0).then(|| format!("set{ps}")),
            admin: false,
        };
        let known = account < spec.accounts || which & 1 == 0;
        let known = known && (user < spec.users || which & 2 == 0);
        let known = known && (group < spec.groups || which & 4 == 0);
        match query.resolve(&d) {
            Err(e) => {
                prop_assert!(!known, "{e}");
                prop_assert!(!e.0.is_empty());
            }
            Ok(filter) => {
                prop_assert!(known);
                for a in effective_access(&d) {
                    let expected = (which & 1 == 0 || a.account_id == format!("a{account}"))
                        && (which & 2 == 0 || a.user_id == format!("u{user}"))
                        && (which & 4 == 0 || a.via == Via::Group(format!("g{group}")))
                        && (which & 8 == 0 || a.permission_set_arn == format!("arn:ps/{ps}"));
                    prop_assert_eq!(filter.matches(&a), expected, "{:?}", a);
                }
            }
        }
    }

    /// Rows come out in the same order whatever order the paths go in.
    #[test]
    fn rows_sort_stably_whatever_the_input_order(spec in spec(), seed in any::<u64>()) {
        let d = build(&spec);
        let paths = effective_access(&d);
        let mut shuffled = paths.clone();
        // A deterministic shuffle: sort by a hash of the seed and the path.
        shuffled.sort_by_key(|a| {
            use std::hash::{Hash, Hasher};
            let mut h = std::collections::hash_map::DefaultHasher::new();
            (seed, a).hash(&mut h);
            h.finish()
        });
        prop_assert_eq!(report::audit_rows(&d, &paths), report::audit_rows(&d, &shuffled));
        let mut reversed: Vec<&Assignment> = d.assignments.iter().collect();
        reversed.reverse();
        prop_assert_eq!(report::assignment_rows(&d, &d.assignments), report::assignment_rows(&d, reversed));
    }

    /// A directory does not differ from itself; between two, the access gained and lost is
    /// the difference of the (user, account, permission set) each side reaches.
    #[test]
    fn diff_of_access_is_the_set_difference(old in spec(), new in spec()) {
        let (old, new) = (build(&old), build(&new));
        prop_assert!(audit::diff(&old, &old).is_empty());
        let reach = |d: &Directory| -> BTreeMap<(String, String, String), BTreeSet<Via>> {
            let mut m: BTreeMap<_, BTreeSet<Via>> = BTreeMap::new();
            for a in effective_access(d) {
                m.entry((a.user_id, a.account_id, a.permission_set_arn)).or_default().insert(a.via);
            }
            m
        };
        let (before, after) = (reach(&old), reach(&new));
        let d = audit::diff(&old, &new);
        let gained: BTreeSet<_> = d.access_gained.iter().map(|c| (c.user_id.clone(), c.account_id.clone(), c.permission_set_arn.clone())).collect();
        let lost: BTreeSet<_> = d.access_lost.iter().map(|c| (c.user_id.clone(), c.account_id.clone(), c.permission_set_arn.clone())).collect();
        let expected_gained: BTreeSet<_> = after.keys().filter(|k| !before.contains_key(*k)).cloned().collect();
        let expected_lost: BTreeSet<_> = before.keys().filter(|k| !after.contains_key(*k)).cloned().collect();
        prop_assert_eq!(gained, expected_gained);
        prop_assert_eq!(lost, expected_lost);
        for c in &d.access_gained {
            let paths: BTreeSet<Via> = c.paths.iter().cloned().collect();
            prop_assert_eq!(&paths, &after[&(c.user_id.clone(), c.account_id.clone(), c.permission_set_arn.clone())]);
        }
        let added: BTreeSet<&Assignment> = d.assignments_added.iter().collect();
        prop_assert_eq!(added, new.assignments.difference(&old.assignments).collect::<BTreeSet<_>>());
    }

    /// Any text survives CSV (commas, quotes, line breaks, non-ASCII) and JSON.
    #[test]
    fn csv_and_json_round_trip_any_names(names in proptest::collection::vec("\\PC{0,12}|[,\"\r\n ]{0,4}|.{0,3}", 1..8)) {
        let rows: Vec<AuditRow> = names.iter().enumerate().map(|(i, n)| AuditRow {
            user_name: n.clone(),
            user_id: format!("u{i}"),
            account_id: "1".into(),
            account_name: format!("{n},{n}"),
            permission_set: format!("\"{n}\""),
            via: n.clone(),
            account_status: AccountStatus::Active,
        }).collect();
        let text = report::csv(&rows).expect("csv");
        let mut reader = csv::ReaderBuilder::new().from_reader(text.as_bytes());
        let headers: Vec<String> = reader.headers().expect("header").iter().map(str::to_string).collect();
        prop_assert_eq!(headers, AuditRow::KEYS.iter().map(|k| (*k).to_string()).collect::<Vec<_>>());
        let back: Vec<Vec<String>> = reader.records().map(|r| r.expect("record").iter().map(str::to_string).collect()).collect();
        prop_assert_eq!(back, rows.iter().map(Record::values).collect::<Vec<_>>());

        let json: Vec<BTreeMap<String, Option<String>>> = serde_json::from_str(&report::json(&rows).expect("json")).expect("parses");
        for (row, obj) in rows.iter().zip(&json) {
            let values: Vec<String> = AuditRow::KEYS.iter().map(|k| obj[*k].clone().unwrap_or_default()).collect();
            prop_assert_eq!(values, row.values());
        }
    }
}

/// Orphaned assignments come out of `assignment_rows` with no principal name.
#[test]
fn orphans_have_no_principal_name() {
    let d = build(&Spec {
        accounts: 1,
        users: 1,
        groups: 1,
        memberships: vec![(0, 0)],
        assignments: vec![(0, 0, true, 0), (0, 0, true, 5), (0, 1, false, 7)],
    });
    let rows: Vec<AssignmentRow> = report::assignment_rows(&d, &d.assignments);
    let names: Vec<Option<&str>> = rows.iter().map(|r| r.principal_name.as_deref()).collect();
    assert_eq!(names, [Some("Group 0"), None, None]);
    assert_eq!(orphaned_assignments(&d).len(), 2);
}
