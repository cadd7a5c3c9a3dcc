//! The engine's supervisor: renders the followed revision, hands each cluster task its apps,
//! re-renders on `Refresh` or when the followed branch moves, and routes previews and event
//! requests. Cluster tasks are its children: they stop when it stops.

use super::cluster::{ClusterInput, ClusterJob, down_report, run_cluster};
use super::desired::{self, DesiredApp, Rendering};
use super::preview::{self, ClusterHandle};
use super::{EngineCommand, EngineConfig, EngineEvent, Planned, events, follow};
use crate::kube::cluster::{ClusterState, load_kubeconfig};
use kube::config::Kubeconfig;
use std::collections::BTreeMap;
use std::sync::Arc;
use tokio::sync::mpsc;
use tokio::time::MissedTickBehavior;

type Kubeconfigured = Result<Arc<Kubeconfig>, String>;

/// Run the engine until the command channel closes.
pub(super) async fn supervise(
    mut config: EngineConfig,
    events: mpsc::Sender<EngineEvent>,
    mut commands: mpsc::Receiver<EngineCommand>,
) {
    let kubeconfig = load_kubeconfig(config.kubeconfig.as_deref()).map(Arc::new);
    let mut clusters: BTreeMap<String, ClusterHandle> = BTreeMap::new();
    // The commit the last render used, to tell when the followed branch moves.
    let mut rendered: Option<String> = None;
    let mut follower = follow::Follower::default();
    let mut tick = tokio::time::interval(follow::POLL_EVERY);
    tick.set_missed_tick_behavior(MissedTickBehavior::Delay);
    let mut render = true;
    loop {
        if std::mem::take(&mut render) {
            let commit = render_and_dispatch(&config, &kubeconfig, &events, &mut clusters).await;
            rendered = commit.or(rendered);
        }
        let following = config.follow && follow::is_symbolic(&config.desired.revision);
        tokio::select! {
            command = commands.recv() => match command {
                None => break,
                Some(EngineCommand::Refresh { revision }) => {
                    if let Some(rev) = revision {
                        config.desired.revision = rev;
                    }
                    render = true;
                }
                Some(EngineCommand::Events { id, context, keys }) => {
                    events::answer(id, context, keys, kubeconfig.clone(), events.clone());
                }
                Some(EngineCommand::Preview { id, revision, cluster }) => {
                    let routed = match &kubeconfig {
                        Err(e) => Err(format!("cannot preview {revision} on {cluster}: {e}")),
                        Ok(_) => preview::route(&clusters, &cluster),
                    };
                    match routed {
                        Ok(route) => {
                            preview::start(id, revision, cluster, route, config.desired.clone(), events.clone());
                        }
                        Err(error) => {
                            let _ = events.send(preview::failure(id, &revision, &cluster, error)).await;
                        }
                    }
                }
            },
            _ = tick.tick(), if following => {
                if let Some(moved) = follower.moved(&config.desired, rendered.as_deref()).await {
                    tracing::info!("{} moved to {} ({})", config.desired.revision, moved.short, moved.summary);
                    let _ = events.send(EngineEvent::NewCommit(moved)).await;
                    render = true;
                }
            }
        }
    }
    for handle in clusters.into_values() {
        handle.task.abort();
    }
}

/// Render the configured revision and dispatch it; returns the commit rendered, if the
/// revision resolved. A failed render keeps the cluster tasks on their last good apps.
async fn render_and_dispatch(
    config: &EngineConfig,
    kubeconfig: &Kubeconfigured,
    events: &mpsc::Sender<EngineEvent>,
    clusters: &mut BTreeMap<String, ClusterHandle>,
) -> Option<String> {
    let request = config.desired.clone();
    let rendered = tokio::task::spawn_blocking(move || desired::render_at(&request)).await;
    let Rendering { commit, apps } = match rendered {
        Ok(r) => r,
        Err(e) => {
            let _ = events
                .send(EngineEvent::Fatal(format!("rendering stopped: {e}")))
                .await;
            return None;
        }
    };
    match apps {
        Ok(apps) => {
            let planned = apps
                .iter()
                .map(|a| Planned {
                    app: a.target.app.name.clone(),
                    cluster: a.target.cluster.clone(),
                })
                .collect();
            let _ = events.send(EngineEvent::Planned(planned)).await;
            dispatch(apps, kubeconfig, config, events, clusters).await;
        }
        Err(message) => {
            let _ = events.send(EngineEvent::Fatal(message)).await;
        }
    }
    commit.map(|(full, _)| full)
}

/// Send each cluster task its apps, starting tasks for clusters not seen before. Clusters
/// the render no longer targets get an empty set, so they stop reporting stale apps.
async fn dispatch(
    apps: Vec<DesiredApp>,
    kubeconfig: &Kubeconfigured,
    config: &EngineConfig,
    events: &mpsc::Sender<EngineEvent>,
    clusters: &mut BTreeMap<String, ClusterHandle>,
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
    for context in clusters.keys() {
        by_context.entry(context.clone()).or_default();
    }
    for (context, apps) in by_context {
        if apps.is_empty() && !clusters.contains_key(&context) {
            continue;
        }
        let handle = clusters.entry(context.clone()).or_insert_with(|| {
            let (tx, rx) = mpsc::channel(4);
            let job = ClusterJob {
                context: context.clone(),
                kubeconfig: kubeconfig.clone(),
                events: events.clone(),
                dry_run: config.dry_run,
            };
            ClusterHandle {
                name: apps
                    .first()
                    .map(|a| a.target.cluster.clone())
                    .unwrap_or_else(|| context.clone()),
                tx,
                task: tokio::spawn(run_cluster(job, rx)),
            }
        });
        let _ = handle.tx.send(ClusterInput::Apps(apps)).await;
    }
}
