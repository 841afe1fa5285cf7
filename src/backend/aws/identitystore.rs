//! Identity store: users, groups and group memberships.

use aws_sdk_identitystore::operation::list_group_memberships::ListGroupMembershipsOutput;
use aws_sdk_identitystore::operation::list_groups::ListGroupsOutput;
use aws_sdk_identitystore::operation::list_users::ListUsersOutput;
use aws_sdk_identitystore::types::MemberId;

use super::{AwsBackend, Service, convert};
use crate::backend::Result;
use crate::model::{Group, Membership, User};

pub(super) async fn list_users(b: &AwsBackend, identity_store_id: &str) -> Result<Vec<User>> {
    b.paginate(
        Service::IdentityStore,
        "ListUsers",
        |token| {
            b.ids
                .list_users()
                .identity_store_id(identity_store_id)
                .set_next_token(token)
                .send()
        },
        |out: ListUsersOutput| {
            (
                out.users.iter().map(convert::user).collect(),
                out.next_token,
            )
        },
    )
    .await
}

pub(super) async fn list_groups(b: &AwsBackend, identity_store_id: &str) -> Result<Vec<Group>> {
    b.paginate(
        Service::IdentityStore,
        "ListGroups",
        |token| {
            b.ids
                .list_groups()
                .identity_store_id(identity_store_id)
                .set_next_token(token)
                .send()
        },
        |out: ListGroupsOutput| {
            (
                out.groups.iter().map(convert::group).collect(),
                out.next_token,
            )
        },
    )
    .await
}

/// Under legacy AD sync this answers `UnknownOperation`: the caller shows groups unexpanded.
pub(super) async fn list_group_memberships(
    b: &AwsBackend,
    identity_store_id: &str,
    group_id: &str,
) -> Result<Vec<Membership>> {
    b.paginate(
        Service::IdentityStore,
        "ListGroupMemberships",
        |token| {
            b.ids
                .list_group_memberships()
                .identity_store_id(identity_store_id)
                .group_id(group_id)
                .set_next_token(token)
                .send()
        },
        |out: ListGroupMembershipsOutput| {
            let memberships = out
                .group_memberships
                .iter()
                .filter_map(|m| convert::membership(m, group_id))
                .collect();
            (memberships, out.next_token)
        },
    )
    .await
}

pub(super) async fn create_group_membership(
    b: &AwsBackend,
    identity_store_id: &str,
    group_id: &str,
    user_id: &str,
) -> Result<String> {
    let request = b
        .ids
        .create_group_membership()
        .identity_store_id(identity_store_id)
        .group_id(group_id)
        .member_id(MemberId::UserId(user_id.to_string()))
        .send();
    let out = b
        .send(Service::IdentityStore, "CreateGroupMembership", request)
        .await?;
    Ok(out.membership_id)
}

pub(super) async fn delete_group_membership(
    b: &AwsBackend,
    identity_store_id: &str,
    membership_id: &str,
) -> Result<()> {
    let request = b
        .ids
        .delete_group_membership()
        .identity_store_id(identity_store_id)
        .membership_id(membership_id)
        .send();
    b.send(Service::IdentityStore, "DeleteGroupMembership", request)
        .await?;
    Ok(())
}
