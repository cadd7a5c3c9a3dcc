//! Git, through gix: open/clone/fetch, log pages, tree and blob diffs, revert; push via `git`.
pub mod cli;
pub mod snapshot;
