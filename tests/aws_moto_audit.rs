//! `idc audit` and `idc assignments` end to end against moto: seed an organization through the
//! SDK, run the binary against it, and compare its JSON with what a separate raw SDK client
//! computes from the raw API (no product code on that side).
#![allow(clippy::unwrap_used)]

mod support;

use std::collections::{BTreeMap, BTreeSet};
use std::process::{Command, Output};

use aws_sdk_identitystore::types::MemberId;

use support::moto::{Clients, Moto};
use support::seed::{SeedSpec, seed_organization};

/// An audit row as a tuple: user_name, user_id, account_id, account_name, permission_set, via.
type AuditRow = (String, String, String, String, String, String);
/// An assignment as a tuple: account_id, permission_set_arn, principal_type, principal_id,
/// principal_name (`None` when the principal was deleted).
type AssignmentRow = (String, String, String, String, Option<String>);

/// What the raw API says, read with the plain SDK clients.
struct Raw {
    rows: BTreeSet<AuditRow>,
    assignments: BTreeSet<AssignmentRow>,
}

async fn read_raw(clients: &Clients) -> Raw {
    let (sso, ids, org) = clients;
    let instances = sso.list_instances().send().await.unwrap();
    let instance = &instances.instances()[0];
    let instance_arn = instance.instance_arn().unwrap().to_string();
    let store = instance.identity_store_id().unwrap().to_string();

    // ListAccounts, where idc walks the OU tree.
    let mut accounts = BTreeMap::new();
    let mut pages = org.list_accounts().into_paginator().send();
    while let Some(page) = pages.next().await {
        for a in page.unwrap().accounts() {
            accounts.insert(a.id().unwrap().to_string(), a.name().unwrap().to_string());
        }
    }
    let mut users = BTreeMap::new();
    let mut pages = ids
        .list_users()
        .identity_store_id(&store)
        .into_paginator()
        .items()
        .send();
    while let Some(u) = pages.next().await {
        let u = u.unwrap();
        users.insert(u.user_id().to_string(), u.user_name().unwrap().to_string());
    }
    let mut groups = BTreeMap::new();
    let mut pages = ids
        .list_groups()
        .identity_store_id(&store)
        .into_paginator()
        .items()
        .send();
    while let Some(g) = pages.next().await {
        let g = g.unwrap();
        groups.insert(
            g.group_id().to_string(),
            g.display_name().unwrap().to_string(),
        );
    }
    let mut members: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for group in groups.keys() {
        let mut pages = ids
            .list_group_memberships()
            .identity_store_id(&store)
            .group_id(group)
            .into_paginator()
            .items()
            .send();
        while let Some(m) = pages.next().await {
            if let Some(MemberId::UserId(u)) = m.unwrap().member_id() {
                members.entry(group.clone()).or_default().push(u.clone());
            }
        }
    }
    let mut permission_sets = BTreeMap::new();
    let mut pages = sso
        .list_permission_sets()
        .instance_arn(&instance_arn)
        .into_paginator()
        .items()
        .send();
    while let Some(arn) = pages.next().await {
        let arn = arn.unwrap();
        let out = sso
            .describe_permission_set()
            .instance_arn(&instance_arn)
            .permission_set_arn(&arn)
            .send()
            .await
            .unwrap();
        permission_sets.insert(
            arn,
            out.permission_set().unwrap().name().unwrap().to_string(),
        );
    }

    // Every (account, permission set) pair, provisioned or not: the slowest and surest way.
    let mut assignments = BTreeSet::new();
    for account in accounts.keys() {
        for ps in permission_sets.keys() {
            let mut pages = sso
                .list_account_assignments()
                .instance_arn(&instance_arn)
                .account_id(account)
                .permission_set_arn(ps)
                .into_paginator()
                .items()
                .send();
            while let Some(a) = pages.next().await {
                let a = a.unwrap();
                let principal_type = a.principal_type().unwrap().as_str().to_string();
                let principal_id = a.principal_id().unwrap().to_string();
                let name = match principal_type.as_str() {
                    "GROUP" => groups.get(&principal_id),
                    _ => users.get(&principal_id),
                };
                assignments.insert((
                    a.account_id().unwrap().to_string(),
                    a.permission_set_arn().unwrap().to_string(),
                    principal_type,
                    principal_id,
                    name.cloned(),
                ));
            }
        }
    }

    let mut rows = BTreeSet::new();
    for (account, ps, principal_type, principal_id, _) in &assignments {
        let row = |user: &String, via: &str| {
            (
                users[user].clone(),
                user.clone(),
                account.clone(),
                accounts[account].clone(),
                permission_sets[ps].clone(),
                via.to_string(),
            )
        };
        if principal_type == "USER" && users.contains_key(principal_id) {
            rows.insert(row(principal_id, "direct"));
        } else if let Some(group_name) = groups.get(principal_id) {
            for user in members.get(principal_id).into_iter().flatten() {
                if users.contains_key(user) {
                    rows.insert(row(user, group_name));
                }
            }
        }
    }
    Raw { rows, assignments }
}

/// Runs the idc binary against moto with dummy credentials and no rate limits.
async fn idc(moto: &Moto, args: &[&str]) -> Output {
    let home = tempfile::tempdir().unwrap();
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_idc"));
    cmd.args([
        "--endpoint-url",
        &moto.endpoint,
        "--region",
        "us-east-1",
        "--sso-admin-rps",
        "0",
        "--identity-store-rps",
        "0",
        "--organizations-rps",
        "0",
    ])
    .args(args)
    .env("AWS_ACCESS_KEY_ID", "test")
    .env("AWS_SECRET_ACCESS_KEY", "test")
    .env("AWS_EC2_METADATA_DISABLED", "true")
    // Nothing from the machine's own AWS configuration.
    .env("AWS_CONFIG_FILE", home.path().join("config"))
    .env(
        "AWS_SHARED_CREDENTIALS_FILE",
        home.path().join("credentials"),
    )
    .env_remove("AWS_PROFILE")
    .env_remove("AWS_SESSION_TOKEN")
    .env_remove("AWS_ENDPOINT_URL")
    .env_remove("COLUMNS");
    let out = tokio::task::spawn_blocking(move || cmd.output().unwrap())
        .await
        .unwrap();
    drop(home);
    out
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8(bytes.to_vec()).unwrap()
}

fn string(v: &serde_json::Value, key: &str) -> String {
    v[key]
        .as_str()
        .unwrap_or_else(|| panic!("{key} in {v}"))
        .to_string()
}

#[tokio::test(flavor = "multi_thread")]
async fn audit_json_matches_what_the_raw_api_says() {
    let moto = Moto::start();
    let clients = moto.clients().await;
    let seeded = seed_organization(&clients, &SeedSpec::small()).await;
    let raw = read_raw(&clients).await;

    let out = idc(&moto, &["--stats", "audit", "--format", "json"]).await;
    let stderr = text(&out.stderr);
    assert!(out.status.success(), "idc audit failed: {stderr}");
    // `auto` lists by pair for an audit, so the deleted principals' assignments are seen.
    assert!(
        stderr.contains("assignments strategy by-pair (asked: auto)"),
        "{stderr}"
    );
    assert!(
        stderr.contains("3 assignments of deleted groups or users match too"),
        "{stderr}"
    );
    let json: Vec<serde_json::Map<String, serde_json::Value>> =
        serde_json::from_slice(&out.stdout).unwrap();
    let keys = [
        "account_id",
        "account_name",
        "permission_set",
        "user_id",
        "user_name",
        "via",
    ];
    let rows: Vec<AuditRow> = json
        .iter()
        .map(|o| {
            let mut got: Vec<&str> = o.keys().map(String::as_str).collect();
            got.sort_unstable();
            assert_eq!(got, keys, "exactly the keys");
            let v = serde_json::Value::Object(o.clone());
            (
                string(&v, "user_name"),
                string(&v, "user_id"),
                string(&v, "account_id"),
                string(&v, "account_name"),
                string(&v, "permission_set"),
                string(&v, "via"),
            )
        })
        .collect();
    let got: BTreeSet<AuditRow> = rows.iter().cloned().collect();
    assert_eq!(got.len(), rows.len(), "no row twice");
    let missing: Vec<_> = raw.rows.difference(&got).take(10).collect();
    let extra: Vec<_> = got.difference(&raw.rows).take(10).collect();
    assert!(
        missing.is_empty() && extra.is_empty(),
        "idc: {} rows, raw API: {} rows\nmissing: {missing:#?}\nextra: {extra:#?}",
        got.len(),
        raw.rows.len()
    );

    // The comparison means something: direct and group paths, a user with several.
    assert!(raw.rows.iter().any(|r| r.5 == "direct"));
    assert!(raw.rows.iter().any(|r| r.5 == "Everyone"));
    let mut paths: BTreeMap<(&str, &str, &str), usize> = BTreeMap::new();
    for r in &raw.rows {
        *paths.entry((&r.1, &r.2, &r.4)).or_default() += 1;
    }
    assert!(paths.values().any(|n| *n > 1), "some user has two paths");
    assert_eq!(
        raw.rows.iter().map(|r| &r.1).collect::<BTreeSet<_>>().len(),
        seeded.directory.users.len(),
        "every seeded user reaches something (Everyone holds them all)"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn assignments_json_lists_what_the_raw_api_lists_including_orphans() {
    let moto = Moto::start();
    let clients = moto.clients().await;
    let seeded = seed_organization(&clients, &SeedSpec::small()).await;
    let raw = read_raw(&clients).await;

    let out = idc(&moto, &["assignments", "--format", "json"]).await;
    assert!(out.status.success(), "{}", text(&out.stderr));
    let json: Vec<serde_json::Value> = serde_json::from_slice(&out.stdout).unwrap();
    let got: BTreeSet<AssignmentRow> = json
        .iter()
        .map(|v| {
            (
                string(v, "account_id"),
                string(v, "permission_set_arn"),
                string(v, "principal_type"),
                string(v, "principal_id"),
                v["principal_name"].as_str().map(str::to_string),
            )
        })
        .collect();
    assert_eq!(got.len(), json.len(), "no assignment twice");
    assert_eq!(got, raw.assignments);

    let orphans: BTreeSet<(String, String)> = got
        .iter()
        .filter(|a| a.4.is_none())
        .map(|a| (a.2.clone(), a.3.clone()))
        .collect();
    let expected: BTreeSet<(String, String)> = [
        ("GROUP", seeded.deleted_group_id.clone().unwrap()),
        ("USER", seeded.deleted_user_id.clone().unwrap()),
    ]
    .into_iter()
    .map(|(t, id)| (t.to_string(), id))
    .collect();
    assert_eq!(orphans, expected);
}
