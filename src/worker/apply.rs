//! Applies staged changes in the background, as AWS allows: one change per account at a
//! time, at most N creations outstanding, retries with backoff on conflicts and throttling,
//! every request polled until it succeeds or fails. Each step is reported as it happens.

use std::collections::BTreeMap;
use std::sync::Arc;
use std::time::Duration;

use futures::future::join_all;
use tokio::sync::Semaphore;

use crate::backend::{Backend, BackendError, RequestState, RequestStatus};
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
}

impl Default for ApplyOptions {
    fn default() -> Self {
        Self {
            max_outstanding: 15,
            poll_interval: Duration::from_millis(500),
            max_attempts: 8,
            backoff: Duration::from_millis(250),
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
    instance_arn: String,
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
    // One queue per account, run one after the other; the queues run side by side.
    let mut queues: BTreeMap<String, Vec<(u64, Change)>> = BTreeMap::new();
    for (id, change) in items {
        queues
            .entry(change.account_id().to_string())
            .or_default()
            .push((id, change));
    }
    let slots = Semaphore::new(opts.max_outstanding.max(1));
    let runner = Runner {
        backend,
        instance_arn,
        opts,
        emit,
        slots,
    };
    join_all(queues.into_values().map(|queue| runner.run_queue(queue))).await;
    (runner.emit)(ApplyEvent::Finished);
}

struct Runner {
    backend: Arc<dyn Backend>,
    instance_arn: String,
    opts: ApplyOptions,
    emit: Emit,
    slots: Semaphore,
}

impl Runner {
    async fn run_queue(&self, queue: Vec<(u64, Change)>) {
        for (id, change) in queue {
            let status = self.apply_one(id, &change).await;
            (self.emit)(ApplyEvent::Status { item: id, status });
        }
    }

    async fn apply_one(&self, id: u64, change: &Change) -> ItemStatus {
        let a = change.assignment();
        // AWS does not reject a duplicate: look before sending.
        let existing = match self
            .retrying(|| {
                self.backend.list_assignments(
                    &self.instance_arn,
                    &a.account_id,
                    &a.permission_set_arn,
                )
            })
            .await
        {
            Ok(found) => found.contains(a),
            Err(e) => return ItemStatus::Failed(format!("checking the current assignments: {e}")),
        };
        match change {
            Change::Assign(_) if existing => {
                return ItemStatus::Skipped("the assignment already exists".to_string());
            }
            Change::Unassign(_) if !existing => {
                return ItemStatus::Skipped("the assignment is already gone".to_string());
            }
            _ => {}
        }
        // Creations hold one of the outstanding slots until they finish.
        let _slot = match change {
            Change::Assign(_) => match self.slots.acquire().await {
                Ok(permit) => Some(permit),
                Err(_) => return ItemStatus::Failed("the apply runner stopped".to_string()),
            },
            Change::Unassign(_) => None,
        };
        let started = self
            .retrying(|| async {
                match change {
                    Change::Assign(a) => {
                        self.backend.create_assignment(&self.instance_arn, a).await
                    }
                    Change::Unassign(a) => {
                        self.backend.delete_assignment(&self.instance_arn, a).await
                    }
                }
            })
            .await;
        let mut status = match started {
            Ok(s) => s,
            Err(e) => return ItemStatus::Failed(e.to_string()),
        };
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
        let id = &status.request_id;
        self.retrying(|| async {
            match change {
                Change::Assign(_) => {
                    self.backend
                        .assignment_creation_status(&self.instance_arn, id)
                        .await
                }
                Change::Unassign(_) => {
                    self.backend
                        .assignment_deletion_status(&self.instance_arn, id)
                        .await
                }
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
