//! The organizations the demo backend serves: a hand-written company for trying idc out, and a
//! generated one of any size for performance work.

use std::collections::{BTreeMap, BTreeSet};

use crate::model::snapshot::Snapshot;
use crate::model::{
    Account, AccountStatus, Assignment, Directory, ExternalId, Group, Instance, ManagedPolicy,
    Membership, OrgUnit, PermissionSet, PrincipalType, User,
};

const DEMO_ORG_PATH: &str = "assets/demo-org.json";
const DEMO_ORG: &str = include_str!("../../../assets/demo-org.json");

/// The built-in demo organization (assets/demo-org.json, compiled in with `include_str!`):
/// Northwind Logistics, with an OU tree four levels deep, a suspended account, an empty
/// break-glass group, a permission set that needs reapplying and an assignment left behind by a
/// deleted group.
#[must_use]
pub fn demo_organization() -> Directory {
    // The asset is compiled in and a unit test parses it, so the fallback is unreachable in a
    // released binary; an empty directory is still better than a panic in front of a user.
    Snapshot::parse(DEMO_ORG, DEMO_ORG_PATH)
        .map(Snapshot::into_directory)
        .unwrap_or_default()
}

/// A deterministic synthetic organization of about `accounts` accounts, for performance work.
///
/// For N = 1,000: ~300 groups, ~5,000 users, ~60 permission sets, ~20,000 assignments; the
/// other counts scale with N (at least one of each; N = 0 is treated as 1).
#[must_use]
pub fn synthetic_organization(accounts: usize) -> Directory {
    Synth::new(accounts.max(1)).build()
}

// ------------------------------------------------------------------------------------------
// Synthetic organizations

const SEED: u64 = 0x1dc0_5eed_2026_0101;
const STORE_ID: &str = "d-5ca1e5ca1e";
const STORE_PREFIX: &str = "5ca1e5ca1e";
const INSTANCE_ID: &str = "ssoins-5ca1e5ca1e5ca1e0";
const OKTA: &str = "https://scim.okta.com/00oscale01";
const MANAGEMENT_ACCOUNT: u64 = 300_000_000_000;
const ACCOUNT_STRIDE: u64 = 104_729;
/// Assignments per account, including ~2% to users directly.
const ASSIGNMENTS_PER_ACCOUNT: usize = 20;
const USER_ASSIGNMENT_PER_MILLE: u64 = 20;

const BUSINESS_UNITS: &[&str] = &[
    "payments",
    "logistics",
    "retail",
    "data",
    "identity",
    "marketing",
    "warehouse",
    "fleet",
    "finance",
    "support",
    "search",
    "mobile",
    "pricing",
    "partners",
    "hr",
    "legal",
];
const ENVIRONMENTS: [&str; 3] = ["prod", "staging", "dev"];
const ROLES: [&str; 6] = [
    "developers",
    "operators",
    "readonly",
    "admins",
    "data",
    "oncall",
];
const FIRST_NAMES: &[&str] = &[
    "Ada", "Björn", "Chiara", "Dmitri", "Élodie", "Farah", "Gustavo", "Hana", "Ingrid", "Jamal",
    "Kaito", "Laura", "Mateus", "Nia", "Oğuz", "Paula", "Quentin", "Rosa", "Søren", "Tariq", "Uma",
    "Viktor", "Wen", "Ximena", "Yusuf", "Zofia",
];
const LAST_NAMES: &[&str] = &[
    "Abe",
    "Banerjee",
    "Castro",
    "Dąbrowski",
    "Eriksen",
    "Fischer",
    "García",
    "Hoang",
    "Ivanova",
    "Jensen",
    "Kowalski",
    "López",
    "Moreau",
    "Novak",
    "Okafor",
    "Petrov",
    "Quinn",
    "Rossi",
    "Schäfer",
    "Tanaka",
    "Uddin",
    "Vargas",
    "Weber",
    "Xu",
    "Yılmaz",
    "Zhang",
];
/// Well-known permission sets first; each uses real AWS managed policies.
const STANDARD_SETS: &[(&str, &[&str])] = &[
    ("AdministratorAccess", &["AdministratorAccess"]),
    ("ReadOnlyAccess", &["ReadOnlyAccess"]),
    ("PowerUserAccess", &["PowerUserAccess"]),
    ("Billing", &["job-function/Billing"]),
    ("SecurityAudit", &["SecurityAudit"]),
    ("ViewOnlyAccess", &["job-function/ViewOnlyAccess"]),
    (
        "DatabaseAdministrator",
        &["job-function/DatabaseAdministrator"],
    ),
    (
        "NetworkAdministrator",
        &["job-function/NetworkAdministrator"],
    ),
    ("SupportUser", &["job-function/SupportUser"]),
    ("DataScientist", &["job-function/DataScientist"]),
    ("SystemAdministrator", &["job-function/SystemAdministrator"]),
];
/// Real AWS managed policies the custom permission sets combine.
const MANAGED_POLICIES: &[&str] = &[
    "AmazonS3ReadOnlyAccess",
    "AmazonS3FullAccess",
    "AmazonEC2ReadOnlyAccess",
    "AmazonEC2FullAccess",
    "AmazonDynamoDBFullAccess",
    "AmazonDynamoDBReadOnlyAccess",
    "AmazonRDSReadOnlyAccess",
    "AmazonRDSFullAccess",
    "AWSLambda_FullAccess",
    "AWSLambda_ReadOnlyAccess",
    "CloudWatchReadOnlyAccess",
    "CloudWatchLogsReadOnlyAccess",
    "AmazonSQSFullAccess",
    "AmazonSNSFullAccess",
    "AmazonAthenaFullAccess",
    "AWSGlueConsoleFullAccess",
    "AmazonSageMakerFullAccess",
    "AWSCloudFormationReadOnlyAccess",
    "AmazonECS_FullAccess",
    "AmazonEC2ContainerRegistryPowerUser",
    "AWSSecurityHubReadOnlyAccess",
    "AWSSupportAccess",
];
const CUSTOM_SUFFIXES: &[&str] = &[
    "app-deploy",
    "data-read",
    "data-write",
    "ops",
    "observability",
    "ml",
    "storage",
    "queues",
];
const SESSION_DURATIONS: [&str; 4] = ["PT1H", "PT4H", "PT8H", "PT12H"];

/// The `SplitMix64` finalizer: a bijection, so distinct inputs give distinct random-looking ids.
fn mix(mut z: u64) -> u64 {
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

/// `SplitMix64`: tiny, fast and good enough to make synthetic data look irregular.
struct SplitMix(u64);

impl SplitMix {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        mix(self.0)
    }

    /// A number in `0..n`; `n` must not be zero.
    #[allow(clippy::cast_possible_truncation)] // the remainder is below `n`, itself a usize
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    fn chance(&mut self, per_mille: u64) -> bool {
        self.next() % 1000 < per_mille
    }

    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.below(items.len())]
    }
}

/// `per_thousand` for every thousand accounts, rounded, at least one.
fn scaled(accounts: usize, per_thousand: usize) -> usize {
    ((accounts * per_thousand + 500) / 1000).max(1)
}

struct Synth {
    rng: SplitMix,
    accounts: usize,
    groups: usize,
    users: usize,
    permission_sets: usize,
    business_units: usize,
    dir: Directory,
    /// Built alongside `dir` for index-based picking.
    account_ids: Vec<String>,
    account_bu: Vec<usize>,
    group_ids: Vec<String>,
    user_ids: Vec<String>,
    ps_arns: Vec<String>,
}

impl Synth {
    fn new(accounts: usize) -> Self {
        Self {
            rng: SplitMix(SEED),
            accounts,
            groups: scaled(accounts, 300),
            users: scaled(accounts, 5000),
            permission_sets: scaled(accounts, 60),
            business_units: accounts.div_ceil(100).clamp(1, 50),
            dir: Directory::default(),
            account_ids: Vec::with_capacity(accounts),
            account_bu: Vec::with_capacity(accounts),
            group_ids: Vec::new(),
            user_ids: Vec::new(),
            ps_arns: Vec::new(),
        }
    }

    fn build(mut self) -> Directory {
        self.dir.instance = Some(Instance {
            instance_arn: format!("arn:aws:sso:::instance/{INSTANCE_ID}"),
            identity_store_id: STORE_ID.to_string(),
            owner_account_id: Some(MANAGEMENT_ACCOUNT.to_string()),
        });
        let env_ous = self.org_units();
        self.accounts(&env_ous);
        self.groups();
        self.users();
        self.memberships();
        self.permission_sets();
        self.assignments();
        self.provisioning();
        self.dir
    }

    /// An identity-store id (UUID v4 layout). Its first 48 and its 4th-from-last 16 bits are
    /// `mix(kind, index)`, which makes it unique; the rest is random.
    fn store_id(&mut self, kind: u64, index: usize) -> String {
        let u = mix((kind << 48) ^ index as u64);
        let r = self.rng.next();
        format!(
            "{STORE_PREFIX}-{:08x}-{:04x}-4{:03x}-{:04x}-{:04x}{:08x}",
            u >> 32,
            (u >> 16) & 0xffff,
            r & 0xfff,
            0x8000 | ((r >> 12) & 0x3fff),
            u & 0xffff,
            r >> 32,
        )
    }

    /// An Okta-style id: a prefix such as `00u` and 17 letters and digits.
    fn external_id(&mut self, prefix: &str) -> Vec<ExternalId> {
        const ALPHABET: &[u8] = b"0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";
        let id = (0..17)
            .map(|_| char::from(ALPHABET[self.rng.below(ALPHABET.len())]))
            .collect::<String>();
        vec![ExternalId {
            issuer: OKTA.to_string(),
            id: format!("{prefix}{id}"),
        }]
    }

    /// Root → one OU per business unit → Prod / Staging / Dev, plus Suspended under the root.
    /// Returns the environment OU ids, `[bu][env]`.
    fn org_units(&mut self) -> Vec<[String; 3]> {
        let root = "r-5ca1".to_string();
        let mut ous = vec![
            OrgUnit {
                id: root.clone(),
                name: "Root".into(),
                parent_id: None,
            },
            OrgUnit {
                id: "ou-5ca1-suspended".into(),
                name: "Suspended".into(),
                parent_id: Some(root.clone()),
            },
        ];
        let mut env_ous = Vec::with_capacity(self.business_units);
        for bu in 0..self.business_units {
            let bu_id = format!("ou-5ca1-bu{bu:02}{:06x}", self.rng.next() & 0xff_ffff);
            let name = format!("bu{bu:02} {}", BUSINESS_UNITS[bu % BUSINESS_UNITS.len()]);
            ous.push(OrgUnit {
                id: bu_id.clone(),
                name,
                parent_id: Some(root.clone()),
            });
            let envs = ENVIRONMENTS.map(|env| format!("{bu_id}{env}"));
            for (id, env) in envs.iter().zip(["Prod", "Staging", "Dev"]) {
                ous.push(OrgUnit {
                    id: id.clone(),
                    name: env.to_string(),
                    parent_id: Some(bu_id.clone()),
                });
            }
            env_ous.push(envs);
        }
        self.dir.add_ous(ous);
        env_ous
    }

    fn accounts(&mut self, env_ous: &[[String; 3]]) {
        let mut accounts = Vec::with_capacity(self.accounts);
        for i in 0..self.accounts {
            let id = (MANAGEMENT_ACCOUNT + i as u64 * ACCOUNT_STRIDE).to_string();
            let bu = i % self.business_units;
            let (name, parent, status) = if i == 0 {
                (
                    "scale-management".to_string(),
                    "r-5ca1".to_string(),
                    AccountStatus::Active,
                )
            } else {
                // Four in ten prod, three staging, three dev.
                let env = match self.rng.below(10) {
                    0..=3 => 0,
                    4..=6 => 1,
                    _ => 2,
                };
                let name = format!(
                    "bu{bu:02}-{}-{}-{i:04}",
                    BUSINESS_UNITS[bu % BUSINESS_UNITS.len()],
                    ENVIRONMENTS[env]
                );
                if i % 100 == 99 {
                    (
                        name,
                        "ou-5ca1-suspended".to_string(),
                        AccountStatus::Suspended,
                    )
                } else {
                    (name, env_ous[bu][env].clone(), AccountStatus::Active)
                }
            };
            self.account_ids.push(id.clone());
            self.account_bu.push(bu);
            accounts.push(Account {
                id,
                email: format!("aws+{name}@scale.example"),
                name,
                status,
                parent_id: Some(parent),
            });
        }
        self.dir.add_accounts(accounts);
    }

    /// Groups come in teams of six roles; team `t` belongs to business unit `t % units`.
    fn groups(&mut self) {
        let mut groups = Vec::with_capacity(self.groups);
        for j in 0..self.groups {
            let (team, role) = (j / ROLES.len(), ROLES[j % ROLES.len()]);
            let id = self.store_id(1, j);
            let bu = BUSINESS_UNITS[(team % self.business_units) % BUSINESS_UNITS.len()];
            let description = (j % 2 == 0).then(|| format!("Team {team} ({bu}): {role}"));
            let external_ids = if self.rng.chance(800) {
                self.external_id("00g")
            } else {
                Vec::new()
            };
            self.group_ids.push(id.clone());
            groups.push(Group {
                id,
                display_name: format!("team-{team:04}-{role}"),
                description,
                external_ids,
            });
        }
        self.dir.add_groups(groups);
    }

    fn users(&mut self) {
        let mut users = Vec::with_capacity(self.users);
        for k in 0..self.users {
            let id = self.store_id(2, k);
            let user_name = format!("user{k:05}@scale.example");
            let display_name = format!(
                "{} {}",
                self.rng.pick(FIRST_NAMES),
                self.rng.pick(LAST_NAMES)
            );
            let external_ids = if self.rng.chance(900) {
                self.external_id("00u")
            } else {
                Vec::new()
            };
            self.user_ids.push(id.clone());
            users.push(User {
                id,
                email: Some(user_name.clone()),
                user_name,
                display_name: Some(display_name),
                external_ids,
            });
        }
        self.dir.add_users(users);
    }

    /// Each user joins one to three roles of a home team, like people in a real directory.
    fn memberships(&mut self) {
        let teams = self.groups.div_ceil(ROLES.len());
        let mut memberships = Vec::with_capacity(self.users * 2);
        for u in 0..self.users {
            let team = self.rng.below(teams);
            let wanted = 1 + self.rng.below(3);
            let mut roles = BTreeSet::new();
            while roles.len() < wanted {
                roles.insert(self.rng.below(ROLES.len()));
            }
            for role in roles {
                let mut g = team * ROLES.len() + role;
                if g >= self.groups {
                    g = self.rng.below(self.groups);
                }
                let membership_id = self.store_id(3, memberships.len());
                memberships.push(Membership {
                    group_id: self.group_ids[g].clone(),
                    user_id: self.user_ids[u].clone(),
                    membership_id: Some(membership_id),
                });
            }
        }
        self.dir.add_memberships(memberships);
    }

    fn permission_sets(&mut self) {
        let mut sets = Vec::with_capacity(self.permission_sets);
        for p in 0..self.permission_sets {
            let arn = format!(
                "arn:aws:sso:::permissionSet/{INSTANCE_ID}/ps-{:016x}",
                mix(SEED ^ p as u64)
            );
            let (name, policies): (String, Vec<&str>) =
                if let Some((name, policies)) = STANDARD_SETS.get(p) {
                    ((*name).to_string(), policies.to_vec())
                } else {
                    let count = 1 + self.rng.below(3);
                    let mut policies = BTreeSet::new();
                    while policies.len() < count {
                        policies.insert(self.rng.pick(MANAGED_POLICIES));
                    }
                    let name = format!("Custom-{p:04}-{}", self.rng.pick(CUSTOM_SUFFIXES));
                    (name, policies.into_iter().collect())
                };
            let managed_policies = policies
                .iter()
                .map(|path| ManagedPolicy {
                    arn: format!("arn:aws:iam::aws:policy/{path}"),
                    name: path.rsplit('/').next().unwrap_or(path).to_string(),
                })
                .collect();
            self.ps_arns.push(arn.clone());
            sets.push(PermissionSet {
                arn,
                description: Some(format!("{name} (synthetic)")),
                name,
                session_duration: Some(SESSION_DURATIONS[p % SESSION_DURATIONS.len()].to_string()),
                relay_state: None,
                managed_policies,
                ..PermissionSet::default()
            });
        }
        self.dir.add_permission_sets(sets);
    }

    /// About twenty assignments per account: mostly the account's own business-unit teams,
    /// some organization-wide teams, and ~2% straight to users.
    fn assignments(&mut self) {
        let teams = self.groups.div_ceil(ROLES.len());
        let bus = self.business_units;
        let standard = STANDARD_SETS.len().min(self.permission_sets);
        for a in 0..self.accounts {
            let bu = self.account_bu[a];
            // Teams of this unit are bu, bu + bus, bu + 2·bus, …
            let local_teams = teams.saturating_sub(bu).div_ceil(bus);
            let mut on_account = BTreeSet::new();
            let mut attempts = 0;
            while on_account.len() < ASSIGNMENTS_PER_ACCOUNT
                && attempts < 4 * ASSIGNMENTS_PER_ACCOUNT
            {
                attempts += 1;
                let ps = if self.rng.chance(600) {
                    self.rng.below(standard)
                } else {
                    self.rng.below(self.permission_sets)
                };
                let principal = if self.rng.chance(USER_ASSIGNMENT_PER_MILLE) {
                    (PrincipalType::User, self.rng.below(self.users))
                } else if local_teams > 0 && self.rng.chance(800) {
                    let team = bu + bus * self.rng.below(local_teams);
                    let g = (team * ROLES.len() + self.rng.below(ROLES.len())).min(self.groups - 1);
                    (PrincipalType::Group, g)
                } else {
                    (PrincipalType::Group, self.rng.below(self.groups))
                };
                on_account.insert((ps, principal));
            }
            let assignments = on_account
                .into_iter()
                .map(|(ps, (principal_type, i))| Assignment {
                    account_id: self.account_ids[a].clone(),
                    permission_set_arn: self.ps_arns[ps].clone(),
                    principal_type,
                    principal_id: match principal_type {
                        PrincipalType::Group => self.group_ids[i].clone(),
                        PrincipalType::User => self.user_ids[i].clone(),
                    },
                });
            self.dir.add_assignments(assignments);
        }
    }

    /// Provisioned where assigned; every fifth permission set needs reapplying on ~10% of them.
    fn provisioning(&mut self) {
        let mut provisioned: BTreeMap<&str, BTreeSet<&str>> = BTreeMap::new();
        for a in &self.dir.assignments {
            provisioned
                .entry(a.permission_set_arn.as_str())
                .or_default()
                .insert(a.account_id.as_str());
        }
        let mut updates = Vec::with_capacity(provisioned.len());
        for (p, arn) in self.ps_arns.iter().enumerate() {
            let accounts: Vec<String> = provisioned
                .get(arn.as_str())
                .map(|s| s.iter().map(|a| (*a).to_string()).collect())
                .unwrap_or_default();
            let outdated = if p % 5 == 4 {
                accounts
                    .iter()
                    .filter(|_| self.rng.chance(100))
                    .cloned()
                    .collect()
            } else {
                Vec::new()
            };
            updates.push((arn.clone(), accounts, outdated));
        }
        for (arn, accounts, outdated) in updates {
            if let Some(ps) = self.dir.permission_sets.get_mut(&arn) {
                ps.provisioned_accounts = accounts;
                ps.outdated_accounts = outdated;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use std::collections::{BTreeMap, BTreeSet};

    use super::*;

    /// Every reference that does not resolve, except assignments to missing groups, which the
    /// caller counts (the demo has one on purpose).
    fn dangling_references(dir: &Directory) -> Vec<String> {
        let mut problems = Vec::new();
        for ou in dir.ous.values() {
            if let Some(p) = &ou.parent_id
                && !dir.ous.contains_key(p)
            {
                problems.push(format!("OU {} has unknown parent {p}", ou.id));
            }
        }
        for a in dir.accounts.values() {
            if !a
                .parent_id
                .as_ref()
                .is_some_and(|p| dir.ous.contains_key(p))
            {
                problems.push(format!("account {} has parent {:?}", a.id, a.parent_id));
            }
            if a.id.len() != 12 || !a.id.bytes().all(|b| b.is_ascii_digit()) {
                problems.push(format!("account id {} is not 12 digits", a.id));
            }
        }
        for (g, u) in dir.memberships.keys() {
            if !dir.groups.contains_key(g) || !dir.users.contains_key(u) {
                problems.push(format!("membership {g}/{u} dangles"));
            }
        }
        for a in &dir.assignments {
            if !dir.accounts.contains_key(&a.account_id) {
                problems.push(format!("assignment on unknown account {}", a.account_id));
            }
            if !dir.permission_sets.contains_key(&a.permission_set_arn) {
                problems.push(format!(
                    "assignment of unknown set {}",
                    a.permission_set_arn
                ));
            }
            if a.principal_type == PrincipalType::User && !dir.users.contains_key(&a.principal_id) {
                problems.push(format!("assignment to unknown user {}", a.principal_id));
            }
        }
        let mut assigned: BTreeMap<&str, BTreeSet<&str>> = BTreeMap::new();
        for a in &dir.assignments {
            assigned
                .entry(&a.permission_set_arn)
                .or_default()
                .insert(&a.account_id);
        }
        for ps in dir.permission_sets.values() {
            let provisioned: BTreeSet<&str> =
                ps.provisioned_accounts.iter().map(String::as_str).collect();
            if provisioned != assigned.get(ps.arn.as_str()).cloned().unwrap_or_default() {
                problems.push(format!(
                    "{} is provisioned where it is not assigned",
                    ps.name
                ));
            }
            if !ps
                .outdated_accounts
                .iter()
                .all(|a| provisioned.contains(a.as_str()))
            {
                problems.push(format!(
                    "{} is outdated where it is not provisioned",
                    ps.name
                ));
            }
            if ps.managed_policies.iter().any(|p| {
                !p.arn.starts_with("arn:aws:iam::aws:policy/")
                    || !p.arn.ends_with(&format!("/{}", p.name))
            }) {
                problems.push(format!("{} has a malformed managed policy", ps.name));
            }
        }
        if let Some(owner) = dir
            .instance
            .as_ref()
            .and_then(|i| i.owner_account_id.as_ref())
            && !dir.accounts.contains_key(owner)
        {
            problems.push(format!("owner account {owner} is unknown"));
        }
        problems
    }

    fn orphaned_group_assignments(dir: &Directory) -> Vec<&Assignment> {
        dir.assignments
            .iter()
            .filter(|a| {
                a.principal_type == PrincipalType::Group
                    && !dir.groups.contains_key(&a.principal_id)
            })
            .collect()
    }

    fn ou_depth(dir: &Directory) -> usize {
        dir.ous
            .keys()
            .map(|id| dir.ou_path(Some(id)).split('/').count())
            .max()
            .unwrap_or(0)
    }

    fn members(dir: &Directory, group_id: &str) -> usize {
        dir.members_of(group_id).count()
    }

    #[test]
    fn demo_org_parses_and_is_consistent() {
        let snap = Snapshot::parse(DEMO_ORG, DEMO_ORG_PATH).expect("the demo asset parses");
        assert_eq!(snap.source, "demo");
        let dir = demo_organization();
        assert_eq!(dir, snap.into_directory());
        assert_eq!(dangling_references(&dir), Vec::<String>::new());
        let orphans = orphaned_group_assignments(&dir);
        assert_eq!(orphans.len(), 1, "{orphans:?}");
    }

    #[test]
    fn demo_org_has_what_the_screens_and_audits_need() {
        let dir = demo_organization();
        let instance = dir.instance.as_ref().expect("instance");
        assert_eq!(instance.identity_store_id, "d-9067a1b2c3");
        assert!(ou_depth(&dir) >= 3, "depth {}", ou_depth(&dir));

        assert!(dir.accounts.len() >= 30, "{} accounts", dir.accounts.len());
        let suspended = dir
            .accounts
            .values()
            .filter(|a| a.status == AccountStatus::Suspended);
        assert_eq!(suspended.count(), 1);
        assert!(
            dir.accounts
                .values()
                .any(|a| !a.name.is_ascii() && a.name.contains(' '))
        );
        assert!(dir.accounts.values().any(|a| a.name.chars().count() >= 40));

        assert!(dir.groups.len() >= 12, "{} groups", dir.groups.len());
        let empty: Vec<_> = dir
            .groups
            .values()
            .filter(|g| members(&dir, &g.id) == 0)
            .collect();
        assert_eq!(empty.len(), 1, "{empty:?}");
        assert_eq!(empty[0].display_name, "BreakGlass");
        assert!(
            dir.groups
                .values()
                .filter(|g| !g.external_ids.is_empty())
                .count()
                >= 4
        );

        assert!(dir.users.len() >= 40, "{} users", dir.users.len());
        assert!(
            dir.users
                .values()
                .any(|u| u.display_name.as_ref().is_some_and(|n| !n.is_ascii()))
        );
        let grouped: BTreeSet<&str> = dir.memberships.keys().map(|(_, u)| u.as_str()).collect();
        assert!(dir.users.keys().any(|u| !grouped.contains(u.as_str())));

        assert!(dir.permission_sets.len() >= 10);
        let sets = dir.permission_sets.values();
        assert!(sets.clone().all(|p| !p.managed_policies.is_empty()));
        let inline: Vec<_> = sets
            .clone()
            .filter_map(|p| p.inline_policy.as_deref())
            .collect();
        assert_eq!(inline.len(), 1);
        let doc: serde_json::Value =
            serde_json::from_str(inline[0]).expect("inline policy is JSON");
        assert_eq!(doc["Version"], "2012-10-17");
        assert!(
            sets.clone()
                .any(|p| !p.customer_managed_policies.is_empty())
        );
        let outdated: Vec<_> = sets
            .clone()
            .filter(|p| !p.outdated_accounts.is_empty())
            .collect();
        assert_eq!(outdated.len(), 1);
        assert_eq!(outdated[0].name, "DeveloperAccess");
        assert_eq!(outdated[0].outdated_accounts.len(), 3);

        assert!(
            dir.assignments.len() >= 120,
            "{} assignments",
            dir.assignments.len()
        );
        let direct = dir
            .assignments
            .iter()
            .filter(|a| a.principal_type == PrincipalType::User);
        assert!((3..=5).contains(&direct.count()));
    }

    #[test]
    fn synthetic_counts_match_targets() {
        let dir = synthetic_organization(1000);
        let within = |actual: usize, target: usize| {
            let (lo, hi) = (target * 8 / 10, target * 12 / 10);
            assert!(
                (lo..=hi).contains(&actual),
                "{actual} not within 20% of {target}"
            );
        };
        within(dir.accounts.len(), 1000);
        within(dir.groups.len(), 300);
        within(dir.users.len(), 5000);
        within(dir.permission_sets.len(), 60);
        within(dir.assignments.len(), 20_000);
        let direct = dir
            .assignments
            .iter()
            .filter(|a| a.principal_type == PrincipalType::User)
            .count();
        assert!(
            (100..=800).contains(&direct),
            "{direct} direct user assignments"
        );
        let suspended = dir
            .accounts
            .values()
            .filter(|a| a.status == AccountStatus::Suspended)
            .count();
        assert!((5..=20).contains(&suspended), "{suspended} suspended");
        assert!(ou_depth(&dir) >= 3);
        assert!(
            dir.permission_sets
                .values()
                .any(|p| !p.outdated_accounts.is_empty())
        );

        let mut groups_per_user: BTreeMap<&str, usize> = BTreeMap::new();
        for (_, u) in dir.memberships.keys() {
            *groups_per_user.entry(u).or_default() += 1;
        }
        assert_eq!(
            groups_per_user.len(),
            dir.users.len(),
            "every user is in a group"
        );
        assert!(groups_per_user.values().all(|n| (1..=3).contains(n)));

        assert_eq!(dangling_references(&dir), Vec::<String>::new());
        assert!(orphaned_group_assignments(&dir).is_empty());
    }

    #[test]
    fn synthetic_is_deterministic_and_scales_down() {
        assert_eq!(synthetic_organization(1000), synthetic_organization(1000));
        assert_eq!(synthetic_organization(0), synthetic_organization(1));
        for n in [1, 2, 7, 150] {
            let dir = synthetic_organization(n);
            assert_eq!(dir.accounts.len(), n);
            assert!(!dir.groups.is_empty() && !dir.users.is_empty());
            assert!(!dir.permission_sets.is_empty() && !dir.assignments.is_empty());
            assert_eq!(dangling_references(&dir), Vec::<String>::new(), "n = {n}");
        }
    }
}
