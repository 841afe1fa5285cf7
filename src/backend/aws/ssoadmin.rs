//! sso-admin reads: the instance, permission sets and their policies, provisioning, assignments.

use aws_sdk_ssoadmin::operation::list_account_assignments::ListAccountAssignmentsOutput;
use aws_sdk_ssoadmin::operation::list_account_assignments_for_principal::ListAccountAssignmentsForPrincipalOutput;
use aws_sdk_ssoadmin::operation::list_accounts_for_provisioned_permission_set::ListAccountsForProvisionedPermissionSetOutput;
use aws_sdk_ssoadmin::operation::list_customer_managed_policy_references_in_permission_set::ListCustomerManagedPolicyReferencesInPermissionSetOutput;
use aws_sdk_ssoadmin::operation::list_instances::ListInstancesOutput;
use aws_sdk_ssoadmin::operation::list_managed_policies_in_permission_set::ListManagedPoliciesInPermissionSetOutput;
use aws_sdk_ssoadmin::operation::list_permission_sets::ListPermissionSetsOutput;
use aws_sdk_ssoadmin::operation::list_permission_sets_provisioned_to_account::ListPermissionSetsProvisionedToAccountOutput;
use aws_sdk_ssoadmin::types::{InstanceMetadata, ProvisioningStatus};

use super::{AwsBackend, Service, convert};
use crate::backend::{BackendError, ProvisioningFilter, Result};
use crate::model::{Assignment, Instance, PermissionSet, Principal};

/// The one instance of this account and region, or the one chosen with `--instance`.
pub(super) async fn instance(b: &AwsBackend) -> Result<Instance> {
    let instances = b
        .paginate(
            Service::SsoAdmin,
            "ListInstances",
            |token| b.sso.list_instances().set_next_token(token).send(),
            |out: ListInstancesOutput| (out.instances.unwrap_or_default(), out.next_token),
        )
        .await?;
    choose_instance(&instances, b.instance_arn.as_deref())
}

fn choose_instance(instances: &[InstanceMetadata], wanted: Option<&str>) -> Result<Instance> {
    let arns = || {
        instances
            .iter()
            .filter_map(InstanceMetadata::instance_arn)
            .collect::<Vec<_>>()
            .join(", ")
    };
    let chosen = match (wanted, instances) {
        (Some(wanted), _) => instances
            .iter()
            .find(|i| i.instance_arn() == Some(wanted))
            .ok_or_else(|| BackendError::NotFound {
                operation: "ListInstances".to_string(),
                message: format!(
                    "instance {wanted} is not in this account and region (found: {})",
                    if instances.is_empty() {
                        "none".to_string()
                    } else {
                        arns()
                    }
                ),
            })?,
        (None, []) => {
            return Err(BackendError::NotFound {
                operation: "ListInstances".to_string(),
                message: "no IAM Identity Center instance was found in this region: pass \
                          --region REGION where Identity Center is enabled, or try `--demo`"
                    .to_string(),
            });
        }
        (None, [one]) => one,
        (None, _) => {
            return Err(BackendError::Validation {
                operation: "ListInstances".to_string(),
                message: format!(
                    "this account has several IAM Identity Center instances ({}): pass \
                     --instance ARN to choose one",
                    arns()
                ),
            });
        }
    };
    Ok(Instance {
        instance_arn: chosen.instance_arn().unwrap_or_default().to_string(),
        identity_store_id: chosen.identity_store_id().unwrap_or_default().to_string(),
        owner_account_id: chosen.owner_account_id().map(str::to_string),
    })
}

pub(super) async fn list_permission_sets(
    b: &AwsBackend,
    instance_arn: &str,
) -> Result<Vec<String>> {
    b.paginate(
        Service::SsoAdmin,
        "ListPermissionSets",
        |token| {
            b.sso
                .list_permission_sets()
                .instance_arn(instance_arn)
                .set_next_token(token)
                .send()
        },
        |out: ListPermissionSetsOutput| (out.permission_sets.unwrap_or_default(), out.next_token),
    )
    .await
}

/// The permission set and its policies, fetched side by side. The permissions boundary is not
/// read (moto does not implement it); provisioning is left to the loader.
pub(super) async fn describe_permission_set(
    b: &AwsBackend,
    instance_arn: &str,
    arn: &str,
) -> Result<PermissionSet> {
    let describe = async {
        let request = b
            .sso
            .describe_permission_set()
            .instance_arn(instance_arn)
            .permission_set_arn(arn)
            .send();
        b.send(Service::SsoAdmin, "DescribePermissionSet", request)
            .await
    };
    let managed = b.paginate(
        Service::SsoAdmin,
        "ListManagedPoliciesInPermissionSet",
        |token| {
            b.sso
                .list_managed_policies_in_permission_set()
                .instance_arn(instance_arn)
                .permission_set_arn(arn)
                .set_next_token(token)
                .send()
        },
        |out: ListManagedPoliciesInPermissionSetOutput| {
            let policies = out.attached_managed_policies.unwrap_or_default();
            let policies = policies
                .iter()
                .filter_map(convert::managed_policy)
                .collect();
            (policies, out.next_token)
        },
    );
    let customer = b.paginate(
        Service::SsoAdmin,
        "ListCustomerManagedPolicyReferencesInPermissionSet",
        |token| {
            b.sso
                .list_customer_managed_policy_references_in_permission_set()
                .instance_arn(instance_arn)
                .permission_set_arn(arn)
                .set_next_token(token)
                .send()
        },
        |out: ListCustomerManagedPolicyReferencesInPermissionSetOutput| {
            let refs = out.customer_managed_policy_references.unwrap_or_default();
            (
                refs.iter().map(convert::customer_policy).collect(),
                out.next_token,
            )
        },
    );
    let inline = async {
        let request = b
            .sso
            .get_inline_policy_for_permission_set()
            .instance_arn(instance_arn)
            .permission_set_arn(arn)
            .send();
        b.send(
            Service::SsoAdmin,
            "GetInlinePolicyForPermissionSet",
            request,
        )
        .await
    };
    let (described, managed, customer, inline) =
        tokio::try_join!(describe, managed, customer, inline)?;
    let Some(described) = described.permission_set else {
        return Err(BackendError::NotFound {
            operation: "DescribePermissionSet".to_string(),
            message: format!("no permission set in the answer for {arn}"),
        });
    };
    let mut ps = convert::permission_set(&described, arn);
    ps.managed_policies = managed;
    ps.customer_managed_policies = customer;
    // AWS answers an empty string when there is no inline policy.
    ps.inline_policy = inline.inline_policy.filter(|p| !p.trim().is_empty());
    Ok(ps)
}

pub(super) async fn list_accounts_for_provisioned_permission_set(
    b: &AwsBackend,
    instance_arn: &str,
    arn: &str,
    filter: ProvisioningFilter,
) -> Result<Vec<String>> {
    let status = match filter {
        ProvisioningFilter::All => None,
        ProvisioningFilter::Outdated => Some(ProvisioningStatus::LatestPermissionSetNotProvisioned),
    };
    b.paginate(
        Service::SsoAdmin,
        "ListAccountsForProvisionedPermissionSet",
        |token| {
            b.sso
                .list_accounts_for_provisioned_permission_set()
                .instance_arn(instance_arn)
                .permission_set_arn(arn)
                .set_provisioning_status(status.clone())
                .set_next_token(token)
                .send()
        },
        |out: ListAccountsForProvisionedPermissionSetOutput| {
            (out.account_ids.unwrap_or_default(), out.next_token)
        },
    )
    .await
}

pub(super) async fn list_permission_sets_provisioned_to_account(
    b: &AwsBackend,
    instance_arn: &str,
    account_id: &str,
) -> Result<Vec<String>> {
    b.paginate(
        Service::SsoAdmin,
        "ListPermissionSetsProvisionedToAccount",
        |token| {
            b.sso
                .list_permission_sets_provisioned_to_account()
                .instance_arn(instance_arn)
                .account_id(account_id)
                .set_next_token(token)
                .send()
        },
        |out: ListPermissionSetsProvisionedToAccountOutput| {
            (out.permission_sets.unwrap_or_default(), out.next_token)
        },
    )
    .await
}

pub(super) async fn list_assignments_for_principal(
    b: &AwsBackend,
    instance_arn: &str,
    principal: &Principal,
) -> Result<Vec<Assignment>> {
    let principal_type = convert::sdk_principal_type(principal.principal_type);
    b.paginate(
        Service::SsoAdmin,
        "ListAccountAssignmentsForPrincipal",
        |token| {
            b.sso
                .list_account_assignments_for_principal()
                .instance_arn(instance_arn)
                .principal_type(principal_type.clone())
                .principal_id(&principal.principal_id)
                .set_next_token(token)
                .send()
        },
        |out: ListAccountAssignmentsForPrincipalOutput| {
            let found = out.account_assignments.unwrap_or_default();
            let found = found
                .iter()
                .filter_map(convert::assignment_for_principal)
                .collect();
            (found, out.next_token)
        },
    )
    .await
}

pub(super) async fn list_assignments(
    b: &AwsBackend,
    instance_arn: &str,
    account_id: &str,
    permission_set_arn: &str,
) -> Result<Vec<Assignment>> {
    b.paginate(
        Service::SsoAdmin,
        "ListAccountAssignments",
        |token| {
            b.sso
                .list_account_assignments()
                .instance_arn(instance_arn)
                .account_id(account_id)
                .permission_set_arn(permission_set_arn)
                .set_next_token(token)
                .send()
        },
        |out: ListAccountAssignmentsOutput| {
            let found = out.account_assignments.unwrap_or_default();
            (
                found.iter().filter_map(convert::assignment).collect(),
                out.next_token,
            )
        },
    )
    .await
}

#[cfg(test)]
mod tests {
    use super::*;

    fn meta(arn: &str) -> InstanceMetadata {
        InstanceMetadata::builder()
            .instance_arn(arn)
            .identity_store_id(format!("d-{}", arn.len()))
            .owner_account_id("111111111111")
            .build()
    }

    #[test]
    fn no_instance_suggests_region_or_demo() {
        let err = choose_instance(&[], None).expect_err("no instance");
        let text = err.to_string();
        assert!(matches!(err, BackendError::NotFound { .. }), "{err:?}");
        assert!(
            text.contains("--region") && text.contains("--demo"),
            "{text}"
        );
    }

    #[test]
    fn several_instances_ask_for_one_by_arn() {
        let all = [meta("arn:a"), meta("arn:bb")];
        let text = choose_instance(&all, None)
            .expect_err("ambiguous")
            .to_string();
        assert!(
            text.contains("arn:a, arn:bb") && text.contains("--instance ARN"),
            "{text}"
        );
        let chosen = choose_instance(&all, Some("arn:bb")).expect("listed");
        assert_eq!(chosen.instance_arn, "arn:bb");
        assert_eq!(chosen.identity_store_id, "d-6");
        assert_eq!(chosen.owner_account_id.as_deref(), Some("111111111111"));
        let err = choose_instance(&all, Some("arn:c")).expect_err("not listed");
        assert!(err.to_string().contains("arn:c"), "{err}");
    }
}
