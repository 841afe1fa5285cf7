//! Command-line flags and subcommands.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

use crate::worker::loader::Strategy;

#[derive(Debug, Parser)]
#[command(
    name = "idc",
    version,
    about = "Browse, grant and audit access in AWS IAM Identity Center",
    after_help = "Examples:\n  idc --demo                      the TUI on the built-in demo organization\n  idc --profile prod --region eu-west-1\n  idc --demo export -o snap.json  save a snapshot\n  idc --snapshot snap.json        browse a snapshot offline"
)]
pub struct Cli {
    #[command(flatten)]
    pub source: SourceArgs,

    /// Refuse every change to AWS; keys that change access say why instead.
    #[arg(long, global = true)]
    pub read_only: bool,

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
}
