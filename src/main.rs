//! The `sextant` binary: parse the command line, set up error and panic hooks and logging,
//! then run the TUI or a subcommand. Errors print one line and exit 2.

use clap::Parser;
use sextant::cmd::{self, Cli};
use sextant::logging::{self, Dirs};

fn main() {
    sextant::install_crypto_provider();
    let cli = Cli::parse();
    let _ = color_eyre::config::HookBuilder::default()
        .display_env_section(false)
        .install();
    let dirs = Dirs::discover();
    let _log_guard = logging::init(&dirs);
    let code = match cmd::run(cli, &dirs) {
        Ok(code) => code,
        Err(err) => {
            tracing::error!("{err:#}");
            eprintln!("sextant: {err:#}");
            2
        }
    };
    std::process::exit(code);
}
