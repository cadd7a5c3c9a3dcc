//! `sextant log`.
use crate::cli::GlobalArgs;
use crate::logging::Dirs;
use clap::Args;

#[derive(Debug, Clone, Args)]
pub struct LogArgs {
    /// Branch or revision to start from. Default: HEAD.
    #[arg(long)]
    pub branch: Option<String>,
    /// Stop after this many commits.
    #[arg(long)]
    pub max: Option<usize>,
}

pub fn run(_args: &LogArgs, _global: &GlobalArgs, _dirs: &Dirs) -> color_eyre::Result<i32> {
    Err(color_eyre::eyre::eyre!("log is being built (issue 2)"))
}
