//! "What would this revision do?": the supervisor's side of [`super::EngineCommand::Preview`].
//! Find the cluster's task, render the revision for that cluster on a blocking thread, and
//! hand the apps to the task, which evaluates them against its live state
//! (`cluster_preview.rs`). The live engine keeps following its own revision. Every request
//! is answered exactly once, with an `error` saying what to do when nothing can be shown.

use super::cluster::ClusterInput;
use super::desired::{self, DesiredApp, DesiredRequest, Rendering};
use super::report::{AppReport, EngineEvent, PreviewReport};
use crate::kube::cluster::ClusterState;
use std::sync::Arc;
use tokio::sync::mpsc;

/// A rendered revision on its way to one cluster task.
pub struct PreviewJob {
    pub id: u64,
    /// The revision as asked for, and the commit it resolved to.
    pub revision: String,
    pub short: String,
    pub commit: String,
    pub cluster: String,
    /// The apps the revision targets at this cluster.
    pub apps: Vec<DesiredApp>,
}

impl PreviewJob {
    /// The answer, from the evaluated apps.
    pub fn answer(&self, apps: Vec<Arc<AppReport>>, absent: Vec<String>) -> EngineEvent {
        EngineEvent::Preview(Arc::new(PreviewReport {
            short: self.short.clone(),
            commit: self.commit.clone(),
            apps,
            absent,
            ..blank(self.id, &self.revision, &self.cluster)
        }))
    }

    /// The answer when the cluster has no live state to compare with.
    pub fn failed_on(&self, state: &ClusterState) -> EngineEvent {
        let error = format!(
            "cannot preview {} on {}: the cluster is {state}; a preview compares with the live \
             state, so try again once it is ready, or pick another cluster",
            self.revision, self.cluster
        );
        EngineEvent::Preview(Arc::new(PreviewReport {
            short: self.short.clone(),
            commit: self.commit.clone(),
            error: Some(error),
            ..blank(self.id, &self.revision, &self.cluster)
        }))
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
    }
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
    id: u64,
    revision: String,
    cluster: String,
    (context, tx): (String, mpsc::Sender<ClusterInput>),
    mut request: DesiredRequest,
    events: mpsc::Sender<EngineEvent>,
) {
    tokio::spawn(async move {
        request.revision = revision.clone();
        request.only_cluster = None;
        request.contexts = vec![context];
        let fail = |error: String| failure(id, &revision, &cluster, error);
        let rendered = tokio::task::spawn_blocking(move || desired::render_at(&request)).await;
        let (commit, short, apps) = match rendered {
            Ok(Rendering {
                commit: Some((commit, short)),
                apps: Ok(apps),
            }) => (commit, short, apps),
            Ok(Rendering { apps: Err(e), .. }) => {
                let _ = events
                    .send(fail(format!("cannot preview {revision} on {cluster}: {e}")))
                    .await;
                return;
            }
            Ok(Rendering { commit: None, .. }) | Err(_) => {
                let _ = events
                    .send(fail(format!(
                        "cannot preview {revision} on {cluster}: rendering stopped unexpectedly (see the log)"
                    )))
                    .await;
                return;
            }
        };
        let job = PreviewJob {
            id,
            revision: revision.clone(),
            short,
            commit,
            cluster: cluster.clone(),
            apps,
        };
        if tx.send(ClusterInput::Preview(job)).await.is_err() {
            let error = format!("cannot preview {revision} on {cluster}: its cluster task has stopped");
            let _ = events.send(fail(error)).await;
        }
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
