//! The supervisor's side of Argo CD and Flux: one discovery task per cluster, the latest
//! scan of each, which discovered apps Sextant evaluates (their repo is open), and handing
//! the operators' views to the cluster tasks that evaluate those apps. Apps Sextant cannot
//! evaluate get a report with the operator's view alone.

use super::Planned;
use super::desired::DesiredRequest;
use super::discovered::{self, operator_only_report, selected, settle_evaluation, shown_cluster};
use super::preview::ClusterHandle;
use super::report::EngineEvent;
use crate::gitops::operators::OperatorApp;
use crate::gitops::operators::destination::ClusterMap;
use crate::gitops::operators::discovery::{self, DiscoveryJob, OperatorScan};
use crate::gitops::operators::repos::RepoIndex;
use kube::config::Kubeconfig;
use std::collections::BTreeMap;
use std::sync::Arc;
use tokio::sync::mpsc;
use tokio::task::JoinHandle;

pub(super) struct Operators {
    pub(super) index: RepoIndex,
    map: Arc<ClusterMap>,
    tasks: BTreeMap<String, JoinHandle<()>>,
    scans: BTreeMap<String, OperatorScan>,
    tx: mpsc::Sender<OperatorScan>,
    pub(super) rx: mpsc::Receiver<OperatorScan>,
    /// What the last render rendered of the discovered apps.
    signature: Vec<String>,
    /// What the last Planned event said.
    pub(super) planned: Vec<Planned>,
}

impl Drop for Operators {
    fn drop(&mut self) {
        for t in self.tasks.values() {
            t.abort();
        }
    }
}

impl Operators {
    pub(super) async fn new(kubeconfig: Option<&Kubeconfig>, req: &DesiredRequest) -> Operators {
        let (tx, rx) = mpsc::channel(64);
        let map = kubeconfig
            .map(|k| ClusterMap::new(k, &req.user))
            .unwrap_or_default();
        let (repo, mapped) = (req.repo.clone(), req.user.repos.clone());
        let index = tokio::task::spawn_blocking(move || RepoIndex::build(&repo, &mapped))
            .await
            .unwrap_or_default();
        Operators {
            index,
            map: Arc::new(map),
            tasks: BTreeMap::new(),
            scans: BTreeMap::new(),
            tx,
            rx,
            signature: Vec::new(),
            planned: Vec::new(),
        }
    }

    /// Start discovery on every context not yet watched; returns every context watched.
    pub(super) fn watch(&mut self, contexts: &[String], kubeconfig: &Arc<Kubeconfig>) -> Vec<String> {
        for context in contexts {
            if self.tasks.contains_key(context) {
                continue;
            }
            let job = DiscoveryJob {
                context: context.clone(),
                cluster: self.map.cluster_name(context),
                kubeconfig: kubeconfig.clone(),
                map: self.map.clone(),
            };
            let task = tokio::spawn(discovery::run(job, self.tx.clone()));
            self.tasks.insert(context.clone(), task);
        }
        self.tasks.keys().cloned().collect()
    }

    /// Take a scan (its apps' evaluation settled); true when the evaluated apps changed
    /// and must be rendered again.
    pub(super) fn take(&mut self, mut scan: OperatorScan) -> Arc<OperatorScan> {
        scan.apps = scan
            .apps
            .into_iter()
            .map(|a| {
                let mut a = (*a).clone();
                settle_evaluation(&mut a, &self.index);
                Arc::new(a)
            })
            .collect();
        self.scans.insert(scan.context.clone(), scan.clone());
        Arc::new(scan)
    }

    /// Settle every app's evaluation again (a repo was opened).
    pub(super) fn resettle(&mut self) {
        for scan in self.scans.values_mut() {
            for a in scan.apps.iter_mut() {
                let mut next = (**a).clone();
                settle_evaluation(&mut next, &self.index);
                *a = Arc::new(next);
            }
        }
    }

    /// Every discovered app the request selects.
    pub(super) fn selected(&self, req: &DesiredRequest) -> Vec<Arc<OperatorApp>> {
        self.scans
            .values()
            .flat_map(|s| s.apps.iter())
            .filter(|a| selected(a, req))
            .cloned()
            .collect()
    }

    /// Whether rendering the selected apps would render something else than last time.
    pub(super) fn needs_render(&self, req: &DesiredRequest) -> bool {
        discovered::render_signature(&self.selected(req)) != self.signature
    }

    pub(super) fn rendered(&mut self, apps: &[Arc<OperatorApp>]) {
        self.signature = discovered::render_signature(apps);
    }

    /// The discovered app `name` shown on `cluster` (or anywhere, when `cluster` is empty
    /// and the name is unique).
    pub(super) fn find(&self, name: &str, cluster: &str) -> Result<Arc<OperatorApp>, String> {
        let found: Vec<&Arc<OperatorApp>> = self
            .scans
            .values()
            .flat_map(|s| s.apps.iter())
            .filter(|a| {
                a.name == name && (cluster.is_empty() || shown_cluster(a) == cluster || a.context == cluster)
            })
            .collect();
        match found.as_slice() {
            [one] => Ok((*one).clone()),
            [] => Err(format!(
                "no app `{name}` managed by Argo CD or Flux{}",
                if cluster.is_empty() {
                    String::new()
                } else {
                    format!(" on cluster {cluster}")
                }
            )),
            _ => Err(format!("several apps named `{name}`: name the cluster")),
        }
    }

    /// The (app, cluster) pairs the discovered apps add to a render's plan.
    pub(super) fn planned(&self, req: &DesiredRequest) -> Vec<Planned> {
        self.selected(req)
            .iter()
            .map(|a| Planned {
                app: a.name.clone(),
                cluster: shown_cluster(a).to_string(),
            })
            .collect()
    }

    /// Hand the views to the cluster tasks that evaluate their apps, and send the reports
    /// of the apps Sextant does not evaluate.
    pub(super) async fn publish(
        &self,
        req: &DesiredRequest,
        clusters: &BTreeMap<String, ClusterHandle>,
        events: &mpsc::Sender<EngineEvent>,
    ) {
        let apps = self.selected(req);
        let mut by_context: BTreeMap<&str, Vec<Arc<OperatorApp>>> = BTreeMap::new();
        for context in clusters.keys() {
            by_context.entry(context.as_str()).or_default();
        }
        for a in apps.iter().filter(|a| a.is_evaluated()) {
            by_context.entry(a.context.as_str()).or_default().push(a.clone());
        }
        for (context, views) in by_context {
            if let Some(handle) = clusters.get(context) {
                let _ = handle
                    .tx
                    .send(super::cluster::ClusterInput::Operators(views))
                    .await;
            }
        }
        for a in apps.iter().filter(|a| !a.is_evaluated()) {
            let report = operator_only_report(a);
            let _ = events.send(EngineEvent::AppReport(Arc::new(report))).await;
        }
    }
}
