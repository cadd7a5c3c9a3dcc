//! Discovery on one cluster: find which operator kinds it serves (one discovery request for
//! the operators' groups; a cluster with none is normal and costs nothing more), watch
//! those, and turn the objects into [`OperatorApp`]s each time they change. A kind served
//! at another version than Sextant reads, or that the user may not list, is a message; the
//! other kinds and apps carry on.

use super::destination::ClusterMap;
use super::flux::SourceLookup;
use super::kinds::{self, OperatorKind, Served};
use super::{AppSource, OperatorApp, argocd, flux};
use crate::kube::cluster::{ClusterState, connect};
use crate::kube::watch::{WatchMsg, spawn_watcher};
use kube::config::Kubeconfig;
use serde::Serialize;
use serde_json::Value;
use std::collections::{BTreeMap, HashSet};
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::mpsc;

/// What one cluster's operators manage, as of now.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct OperatorScan {
    /// The context discovered on, and the name Sextant shows for it.
    pub context: String,
    pub cluster: String,
    pub apps: Vec<Arc<OperatorApp>>,
    /// Messages about the cluster's operators (a version Sextant does not read, a kind the
    /// user may not list, the cluster down).
    pub problems: Vec<String>,
}

/// The operator objects seen on one cluster, by kind, then (namespace, name).
#[derive(Debug, Default)]
pub struct ObjectStore {
    objects: BTreeMap<&'static str, BTreeMap<(String, String), Value>>,
}

impl ObjectStore {
    pub fn insert(&mut self, kind: &'static str, obj: Value) {
        let s = |p: &str| {
            obj.pointer(p)
                .and_then(Value::as_str)
                .unwrap_or_default()
                .to_string()
        };
        let key = (s("/metadata/namespace"), s("/metadata/name"));
        self.objects.entry(kind).or_default().insert(key, obj);
    }

    pub fn remove(&mut self, kind: &'static str, namespace: &str, name: &str) {
        if let Some(m) = self.objects.get_mut(kind) {
            m.remove(&(namespace.to_string(), name.to_string()));
        }
    }

    /// Forget every object of `kind` (a new list is coming).
    pub fn clear(&mut self, kind: &'static str) {
        self.objects.remove(kind);
    }

    fn of(&self, kind: &str) -> impl Iterator<Item = &Value> {
        self.objects.get(kind).into_iter().flat_map(|m| m.values())
    }
}

impl SourceLookup for ObjectStore {
    fn source(&self, kind: &str, namespace: &str, name: &str) -> Option<&Value> {
        self.objects
            .get(kind)?
            .get(&(namespace.to_string(), name.to_string()))
    }
}

/// Every app the objects define, destinations mapped, names unique on this cluster.
pub fn build_apps(
    store: &ObjectStore,
    home_context: &str,
    home_cluster: &str,
    map: &ClusterMap,
) -> Vec<OperatorApp> {
    let mut apps = Vec::new();
    for obj in store.of("Application") {
        let mut app = argocd::application(obj, home_context, home_cluster);
        let dest = argocd::destination(obj);
        match map.resolve(&dest, home_context) {
            Ok((cluster, context)) => {
                app.cluster = cluster;
                app.context = context;
            }
            Err(why) => app.problems.push(why),
        }
        match store.source("AppProject", &app.object.namespace, &app.project) {
            Some(project) => app.problems.extend(argocd::project_refusal(project, &dest)),
            // No AppProject kind served, or the project is missing: say it only when the
            // cluster has projects at all.
            None if store.of("AppProject").next().is_some() => app.problems.push(format!(
                "its project {} does not exist in namespace {}: Argo CD will not sync it",
                app.project, app.object.namespace
            )),
            None => {}
        }
        apps.push(app);
    }
    for obj in store.of("Kustomization") {
        apps.push(flux::kustomization(obj, store, home_context, home_cluster));
    }
    for obj in store.of("HelmRelease") {
        apps.push(flux::helm_release(obj, store, home_context, home_cluster));
    }
    unique_names(&mut apps);
    apps
}

/// Apps sharing a name on one cluster become `<namespace>.<name>`.
fn unique_names(apps: &mut [OperatorApp]) {
    let mut count: BTreeMap<String, usize> = BTreeMap::new();
    for a in apps.iter() {
        *count.entry(a.name.clone()).or_default() += 1;
    }
    for a in apps.iter_mut() {
        if count.get(&a.name).copied().unwrap_or(0) > 1 {
            let kind = if a.source == AppSource::Flux && a.object.kind == "HelmRelease" {
                "hr."
            } else {
                ""
            };
            a.name = format!("{kind}{}.{}", a.object.namespace, a.object.name);
        }
    }
}

/// How often a cluster without operator CRDs is asked again.
const REDISCOVER_EVERY: Duration = Duration::from_secs(60);

/// What a discovery task needs.
pub struct DiscoveryJob {
    pub context: String,
    pub cluster: String,
    pub kubeconfig: Arc<Kubeconfig>,
    pub map: Arc<ClusterMap>,
}

/// The versions each operator group is served at, and the kinds of each version.
async fn served_groups(
    client: &kube::Client,
) -> Result<BTreeMap<String, Vec<(String, Vec<String>)>>, String> {
    let groups = [
        kinds::ARGO_GROUP,
        kinds::KUSTOMIZE_GROUP,
        kinds::HELM_GROUP,
        kinds::SOURCE_GROUP,
    ];
    let discovery = kube::Discovery::new(client.clone()).filter(&groups).run();
    let discovery = tokio::time::timeout(crate::kube::cluster::CONNECT_TIMEOUT, discovery)
        .await
        .map_err(|_| "discovery timed out".to_string())?
        .map_err(|e| crate::kube::cluster::describe(&e))?;
    let mut out = BTreeMap::new();
    for g in discovery.groups() {
        let versions = g
            .versions()
            .map(|v| {
                let kinds = g
                    .versioned_resources(v)
                    .into_iter()
                    .map(|(r, _)| r.kind)
                    .collect();
                (v.to_string(), kinds)
            })
            .collect();
        out.insert(g.name().to_string(), versions);
    }
    Ok(out)
}

/// Watch the operators' objects on one cluster until `tx` closes, sending a scan after the
/// first full list and after every change.
pub async fn run(job: DiscoveryJob, tx: mpsc::Sender<OperatorScan>) {
    let scan = |apps: Vec<Arc<OperatorApp>>, problems: Vec<String>| OperatorScan {
        context: job.context.clone(),
        cluster: job.cluster.clone(),
        apps,
        problems,
    };
    let mut backoff = Duration::from_millis(500);
    let mut said: Option<Vec<String>> = None;
    let (client, problems, watched) = loop {
        let attempt = match connect(&job.kubeconfig, &job.context).await {
            Ok(client) => served_groups(&client).await.map(|s| (client, s)),
            Err(state) => Err(state.to_string()),
        };
        let (client, served) = match attempt {
            Ok(ok) => ok,
            Err(why) => {
                let problem = format!("cannot discover Argo CD or Flux apps on {}: {why}", job.cluster);
                if tx.send(scan(Vec::new(), vec![problem])).await.is_err() {
                    return;
                }
                tokio::time::sleep(backoff).await;
                backoff = (backoff * 2).min(Duration::from_secs(30));
                continue;
            }
        };
        let mut problems = Vec::new();
        let mut watched: Vec<OperatorKind> = Vec::new();
        for kind in kinds::ALL {
            let versions = served.get(kind.group).cloned().unwrap_or_default();
            match kinds::served(&kind, &versions) {
                Served::Yes => watched.push(kind),
                Served::NoGroup => {}
                Served::OtherVersions(others) => {
                    problems.push(kinds::version_message(&kind, &others, &job.cluster));
                }
            }
        }
        if !watched.iter().any(|k| k.defines_apps) {
            // No operator here (yet): say so once, and look again now and then, so one
            // installed later is found.
            if said.as_ref() != Some(&problems) {
                said = Some(problems.clone());
                if tx.send(scan(Vec::new(), problems)).await.is_err() {
                    return;
                }
            }
            tokio::select! {
                _ = tokio::time::sleep(REDISCOVER_EVERY) => continue,
                _ = tx.closed() => return,
            }
        }
        break (client, problems, watched);
    };
    let (watch_tx, mut watch_rx) = mpsc::channel(1024);
    let tasks: Vec<_> = watched
        .iter()
        .enumerate()
        .map(|(i, k)| spawn_watcher(client.clone(), k.resource(), i, watch_tx.clone()))
        .collect();
    drop(watch_tx);
    let mut store = ObjectStore::default();
    let mut listed: HashSet<usize> = HashSet::new();
    let mut failed: BTreeMap<usize, String> = BTreeMap::new();
    let mut last: Option<OperatorScan> = None;
    while let Some(msg) = watch_rx.recv().await {
        let mut next = Some(msg);
        while let Some(msg) = next.take().or_else(|| watch_rx.try_recv().ok()) {
            on_msg(msg, &watched, &mut store, &mut listed, &mut failed);
        }
        if listed.len() + failed.len() < watched.len() {
            continue;
        }
        let apps = build_apps(&store, &job.context, &job.cluster, &job.map)
            .into_iter()
            .map(Arc::new)
            .collect();
        let mut all = problems.clone();
        all.extend(failed.values().cloned());
        let now = scan(apps, all);
        if last.as_ref() != Some(&now) {
            last = Some(now.clone());
            if tx.send(now).await.is_err() {
                break;
            }
        }
    }
    for t in tasks {
        t.abort();
    }
}

fn on_msg(
    msg: WatchMsg,
    watched: &[OperatorKind],
    store: &mut ObjectStore,
    listed: &mut HashSet<usize>,
    failed: &mut BTreeMap<usize, String>,
) {
    match msg {
        WatchMsg::Init { kind } => store.clear(watched[kind].kind),
        WatchMsg::Applied { kind, object } => {
            failed.remove(&kind);
            if let Ok(v) = serde_json::from_str::<Value>(&object.json) {
                store.insert(watched[kind].kind, v);
            }
        }
        WatchMsg::Deleted { kind, key } => store.remove(watched[kind].kind, &key.namespace, &key.name),
        WatchMsg::InitDone { kind } => {
            listed.insert(kind);
            failed.remove(&kind);
        }
        WatchMsg::Failed { kind, state } => {
            let k = &watched[kind];
            let why = match state {
                ClusterState::Forbidden(reason) => format!(
                    "you may not list {} ({}) here: {reason}; its apps are not shown",
                    k.plural, k.group
                ),
                other => format!("watching {} failed: {other}", k.plural),
            };
            failed.insert(kind, why);
        }
    }
}
