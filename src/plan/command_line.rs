use super::Change;
use crate::model::Instance;

/// The AWS CLI command that makes the same change, for the plan view and for people who
/// want to script it.
pub fn command_line(change: &Change, instance: &Instance) -> String {
    let store = &instance.identity_store_id;
    match change {
        Change::Assign(a) | Change::Unassign(a) => {
            let verb = if change.is_addition() {
                "create-account-assignment"
            } else {
                "delete-account-assignment"
            };
            format!(
                "aws sso-admin {verb} --instance-arn {} --target-id {} --target-type AWS_ACCOUNT --permission-set-arn {} --principal-type {} --principal-id {}",
                instance.instance_arn,
                a.account_id,
                a.permission_set_arn,
                a.principal_type.as_str(),
                a.principal_id
            )
        }
        Change::AddMember { group_id, user_id } => format!(
            "aws identitystore create-group-membership --identity-store-id {store} --group-id {group_id} --member-id UserId={user_id}"
        ),
        // The API deletes by membership id, which only AWS knows: look it up in the command.
        Change::RemoveMember { group_id, user_id } => format!(
            "aws identitystore delete-group-membership --identity-store-id {store} --membership-id \"$(aws identitystore get-group-membership-id --identity-store-id {store} --group-id {group_id} --member-id UserId={user_id} --query MembershipId --output text)\""
        ),
        Change::CreatePermissionSet(spec) => {
            let mut out = format!(
                "aws sso-admin create-permission-set --instance-arn {} --name {} --session-duration {}",
                instance.instance_arn,
                quote(&spec.name),
                quote(&spec.session_duration)
            );
            if let Some(d) = &spec.description {
                out.push_str(&format!(" --description {}", quote(d)));
            }
            if let Some(r) = &spec.relay_state {
                out.push_str(&format!(" --relay-state {}", quote(r)));
            }
            out
        }
        Change::AttachManagedPolicy {
            permission_set_arn,
            policy_arn,
        } => format!(
            "aws sso-admin attach-managed-policy-to-permission-set --instance-arn {} --permission-set-arn {permission_set_arn} --managed-policy-arn {}",
            instance.instance_arn,
            quote(policy_arn)
        ),
        Change::Provision { permission_set_arn } => format!(
            "aws sso-admin provision-permission-set --instance-arn {} --permission-set-arn {permission_set_arn} --target-type ALL_PROVISIONED_ACCOUNTS",
            instance.instance_arn
        ),
        // The name cannot change; the session duration is always sent.
        Change::UpdatePermissionSet {
            permission_set_arn,
            spec,
        } => {
            let mut out = format!(
                "aws sso-admin update-permission-set --instance-arn {} --permission-set-arn {permission_set_arn} --session-duration {}",
                instance.instance_arn,
                quote(&spec.session_duration)
            );
            if let Some(d) = &spec.description {
                out.push_str(&format!(" --description {}", quote(d)));
            }
            if let Some(r) = &spec.relay_state {
                out.push_str(&format!(" --relay-state {}", quote(r)));
            }
            out
        }
        Change::DetachManagedPolicy {
            permission_set_arn,
            policy_arn,
        } => format!(
            "aws sso-admin detach-managed-policy-from-permission-set --instance-arn {} --permission-set-arn {permission_set_arn} --managed-policy-arn {}",
            instance.instance_arn,
            quote(policy_arn)
        ),
        Change::DeletePermissionSet { permission_set_arn } => format!(
            "aws sso-admin delete-permission-set --instance-arn {} --permission-set-arn {permission_set_arn}",
            instance.instance_arn
        ),
        // The policy is long: the command reads it from a file holding the staged text.
        Change::PutInlinePolicy {
            permission_set_arn,
            policy: Some(_),
        } => format!(
            "aws sso-admin put-inline-policy-to-permission-set --instance-arn {} --permission-set-arn {permission_set_arn} --inline-policy file://policy.json",
            instance.instance_arn
        ),
        Change::PutInlinePolicy {
            permission_set_arn,
            policy: None,
        } => format!(
            "aws sso-admin delete-inline-policy-from-permission-set --instance-arn {} --permission-set-arn {permission_set_arn}",
            instance.instance_arn
        ),
        Change::AttachCustomerPolicy {
            permission_set_arn,
            name,
            path,
        } => format!(
            "aws sso-admin attach-customer-managed-policy-reference-to-permission-set --instance-arn {} --permission-set-arn {permission_set_arn} --customer-managed-policy-reference {}",
            instance.instance_arn,
            quote(&format!("Name={name},Path={path}"))
        ),
        Change::DetachCustomerPolicy {
            permission_set_arn,
            name,
            path,
        } => format!(
            "aws sso-admin detach-customer-managed-policy-reference-from-permission-set --instance-arn {} --permission-set-arn {permission_set_arn} --customer-managed-policy-reference {}",
            instance.instance_arn,
            quote(&format!("Name={name},Path={path}"))
        ),
    }
}

/// Quotes a word for a POSIX shell when it holds anything but plain characters.
fn quote(word: &str) -> String {
    let plain = !word.is_empty()
        && word
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "+=,.@_-/:".contains(c));
    if plain {
        word.to_string()
    } else {
        format!("'{}'", word.replace('\'', "'\\''"))
    }
}
