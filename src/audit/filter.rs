//! Narrowing an audit to accounts, users, groups and permission sets named on the command
//! line, with suggestions when a name matches nothing.

use std::collections::BTreeSet;
use std::fmt;

use super::access::{Access, Via};
use super::suggest::closest;
use crate::model::{Assignment, Directory, PrincipalType};

/// How many close names an unknown name suggests.
const SUGGESTIONS: usize = 3;

/// What to narrow to, as typed: names or ids, `None` for any.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct AccessQuery {
    /// An account id or name.
    pub account: Option<String>,
    /// A user name (or user id).
    pub user: Option<String>,
    /// A group display name (or group id): only the paths through that group.
    pub group: Option<String>,
    /// A permission set name (or ARN).
    pub permission_set: Option<String>,
    /// Only permission sets that grant full administrative access
    /// ([`crate::model::PermissionSet::is_admin`]).
    pub admin: bool,
}

/// A query resolved to ids; `None` matches anything.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct AccessFilter {
    pub accounts: Option<BTreeSet<String>>,
    pub users: Option<BTreeSet<String>>,
    pub groups: Option<BTreeSet<String>>,
    pub permission_sets: Option<BTreeSet<String>>,
}

/// The kinds of name a filter can hold.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NameKind {
    Account,
    User,
    Group,
    PermissionSet,
}

impl NameKind {
    /// The command-line flag that takes this kind of name.
    pub fn flag(self) -> &'static str {
        match self {
            NameKind::Account => "--account",
            NameKind::User => "--user",
            NameKind::Group => "--group",
            NameKind::PermissionSet => "--permission-set",
        }
    }

    fn no_match(self) -> &'static str {
        match self {
            NameKind::Account => "no account has this id or name",
            NameKind::User => "no user has this user name or id",
            NameKind::Group => "no group has this name or id",
            NameKind::PermissionSet => "no permission set has this name or ARN",
        }
    }
}

/// A name that matched nothing, with the closest existing names.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UnknownName {
    pub kind: NameKind,
    pub query: String,
    pub suggestions: Vec<String>,
}

impl fmt::Display for UnknownName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} \"{}\": {}",
            self.kind.flag(),
            self.query,
            self.kind.no_match()
        )?;
        match self.suggestions.as_slice() {
            [] => write!(f, " (and none is close)"),
            names => {
                let quoted: Vec<String> = names.iter().map(|n| format!("\"{n}\"")).collect();
                write!(f, "; did you mean {}?", join_or(&quoted))
            }
        }
    }
}

/// Every name of a query that matched nothing, one per line.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub struct UnknownNames(pub Vec<UnknownName>);

impl fmt::Display for UnknownNames {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, name) in self.0.iter().enumerate() {
            if i > 0 {
                writeln!(f)?;
            }
            write!(f, "{name}")?;
        }
        Ok(())
    }
}

fn join_or(items: &[String]) -> String {
    match items {
        [] => String::new(),
        [one] => one.clone(),
        [init @ .., last] => format!("{} or {last}", init.join(", ")),
    }
}

/// The ids whose key equals `query`: exactly first, then ignoring case.
fn lookup<'a>(
    query: &str,
    keyed: impl Iterator<Item = (&'a str, &'a str)> + Clone,
) -> BTreeSet<String> {
    let exact: BTreeSet<String> = keyed
        .clone()
        .filter(|(key, _)| *key == query)
        .map(|(_, id)| id.to_string())
        .collect();
    if !exact.is_empty() {
        return exact;
    }
    let lower = query.to_lowercase();
    keyed
        .filter(|(key, _)| key.to_lowercase() == lower)
        .map(|(_, id)| id.to_string())
        .collect()
}

impl AccessQuery {
    pub fn is_empty(&self) -> bool {
        *self == Self::default()
    }

    /// Resolves every name against the directory; fails with all the names that match nothing.
    pub fn resolve(&self, dir: &Directory) -> Result<AccessFilter, UnknownNames> {
        let mut unknown = Vec::new();
        // An id-like account is compared with ids for suggestions, anything else with names.
        let digits = self
            .account
            .as_deref()
            .is_some_and(|q| !q.is_empty() && q.chars().all(|c| c.is_ascii_digit()));
        let filter = AccessFilter {
            accounts: resolve_one(
                NameKind::Account,
                self.account.as_deref(),
                |q| {
                    let ids = dir
                        .accounts
                        .values()
                        .map(|a| (a.id.as_str(), a.id.as_str()));
                    let names = dir
                        .accounts
                        .values()
                        .map(|a| (a.name.as_str(), a.id.as_str()));
                    lookup(q, ids.chain(names))
                },
                || {
                    dir.accounts
                        .values()
                        .map(|a| {
                            if digits {
                                a.id.as_str()
                            } else {
                                a.name.as_str()
                            }
                        })
                        .collect()
                },
                &mut unknown,
            ),
            users: resolve_one(
                NameKind::User,
                self.user.as_deref(),
                |q| {
                    let names = dir
                        .users
                        .values()
                        .map(|u| (u.user_name.as_str(), u.id.as_str()));
                    let ids = dir.users.keys().map(|id| (id.as_str(), id.as_str()));
                    lookup(q, names.chain(ids))
                },
                || dir.users.values().map(|u| u.user_name.as_str()).collect(),
                &mut unknown,
            ),
            groups: resolve_one(
                NameKind::Group,
                self.group.as_deref(),
                |q| {
                    let names = dir
                        .groups
                        .values()
                        .map(|g| (g.display_name.as_str(), g.id.as_str()));
                    let ids = dir.groups.keys().map(|id| (id.as_str(), id.as_str()));
                    lookup(q, names.chain(ids))
                },
                || {
                    dir.groups
                        .values()
                        .map(|g| g.display_name.as_str())
                        .collect()
                },
                &mut unknown,
            ),
            permission_sets: resolve_one(
                NameKind::PermissionSet,
                self.permission_set.as_deref(),
                |q| {
                    let names = dir
                        .permission_sets
                        .values()
                        .map(|p| (p.name.as_str(), p.arn.as_str()));
                    let arns = dir.permission_sets.keys().map(|a| (a.as_str(), a.as_str()));
                    lookup(q, names.chain(arns))
                },
                || {
                    dir.permission_sets
                        .values()
                        .map(|p| p.name.as_str())
                        .collect()
                },
                &mut unknown,
            ),
        };
        let mut filter = filter;
        if self.admin {
            let admin: BTreeSet<String> = dir
                .permission_sets
                .values()
                .filter(|p| p.is_admin())
                .map(|p| p.arn.clone())
                .collect();
            filter.permission_sets = Some(match filter.permission_sets {
                Some(named) => named.intersection(&admin).cloned().collect(),
                None => admin,
            });
        }
        if unknown.is_empty() {
            Ok(filter)
        } else {
            Err(UnknownNames(unknown))
        }
    }
}

/// The ids `query` names, or `None` when no query was given; a query that names nothing is
/// added to `unknown` with the closest names.
fn resolve_one<'d>(
    kind: NameKind,
    query: Option<&str>,
    ids: impl Fn(&str) -> BTreeSet<String>,
    names: impl Fn() -> Vec<&'d str>,
    unknown: &mut Vec<UnknownName>,
) -> Option<BTreeSet<String>> {
    let query = query?;
    let found = ids(query);
    if found.is_empty() {
        unknown.push(UnknownName {
            kind,
            query: query.to_string(),
            suggestions: closest(query, names(), SUGGESTIONS)
                .into_iter()
                .map(str::to_string)
                .collect(),
        });
    }
    Some(found)
}

fn allows(set: Option<&BTreeSet<String>>, id: &str) -> bool {
    set.is_none_or(|s| s.contains(id))
}

impl AccessFilter {
    /// Whether a path passes: every filter given must match (a group filter keeps only the
    /// paths through that group).
    pub fn matches(&self, a: &Access) -> bool {
        allows(self.accounts.as_ref(), &a.account_id)
            && allows(self.permission_sets.as_ref(), &a.permission_set_arn)
            && allows(self.users.as_ref(), &a.user_id)
            && match (&self.groups, &a.via) {
                (None, _) => true,
                (Some(groups), Via::Group(g)) => groups.contains(g),
                (Some(_), Via::Direct) => false,
            }
    }

    /// Whether an assignment passes: a user filter keeps only that user's direct assignments, a
    /// group filter only that group's.
    pub fn matches_assignment(&self, a: &Assignment) -> bool {
        let principal = |set: Option<&BTreeSet<String>>, kind: PrincipalType| {
            set.is_none_or(|s| a.principal_type == kind && s.contains(&a.principal_id))
        };
        allows(self.accounts.as_ref(), &a.account_id)
            && allows(self.permission_sets.as_ref(), &a.permission_set_arn)
            && principal(self.users.as_ref(), PrincipalType::User)
            && principal(self.groups.as_ref(), PrincipalType::Group)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Account, AccountStatus, Group, PermissionSet, User};

    fn dir() -> Directory {
        let mut d = Directory::default();
        let account = |id: &str, name: &str| Account {
            id: id.into(),
            name: name.into(),
            email: String::new(),
            status: AccountStatus::Active,
            parent_id: None,
        };
        d.add_accounts([
            account("111111111111", "payments-prod"),
            account("222222222222", "payments-dev"),
            account("333333333333", "Payments-Prod"),
        ]);
        d.add_users([User {
            id: "u-1".into(),
            user_name: "maria@example.com".into(),
            display_name: None,
            email: None,
            external_ids: Vec::new(),
        }]);
        d.add_groups([Group {
            id: "g-1".into(),
            display_name: "Developers".into(),
            description: None,
            external_ids: Vec::new(),
        }]);
        d.add_permission_sets([PermissionSet {
            arn: "arn:ps/admin".into(),
            name: "AdministratorAccess".into(),
            ..PermissionSet::default()
        }]);
        d
    }

    fn query(account: &str) -> AccessQuery {
        AccessQuery {
            account: Some(account.into()),
            ..AccessQuery::default()
        }
    }

    fn ids(set: &[&str]) -> Option<BTreeSet<String>> {
        Some(set.iter().map(|s| (*s).to_string()).collect())
    }

    #[test]
    fn names_match_exactly_first_then_ignoring_case_and_ids_match_too() {
        let d = dir();
        let f = query("payments-prod").resolve(&d).expect("resolves");
        assert_eq!(f.accounts, ids(&["111111111111"]));
        let f = query("PAYMENTS-PROD").resolve(&d).expect("resolves");
        assert_eq!(f.accounts, ids(&["111111111111", "333333333333"]));
        let f = query("222222222222").resolve(&d).expect("resolves");
        assert_eq!(f.accounts, ids(&["222222222222"]));
        let f = AccessQuery {
            user: Some("MARIA@example.com".into()),
            group: Some("g-1".into()),
            permission_set: Some("administratoraccess".into()),
            ..AccessQuery::default()
        }
        .resolve(&d)
        .expect("resolves");
        assert_eq!(f.users, ids(&["u-1"]));
        assert_eq!(f.groups, ids(&["g-1"]));
        assert_eq!(f.permission_sets, ids(&["arn:ps/admin"]));
        assert_eq!(
            AccessQuery::default().resolve(&d),
            Ok(AccessFilter::default())
        );
    }

    #[test]
    fn admin_keeps_only_permission_sets_that_grant_everything() {
        let mut d = dir();
        d.add_permission_sets([
            PermissionSet {
                arn: "arn:ps/inline".into(),
                name: "Inline".into(),
                inline_policy: Some(
                    r#"{"Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}"#.into(),
                ),
                ..PermissionSet::default()
            },
            PermissionSet {
                arn: "arn:ps/ro".into(),
                name: "ReadOnly".into(),
                ..PermissionSet::default()
            },
        ]);
        let admin_policy = crate::model::ManagedPolicy {
            arn: "arn:aws:iam::aws:policy/AdministratorAccess".into(),
            name: "AdministratorAccess".into(),
        };
        d.permission_sets
            .get_mut("arn:ps/admin")
            .expect("admin")
            .managed_policies = vec![admin_policy];
        let admin = AccessQuery {
            admin: true,
            ..AccessQuery::default()
        };
        let f = admin.resolve(&d).expect("resolves");
        assert_eq!(f.permission_sets, ids(&["arn:ps/admin", "arn:ps/inline"]));
        let f = AccessQuery {
            permission_set: Some("ReadOnly".into()),
            ..admin
        }
        .resolve(&d)
        .expect("resolves");
        assert_eq!(f.permission_sets, ids(&[]));
    }

    #[test]
    fn unknown_names_are_all_reported_with_suggestions() {
        let d = dir();
        let err = AccessQuery {
            account: Some("paymnts-prod".into()),
            group: Some("Developer".into()),
            permission_set: Some("zzzzzz".into()),
            ..AccessQuery::default()
        }
        .resolve(&d)
        .expect_err("unknown");
        assert_eq!(err.0.len(), 3);
        assert_eq!(err.0[0].suggestions[0], "payments-prod");
        let text = err.to_string();
        let lines: Vec<&str> = text.lines().collect();
        assert!(
            lines[0].starts_with("--account \"paymnts-prod\": no account has this id or name; did you mean \"payments-prod\""),
            "{text}"
        );
        assert_eq!(
            lines[1],
            "--group \"Developer\": no group has this name or id; did you mean \"Developers\"?"
        );
        assert_eq!(
            lines[2],
            "--permission-set \"zzzzzz\": no permission set has this name or ARN (and none is close)"
        );
        let err = query("11111111111")
            .resolve(&d)
            .expect_err("one digit short");
        assert_eq!(err.0[0].suggestions[0], "111111111111");
    }

    #[test]
    fn group_filter_keeps_paths_through_the_group_only() {
        let f = AccessFilter {
            groups: ids(&["g"]),
            ..AccessFilter::default()
        };
        let access = |via| Access {
            user_id: "u".into(),
            account_id: "1".into(),
            permission_set_arn: "ps".into(),
            via,
        };
        assert!(f.matches(&access(Via::Group("g".into()))));
        assert!(!f.matches(&access(Via::Group("h".into()))));
        assert!(!f.matches(&access(Via::Direct)));
        let assignment = |principal_type, id: &str| Assignment {
            account_id: "1".into(),
            permission_set_arn: "ps".into(),
            principal_type,
            principal_id: id.into(),
        };
        assert!(f.matches_assignment(&assignment(PrincipalType::Group, "g")));
        assert!(!f.matches_assignment(&assignment(PrincipalType::User, "g")));
        assert!(AccessFilter::default().matches_assignment(&assignment(PrincipalType::User, "x")));
    }

    #[test]
    fn join_or_reads_as_english() {
        let s = |v: &[&str]| v.iter().map(|x| (*x).to_string()).collect::<Vec<_>>();
        assert_eq!(join_or(&s(&["a"])), "a");
        assert_eq!(join_or(&s(&["a", "b"])), "a or b");
        assert_eq!(join_or(&s(&["a", "b", "c"])), "a, b or c");
    }
}
