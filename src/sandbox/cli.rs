//! `sextant sandbox`.
use crate::cli::GlobalArgs;
use crate::logging::Dirs;
use clap::Args;

#[derive(Debug, Clone, Args)]
pub struct SandboxArgs {
    /// First port to listen on (0 picks free ports).
    #[arg(long, default_value_t = 0)]
    pub port: u16,
    /// How many clusters to serve.
    #[arg(long, default_value_t = 1)]
    pub clusters: usize,
}

pub fn run(_args: &SandboxArgs, _global: &GlobalArgs, _dirs: &Dirs) -> color_eyre::Result<i32> {
    Err(color_eyre::eyre::eyre!("the sandbox is being built (issue 3)"))
}
