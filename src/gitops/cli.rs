//! `sextant status` and `sextant diff`.
use crate::cli::GlobalArgs;
use crate::logging::Dirs;
use clap::Args;

#[derive(Debug, Clone, Args)]
pub struct StatusArgs {
    /// Only this app.
    pub app: Option<String>,
    /// Only this cluster (alias or context).
    #[arg(long)]
    pub cluster: Option<String>,
}

#[derive(Debug, Clone, Args)]
pub struct DiffArgs {
    /// Only this app.
    pub app: Option<String>,
    /// Only this cluster (alias or context).
    #[arg(long)]
    pub cluster: Option<String>,
    /// Render desired at this revision instead of HEAD.
    #[arg(long)]
    pub revision: Option<String>,
    /// Unmanaged changes count as drift too (exit 1).
    #[arg(long)]
    pub strict: bool,
}

pub fn status(_args: &StatusArgs, _global: &GlobalArgs, _dirs: &Dirs) -> color_eyre::Result<i32> {
    Err(color_eyre::eyre::eyre!("status is being built (issue 4)"))
}

pub fn diff(_args: &DiffArgs, _global: &GlobalArgs, _dirs: &Dirs) -> color_eyre::Result<i32> {
    Err(color_eyre::eyre::eyre!("diff is being built (issue 4)"))
}
