//! The event loop: terminal events and worker messages, drained, then one draw.
use crate::cli::GlobalArgs;
use crate::logging::Dirs;

pub fn run(_global: &GlobalArgs, _dirs: &Dirs) -> color_eyre::Result<i32> {
    Err(color_eyre::eyre::eyre!("the TUI is being built (issue 2)"))
}
