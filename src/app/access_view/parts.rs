//! The pieces the access views are made of: sections and entries, names and marks, users
//! with their paths, notes and orphans.

use std::collections::{BTreeSet, HashMap};

use super::{AccessTarget, Piece, RowKind, Tone, ViewRow};
use crate::audit::{Access, Via};
use crate::model::{AccountStatus, Assignment, Directory, PrincipalType};

/// User name, display name, paths.
pub(super) const USER_COLUMNS: &[u16] = &[5, 3, 4];
/// Permission set, paths, provisioning.
pub(super) const GRANT_COLUMNS: &[u16] = &[3, 6, 2];
/// User name, display name, email (when it is not the user name).
pub(super) const MEMBER_COLUMNS: &[u16] = &[4, 3, 4];
/// Account, permission set, who it reaches.
pub(super) const GROUP_GRANT_COLUMNS: &[u16] = &[5, 4, 2];
/// One wide column, for notes.
pub(super) const NOTE_COLUMNS: &[u16] = &[1];

#[derive(Default)]
pub(super) struct Rows {
    pub(super) rows: Vec<ViewRow>,
    section: usize,
}

impl Rows {
    pub(super) fn heading(&mut self, cells: Vec<Piece>, target: Option<AccessTarget>) {
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

    pub(super) fn entry(
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

    pub(super) fn note(&mut self, text: impl Into<String>) {
        self.entry(
            vec![Piece::new(text, Tone::Dim)],
            NOTE_COLUMNS,
            None,
            Vec::new(),
        );
    }
}

pub(super) fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

pub(super) fn is_admin(dir: &Directory, arn: &str) -> bool {
    dir.permission_sets.get(arn).is_some_and(|p| p.is_admin())
}

pub(super) fn status(dir: &Directory, account_id: &str) -> AccountStatus {
    dir.accounts
        .get(account_id)
        .map_or(AccountStatus::Unknown, |a| a.status)
}

pub(super) fn unusable(status: AccountStatus) -> bool {
    matches!(
        status,
        AccountStatus::Suspended | AccountStatus::PendingClosure
    )
}

pub(super) fn user_name<'a>(dir: &'a Directory, id: &'a str) -> &'a str {
    dir.users.get(id).map_or(id, |u| u.user_name.as_str())
}

/// A permission set's name, red when it is admin-level.
pub(super) fn permission_set_piece(dir: &Directory, arn: &str) -> Piece {
    let tone = if is_admin(dir, arn) {
        Tone::Danger
    } else {
        Tone::Normal
    };
    Piece::new(dir.permission_set_name(arn), tone)
}

/// The heading of an account: name, its status when it cannot be used, `marks`, id, OU path.
/// What matters most comes first, as a long heading is cut on the right.
pub(super) fn account_heading(dir: &Directory, id: &str, marks: Vec<Piece>) -> Vec<Piece> {
    let status = status(dir, id);
    let mut cells = vec![Piece::new(
        dir.account_name(id),
        if unusable(status) {
            Tone::Danger
        } else {
            Tone::Strong
        },
    )];
    if unusable(status) {
        cells.push(Piece::new(format!("[{}]", status.label()), Tone::Danger));
    }
    cells.extend(marks);
    cells.push(Piece::new(id, Tone::Dim));
    let ou = dir.account_ou_path(id);
    if !ou.is_empty() {
        cells.push(Piece::new(ou, Tone::Dim));
    }
    cells
}

/// `direct, via Platform, via SRE`: direct first, then groups by name.
pub(super) fn paths_text(dir: &Directory, vias: &[&Via]) -> String {
    if let [one] = vias {
        return match one {
            Via::Direct => "direct".to_string(),
            Via::Group(_) => format!("via {}", one.label(dir)),
        };
    }
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

/// Each user of `paths` by its place in the order of user names (ignoring case, then by id),
/// worked out once per view: a permission set's view sorts tens of thousands of entries.
pub(super) fn user_ranks<'a>(dir: &Directory, paths: &'a [Access]) -> HashMap<&'a str, usize> {
    let distinct: BTreeSet<&str> = paths.iter().map(|p| p.user_id.as_str()).collect();
    let mut order: Vec<(String, &str)> = distinct
        .into_iter()
        .map(|u| (user_name(dir, u).to_lowercase(), u))
        .collect();
    order.sort_unstable();
    order
        .into_iter()
        .enumerate()
        .map(|(i, (_, u))| (u, i))
        .collect()
}

/// The users among `paths[idxs]`, by user name, each with the indexes of its paths.
pub(super) fn by_user<'a>(
    ranks: &HashMap<&str, usize>,
    paths: &'a [Access],
    idxs: impl IntoIterator<Item = usize>,
) -> Vec<(&'a str, Vec<usize>)> {
    let mut map: HashMap<&str, Vec<usize>> = HashMap::new();
    for i in idxs {
        if let Some(p) = paths.get(i) {
            map.entry(p.user_id.as_str()).or_default().push(i);
        }
    }
    let mut users: Vec<(Option<usize>, &str, Vec<usize>)> = map
        .into_iter()
        .map(|(u, mine)| (ranks.get(u).copied(), u, mine))
        .collect();
    users.sort_unstable_by_key(|(rank, u, _)| (*rank, *u));
    users.into_iter().map(|(_, u, mine)| (u, mine)).collect()
}

/// One entry per user of `paths[idxs]`: user name, display name, paths.
pub(super) fn user_entries(
    rows: &mut Rows,
    dir: &Directory,
    ranks: &HashMap<&str, usize>,
    paths: &[Access],
    idxs: Vec<usize>,
) -> usize {
    let users = by_user(ranks, paths, idxs);
    let count = users.len();
    for (user_id, mine) in users {
        let vias: Vec<&Via> = mine
            .iter()
            .filter_map(|i| paths.get(*i).map(|p| &p.via))
            .collect();
        let user = dir.users.get(user_id);
        rows.entry(
            vec![
                Piece::new(user.map_or(user_id, |u| u.user_name.as_str()), Tone::Normal),
                Piece::new(
                    user.and_then(|u| u.display_name.clone())
                        .unwrap_or_default(),
                    Tone::Dim,
                ),
                Piece::new(paths_text(dir, &vias), Tone::Normal),
            ],
            USER_COLUMNS,
            Some(AccessTarget::User(user_id.to_string())),
            mine,
        );
    }
    count
}

/// Notes for the groups among `assignments` that exist but have no (existing) members: their
/// grant reaches nobody, which is worth seeing (an empty break-glass group, say).
pub(super) fn empty_group_notes<'a>(
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
        if !dir.members_of(&group.id).any(|u| dir.users.contains_key(u)) {
            rows.note(format!(
                "group {} has no members: this grant reaches nobody",
                group.display_name
            ));
        }
    }
}

/// A section of the orphaned assignments among `assignments`, if any; `describe` says what
/// each one is on.
pub(super) fn orphan_section<'a>(
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
            Piece::count(format!(
                "{}: the group or user was deleted; they reach nobody",
                orphans.len()
            )),
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

pub(super) fn status_count(status: AccountStatus) -> Option<Piece> {
    unusable(status).then(|| Piece::new(status.label(), Tone::Danger))
}
