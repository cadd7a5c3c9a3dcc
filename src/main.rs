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
    // The demo logs into its own directory, so that it leaves nothing behind (see cmd::demo).
    let _log_guard = cli.logs_to_data_dir().then(|| logging::init(&dirs)).flatten();
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
