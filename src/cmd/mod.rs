//! The command layer: parses the command line and runs one subcommand on the engine, the
//! cockpit or the demo. One file per subcommand, the shared flags (`args`) and the terminal
//! styling of command output (`style`). Nothing below this layer imports it.

mod args;
mod audit;
mod demo;
mod diff;
mod log;
mod pr;
mod prompt;
mod publish;
mod report_text;
mod reports;
mod revert;
mod revert_text;
mod rollback;
mod sandbox;
mod status;
mod style;
mod sync;
mod sync_operator;
mod sync_text;

pub use args::{GlobalArgs, OutputFormat};
pub use diff::exit_code;

use crate::logging::Dirs;
use clap::{Parser, Subcommand};

#[derive(Debug, Parser)]
#[command(
    name = "sextant",
    version,
    about = "A terminal cockpit for GitOps on Kubernetes"
)]
pub struct Cli {
    #[command(flatten)]
    pub global: GlobalArgs,
    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Three sandbox clusters, a config repo with history, a normal day's drift: the cockpit on
    /// all of it, with nothing to install or configure.
    Demo(demo::DemoArgs),
    /// Serve in-process Kubernetes API servers on 127.0.0.1 until interrupted.
    Sandbox(sandbox::SandboxArgs),
    /// Print the commit log of a repository (the TUI's engine, non-interactive).
    Log(log::LogArgs),
    /// Apps x clusters: sync, health and drift counts.
    Status(status::StatusArgs),
    /// The drift of an app (or all apps): live -> desired, attributed. Exit 0 none, 1 drift, >1 error.
    Diff(diff::DiffArgs),
    /// Apply Git to clusters: show the plan, confirm, apply with server-side apply, prune on
    /// request. Exit 0 all applied, 1 some failed, 2 error.
    Sync(sync::SyncArgs),
    /// Undo a commit (or everything since one) on a new branch `sextant/revert-<short>`, without
    /// touching the worktree: preview what it does on each cluster, then create, push, open a PR.
    Revert(revert::RevertArgs),
    /// Push a branch and open its pull request (GitHub, GitLab, Gitea/Forgejo).
    Pr(pr::PrArgs),
    /// Put an app back to an earlier revision: list its history, then a revert PR of everything
    /// since (default) or, in an emergency, a pinned sync now.
    Rollback(rollback::RollbackArgs),
    /// What Sextant did (syncs, refusals, reverts, pull requests): who, what, where, result.
    Audit(audit::AuditArgs),
}

impl Cli {
    /// Whether the command logs to the user's data dir: all but the demo, which keeps its log
    /// (and the audit of what is done in it) in its own directory.
    pub fn logs_to_data_dir(&self) -> bool {
        !matches!(self.command, Some(Command::Demo(_)))
    }
}

/// Run the command the line asked for (the cockpit when none). Returns the exit code.
pub fn run(cli: Cli, dirs: &Dirs) -> color_eyre::Result<i32> {
    let global = cli.global;
    match cli.command {
        None => crate::app::run(&global.launch(), dirs),
        Some(Command::Demo(args)) => demo::run(&args, &global, dirs),
        Some(Command::Sandbox(args)) => sandbox::run(&args, &global, dirs),
        Some(Command::Log(args)) => log::run(&args, &global, dirs),
        Some(Command::Status(args)) => status::run(&args, &global, dirs),
        Some(Command::Diff(args)) => diff::run(&args, &global, dirs),
        Some(Command::Sync(args)) => sync::run(&args, &global, dirs),
        Some(Command::Revert(args)) => revert::run(&args, &global, dirs),
        Some(Command::Pr(args)) => pr::run(&args, &global, dirs),
        Some(Command::Rollback(args)) => rollback::run(&args, &global, dirs),
        Some(Command::Audit(args)) => audit::run(&args, &global, dirs),
    }
}
