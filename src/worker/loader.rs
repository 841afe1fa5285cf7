//! Loads a whole directory through a [`Backend`], concurrently, reporting each part as it
//! arrives so that the panes fill while the rest is still on its way.

use std::collections::BTreeSet;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use futures::StreamExt;
use futures::stream;

use super::{LoadEvent, LoadSummary, Stage};
use crate::backend::{Backend, BackendError, ProvisioningFilter, RequestStats};
use crate::model::{
    Account, AccountStatus, Directory, Instance, PermissionSet, Principal, PrincipalType,
};

/// How to enumerate account assignments.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, clap::ValueEnum)]
pub enum Strategy {
    /// The one with fewer requests, given what the cheap calls told.
    #[default]
    Auto,
    /// ListAccountAssignmentsForPrincipal for every group and user (management account only;
    /// misses assignments of deleted principals).
    ByPrincipal,
    /// ListAccountAssignments for every (account, provisioned permission set) pair; works for
    /// delegated administrators and finds assignments of deleted principals.
    ByPair,
}

impl Strategy {
    pub fn label(self) -> &'static str {
        match self {
            Strategy::Auto => "auto",
            Strategy::ByPrincipal => "by-principal",
            Strategy::ByPair => "by-pair",
        }
    }
}

#[derive(Clone, Debug)]
pub struct LoadOptions {
    pub strategy: Strategy,
    /// Requests in flight at once per part of the load; the backend paces them further.
    pub concurrency: usize,
}

impl Default for LoadOptions {
    fn default() -> Self {
        Self {
            strategy: Strategy::Auto,
            concurrency: 16,
        }
    }
}

/// The result of a load that ran to the end (see [`load_directory`]).
#[derive(Debug)]
pub struct LoadOutcome {
    pub directory: Directory,
    pub strategy: Option<Strategy>,
    pub warnings: Vec<String>,
    pub errors: Vec<String>,
    pub stats: RequestStats,
    pub elapsed: Duration,
}

pub type Emit = Arc<dyn Fn(LoadEvent) + Send + Sync>;

/// Loads everything and returns it in one piece: for subcommands and tests.
pub async fn load_directory(backend: Arc<dyn Backend>, opts: &LoadOptions) -> LoadOutcome {
    let sink = Arc::new(Mutex::new(LoadOutcome {
        directory: Directory::default(),
        strategy: None,
        warnings: Vec::new(),
        errors: Vec::new(),
        stats: RequestStats::default(),
        elapsed: Duration::ZERO,
    }));
    let collect = Arc::clone(&sink);
    let emit: Emit = Arc::new(move |event| {
        let Ok(mut out) = collect.lock() else { return };
        if event.apply_to(&mut out.directory) {
            return;
        }
        match event {
            LoadEvent::Warning(w) => out.warnings.push(w),
            LoadEvent::Error(e) => out.errors.push(e),
            LoadEvent::Finished(summary) => {
                out.strategy = summary.strategy;
                out.elapsed = summary.elapsed;
                out.stats = summary.stats;
            }
            _ => {}
        }
    });
    run(backend, opts.clone(), emit).await;
    let mut guard = sink
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    std::mem::replace(
        &mut *guard,
        LoadOutcome {
            directory: Directory::default(),
            strategy: None,
            warnings: Vec::new(),
            errors: Vec::new(),
            stats: RequestStats::default(),
            elapsed: Duration::ZERO,
        },
    )
}

/// Loads everything, emitting events as parts arrive; always ends with `Finished`.
pub async fn run(backend: Arc<dyn Backend>, opts: LoadOptions, emit: Emit) {
    let started = Instant::now();
    let before = backend.stats();
    let loader = Loader {
        backend,
        opts,
        emit,
    };
    let strategy = loader.load().await;
    (loader.emit)(LoadEvent::Finished(LoadSummary {
        strategy,
        elapsed: started.elapsed(),
        // The backend counts for its whole life; a reload reports its own requests.
        stats: loader.backend.stats().since(&before),
    }));
}

struct Loader {
    backend: Arc<dyn Backend>,
    opts: LoadOptions,
    emit: Emit,
}

/// Errors of one part of the load, reported once with a count rather than once per request.
#[derive(Default)]
struct Failures(Mutex<Vec<BackendError>>);

impl Failures {
    fn push(&self, e: BackendError) {
        if let Ok(mut v) = self.0.lock() {
            v.push(e);
        }
    }

    fn take(&self) -> Vec<BackendError> {
        self.0
            .lock()
            .map(|mut v| std::mem::take(&mut *v))
            .unwrap_or_default()
    }
}

impl Loader {
    fn progress(&self, stage: Stage, done: usize, total: usize) {
        (self.emit)(LoadEvent::Progress { stage, done, total });
    }

    fn report(&self, what: &str, failures: &Failures) {
        let errors = failures.take();
        let Some(first) = errors.first() else { return };
        let message = if errors.len() == 1 {
            format!("loading {what}: {first}")
        } else {
            format!(
                "loading {what}: {} requests failed, first: {first}",
                errors.len()
            )
        };
        (self.emit)(LoadEvent::Error(message));
    }

    async fn load(&self) -> Option<Strategy> {
        let instance = match self.backend.instance().await {
            Ok(i) => i,
            Err(e) => {
                (self.emit)(LoadEvent::Error(e.to_string()));
                return None;
            }
        };
        (self.emit)(LoadEvent::Instance(instance.clone()));
        let (accounts, group_ids, user_ids, permission_sets) = tokio::join!(
            self.load_organization(),
            self.load_groups(&instance),
            self.load_users(&instance),
            self.load_permission_sets(&instance),
        );
        let accounts = match accounts {
            Some(accounts) => accounts,
            None => self.accounts_from_sso_admin(&permission_sets),
        };
        Some(
            self.load_assignments(
                &instance,
                &accounts,
                &group_ids,
                &user_ids,
                &permission_sets,
            )
            .await,
        )
    }

    /// Walks the OU tree level by level; `None` when Organizations is not readable.
    async fn load_organization(&self) -> Option<Vec<String>> {
        let roots = match self.backend.list_roots().await {
            Ok(r) => r,
            Err(e @ BackendError::AccessDenied { .. }) => {
                (self.emit)(LoadEvent::Warning(format!(
                    "Organizations is not readable ({e}); accounts are listed from what sso-admin knows, with ids for names"
                )));
                return None;
            }
            Err(e) => {
                (self.emit)(LoadEvent::Error(format!("loading the organization: {e}")));
                return None;
            }
        };
        let mut level: Vec<String> = roots.iter().map(|r| r.id.clone()).collect();
        (self.emit)(LoadEvent::Ous(roots));
        let mut account_ids = Vec::new();
        let (mut done, mut total) = (0, level.len());
        self.progress(Stage::Accounts, done, total);
        let failures = Failures::default();
        while !level.is_empty() {
            let results: Vec<_> = stream::iter(level.drain(..))
                .map(|parent| async move {
                    let (ous, accounts) = tokio::join!(
                        self.backend.list_child_ous(&parent),
                        self.backend.list_accounts_for_parent(&parent)
                    );
                    (ous, accounts)
                })
                .buffer_unordered(self.opts.concurrency.max(1))
                .collect()
                .await;
            for (ous, accounts) in results {
                done += 1;
                match ous {
                    Ok(ous) => {
                        total += ous.len();
                        level.extend(ous.iter().map(|o| o.id.clone()));
                        (self.emit)(LoadEvent::Ous(ous));
                    }
                    Err(e) => failures.push(e),
                }
                match accounts {
                    Ok(accounts) => {
                        account_ids.extend(accounts.iter().map(|a| a.id.clone()));
                        (self.emit)(LoadEvent::Accounts(accounts));
                    }
                    Err(e) => failures.push(e),
                }
                self.progress(Stage::Accounts, done, total);
            }
        }
        self.report("the organization", &failures);
        Some(account_ids)
    }

    /// Without Organizations, the accounts are those the permission sets are provisioned to.
    fn accounts_from_sso_admin(&self, permission_sets: &[PermissionSet]) -> Vec<String> {
        let ids: BTreeSet<&String> = permission_sets
            .iter()
            .flat_map(|p| &p.provisioned_accounts)
            .collect();
        let accounts: Vec<Account> = ids
            .iter()
            .map(|id| Account {
                id: (*id).clone(),
                name: (*id).clone(),
                email: String::new(),
                status: AccountStatus::Unknown,
                parent_id: None,
            })
            .collect();
        self.progress(Stage::Accounts, 1, 1);
        (self.emit)(LoadEvent::Accounts(accounts));
        ids.into_iter().cloned().collect()
    }

    async fn load_users(&self, instance: &Instance) -> Vec<String> {
        self.progress(Stage::Users, 0, 1);
        match self.backend.list_users(&instance.identity_store_id).await {
            Ok(users) => {
                let ids = users.iter().map(|u| u.id.clone()).collect();
                (self.emit)(LoadEvent::Users(users));
                self.progress(Stage::Users, 1, 1);
                ids
            }
            Err(e) => {
                (self.emit)(LoadEvent::Error(format!("loading users: {e}")));
                Vec::new()
            }
        }
    }

    async fn load_groups(&self, instance: &Instance) -> Vec<String> {
        self.progress(Stage::Groups, 0, 1);
        let groups = match self.backend.list_groups(&instance.identity_store_id).await {
            Ok(g) => g,
            Err(e) => {
                (self.emit)(LoadEvent::Error(format!("loading groups: {e}")));
                return Vec::new();
            }
        };
        let ids: Vec<String> = groups.iter().map(|g| g.id.clone()).collect();
        (self.emit)(LoadEvent::Groups(groups));
        self.progress(Stage::Groups, 1, 1);

        let total = ids.len();
        self.progress(Stage::Memberships, 0, total);
        let failures = Failures::default();
        let unsupported = std::sync::atomic::AtomicBool::new(false);
        let mut done = 0;
        let unsupported_ref = &unsupported;
        let mut results = stream::iter(ids.clone())
            .map(|group_id| async move {
                if unsupported_ref.load(std::sync::atomic::Ordering::Relaxed) {
                    return None;
                }
                Some(
                    self.backend
                        .list_group_memberships(&instance.identity_store_id, &group_id)
                        .await,
                )
            })
            .buffer_unordered(self.opts.concurrency.max(1));
        while let Some(result) = results.next().await {
            done += 1;
            match result {
                Some(Ok(members)) => (self.emit)(LoadEvent::Memberships(members)),
                Some(Err(e @ BackendError::UnknownOperation { .. }))
                    if !unsupported.swap(true, std::sync::atomic::Ordering::Relaxed) =>
                {
                    (self.emit)(LoadEvent::Warning(format!(
                        "group members cannot be listed ({e}); this happens with legacy AD sync. Groups are shown without members"
                    )));
                }
                Some(Err(BackendError::UnknownOperation { .. })) => {}
                Some(Err(e)) => failures.push(e),
                None => {}
            }
            self.progress(Stage::Memberships, done, total);
        }
        drop(results);
        self.report("group memberships", &failures);
        ids
    }

    async fn load_permission_sets(&self, instance: &Instance) -> Vec<PermissionSet> {
        let arn = &instance.instance_arn;
        self.progress(Stage::PermissionSets, 0, 1);
        let arns = match self.backend.list_permission_sets(arn).await {
            Ok(a) => a,
            Err(e) => {
                (self.emit)(LoadEvent::Error(format!("loading permission sets: {e}")));
                return Vec::new();
            }
        };
        let total = arns.len();
        self.progress(Stage::PermissionSets, 0, total);
        let arn = arn.as_str();
        let failures = Failures::default();
        let mut loaded = Vec::with_capacity(total);
        let mut results = stream::iter(arns)
            .map(|ps| async move {
                let ps = ps.as_str();
                let (details, all, outdated) = tokio::join!(
                    self.backend.describe_permission_set(arn, ps),
                    self.backend.list_accounts_for_provisioned_permission_set(
                        arn,
                        ps,
                        ProvisioningFilter::All
                    ),
                    self.backend.list_accounts_for_provisioned_permission_set(
                        arn,
                        ps,
                        ProvisioningFilter::Outdated
                    ),
                );
                let mut details = details?;
                details.provisioned_accounts = all?;
                details.outdated_accounts = outdated?;
                Ok::<_, BackendError>(details)
            })
            .buffer_unordered(self.opts.concurrency.max(1));
        while let Some(result) = results.next().await {
            match result {
                Ok(ps) => {
                    (self.emit)(LoadEvent::PermissionSet(ps.clone()));
                    loaded.push(ps);
                }
                Err(e) => failures.push(e),
            }
            self.progress(Stage::PermissionSets, loaded.len(), total);
        }
        self.report("permission sets", &failures);
        loaded
    }

    async fn load_assignments(
        &self,
        instance: &Instance,
        accounts: &[String],
        group_ids: &[String],
        user_ids: &[String],
        permission_sets: &[PermissionSet],
    ) -> Strategy {
        let by_principal_cost = group_ids.len() + user_ids.len();
        let by_pair_cost = accounts.len()
            + permission_sets
                .iter()
                .map(|p| p.provisioned_accounts.len())
                .sum::<usize>();
        let strategy = match self.opts.strategy {
            Strategy::Auto if by_principal_cost <= by_pair_cost => Strategy::ByPrincipal,
            Strategy::Auto => Strategy::ByPair,
            forced => forced,
        };
        if strategy == Strategy::ByPrincipal {
            let principals: Vec<Principal> = group_ids
                .iter()
                .map(|id| (PrincipalType::Group, id))
                .chain(user_ids.iter().map(|id| (PrincipalType::User, id)))
                .map(|(principal_type, id)| Principal {
                    principal_type,
                    principal_id: id.clone(),
                })
                .collect();
            match self.by_principal(instance, &principals).await {
                Ok(()) => return Strategy::ByPrincipal,
                Err(e) => (self.emit)(LoadEvent::Warning(format!(
                    "listing assignments by principal was denied ({e}); listing them by account and permission set instead"
                ))),
            }
        }
        self.by_pair(instance, accounts).await;
        Strategy::ByPair
    }

    /// Fails only when the first request is denied, so that the caller can fall back.
    async fn by_principal(
        &self,
        instance: &Instance,
        principals: &[Principal],
    ) -> Result<(), BackendError> {
        let arn = &instance.instance_arn;
        let total = principals.len();
        self.progress(Stage::Assignments, 0, total);
        let Some((first, rest)) = principals.split_first() else {
            return Ok(());
        };
        match self
            .backend
            .list_assignments_for_principal(arn, first)
            .await
        {
            Ok(found) => (self.emit)(LoadEvent::Assignments(found)),
            Err(e @ BackendError::AccessDenied { .. }) => return Err(e),
            Err(e) => (self.emit)(LoadEvent::Error(format!("loading assignments: {e}"))),
        }
        self.progress(Stage::Assignments, 1, total);
        let failures = Failures::default();
        let mut done = 1;
        let mut results = stream::iter(rest.to_vec())
            .map(|p| async move { self.backend.list_assignments_for_principal(arn, &p).await })
            .buffer_unordered(self.opts.concurrency.max(1));
        while let Some(result) = results.next().await {
            done += 1;
            match result {
                Ok(found) => (self.emit)(LoadEvent::Assignments(found)),
                Err(e) => failures.push(e),
            }
            self.progress(Stage::Assignments, done, total);
        }
        self.report("assignments", &failures);
        Ok(())
    }

    async fn by_pair(&self, instance: &Instance, accounts: &[String]) {
        let arn = &instance.instance_arn;
        let failures = Failures::default();
        let (mut done, mut total) = (0, accounts.len());
        self.progress(Stage::Assignments, done, total);
        // First the permission sets provisioned to each account, then each pair.
        let mut pairs = Vec::new();
        let mut results = stream::iter(accounts.to_vec())
            .map(|account| async move {
                let result = self
                    .backend
                    .list_permission_sets_provisioned_to_account(arn, &account)
                    .await;
                (account, result)
            })
            .buffer_unordered(self.opts.concurrency.max(1));
        while let Some((account, result)) = results.next().await {
            done += 1;
            match result {
                Ok(sets) => {
                    // A permission set listed twice must not cost two requests.
                    let sets: BTreeSet<String> = sets.into_iter().collect();
                    total += sets.len();
                    pairs.extend(sets.into_iter().map(|ps| (account.clone(), ps)));
                }
                Err(e) => failures.push(e),
            }
            self.progress(Stage::Assignments, done, total);
        }
        drop(results);
        let mut results =
            stream::iter(pairs)
                .map(|(account, ps)| async move {
                    self.backend.list_assignments(arn, &account, &ps).await
                })
                .buffer_unordered(self.opts.concurrency.max(1));
        while let Some(result) = results.next().await {
            done += 1;
            match result {
                Ok(found) => (self.emit)(LoadEvent::Assignments(found)),
                Err(e) => failures.push(e),
            }
            self.progress(Stage::Assignments, done, total);
        }
        self.report("assignments", &failures);
    }
}

#[cfg(test)]
mod tests;
