//! Organizations: the OU tree and the accounts in it. A delegated administrator may be denied
//! these calls; the caller degrades (accounts from sso-admin only) on `AccessDenied`.

use aws_sdk_organizations::operation::list_accounts_for_parent::ListAccountsForParentOutput;
use aws_sdk_organizations::operation::list_organizational_units_for_parent::ListOrganizationalUnitsForParentOutput;
use aws_sdk_organizations::operation::list_roots::ListRootsOutput;

use super::{AwsBackend, Service, convert};
use crate::backend::Result;
use crate::model::{Account, OrgUnit};

pub(super) async fn list_roots(b: &AwsBackend) -> Result<Vec<OrgUnit>> {
    b.paginate(
        Service::Organizations,
        "ListRoots",
        |token| b.org.list_roots().set_next_token(token).send(),
        |out: ListRootsOutput| {
            let roots = out.roots.unwrap_or_default();
            (
                roots.iter().filter_map(convert::root).collect(),
                out.next_token,
            )
        },
    )
    .await
}

pub(super) async fn list_child_ous(b: &AwsBackend, parent_id: &str) -> Result<Vec<OrgUnit>> {
    b.paginate(
        Service::Organizations,
        "ListOrganizationalUnitsForParent",
        |token| {
            b.org
                .list_organizational_units_for_parent()
                .parent_id(parent_id)
                .set_next_token(token)
                .send()
        },
        |out: ListOrganizationalUnitsForParentOutput| {
            let ous = out.organizational_units.unwrap_or_default();
            let ous = ous
                .iter()
                .filter_map(|ou| convert::org_unit(ou, parent_id))
                .collect();
            (ous, out.next_token)
        },
    )
    .await
}

pub(super) async fn list_accounts_for_parent(
    b: &AwsBackend,
    parent_id: &str,
) -> Result<Vec<Account>> {
    b.paginate(
        Service::Organizations,
        "ListAccountsForParent",
        |token| {
            b.org
                .list_accounts_for_parent()
                .parent_id(parent_id)
                .set_next_token(token)
                .send()
        },
        |out: ListAccountsForParentOutput| {
            let accounts = out.accounts.unwrap_or_default();
            let accounts = accounts
                .iter()
                .filter_map(|a| convert::account(a, parent_id))
                .collect();
            (accounts, out.next_token)
        },
    )
    .await
}
