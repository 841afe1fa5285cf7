//! Seeds an organization into moto through the SDK and returns the [`Directory`] a correct load
//! must produce.
//!
//! Ids are read from moto's answers (moto makes them up); every relationship in the expectation
//! (parents, memberships, assignments, policies) comes from what was seeded, never from a read.

use std::collections::{BTreeMap, BTreeSet};
use std::future::Future;

use aws_sdk_identitystore::types::{Email, MemberId, Name};
use aws_sdk_organizations::types::OrganizationFeatureSet;
use aws_sdk_ssoadmin::error::DisplayErrorContext;
use aws_sdk_ssoadmin::types::{
    CustomerManagedPolicyReference, PrincipalType as SdkPrincipalType, ProvisionTargetType,
    TargetType,
};
use idc::model::{
    Account, AccountStatus, Assignment, CustomerPolicyRef, Directory, Group, Instance,
    ManagedPolicy, Membership, OrgUnit, PermissionSet, PrincipalType, User,
};

use super::moto::Clients;

/// How big an organization to seed. [`SeedSpec::default`] is above every default page size of
/// moto (100 for identitystore and sso-admin, 20 for ListAccountsForParent and
/// ListOrganizationalUnitsForParent), so each of those listings needs more than one page.
#[derive(Clone, Debug)]
pub struct SeedSpec {
    /// Member accounts to create; the management account comes on top.
    pub accounts: usize,
    /// How many of those accounts are closed (SUSPENDED) and moved to the `Suspended` OU.
    pub closed_accounts: usize,
    /// Child OUs under `Sandbox`; more than 20 makes ListOrganizationalUnitsForParent page.
    pub sandbox_ous: usize,
    pub users: usize,
    /// Live groups; the first, `Everyone`, holds every user.
    pub groups: usize,
    /// Also create a group and a user, assign them, and delete them: their assignments stay
    /// (as in AWS) and only the per-pair listing finds them.
    pub deleted_principals: bool,
}

impl Default for SeedSpec {
    fn default() -> Self {
        Self {
            accounts: 120,
            closed_accounts: 2,
            sandbox_ous: 22,
            users: 130,
            groups: 12,
            deleted_principals: true,
        }
    }
}

impl SeedSpec {
    /// A few of everything: for tests that need an organization, not its size.
    pub fn small() -> Self {
        Self {
            accounts: 10,
            closed_accounts: 1,
            sandbox_ous: 2,
            users: 8,
            groups: 5,
            deleted_principals: true,
        }
    }
}

/// What was seeded.
#[derive(Clone, Debug)]
pub struct Seeded {
    /// Everything Identity Center holds, including the assignments of deleted principals.
    /// `provisioned_accounts` holds the accounts each permission set is assigned on (what AWS
    /// would report); `outdated_accounts` is empty.
    pub directory: Directory,
    /// The assignments whose group or user was deleted afterwards (also in `directory`).
    pub orphaned_assignments: BTreeSet<Assignment>,
    pub management_account_id: String,
    pub root_id: String,
    /// OU ids by path, e.g. `Root/Workloads/Prod`.
    pub ou_ids: BTreeMap<String, String>,
    pub deleted_group_id: Option<String>,
    pub deleted_user_id: Option<String>,
    /// Requests the seeding sent, to put the loader's figures in proportion.
    pub requests: usize,
}

impl Seeded {
    /// What a load that enumerates assignments by principal can see: no assignments of deleted
    /// principals.
    pub fn directory_without_orphans(&self) -> Directory {
        let mut dir = self.directory.clone();
        dir.assignments
            .retain(|a| !self.orphaned_assignments.contains(a));
        dir
    }
}

const READ_ONLY: &str = "arn:aws:iam::aws:policy/ReadOnlyAccess";
const ADMIN: &str = "arn:aws:iam::aws:policy/AdministratorAccess";
const POWER_USER: &str = "arn:aws:iam::aws:policy/PowerUserAccess";
const SECURITY_AUDIT: &str = "arn:aws:iam::aws:policy/SecurityAudit";
pub const BILLING_INLINE_POLICY: &str = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["aws-portal:ViewBilling","budgets:View*","ce:Get*"],"Resource":"*"}]}"#;

const GROUP_NAMES: [&str; 12] = [
    "Everyone",
    "Admins",
    "Developers",
    "Auditors",
    "Finance",
    "DataScience",
    "Platform",
    "Support",
    "Oncall",
    "SecurityTeam",
    "Payments",
    "SandboxUsers",
];

// The permission sets, by index into `permission_set_templates`.
const PS_ADMIN: usize = 0;
const PS_READ_ONLY: usize = 1;
const PS_POWER_USER: usize = 2;
const PS_SECURITY_AUDIT: usize = 3;
const PS_BILLING: usize = 4;
const PS_DATA: usize = 5;

struct PermissionSetTemplate {
    name: &'static str,
    description: Option<&'static str>,
    session_duration: &'static str,
    relay_state: Option<&'static str>,
    managed: &'static [&'static str],
    customer: &'static [(&'static str, &'static str)],
    inline: Option<&'static str>,
}

fn permission_set_templates() -> Vec<PermissionSetTemplate> {
    vec![
        PermissionSetTemplate {
            name: "AdministratorAccess",
            description: Some("Full administrative access"),
            session_duration: "PT1H",
            relay_state: None,
            managed: &[ADMIN],
            customer: &[],
            inline: None,
        },
        PermissionSetTemplate {
            name: "ReadOnly",
            description: Some("Read everything, change nothing"),
            session_duration: "PT8H",
            relay_state: None,
            managed: &[READ_ONLY],
            customer: &[],
            inline: None,
        },
        PermissionSetTemplate {
            name: "PowerUser",
            description: None,
            session_duration: "PT4H",
            relay_state: Some("https://console.aws.amazon.com/ec2/home"),
            managed: &[POWER_USER],
            customer: &[],
            inline: None,
        },
        PermissionSetTemplate {
            name: "SecurityAudit",
            description: Some("Security auditors"),
            session_duration: "PT4H",
            relay_state: None,
            managed: &[SECURITY_AUDIT, READ_ONLY],
            customer: &[],
            inline: None,
        },
        PermissionSetTemplate {
            name: "Billing",
            description: Some("Billing and cost explorer"),
            session_duration: "PT2H",
            relay_state: None,
            managed: &[],
            customer: &[],
            inline: Some(BILLING_INLINE_POLICY),
        },
        PermissionSetTemplate {
            name: "DataAccess",
            description: Some("Data lake readers"),
            session_duration: "PT12H",
            relay_state: None,
            managed: &[READ_ONLY],
            customer: &[("DataLakeReader", "/data/"), ("KmsDecrypt", "/")],
            inline: None,
        },
        // Never assigned nor provisioned.
        PermissionSetTemplate {
            name: "Unused",
            description: None,
            session_duration: "PT1H",
            relay_state: None,
            managed: &[],
            customer: &[],
            inline: None,
        },
    ]
}

/// Where member accounts go, in turn: Prod holds 40% of them (more than 20 with the default
/// spec, so ListAccountsForParent pages), the rest spreads over the tree down to 4 levels.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Place {
    Root,
    Prod,
    Payments,
    Dev,
    Security,
    Sandbox,
}

const ROTATION: [Place; 10] = [
    Place::Prod,
    Place::Prod,
    Place::Dev,
    Place::Prod,
    Place::Payments,
    Place::Dev,
    Place::Prod,
    Place::Security,
    Place::Sandbox,
    Place::Root,
];

struct PlannedAccount {
    name: String,
    email: String,
    parent: String,
    /// `None` for a closed account.
    place: Option<Place>,
    closed: bool,
}

fn fail(what: &str, e: impl std::error::Error) -> ! {
    panic!("seeding: {what}: {}", DisplayErrorContext(e))
}

/// Awaits the futures one after the other. Seeding is sequential on purpose: moto's server is
/// threaded but its models are not thread-safe (concurrent CreateUser calls fail now and then
/// with "dictionary changed size during iteration", an HTTP 500), and moto holds the GIL
/// anyway, so concurrency bought no speed.
async fn in_order<T, F: Future<Output = T>>(futures: Vec<F>) -> Vec<T> {
    let mut results = Vec::with_capacity(futures.len());
    for future in futures {
        results.push(future.await);
    }
    results
}

#[allow(clippy::too_many_lines)]
pub async fn seed_organization(clients: &Clients, spec: &SeedSpec) -> Seeded {
    let (sso, ids, org) = clients.clone();
    let mut requests = 0usize;
    let mut dir = Directory::default();

    // The instance: moto has exactly one per account and region from the start.
    let instances = sso
        .list_instances()
        .send()
        .await
        .unwrap_or_else(|e| fail("ListInstances", e));
    requests += 1;
    let instance = instances
        .instances()
        .first()
        .expect("moto lists one instance");
    let instance_arn = instance.instance_arn().expect("InstanceArn").to_string();
    let store = instance
        .identity_store_id()
        .expect("IdentityStoreId")
        .to_string();
    dir.instance = Some(Instance {
        instance_arn: instance_arn.clone(),
        identity_store_id: store.clone(),
        owner_account_id: instance.owner_account_id().map(str::to_string),
    });

    // The organization, its root and its management account (named "master" by moto).
    let created = org
        .create_organization()
        .feature_set(OrganizationFeatureSet::All)
        .send()
        .await
        .unwrap_or_else(|e| fail("CreateOrganization", e));
    requests += 1;
    let management_account_id = created
        .organization()
        .and_then(|o| o.master_account_id())
        .expect("MasterAccountId")
        .to_string();
    let roots = org
        .list_roots()
        .send()
        .await
        .unwrap_or_else(|e| fail("ListRoots", e));
    requests += 1;
    let root = roots.roots().first().expect("one root");
    let root_id = root.id().expect("root id").to_string();
    dir.add_ous([OrgUnit {
        id: root_id.clone(),
        name: root.name().expect("root name").to_string(),
        parent_id: None,
    }]);
    let management = org
        .describe_account()
        .account_id(&management_account_id)
        .send()
        .await
        .unwrap_or_else(|e| fail("DescribeAccount(management)", e));
    requests += 1;
    let management = management.account().expect("Account");
    dir.add_accounts([Account {
        id: management_account_id.clone(),
        name: management.name().expect("name").to_string(),
        email: management.email().expect("email").to_string(),
        status: AccountStatus::Active,
        parent_id: Some(root_id.clone()),
    }]);

    // OUs, parents before children.
    let mut ou_ids = BTreeMap::from([("Root".to_string(), root_id.clone())]);
    let mut create_ou = async |parent_path: &str, name: &str| -> String {
        let parent_id = ou_ids[parent_path].clone();
        let out = org
            .create_organizational_unit()
            .parent_id(&parent_id)
            .name(name)
            .send()
            .await
            .unwrap_or_else(|e| fail(&format!("CreateOrganizationalUnit {name}"), e));
        let id = out
            .organizational_unit()
            .and_then(|o| o.id())
            .expect("OU id")
            .to_string();
        let path = format!("{parent_path}/{name}");
        dir.add_ous([OrgUnit {
            id: id.clone(),
            name: name.to_string(),
            parent_id: Some(parent_id),
        }]);
        ou_ids.insert(path, id.clone());
        id
    };
    create_ou("Root", "Workloads").await;
    let prod = create_ou("Root/Workloads", "Prod").await;
    let payments = create_ou("Root/Workloads/Prod", "Payments").await;
    let dev = create_ou("Root/Workloads", "Dev").await;
    let security = create_ou("Root", "Security").await;
    let sandbox = create_ou("Root", "Sandbox").await;
    let suspended = create_ou("Root", "Suspended").await;
    let mut sandboxes = vec![sandbox.clone()];
    for i in 1..=spec.sandbox_ous {
        sandboxes.push(create_ou("Root/Sandbox", &format!("Sandbox-{i:02}")).await);
    }
    requests += 7 + spec.sandbox_ous;

    // Member accounts: create (moto creates them at once, SUCCEEDED, under the root), move,
    // close the last few.
    let plan: Vec<PlannedAccount> = (0..spec.accounts)
        .map(|i| {
            let closed = i >= spec.accounts.saturating_sub(spec.closed_accounts);
            let place = ROTATION[i % ROTATION.len()];
            let (kind, parent) = match place {
                _ if closed => ("closed", suspended.clone()),
                Place::Root => ("shared", root_id.clone()),
                Place::Prod => ("prod", prod.clone()),
                Place::Payments => ("payments", payments.clone()),
                Place::Dev => ("dev", dev.clone()),
                Place::Security => ("security", security.clone()),
                Place::Sandbox => ("sandbox", sandboxes[(i / 10) % sandboxes.len()].clone()),
            };
            let name = format!("{kind}-{i:03}");
            PlannedAccount {
                email: format!("aws+{name}@example.com"),
                name,
                parent,
                place: (!closed).then_some(place),
                closed,
            }
        })
        .collect();
    let account_ids: Vec<String> = in_order(
        plan.iter()
            .map(|p| {
                let org = org.clone();
                let (name, email, parent, closed) =
                    (p.name.clone(), p.email.clone(), p.parent.clone(), p.closed);
                let root_id = root_id.clone();
                async move {
                    let out = org
                        .create_account()
                        .account_name(&name)
                        .email(&email)
                        .send()
                        .await
                        .unwrap_or_else(|e| fail(&format!("CreateAccount {name}"), e));
                    let status = out.create_account_status().expect("CreateAccountStatus");
                    let id = match status.account_id() {
                        Some(id) => id.to_string(),
                        None => org
                            .describe_create_account_status()
                            .create_account_request_id(status.id().expect("request id"))
                            .send()
                            .await
                            .unwrap_or_else(|e| fail("DescribeCreateAccountStatus", e))
                            .create_account_status()
                            .and_then(|s| s.account_id())
                            .expect("the account id once created")
                            .to_string(),
                    };
                    if parent != root_id {
                        org.move_account()
                            .account_id(&id)
                            .source_parent_id(&root_id)
                            .destination_parent_id(&parent)
                            .send()
                            .await
                            .unwrap_or_else(|e| fail(&format!("MoveAccount {name}"), e));
                    }
                    if closed {
                        org.close_account()
                            .account_id(&id)
                            .send()
                            .await
                            .unwrap_or_else(|e| fail(&format!("CloseAccount {name}"), e));
                    }
                    id
                }
            })
            .collect(),
    )
    .await;
    requests += plan.len() * 2 + spec.closed_accounts;
    dir.add_accounts(plan.iter().zip(&account_ids).map(|(p, id)| Account {
        id: id.clone(),
        name: p.name.clone(),
        email: p.email.clone(),
        status: if p.closed {
            AccountStatus::Suspended
        } else {
            AccountStatus::Active
        },
        parent_id: Some(p.parent.clone()),
    }));
    let accounts_in = |places: &[Place]| -> Vec<String> {
        plan.iter()
            .zip(&account_ids)
            .filter(|(p, _)| p.place.is_some_and(|place| places.contains(&place)))
            .map(|(_, id)| id.clone())
            .collect()
    };
    let all_accounts: Vec<String> = dir.accounts.keys().cloned().collect();

    // Users. One has two emails, the primary second; every tenth has none.
    let planned_users: Vec<User> = (1..=spec.users)
        .map(|i| User {
            id: String::new(),
            user_name: format!("user{i:03}"),
            display_name: Some(format!("User {i:03}")),
            email: (i % 10 != 0).then(|| format!("user{i:03}@example.com")),
            external_ids: Vec::new(),
        })
        .collect();
    let user_ids: Vec<String> = in_order(
        planned_users
            .iter()
            .enumerate()
            .map(|(i, u)| {
                let (ids, store, u) = (ids.clone(), store.clone(), u.clone());
                async move { create_user(&ids, &store, &u, i == 1).await }
            })
            .collect(),
    )
    .await;
    requests += planned_users.len();
    dir.add_users(
        planned_users
            .into_iter()
            .zip(&user_ids)
            .map(|(u, id)| User {
                id: id.clone(),
                ..u
            }),
    );

    // Groups; every other one has a description.
    let planned_groups: Vec<Group> = (0..spec.groups)
        .map(|k| Group {
            id: String::new(),
            display_name: GROUP_NAMES
                .get(k)
                .map_or_else(|| format!("Team-{k:02}"), |n| (*n).to_string()),
            description: (k % 2 == 0).then(|| format!("Group number {k}")),
            external_ids: Vec::new(),
        })
        .collect();
    let group_ids: Vec<String> = in_order(
        planned_groups
            .iter()
            .map(|g| {
                let (ids, store, g) = (ids.clone(), store.clone(), g.clone());
                async move { create_group(&ids, &store, &g).await }
            })
            .collect(),
    )
    .await;
    requests += planned_groups.len();
    dir.add_groups(
        planned_groups
            .into_iter()
            .zip(&group_ids)
            .map(|(g, id)| Group {
                id: id.clone(),
                ..g
            }),
    );

    // Memberships: everyone in group 0; each user in one or two of the other groups.
    let mut pairs: BTreeSet<(usize, usize)> = BTreeSet::new();
    for u in 0..user_ids.len() {
        if !group_ids.is_empty() {
            pairs.insert((0, u));
        }
        if group_ids.len() > 1 {
            let others = group_ids.len() - 1;
            pairs.insert((1 + u % others, u));
            pairs.insert((1 + (u * 7 + 3) % others, u));
        }
    }
    let membership_ids: Vec<String> = in_order(
        pairs
            .iter()
            .map(|&(g, u)| {
                let (ids, store) = (ids.clone(), store.clone());
                let (group, user) = (group_ids[g].clone(), user_ids[u].clone());
                async move {
                    ids.create_group_membership()
                        .identity_store_id(&store)
                        .group_id(&group)
                        .member_id(MemberId::UserId(user))
                        .send()
                        .await
                        .unwrap_or_else(|e| fail("CreateGroupMembership", e))
                        .membership_id()
                        .to_string()
                }
            })
            .collect(),
    )
    .await;
    requests += pairs.len();
    dir.add_memberships(
        pairs
            .iter()
            .zip(&membership_ids)
            .map(|(&(g, u), id)| Membership {
                group_id: group_ids[g].clone(),
                user_id: user_ids[u].clone(),
                membership_id: Some(id.clone()),
            }),
    );

    // Permission sets with their policies.
    let templates = permission_set_templates();
    let ps_arns: Vec<String> = in_order(
        (0..templates.len())
            .map(|t| {
                let (sso, instance_arn) = (sso.clone(), instance_arn.clone());
                async move {
                    let template = &permission_set_templates()[t];
                    create_permission_set(&sso, &instance_arn, template).await
                }
            })
            .collect(),
    )
    .await;
    requests += templates
        .iter()
        .map(|t| 1 + t.managed.len() + t.customer.len() + usize::from(t.inline.is_some()))
        .sum::<usize>();

    // Assignments.
    let mut planned: Vec<(String, usize, PrincipalType, String)> = Vec::new();
    let mut assign = |accounts: &[String], ps: usize, principal_type, principal_id: &str| {
        for account in accounts {
            planned.push((
                account.clone(),
                ps,
                principal_type,
                principal_id.to_string(),
            ));
        }
    };
    let group = |k: usize| group_ids.get(k).map(String::as_str);
    let user = |i: usize| user_ids.get(i).map(String::as_str);
    let mgmt = std::slice::from_ref(&management_account_id);
    let prod_accounts = accounts_in(&[Place::Prod, Place::Payments]);
    let dev_accounts = accounts_in(&[Place::Dev]);
    let sandbox_accounts = accounts_in(&[Place::Sandbox]);
    let security_accounts = accounts_in(&[Place::Security]);
    let member_accounts = accounts_in(&[
        Place::Root,
        Place::Prod,
        Place::Payments,
        Place::Dev,
        Place::Security,
        Place::Sandbox,
    ]);
    if let Some(g) = group(0) {
        // On every account, closed ones included: more than 100 assignments for one principal.
        assign(&all_accounts, PS_READ_ONLY, PrincipalType::Group, g);
        // AWS does not reject a duplicate; moto stores it twice. A load must report it once.
        assign(mgmt, PS_READ_ONLY, PrincipalType::Group, g);
    }
    if let Some(g) = group(1) {
        assign(&prod_accounts, PS_ADMIN, PrincipalType::Group, g);
        assign(mgmt, PS_ADMIN, PrincipalType::Group, g);
    }
    if let Some(g) = group(2) {
        assign(&dev_accounts, PS_POWER_USER, PrincipalType::Group, g);
        assign(&sandbox_accounts, PS_POWER_USER, PrincipalType::Group, g);
    }
    if let Some(g) = group(3) {
        assign(&all_accounts, PS_SECURITY_AUDIT, PrincipalType::Group, g);
    }
    if let Some(g) = group(4) {
        assign(mgmt, PS_BILLING, PrincipalType::Group, g);
    }
    if let Some(g) = group(5) {
        assign(&dev_accounts, PS_DATA, PrincipalType::Group, g);
    }
    for k in 6..group_ids.len() {
        let some: Vec<String> = member_accounts
            .iter()
            .enumerate()
            .filter(|(j, _)| j % group_ids.len() == k)
            .map(|(_, a)| a.clone())
            .collect();
        assign(&some, PS_POWER_USER, PrincipalType::Group, &group_ids[k]);
        assign(
            &security_accounts[..security_accounts.len().min(1)],
            PS_READ_ONLY,
            PrincipalType::Group,
            &group_ids[k],
        );
    }
    // A few direct user assignments.
    if let Some(u) = user(0) {
        assign(mgmt, PS_ADMIN, PrincipalType::User, u);
    }
    if let (Some(u), Some(a)) = (user(1), dev_accounts.first().or(member_accounts.first())) {
        assign(
            std::slice::from_ref(a),
            PS_POWER_USER,
            PrincipalType::User,
            u,
        );
    }
    if let (Some(u), Some(a)) = (user(2), prod_accounts.first().or(member_accounts.first())) {
        assign(std::slice::from_ref(a), PS_DATA, PrincipalType::User, u);
    }
    let assignment_of =
        |(account, ps, principal_type, principal_id): &(String, usize, PrincipalType, String)| {
            Assignment {
                account_id: account.clone(),
                permission_set_arn: ps_arns[*ps].clone(),
                principal_type: *principal_type,
                principal_id: principal_id.clone(),
            }
        };
    let mut assignments: Vec<Assignment> = planned.iter().map(assignment_of).collect();

    // A group and a user that leave after being assigned.
    let mut deleted_group_id = None;
    let mut deleted_user_id = None;
    let mut orphaned_assignments = BTreeSet::new();
    if spec.deleted_principals {
        let gone_group = create_group(
            &ids,
            &store,
            &Group {
                id: String::new(),
                display_name: "Contractors".into(),
                description: Some("Left the company".into()),
                external_ids: Vec::new(),
            },
        )
        .await;
        // Without memberships: moto keeps the memberships of a deleted user (AWS does not), so
        // a membership would outlive its user in moto alone.
        let gone_user = create_user(
            &ids,
            &store,
            &User {
                id: String::new(),
                user_name: "leaver".into(),
                display_name: Some("Le Aver".into()),
                email: Some("leaver@example.com".into()),
                external_ids: Vec::new(),
            },
            false,
        )
        .await;
        requests += 2;
        let targets: Vec<String> = sandbox_accounts
            .iter()
            .chain(&member_accounts)
            .take(2)
            .cloned()
            .collect();
        for account in &targets {
            orphaned_assignments.insert(Assignment {
                account_id: account.clone(),
                permission_set_arn: ps_arns[PS_POWER_USER].clone(),
                principal_type: PrincipalType::Group,
                principal_id: gone_group.clone(),
            });
        }
        orphaned_assignments.insert(Assignment {
            account_id: prod_accounts
                .first()
                .unwrap_or(&management_account_id)
                .clone(),
            permission_set_arn: ps_arns[PS_ADMIN].clone(),
            principal_type: PrincipalType::User,
            principal_id: gone_user.clone(),
        });
        assignments.extend(orphaned_assignments.iter().cloned());
        deleted_group_id = Some(gone_group);
        deleted_user_id = Some(gone_user);
    }

    in_order(
        assignments
            .iter()
            .map(|a| {
                let (sso, instance_arn, a) = (sso.clone(), instance_arn.clone(), a.clone());
                async move {
                    let out = sso
                        .create_account_assignment()
                        .instance_arn(&instance_arn)
                        .target_id(&a.account_id)
                        .target_type(TargetType::AwsAccount)
                        .permission_set_arn(&a.permission_set_arn)
                        .principal_type(match a.principal_type {
                            PrincipalType::Group => SdkPrincipalType::Group,
                            PrincipalType::User => SdkPrincipalType::User,
                        })
                        .principal_id(&a.principal_id)
                        .send()
                        .await
                        .unwrap_or_else(|e| fail(&format!("CreateAccountAssignment {a:?}"), e));
                    let status = out
                        .account_assignment_creation_status()
                        .and_then(|s| s.status())
                        .map(|s| s.as_str().to_string());
                    // moto answers SUCCEEDED at once; AWS would need polling.
                    assert_eq!(status.as_deref(), Some("SUCCEEDED"), "{a:?}");
                }
            })
            .collect(),
    )
    .await;
    requests += assignments.len();

    if let Some(g) = &deleted_group_id {
        ids.delete_group()
            .identity_store_id(&store)
            .group_id(g)
            .send()
            .await
            .unwrap_or_else(|e| fail("DeleteGroup", e));
        requests += 1;
    }
    if let Some(u) = &deleted_user_id {
        ids.delete_user()
            .identity_store_id(&store)
            .user_id(u)
            .send()
            .await
            .unwrap_or_else(|e| fail("DeleteUser", e));
        requests += 1;
    }

    // Provisioning. In AWS creating an assignment provisions the permission set to its account.
    // moto provisions nothing by itself, ignores the target of ProvisionPermissionSet, appends
    // the permission set to one per-instance list on every call (duplicates included) and
    // answers ListPermissionSetsProvisionedToAccount with that list for any account. So one call
    // per assigned permission set makes moto list exactly the assigned permission sets on every
    // account; one call per account would list each of them once per account it is assigned on.
    let mut provisioned: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for a in &assignments {
        provisioned
            .entry(a.permission_set_arn.clone())
            .or_default()
            .insert(a.account_id.clone());
    }
    for (arn, accounts) in &provisioned {
        let first = accounts.first().expect("assigned somewhere");
        sso.provision_permission_set()
            .instance_arn(&instance_arn)
            .permission_set_arn(arn)
            .target_type(ProvisionTargetType::AwsAccount)
            .target_id(first)
            .send()
            .await
            .unwrap_or_else(|e| fail("ProvisionPermissionSet", e));
        requests += 1;
    }

    dir.add_permission_sets(templates.iter().zip(&ps_arns).map(|(t, arn)| {
        PermissionSet {
            arn: arn.clone(),
            name: t.name.to_string(),
            description: t.description.map(str::to_string),
            session_duration: Some(t.session_duration.to_string()),
            relay_state: t.relay_state.map(str::to_string),
            managed_policies: t
                .managed
                .iter()
                .map(|arn| ManagedPolicy {
                    arn: (*arn).to_string(),
                    name: arn.rsplit('/').next().unwrap_or(arn).to_string(),
                })
                .collect(),
            customer_managed_policies: t
                .customer
                .iter()
                .map(|(name, path)| CustomerPolicyRef {
                    name: (*name).to_string(),
                    path: (*path).to_string(),
                })
                .collect(),
            inline_policy: t.inline.map(str::to_string),
            provisioned_accounts: provisioned
                .get(arn)
                .map(|a| a.iter().cloned().collect())
                .unwrap_or_default(),
            outdated_accounts: Vec::new(),
        }
    }));
    dir.add_assignments(assignments);

    Seeded {
        directory: dir,
        orphaned_assignments,
        management_account_id,
        root_id,
        ou_ids,
        deleted_group_id,
        deleted_user_id,
        requests,
    }
}

async fn create_user(
    ids: &aws_sdk_identitystore::Client,
    store: &str,
    user: &User,
    two_emails: bool,
) -> String {
    let mut request = ids
        .create_user()
        .identity_store_id(store)
        .user_name(&user.user_name)
        .set_display_name(user.display_name.clone())
        .name(
            Name::builder()
                .given_name("User")
                .family_name(&user.user_name)
                .formatted(user.display_name.clone().unwrap_or_default())
                .build(),
        );
    if let Some(email) = &user.email {
        if two_emails {
            // The primary address is not the first one.
            request = request.emails(
                Email::builder()
                    .value(format!("home.{email}"))
                    .r#type("home")
                    .primary(false)
                    .build(),
            );
        }
        request = request.emails(
            Email::builder()
                .value(email)
                .r#type("work")
                .primary(true)
                .build(),
        );
    }
    request
        .send()
        .await
        .unwrap_or_else(|e| fail(&format!("CreateUser {}", user.user_name), e))
        .user_id()
        .to_string()
}

async fn create_group(ids: &aws_sdk_identitystore::Client, store: &str, group: &Group) -> String {
    ids.create_group()
        .identity_store_id(store)
        .display_name(&group.display_name)
        .set_description(group.description.clone())
        .send()
        .await
        .unwrap_or_else(|e| fail(&format!("CreateGroup {}", group.display_name), e))
        .group_id()
        .to_string()
}

async fn create_permission_set(
    sso: &aws_sdk_ssoadmin::Client,
    instance_arn: &str,
    t: &PermissionSetTemplate,
) -> String {
    // Always with a session duration: without one moto answers a number the SDK cannot parse.
    let out = sso
        .create_permission_set()
        .instance_arn(instance_arn)
        .name(t.name)
        .set_description(t.description.map(str::to_string))
        .session_duration(t.session_duration)
        .set_relay_state(t.relay_state.map(str::to_string))
        .send()
        .await
        .unwrap_or_else(|e| fail(&format!("CreatePermissionSet {}", t.name), e));
    let arn = out
        .permission_set()
        .and_then(|p| p.permission_set_arn())
        .expect("PermissionSetArn")
        .to_string();
    for policy in t.managed {
        sso.attach_managed_policy_to_permission_set()
            .instance_arn(instance_arn)
            .permission_set_arn(&arn)
            .managed_policy_arn(*policy)
            .send()
            .await
            .unwrap_or_else(|e| fail(&format!("AttachManagedPolicy {policy} to {}", t.name), e));
    }
    for (name, path) in t.customer {
        let reference = CustomerManagedPolicyReference::builder()
            .name(*name)
            .path(*path)
            .build()
            .expect("name is set");
        sso.attach_customer_managed_policy_reference_to_permission_set()
            .instance_arn(instance_arn)
            .permission_set_arn(&arn)
            .customer_managed_policy_reference(reference)
            .send()
            .await
            .unwrap_or_else(|e| fail(&format!("AttachCustomerManagedPolicyReference {name}"), e));
    }
    if let Some(policy) = t.inline {
        sso.put_inline_policy_to_permission_set()
            .instance_arn(instance_arn)
            .permission_set_arn(&arn)
            .inline_policy(policy)
            .send()
            .await
            .unwrap_or_else(|e| fail(&format!("PutInlinePolicy {}", t.name), e));
    }
    arn
}
