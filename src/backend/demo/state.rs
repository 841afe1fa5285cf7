use std::collections::BTreeMap;

use tokio::time::Instant;

use crate::backend::{BackendError, PermissionSetSpec, RequestState, RequestStatus, Result};
use crate::model::{
    AccountStatus, Assignment, CustomerPolicyRef, Directory, ManagedPolicy, Membership,
    PermissionSet,
};

/// AWS allows at most this many assignment creations in flight per instance.
pub const MAX_OUTSTANDING_CREATIONS: usize = 15;

#[derive(Clone, Debug)]
pub enum RequestKind {
    Create(Assignment),
    Delete(Assignment),
    Provision { arn: String, accounts: Vec<String> },
}

impl RequestKind {
    /// The accounts whose permission-set state this request changes: AWS allows one change
    /// per account at a time.
    fn accounts(&self) -> Vec<&str> {
        match self {
            Self::Create(a) | Self::Delete(a) => vec![a.account_id.as_str()],
            Self::Provision { accounts, .. } => accounts.iter().map(String::as_str).collect(),
        }
    }
}

#[derive(Debug)]
struct Request {
    kind: RequestKind,
    ready_at: Instant,
    state: RequestState,
}

pub struct DemoState {
    pub dir: Directory,
    requests: BTreeMap<String, Request>,
    next_id: u64,
}

fn not_found(op: &str, message: String) -> BackendError {
    BackendError::NotFound {
        operation: op.to_string(),
        message,
    }
}

fn validation(op: &str, message: String) -> BackendError {
    BackendError::Validation {
        operation: op.to_string(),
        message,
    }
}

fn conflict(op: &str, message: String) -> BackendError {
    BackendError::Conflict {
        operation: op.to_string(),
        message,
    }
}

impl DemoState {
    pub fn new(dir: Directory) -> Self {
        Self {
            dir,
            requests: BTreeMap::new(),
            next_id: 1,
        }
    }

    fn new_id(&mut self, prefix: &str) -> String {
        let n = self.next_id;
        self.next_id += 1;
        format!(
            "{prefix}{n:08x}-demo-4000-8000-{:012x}",
            n.wrapping_mul(0x9e37_79b9)
        )
    }

    /// Finishes every request whose time has come, as AWS would have in the meantime.
    pub fn settle(&mut self, now: Instant) {
        let due: Vec<String> = self
            .requests
            .iter()
            .filter(|(_, r)| r.state == RequestState::InProgress && r.ready_at <= now)
            .map(|(id, _)| id.clone())
            .collect();
        for id in due {
            let Some(kind) = self.requests.get(&id).map(|r| r.kind.clone()) else {
                continue;
            };
            let state = match self.finish(&kind) {
                Ok(()) => RequestState::Succeeded,
                Err(reason) => RequestState::Failed(reason),
            };
            if let Some(r) = self.requests.get_mut(&id) {
                r.state = state;
            }
        }
    }

    fn finish(&mut self, kind: &RequestKind) -> std::result::Result<(), String> {
        match kind {
            RequestKind::Create(a) => {
                let account = self.dir.accounts.get(&a.account_id);
                if account.is_some_and(|acc| acc.status == AccountStatus::Suspended) {
                    return Err(format!(
                        "Request failed because account {} is suspended",
                        a.account_id
                    ));
                }
                if let Some(ps) = self.dir.permission_sets.get_mut(&a.permission_set_arn)
                    && !ps.provisioned_accounts.contains(&a.account_id)
                {
                    ps.provisioned_accounts.push(a.account_id.clone());
                }
                self.dir.assignments.insert(a.clone());
                Ok(())
            }
            RequestKind::Delete(a) => {
                self.dir.assignments.remove(a);
                Ok(())
            }
            RequestKind::Provision { arn, accounts } => {
                let ps = self
                    .dir
                    .permission_sets
                    .get_mut(arn)
                    .ok_or_else(|| format!("permission set {arn} was deleted"))?;
                ps.outdated_accounts.retain(|a| !accounts.contains(a));
                for a in accounts {
                    if !ps.provisioned_accounts.contains(a) {
                        ps.provisioned_accounts.push(a.clone());
                    }
                }
                Ok(())
            }
        }
    }

    pub fn require_instance(&self, op: &str, instance_arn: &str) -> Result<()> {
        match &self.dir.instance {
            Some(i) if i.instance_arn == instance_arn => Ok(()),
            _ => Err(validation(op, format!("unknown instance {instance_arn}"))),
        }
    }

    pub fn require_store(&self, op: &str, store_id: &str) -> Result<()> {
        match &self.dir.instance {
            Some(i) if i.identity_store_id == store_id => Ok(()),
            _ => Err(validation(op, format!("unknown identity store {store_id}"))),
        }
    }

    pub fn require_ou(&self, op: &str, id: &str) -> Result<()> {
        if self.dir.ous.contains_key(id) {
            Ok(())
        } else {
            Err(not_found(
                op,
                format!("no organizational unit or root {id}"),
            ))
        }
    }

    pub fn require_account(&self, op: &str, id: &str) -> Result<()> {
        if self.dir.accounts.contains_key(id) {
            Ok(())
        } else {
            Err(validation(
                op,
                format!("account {id} is not in the organization"),
            ))
        }
    }

    pub fn require_group(&self, op: &str, id: &str) -> Result<()> {
        if self.dir.groups.contains_key(id) {
            Ok(())
        } else {
            Err(not_found(op, format!("no group {id}")))
        }
    }

    pub fn require_permission_set(&self, op: &str, arn: &str) -> Result<&PermissionSet> {
        self.dir
            .permission_sets
            .get(arn)
            .ok_or_else(|| not_found(op, format!("no permission set {arn}")))
    }

    fn in_flight(&self) -> impl Iterator<Item = &Request> {
        self.requests
            .values()
            .filter(|r| r.state == RequestState::InProgress)
    }

    fn check_account_free(&self, op: &str, kind: &RequestKind) -> Result<()> {
        let busy = kind.accounts().into_iter().find(|account| {
            self.in_flight()
                .any(|r| r.kind.accounts().contains(account))
        });
        match busy {
            Some(account) => Err(conflict(
                op,
                format!("another permission set change is in progress on account {account}"),
            )),
            None => Ok(()),
        }
    }

    pub fn start_assignment_request(
        &mut self,
        op: &str,
        kind: RequestKind,
        ready_at: Instant,
    ) -> Result<RequestStatus> {
        let (RequestKind::Create(a) | RequestKind::Delete(a)) = &kind else {
            return Err(validation(op, "not an assignment request".to_string()));
        };
        self.require_account(op, &a.account_id)?;
        self.require_permission_set(op, &a.permission_set_arn)?;
        if self
            .dir
            .principal_name(a.principal_type, &a.principal_id)
            .is_none()
            && matches!(kind, RequestKind::Create(_))
        {
            return Err(validation(
                op,
                format!(
                    "{} {} does not exist",
                    a.principal_type.as_str(),
                    a.principal_id
                ),
            ));
        }
        let exists = self.dir.assignments.contains(a);
        match kind {
            RequestKind::Create(_) if exists => {
                return Err(conflict(
                    op,
                    "the account assignment already exists".to_string(),
                ));
            }
            RequestKind::Delete(_) if !exists => {
                return Err(not_found(op, "no such account assignment".to_string()));
            }
            RequestKind::Create(_)
                if self
                    .in_flight()
                    .filter(|r| matches!(r.kind, RequestKind::Create(_)))
                    .count()
                    >= MAX_OUTSTANDING_CREATIONS =>
            {
                return Err(BackendError::Throttled {
                    operation: op.to_string(),
                    message: format!(
                        "at most {MAX_OUTSTANDING_CREATIONS} account assignment creations may be in progress"
                    ),
                });
            }
            _ => {}
        }
        self.check_account_free(op, &kind)?;
        Ok(self.start(kind, ready_at))
    }

    fn start(&mut self, kind: RequestKind, ready_at: Instant) -> RequestStatus {
        let request_id = self.new_id("");
        self.requests.insert(
            request_id.clone(),
            Request {
                kind,
                ready_at,
                state: RequestState::InProgress,
            },
        );
        // A zero completion time finishes at once, like moto.
        self.settle(Instant::now());
        let state = self
            .requests
            .get(&request_id)
            .map_or(RequestState::InProgress, |r| r.state.clone());
        RequestStatus { request_id, state }
    }

    pub fn request_status(&self, op: &str, request_id: &str) -> Result<RequestStatus> {
        self.requests
            .get(request_id)
            .map(|r| RequestStatus {
                request_id: request_id.to_string(),
                state: r.state.clone(),
            })
            .ok_or_else(|| not_found(op, format!("no request {request_id}")))
    }

    pub fn create_membership(&mut self, op: &str, group_id: &str, user_id: &str) -> Result<String> {
        self.require_group(op, group_id)?;
        if !self.dir.users.contains_key(user_id) {
            return Err(not_found(op, format!("no user {user_id}")));
        }
        let key = (group_id.to_string(), user_id.to_string());
        if self.dir.memberships.contains_key(&key) {
            return Err(conflict(
                op,
                "the user is already a member of the group".to_string(),
            ));
        }
        let membership_id = self.new_id("m");
        self.dir.add_memberships([Membership {
            group_id: group_id.to_string(),
            user_id: user_id.to_string(),
            membership_id: Some(membership_id.clone()),
        }]);
        Ok(membership_id)
    }

    pub fn delete_membership(&mut self, op: &str, membership_id: &str) -> Result<()> {
        let key = self
            .dir
            .memberships
            .iter()
            .find(|(_, m)| m.membership_id.as_deref() == Some(membership_id))
            .map(|(k, _)| k.clone())
            .ok_or_else(|| not_found(op, format!("no membership {membership_id}")))?;
        self.dir.memberships.remove(&key);
        Ok(())
    }

    pub fn create_permission_set(
        &mut self,
        op: &str,
        instance_arn: &str,
        spec: &PermissionSetSpec,
    ) -> Result<String> {
        if self
            .dir
            .permission_sets
            .values()
            .any(|p| p.name == spec.name)
        {
            return Err(conflict(
                op,
                format!("a permission set named {} exists", spec.name),
            ));
        }
        let instance_id = instance_arn.rsplit('/').next().unwrap_or(instance_arn);
        let arn = format!(
            "arn:aws:sso:::permissionSet/{instance_id}/ps-{:016x}",
            self.next_id.wrapping_mul(0x9e37_79b9_7f4a_7c15)
        );
        self.next_id += 1;
        self.dir.add_permission_sets([PermissionSet {
            arn: arn.clone(),
            name: spec.name.clone(),
            description: spec.description.clone(),
            session_duration: Some(spec.session_duration.clone()),
            relay_state: spec.relay_state.clone(),
            ..PermissionSet::default()
        }]);
        Ok(arn)
    }

    /// Applies an edit; like AWS, an edit leaves every provisioned account outdated until the
    /// permission set is provisioned again.
    pub fn edit_permission_set(
        &mut self,
        op: &str,
        arn: &str,
        edit: impl FnOnce(&mut PermissionSet) -> std::result::Result<(), String>,
    ) -> Result<()> {
        let ps = self
            .dir
            .permission_sets
            .get_mut(arn)
            .ok_or_else(|| not_found(op, format!("no permission set {arn}")))?;
        edit(ps).map_err(|m| validation(op, m))?;
        ps.outdated_accounts.clone_from(&ps.provisioned_accounts);
        Ok(())
    }

    pub fn attach_managed_policy(&mut self, op: &str, arn: &str, policy_arn: &str) -> Result<()> {
        if !policy_arn.starts_with("arn:aws:iam::aws:policy/") {
            return Err(validation(
                op,
                format!("{policy_arn} is not an AWS managed policy ARN"),
            ));
        }
        let name = policy_arn
            .rsplit('/')
            .next()
            .unwrap_or(policy_arn)
            .to_string();
        self.edit_permission_set(op, arn, |ps| {
            if ps.managed_policies.iter().any(|p| p.arn == policy_arn) {
                return Err(format!("{policy_arn} is already attached"));
            }
            if ps.managed_policies.len() >= 20 {
                return Err("a permission set holds at most 20 managed policies".to_string());
            }
            ps.managed_policies.push(ManagedPolicy {
                arn: policy_arn.to_string(),
                name,
            });
            Ok(())
        })
    }

    /// Attaches (`attach`) or detaches a customer managed policy reference: a duplicate is a
    /// conflict, a missing one is not found; like any edit it leaves the set outdated.
    pub fn customer_policy(
        &mut self,
        op: &str,
        arn: &str,
        attach: bool,
        name: &str,
        path: &str,
    ) -> Result<()> {
        let ps = self
            .dir
            .permission_sets
            .get_mut(arn)
            .ok_or_else(|| not_found(op, format!("no permission set {arn}")))?;
        let pos = ps
            .customer_managed_policies
            .iter()
            .position(|c| c.name == name && c.path == path);
        match (attach, pos) {
            (true, Some(_)) => {
                return Err(conflict(
                    op,
                    format!("{path}{name} is already attached to {}", ps.name),
                ));
            }
            (true, None) => ps.customer_managed_policies.push(CustomerPolicyRef {
                name: name.to_string(),
                path: path.to_string(),
            }),
            (false, None) => {
                return Err(not_found(
                    op,
                    format!("{path}{name} is not attached to {}", ps.name),
                ));
            }
            (false, Some(i)) => {
                ps.customer_managed_policies.remove(i);
            }
        }
        ps.outdated_accounts.clone_from(&ps.provisioned_accounts);
        Ok(())
    }

    pub fn delete_permission_set(&mut self, op: &str, arn: &str) -> Result<()> {
        self.require_permission_set(op, arn)?;
        if let Some(a) = self
            .dir
            .assignments
            .iter()
            .find(|a| a.permission_set_arn == arn)
        {
            return Err(conflict(
                op,
                format!(
                    "the permission set is still assigned on account {}",
                    a.account_id
                ),
            ));
        }
        self.dir.permission_sets.remove(arn);
        Ok(())
    }

    pub fn start_provisioning(
        &mut self,
        op: &str,
        arn: &str,
        account_id: Option<&str>,
        ready_at: Instant,
    ) -> Result<RequestStatus> {
        let ps = self.require_permission_set(op, arn)?;
        let accounts = match account_id {
            Some(a) => {
                self.require_account(op, a)?;
                vec![a.to_string()]
            }
            None => ps.provisioned_accounts.clone(),
        };
        let kind = RequestKind::Provision {
            arn: arn.to_string(),
            accounts,
        };
        self.check_account_free(op, &kind)?;
        Ok(self.start(kind, ready_at))
    }
}
