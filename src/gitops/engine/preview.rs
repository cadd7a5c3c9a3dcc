//! "What would this revision do?": the supervisor's side of [`super::EngineCommand::Preview`].
//! Find the cluster's task, render the revision for that cluster on a blocking thread, and
//! hand the apps to the task, which evaluates them against its live state
//! (`cluster_preview.rs`) and answers through a oneshot, so that every request is answered
//! exactly once, within [`ANSWER_WITHIN`], with an `error` saying what to do when nothing
//! can be shown. The live engine keeps following its own revision.

use super::SyncScope;
use super::cluster::ClusterInput;
use super::desired::{self, DesiredApp, DesiredRequest, Rendering};
use super::report::{AppReport, EngineEvent, GateVerdict, PreviewReport};
use crate::gate::{Action, Gate, Target};
use crate::gitops::sync::plan::SyncPlan;
use crate::kube::cluster::ClusterState;
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::{mpsc, oneshot};

/// How long a cluster task may take to answer a preview (thousands of dry-runs on a slow
/// API server) before the request is answered with an error instead.
pub const ANSWER_WITHIN: Duration = Duration::from_secs(180);

/// A rendered revision on its way to one cluster task, which answers through `reply`.
pub struct PreviewJob {
    pub id: u64,
    /// The revision as asked for, and the commit it resolved to.
    pub revision: String,
    pub short: String,
    pub commit: String,
    pub cluster: String,
    /// The apps the revision targets at this cluster.
    pub apps: Vec<DesiredApp>,
    /// For a sync plan: what to plan, and the branch head's commit (to tell a pinned sync).
    pub plan: Option<(SyncScope, Option<String>)>,
    reply: oneshot::Sender<EngineEvent>,
}

impl PreviewJob {
    /// Answer with the evaluated apps (and their sync plans, when asked for).
    pub fn answer(self, apps: Vec<Arc<AppReport>>, absent: Vec<String>, plans: Vec<Arc<SyncPlan>>) {
        let report = PreviewReport {
            short: self.short.clone(),
            commit: self.commit.clone(),
            apps,
            absent,
            plans,
            ..blank(self.id, &self.revision, &self.cluster)
        };
        let _ = self.reply.send(EngineEvent::Preview(Arc::new(report)));
    }

    /// Answer that the cluster has no live state to compare with.
    pub fn fail(self, state: &ClusterState) {
        let error = format!(
            "cannot preview {} on {}: the cluster is {state}; a preview compares with the live \
             state, so try again once it is ready, or pick another cluster",
            self.revision, self.cluster
        );
        let report = PreviewReport {
            short: self.short.clone(),
            commit: self.commit.clone(),
            error: Some(error),
            ..blank(self.id, &self.revision, &self.cluster)
        };
        let _ = self.reply.send(EngineEvent::Preview(Arc::new(report)));
    }
}

/// An answer carrying only an error.
pub fn failure(id: u64, revision: &str, cluster: &str, error: String) -> EngineEvent {
    EngineEvent::Preview(Arc::new(PreviewReport {
        error: Some(error),
        ..blank(id, revision, cluster)
    }))
}

fn blank(id: u64, revision: &str, cluster: &str) -> PreviewReport {
    PreviewReport {
        id,
        revision: revision.to_string(),
        short: String::new(),
        commit: String::new(),
        cluster: cluster.to_string(),
        apps: Vec::new(),
        absent: Vec::new(),
        error: None,
        plans: Vec::new(),
        gate: GateVerdict::Allowed,
    }
}

/// What the gate says of syncing to `target`, before anyone confirms.
pub fn gate_verdict(gate: &Gate, target: &Target) -> GateVerdict {
    match gate.check(Action::Sync, target) {
        Err(refusal) => GateVerdict::Refused(refusal.to_string()),
        Ok(()) if gate.needs_typed_name(target) => GateVerdict::NeedsTypedName,
        Ok(()) => GateVerdict::Allowed,
    }
}

/// A preview's own request, or a sync plan's (with the gate to ask and the branch followed).
pub struct Ask {
    pub id: u64,
    pub revision: String,
    pub cluster: String,
    pub plan: Option<(SyncScope, Gate)>,
}

/// A running cluster task, as the supervisor knows it.
pub struct ClusterHandle {
    /// The name the apps use for it (an alias or the context).
    pub name: String,
    pub tx: mpsc::Sender<ClusterInput>,
    pub task: tokio::task::JoinHandle<()>,
}

/// The (context, handle) a preview of `cluster` (a name or a context) goes to, or an error
/// listing the clusters the engine watches.
pub fn route<'a>(
    clusters: impl IntoIterator<Item = (&'a String, &'a ClusterHandle)> + Clone,
    cluster: &str,
) -> Result<(String, mpsc::Sender<ClusterInput>), String> {
    if let Some((context, handle)) = clusters
        .clone()
        .into_iter()
        .find(|(context, handle)| handle.name == cluster || context.as_str() == cluster)
    {
        return Ok((context.clone(), handle.tx.clone()));
    }
    let known: Vec<&str> = clusters.into_iter().map(|(_, h)| h.name.as_str()).collect();
    Err(if known.is_empty() {
        format!(
            "unknown cluster `{cluster}`: the engine watches no cluster yet (does sextant.yaml load at \
             the followed revision?)"
        )
    } else {
        format!(
            "unknown cluster `{cluster}`: the engine watches {}; pick one of those",
            known.join(", ")
        )
    })
}

/// Render `revision` for `context` on a blocking thread and hand it to the cluster task,
/// answering on `events` if any step fails. Runs on a task of its own.
pub fn start(
    ask: Ask,
    (context, tx): (String, mpsc::Sender<ClusterInput>),
    mut request: DesiredRequest,
    events: mpsc::Sender<EngineEvent>,
) {
    let Ask {
        id,
        revision,
        cluster,
        plan,
    } = ask;
    tokio::spawn(async move {
        // The branch a pinned sync is told from: the followed one, else HEAD.
        let followed = if super::follow::is_symbolic(&request.revision) {
            request.revision.clone()
        } else {
            "HEAD".to_string()
        };
        request.revision = revision.clone();
        request.only_cluster = None;
        request.contexts = vec![context.clone()];
        let fail = |error: String| failure(id, &revision, &cluster, error);
        let with_head = plan.is_some();
        let rendered = tokio::task::spawn_blocking(move || {
            let head = with_head.then(|| {
                let mut at_head = request.clone();
                at_head.revision = followed;
                desired::open(&at_head).ok().map(|s| s.commit.clone())
            });
            (desired::render_at(&request), head.flatten())
        })
        .await;
        let (commit, short, apps, head) = match rendered {
            Ok((
                Rendering::At {
                    commit,
                    short,
                    apps: Ok(apps),
                    ..
                },
                head,
            )) => (commit, short, apps, head),
            Ok((
                Rendering::At {
                    short, apps: Err(e), ..
                },
                _,
            )) => {
                let what = "pick a commit whose sextant.yaml is valid";
                let error = format!("cannot preview {revision} ({short}) on {cluster}: {e}; {what}");
                let _ = events.send(fail(error)).await;
                return;
            }
            Ok((Rendering::Unresolved(e), _)) => {
                let what = "give a commit id, branch or tag the repository has (see the Commits pane)";
                let error = format!("cannot preview {revision} on {cluster}: {e}; {what}");
                let _ = events.send(fail(error)).await;
                return;
            }
            Err(_) => {
                let _ = events
                    .send(fail(format!(
                        "cannot preview {revision} on {cluster}: rendering stopped unexpectedly (see the log)"
                    )))
                    .await;
                return;
            }
        };
        let (reply, answer) = oneshot::channel();
        let (scope, gate) = match plan {
            Some((scope, gate)) => (Some(scope), Some(gate)),
            None => (None, None),
        };
        let job = PreviewJob {
            id,
            revision: revision.clone(),
            short,
            commit,
            cluster: cluster.clone(),
            apps,
            plan: scope.map(|s| (s, head)),
            reply,
        };
        let stopped = || {
            fail(format!(
                "cannot preview {revision} on {cluster}: its cluster task has stopped"
            ))
        };
        let mut event = if tx.send(ClusterInput::Preview(job)).await.is_err() {
            stopped()
        } else {
            match tokio::time::timeout(ANSWER_WITHIN, answer).await {
                Ok(Ok(event)) => event,
                Ok(Err(_)) => stopped(),
                Err(_) => fail(format!(
                    "cannot preview {revision} on {cluster}: no answer within {}s (the API server may be \
                     slow or the cluster still listing); try again",
                    ANSWER_WITHIN.as_secs()
                )),
            }
        };
        if let (Some(gate), EngineEvent::Preview(report)) = (gate, &mut event) {
            let target = Target::Cluster {
                name: cluster.clone(),
                context,
            };
            Arc::make_mut(report).gate = gate_verdict(&gate, &target);
        }
        let _ = events.send(event).await;
    });
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeMap;

    fn handle(name: &str) -> ClusterHandle {
        let (tx, _rx) = mpsc::channel(1);
        ClusterHandle {
            name: name.into(),
            tx,
            task: tokio::spawn(async {}),
        }
    }

    #[tokio::test]
    async fn routes_by_name_or_context_and_lists_the_known_ones() {
        let mut clusters = BTreeMap::new();
        clusters.insert("gke-prod".to_string(), handle("prod"));
        clusters.insert("kind-stg".to_string(), handle("kind-stg"));
        assert_eq!(route(&clusters, "prod").map(|r| r.0), Ok("gke-prod".into()));
        assert_eq!(route(&clusters, "gke-prod").map(|r| r.0), Ok("gke-prod".into()));
        let Err(e) = route(&clusters, "qa") else {
            panic!("routed an unknown cluster")
        };
        assert!(e.contains("`qa`") && e.contains("prod, kind-stg"), "{e}");
        let none: BTreeMap<String, ClusterHandle> = BTreeMap::new();
        assert!(route(&none, "qa").is_err_and(|e| e.contains("no cluster")));
    }
}
