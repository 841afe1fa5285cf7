use std::time::Duration;

use crate::backend::RequestStats;
use crate::model::{
    Account, Assignment, Directory, Group, Instance, Membership, OrgUnit, PermissionSet, User,
};

use super::loader::Strategy;

/// The parts of a load, each with its own progress counter.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Stage {
    Accounts,
    Users,
    Groups,
    Memberships,
    PermissionSets,
    Assignments,
}

impl Stage {
    pub const ALL: [Stage; 6] = [
        Stage::Accounts,
        Stage::Users,
        Stage::Groups,
        Stage::Memberships,
        Stage::PermissionSets,
        Stage::Assignments,
    ];

    pub fn label(self) -> &'static str {
        match self {
            Stage::Accounts => "accounts",
            Stage::Users => "users",
            Stage::Groups => "groups",
            Stage::Memberships => "memberships",
            Stage::PermissionSets => "permission sets",
            Stage::Assignments => "assignments",
        }
    }
}

/// What the loader reports as it goes; the app folds these into its directory.
#[derive(Clone, Debug)]
pub enum LoadEvent {
    Instance(Instance),
    Ous(Vec<OrgUnit>),
    Accounts(Vec<Account>),
    Users(Vec<User>),
    Groups(Vec<Group>),
    Memberships(Vec<Membership>),
    PermissionSet(PermissionSet),
    Assignments(Vec<Assignment>),
    /// Work done and known so far in a stage (requests, or items where there is one request).
    Progress {
        stage: Stage,
        done: usize,
        total: usize,
    },
    Warning(String),
    Error(String),
    Finished(LoadSummary),
}

impl LoadEvent {
    /// Folds the data this event carries into `dir`; returns whether anything changed.
    pub fn apply_to(&self, dir: &mut Directory) -> bool {
        match self {
            LoadEvent::Instance(i) => dir.instance = Some(i.clone()),
            LoadEvent::Ous(v) => dir.add_ous(v.iter().cloned()),
            LoadEvent::Accounts(v) => dir.add_accounts(v.iter().cloned()),
            LoadEvent::Users(v) => dir.add_users(v.iter().cloned()),
            LoadEvent::Groups(v) => dir.add_groups(v.iter().cloned()),
            LoadEvent::Memberships(v) => dir.add_memberships(v.iter().cloned()),
            LoadEvent::PermissionSet(p) => dir.add_permission_sets([p.clone()]),
            LoadEvent::Assignments(v) => dir.add_assignments(v.iter().cloned()),
            LoadEvent::Progress { .. }
            | LoadEvent::Warning(_)
            | LoadEvent::Error(_)
            | LoadEvent::Finished(_) => return false,
        }
        true
    }
}

/// How a load ended: the assignments strategy used (none when it stopped before), its wall
/// time and the requests it made.
#[derive(Clone, Debug, Default)]
pub struct LoadSummary {
    pub strategy: Option<Strategy>,
    pub elapsed: Duration,
    pub stats: RequestStats,
}

/// Progress of every stage, for the title bar and the progress bar.
#[derive(Clone, Debug, Default)]
pub struct LoadProgress {
    stages: std::collections::BTreeMap<Stage, (usize, usize)>,
}

impl LoadProgress {
    pub fn update(&mut self, stage: Stage, done: usize, total: usize) {
        self.stages.insert(stage, (done, total));
    }

    pub fn get(&self, stage: Stage) -> Option<(usize, usize)> {
        self.stages.get(&stage).copied()
    }

    /// Overall completion in [0, 1]: stages not started yet count as not done.
    pub fn ratio(&self) -> f64 {
        let parts: f64 = Stage::ALL
            .iter()
            .map(|s| match self.stages.get(s) {
                Some((_, 0)) => 1.0,
                Some((done, total)) => (*done as f64 / *total as f64).min(1.0),
                None => 0.0,
            })
            .sum();
        parts / Stage::ALL.len() as f64
    }
}
