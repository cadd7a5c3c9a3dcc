//! Kubernetes clients per context, discovery, watchers, server-side apply and dry-run.
pub mod fieldset;
