//! What each pane lists, in order: the accounts tree with OUs, groups, users and permission
//! sets, and the text the fuzzy filter matches against.

use std::collections::{HashMap, HashSet};

use crate::model::{Directory, DirectoryIndex};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum PaneId {
    Accounts,
    Groups,
    Users,
    PermissionSets,
    /// Accounts × groups (or users, or permission sets); its state is `App::matrix`.
    Matrix,
}

impl PaneId {
    pub const ALL: [PaneId; 5] = [
        PaneId::Accounts,
        PaneId::Groups,
        PaneId::Users,
        PaneId::PermissionSets,
        PaneId::Matrix,
    ];

    pub fn index(self) -> usize {
        match self {
            PaneId::Accounts => 0,
            PaneId::Groups => 1,
            PaneId::Users => 2,
            PaneId::PermissionSets => 3,
            PaneId::Matrix => 4,
        }
    }

    pub fn title(self) -> &'static str {
        match self {
            PaneId::Accounts => "Accounts",
            PaneId::Groups => "Groups",
            PaneId::Users => "Users",
            PaneId::PermissionSets => "Permission sets",
            PaneId::Matrix => "Matrix",
        }
    }

    pub fn next(self) -> PaneId {
        PaneId::ALL[(self.index() + 1) % PaneId::ALL.len()]
    }

    pub fn prev(self) -> PaneId {
        PaneId::ALL[(self.index() + PaneId::ALL.len() - 1) % PaneId::ALL.len()]
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Item {
    Ou {
        id: String,
        depth: usize,
        expanded: bool,
        /// Accounts anywhere below this OU.
        accounts: usize,
    },
    Account {
        id: String,
        depth: usize,
    },
    Group(String),
    User(String),
    PermissionSet(String),
}

/// A row on screen: the item and, under a filter, the matched character positions of its
/// filter text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Row {
    pub item: Item,
    pub matched: Vec<usize>,
}

/// The pane's items with no filter applied.
pub fn items(
    pane: PaneId,
    dir: &Directory,
    ix: &DirectoryIndex,
    collapsed: &HashSet<String>,
) -> Vec<Item> {
    match pane {
        PaneId::Matrix => Vec::new(),
        PaneId::Accounts => account_tree(dir, ix, collapsed),
        PaneId::Groups => sorted(
            dir.groups
                .values()
                .map(|g| (g.display_name.to_lowercase(), g.id.clone())),
        )
        .map(Item::Group)
        .collect(),
        PaneId::Users => sorted(
            dir.users
                .values()
                .map(|u| (u.user_name.to_lowercase(), u.id.clone())),
        )
        .map(Item::User)
        .collect(),
        PaneId::PermissionSets => sorted(
            dir.permission_sets
                .values()
                .map(|p| (p.name.to_lowercase(), p.arn.clone())),
        )
        .map(Item::PermissionSet)
        .collect(),
    }
}

/// Under a filter the accounts pane lists accounts alone, flat, by name.
pub fn filterable_items(
    pane: PaneId,
    dir: &Directory,
    ix: &DirectoryIndex,
    collapsed: &HashSet<String>,
) -> Vec<Item> {
    match pane {
        PaneId::Accounts => sorted(
            dir.accounts
                .values()
                .map(|a| (a.name.to_lowercase(), a.id.clone())),
        )
        .map(|id| Item::Account { id, depth: 0 })
        .collect(),
        _ => items(pane, dir, ix, collapsed),
    }
}

/// The text the filter matches: the columns that show it, joined by single spaces.
pub fn filter_text(item: &Item, dir: &Directory) -> String {
    match item {
        Item::Ou { id, .. } => dir.ous.get(id).map(|o| o.name.clone()).unwrap_or_default(),
        Item::Account { id, .. } => format!("{} {id}", dir.account_name(id)),
        Item::Group(id) => dir
            .groups
            .get(id)
            .map(|g| g.display_name.clone())
            .unwrap_or_default(),
        Item::User(id) => dir
            .users
            .get(id)
            .map(|u| {
                format!(
                    "{} {}",
                    u.user_name,
                    u.display_name.as_deref().unwrap_or("")
                )
            })
            .unwrap_or_default(),
        Item::PermissionSet(arn) => dir.permission_set_name(arn).to_string(),
    }
}

fn sorted(keys: impl Iterator<Item = (String, String)>) -> impl Iterator<Item = String> {
    let mut v: Vec<(String, String)> = keys.collect();
    v.sort();
    v.into_iter().map(|(_, id)| id)
}

fn account_tree(dir: &Directory, ix: &DirectoryIndex, collapsed: &HashSet<String>) -> Vec<Item> {
    let mut counts = HashMap::new();
    for root in &ix.roots {
        count_accounts(root, ix, &mut counts, 0);
    }
    let mut out = Vec::with_capacity(dir.ous.len() + dir.accounts.len());
    for root in &ix.roots {
        push_ou(root, 0, ix, collapsed, &counts, &mut out);
    }
    out.extend(ix.orphan_accounts.iter().map(|id| Item::Account {
        id: id.clone(),
        depth: 0,
    }));
    out
}

/// Depth-limited so that a cycle in malformed input cannot recurse forever.
const MAX_DEPTH: usize = 64;

fn count_accounts(
    ou: &str,
    ix: &DirectoryIndex,
    counts: &mut HashMap<String, usize>,
    depth: usize,
) -> usize {
    if depth > MAX_DEPTH {
        return 0;
    }
    let own = ix.child_accounts.get(ou).map_or(0, Vec::len);
    let below: usize = ix
        .child_ous
        .get(ou)
        .map(|children| {
            children
                .iter()
                .map(|c| count_accounts(c, ix, counts, depth + 1))
                .sum()
        })
        .unwrap_or(0);
    counts.insert(ou.to_string(), own + below);
    own + below
}

fn push_ou(
    ou: &str,
    depth: usize,
    ix: &DirectoryIndex,
    collapsed: &HashSet<String>,
    counts: &HashMap<String, usize>,
    out: &mut Vec<Item>,
) {
    if depth > MAX_DEPTH {
        return;
    }
    let expanded = !collapsed.contains(ou);
    out.push(Item::Ou {
        id: ou.to_string(),
        depth,
        expanded,
        accounts: counts.get(ou).copied().unwrap_or(0),
    });
    if !expanded {
        return;
    }
    for child in ix.child_ous.get(ou).into_iter().flatten() {
        push_ou(child, depth + 1, ix, collapsed, counts, out);
    }
    out.extend(
        ix.child_accounts
            .get(ou)
            .into_iter()
            .flatten()
            .map(|id| Item::Account {
                id: id.clone(),
                depth: depth + 1,
            }),
    );
}
