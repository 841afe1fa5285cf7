//! Shared by the integration tests: a private moto server per test, seeding through the SDK,
//! and a comparison of directories that names what differs.
#![allow(dead_code)] // each test binary uses its own part of this module

pub mod driver;
pub mod moto;
pub mod screen;
pub mod seed;

use std::collections::BTreeMap;
use std::fmt::{Debug, Write as _};

use idc::model::Directory;

/// At most this many items are named per kind of difference; the count says how many more.
const LISTED: usize = 15;

/// Compares two maps and describes the keys missing from `actual`, the extra ones, and the values
/// that differ.
pub fn diff_maps<K: Ord + Debug, V: PartialEq + Debug>(
    what: &str,
    actual: &BTreeMap<K, V>,
    expected: &BTreeMap<K, V>,
) -> Option<String> {
    let missing: Vec<_> = expected
        .iter()
        .filter(|(k, _)| !actual.contains_key(k))
        .collect();
    let extra: Vec<_> = actual
        .iter()
        .filter(|(k, _)| !expected.contains_key(k))
        .collect();
    let differ: Vec<_> = expected
        .iter()
        .filter_map(|(k, e)| actual.get(k).filter(|a| *a != e).map(|a| (k, e, a)))
        .collect();
    if missing.is_empty() && extra.is_empty() && differ.is_empty() {
        return None;
    }
    let mut out = format!(
        "{what}: {} loaded, {} expected; {} missing, {} extra, {} different\n",
        actual.len(),
        expected.len(),
        missing.len(),
        extra.len(),
        differ.len()
    );
    list(
        &mut out,
        "missing",
        missing.iter().map(|(_, v)| format!("{v:?}")),
    );
    list(
        &mut out,
        "extra",
        extra.iter().map(|(_, v)| format!("{v:?}")),
    );
    list(
        &mut out,
        "different",
        differ
            .iter()
            .map(|(k, e, a)| format!("{k:?}\n        expected {e:?}\n        loaded   {a:?}")),
    );
    Some(out)
}

fn list(out: &mut String, label: &str, items: impl ExactSizeIterator<Item = String>) {
    let total = items.len();
    for item in items.take(LISTED) {
        let _ = writeln!(out, "    {label}: {item}");
    }
    if total > LISTED {
        let _ = writeln!(out, "    ... and {} more {label}", total - LISTED);
    }
}

/// Every difference between two directories, one section per kind of item; `None` when equal.
pub fn diff_directories(actual: &Directory, expected: &Directory) -> Option<String> {
    let set = |s: &std::collections::BTreeSet<idc::model::Assignment>| {
        s.iter()
            .map(|a| (a.clone(), a.clone()))
            .collect::<BTreeMap<_, _>>()
    };
    let instance = (actual.instance != expected.instance).then(|| {
        format!(
            "instance:\n    expected {:?}\n    loaded   {:?}\n",
            expected.instance, actual.instance
        )
    });
    let sections = [
        instance,
        diff_maps("OUs", &actual.ous, &expected.ous),
        diff_maps("accounts", &actual.accounts, &expected.accounts),
        diff_maps("users", &actual.users, &expected.users),
        diff_maps("groups", &actual.groups, &expected.groups),
        diff_maps("memberships", &actual.memberships, &expected.memberships),
        diff_maps(
            "permission sets",
            &actual.permission_sets,
            &expected.permission_sets,
        ),
        diff_maps(
            "assignments",
            &set(&actual.assignments),
            &set(&expected.assignments),
        ),
    ];
    let report: Vec<String> = sections.into_iter().flatten().collect();
    (!report.is_empty()).then(|| report.join(""))
}

/// Panics with every difference, grouped by kind, when the directories differ.
#[track_caller]
pub fn assert_same_directory(context: &str, actual: &Directory, expected: &Directory) {
    if let Some(report) = diff_directories(actual, expected) {
        panic!("{context}: the loaded directory differs from the seeded one\n{report}");
    }
}
