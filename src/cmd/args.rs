//! The flags every command shares, named like kubectl's and git's.

use clap::{Args, ValueEnum};
use std::path::PathBuf;

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
    /// Refuse every write (sync, prune, a revert branch, push, PR).
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

impl GlobalArgs {
    /// What the cockpit is launched on, from these flags.
    pub fn launch(&self) -> crate::app::Launch {
        crate::app::Launch {
            repos: self.repos.clone(),
            kubeconfig: self.kubeconfig.clone(),
            contexts: self.contexts.clone(),
            readonly: self.readonly,
            theme: self.theme.clone(),
            forges: Default::default(),
        }
    }
}
