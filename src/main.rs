//! The `sextant` binary: parse the command line, set up error and panic hooks and logging,
//! then run the TUI or a subcommand. Errors print one line and exit 2.

use clap::Parser;
use sextant::cli::{Cli, Command};
use sextant::logging::{self, Dirs};

fn main() {
    sextant::install_crypto_provider();
    let cli = Cli::parse();
    let _ = color_eyre::config::HookBuilder::default()
        .display_env_section(false)
        .install();
    let dirs = Dirs::discover();
    let _log_guard = logging::init(&dirs);
    let code = match run(cli, &dirs) {
        Ok(code) => code,
        Err(err) => {
            tracing::error!("{err:#}");
            eprintln!("sextant: {err:#}");
            2
        }
    };
    std::process::exit(code);
}

fn run(cli: Cli, dirs: &Dirs) -> color_eyre::Result<i32> {
    let global = cli.global;
    match cli.command {
        None => sextant::app::run(&global, dirs),
        Some(Command::Demo(args)) => sextant::demo::run(&args, &global, dirs),
        Some(Command::Sandbox(args)) => sextant::sandbox::cli::run(&args, &global, dirs),
        Some(Command::Log(args)) => sextant::git::cli::run(&args, &global, dirs),
        Some(Command::Status(args)) => sextant::gitops::cli::status(&args, &global, dirs),
        Some(Command::Diff(args)) => sextant::gitops::cli::diff(&args, &global, dirs),
    }
}
