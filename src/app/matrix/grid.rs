//! The lookups behind the matrix, built once per directory change (`Base`) and once per column
//! kind (`Grid`), so that neither a frame nor a filter keystroke ever scans the assignments.

use std::collections::{BTreeSet, HashMap, HashSet};
use std::hash::{BuildHasherDefault, Hasher};

use unicode_width::UnicodeWidthStr;

use super::{ColumnKind, MatrixColumn};
use crate::model::{Directory, DirectoryIndex, PrincipalType};

/// Depth-limited so that a cycle in malformed input cannot loop forever.
pub(super) const MAX_DEPTH: usize = 64;

/// Two interned indices as one hash key.
pub(super) fn key(a: u32, b: u32) -> u64 {
    (u64::from(a) << 32) | u64::from(b)
}

/// A fast hash for the lookups' keys (integers, ids, ARNs): words of the input mixed in
/// (as `FxHash` does) and the `SplitMix64` finalizer on top, so that every bit is well spread
/// for the table's bucket index and control bytes. Far cheaper than `SipHash`, and the keys
/// come from AWS, not from an attacker.
#[derive(Default)]
pub(super) struct KeyHasher(u64);

impl KeyHasher {
    fn add(&mut self, word: u64) {
        self.0 = (self.0.rotate_left(5) ^ word).wrapping_mul(0x517c_c1b7_2722_0a95);
    }
}

impl Hasher for KeyHasher {
    fn finish(&self) -> u64 {
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    fn write(&mut self, bytes: &[u8]) {
        let mut chunks = bytes.chunks_exact(8);
        for chunk in &mut chunks {
            let mut word = [0; 8];
            word.copy_from_slice(chunk);
            self.add(u64::from_le_bytes(word));
        }
        let mut last = [0; 8];
        let rest = chunks.remainder();
        last[..rest.len()].copy_from_slice(rest);
        self.add(u64::from_le_bytes(last));
    }

    fn write_u64(&mut self, n: u64) {
        self.add(n);
    }
}

/// An id or ARN to its index in the lookups.
pub(super) type IdMap = HashMap<String, u32, BuildHasherDefault<KeyHasher>>;

pub(super) type KeyMap<V> = HashMap<u64, V, BuildHasherDefault<KeyHasher>>;

pub(super) fn index_of(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

#[derive(Debug)]
pub(super) struct PsInfo {
    pub arn: String,
    pub label: String,
    pub admin: bool,
}

/// What does not depend on the column kind.
#[derive(Debug, Default)]
pub(super) struct Base {
    pub account_ix: IdMap,
    /// Account ids by index.
    pub account_ids: Vec<String>,
    /// "name id" of every account, by index: what the row filter matches.
    pub haystacks: Vec<String>,
    pub ou_ix: IdMap,
    /// The OUs above each account, by account index.
    pub ancestors: Vec<Vec<u32>>,
    /// Every permission set (known or only referenced by an assignment), in label order.
    pub ps: Vec<PsInfo>,
    pub ps_ix: IdMap,
    /// (account, permission set) pairs that need reapplying.
    pub outdated: HashSet<u64, BuildHasherDefault<KeyHasher>>,
    /// The widest row label of the fully expanded tree, indentation included.
    pub label_width: usize,
}

impl Base {
    pub fn build(dir: &Directory, ix: &DirectoryIndex) -> Self {
        let mut base = Self::default();
        for (i, ou) in dir.ous.keys().enumerate() {
            base.ou_ix.insert(ou.clone(), index_of(i));
        }
        let ou_depth = |id: &str| chain(dir, Some(id)).len().saturating_sub(1);
        base.label_width = dir
            .ous
            .values()
            .map(|o| 2 * ou_depth(&o.id) + 2 + o.name.width())
            .max()
            .unwrap_or(0);
        base.haystacks.reserve(dir.accounts.len());
        for (i, account) in dir.accounts.values().enumerate() {
            base.account_ix.insert(account.id.clone(), index_of(i));
            base.account_ids.push(account.id.clone());
            base.haystacks
                .push(format!("{} {}", account.name, account.id));
            let above: Vec<u32> = chain(dir, account.parent_id.as_deref())
                .iter()
                .filter_map(|o| base.ou_ix.get(*o).copied())
                .collect();
            let depth = above.len();
            let indent = if depth > 0 { 2 * depth + 2 } else { 0 };
            base.label_width = base.label_width.max(indent + account.name.width());
            base.ancestors.push(above);
        }
        // The index knows every set an assignment references: no need to scan them again.
        let referenced = ix.assignments_of_permission_set.keys().map(String::as_str);
        let labels = super::labels_with(dir, referenced);
        let mut ps: Vec<PsInfo> = labels
            .into_iter()
            .map(|(arn, label)| PsInfo {
                admin: dir
                    .permission_sets
                    .get(&arn)
                    .is_some_and(crate::model::PermissionSet::is_admin),
                arn,
                label,
            })
            .collect();
        ps.sort_by(|a, b| (a.label.to_lowercase(), &a.arn).cmp(&(b.label.to_lowercase(), &b.arn)));
        for (i, p) in ps.iter().enumerate() {
            base.ps_ix.insert(p.arn.clone(), index_of(i));
        }
        base.ps = ps;
        for p in dir.permission_sets.values() {
            let Some(&ps) = base.ps_ix.get(&p.arn) else {
                continue;
            };
            for account in &p.outdated_accounts {
                if let Some(&a) = base.account_ix.get(account) {
                    base.outdated.insert(key(a, ps));
                }
            }
        }
        base
    }
}

/// The OU ids from `start` up to its root, nearest first, as far as they are known.
fn chain<'a>(dir: &'a Directory, start: Option<&'a str>) -> Vec<&'a str> {
    let mut out = Vec::new();
    let mut next = start;
    while let Some(id) = next {
        let Some(ou) = dir.ous.get(id) else { break };
        if out.len() > MAX_DEPTH {
            break;
        }
        out.push(ou.id.as_str());
        next = ou.parent_id.as_deref();
    }
    out
}

#[derive(Debug)]
pub(super) struct ColumnInfo {
    pub column: MatrixColumn,
    /// The full name, for the footer.
    pub name: String,
    /// What the column header shows.
    pub short: String,
    /// A principal that no longer exists but still holds assignments.
    pub deleted: bool,
    /// The permission set of a permission-set column.
    pub ps: Option<u32>,
}

/// The columns of one kind and what their cells hold.
#[derive(Debug, Default)]
pub(super) struct Grid {
    pub columns: Vec<ColumnInfo>,
    /// Column by principal id or permission set ARN.
    pub column_ix: IdMap,
    /// What the column filter matches, by column.
    pub haystacks: Vec<String>,
    /// Every assignment as its (account, column) key and its permission set, sorted: a cell
    /// is a run of it. One flat vector sorts faster than thousands of small ones fill.
    cells: Vec<(u64, u32)>,
    /// (OU, column) → assignments in the column on accounts anywhere below the OU.
    pub rollups: KeyMap<u32>,
}

impl Grid {
    pub fn build(
        kind: ColumnKind,
        dir: &Directory,
        ix: &DirectoryIndex,
        base: &Base,
        plan_users: &BTreeSet<String>,
    ) -> Self {
        let mut grid = Self::default();
        match kind {
            ColumnKind::Groups => grid.principal_columns(dir, ix, PrincipalType::Group, None),
            ColumnKind::Users => {
                grid.principal_columns(dir, ix, PrincipalType::User, Some(plan_users));
            }
            ColumnKind::PermissionSets => grid.permission_set_columns(dir, base),
        }
        for (i, c) in grid.columns.iter().enumerate() {
            let id = match &c.column {
                MatrixColumn::Group(id) | MatrixColumn::User(id) => id,
                MatrixColumn::PermissionSet(arn) => arn,
            };
            grid.column_ix.insert(id.clone(), index_of(i));
        }
        grid.fill(ix, base);
        grid
    }

    /// Every group (or every user with a direct assignment), by name, then the deleted ones
    /// that still hold assignments, by id.
    fn principal_columns(
        &mut self,
        dir: &Directory,
        ix: &DirectoryIndex,
        kind: PrincipalType,
        extra: Option<&BTreeSet<String>>,
    ) {
        let mut live: Vec<(String, String)> = Vec::new();
        let mut deleted: Vec<String> = Vec::new();
        let held = ix
            .assignments_of_principal
            .keys()
            .filter(|p| p.principal_type == kind)
            .map(|p| p.principal_id.as_str());
        match kind {
            PrincipalType::Group => {
                live.extend(
                    dir.groups
                        .values()
                        .map(|g| (g.display_name.to_lowercase(), g.id.clone())),
                );
                deleted.extend(
                    held.filter(|id| !dir.groups.contains_key(*id))
                        .map(str::to_string),
                );
            }
            PrincipalType::User => {
                let ids: BTreeSet<&str> = held
                    .chain(extra.into_iter().flatten().map(String::as_str))
                    .collect();
                for id in ids {
                    match dir.users.get(id) {
                        Some(u) => live.push((u.user_name.to_lowercase(), id.to_string())),
                        None if ix.assignments_of(kind, id).is_empty() => {}
                        None => deleted.push(id.to_string()),
                    }
                }
            }
        }
        live.sort();
        deleted.sort();
        for (_, id) in live {
            let (name, short, haystack) = match kind {
                PrincipalType::Group => {
                    let name = dir.groups.get(&id).map_or("", |g| g.display_name.as_str());
                    (name.to_string(), name.to_string(), name.to_string())
                }
                PrincipalType::User => {
                    let (user, display) = dir.users.get(&id).map_or(("", ""), |u| {
                        (
                            u.user_name.as_str(),
                            u.display_name.as_deref().unwrap_or(""),
                        )
                    });
                    let local = user.split('@').next().unwrap_or(user);
                    let name = if display.is_empty() {
                        user.to_string()
                    } else {
                        format!("{user} ({display})")
                    };
                    (name, local.to_string(), format!("{user} {display}"))
                }
            };
            self.push(principal(kind, id), name, short, haystack, false);
        }
        for id in deleted {
            let name = format!("deleted {} {id}", kind.as_str().to_lowercase());
            self.push(
                principal(kind, id),
                name.clone(),
                "deleted".into(),
                name,
                true,
            );
        }
    }

    fn permission_set_columns(&mut self, dir: &Directory, base: &Base) {
        let mut sets: Vec<(String, &str, u32)> = base
            .ps
            .iter()
            .enumerate()
            .map(|(i, p)| {
                let name = dir.permission_set_name(&p.arn);
                (name.to_lowercase(), p.arn.as_str(), index_of(i))
            })
            .collect();
        sets.sort();
        for (_, arn, i) in sets {
            let name = dir.permission_set_name(arn).to_string();
            self.columns.push(ColumnInfo {
                column: MatrixColumn::PermissionSet(arn.to_string()),
                short: name.clone(),
                name: name.clone(),
                deleted: !dir.permission_sets.contains_key(arn),
                ps: Some(i),
            });
            self.haystacks.push(name);
        }
    }

    fn push(
        &mut self,
        column: MatrixColumn,
        name: String,
        short: String,
        haystack: String,
        deleted: bool,
    ) {
        self.columns.push(ColumnInfo {
            column,
            name,
            short,
            deleted,
            ps: None,
        });
        self.haystacks.push(haystack);
    }

    fn fill(&mut self, ix: &DirectoryIndex, base: &Base) {
        let total: usize = ix
            .assignments_of_permission_set
            .values()
            .map(Vec::len)
            .sum();
        self.cells.reserve(total);
        for (c, info) in self.columns.iter().enumerate() {
            let c = index_of(c);
            let assignments = match &info.column {
                MatrixColumn::Group(id) => ix.assignments_of(PrincipalType::Group, id),
                MatrixColumn::User(id) => ix.assignments_of(PrincipalType::User, id),
                MatrixColumn::PermissionSet(arn) => ix
                    .assignments_of_permission_set
                    .get(arn)
                    .map_or(&[][..], Vec::as_slice),
            };
            for a in assignments {
                let (Some(&account), Some(&ps)) = (
                    base.account_ix.get(&a.account_id),
                    base.ps_ix.get(&a.permission_set_arn),
                ) else {
                    continue;
                };
                self.cells.push((key(account, c), ps));
            }
        }
        // Permission sets are numbered in label order, so a cell's run is in label order too.
        self.cells.sort_unstable();
        self.rollups.reserve(self.cells.len() / 2);
        let mut i = 0;
        while let Some(&(k, _)) = self.cells.get(i) {
            let run = self.cells[i..].partition_point(|e| e.0 == k);
            let (account, column) = ((k >> 32) as usize, (k & 0xffff_ffff) as u32);
            for &ou in base.ancestors.get(account).into_iter().flatten() {
                *self.rollups.entry(key(ou, column)).or_default() += index_of(run);
            }
            i += run;
        }
    }

    /// The permission sets of a cell: one per assignment (a permission-set column's cell
    /// holds the same set once per principal).
    pub fn cell(&self, k: u64) -> impl ExactSizeIterator<Item = u32> + '_ {
        let start = self.cells.partition_point(|e| e.0 < k);
        let len = self.cells[start..].partition_point(|e| e.0 == k);
        self.cells[start..start + len].iter().map(|e| e.1)
    }
}

fn principal(kind: PrincipalType, id: String) -> MatrixColumn {
    match kind {
        PrincipalType::Group => MatrixColumn::Group(id),
        PrincipalType::User => MatrixColumn::User(id),
    }
}
