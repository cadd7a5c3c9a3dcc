//! The live drift engine: renders every app at a revision, watches its clusters, and
//! streams [`EngineEvent`]s with per-(app, cluster) reports. It never draws.
//!
//! ```text
//! start(config) ─► render (blocking thread) ─► one task per cluster ─► EngineEvent stream
//!                     ▲ EngineCommand::Refresh            (watchers, dry-runs, reports)
//! ```

pub mod cluster;
pub mod compare;
pub mod desired;
pub mod evaluate;
pub mod events;
pub mod live;
pub mod report;

pub use desired::DesiredRequest;
pub use report::{
    AppReport, Counts, EngineEvent, NewCommit, ObjectReport, PreviewReport, SyncStatus, VerdictPath,
};

use crate::kube::cluster::{ClusterState, load_kubeconfig};
use cluster::{ClusterJob, down_report, run_cluster};
use desired::DesiredApp;
use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::Arc;
use tokio::sync::mpsc;

/// Everything the engine needs to start.
#[derive(Debug, Clone)]
pub struct EngineConfig {
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
#[derive(Debug, Clone, PartialEq, Eq)]
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
    let task = tokio::spawn(supervise(config, events_tx, commands_rx));
    Engine {
        events,
        commands,
        task,
    }
}

/// Render, hand each cluster its apps, and re-render on command. Cluster tasks are children
/// of this task: they stop when it stops (their desired channel closes).
async fn supervise(
    mut config: EngineConfig,
    events: mpsc::Sender<EngineEvent>,
    mut commands: mpsc::Receiver<EngineCommand>,
) {
    let kubeconfig = match load_kubeconfig(config.kubeconfig.as_deref()) {
        Ok(k) => Ok(Arc::new(k)),
        Err(e) => Err(e),
    };
    let mut clusters: BTreeMap<String, (mpsc::Sender<Vec<DesiredApp>>, tokio::task::JoinHandle<()>)> =
        BTreeMap::new();
    loop {
        let request = config.desired.clone();
        let rendered = tokio::task::spawn_blocking(move || desired::render_all(&request)).await;
        match rendered {
            Ok(Ok(apps)) => {
                let planned = apps
                    .iter()
                    .map(|a| Planned {
                        app: a.target.app.name.clone(),
                        cluster: a.target.cluster.clone(),
                    })
                    .collect();
                let _ = events.send(EngineEvent::Planned(planned)).await;
                dispatch(apps, &kubeconfig, &config, &events, &mut clusters).await;
            }
            Ok(Err(message)) => {
                let _ = events.send(EngineEvent::Fatal(message)).await;
            }
            Err(e) => {
                let _ = events
                    .send(EngineEvent::Fatal(format!("rendering stopped: {e}")))
                    .await;
            }
        }
        // Commands that do not change what is rendered are answered without re-rendering.
        let refresh = loop {
            match commands.recv().await {
                Some(EngineCommand::Refresh { revision }) => break Some(revision),
                Some(EngineCommand::Events { id, context, keys }) => {
                    events::answer(id, context, keys, kubeconfig.clone(), events.clone());
                }
                // Answered by the engine branch that implements previews.
                Some(EngineCommand::Preview { .. }) => {}
                None => break None,
            }
        };
        match refresh {
            Some(revision) => {
                if let Some(rev) = revision {
                    config.desired.revision = rev;
                }
            }
            None => break,
        }
    }
    for (_, (_, task)) in clusters {
        task.abort();
    }
}

/// Send each cluster task its apps, starting tasks for clusters not seen before.
async fn dispatch(
    apps: Vec<DesiredApp>,
    kubeconfig: &Result<Arc<kube::config::Kubeconfig>, String>,
    config: &EngineConfig,
    events: &mpsc::Sender<EngineEvent>,
    clusters: &mut BTreeMap<String, (mpsc::Sender<Vec<DesiredApp>>, tokio::task::JoinHandle<()>)>,
) {
    let mut by_context: BTreeMap<String, Vec<DesiredApp>> = BTreeMap::new();
    for app in apps {
        by_context
            .entry(app.target.context.clone())
            .or_default()
            .push(app);
    }
    let kubeconfig = match kubeconfig {
        Ok(k) => k,
        Err(e) => {
            // Without a kubeconfig no cluster can be reached; every app says why.
            let state = ClusterState::Unreachable(e.clone());
            for (context, apps) in by_context {
                let cluster = apps.first().map(|a| a.target.cluster.clone()).unwrap_or_default();
                let ev = EngineEvent::ClusterState {
                    cluster,
                    context,
                    state: state.clone(),
                };
                let _ = events.send(ev).await;
                for app in &apps {
                    let _ = events
                        .send(EngineEvent::AppReport(Arc::new(down_report(app, &state))))
                        .await;
                }
            }
            return;
        }
    };
    for (context, apps) in by_context {
        let entry = clusters.entry(context.clone()).or_insert_with(|| {
            let (tx, rx) = mpsc::channel(4);
            let job = ClusterJob {
                context: context.clone(),
                kubeconfig: kubeconfig.clone(),
                events: events.clone(),
                dry_run: config.dry_run,
            };
            (tx, tokio::spawn(run_cluster(job, rx)))
        });
        let _ = entry.0.send(apps).await;
    }
}

#[cfg(test)]
mod evaluate_tests;
