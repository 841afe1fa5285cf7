//! The plan and the journal on disk, in the state directory: the plan is saved after every
//! change so that a crash or a quit loses nothing; every applied change is appended to the
//! journal.

use std::io::Write;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use super::{Change, Plan};
use crate::model::Directory;

/// `$IDC_STATE_DIR`, else `$XDG_STATE_HOME/idc`, else `~/.local/state/idc`.
pub fn default_state_dir() -> Option<PathBuf> {
    if let Some(dir) = std::env::var_os("IDC_STATE_DIR") {
        return Some(PathBuf::from(dir));
    }
    if let Some(dir) = std::env::var_os("XDG_STATE_HOME").filter(|d| !d.is_empty()) {
        return Some(PathBuf::from(dir).join("idc"));
    }
    std::env::var_os("HOME").map(|home| PathBuf::from(home).join(".local/state/idc"))
}

/// Where one instance's plan and journal live.
#[derive(Clone, Debug)]
pub struct Store {
    dir: PathBuf,
}

/// A journal line: one applied (or skipped, or failed) change, in ids and names.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct JournalEntry {
    pub time: String,
    pub batch: String,
    /// The change in words, as the plan showed it.
    pub description: String,
    pub change: Change,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub account_name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub permission_set_name: Option<String>,
    /// The group or user of an assignment; the group of a membership.
    pub principal_name: Option<String>,
    pub request_id: Option<String>,
    /// `SUCCEEDED`, `FAILED: reason` or `SKIPPED: reason`.
    pub result: String,
}

impl JournalEntry {
    pub fn new(
        dir: &Directory,
        batch: &str,
        change: &Change,
        request_id: Option<String>,
        result: String,
        time: String,
    ) -> Self {
        let (account_name, permission_set_name, principal_name) = match change {
            Change::Assign(a) | Change::Unassign(a) => (
                Some(dir.account_name(&a.account_id).to_string()),
                Some(dir.permission_set_name(&a.permission_set_arn).to_string()),
                dir.principal_name(a.principal_type, &a.principal_id)
                    .map(str::to_string),
            ),
            Change::AddMember { group_id, .. } | Change::RemoveMember { group_id, .. } => (
                None,
                None,
                dir.groups.get(group_id).map(|g| g.display_name.clone()),
            ),
            Change::CreatePermissionSet(spec) => (None, Some(spec.name.clone()), None),
            Change::AttachManagedPolicy {
                permission_set_arn, ..
            }
            | Change::Provision { permission_set_arn }
            | Change::UpdatePermissionSet {
                permission_set_arn, ..
            }
            | Change::DetachManagedPolicy {
                permission_set_arn, ..
            }
            | Change::DeletePermissionSet { permission_set_arn }
            | Change::PutInlinePolicy {
                permission_set_arn, ..
            }
            | Change::AttachCustomerPolicy {
                permission_set_arn, ..
            }
            | Change::DetachCustomerPolicy {
                permission_set_arn, ..
            } => (
                None,
                Some(dir.permission_set_name(permission_set_arn).to_string()),
                None,
            ),
        };
        Self {
            time,
            batch: batch.to_string(),
            description: change.describe(dir),
            change: change.clone(),
            account_name,
            permission_set_name,
            principal_name,
            request_id,
            result,
        }
    }

    pub fn succeeded(&self) -> bool {
        self.result == "SUCCEEDED"
    }
}

impl Store {
    /// The store of one instance under `state_dir` (the instance ARN's last part names it).
    pub fn new(state_dir: &Path, instance_arn: &str) -> Self {
        let id: String = instance_arn
            .rsplit('/')
            .next()
            .unwrap_or(instance_arn)
            .chars()
            .map(|c| {
                if c.is_ascii_alphanumeric() || c == '-' {
                    c
                } else {
                    '_'
                }
            })
            .collect();
        Self {
            dir: state_dir.join(id),
        }
    }

    pub fn plan_path(&self) -> PathBuf {
        self.dir.join("plan.json")
    }

    pub fn journal_path(&self) -> PathBuf {
        self.dir.join("journal.jsonl")
    }

    /// The saved plan; none saved is an empty plan. A damaged file is an error naming it, so
    /// that it is not silently overwritten.
    pub fn load_plan(&self) -> Result<Plan, String> {
        let path = self.plan_path();
        match std::fs::read_to_string(&path) {
            Ok(text) => serde_json::from_str::<Plan>(&text)
                .map(Plan::restored)
                .map_err(|e| {
                    format!(
                        "{}: the saved plan is damaged ({e}); move it away to start a new one",
                        path.display()
                    )
                }),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(Plan::default()),
            Err(e) => Err(format!(
                "{}: cannot read the saved plan: {e}",
                path.display()
            )),
        }
    }

    /// Saves atomically: a crash mid-write leaves the previous plan, never half a file.
    pub fn save_plan(&self, plan: &Plan) -> Result<(), String> {
        let path = self.plan_path();
        let fail = |e: std::io::Error| format!("{}: cannot save the plan: {e}", path.display());
        std::fs::create_dir_all(&self.dir).map_err(fail)?;
        let tmp = self.dir.join("plan.json.tmp");
        let text = serde_json::to_string_pretty(plan).map_err(|e| e.to_string())?;
        std::fs::write(&tmp, text).map_err(fail)?;
        std::fs::rename(&tmp, &path).map_err(fail)
    }

    pub fn append_journal(&self, entries: &[JournalEntry]) -> Result<(), String> {
        let path = self.journal_path();
        let fail = |e: std::io::Error| format!("{}: cannot write the journal: {e}", path.display());
        std::fs::create_dir_all(&self.dir).map_err(fail)?;
        let mut file = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(&path)
            .map_err(fail)?;
        let mut text = String::new();
        for e in entries {
            text.push_str(&serde_json::to_string(e).map_err(|e| e.to_string())?);
            text.push('\n');
        }
        file.write_all(text.as_bytes()).map_err(fail)
    }

    /// The entries of the last batch in the journal; lines that do not parse are skipped.
    pub fn last_batch(&self) -> Result<Vec<JournalEntry>, String> {
        let path = self.journal_path();
        let text = match std::fs::read_to_string(&path) {
            Ok(t) => t,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
            Err(e) => return Err(format!("{}: cannot read the journal: {e}", path.display())),
        };
        let entries: Vec<JournalEntry> = text
            .lines()
            .filter_map(|l| serde_json::from_str(l).ok())
            .collect();
        let Some(last) = entries.last().map(|e| e.batch.clone()) else {
            return Ok(Vec::new());
        };
        Ok(entries.into_iter().filter(|e| e.batch == last).collect())
    }
}
