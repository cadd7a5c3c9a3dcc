//! One task per cluster (kubeconfig context): connect with retries, resolve the kinds in use,
//! run one watcher per kind, and turn watch events into updated app reports, recomputing
//! only the objects an event touched. Clusters run independently of one another.

use super::compare;
use super::deployed;
use super::desired::DesiredApp;
use super::evaluate::{Evaluator, Pending};
use super::kinds::{KindSlot, KindTable};
use super::live::LiveStore;
use super::preview::PreviewJob;
use super::report::{EngineEvent, ObjectReport, SyncStatus};
use crate::gitops::render;
use crate::gitops::tracking;
use crate::kube::cluster::{ClusterState, connect};
use crate::kube::discovery::{KindInfo, KindResolver, kinds_with_label};
use crate::kube::get::get_objects;
use crate::kube::key::ObjectKey;
use crate::kube::watch::{WatchMsg, spawn_watcher};
use kube::config::Kubeconfig;
use std::collections::{BTreeMap, HashMap, HashSet};
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::mpsc;

/// How many objects are evaluated at once.
pub(super) const EVALUATION_CHUNK: usize = 256;

mod reports;
pub use reports::down_report;
use reports::sync_unreachable;

/// What a cluster task needs.
pub struct ClusterJob {
    pub context: String,
    pub kubeconfig: Arc<Kubeconfig>,
    pub events: mpsc::Sender<EngineEvent>,
    /// Confirm suspected drift with dry-runs (off: local comparison only).
    pub dry_run: bool,
}

/// What the supervisor sends a cluster task.
pub enum ClusterInput {
    /// The full set of apps for this cluster (re-rendered after a new commit).
    Apps(Vec<DesiredApp>),
    /// Evaluate another revision's apps against the live state, without adopting them.
    Preview(PreviewJob),
    /// Run a permitted sync with this cluster's client.
    Sync(super::sync_run::SyncJob),
    /// The operators' views of the discovered apps evaluated here (all of them, each time).
    Operators(Vec<Arc<crate::gitops::operators::OperatorApp>>),
}

/// The reports of one app on this cluster, kept to update one object at a time.
pub(super) struct AppState {
    pub(super) desired: DesiredApp,
    /// Desired objects by key (index into `desired.rendered.objects`).
    pub(super) by_key: HashMap<ObjectKey, usize>,
    pub(super) objects: BTreeMap<ObjectKey, Arc<ObjectReport>>,
    /// The `sextant.dev/revision` each live desired object carries, from its evaluation.
    pub(super) revisions: deployed::RevisionVotes,
    /// The `sextant.dev/pinned` each live desired object carries (an emergency sync's pin).
    pub(super) pins: deployed::RevisionVotes,
}

impl AppState {
    /// Record the revision and pin stamps a live object carries (only for desired objects).
    pub(super) fn note_stamps(&mut self, key: &ObjectKey, live: Option<&serde_json::Value>) {
        let desired = self.by_key.contains_key(key);
        let revision = live.and_then(tracking::revision_of).filter(|_| desired);
        self.revisions.set(key, revision);
        let pin = live.and_then(tracking::pinned_of).filter(|_| desired);
        self.pins.set(key, pin);
    }
}

/// Run the cluster until the engine drops `desired_rx`.
pub async fn run_cluster(job: ClusterJob, mut desired_rx: mpsc::Receiver<ClusterInput>) {
    // The supervisor always sends the apps first; a preview before them has nothing to use.
    let mut early_views = Vec::new();
    let mut apps = loop {
        match desired_rx.recv().await {
            Some(ClusterInput::Apps(apps)) => break apps,
            Some(ClusterInput::Preview(p)) => {
                p.fail(&ClusterState::Connecting);
            }
            Some(ClusterInput::Sync(job)) => sync_unreachable(job, &ClusterState::Connecting).await,
            Some(ClusterInput::Operators(views)) => early_views = views,
            None => return,
        }
    };
    let cluster_name = apps
        .first()
        .map(|a| a.target.cluster.clone())
        .unwrap_or_else(|| job.context.clone());
    let state_event = |state: ClusterState| EngineEvent::ClusterState {
        cluster: cluster_name.clone(),
        context: job.context.clone(),
        state,
    };
    let _ = job.events.send(state_event(ClusterState::Connecting)).await;
    let mut backoff = Duration::from_millis(500);
    let client = loop {
        match connect(&job.kubeconfig, &job.context).await {
            Ok(client) => break client,
            Err(state) => {
                let _ = job.events.send(state_event(state.clone())).await;
                for app in &apps {
                    let _ = job
                        .events
                        .send(EngineEvent::AppReport(Arc::new(down_report(app, &state))))
                        .await;
                }
                let sleep = tokio::time::sleep(backoff);
                tokio::pin!(sleep);
                loop {
                    tokio::select! {
                        _ = &mut sleep => break,
                        next = desired_rx.recv() => match next {
                            Some(ClusterInput::Apps(next)) => apps = next,
                            Some(ClusterInput::Preview(p)) => p.fail(&state),
                            Some(ClusterInput::Sync(job)) => sync_unreachable(job, &state).await,
                            Some(ClusterInput::Operators(views)) => early_views = views,
                            None => return,
                        },
                    }
                }
                backoff = (backoff * 2).min(Duration::from_secs(30));
            }
        }
    };
    let _ = job.events.send(state_event(ClusterState::Ready)).await;
    let evaluator = Evaluator::new(job.dry_run.then(|| client.clone()));
    let (watch_tx, watch_rx) = mpsc::channel(4096);
    let mut worker = Worker {
        resolver: KindResolver::new(client.clone(), &job.context),
        client,
        job,
        cluster_name,
        state: ClusterState::Ready,
        table: KindTable::default(),
        apps: Vec::new(),
        live: LiveStore::default(),
        evaluator,
        preview_evaluator: None,
        waiting_previews: Vec::new(),
        synced_at: HashMap::new(),
        pins_seen: HashMap::new(),
        pins_fresh: HashSet::new(),
        watch_tx,
        started: false,
        operators: early_views.into_iter().map(|v| (v.name.clone(), v)).collect(),
    };
    worker.set_apps(apps).await;
    worker.run(watch_rx, desired_rx).await;
}

pub(super) struct Worker {
    pub(super) job: ClusterJob,
    pub(super) cluster_name: String,
    pub(super) client: kube::Client,
    pub(super) state: ClusterState,
    resolver: KindResolver,
    pub(super) table: KindTable,
    pub(super) apps: Vec<AppState>,
    pub(super) live: LiveStore,
    pub(super) evaluator: Evaluator,
    /// Previews' own dry-run cache, so that previews never evict the live one.
    pub(super) preview_evaluator: Option<Evaluator>,
    /// Previews asked for before the first full evaluation; answered right after it.
    waiting_previews: Vec<PreviewJob>,
    /// The last commit each app was seen Synced at, across re-renders.
    pub(super) synced_at: HashMap<String, String>,
    /// The pin each app's live objects carried when last evaluated, across re-renders: a new
    /// pin (an emergency sync) makes an earlier Synced-at-head sighting stale.
    pub(super) pins_seen: HashMap<String, Option<String>>,
    /// Apps whose pin is new and has not yet been seen OutOfSync at the head.
    pub(super) pins_fresh: HashSet<String>,
    watch_tx: mpsc::Sender<WatchMsg>,
    /// Whether the first full evaluation has happened (all kinds listed or failed).
    started: bool,
    /// The operators' views of the discovered apps evaluated here, by app name.
    operators: HashMap<String, Arc<crate::gitops::operators::OperatorApp>>,
}

impl Worker {
    async fn run(
        &mut self,
        mut watch_rx: mpsc::Receiver<WatchMsg>,
        mut desired_rx: mpsc::Receiver<ClusterInput>,
    ) {
        self.maybe_start().await;
        loop {
            tokio::select! {
                msg = watch_rx.recv() => {
                    let Some(msg) = msg else { return };
                    // One message, then everything already queued, then one recompute.
                    let mut touched = HashSet::new();
                    self.on_watch(msg, &mut touched).await;
                    while let Ok(msg) = watch_rx.try_recv() {
                        self.on_watch(msg, &mut touched).await;
                    }
                    if self.started {
                        self.recompute(&touched).await;
                    } else {
                        self.maybe_start().await;
                    }
                }
                next = desired_rx.recv() => match next {
                    Some(ClusterInput::Apps(apps)) => {
                        self.set_apps(apps).await;
                        self.started = false;
                        self.maybe_start().await;
                    }
                    Some(ClusterInput::Preview(job)) if self.started || !self.state.is_ready() => {
                        self.preview(job).await;
                    }
                    Some(ClusterInput::Preview(job)) => self.waiting_previews.push(job),
                    Some(ClusterInput::Sync(job)) => {
                        tokio::spawn(super::sync_run::run(job, self.client.clone()));
                    }
                    Some(ClusterInput::Operators(views)) => self.set_operator_views(views).await,
                    None => break,
                }
            }
        }
        for slot in &self.table.kinds {
            slot.task.abort();
        }
    }

    /// Take a new set of apps: resolve kinds, default namespaces, start missing watchers.
    async fn set_apps(&mut self, apps: Vec<DesiredApp>) {
        self.resolver.forget_failures();
        self.table.kind_info.retain(|_, v| v.is_ok());
        let mut states = Vec::new();
        for app in apps {
            // The operator's view as rendered, until a newer one arrives.
            if let Some(view) = &app.operator {
                self.operators.insert(app.target.app.name.clone(), view.clone());
            }
            let mut state = self.prepare(app).await;
            // The reports it replaces, so that the next evaluation knows which changes it
            // has already seen (and since when).
            let name = &state.desired.target.app.name;
            if let Some(old) = self.apps.iter_mut().find(|a| &a.desired.target.app.name == name) {
                state.objects = std::mem::take(&mut old.objects);
            }
            states.push(state);
        }
        let dropped = self.dropped_before(&states);
        self.apps = states;
        for (key, got) in get_objects(&self.client, dropped).await {
            match got {
                Ok(Some(obj)) => self.live.insert_read(key, &obj),
                Ok(None) => {}
                Err(e) => tracing::warn!("{e}; it may show as Missing until its next change"),
            }
        }
        // Kinds holding tracked objects too, so that Extra objects of kinds no app renders
        // any more are still seen.
        for info in kinds_with_label(&self.client, crate::gitops::tracking::APP_LABEL).await {
            let id = (info.resource.api_version.clone(), info.resource.kind.clone());
            self.table.kind_info.entry(id).or_insert(Ok(info));
        }
        let resources: Vec<KindInfo> = self
            .table
            .kind_info
            .values()
            .filter_map(|i| i.as_ref().ok())
            .cloned()
            .collect();
        for info in resources {
            let gk = (info.resource.group.clone(), info.resource.kind.clone());
            if self.table.kind_ids.contains_key(&gk) {
                continue;
            }
            let id = self.table.kinds.len();
            let task = spawn_watcher(
                self.client.clone(),
                info.resource.clone(),
                id,
                self.watch_tx.clone(),
            );
            self.table.kinds.push(KindSlot {
                group_kind: gk.clone(),
                synced: false,
                failed: None,
                task,
            });
            self.table.kind_ids.insert(gk, id);
        }
    }

    /// Resolve the kinds an app renders on this cluster and give its namespaced objects
    /// their default namespace (kinds resolve once; no watcher is started here).
    pub(super) async fn prepare(&mut self, mut app: DesiredApp) -> AppState {
        for obj in &app.rendered.objects {
            let api_version = obj
                .object
                .get("apiVersion")
                .and_then(|v| v.as_str())
                .unwrap_or_default();
            let id = (api_version.to_string(), obj.key.kind.clone());
            if !self.table.kind_info.contains_key(&id) {
                let info = self.resolver.resolve(&id.0, &id.1).await;
                self.table.kind_info.insert(id, info);
            }
        }
        let namespaced: HashMap<(String, String), bool> = self
            .table
            .kind_info
            .iter()
            .filter_map(|((av, k), info)| {
                let group = crate::kube::key::group_of(av).to_string();
                info.as_ref().ok().map(|i| ((group, k.clone()), i.namespaced))
            })
            .collect();
        // Kinds a CRD of the app itself serves, before the cluster does (a first sync).
        let mut namespaced = namespaced;
        for crd in app
            .rendered
            .objects
            .iter()
            .filter(|o| o.key.kind == "CustomResourceDefinition")
        {
            let s = |p: &str| {
                crd.object
                    .pointer(p)
                    .and_then(|v| v.as_str())
                    .unwrap_or_default()
                    .to_string()
            };
            namespaced
                .entry((s("/spec/group"), s("/spec/names/kind")))
                .or_insert(s("/spec/scope") == "Namespaced");
        }
        let default_ns = app.target.app.namespace.clone();
        render::default_namespaces(&mut app.rendered.objects, default_ns.as_deref(), |g, k| {
            namespaced.get(&(g.to_string(), k.to_string())).copied()
        });
        let by_key = app
            .rendered
            .objects
            .iter()
            .enumerate()
            .map(|(i, o)| (o.key.clone(), i))
            .collect();
        AppState {
            desired: app,
            by_key,
            objects: BTreeMap::new(),
            revisions: deployed::RevisionVotes::default(),
            pins: deployed::RevisionVotes::default(),
        }
    }

    /// Desired objects of `apps` that the watch cache dropped while no app wanted them: their
    /// kind is already watched, so they will not be listed again and would look Missing.
    fn dropped_before(&self, apps: &[AppState]) -> Vec<(ObjectKey, KindInfo)> {
        apps.iter()
            .flat_map(|a| a.desired.rendered.objects.iter())
            .filter(|o| {
                !self.live.contains(&o.key)
                    && self.table.is_watched(&o.key)
                    && !self.cache_vouches_for(&o.key)
            })
            .filter_map(|o| {
                let kind = self.table.kind_of(&o.key, Some(o)).ok()?;
                Some((o.key.clone(), kind.clone()))
            })
            .collect()
    }

    async fn on_watch(&mut self, msg: WatchMsg, touched: &mut HashSet<ObjectKey>) {
        match msg {
            WatchMsg::Init { kind } => self.live.begin_list(self.table.kinds[kind].group_kind.clone()),
            WatchMsg::Applied { kind, object } => {
                self.table.kinds[kind].failed = None;
                let apps = &self.apps;
                let wanted = |k: &ObjectKey| apps.iter().any(|a| a.by_key.contains_key(k));
                if let Some(key) = self.live.apply(object, wanted) {
                    touched.insert(key);
                }
                self.set_state(ClusterState::Ready).await;
            }
            WatchMsg::Deleted { key, .. } => {
                if let Some(key) = self.live.delete(key) {
                    touched.insert(key);
                }
            }
            WatchMsg::InitDone { kind } => {
                let slot = &mut self.table.kinds[kind];
                slot.synced = true;
                slot.failed = None;
                let gk = slot.group_kind.clone();
                touched.extend(self.live.end_list(&gk));
                self.set_state(ClusterState::Ready).await;
            }
            WatchMsg::Failed { kind, state } => {
                let slot = &mut self.table.kinds[kind];
                slot.failed = Some(state.to_string());
                if matches!(state, ClusterState::Unreachable(_)) {
                    self.set_state(state).await;
                }
            }
        }
    }

    async fn set_state(&mut self, state: ClusterState) {
        if self.state != state {
            self.state = state.clone();
            let ev = EngineEvent::ClusterState {
                cluster: self.cluster_name.clone(),
                context: self.job.context.clone(),
                state,
            };
            let _ = self.job.events.send(ev).await;
        }
    }

    /// The first full evaluation, once every kind is listed or has failed.
    async fn maybe_start(&mut self) {
        if self.started || !self.table.kinds.iter().all(|k| k.synced || k.failed.is_some()) {
            return;
        }
        self.started = true;
        let all: Vec<usize> = (0..self.apps.len()).collect();
        for idx in all {
            let keys = self.keys_of(&self.apps[idx]);
            self.evaluate_app(idx, keys, true).await;
        }
        for job in std::mem::take(&mut self.waiting_previews) {
            self.preview(job).await;
        }
    }

    /// Every key `app` is concerned with: desired objects and live objects labelled for it.
    pub(super) fn keys_of(&self, app: &AppState) -> Vec<ObjectKey> {
        let mut keys: Vec<ObjectKey> = app
            .desired
            .rendered
            .objects
            .iter()
            .map(|o| o.key.clone())
            .collect();
        keys.extend(
            self.live
                .labelled_for(&app.desired.target.app.name)
                .filter(|k| !app.by_key.contains_key(*k))
                .cloned(),
        );
        keys
    }

    /// Recompute only the touched objects, in the apps they belong to.
    async fn recompute(&mut self, touched: &HashSet<ObjectKey>) {
        if touched.is_empty() {
            return;
        }
        for idx in 0..self.apps.len() {
            let app = &self.apps[idx];
            let name = &app.desired.target.app.name;
            let keys: Vec<ObjectKey> = touched
                .iter()
                .filter(|k| {
                    app.by_key.contains_key(*k)
                        || app.objects.contains_key(*k)
                        || self.live.app_of(k) == Some(name.as_str())
                })
                .cloned()
                .collect();
            if !keys.is_empty() {
                self.evaluate_app(idx, keys, false).await;
            }
        }
    }

    /// Re-evaluate `keys` of app `idx` (all of them when `full`) and send its report.
    async fn evaluate_app(&mut self, idx: usize, keys: Vec<ObjectKey>, full: bool) {
        // A full evaluation (the first, or after a new render) cannot tell when a change it
        // finds happened; one a watch event caused can: now.
        let (previous, now) = if full {
            self.apps[idx].revisions.clear();
            self.apps[idx].pins.clear();
            (std::mem::take(&mut self.apps[idx].objects), None)
        } else {
            (
                BTreeMap::new(),
                Some(crate::time::format_rfc3339(crate::time::now_secs())),
            )
        };
        // In slices, so that a first evaluation of thousands of objects never holds them
        // all parsed at once.
        for chunk in keys.chunks(EVALUATION_CHUNK) {
            self.evaluate_chunk(idx, chunk, &previous, now.as_deref()).await;
        }
        self.note_pin(idx);
        let report = self.app_report(idx);
        // A pinned sync lands object by object: a moment where only its stamps have landed
        // can look Synced at the head, which must not count as the head catching up.
        if report.sync != SyncStatus::Synced {
            self.pins_fresh.remove(&report.app);
        } else if !report.commit.is_empty() && !self.pins_fresh.contains(&report.app) {
            self.synced_at.insert(report.app.clone(), report.commit.clone());
        }
        let _ = self
            .job
            .events
            .send(EngineEvent::AppReport(Arc::new(report)))
            .await;
    }

    /// Evaluate `keys` of app `idx`; `previous` holds the reports a full evaluation replaces
    /// (an incremental one finds them in the app), to carry over when changes were first seen.
    async fn evaluate_chunk(
        &mut self,
        idx: usize,
        keys: &[ObjectKey],
        previous: &BTreeMap<ObjectKey, Arc<ObjectReport>>,
        now: Option<&str>,
    ) {
        let app = &self.apps[idx];
        let app_name = app.desired.target.app.name.clone();
        let table = &self.table;
        let lives: Vec<Option<serde_json::Value>> = keys.iter().map(|k| self.live.get(k)).collect();
        let pending: Vec<Pending<'_>> = keys
            .iter()
            .zip(&lives)
            .map(|(key, live)| {
                let desired = app.by_key.get(key).map(|i| &app.desired.rendered.objects[*i]);
                let kind = table.kind_of(key, desired);
                Pending {
                    app: &app_name,
                    key: key.clone(),
                    desired,
                    live: live.as_ref(),
                    kind,
                }
            })
            .collect();
        let reports = self.evaluator.evaluate(pending).await;
        let app = &mut self.apps[idx];
        for (key, live) in keys.iter().zip(&lives) {
            app.note_stamps(key, live.as_ref());
        }
        for (key, mut report) in keys.iter().zip(reports) {
            // Only desired objects and Extra ones belong in the report.
            if !app.by_key.contains_key(key) && report.status != SyncStatus::Extra {
                app.objects.remove(key);
                continue;
            }
            if let Some(cmp) = report.comparison.as_mut() {
                let before = previous.get(key).or_else(|| app.objects.get(key));
                compare::stamp_seen(cmp, before.and_then(|o| o.comparison.as_ref()), now);
            }
            app.objects.insert(key.clone(), Arc::new(report));
        }
    }
}
