use super::Change;

/// The AWS CLI command that makes the same change, for the plan view and for people who
/// want to script it.
pub fn command_line(change: &Change, instance_arn: &str) -> String {
    let a = change.assignment();
    let verb = match change {
        Change::Assign(_) => "create-account-assignment",
        Change::Unassign(_) => "delete-account-assignment",
    };
    format!(
        "aws sso-admin {verb} --instance-arn {instance_arn} --target-id {} --target-type AWS_ACCOUNT --permission-set-arn {} --principal-type {} --principal-id {}",
        a.account_id,
        a.permission_set_arn,
        a.principal_type.as_str(),
        a.principal_id
    )
}
