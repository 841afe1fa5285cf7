//! Applies staged changes in the background, as AWS allows: one change per account at a
//! time, at most N creations outstanding, retries with backoff on conflicts and throttling,
//! every request polled until it succeeds or fails. Each step is reported as it happens.

use std::collections::BTreeMap;
use std::sync::Arc;
use std::time::Duration;

use futures::future::join_all;
use tokio::sync::Semaphore;

use crate::backend::{Backend, BackendError, PermissionSetSpec, RequestState, RequestStatus};
use crate::model::{Assignment, Instance, PermissionSet};
use crate::plan::{Change, ItemStatus};

#[derive(Clone, Debug)]
pub struct ApplyOptions {
    /// Assignment creations in flight at once (AWS allows 15).
    pub max_outstanding: usize,
    pub poll_interval: Duration,
    /// Attempts per request when AWS answers with a conflict or throttling.
    pub max_attempts: u32,
    /// The first pause before a retry; it doubles each time, up to 16 times this.
    pub backoff: Duration,
    /// Permission set provisionings in flight at once (AWS allows 3).
    pub max_provisioning: usize,
}

impl Default for ApplyOptions {
    fn default() -> Self {
        Self {
            max_outstanding: 15,
            poll_interval: Duration::from_millis(500),
            max_attempts: 8,
            backoff: Duration::from_millis(250),
            max_provisioning: 3,
        }
    }
}

/// What the runner reports.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ApplyEvent {
    Status { item: u64, status: ItemStatus },
    Finished,
}

pub type Emit = Arc<dyn Fn(ApplyEvent) + Send + Sync>;

/// Applies `items` (plan item id and change); ends with `Finished`.
pub async fn run(
    backend: Arc<dyn Backend>,
    instance: Instance,
    items: Vec<(u64, Change)>,
    opts: ApplyOptions,
    emit: Emit,
) {
    for (id, _) in &items {
        emit(ApplyEvent::Status {
            item: *id,
            status: ItemStatus::Queued,
        });
    }
    // One queue per lane (an account, or a membership), run one after the other; the queues
    // run side by side.
    let mut queues: BTreeMap<String, Vec<(u64, Change)>> = BTreeMap::new();
    for (id, change) in items {
        queues.entry(change.lane()).or_default().push((id, change));
    }
    let slots = Semaphore::new(opts.max_outstanding.max(1));
    let provisions = Semaphore::new(opts.max_provisioning.max(1));
    let runner = Runner {
        backend,
        instance,
        opts,
        emit,
        slots,
        provisions,
    };
    join_all(queues.into_values().map(|queue| runner.run_queue(queue))).await;
    (runner.emit)(ApplyEvent::Finished);
}

struct Runner {
    backend: Arc<dyn Backend>,
    instance: Instance,
    opts: ApplyOptions,
    emit: Emit,
    slots: Semaphore,
    /// Provisionings in flight.
    provisions: Semaphore,
}

impl Runner {
    async fn run_queue(&self, queue: Vec<(u64, Change)>) {
        for (id, change) in queue {
            let status = match &change {
                Change::Assign(a) | Change::Unassign(a) => {
                    self.apply_assignment(id, &change, a).await
                }
                Change::AddMember { group_id, user_id }
                | Change::RemoveMember { group_id, user_id } => {
                    self.apply_membership(&change, group_id, user_id).await
                }
                Change::CreatePermissionSet(spec) => self.create_permission_set(spec).await,
                Change::AttachManagedPolicy {
                    permission_set_arn,
                    policy_arn,
                } => self.attach_policy(permission_set_arn, policy_arn).await,
                Change::Provision { permission_set_arn } => {
                    self.provision(id, &change, permission_set_arn).await
                }
                Change::UpdatePermissionSet {
                    permission_set_arn,
                    spec,
                } => self.update_permission_set(permission_set_arn, spec).await,
                Change::DetachManagedPolicy {
                    permission_set_arn,
                    policy_arn,
                } => self.detach_policy(permission_set_arn, policy_arn).await,
                Change::DeletePermissionSet { permission_set_arn } => {
                    self.delete_permission_set(permission_set_arn).await
                }
                Change::AttachCustomerPolicy {
                    permission_set_arn,
                    name,
                    path,
                } => {
                    self.customer_policy(true, permission_set_arn, name, path)
                        .await
                }
                Change::DetachCustomerPolicy {
                    permission_set_arn,
                    name,
                    path,
                } => {
                    self.customer_policy(false, permission_set_arn, name, path)
                        .await
                }
                Change::PutInlinePolicy {
                    permission_set_arn,
                    policy,
                } => {
                    self.put_inline_policy(permission_set_arn, policy.as_deref())
                        .await
                }
            };
            (self.emit)(ApplyEvent::Status { item: id, status });
        }
    }

    /// Memberships change at once (no request to poll); the membership id is the receipt.
    async fn apply_membership(&self, change: &Change, group_id: &str, user_id: &str) -> ItemStatus {
        let store = &self.instance.identity_store_id;
        let current = match self
            .retrying(|| self.backend.list_group_memberships(store, group_id))
            .await
        {
            Ok(members) => members.into_iter().find(|m| m.user_id == user_id),
            Err(e) => return ItemStatus::Failed(format!("checking the current members: {e}")),
        };
        let result = match (change.is_addition(), current) {
            (true, Some(_)) => {
                return ItemStatus::Skipped("the user is already a member".to_string());
            }
            (false, None) => {
                return ItemStatus::Skipped("the user is already not a member".to_string());
            }
            (true, None) => {
                self.retrying(|| {
                    self.backend
                        .create_group_membership(store, group_id, user_id)
                })
                .await
            }
            (false, Some(m)) => {
                let Some(membership_id) = m.membership_id else {
                    return ItemStatus::Failed(
                        "AWS listed the membership without its id".to_string(),
                    );
                };
                self.retrying(|| self.backend.delete_group_membership(store, &membership_id))
                    .await
                    .map(|()| membership_id.clone())
            }
        };
        match result {
            Ok(request_id) => ItemStatus::Succeeded { request_id },
            Err(e) => ItemStatus::Failed(e.to_string()),
        }
    }

    async fn apply_assignment(&self, id: u64, change: &Change, a: &Assignment) -> ItemStatus {
        let instance_arn = &self.instance.instance_arn;
        // AWS does not reject a duplicate: look before sending.
        let existing = match self
            .retrying(|| {
                self.backend
                    .list_assignments(instance_arn, &a.account_id, &a.permission_set_arn)
            })
            .await
        {
            Ok(found) => found.contains(a),
            Err(e) => return ItemStatus::Failed(format!("checking the current assignments: {e}")),
        };
        match (change.is_addition(), existing) {
            (true, true) => {
                return ItemStatus::Skipped("the assignment already exists".to_string());
            }
            (false, false) => {
                return ItemStatus::Skipped("the assignment is already gone".to_string());
            }
            _ => {}
        }
        // Creations hold one of the outstanding slots until they finish.
        let _slot = if change.is_addition() {
            match self.slots.acquire().await {
                Ok(permit) => Some(permit),
                Err(_) => return ItemStatus::Failed("the apply runner stopped".to_string()),
            }
        } else {
            None
        };
        let started = self
            .retrying(|| async {
                if change.is_addition() {
                    self.backend.create_assignment(instance_arn, a).await
                } else {
                    self.backend.delete_assignment(instance_arn, a).await
                }
            })
            .await;
        match started {
            Ok(status) => self.follow(id, change, status).await,
            Err(e) => ItemStatus::Failed(e.to_string()),
        }
    }

    /// Creates a permission set; its ARN is the receipt. A name that exists is answered with a
    /// conflict, which waiting does not cure: only throttling is retried. (Looking for the name
    /// first would take one DescribePermissionSet per permission set; the form and staging
    /// already refuse the names the loaded directory holds.)
    async fn create_permission_set(&self, spec: &PermissionSetSpec) -> ItemStatus {
        let instance_arn = &self.instance.instance_arn;
        let mut pause = self.opts.backoff;
        let mut attempt = 1;
        loop {
            match self.backend.create_permission_set(instance_arn, spec).await {
                Ok(arn) => return ItemStatus::Succeeded { request_id: arn },
                Err(BackendError::Throttled { .. }) if attempt < self.opts.max_attempts => {
                    tokio::time::sleep(pause).await;
                    pause = (pause * 2).min(self.opts.backoff * 16);
                    attempt += 1;
                }
                Err(e @ BackendError::Conflict { .. }) => {
                    return ItemStatus::Failed(format!(
                        "{e} (a permission set named {} may exist already)",
                        spec.name
                    ));
                }
                Err(e) => return ItemStatus::Failed(e.to_string()),
            }
        }
    }

    /// Reads the permission set; `check` says whether the change is already so (or cannot be
    /// made), else `call` makes it and `receipt` names what changed.
    async fn edit_permission_set<F, Fut>(
        &self,
        permission_set_arn: &str,
        check: impl FnOnce(&PermissionSet) -> Option<ItemStatus>,
        call: F,
        receipt: String,
    ) -> ItemStatus
    where
        F: Fn() -> Fut,
        Fut: Future<Output = Result<(), BackendError>>,
    {
        let instance_arn = &self.instance.instance_arn;
        match self
            .retrying(|| {
                self.backend
                    .describe_permission_set(instance_arn, permission_set_arn)
            })
            .await
        {
            Ok(ps) => {
                if let Some(status) = check(&ps) {
                    return status;
                }
            }
            Err(e) => return ItemStatus::Failed(format!("checking the permission set: {e}")),
        }
        match self.retrying(call).await {
            Ok(()) => ItemStatus::Succeeded {
                request_id: receipt,
            },
            Err(e) => ItemStatus::Failed(e.to_string()),
        }
    }

    /// Attaches a managed policy unless it is attached already; the policy ARN is the receipt.
    async fn attach_policy(&self, permission_set_arn: &str, policy_arn: &str) -> ItemStatus {
        let instance_arn = &self.instance.instance_arn;
        let check = |ps: &PermissionSet| {
            if ps.managed_policies.iter().any(|p| p.arn == policy_arn) {
                Some(ItemStatus::Skipped(
                    "the policy is already attached".to_string(),
                ))
            } else if ps.managed_policies.len() >= 20 {
                Some(ItemStatus::Failed(format!(
                    "{} already holds 20 managed policies, the most AWS allows",
                    ps.name
                )))
            } else {
                None
            }
        };
        let call = || {
            self.backend
                .attach_managed_policy(instance_arn, permission_set_arn, policy_arn)
        };
        self.edit_permission_set(permission_set_arn, check, call, policy_arn.to_string())
            .await
    }

    /// Updates the description, session duration and relay state unless the set has them
    /// already; the permission set ARN is the receipt.
    async fn update_permission_set(
        &self,
        permission_set_arn: &str,
        spec: &PermissionSetSpec,
    ) -> ItemStatus {
        let instance_arn = &self.instance.instance_arn;
        let check = |ps: &PermissionSet| {
            spec.matches(ps).then(|| {
                ItemStatus::Skipped("the permission set already has these settings".to_string())
            })
        };
        let call = || {
            self.backend
                .update_permission_set(instance_arn, permission_set_arn, spec)
        };
        self.edit_permission_set(
            permission_set_arn,
            check,
            call,
            permission_set_arn.to_string(),
        )
        .await
    }

    /// Detaches a managed policy unless it is detached already; the policy ARN is the receipt.
    async fn detach_policy(&self, permission_set_arn: &str, policy_arn: &str) -> ItemStatus {
        let instance_arn = &self.instance.instance_arn;
        let check = |ps: &PermissionSet| {
            (!ps.managed_policies.iter().any(|p| p.arn == policy_arn))
                .then(|| ItemStatus::Skipped("the policy is already detached".to_string()))
        };
        let call = || {
            self.backend
                .detach_managed_policy(instance_arn, permission_set_arn, policy_arn)
        };
        self.edit_permission_set(permission_set_arn, check, call, policy_arn.to_string())
            .await
    }

    /// Attaches (or detaches) a customer managed policy reference unless the set holds it
    /// (or lacks it) already; the reference's path and name are the receipt.
    async fn customer_policy(
        &self,
        attach: bool,
        permission_set_arn: &str,
        name: &str,
        path: &str,
    ) -> ItemStatus {
        let instance_arn = &self.instance.instance_arn;
        let check = |ps: &PermissionSet| {
            let held = ps
                .customer_managed_policies
                .iter()
                .any(|c| c.name == name && c.path == path);
            match (attach, held) {
                (true, true) => Some(ItemStatus::Skipped(
                    "the reference is already attached".to_string(),
                )),
                (false, false) => Some(ItemStatus::Skipped(
                    "the reference is already detached".to_string(),
                )),
                _ => None,
            }
        };
        let call = || async {
            if attach {
                self.backend
                    .attach_customer_managed_policy(instance_arn, permission_set_arn, name, path)
                    .await
            } else {
                self.backend
                    .detach_customer_managed_policy(instance_arn, permission_set_arn, name, path)
                    .await
            }
        };
        self.edit_permission_set(permission_set_arn, check, call, format!("{path}{name}"))
            .await
    }

    /// Puts (or with `None` deletes) the inline policy unless the set holds that policy
    /// already; the permission set ARN is the receipt.
    async fn put_inline_policy(
        &self,
        permission_set_arn: &str,
        policy: Option<&str>,
    ) -> ItemStatus {
        let instance_arn = &self.instance.instance_arn;
        let check = |ps: &PermissionSet| {
            crate::plan::same_policy(ps.inline_policy.as_deref(), policy).then(|| {
                ItemStatus::Skipped(if policy.is_some() {
                    "the permission set already has this inline policy".to_string()
                } else {
                    "the permission set already has no inline policy".to_string()
                })
            })
        };
        let call = || {
            self.backend
                .put_inline_policy(instance_arn, permission_set_arn, policy)
        };
        self.edit_permission_set(
            permission_set_arn,
            check,
            call,
            permission_set_arn.to_string(),
        )
        .await
    }

    /// Deletes a permission set unless it is gone already; the permission set ARN is the
    /// receipt. A conflict (it is still assigned somewhere) is not cured by waiting: only
    /// throttling is retried.
    async fn delete_permission_set(&self, permission_set_arn: &str) -> ItemStatus {
        let instance_arn = &self.instance.instance_arn;
        match self
            .retrying(|| {
                self.backend
                    .describe_permission_set(instance_arn, permission_set_arn)
            })
            .await
        {
            Ok(_) => {}
            Err(BackendError::NotFound { .. }) => {
                return ItemStatus::Skipped("the permission set is already deleted".to_string());
            }
            Err(e) => return ItemStatus::Failed(format!("checking the permission set: {e}")),
        }
        let mut pause = self.opts.backoff;
        let mut attempt = 1;
        loop {
            match self
                .backend
                .delete_permission_set(instance_arn, permission_set_arn)
                .await
            {
                Ok(()) => {
                    return ItemStatus::Succeeded {
                        request_id: permission_set_arn.to_string(),
                    };
                }
                Err(BackendError::Throttled { .. }) if attempt < self.opts.max_attempts => {
                    tokio::time::sleep(pause).await;
                    pause = (pause * 2).min(self.opts.backoff * 16);
                    attempt += 1;
                }
                Err(e @ BackendError::Conflict { .. }) => {
                    return ItemStatus::Failed(format!(
                        "{e} (it may still be assigned somewhere: remove its assignments first)"
                    ));
                }
                Err(e) => return ItemStatus::Failed(e.to_string()),
            }
        }
    }

    /// Provisions to every account the set is provisioned to, holding one of the (three)
    /// provisioning slots until AWS says it is done.
    async fn provision(&self, id: u64, change: &Change, permission_set_arn: &str) -> ItemStatus {
        let instance_arn = &self.instance.instance_arn;
        let Ok(_slot) = self.provisions.acquire().await else {
            return ItemStatus::Failed("the apply runner stopped".to_string());
        };
        let started = self
            .retrying(|| {
                self.backend
                    .provision_permission_set(instance_arn, permission_set_arn, None)
            })
            .await;
        match started {
            Ok(status) => self.follow(id, change, status).await,
            Err(e) => ItemStatus::Failed(e.to_string()),
        }
    }

    /// Polls an asynchronous request until it succeeds or fails, reporting it in progress.
    async fn follow(&self, id: u64, change: &Change, mut status: RequestStatus) -> ItemStatus {
        loop {
            match status.state {
                RequestState::Succeeded => {
                    return ItemStatus::Succeeded {
                        request_id: status.request_id,
                    };
                }
                RequestState::Failed(reason) => return ItemStatus::Failed(reason),
                RequestState::InProgress => {}
            }
            (self.emit)(ApplyEvent::Status {
                item: id,
                status: ItemStatus::InProgress {
                    request_id: status.request_id.clone(),
                },
            });
            tokio::time::sleep(self.opts.poll_interval).await;
            status = match self.poll(change, &status).await {
                Ok(s) => s,
                Err(e) => {
                    return ItemStatus::Failed(format!(
                        "request {} was sent but its status could not be read: {e}",
                        status.request_id
                    ));
                }
            };
        }
    }

    async fn poll(
        &self,
        change: &Change,
        status: &RequestStatus,
    ) -> Result<RequestStatus, BackendError> {
        let (instance_arn, id) = (&self.instance.instance_arn, &status.request_id);
        self.retrying(|| async {
            if matches!(change, Change::Provision { .. }) {
                self.backend.provisioning_status(instance_arn, id).await
            } else if change.is_addition() {
                self.backend
                    .assignment_creation_status(instance_arn, id)
                    .await
            } else {
                self.backend
                    .assignment_deletion_status(instance_arn, id)
                    .await
            }
        })
        .await
    }

    /// Runs `call` again after a growing pause while it fails with a conflict or throttling.
    async fn retrying<T, F, Fut>(&self, call: F) -> Result<T, BackendError>
    where
        F: Fn() -> Fut,
        Fut: Future<Output = Result<T, BackendError>>,
    {
        let mut pause = self.opts.backoff;
        let mut attempt = 1;
        loop {
            match call().await {
                Err(e) if e.is_transient() && attempt < self.opts.max_attempts => {
                    tokio::time::sleep(pause).await;
                    pause = (pause * 2).min(self.opts.backoff * 16);
                    attempt += 1;
                }
                result => return result,
            }
        }
    }
}

#[cfg(test)]
mod tests;
