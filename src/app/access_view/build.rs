//! The rows of the four access views, from the audit engine's paths.

use std::collections::{BTreeSet, HashMap};

use super::parts::{
    GRANT_COLUMNS, GROUP_GRANT_COLUMNS, MEMBER_COLUMNS, Rows, account_heading, empty_group_notes,
    is_admin, orphan_section, paths_text, permission_set_piece, plural, status, status_count,
    unusable, user_entries, user_name, user_ranks,
};
use super::{AccessTarget, Piece, Tone, ViewRow};
use crate::audit::{self, Access, Via};
use crate::model::{Assignment, Directory, DirectoryIndex, PrincipalType};
use crate::report::rows::account_cell;

/// A view before it has state: its rows and the paths they stand for.
pub(super) struct Built {
    pub title: String,
    pub kind: &'static str,
    pub name: String,
    pub counts: Vec<Piece>,
    pub rows: Vec<ViewRow>,
    /// Every path of the view, in no particular order; rows' `exports` index it.
    pub paths: Vec<Access>,
}

/// Who can reach an account: a section per permission set, a user per entry.
pub(super) fn account(dir: &Directory, id: &str) -> Built {
    let paths = audit::access_to_account(dir, id);
    let ranks = user_ranks(dir, &paths);
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
        heading.push(Piece::count(plural(users.len(), "user", "users")));
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
        user_entries(&mut rows, dir, &ranks, &paths, idxs);
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
            if admin_sets == 0 {
                "no admin-level set".to_string()
            } else {
                format!(
                    "{}: {}",
                    plural(admin_sets, "admin-level set", "admin-level sets"),
                    plural(admin_users.len(), "user", "users")
                )
            },
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

/// An account and, for each permission set on it, the indexes of the paths.
type Section<'a> = (&'a str, Vec<(&'a str, Vec<usize>)>);

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
    // `access_of_user` sorts by account, then permission set: sections and entries come in
    // that order (gathered by id, in case two permission sets share a name).
    let mut sections: Vec<Section> = Vec::new();
    for (i, p) in paths.iter().enumerate() {
        let account = p.account_id.as_str();
        let arn = p.permission_set_arn.as_str();
        if sections.last().is_none_or(|(a, _)| *a != account) {
            sections.push((account, Vec::new()));
        }
        if let Some((_, entries)) = sections.last_mut() {
            match entries.iter_mut().find(|(a, _)| *a == arn) {
                Some((_, mine)) => mine.push(i),
                None => entries.push((arn, vec![i])),
            }
        }
    }
    for (account, entries) in sections {
        accounts += 1;
        if unusable(status(dir, account)) {
            suspended += 1;
        }
        rows.heading(
            account_heading(dir, account, Vec::new()),
            Some(AccessTarget::Account(account.to_string())),
        );
        for (arn, mine) in entries {
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
            if admin_accounts.is_empty() {
                "no admin-level access".to_string()
            } else {
                format!(
                    "admin-level on {}",
                    plural(admin_accounts.len(), "account", "accounts")
                )
            },
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
            Piece::count(members.len().to_string()),
        ],
        None,
    );
    for u in &members {
        let user = dir.users.get(*u);
        rows.entry(
            vec![
                Piece::new(user_name(dir, u), Tone::Normal),
                Piece::new(
                    user.and_then(|x| x.display_name.clone())
                        .unwrap_or_default(),
                    Tone::Dim,
                ),
                Piece::new(
                    user.and_then(|x| x.email.clone())
                        .filter(|e| e != user_name(dir, u))
                        .unwrap_or_default(),
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

    let mut assignments: Vec<&Assignment> =
        ix.assignments_of(PrincipalType::Group, id).iter().collect();
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
            Piece::count(format!(
                "{} on {}",
                plural(assignments.len(), "assignment", "assignments"),
                plural(accounts.len(), "account", "accounts")
            )),
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
                Piece::count(format!(
                    "reaches {}",
                    plural(exports.len(), "user", "users")
                )),
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
            if admin == 0 {
                "no admin-level grant".to_string()
            } else {
                plural(admin, "admin-level grant", "admin-level grants")
            },
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
    let ranks = user_ranks(dir, &paths);
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
        by_account.entry(p.account_id.as_str()).or_default().push(i);
    }
    let mut accounts: Vec<&str> = assignments
        .iter()
        .map(|a| a.account_id.as_str())
        .chain(provisioned.iter().copied())
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect();
    accounts.sort_by_cached_key(|a| (dir.account_name(a).to_lowercase(), *a));

    let mut on_account: HashMap<&str, Vec<&Assignment>> = HashMap::new();
    for a in assignments {
        on_account.entry(a.account_id.as_str()).or_default().push(a);
    }
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
        let mut marks = Vec::new();
        if ps.is_some_and(|p| p.is_outdated_on(account)) {
            outdated += 1;
            marks.push(Piece::new("⚠ outdated: needs reapplying", Tone::Warning));
        } else if !provisioned.contains(account) && ps.is_some() {
            marks.push(Piece::new("not provisioned", Tone::Warning));
        }
        marks.push(Piece::count(plural(users.len(), "user", "users")));
        rows.heading(
            account_heading(dir, account, marks),
            Some(AccessTarget::Account((*account).to_string())),
        );
        user_entries(&mut rows, dir, &ranks, &paths, idxs);
        let here = on_account.remove(account).unwrap_or_default();
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
