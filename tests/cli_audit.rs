//! `idc assignments`, `idc audit` and `idc diff` as a person runs them: the binary on the demo
//! organization and on snapshots, its stdout compared with reviewed snapshots (insta), CSV
//! read back with the csv crate, exit codes and messages checked.
#![allow(clippy::unwrap_used)]

use std::collections::BTreeMap;
use std::path::Path;
use std::process::{Command, Output};

use unicode_width::UnicodeWidthStr;

const AUDIT_KEYS: [&str; 6] = [
    "user_name",
    "user_id",
    "account_id",
    "account_name",
    "permission_set",
    "via",
];
const ASSIGNMENT_KEYS: [&str; 7] = [
    "account_id",
    "account_name",
    "permission_set",
    "permission_set_arn",
    "principal_type",
    "principal_id",
    "principal_name",
];

/// Runs idc in `dir` with stdout piped (so tables are not cut) and no `COLUMNS`.
fn idc_in(dir: &Path, args: &[&str], env: &[(&str, &str)]) -> Output {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_idc"));
    cmd.args(args).current_dir(dir).env_remove("COLUMNS");
    for (k, v) in env {
        cmd.env(k, v);
    }
    cmd.output().unwrap()
}

fn idc(args: &[&str]) -> Output {
    idc_in(Path::new(env!("CARGO_TARGET_TMPDIR")), args, &[])
}

fn stdout(out: &Output) -> String {
    String::from_utf8(out.stdout.clone()).unwrap()
}

fn stderr(out: &Output) -> String {
    String::from_utf8(out.stderr.clone()).unwrap()
}

/// Runs idc, asserts exit status 0, returns stdout.
#[track_caller]
fn ok(args: &[&str]) -> String {
    let out = idc(args);
    assert!(
        out.status.success(),
        "idc {args:?} exited with {}: {}",
        out.status,
        stderr(&out)
    );
    stdout(&out)
}

type Object = BTreeMap<String, serde_json::Value>;

fn json_rows(text: &str) -> Vec<Object> {
    serde_json::from_str(text).unwrap()
}

/// CSV parsed with the csv crate: the header, then each record as strings.
fn csv_rows(text: &str) -> (Vec<String>, Vec<Vec<String>>) {
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    let header = reader.headers().unwrap().iter().map(String::from).collect();
    let rows = reader
        .records()
        .map(|r| r.unwrap().iter().map(String::from).collect())
        .collect();
    (header, rows)
}

/// JSON rows as CSV would hold them: in key order, `null` as an empty field.
fn as_records(rows: &[Object], keys: &[&str]) -> Vec<Vec<String>> {
    rows.iter()
        .map(|o| {
            assert_eq!(
                o.keys().map(String::as_str).collect::<Vec<_>>(),
                {
                    let mut k = keys.to_vec();
                    k.sort_unstable();
                    k
                },
                "exactly the issue's keys"
            );
            keys.iter()
                .map(|k| match &o[*k] {
                    serde_json::Value::Null => String::new(),
                    serde_json::Value::String(s) => s.clone(),
                    other => panic!("{k} is {other}"),
                })
                .collect()
        })
        .collect()
}

/// "Who can reach payments-prod with admin rights, and through which group?"
#[test]
fn audit_answers_who_can_reach_an_account_with_admin_rights() {
    let args = [
        "--demo",
        "audit",
        "--account",
        "payments-prod",
        "--permission-set",
        "AdministratorAccess",
    ];
    insta::assert_snapshot!("audit_payments_prod_admin_table", ok(&args));

    let csv = ok(&[&args[..], &["--format", "csv"]].concat());
    let json = ok(&[&args[..], &["--format", "json"]].concat());
    let (header, records) = csv_rows(&csv);
    assert_eq!(header, AUDIT_KEYS);
    assert_eq!(records, as_records(&json_rows(&json), &AUDIT_KEYS));
    assert!(!records.is_empty());
    assert!(
        records
            .iter()
            .all(|r| r[3] == "payments-prod" && r[4] == "AdministratorAccess" && !r[5].is_empty())
    );
    insta::assert_snapshot!("audit_payments_prod_admin_csv", csv.replace("\r\n", "\n"));

    // --admin takes every permission set with full administrative access, whatever its name.
    assert_eq!(
        ok(&["--demo", "audit", "--account", "payments-prod", "--admin"]),
        ok(&args)
    );
    insta::assert_snapshot!(
        "audit_management_admin_table",
        ok(&[
            "--demo",
            "audit",
            "--account",
            "northwind-management",
            "--admin"
        ])
    );
}

#[test]
fn audit_json_covers_every_user_with_exactly_the_keys_sorted() {
    let rows = json_rows(&ok(&["--demo", "audit", "--format", "json"]));
    let records = as_records(&rows, &AUDIT_KEYS);
    assert!(records.len() > 1000, "{} rows", records.len());
    // Sorted by user name, then account name, permission set, path (direct first).
    let key = |r: &Vec<String>| {
        (
            r[0].to_lowercase(),
            r[1].clone(),
            r[3].to_lowercase(),
            r[2].clone(),
            r[4].to_lowercase(),
            r[5] != "direct",
            r[5].to_lowercase(),
        )
    };
    assert!(
        records.windows(2).all(|w| key(&w[0]) <= key(&w[1])),
        "rows are sorted"
    );
    // A user in several granting groups gets every path.
    let mut paths: BTreeMap<(&str, &str, &str), Vec<&str>> = BTreeMap::new();
    for r in &records {
        paths.entry((&r[0], &r[2], &r[4])).or_default().push(&r[5]);
    }
    assert!(paths.values().any(|v| v.len() > 1));
    let direct = records.iter().filter(|r| r[5] == "direct").count();
    assert!(direct > 0 && direct < 10, "{direct} direct paths");
    // The table counts the same rows.
    let table = ok(&["--demo", "audit"]);
    assert!(
        table.contains(&format!(
            "\n{} paths for 48 users on 36 accounts\n",
            records.len()
        )),
        "{}",
        &table[table.len().saturating_sub(400)..]
    );
}

#[test]
fn audit_table_marks_suspended_accounts_and_lists_orphaned_assignments() {
    let suspended = ok(&["--demo", "audit", "--account", "520481152372"]);
    assert!(
        suspended.contains("[SUSPENDED] legacy-erp-migration"),
        "{suspended}"
    );
    let closing = ok(&["--demo", "audit", "--account", "sandbox-hackathon-2025"]);
    assert!(
        closing.contains("[PENDING_CLOSURE] sandbox-hackathon-2025"),
        "{closing}"
    );

    let out = idc(&["--demo", "audit", "--account", "logistics-routing-prod"]);
    assert!(out.status.success());
    let text = stdout(&out);
    let at = text
        .find("\n\nOrphaned assignments (1)")
        .unwrap_or_else(|| panic!("no orphan section in {text}"));
    let orphans = &text[at + 2..];
    insta::assert_snapshot!("audit_orphan_section", orphans);

    // CSV and JSON hold the rows only; the orphan is counted on stderr.
    let out = idc(&[
        "--demo",
        "audit",
        "--account",
        "logistics-routing-prod",
        "--format",
        "json",
    ]);
    assert!(out.status.success());
    let rows = json_rows(&stdout(&out));
    assert!(
        rows.iter()
            .all(|r| r["account_name"] == "logistics-routing-prod")
    );
    assert!(
        stderr(&out).contains("1 assignment of a deleted group or user matches too"),
        "{}",
        stderr(&out)
    );
    // A group filter selects no orphan.
    let out = idc(&[
        "--demo",
        "audit",
        "--group",
        "Contractors-Acme",
        "--format",
        "csv",
    ]);
    assert!(out.status.success());
    assert_eq!(stderr(&out), "");
}

#[test]
fn audit_through_one_group() {
    insta::assert_snapshot!(
        "audit_group_contractors",
        ok(&["--demo", "audit", "--group", "contractors-acme"])
    );
    insta::assert_snapshot!(
        "audit_user_direct_and_groups",
        ok(&["--demo", "audit", "--user", "breakglass@northwind.example"])
    );
}

#[test]
fn table_fits_columns_when_asked_and_cuts_with_an_ellipsis() {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR"));
    let out = idc_in(
        dir,
        &["--demo", "audit", "--account", "legacy-erp-migration"],
        &[("COLUMNS", "80")],
    );
    assert!(out.status.success());
    let text = stdout(&out);
    for line in text.lines() {
        assert!(line.width() <= 80, "{} columns: {line}", line.width());
    }
    assert!(text.contains('…'));
    insta::assert_snapshot!("audit_suspended_80_columns", text);
}

#[test]
fn assignments_list_every_assignment_including_orphans() {
    let csv = ok(&["--demo", "assignments", "--format", "csv"]);
    assert!(
        csv.split_inclusive('\n').all(|l| l.ends_with("\r\n")),
        "RFC 4180 ends records with CRLF"
    );
    let (header, records) = csv_rows(&csv);
    assert_eq!(header, ASSIGNMENT_KEYS);
    assert_eq!(records.len(), 191);
    let json = json_rows(&ok(&["--demo", "assignments", "--format", "json"]));
    assert_eq!(records, as_records(&json, &ASSIGNMENT_KEYS));
    let orphans: Vec<_> = json
        .iter()
        .filter(|r| r["principal_name"].is_null())
        .collect();
    assert_eq!(
        orphans.len(),
        1,
        "the demo keeps one assignment of a deleted group"
    );
    assert_eq!(orphans[0]["principal_type"], "GROUP");
    assert!(records.iter().all(|r| r[4] == "GROUP" || r[4] == "USER"));
    insta::assert_snapshot!("assignments_demo_csv", csv.replace("\r\n", "\n"));

    let table = ok(&["--demo", "assignments"]);
    assert!(
        table.contains("(deleted group 9067a1b2c3-33d20a07"),
        "{table}"
    );
    assert_eq!(table.lines().count(), 192);
}

#[test]
fn unknown_names_exit_2_with_the_closest_names() {
    let out = idc(&["--demo", "audit", "--account", "paymnts-prod"]);
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(stdout(&out), "");
    assert_eq!(
        stderr(&out),
        "idc: --account \"paymnts-prod\": no account has this id or name; did you mean \"payments-prod\", \"payments-ledger-prod\" or \"payments-dev\"?\n"
    );

    let out = idc(&[
        "--demo",
        "audit",
        "--user",
        "maria.garcia",
        "--group",
        "Platform-Admins",
        "--permission-set",
        "Administrator",
        "--format",
        "json",
    ]);
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(stdout(&out), "");
    insta::assert_snapshot!("unknown_names_message", stderr(&out));

    let out = idc(&["--demo", "audit", "--account", "999999999999"]);
    assert_eq!(out.status.code(), Some(2));
    let err = stderr(&out);
    assert!(
        err.starts_with("idc: --account \"999999999999\": no account"),
        "{err}"
    );
}

/// Writes the demo organization as a snapshot into `dir`, with every assignment (by pair).
fn export(dir: &Path, name: &str) -> serde_json::Value {
    let out = idc_in(
        dir,
        &["--demo", "--strategy", "by-pair", "export", "-o", name],
        &[],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    serde_json::from_str(&std::fs::read_to_string(dir.join(name)).unwrap()).unwrap()
}

fn write(dir: &Path, name: &str, snapshot: &serde_json::Value) {
    std::fs::write(
        dir.join(name),
        serde_json::to_string_pretty(snapshot).unwrap(),
    )
    .unwrap();
}

fn find<'a>(list: &'a mut serde_json::Value, key: &str, value: &str) -> &'a mut serde_json::Value {
    list.as_array_mut()
        .unwrap()
        .iter_mut()
        .find(|x| x[key] == value)
        .unwrap_or_else(|| panic!("no {key} = {value}"))
}

#[test]
fn a_snapshot_gives_the_same_answers_as_the_live_demo() {
    let tmp = tempfile::tempdir().unwrap();
    export(tmp.path(), "snap.json");
    let run = |args: &[&str]| {
        let out = idc_in(tmp.path(), args, &[]);
        assert!(out.status.success(), "{}", stderr(&out));
        stdout(&out)
    };
    for what in [["audit", "json"], ["assignments", "csv"]] {
        let [cmd, format] = what;
        assert_eq!(
            run(&["--snapshot", "snap.json", cmd, "--format", format]),
            run(&["--demo", cmd, "--format", format]),
            "{cmd} --format {format}"
        );
    }
}

#[test]
fn csv_keeps_names_with_commas_quotes_and_non_ascii() {
    let tmp = tempfile::tempdir().unwrap();
    let mut snap = export(tmp.path(), "snap.json");
    let account = "Payments, \"Prod\" — Zürich 支付";
    let group = "Platform \"Admins\", EU";
    find(&mut snap["accounts"], "name", "payments-prod")["name"] = account.into();
    find(&mut snap["groups"], "display_name", "PlatformAdmins")["display_name"] = group.into();
    write(tmp.path(), "edited.json", &snap);

    let run = |format: &str| {
        let out = idc_in(
            tmp.path(),
            &[
                "--snapshot",
                "edited.json",
                "audit",
                "--account",
                account,
                "--format",
                format,
            ],
            &[],
        );
        assert!(out.status.success(), "{}", stderr(&out));
        stdout(&out)
    };
    let csv = run("csv");
    assert!(
        csv.contains("\"Payments, \"\"Prod\"\" — Zürich 支付\""),
        "{csv}"
    );
    let (header, records) = csv_rows(&csv);
    assert_eq!(header, AUDIT_KEYS);
    assert_eq!(records, as_records(&json_rows(&run("json")), &AUDIT_KEYS));
    assert!(records.iter().all(|r| r[3] == account));
    assert!(records.iter().any(|r| r[5] == group));

    // The assignments too.
    let out = idc_in(
        tmp.path(),
        &[
            "--snapshot",
            "edited.json",
            "assignments",
            "--format",
            "csv",
        ],
        &[],
    );
    let (_, records) = csv_rows(&stdout(&out));
    assert!(records.iter().any(|r| r[1] == account && r[6] == group));
}

#[test]
fn diff_of_two_snapshots_names_every_change() {
    let tmp = tempfile::tempdir().unwrap();
    let mut old = export(tmp.path(), "old.json");
    old["created_at"] = "2026-01-01T00:00:00Z".into();
    write(tmp.path(), "old.json", &old);
    let mut new = old.clone();
    new["created_at"] = "2026-02-01T00:00:00Z".into();
    let id = |list: &serde_json::Value, key: &str, value: &str| -> String {
        list.as_array()
            .unwrap()
            .iter()
            .find(|x| x[key] == value)
            .unwrap()["id"]
            .as_str()
            .unwrap()
            .to_string()
    };
    let break_glass = id(&new["groups"], "display_name", "BreakGlass");
    let contractors = id(&new["groups"], "display_name", "Contractors-Acme");
    let tom = id(&new["users"], "user_name", "tom.baker@northwind.example");
    let jane = id(&new["users"], "user_name", "j.doe@acme-consulting.example");
    let ps_arn = |name: &str| -> String {
        old["permission_sets"]
            .as_array()
            .unwrap()
            .iter()
            .find(|p| p["name"] == name)
            .unwrap()["arn"]
            .as_str()
            .unwrap()
            .to_string()
    };
    let admin = ps_arn("BreakGlassAdmin");
    let billing = ps_arn("Billing");
    // Tom joins BreakGlass and gets Billing on payments-prod directly; Jane leaves (deleted
    // from the directory); the contractors lose an assignment; a session gets longer.
    new["memberships"]
        .as_array_mut()
        .unwrap()
        .push(serde_json::json!({"group_id": break_glass, "user_id": tom}));
    new["users"]
        .as_array_mut()
        .unwrap()
        .retain(|u| u["id"] != jane.as_str());
    new["memberships"]
        .as_array_mut()
        .unwrap()
        .retain(|m| m["user_id"] != jane.as_str());
    let assignments = new["assignments"].as_array_mut().unwrap();
    let before = assignments.len();
    let mut removed = false;
    assignments.retain(|a| {
        let drop = !removed && a["principal_id"] == contractors.as_str();
        removed |= drop;
        !drop
    });
    assert_eq!(assignments.len(), before - 1);
    assignments.push(serde_json::json!({
        "account_id": "515726479433",
        "permission_set_arn": billing,
        "principal_type": "USER",
        "principal_id": tom,
    }));
    find(&mut new["permission_sets"], "arn", &admin)["session_duration"] = "PT12H".into();
    write(tmp.path(), "new.json", &new);

    let run = |args: &[&str]| {
        let out = idc_in(tmp.path(), args, &[]);
        assert!(out.status.success(), "{}", stderr(&out));
        stdout(&out)
    };
    let table = run(&["diff", "old.json", "new.json"]);
    insta::assert_snapshot!("diff_table", table);

    let json: serde_json::Value =
        serde_json::from_str(&run(&["diff", "old.json", "new.json", "--format", "json"])).unwrap();
    assert_eq!(json["old"]["created_at"], "2026-01-01T00:00:00Z");
    assert_eq!(json["assignments_added"].as_array().unwrap().len(), 1);
    assert_eq!(json["assignments_removed"].as_array().unwrap().len(), 1);
    assert_eq!(json["memberships_added"][0]["group_name"], "BreakGlass");
    let left: Vec<&str> = json["memberships_removed"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["user_name"].as_str().unwrap())
        .collect();
    assert!(
        left.iter().all(|u| *u == "j.doe@acme-consulting.example"),
        "{left:?}"
    );
    assert_eq!(
        json["permission_sets_changed"],
        serde_json::json!([{
            "permission_set": "BreakGlassAdmin",
            "permission_set_arn": admin,
            "field": "session_duration",
            "old": "PT1H",
            "new": "PT12H",
        }])
    );
    let gained = json["access_gained"].as_array().unwrap();
    assert!(
        gained
            .iter()
            .all(|g| g["user_name"] == "tom.baker@northwind.example")
    );
    assert!(
        gained
            .iter()
            .any(|g| g["via"] == serde_json::json!(["direct"]))
    );
    assert!(
        gained
            .iter()
            .any(|g| g["via"] == serde_json::json!(["BreakGlass"]))
    );
    let lost = json["access_lost"].as_array().unwrap();
    assert!(
        lost.iter()
            .any(|l| l["user_name"] == "j.doe@acme-consulting.example")
    );

    // Nothing differs from itself.
    assert_eq!(
        run(&["diff", "old.json", "old.json"]),
        "old.json (2026-01-01T00:00:00Z, demo) -> old.json (2026-01-01T00:00:00Z, demo)\nNo differences.\n"
    );
}

#[test]
fn diff_of_a_bad_file_exits_2_with_its_position() {
    let tmp = tempfile::tempdir().unwrap();
    export(tmp.path(), "good.json");
    std::fs::write(
        tmp.path().join("cut.json"),
        "{\"format\": \"idc-snapshot\",\n\"version\": 1,\n",
    )
    .unwrap();
    let out = idc_in(tmp.path(), &["diff", "good.json", "cut.json"], &[]);
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(stdout(&out), "");
    let err = stderr(&out);
    assert!(
        err.starts_with("idc: cut.json: line 3, column 0: EOF"),
        "{err}"
    );
    assert_eq!(err.lines().count(), 1, "{err}");

    let out = idc_in(tmp.path(), &["diff", "missing.json", "good.json"], &[]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).starts_with("idc: missing.json: cannot read the file"),
        "{}",
        stderr(&out)
    );

    let out = idc_in(
        tmp.path(),
        &["--demo", "diff", "good.json", "good.json"],
        &[],
    );
    assert_eq!(out.status.code(), Some(2));
}
