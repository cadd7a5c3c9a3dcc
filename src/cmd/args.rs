//! Command-line parsing: the flags every command shares, and the subcommands.

use clap::{Args, Parser, Subcommand, ValueEnum};
use std::path::PathBuf;

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

/// Flags shared by every command, named like kubectl's and git's.
#[derive(Debug, Clone, Args, Default)]
pub struct GlobalArgs {
    /// A config repository: a local path or a URL (repeatable). Default: the repo holding the current directory.
    #[arg(long = "repo", global = true, value_name = "PATH_OR_URL")]
    pub repos: Vec<String>,
    /// Kubeconfig file. Default: $KUBECONFIG, then ~/.kube/config.
    #[arg(long, global = true, value_name = "FILE")]
    pub kubeconfig: Option<PathBuf>,
    /// A kubeconfig context to use (repeatable). Default: every cluster the apps name.
    #[arg(long = "context", global = true, value_name = "NAME")]
    pub contexts: Vec<String>,
    /// Output format for read commands.
    #[arg(long, short = 'o', global = true, value_enum, default_value_t = OutputFormat::Text)]
    pub output: OutputFormat,
    /// Refuse every write (sync, prune, push, PR).
    #[arg(long, global = true)]
    pub readonly: bool,
    /// TUI theme: dark, light, high-contrast, colorblind.
    #[arg(long, global = true, value_name = "NAME")]
    pub theme: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum, Default)]
pub enum OutputFormat {
    #[default]
    Text,
    Json,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Three sandbox clusters, a config repo with history, a normal day's drift: the cockpit on
    /// all of it, with nothing to install or configure.
    Demo(crate::demo::DemoArgs),
    /// Serve in-process Kubernetes API servers on 127.0.0.1 until interrupted.
    Sandbox(crate::sandbox::cli::SandboxArgs),
    /// Print the commit log of a repository (the TUI's engine, non-interactive).
    Log(crate::git::cli::LogArgs),
    /// Apps x clusters: sync, health and drift counts.
    Status(crate::gitops::cli::StatusArgs),
    /// The drift of an app (or all apps): live -> desired, attributed. Exit 0 none, 1 drift, >1 error.
    Diff(crate::gitops::cli::DiffArgs),
}
