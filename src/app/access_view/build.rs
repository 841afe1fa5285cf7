//! The rows of the four access views, from the audit engine's paths.

use std::collections::{BTreeSet, HashMap};

use super::{AccessTarget, Piece, RowKind, Tone, ViewRow};
use crate::audit::{self, Access, Via};
use crate::model::{AccountStatus, Assignment, Directory, DirectoryIndex, PrincipalType};
use crate::report::rows::account_cell;

/// A view before it has state: its rows and the paths they stand for.
pub(super) struct Built {
    pub title: String,
    pub kind: &'static str,
    pub name: String,
    pub counts: Vec<Piece>,
    pub rows: Vec<ViewRow>,
    /// Every path of the view; rows' `exports` index it until the view sorts them.
    pub paths: Vec<Access>,
}

/// User name, display name, paths.
const USER_COLUMNS: &[u16] = &[4, 3, 5];
/// Permission set, paths, provisioning.
const GRANT_COLUMNS: &[u16] = &[3, 6, 2];
/// User name, display name, email.
const MEMBER_COLUMNS: &[u16] = &[4, 3, 4];
/// Account, permission set, who it reaches.
const GROUP_GRANT_COLUMNS: &[u16] = &[5, 4, 2];
/// One wide column, for notes.
const NOTE_COLUMNS: &[u16] = &[1];

#[derive(Default)]
struct Rows {
    rows: Vec<ViewRow>,
    section: usize,
}

impl Rows {
    fn heading(&mut self, cells: Vec<Piece>, target: Option<AccessTarget>) {
        self.section = self.rows.len();
        self.rows.push(ViewRow {
            kind: RowKind::Heading,
            section: self.section,
            cells,
            shares: &[],
            target,
            exports: Vec::new(),
        });
    }

    fn entry(
        &mut self,
        cells: Vec<Piece>,
        shares: &'static [u16],
        target: Option<AccessTarget>,
        exports: Vec<usize>,
    ) {
        self.rows.push(ViewRow {
            kind: RowKind::Entry,
            section: self.section,
            cells,
            shares,
            target,
            exports,
        });
    }

    fn note(&mut self, text: impl Into<String>) {
        self.entry(vec![Piece::new(text, Tone::Dim)], NOTE_COLUMNS, None, Vec::new());
    }
}

fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

fn is_admin(dir: &Directory, arn: &str) -> bool {
    dir.permission_sets.get(arn).is_some_and(|p| p.is_admin())
}

fn status(dir: &Directory, account_id: &str) -> AccountStatus {
    dir.accounts
        .get(account_id)
        .map_or(AccountStatus::Unknown, |a| a.status)
}

fn unusable(status: AccountStatus) -> bool {
    matches!(
        status,
        AccountStatus::Suspended | AccountStatus::PendingClosure
    )
}

fn user_name<'a>(dir: &'a Directory, id: &'a str) -> &'a str {
    dir.users.get(id).map_or(id, |u| u.user_name.as_str())
}

/// A permission set's name, red when it is admin-level.
fn permission_set_piece(dir: &Directory, arn: &str) -> Piece {
    let tone = if is_admin(dir, arn) {
        Tone::Danger
    } else {
        Tone::Normal
    };
    Piece::new(dir.permission_set_name(arn), tone)
}

/// The heading of an account: name, id, its status when it cannot be used, OU path.
fn account_heading(dir: &Directory, id: &str) -> Vec<Piece> {
    let status = status(dir, id);
    let mut cells = vec![
        Piece::new(
            dir.account_name(id),
            if unusable(status) {
                Tone::Danger
            } else {
                Tone::Strong
            },
        ),
        Piece::new(id, Tone::Dim),
    ];
    if unusable(status) {
        cells.push(Piece::new(format!("[{}]", status.label()), Tone::Danger));
    }
    let ou = dir.account_ou_path(id);
    if !ou.is_empty() {
        cells.push(Piece::new(ou, Tone::Dim));
    }
    cells
}

/// `direct, via Platform, via SRE`: direct first, then groups by name.
fn paths_text(dir: &Directory, vias: &[&Via]) -> String {
    let mut labels: Vec<(bool, String)> = vias
        .iter()
        .map(|v| match v {
            Via::Direct => (false, "direct".to_string()),
            Via::Group(_) => (true, format!("via {}", v.label(dir))),
        })
        .collect();
    labels.sort_by_cached_key(|(group, l)| (*group, l.to_lowercase()));
    labels.dedup();
    let labels: Vec<String> = labels.into_iter().map(|(_, l)| l).collect();
    labels.join(", ")
}

/// The users among `paths[idxs]`, by user name, each with the indexes of its paths.
fn by_user<'a>(
    dir: &Directory,
    paths: &'a [Access],
    idxs: impl IntoIterator<Item = usize>,
) -> Vec<(&'a str, Vec<usize>)> {
    let mut map: HashMap<&str, Vec<usize>> = HashMap::new();
    for i in idxs {
        if let Some(p) = paths.get(i) {
            map.entry(p.user_id.as_str()).or_default().push(i);
        }
    }
    let mut users: Vec<(&str, Vec<usize>)> = map.into_iter().collect();
    users.sort_by_cached_key(|(u, _)| (user_name(dir, u).to_lowercase(), (*u).to_string()));
    users
}

/// One entry per user of `paths[idxs]`: user name, display name, paths.
fn user_entries(rows: &mut Rows, dir: &Directory, paths: &[Access], idxs: Vec<usize>) -> usize {
    let users = by_user(dir, paths, idxs);
    for (user_id, mine) in &users {
        let vias: Vec<&Via> = mine
            .iter()
            .filter_map(|i| paths.get(*i).map(|p| &p.via))
            .collect();
        let display = dir
            .users
            .get(*user_id)
            .and_then(|u| u.display_name.clone())
            .unwrap_or_default();
        rows.entry(
            vec![
                Piece::new(user_name(dir, user_id), Tone::Normal),
                Piece::new(display, Tone::Dim),
                Piece::new(paths_text(dir, &vias), Tone::Normal),
            ],
            USER_COLUMNS,
            Some(AccessTarget::User((*user_id).to_string())),
            mine.clone(),
        );
    }
    users.len()
}

/// Notes for the groups among `assignments` that exist but have no (existing) members: their
/// grant reaches nobody, which is worth seeing (an empty break-glass group, say).
fn empty_group_notes<'a>(
    rows: &mut Rows,
    dir: &Directory,
    assignments: impl IntoIterator<Item = &'a Assignment>,
) {
    for a in assignments {
        if a.principal_type != PrincipalType::Group {
            continue;
        }
        let Some(group) = dir.groups.get(&a.principal_id) else {
            continue;
        };
        if !dir
            .members_of(&group.id)
            .any(|u| dir.users.contains_key(u))
        {
            rows.note(format!(
                "group {} has no members: this grant reaches nobody",
                group.display_name
            ));
        }
    }
}

/// A section of the orphaned assignments among `assignments`, if any; `describe` says what
/// each one is on.
fn orphan_section<'a>(
    rows: &mut Rows,
    dir: &Directory,
    assignments: impl IntoIterator<Item = &'a Assignment>,
    describe: impl Fn(&Assignment) -> (Piece, Option<AccessTarget>),
) -> usize {
    let orphans: Vec<&Assignment> = assignments
        .into_iter()
        .filter(|a| {
            dir.principal_name(a.principal_type, &a.principal_id)
                .is_none()
        })
        .collect();
    if orphans.is_empty() {
        return 0;
    }
    rows.heading(
        vec![
            Piece::new("Orphaned assignments", Tone::Danger),
            Piece::new(
                format!(
                    "{}: the group or user was deleted; they reach nobody",
                    orphans.len()
                ),
                Tone::Dim,
            ),
        ],
        None,
    );
    for a in &orphans {
        let (on, target) = describe(a);
        rows.entry(
            vec![
                Piece::new(
                    format!(
                        "deleted {} {}",
                        a.principal_type.as_str().to_lowercase(),
                        a.principal_id
                    ),
                    Tone::Danger,
                ),
                on,
            ],
            &[3, 2],
            target,
            Vec::new(),
        );
    }
    orphans.len()
}

fn status_count(status: AccountStatus) -> Option<Piece> {
    unusable(status).then(|| Piece::new(status.label(), Tone::Danger))
}

/// Who can reach an account: a section per permission set, a user per entry.
pub(super) fn account(dir: &Directory, id: &str) -> Built {
    let paths = audit::access_to_account(dir, id);
    let assignments: Vec<&Assignment> = dir.assignments_on(id).collect();
    let mut by_set: HashMap<&str, Vec<usize>> = HashMap::new();
    for (i, p) in paths.iter().enumerate() {
        by_set
            .entry(p.permission_set_arn.as_str())
            .or_default()
            .push(i);
    }
    let mut arns: Vec<&str> = assignments
        .iter()
        .map(|a| a.permission_set_arn.as_str())
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect();
    arns.sort_by_cached_key(|arn| (dir.permission_set_name(arn).to_lowercase(), *arn));

    let mut rows = Rows::default();
    let mut admin_sets = 0;
    let mut admin_users = BTreeSet::new();
    for arn in &arns {
        let admin = is_admin(dir, arn);
        let idxs = by_set.remove(arn).unwrap_or_default();
        let users: BTreeSet<&str> = idxs
            .iter()
            .filter_map(|i| paths.get(*i).map(|p| p.user_id.as_str()))
            .collect();
        let mut heading = vec![permission_set_piece(dir, arn)];
        if admin {
            admin_sets += 1;
            admin_users.extend(users.iter().copied());
            heading.push(Piece::new("admin", Tone::Danger));
        }
        heading.push(Piece::new(plural(users.len(), "user", "users"), Tone::Dim));
        if dir
            .permission_sets
            .get(*arn)
            .is_some_and(|p| p.is_outdated_on(id))
        {
            heading.push(Piece::new("⚠ outdated here", Tone::Warning));
        }
        rows.heading(
            heading,
            Some(AccessTarget::PermissionSet((*arn).to_string())),
        );
        user_entries(&mut rows, dir, &paths, idxs);
        empty_group_notes(
            &mut rows,
            dir,
            assignments
                .iter()
                .copied()
                .filter(|a| a.permission_set_arn == *arn),
        );
    }
    let orphans = orphan_section(&mut rows, dir, assignments.iter().copied(), |a| {
        (
            permission_set_piece(dir, &a.permission_set_arn),
            Some(AccessTarget::PermissionSet(a.permission_set_arn.clone())),
        )
    });
    if rows.rows.is_empty() {
        rows.heading(vec![Piece::new("Nobody", Tone::Strong)], None);
        rows.note("no assignment on this account");
    }

    let users: BTreeSet<&str> = paths.iter().map(|p| p.user_id.as_str()).collect();
    let mut counts: Vec<Piece> = status_count(status(dir, id)).into_iter().collect();
    counts.extend([
        Piece::new(plural(users.len(), "user", "users"), Tone::Strong),
        Piece::new(
            plural(arns.len(), "permission set", "permission sets"),
            Tone::Normal,
        ),
        Piece::new(
            format!(
                "{} admin-level: {}",
                admin_sets,
                plural(admin_users.len(), "user", "users")
            ),
            if admin_users.is_empty() {
                Tone::Dim
            } else {
                Tone::Danger
            },
        ),
        Piece::new(plural(paths.len(), "path", "paths"), Tone::Dim),
    ]);
    if orphans > 0 {
        counts.push(Piece::new(
            plural(orphans, "orphaned assignment", "orphaned assignments"),
            Tone::Danger,
        ));
    }
    let name = dir.account_name(id).to_string();
    Built {
        title: format!("Who can reach {name} ({id})"),
        kind: "account",
        name,
        counts,
        rows: rows.rows,
        paths,
    }
}

/// Where a user can go: a section per account, a permission set per entry.
pub(super) fn user(dir: &Directory, ix: &DirectoryIndex, id: &str) -> Built {
    let grants = audit::access_of_user(dir, ix, id);
    let paths: Vec<Access> = grants
        .iter()
        .map(|g| Access {
            user_id: id.to_string(),
            account_id: g.account_id.clone(),
            permission_set_arn: g.permission_set_arn.clone(),
            via: g.via.clone(),
        })
        .collect();
    let mut rows = Rows::default();
    let mut accounts = 0;
    let mut sets = BTreeSet::new();
    let mut admin_accounts = BTreeSet::new();
    let mut suspended = 0;
    // `access_of_user` sorts by account, then permission set: runs of equal keys are the
    // sections and the entries.
    let mut i = 0;
    while let Some(first) = paths.get(i) {
        let account = first.account_id.as_str();
        accounts += 1;
        if unusable(status(dir, account)) {
            suspended += 1;
        }
        rows.heading(
            account_heading(dir, account),
            Some(AccessTarget::Account(account.to_string())),
        );
        while let Some(p) = paths.get(i).filter(|p| p.account_id == account) {
            let arn = p.permission_set_arn.as_str();
            let mine: Vec<usize> = (i..paths.len())
                .take_while(|j| {
                    paths
                        .get(*j)
                        .is_some_and(|q| q.account_id == account && q.permission_set_arn == arn)
                })
                .collect();
            i += mine.len().max(1);
            sets.insert(arn);
            if is_admin(dir, arn) {
                admin_accounts.insert(account);
            }
            let vias: Vec<&Via> = mine
                .iter()
                .filter_map(|j| paths.get(*j).map(|p| &p.via))
                .collect();
            let outdated = dir
                .permission_sets
                .get(arn)
                .is_some_and(|ps| ps.is_outdated_on(account));
            rows.entry(
                vec![
                    permission_set_piece(dir, arn),
                    Piece::new(paths_text(dir, &vias), Tone::Normal),
                    if outdated {
                        Piece::new("⚠ outdated", Tone::Warning)
                    } else {
                        Piece::default()
                    },
                ],
                GRANT_COLUMNS,
                Some(AccessTarget::PermissionSet(arn.to_string())),
                mine,
            );
        }
    }
    let user = dir.users.get(id);
    let name = user_name(dir, id).to_string();
    if rows.rows.is_empty() {
        rows.heading(vec![Piece::new("Nowhere", Tone::Strong)], None);
        rows.note(if user.is_some() {
            "no assignment to this user or to any of its groups"
        } else {
            "this user no longer exists"
        });
    }
    let groups = ix
        .groups_of(id)
        .iter()
        .filter(|g| dir.groups.contains_key(*g))
        .count();
    let mut counts = vec![
        Piece::new(plural(accounts, "account", "accounts"), Tone::Strong),
        Piece::new(
            plural(sets.len(), "permission set", "permission sets"),
            Tone::Normal,
        ),
        Piece::new(
            format!(
                "admin-level on {}",
                plural(admin_accounts.len(), "account", "accounts")
            ),
            if admin_accounts.is_empty() {
                Tone::Dim
            } else {
                Tone::Danger
            },
        ),
        Piece::new(plural(groups, "group", "groups"), Tone::Normal),
        Piece::new(plural(paths.len(), "path", "paths"), Tone::Dim),
    ];
    if suspended > 0 {
        counts.push(Piece::new(
            format!(
                "{} suspended or closing",
                plural(suspended, "account", "accounts")
            ),
            Tone::Danger,
        ));
    }
    let display = user
        .and_then(|u| u.display_name.as_deref())
        .map(|d| format!(" ({d})"))
        .unwrap_or_default();
    Built {
        title: format!("Where {name}{display} can go"),
        kind: "user",
        name,
        counts,
        rows: rows.rows,
        paths,
    }
}

/// A group's members, and every (account, permission set) it grants them.
pub(super) fn group(dir: &Directory, ix: &DirectoryIndex, id: &str) -> Built {
    let paths = audit::access_via_group(dir, ix, id);
    let mut by_member: HashMap<&str, Vec<usize>> = HashMap::new();
    let mut by_grant: HashMap<(&str, &str), Vec<usize>> = HashMap::new();
    for (i, p) in paths.iter().enumerate() {
        by_member.entry(p.user_id.as_str()).or_default().push(i);
        by_grant
            .entry((p.account_id.as_str(), p.permission_set_arn.as_str()))
            .or_default()
            .push(i);
    }
    let mut rows = Rows::default();
    let mut members: Vec<&str> = dir
        .members_of(id)
        .filter(|u| dir.users.contains_key(*u))
        .collect();
    members.sort_by_cached_key(|u| (user_name(dir, u).to_lowercase(), *u));
    rows.heading(
        vec![
            Piece::new("Members", Tone::Strong),
            Piece::new(members.len().to_string(), Tone::Dim),
        ],
        None,
    );
    for u in &members {
        let user = dir.users.get(*u);
        rows.entry(
            vec![
                Piece::new(user_name(dir, u), Tone::Normal),
                Piece::new(
                    user.and_then(|u| u.display_name.clone())
                        .unwrap_or_default(),
                    Tone::Dim,
                ),
                Piece::new(
                    user.and_then(|u| u.email.clone()).unwrap_or_default(),
                    Tone::Dim,
                ),
            ],
            MEMBER_COLUMNS,
            Some(AccessTarget::User((*u).to_string())),
            by_member.remove(u).unwrap_or_default(),
        );
    }
    if members.is_empty() {
        rows.note("no members: what this group grants reaches nobody");
    }

    let mut assignments: Vec<&Assignment> = ix
        .assignments_of(PrincipalType::Group, id)
        .iter()
        .collect();
    assignments.sort_by_cached_key(|a| {
        (
            dir.account_name(&a.account_id).to_lowercase(),
            a.account_id.clone(),
            dir.permission_set_name(&a.permission_set_arn)
                .to_lowercase(),
        )
    });
    let accounts: BTreeSet<&str> = assignments.iter().map(|a| a.account_id.as_str()).collect();
    let sets: BTreeSet<&str> = assignments
        .iter()
        .map(|a| a.permission_set_arn.as_str())
        .collect();
    let admin = assignments
        .iter()
        .filter(|a| is_admin(dir, &a.permission_set_arn))
        .count();
    rows.heading(
        vec![
            Piece::new("Grants", Tone::Strong),
            Piece::new(
                format!(
                    "{} on {}",
                    plural(assignments.len(), "assignment", "assignments"),
                    plural(accounts.len(), "account", "accounts")
                ),
                Tone::Dim,
            ),
        ],
        None,
    );
    for a in &assignments {
        let status = status(dir, &a.account_id);
        let exports = by_grant
            .remove(&(a.account_id.as_str(), a.permission_set_arn.as_str()))
            .unwrap_or_default();
        rows.entry(
            vec![
                Piece::new(
                    account_cell(dir.account_name(&a.account_id), status),
                    if unusable(status) {
                        Tone::Danger
                    } else {
                        Tone::Normal
                    },
                ),
                permission_set_piece(dir, &a.permission_set_arn),
                Piece::new(
                    format!("reaches {}", plural(exports.len(), "user", "users")),
                    Tone::Dim,
                ),
            ],
            GROUP_GRANT_COLUMNS,
            Some(AccessTarget::Account(a.account_id.clone())),
            exports,
        );
    }
    if assignments.is_empty() {
        rows.note("no assignment: this group grants nothing");
    }

    let name = dir
        .groups
        .get(id)
        .map_or(id, |g| g.display_name.as_str())
        .to_string();
    let counts = vec![
        Piece::new(plural(members.len(), "member", "members"), Tone::Strong),
        Piece::new(plural(accounts.len(), "account", "accounts"), Tone::Normal),
        Piece::new(
            plural(sets.len(), "permission set", "permission sets"),
            Tone::Normal,
        ),
        Piece::new(
            format!("{admin} admin-level"),
            if admin == 0 { Tone::Dim } else { Tone::Danger },
        ),
        Piece::new(plural(paths.len(), "path", "paths"), Tone::Dim),
    ];
    Built {
        title: format!("Through group {name}"),
        kind: "group",
        name,
        counts,
        rows: rows.rows,
        paths,
    }
}

/// Where a permission set is provisioned and who holds it: a section per account (outdated
/// ones marked), a user per entry.
pub(super) fn permission_set(dir: &Directory, ix: &DirectoryIndex, arn: &str) -> Built {
    let paths = audit::access_with_permission_set(dir, ix, arn);
    let ps = dir.permission_sets.get(arn);
    let assignments: &[Assignment] = ix
        .assignments_of_permission_set
        .get(arn)
        .map_or(&[], Vec::as_slice);
    let provisioned: BTreeSet<&str> = ps
        .map(|p| p.provisioned_accounts.iter().map(String::as_str).collect())
        .unwrap_or_default();
    let mut by_account: HashMap<&str, Vec<usize>> = HashMap::new();
    for (i, p) in paths.iter().enumerate() {
        by_account
            .entry(p.account_id.as_str())
            .or_default()
            .push(i);
    }
    let mut accounts: Vec<&str> = assignments
        .iter()
        .map(|a| a.account_id.as_str())
        .chain(provisioned.iter().copied())
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect();
    accounts.sort_by_cached_key(|a| (dir.account_name(a).to_lowercase(), *a));

    let mut rows = Rows::default();
    let mut outdated = 0;
    let mut reached = 0;
    for account in &accounts {
        let idxs = by_account.remove(account).unwrap_or_default();
        let users: BTreeSet<&str> = idxs
            .iter()
            .filter_map(|i| paths.get(*i).map(|p| p.user_id.as_str()))
            .collect();
        if !users.is_empty() {
            reached += 1;
        }
        let mut heading = account_heading(dir, account);
        if ps.is_some_and(|p| p.is_outdated_on(account)) {
            outdated += 1;
            heading.push(Piece::new("⚠ outdated: needs reapplying", Tone::Warning));
        } else if !provisioned.contains(account) && ps.is_some() {
            heading.push(Piece::new("not provisioned", Tone::Warning));
        }
        heading.push(Piece::new(plural(users.len(), "user", "users"), Tone::Dim));
        rows.heading(heading, Some(AccessTarget::Account((*account).to_string())));
        user_entries(&mut rows, dir, &paths, idxs);
        let here: Vec<&Assignment> = assignments
            .iter()
            .filter(|a| a.account_id == *account)
            .collect();
        empty_group_notes(&mut rows, dir, here.iter().copied());
        if here.is_empty() {
            rows.note("provisioned, but nobody is assigned it here");
        }
    }
    let orphans = orphan_section(&mut rows, dir, assignments, |a| {
        let status = status(dir, &a.account_id);
        (
            Piece::new(
                account_cell(dir.account_name(&a.account_id), status),
                Tone::Normal,
            ),
            Some(AccessTarget::Account(a.account_id.clone())),
        )
    });
    if rows.rows.is_empty() {
        rows.heading(vec![Piece::new("Nowhere", Tone::Strong)], None);
        rows.note("neither provisioned nor assigned");
    }

    let users: BTreeSet<&str> = paths.iter().map(|p| p.user_id.as_str()).collect();
    let mut counts = Vec::new();
    if ps.is_some_and(|p| p.is_admin()) {
        counts.push(Piece::new("admin-level", Tone::Danger));
    }
    counts.extend([
        Piece::new(
            format!(
                "{} on {}",
                plural(users.len(), "user", "users"),
                plural(reached, "account", "accounts")
            ),
            Tone::Strong,
        ),
        Piece::new(
            format!(
                "provisioned to {}",
                plural(provisioned.len(), "account", "accounts")
            ),
            Tone::Normal,
        ),
        Piece::new(
            format!("{outdated} outdated"),
            if outdated == 0 {
                Tone::Dim
            } else {
                Tone::Warning
            },
        ),
        Piece::new(plural(paths.len(), "path", "paths"), Tone::Dim),
    ]);
    if orphans > 0 {
        counts.push(Piece::new(
            plural(orphans, "orphaned assignment", "orphaned assignments"),
            Tone::Danger,
        ));
    }
    let name = dir.permission_set_name(arn).to_string();
    Built {
        title: format!("Who holds {name}"),
        kind: "permission-set",
        name,
        counts,
        rows: rows.rows,
        paths,
    }
}
