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
    }
}
