//! Kubernetes clients per context, discovery, watchers, server-side apply and dry-run.
pub mod apply;
pub mod cluster;
pub mod discovery;
pub mod events;
pub mod fieldset;
pub mod get;
pub mod key;
pub mod operator_write;
pub mod quantity;
pub mod typed;
pub mod watch;
pub mod write;
