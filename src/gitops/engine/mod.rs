//! The live drift engine: renders every app at a revision, watches its clusters, and
//! streams [`EngineEvent`]s with per-(app, cluster) reports. It never draws.
//!
//! ```text
//! start(config) ─► render (blocking thread) ─► one task per cluster ─► EngineEvent stream
//!                     ▲ Refresh, or the followed             (watchers, dry-runs, reports,
//!                     │ branch moved (follow.rs)              previews: cluster_preview.rs)
//!   Preview ─► render that revision for one cluster (preview.rs) ─► that cluster's task
//! ```

pub mod cluster;
mod cluster_preview;
mod cluster_report;
pub mod compare;
pub mod deployed;
pub mod desired;
pub mod evaluate;
pub mod events;
pub mod follow;
mod kinds;
pub mod live;
pub mod preview;
pub mod report;
mod supervise;
pub mod sync_run;

pub use desired::DesiredRequest;
pub use report::{
    AppReport, Counts, EngineEvent, GateVerdict, NewCommit, ObjectReport, PreviewReport, SyncStatus,
    VerdictPath,
};
pub use sync_run::PlanRef;

use std::path::PathBuf;
use tokio::sync::mpsc;

/// Everything the engine needs to start.
#[derive(Debug, Clone)]
pub struct EngineConfig {
    /// The action gate every write goes through (read-only, protected clusters).
    pub gate: crate::gate::Gate,
    /// Where actions are recorded; `None` records nothing (tests, benches).
    pub audit: Option<crate::gitops::audit::AuditLog>,
    pub desired: DesiredRequest,
    /// `--kubeconfig`; `None` means `KUBECONFIG`, then `~/.kube/config`.
    pub kubeconfig: Option<PathBuf>,
    /// Confirm suspected drift with server-side apply dry-runs (the default).
    pub dry_run: bool,
    /// Watch the branch `desired.revision` names (when it is symbolic, like `HEAD` or
    /// `main`) and re-render when it moves, announcing each move as
    /// [`EngineEvent::NewCommit`]. Off for one-shot commands.
    pub follow: bool,
}

/// Commands the engine accepts while running.
#[derive(Debug, Clone, PartialEq)]
pub enum EngineCommand {
    /// Render again (a new commit, or another revision) and re-evaluate every app.
    Refresh { revision: Option<String> },
    /// What would syncing `revision` to `cluster` change? Answered with
    /// [`EngineEvent::Preview`] carrying the same `id`; the live reports are untouched.
    Preview {
        id: u64,
        revision: String,
        cluster: String,
    },
    /// The cluster's Events about these objects (and the Pods they own). Answered with
    /// [`EngineEvent::Events`] carrying the same `id`.
    Events {
        id: u64,
        context: String,
        keys: Vec<crate::kube::key::ObjectKey>,
    },
    /// What syncing `revision` to `cluster` would do, as a preview with a plan per app
    /// (`PreviewReport::plans`), limited to `scope`. Answered with [`EngineEvent::Preview`].
    PlanSync {
        id: u64,
        revision: String,
        cluster: String,
        scope: SyncScope,
    },
    /// Run a plan through the action gate. Progress comes as [`EngineEvent::SyncProgress`],
    /// the end as [`EngineEvent::SyncDone`], both carrying `id`; the audit log records it.
    Sync {
        id: u64,
        plan: PlanRef,
        /// Delete the plan's prune candidates too.
        prune: bool,
        /// The cluster's name as the user typed it, for a protected cluster.
        typed: Option<String>,
    },
    /// Stop issuing writes for sync `id` (the writes in flight finish); it then ends as
    /// cancelled, with what was done.
    CancelSync { id: u64 },
}

/// Which part of a revision a sync plan covers.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SyncScope {
    /// Only this app (else every app on the cluster).
    pub app: Option<String>,
    /// Only these objects (a selective sync); empty means all of the app's.
    pub only: Vec<crate::kube::key::ObjectKey>,
}

/// A running engine. Dropping it stops every task.
pub struct Engine {
    pub events: mpsc::Receiver<EngineEvent>,
    pub commands: mpsc::Sender<EngineCommand>,
    task: tokio::task::JoinHandle<()>,
}

impl Drop for Engine {
    fn drop(&mut self) {
        self.task.abort();
    }
}

/// What the engine is about to evaluate, sent once per render before any report.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Planned {
    pub app: String,
    pub cluster: String,
}

/// Start the engine on the current tokio runtime.
pub fn start(config: EngineConfig) -> Engine {
    let (events_tx, events) = mpsc::channel(1024);
    let (commands, commands_rx) = mpsc::channel(16);
    let task = tokio::spawn(supervise::supervise(config, events_tx, commands_rx));
    Engine {
        events,
        commands,
        task,
    }
}

#[cfg(test)]
mod evaluate_tests;
#[cfg(test)]
mod report_health_tests;
