//! Logging to a file in the data dir; never to the screen (it would corrupt the TUI).

use std::path::{Path, PathBuf};
use tracing_appender::non_blocking::WorkerGuard;
use tracing_subscriber::{EnvFilter, fmt};

/// Where Sextant keeps its state, cache and config, following XDG on Linux.
/// `SEXTANT_HOME` puts everything under one directory (used by tests and the demo).
#[derive(Debug, Clone)]
pub struct Dirs {
    pub config: PathBuf,
    pub data: PathBuf,
    pub cache: PathBuf,
}

impl Dirs {
    pub fn discover() -> Dirs {
        if let Some(home) = std::env::var_os("SEXTANT_HOME") {
            let home = PathBuf::from(home);
            return Dirs {
                config: home.join("config"),
                data: home.join("data"),
                cache: home.join("cache"),
            };
        }
        match directories::ProjectDirs::from("dev", "sextant", "sextant") {
            Some(p) => Dirs {
                config: p.config_dir().to_path_buf(),
                data: p.data_dir().to_path_buf(),
                cache: p.cache_dir().to_path_buf(),
            },
            None => {
                let tmp = std::env::temp_dir().join("sextant");
                Dirs {
                    config: tmp.join("config"),
                    data: tmp.join("data"),
                    cache: tmp.join("cache"),
                }
            }
        }
    }

    /// The log file written by every command.
    pub fn log_file(&self) -> PathBuf {
        self.data.join("sextant.log")
    }
}

/// Send `tracing` output to `<data>/sextant.log`. The level comes from `SEXTANT_LOG`
/// (default `info`). Keep the guard alive for the life of the program so the log is flushed.
pub fn init(dirs: &Dirs) -> Option<WorkerGuard> {
    init_at(&dirs.data)
}

fn init_at(dir: &Path) -> Option<WorkerGuard> {
    std::fs::create_dir_all(dir).ok()?;
    let appender = tracing_appender::rolling::never(dir, "sextant.log");
    let (writer, guard) = tracing_appender::non_blocking(appender);
    let filter = EnvFilter::try_from_env("SEXTANT_LOG").unwrap_or_else(|_| EnvFilter::new("info"));
    let ok = fmt()
        .with_env_filter(filter)
        .with_writer(writer)
        .with_ansi(false)
        .try_init()
        .is_ok();
    ok.then_some(guard)
}
