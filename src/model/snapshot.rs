//! The on-disk form of a [`Directory`]: versioned JSON, written by `idc export`, read by
//! `--snapshot` and `idc diff`.

use std::path::Path;

use serde::{Deserialize, Serialize};

use super::{
    Account, Assignment, Directory, Group, Instance, Membership, OrgUnit, PermissionSet, User,
};

pub const FORMAT: &str = "idc-snapshot";
pub const VERSION: u32 = 1;

#[derive(Debug, Serialize, Deserialize)]
pub struct Snapshot {
    pub format: String,
    pub version: u32,
    /// RFC 3339 time the directory was read.
    pub created_at: String,
    pub idc_version: String,
    /// Where the data came from: `demo`, `aws`, …
    pub source: String,
    #[serde(default)]
    pub instance: Option<Instance>,
    #[serde(default)]
    pub ous: Vec<OrgUnit>,
    #[serde(default)]
    pub accounts: Vec<Account>,
    #[serde(default)]
    pub groups: Vec<Group>,
    #[serde(default)]
    pub users: Vec<User>,
    #[serde(default)]
    pub memberships: Vec<Membership>,
    #[serde(default)]
    pub permission_sets: Vec<PermissionSet>,
    #[serde(default)]
    pub assignments: Vec<Assignment>,
}

#[derive(Debug, thiserror::Error)]
pub enum SnapshotError {
    #[error("{path}: cannot read the file: {source}")]
    Io {
        path: String,
        source: std::io::Error,
    },
    #[error("{path}: line {line}, column {column}: {problem}")]
    Parse {
        path: String,
        line: usize,
        column: usize,
        problem: String,
    },
    #[error("{path}: {problem}")]
    Unsupported { path: String, problem: String },
}

#[derive(Deserialize)]
struct Header {
    format: Option<String>,
    version: Option<u32>,
}

impl Snapshot {
    pub fn new(dir: &Directory, source: &str, created_at: String) -> Self {
        Self {
            format: FORMAT.to_string(),
            version: VERSION,
            created_at,
            idc_version: env!("CARGO_PKG_VERSION").to_string(),
            source: source.to_string(),
            instance: dir.instance.clone(),
            ous: dir.ous.values().cloned().collect(),
            accounts: dir.accounts.values().cloned().collect(),
            groups: dir.groups.values().cloned().collect(),
            users: dir.users.values().cloned().collect(),
            memberships: dir.memberships.values().cloned().collect(),
            permission_sets: dir.permission_sets.values().cloned().collect(),
            assignments: dir.assignments.iter().cloned().collect(),
        }
    }

    pub fn into_directory(self) -> Directory {
        let mut dir = Directory {
            instance: self.instance,
            ..Directory::default()
        };
        dir.add_ous(self.ous);
        dir.add_accounts(self.accounts);
        dir.add_groups(self.groups);
        dir.add_users(self.users);
        dir.add_memberships(self.memberships);
        dir.add_permission_sets(self.permission_sets);
        dir.add_assignments(self.assignments);
        dir
    }

    /// Parses a snapshot; `path` only names the source in errors.
    pub fn parse(text: &str, path: &str) -> Result<Self, SnapshotError> {
        let parse_error = |e: serde_json::Error| SnapshotError::Parse {
            path: path.to_string(),
            line: e.line(),
            column: e.column(),
            problem: describe(&e),
        };
        // The header first, so that a newer version is named as such rather than as whatever
        // field it happens to have changed.
        let header: Header = serde_json::from_str(text).map_err(parse_error)?;
        if header.format.as_deref() != Some(FORMAT) {
            return Err(SnapshotError::Unsupported {
                path: path.to_string(),
                problem: format!(
                    "not an idc snapshot (expected \"format\": \"{FORMAT}\"); write one with `idc export -o FILE`"
                ),
            });
        }
        match header.version {
            Some(VERSION) => {}
            Some(v) => {
                return Err(SnapshotError::Unsupported {
                    path: path.to_string(),
                    problem: format!(
                        "snapshot version {v} is not supported (this idc {} reads version {VERSION})",
                        env!("CARGO_PKG_VERSION")
                    ),
                });
            }
            None => {
                return Err(SnapshotError::Unsupported {
                    path: path.to_string(),
                    problem: "the snapshot has no \"version\" field".to_string(),
                });
            }
        }
        serde_json::from_str(text).map_err(parse_error)
    }

    pub fn load(path: &Path) -> Result<Self, SnapshotError> {
        let name = path.display().to_string();
        let text = std::fs::read_to_string(path).map_err(|source| SnapshotError::Io {
            path: name.clone(),
            source,
        })?;
        Self::parse(&text, &name)
    }

    pub fn to_json(&self) -> String {
        // Serializing plain data with string keys cannot fail.
        serde_json::to_string_pretty(self).unwrap_or_default()
    }
}

/// serde_json's message without its trailing " at line L column C", which we print ourselves.
fn describe(e: &serde_json::Error) -> String {
    let msg = e.to_string();
    match msg.rfind(" at line ") {
        Some(i) => msg[..i].to_string(),
        None => msg,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{AccountStatus, PrincipalType};

    fn sample() -> Directory {
        let mut d = Directory::default();
        d.add_accounts([Account {
            id: "111111111111".into(),
            name: "prod, \"main\" — ünïcode".into(),
            email: "a@example.com".into(),
            status: AccountStatus::Suspended,
            parent_id: Some("ou-1".into()),
        }]);
        d.add_assignments([Assignment {
            account_id: "111111111111".into(),
            permission_set_arn: "arn:ps".into(),
            principal_type: PrincipalType::User,
            principal_id: "u".into(),
        }]);
        d
    }

    #[test]
    fn round_trips() {
        let snap = Snapshot::new(&sample(), "test", "2026-01-01T00:00:00Z".into());
        let back = Snapshot::parse(&snap.to_json(), "x.json").expect("parses");
        assert_eq!(back.into_directory(), sample());
    }

    #[test]
    fn truncated_file_names_position() {
        let json = Snapshot::new(&sample(), "test", "t".into()).to_json();
        let cut = &json[..json.len() / 2];
        let err = Snapshot::parse(cut, "snap.json").expect_err("truncated");
        let text = err.to_string();
        assert!(text.starts_with("snap.json: line "), "{text}");
        assert!(text.contains("EOF"), "{text}");
    }

    #[test]
    fn unknown_version_and_foreign_json_are_named() {
        let err = Snapshot::parse(r#"{"format":"idc-snapshot","version":99}"#, "s.json")
            .expect_err("v99");
        assert!(
            err.to_string().contains("version 99 is not supported"),
            "{err}"
        );
        let err = Snapshot::parse(r#"{"hello":1}"#, "s.json").expect_err("foreign");
        assert!(err.to_string().contains("not an idc snapshot"), "{err}");
        let err = Snapshot::parse("[1,2]", "s.json").expect_err("array");
        assert!(
            err.to_string().starts_with("s.json: line 1, column"),
            "{err}"
        );
    }

    #[test]
    fn wrong_field_type_is_positioned() {
        let text = r#"{"format":"idc-snapshot","version":1,"created_at":"t","idc_version":"0","source":"x",
"accounts":[{"id":5,"name":"n"}]}"#;
        let err = Snapshot::parse(text, "s.json").expect_err("bad id");
        assert!(
            err.to_string().starts_with("s.json: line 2, column"),
            "{err}"
        );
        assert!(err.to_string().contains("invalid type"), "{err}");
    }
}
