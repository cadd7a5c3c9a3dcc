//! Git, through gix: open/clone/fetch, branches and revspecs, lazy log pages, commit detail
//! (changed files with rename detection and line counts), two-commit compares, tree listing
//! and blob reads. Pure of any UI. Everything here blocks: async callers use `spawn_blocking`.
//! (`snapshot.rs`, reading a tree's files for rendering, belongs to the drift engine.)

mod detail;
mod distance;
mod error;
mod identity;
mod log;
mod progress;
mod remote;
mod remotes;
mod repo;
pub mod snapshot;
mod tree;
mod types;

pub use distance::{Distance, MAX_DISTANCE};
pub use error::{GitError, Result};
pub use identity::git_user;
pub use log::{LogCursor, LogFilter};
pub use remote::{cache_path, clone_or_fetch, is_url, open_spec, redact_url};
pub use remotes::remote_urls;
pub use repo::GitRepo;
pub use types::*;
