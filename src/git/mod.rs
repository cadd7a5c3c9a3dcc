//! Git, through gix: open/clone/fetch, branches and revspecs, lazy log pages, commit detail
//! (changed files with rename detection and line counts), two-commit compares, tree listing
//! and blob reads, reverts in memory onto a new branch, pushes through the git CLI. Pure of any UI. Everything here blocks: async callers use `spawn_blocking`.
//! (`snapshot.rs`, reading a tree's files for rendering, belongs to the drift engine.)

mod detail;
mod distance;
mod error;
mod identity;
mod log;
mod progress;
mod push;
mod remote;
mod remotes;
mod repo;
mod revert;
pub mod snapshot;
mod tree;
mod types;

pub use distance::{Distance, MAX_DISTANCE};
pub use error::{GitError, Result};
pub use identity::git_user;
pub use log::{LogCursor, LogFilter};
pub use push::{PushError, PushOutcome, PushRemote, PushStatus};
pub use remote::{cache_path, clone_or_fetch, is_url, open_spec, redact_url, redact_urls_in};
pub use remotes::remote_urls;
pub use repo::GitRepo;
pub use revert::{ParentChoice, RevertError, RevertOutcome, RevertPlan, RevertSpec};
pub use types::*;
