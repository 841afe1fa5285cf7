//! Command-line flags and subcommands.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

use crate::audit::AccessQuery;
use crate::report::{DiffFormat, Format};
use crate::worker::loader::Strategy;

#[derive(Debug, Parser)]
#[command(
    name = "idc",
    version,
    about = "Browse, grant and audit access in AWS IAM Identity Center",
    after_help = "Examples:\n  idc --demo                      the TUI on the built-in demo organization\n  idc --profile prod --region eu-west-1\n  idc --demo export -o snap.json  save a snapshot\n  idc --snapshot snap.json        browse a snapshot offline\n  idc --demo audit --account payments-prod --format csv\n                                  who can reach an account, and how\n  idc diff old.json new.json      what changed between two snapshots"
)]
pub struct Cli {
    #[command(flatten)]
    pub source: SourceArgs,

    /// Refuse every change to AWS; keys that change access say why instead.
    #[arg(long, global = true)]
    pub read_only: bool,

    /// Assignment creations in flight at once while applying (AWS allows at most 15).
    #[arg(long, default_value_t = 15, value_parser = clap::value_parser!(u8).range(1..=15), global = true)]
    pub max_outstanding: u8,

    /// After loading, print the requests made per operation, the strategy and the wall time
    /// on stderr.
    #[arg(long, global = true)]
    pub stats: bool,

    #[command(flatten)]
    pub load: LoadArgs,

    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Debug, Args)]
pub struct SourceArgs {
    /// Use the built-in demo organization (no AWS account needed).
    #[arg(long, global = true, conflicts_with = "snapshot")]
    pub demo: bool,

    /// Use a generated demo organization of about N accounts (implies --demo).
    #[arg(long, value_name = "N", global = true, conflicts_with = "snapshot")]
    pub demo_scale: Option<usize>,

    /// Browse a snapshot written by `idc export`, offline and read-only.
    #[arg(long, value_name = "FILE", global = true)]
    pub snapshot: Option<PathBuf>,

    /// The AWS profile to use (default: the standard AWS configuration).
    #[arg(long, global = true, conflicts_with_all = ["demo", "demo_scale", "snapshot"])]
    pub profile: Option<String>,

    /// The AWS region of the Identity Center instance.
    #[arg(long, global = true, conflicts_with_all = ["demo", "demo_scale", "snapshot"])]
    pub region: Option<String>,

    /// Send every AWS request to this endpoint (an emulator such as moto); AWS_ENDPOINT_URL
    /// works too.
    #[arg(long, value_name = "URL", global = true, conflicts_with_all = ["demo", "demo_scale", "snapshot"])]
    pub endpoint_url: Option<String>,

    /// The Identity Center instance ARN, when the account has several.
    #[arg(long, value_name = "ARN", global = true)]
    pub instance: Option<String>,
}

#[derive(Debug, Args)]
pub struct LoadArgs {
    /// How to enumerate account assignments.
    #[arg(long, value_enum, default_value_t = Strategy::Auto, global = true)]
    pub strategy: Strategy,

    /// Requests in flight at once per part of the load.
    #[arg(long, default_value_t = 16, value_parser = clap::value_parser!(u16).range(1..=256), global = true)]
    pub concurrency: u16,

    /// Requests per second to sso-admin.
    #[arg(long, default_value_t = 20, value_name = "RPS", global = true)]
    pub sso_admin_rps: u32,

    /// Requests per second to identitystore.
    #[arg(long, default_value_t = 20, value_name = "RPS", global = true)]
    pub identity_store_rps: u32,

    /// Requests per second to Organizations.
    #[arg(long, default_value_t = 5, value_name = "RPS", global = true)]
    pub organizations_rps: u32,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Load everything and write it as a snapshot (the format --snapshot reads).
    Export {
        /// The file to write.
        #[arg(short, long, value_name = "FILE")]
        output: PathBuf,
    },
    /// Every account assignment, one row each: account, permission set and group or user.
    ///
    /// Keys (CSV header, JSON object): account_id, account_name, permission_set,
    /// permission_set_arn, principal_type (GROUP or USER), principal_id, principal_name.
    /// Assignments of deleted groups and users are included, with an empty principal_name
    /// (null in JSON). From AWS or --demo with --strategy auto, assignments are listed per
    /// account and permission set (by-pair), the only way to find those.
    #[command(
        after_help = "Examples:\n  idc --demo assignments\n  idc --profile prod assignments --format csv > assignments.csv"
    )]
    Assignments {
        /// table (fitted to the terminal; without ARNs and ids), csv (RFC 4180) or json.
        #[arg(long, value_enum, default_value_t = Format::Table)]
        format: Format,
    },
    /// Who can reach which account: one row per user, account, permission set and path.
    ///
    /// A path is `direct` (a user assignment) or the name of the group that grants it; a user in
    /// several granting groups gets a row for each. Keys (CSV header, JSON object): user_name,
    /// user_id, account_id, account_name, permission_set, via. Rows are sorted by user, account,
    /// permission set, then path. The table marks suspended accounts and, after the rows, lists
    /// the assignments of deleted groups and users, which reach nobody (csv and json count them
    /// on stderr; `idc assignments` lists them). From AWS or --demo with --strategy auto,
    /// assignments are listed per account and permission set (by-pair), the only way to find
    /// those.
    #[command(
        after_help = "Examples:\n  idc --demo audit --account payments-prod --admin\n  idc --demo audit --account payments-prod --permission-set AdministratorAccess\n  idc --demo audit --user maria.garcia@northwind.example\n  idc --snapshot snap.json audit --group Contractors-Acme --format csv > acme.csv"
    )]
    Audit {
        #[command(flatten)]
        filter: AuditFilter,
        /// table (fitted to the terminal; without user ids), csv (RFC 4180) or json.
        #[arg(long, value_enum, default_value_t = Format::Table)]
        format: Format,
    },
    /// Compare two snapshots written by `idc export`.
    ///
    /// Lists the assignments and group memberships added and removed, the permission sets
    /// added, removed or changed (field by field), and the users who gained or lost a
    /// permission set on an account, with their paths. A path that merely changed (a user who
    /// moved from one granting group to another) is no gain or loss.
    #[command(
        after_help = "Examples:\n  idc --profile prod export -o monday.json\n  idc --profile prod export -o friday.json\n  idc diff monday.json friday.json\n  idc diff monday.json friday.json --format json | jq '.access_gained'"
    )]
    Diff {
        /// The older snapshot.
        #[arg(value_name = "OLD.json")]
        old: PathBuf,
        /// The newer snapshot.
        #[arg(value_name = "NEW.json")]
        new: PathBuf,
        /// table (fitted to the terminal) or json (one object with a list per kind of change).
        #[arg(long, value_enum, default_value_t = DiffFormat::Table)]
        format: DiffFormat,
    },
}

/// The filters of `idc audit`; each given one must match (names ignore case; ids work too).
#[derive(Debug, Default, Args)]
pub struct AuditFilter {
    /// Only this account (its id or name).
    #[arg(long, value_name = "ID_OR_NAME")]
    pub account: Option<String>,
    /// Only this user (their user name).
    #[arg(long, value_name = "USER_NAME")]
    pub user: Option<String>,
    /// Only the access this group grants (its display name).
    #[arg(long, value_name = "NAME")]
    pub group: Option<String>,
    /// Only this permission set (its name).
    #[arg(long, value_name = "NAME")]
    pub permission_set: Option<String>,
    /// Only permission sets with full administrative access (the AdministratorAccess policy,
    /// or an inline policy that allows every action on every resource).
    #[arg(long)]
    pub admin: bool,
}

impl AuditFilter {
    pub fn query(&self) -> AccessQuery {
        AccessQuery {
            account: self.account.clone(),
            user: self.user.clone(),
            group: self.group.clone(),
            permission_set: self.permission_set.clone(),
            admin: self.admin,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn flags_are_consistent() {
        Cli::command().debug_assert();
    }

    #[test]
    fn demo_and_snapshot_conflict() {
        let err =
            Cli::try_parse_from(["idc", "--demo", "--snapshot", "x.json"]).expect_err("conflict");
        assert_eq!(err.kind(), clap::error::ErrorKind::ArgumentConflict);
        let cli = Cli::try_parse_from(["idc", "--demo", "export", "-o", "s.json"]).expect("parses");
        assert!(matches!(cli.command, Some(Command::Export { .. })));
    }

    #[test]
    fn audit_takes_filters_and_a_format_and_diff_two_files() {
        let cli = Cli::try_parse_from([
            "idc",
            "audit",
            "--account",
            "payments-prod",
            "--permission-set",
            "AdministratorAccess",
            "--format",
            "csv",
            "--demo",
        ])
        .expect("parses");
        let Some(Command::Audit { filter, format }) = cli.command else {
            panic!("not audit: {:?}", cli.command)
        };
        assert!(cli.source.demo);
        assert_eq!(format, Format::Csv);
        assert_eq!(filter.query().account.as_deref(), Some("payments-prod"));
        assert_eq!(filter.query().user, None);

        let cli = Cli::try_parse_from(["idc", "diff", "a.json", "b.json", "--format", "json"])
            .expect("parses");
        assert!(matches!(
            cli.command,
            Some(Command::Diff {
                format: DiffFormat::Json,
                ..
            })
        ));
        let err = Cli::try_parse_from(["idc", "diff", "a.json", "b.json", "--format", "csv"])
            .expect_err("diff has no csv");
        assert_eq!(err.kind(), clap::error::ErrorKind::InvalidValue);
        let cli =
            Cli::try_parse_from(["idc", "--snapshot", "s.json", "assignments"]).expect("parses");
        assert!(matches!(
            cli.command,
            Some(Command::Assignments {
                format: Format::Table
            })
        ));
    }
}
