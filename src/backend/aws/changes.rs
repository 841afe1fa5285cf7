//! sso-admin writes. Assignment and provisioning requests are asynchronous: they return a
//! request id whose status the worker polls.

use aws_sdk_ssoadmin::types::{
    AccountAssignmentOperationStatus, CustomerManagedPolicyReference,
    PermissionSetProvisioningStatus, ProvisionTargetType, TargetType,
};

use super::{AwsBackend, Service, convert};
use crate::backend::{BackendError, PermissionSetSpec, RequestStatus, Result};
use crate::model::Assignment;

fn assignment_status(
    operation: &str,
    status: Option<&AccountAssignmentOperationStatus>,
) -> Result<RequestStatus> {
    status
        .map(convert::assignment_status)
        .ok_or_else(|| missing_status(operation))
}

fn provisioning_status(
    operation: &str,
    status: Option<&PermissionSetProvisioningStatus>,
) -> Result<RequestStatus> {
    status
        .map(convert::provisioning_status)
        .ok_or_else(|| missing_status(operation))
}

fn missing_status(operation: &str) -> BackendError {
    BackendError::Service {
        operation: operation.to_string(),
        message: "the answer carried no request status".to_string(),
    }
}

pub(super) async fn create_assignment(
    b: &AwsBackend,
    instance_arn: &str,
    a: &Assignment,
) -> Result<RequestStatus> {
    const OP: &str = "CreateAccountAssignment";
    let request = b
        .sso
        .create_account_assignment()
        .instance_arn(instance_arn)
        .target_type(TargetType::AwsAccount)
        .target_id(&a.account_id)
        .permission_set_arn(&a.permission_set_arn)
        .principal_type(convert::sdk_principal_type(a.principal_type))
        .principal_id(&a.principal_id)
        .send();
    let out = b.send(Service::SsoAdmin, OP, request).await?;
    assignment_status(OP, out.account_assignment_creation_status())
}

pub(super) async fn delete_assignment(
    b: &AwsBackend,
    instance_arn: &str,
    a: &Assignment,
) -> Result<RequestStatus> {
    const OP: &str = "DeleteAccountAssignment";
    let request = b
        .sso
        .delete_account_assignment()
        .instance_arn(instance_arn)
        .target_type(TargetType::AwsAccount)
        .target_id(&a.account_id)
        .permission_set_arn(&a.permission_set_arn)
        .principal_type(convert::sdk_principal_type(a.principal_type))
        .principal_id(&a.principal_id)
        .send();
    let out = b.send(Service::SsoAdmin, OP, request).await?;
    assignment_status(OP, out.account_assignment_deletion_status())
}

pub(super) async fn assignment_creation_status(
    b: &AwsBackend,
    instance_arn: &str,
    request_id: &str,
) -> Result<RequestStatus> {
    const OP: &str = "DescribeAccountAssignmentCreationStatus";
    let request = b
        .sso
        .describe_account_assignment_creation_status()
        .instance_arn(instance_arn)
        .account_assignment_creation_request_id(request_id)
        .send();
    let out = b.send(Service::SsoAdmin, OP, request).await?;
    assignment_status(OP, out.account_assignment_creation_status())
}

pub(super) async fn assignment_deletion_status(
    b: &AwsBackend,
    instance_arn: &str,
    request_id: &str,
) -> Result<RequestStatus> {
    const OP: &str = "DescribeAccountAssignmentDeletionStatus";
    let request = b
        .sso
        .describe_account_assignment_deletion_status()
        .instance_arn(instance_arn)
        .account_assignment_deletion_request_id(request_id)
        .send();
    let out = b.send(Service::SsoAdmin, OP, request).await?;
    assignment_status(OP, out.account_assignment_deletion_status())
}

/// Always sends the session duration: without it moto answers a number the SDK cannot parse.
pub(super) async fn create_permission_set(
    b: &AwsBackend,
    instance_arn: &str,
    spec: &PermissionSetSpec,
) -> Result<String> {
    const OP: &str = "CreatePermissionSet";
    let request = b
        .sso
        .create_permission_set()
        .instance_arn(instance_arn)
        .name(&spec.name)
        .set_description(spec.description.clone())
        .session_duration(session_duration(spec))
        .set_relay_state(spec.relay_state.clone())
        .send();
    let out = b.send(Service::SsoAdmin, OP, request).await?;
    out.permission_set()
        .and_then(|ps| ps.permission_set_arn())
        .map(str::to_string)
        .ok_or_else(|| BackendError::Service {
            operation: OP.to_string(),
            message: "the answer carried no permission set ARN".to_string(),
        })
}

/// The name of a permission set cannot change: `spec.name` is not sent.
pub(super) async fn update_permission_set(
    b: &AwsBackend,
    instance_arn: &str,
    arn: &str,
    spec: &PermissionSetSpec,
) -> Result<()> {
    let request = b
        .sso
        .update_permission_set()
        .instance_arn(instance_arn)
        .permission_set_arn(arn)
        .set_description(spec.description.clone())
        .session_duration(session_duration(spec))
        .set_relay_state(spec.relay_state.clone())
        .send();
    b.send(Service::SsoAdmin, "UpdatePermissionSet", request)
        .await?;
    Ok(())
}

fn session_duration(spec: &PermissionSetSpec) -> String {
    if spec.session_duration.trim().is_empty() {
        // The AWS default.
        "PT1H".to_string()
    } else {
        spec.session_duration.clone()
    }
}

pub(super) async fn delete_permission_set(
    b: &AwsBackend,
    instance_arn: &str,
    arn: &str,
) -> Result<()> {
    let request = b
        .sso
        .delete_permission_set()
        .instance_arn(instance_arn)
        .permission_set_arn(arn)
        .send();
    b.send(Service::SsoAdmin, "DeletePermissionSet", request)
        .await?;
    Ok(())
}

pub(super) async fn attach_managed_policy(
    b: &AwsBackend,
    instance_arn: &str,
    arn: &str,
    policy_arn: &str,
) -> Result<()> {
    let request = b
        .sso
        .attach_managed_policy_to_permission_set()
        .instance_arn(instance_arn)
        .permission_set_arn(arn)
        .managed_policy_arn(policy_arn)
        .send();
    b.send(
        Service::SsoAdmin,
        "AttachManagedPolicyToPermissionSet",
        request,
    )
    .await?;
    Ok(())
}

pub(super) async fn detach_managed_policy(
    b: &AwsBackend,
    instance_arn: &str,
    arn: &str,
    policy_arn: &str,
) -> Result<()> {
    let request = b
        .sso
        .detach_managed_policy_from_permission_set()
        .instance_arn(instance_arn)
        .permission_set_arn(arn)
        .managed_policy_arn(policy_arn)
        .send();
    b.send(
        Service::SsoAdmin,
        "DetachManagedPolicyFromPermissionSet",
        request,
    )
    .await?;
    Ok(())
}

fn customer_reference(
    operation: &str,
    name: &str,
    path: &str,
) -> Result<CustomerManagedPolicyReference> {
    CustomerManagedPolicyReference::builder()
        .name(name)
        .path(path)
        .build()
        .map_err(|e| BackendError::Validation {
            operation: operation.to_string(),
            message: e.to_string(),
        })
}

pub(super) async fn attach_customer_managed_policy(
    b: &AwsBackend,
    instance_arn: &str,
    arn: &str,
    name: &str,
    path: &str,
) -> Result<()> {
    let request = b
        .sso
        .attach_customer_managed_policy_reference_to_permission_set()
        .instance_arn(instance_arn)
        .permission_set_arn(arn)
        .customer_managed_policy_reference(customer_reference(
            "AttachCustomerManagedPolicyReferenceToPermissionSet",
            name,
            path,
        )?)
        .send();
    b.send(
        Service::SsoAdmin,
        "AttachCustomerManagedPolicyReferenceToPermissionSet",
        request,
    )
    .await?;
    Ok(())
}

pub(super) async fn detach_customer_managed_policy(
    b: &AwsBackend,
    instance_arn: &str,
    arn: &str,
    name: &str,
    path: &str,
) -> Result<()> {
    let request = b
        .sso
        .detach_customer_managed_policy_reference_from_permission_set()
        .instance_arn(instance_arn)
        .permission_set_arn(arn)
        .customer_managed_policy_reference(customer_reference(
            "DetachCustomerManagedPolicyReferenceFromPermissionSet",
            name,
            path,
        )?)
        .send();
    b.send(
        Service::SsoAdmin,
        "DetachCustomerManagedPolicyReferenceFromPermissionSet",
        request,
    )
    .await?;
    Ok(())
}

pub(super) async fn put_inline_policy(
    b: &AwsBackend,
    instance_arn: &str,
    arn: &str,
    policy: Option<&str>,
) -> Result<()> {
    match policy {
        Some(policy) => {
            let request = b
                .sso
                .put_inline_policy_to_permission_set()
                .instance_arn(instance_arn)
                .permission_set_arn(arn)
                .inline_policy(policy)
                .send();
            b.send(Service::SsoAdmin, "PutInlinePolicyToPermissionSet", request)
                .await?;
        }
        None => {
            let request = b
                .sso
                .delete_inline_policy_from_permission_set()
                .instance_arn(instance_arn)
                .permission_set_arn(arn)
                .send();
            b.send(
                Service::SsoAdmin,
                "DeleteInlinePolicyFromPermissionSet",
                request,
            )
            .await?;
        }
    }
    Ok(())
}

pub(super) async fn provision_permission_set(
    b: &AwsBackend,
    instance_arn: &str,
    arn: &str,
    account_id: Option<&str>,
) -> Result<RequestStatus> {
    const OP: &str = "ProvisionPermissionSet";
    let target_type = if account_id.is_some() {
        ProvisionTargetType::AwsAccount
    } else {
        ProvisionTargetType::AllProvisionedAccounts
    };
    let request = b
        .sso
        .provision_permission_set()
        .instance_arn(instance_arn)
        .permission_set_arn(arn)
        .target_type(target_type)
        .set_target_id(account_id.map(str::to_string))
        .send();
    let out = b.send(Service::SsoAdmin, OP, request).await?;
    provisioning_status(OP, out.permission_set_provisioning_status())
}

pub(super) async fn provisioning_status_of(
    b: &AwsBackend,
    instance_arn: &str,
    request_id: &str,
) -> Result<RequestStatus> {
    const OP: &str = "DescribePermissionSetProvisioningStatus";
    let request = b
        .sso
        .describe_permission_set_provisioning_status()
        .instance_arn(instance_arn)
        .provision_permission_set_request_id(request_id)
        .send();
    let out = b.send(Service::SsoAdmin, OP, request).await?;
    provisioning_status(OP, out.permission_set_provisioning_status())
}
