//! The engine's supervisor: renders the followed revision, hands each cluster task its apps,
//! re-renders on `Refresh` or when the followed branch moves, and routes previews and event
//! requests. Cluster tasks are its children: they stop when it stops.

use super::cluster::{ClusterInput, ClusterJob, down_report, run_cluster};
use super::desired::{self, DesiredApp, Rendering};
use super::operators::Operators;
use super::preview::{self, ClusterHandle};
use super::sync_run::{self, SyncJob};
use super::{EngineCommand, EngineConfig, EngineEvent, Planned, discovered, events, follow, operator_run};
use crate::gitops::sync::execute::SyncOptions;
use crate::gitops::sync::plan::SyncPlan;
use crate::kube::cluster::{ClusterState, load_kubeconfig};
use kube::config::Kubeconfig;
use std::collections::BTreeMap;
use std::sync::Arc;
use tokio::sync::{mpsc, watch};
use tokio::time::MissedTickBehavior;

type Kubeconfigured = Result<Arc<Kubeconfig>, String>;

/// Run the engine until the command channel closes.
pub(super) async fn supervise(
    mut config: EngineConfig,
    events: mpsc::Sender<EngineEvent>,
    mut commands: mpsc::Receiver<EngineCommand>,
) {
    let kubeconfig = load_kubeconfig(config.kubeconfig.as_deref()).map(Arc::new);
    let mut ops = Operators::new(kubeconfig.as_ref().ok().map(|k| &**k), &config.desired).await;
    let mut clusters: BTreeMap<String, ClusterHandle> = BTreeMap::new();
    // The commit the last render used, to tell when the followed branch moves.
    let mut rendered: Option<String> = None;
    let mut follower = follow::Follower::default();
    let mut tick = tokio::time::interval(follow::POLL_EVERY);
    tick.set_missed_tick_behavior(MissedTickBehavior::Delay);
    let mut render = true;
    let mut syncs = Cancels::default();
    loop {
        if std::mem::take(&mut render) {
            let commit = render_and_dispatch(&config, &kubeconfig, &events, &mut clusters, &mut ops).await;
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
                    let ask = preview::Ask { id, revision, cluster, plan: None };
                    ask_preview(ask, &kubeconfig, &clusters, &config, &events).await;
                }
                Some(EngineCommand::PlanSync { id, revision, cluster, scope }) => {
                    let ask = sync_run::plan_ask(id, revision, cluster, scope, config.gate.clone());
                    ask_preview(ask, &kubeconfig, &clusters, &config, &events).await;
                }
                Some(EngineCommand::Sync { id, plan, prune, typed }) => {
                    let cancel = syncs.start(id);
                    start_sync(id, plan.0, prune, typed, cancel, &kubeconfig, &clusters, &config, &events).await;
                }
                Some(EngineCommand::CancelSync { id }) => syncs.cancel(id),
                Some(EngineCommand::OperatorPreview { id, app, cluster, action }) => {
                    match ops.find(&app, &cluster) {
                        Ok(app) => operator_run::start_preview(id, app, action, &kubeconfig, &config, &events),
                        Err(why) => operator_run::answer_missing(id, why, &events).await,
                    }
                }
                Some(EngineCommand::Operator { id, app, cluster, action, typed, wait_secs }) => {
                    match ops.find(&app, &cluster) {
                        Ok(app) => {
                            let ask = operator_run::Ask { id, app, action, typed, wait_secs };
                            operator_run::start(ask, &kubeconfig, &config, &events).await;
                        }
                        Err(why) => operator_run::answer_missing(id, why, &events).await,
                    }
                }
                Some(EngineCommand::OpenRepo { url, path }) => {
                    ops.index.add(&url, &path);
                    ops.resettle();
                    render = true;
                }
            },
            scan = ops.rx.recv() => {
                let Some(scan) = scan else { continue };
                let scan = ops.take(scan);
                if ops.needs_render(&config.desired) {
                    let commit = render_and_dispatch(&config, &kubeconfig, &events, &mut clusters, &mut ops).await;
                    rendered = commit.or(rendered);
                } else {
                    let mut planned = ops.planned.clone();
                    planned.extend(ops.planned(&config.desired));
                    let _ = events.send(EngineEvent::Planned(planned)).await;
                    ops.publish(&config.desired, &clusters, &events).await;
                }
                let _ = events.send(EngineEvent::Operators(scan)).await;
            }
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

/// Route a preview (or a sync plan) to its cluster's task, or answer why it cannot be.
async fn ask_preview(
    ask: preview::Ask,
    kubeconfig: &Kubeconfigured,
    clusters: &BTreeMap<String, ClusterHandle>,
    config: &EngineConfig,
    events: &mpsc::Sender<EngineEvent>,
) {
    let routed = match kubeconfig {
        Err(e) => Err(format!("cannot preview {} on {}: {e}", ask.revision, ask.cluster)),
        Ok(_) => preview::route(clusters, &ask.cluster),
    };
    match routed {
        Ok(route) => preview::start(ask, route, config.desired.clone(), events.clone()),
        Err(error) => {
            let _ = events
                .send(preview::failure(ask.id, &ask.revision, &ask.cluster, error))
                .await;
        }
    }
}

/// The cancel switches of running syncs, by id.
#[derive(Default)]
struct Cancels(BTreeMap<u64, watch::Sender<bool>>);

impl Cancels {
    fn start(&mut self, id: u64) -> watch::Receiver<bool> {
        // Finished syncs drop their receivers; forget their switches.
        self.0.retain(|_, tx| !tx.is_closed());
        let (tx, rx) = watch::channel(false);
        self.0.insert(id, tx);
        rx
    }

    fn cancel(&mut self, id: u64) {
        if let Some(tx) = self.0.get(&id) {
            let _ = tx.send(true);
        }
    }
}

/// Ask the gate, then hand a permitted sync to its cluster's task; a refusal, or a cluster
/// the engine does not watch, ends it at once (audited) with nothing written.
#[allow(clippy::too_many_arguments)]
async fn start_sync(
    id: u64,
    plan: Arc<SyncPlan>,
    prune: bool,
    typed: Option<String>,
    cancel: watch::Receiver<bool>,
    kubeconfig: &Kubeconfigured,
    clusters: &BTreeMap<String, ClusterHandle>,
    config: &EngineConfig,
    events: &mpsc::Sender<EngineEvent>,
) {
    let kc = kubeconfig.as_ref().ok().map(|k| &**k);
    let who = sync_run::who(&config.desired.repo, kc, &plan.context);
    let audit = config.audit.as_ref();
    let permits = match sync_run::permits(&config.gate, &plan, prune, typed.as_deref()) {
        Ok(p) => p,
        Err(why) => return sync_run::refuse(id, &plan, prune, why, audit, who, events).await,
    };
    let Some(handle) = clusters.get(&plan.context) else {
        let why = format!(
            "cluster {} is not watched by this engine: nothing was written",
            plan.cluster
        );
        return sync_run::refuse(id, &plan, prune, why, audit, who, events).await;
    };
    let job = SyncJob {
        id,
        plan: plan.clone(),
        permits,
        options: SyncOptions {
            prune,
            ..SyncOptions::default()
        },
        cancel,
        events: events.clone(),
        audit: config.audit.clone(),
        who: who.clone(),
    };
    if let Err(mpsc::error::SendError(ClusterInput::Sync(job))) =
        handle.tx.send(ClusterInput::Sync(job)).await
    {
        let why = format!("cluster {}'s task has stopped: nothing was written", plan.cluster);
        sync_run::refuse(id, &plan, prune, why, job.audit.as_ref(), who, events).await;
    }
}

/// Render the configured revision and dispatch it; returns the commit rendered, if the
/// revision resolved. A failed render keeps the cluster tasks on their last good apps.
async fn render_and_dispatch(
    config: &EngineConfig,
    kubeconfig: &Kubeconfigured,
    events: &mpsc::Sender<EngineEvent>,
    clusters: &mut BTreeMap<String, ClusterHandle>,
    ops: &mut Operators,
) -> Option<String> {
    let request = config.desired.clone();
    let rendered = tokio::task::spawn_blocking(move || desired::render_live(&request)).await;
    let (commit, apps, all_contexts) = match rendered {
        Ok(Rendering::At {
            commit,
            apps,
            contexts,
            ..
        }) => (Some(commit), apps, contexts),
        Ok(Rendering::Unresolved(e)) => (None, Err(e), Vec::new()),
        Err(e) => (None, Err(format!("rendering stopped: {e}")), Vec::new()),
    };
    match apps {
        Ok(mut apps) => {
            let mut planned: Vec<Planned> = apps
                .iter()
                .map(|a| Planned {
                    app: a.target.app.name.clone(),
                    cluster: a.target.cluster.clone(),
                })
                .collect();
            ops.planned = planned.clone();
            // Apps Argo CD or Flux manage, rendered from their repos when open.
            let found = ops.selected(&config.desired);
            ops.rendered(&found);
            let (request, to_render) = (config.desired.clone(), found.clone());
            let more = tokio::task::spawn_blocking(move || discovered::render(&to_render, &request))
                .await
                .unwrap_or_default();
            planned.extend(ops.planned(&config.desired));
            // Discover operators on every cluster Sextant knows of.
            if let Ok(kc) = kubeconfig {
                let mut contexts: Vec<String> = apps.iter().map(|a| a.target.context.clone()).collect();
                contexts.extend(all_contexts);
                contexts.extend(clusters.keys().cloned());
                contexts.sort();
                contexts.dedup();
                let watched = ops.watch(&contexts, kc);
                let _ = events.send(EngineEvent::Discovering(watched)).await;
            }
            let _ = events.send(EngineEvent::Planned(planned)).await;
            apps.extend(more);
            dispatch(apps, kubeconfig, config, events, clusters).await;
            ops.publish(&config.desired, clusters, events).await;
        }
        Err(message) => {
            let _ = events.send(EngineEvent::Fatal(message)).await;
        }
    }
    commit
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
