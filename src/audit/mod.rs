//! Who can reach what: pure functions over a directory and its index.
//!
//! - [`access`]: effective access, every path of every user (direct or via each group);
//! - [`orphans`]: assignments whose group or user was deleted;
//! - [`filter`]: narrowing to named accounts, users, groups, permission sets, with suggestions;
//! - [`diff`]: what changed between two directories, down to who gained or lost access.

pub mod access;
pub mod diff;
pub mod filter;
pub mod orphans;
pub mod suggest;

pub use access::{
    Access, Grant, Via, access_of_user, access_to_account, access_via_group,
    access_with_permission_set, effective_access, expand,
};
pub use diff::{DirectoryDiff, diff};
pub use filter::{AccessFilter, AccessQuery, UnknownName, UnknownNames};
pub use orphans::orphaned_assignments;
