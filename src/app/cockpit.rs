//! The cockpit's plain data: clusters, apps per cluster (the engine's latest reports), the
//! activity log, and the cockpit views (drift matrix, app detail, drift diff). Engine events
//! arrive as [`EngineMsg`] and are folded in by [`apply_event`]; nothing here does IO.

use super::cockpit_diff::DriftDiffState;
use crate::gitops::engine::{AppReport, EngineEvent, SyncStatus};
use crate::kube::cluster::ClusterState;
use std::collections::{BTreeMap, VecDeque};
use std::sync::Arc;

/// Activity entries kept; older ones fall off.
pub const ACTIVITY_CAP: usize = 500;

/// An engine event, comparable so messages stay plain data (reports compare by identity:
/// the engine sends a fresh `Arc` for every new report).
#[derive(Debug, Clone)]
pub struct EngineMsg(pub EngineEvent);

impl PartialEq for EngineMsg {
    fn eq(&self, other: &Self) -> bool {
        use EngineEvent as E;
        match (&self.0, &other.0) {
            (
                E::ClusterState {
                    cluster: a,
                    context: b,
                    state: c,
                },
                E::ClusterState {
                    cluster: x,
                    context: y,
                    state: z,
                },
            ) => a == x && b == y && c == z,
            (E::AppReport(a), E::AppReport(b)) => Arc::ptr_eq(a, b),
            (E::Planned(a), E::Planned(b)) => a == b,
            (E::Fatal(a), E::Fatal(b)) => a == b,
            (E::Preview(a), E::Preview(b)) => Arc::ptr_eq(a, b),
            (E::NewCommit(a), E::NewCommit(b)) => a == b,
            (E::Events { id: a, result: x }, E::Events { id: b, result: y }) => a == b && x == y,
            _ => false,
        }
    }
}

/// A shared engine report, compared by identity.
#[derive(Debug, Clone)]
pub struct Report(pub Arc<AppReport>);

impl PartialEq for Report {
    fn eq(&self, other: &Self) -> bool {
        Arc::ptr_eq(&self.0, &other.0)
    }
}

/// One configured cluster as the Clusters pane shows it.
#[derive(Debug, Clone, PartialEq)]
pub struct ClusterRow {
    pub name: String,
    pub context: String,
    pub state: ClusterState,
    /// When the state last changed (seconds since the epoch).
    pub since: i64,
}

/// What the activity pane lists.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ActivityKind {
    Connected,
    Disconnected,
    DriftAppeared,
    DriftCleared,
    NewCommit,
    Error,
    /// A sync Sextant ran (or was refused).
    Synced,
    /// An app turned Degraded while watched.
    Unhealthy,
    /// An app Healthy again after being Degraded.
    Recovered,
}

/// One entry of the activity pane.
#[derive(Debug, Clone, PartialEq)]
pub struct ActivityEntry {
    pub at: i64,
    pub kind: ActivityKind,
    /// What happened: "guestbook on prod-us drifted".
    pub text: String,
    /// The change that did it, shortened to the pane's room when drawn.
    pub change: Option<ChangeText>,
}

impl ActivityEntry {
    /// The whole entry in words: "guestbook on prod-us drifted: spec.replicas 3→5 by kubectl".
    pub fn words(&self) -> String {
        match &self.change {
            Some(c) => format!("{}: {c}", self.text),
            None => self.text.clone(),
        }
    }
}

/// A full-screen cockpit view.
#[derive(Debug, Clone, PartialEq)]
pub enum CockpitView {
    /// Apps × clusters; the selected cell.
    Matrix { row: usize, col: usize },
    /// One app on one cluster: its objects.
    AppDetail {
        app: String,
        cluster: String,
        selected: usize,
    },
    /// Live → desired for one object (or every drifted object of an app).
    DriftDiff(DriftDiffState),
    /// Which cluster to preview `revision` against.
    PickCluster {
        revision: String,
        summary: String,
        selected: usize,
    },
    /// What syncing a revision to a cluster would change.
    Preview(super::cockpit_preview::PreviewState),
    /// A sync: its plan, the questions before it, its progress and result.
    Sync(Box<super::cockpit_sync::SyncView>),
    /// A revert or pull request: its plan, preview, steps and results.
    Publish(Box<super::cockpit_revert::PublishView>),
    /// An app's history, to roll it back.
    Rollback(super::cockpit_rollback::RollbackView),
    /// The audit log, newest first (`None` while it is read).
    Audit {
        req: u64,
        entries: Option<Result<Vec<crate::gitops::audit::AuditEntry>, String>>,
        selected: usize,
    },
    /// Acting through an app's operator (Argo CD, Flux).
    Operator(super::cockpit_operator::OperatorState),
}

/// Everything the cockpit shows.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct CockpitState {
    /// Clusters by name.
    pub clusters: BTreeMap<String, ClusterRow>,
    /// Latest report per (app, cluster).
    pub reports: BTreeMap<(String, String), Report>,
    /// Cluster whose apps the Apps table shows; `None` = all clusters.
    pub cluster_filter: Option<String>,
    /// Selected row of the Clusters pane.
    pub cluster_selected: usize,
    /// The selected app row, by identity, so it stays on its row while others change.
    pub app_selected: Option<(String, String)>,
    /// The `/` filters of the cockpit lists.
    pub filters: super::cockpit_filter::CockpitFilters,
    pub activity: VecDeque<ActivityEntry>,
    /// Quit once the running syncs have reported (quit was asked while one ran).
    pub quit_after_sync: bool,
    /// Why the apps at the branch's tip cannot be rendered (a bad `sextant.yaml`, ...), until a
    /// later render works. The engine keeps following the branch meanwhile.
    pub fatal: Option<String>,
    /// Cluster Events per (app, cluster), fetched while app detail shows them.
    pub events: BTreeMap<(String, String), super::cockpit_events::EventsState>,
    /// Commits between a deployed commit and the rendered one, by (deployed, rendered).
    pub distances: BTreeMap<(String, String), super::cockpit_distance::DistanceState>,
    /// What Argo CD and Flux manage on each cluster, by context (for their problems).
    pub operator_scans: BTreeMap<String, Arc<crate::gitops::operators::discovery::OperatorScan>>,
    /// The last id given to an operator action.
    pub operator_seq: u64,
    /// Apps Activity said turned Degraded, until it says they are Healthy again.
    pub unwell: std::collections::BTreeSet<(String, String)>,
}

impl CockpitState {
    /// Whether the engine has told us anything: the cockpit panes replace the hints then.
    pub fn is_active(&self) -> bool {
        !self.clusters.is_empty() || !self.reports.is_empty()
    }

    /// Arguments `:app` takes, each with what to say about it: each app name (it opens on
    /// the shown cluster, else its first), then `NAME CLUSTER` for each app on each cluster,
    /// the shown cluster's first.
    pub fn app_arguments(&self) -> Vec<(String, String)> {
        let elsewhere = |cluster: &String| self.cluster_filter.as_ref() != Some(cluster);
        let mut pairs: Vec<(&(String, String), &Report)> = self.reports.iter().collect();
        pairs.sort_by_key(|((_, c), _)| elsewhere(c));
        let mut out: Vec<(String, String)> = Vec::new();
        for ((app, cluster), _) in &pairs {
            if !out.iter().any(|(a, _)| a == app) {
                out.push((app.clone(), format!("open on {cluster}")));
            }
        }
        out.extend(
            pairs
                .iter()
                .map(|((app, cluster), r)| (format!("{app} {cluster}"), r.0.status_words())),
        );
        out
    }

    /// Cluster names for `:ctx`, each with its state.
    pub fn cluster_arguments(&self) -> Vec<(String, String)> {
        let mut out: Vec<(String, String)> = self
            .clusters
            .values()
            .map(|c| (c.name.clone(), c.state.to_string()))
            .collect();
        out.sort_by_key(|(name, _)| self.cluster_filter.as_ref() != Some(name));
        out
    }

    /// App rows of the Apps table, in display order: (app, cluster) keys.
    pub fn app_rows(&self) -> Vec<&(String, String)> {
        self.reports
            .keys()
            .filter(|(app, cluster)| {
                self.cluster_filter.as_ref().is_none_or(|c| c == cluster)
                    && self.filters.apps.matches([app.as_str(), cluster.as_str()])
            })
            .collect()
    }

    /// Index of the selected app row (0 when the selection is gone).
    pub fn app_index(&self) -> usize {
        let rows = self.app_rows();
        self.app_selected
            .as_ref()
            .and_then(|sel| rows.iter().position(|k| *k == sel))
            .unwrap_or(0)
    }

    pub fn report(&self, app: &str, cluster: &str) -> Option<&AppReport> {
        self.reports
            .get(&(app.to_string(), cluster.to_string()))
            .map(|r| r.0.as_ref())
    }

    /// Distinct app names and cluster names, sorted: the matrix axes.
    pub fn matrix_axes(&self) -> (Vec<String>, Vec<String>) {
        let mut apps: Vec<String> = self.reports.keys().map(|(a, _)| a.clone()).collect();
        apps.dedup();
        let mut clusters: Vec<String> = self.clusters.keys().cloned().collect();
        for (_, c) in self.reports.keys() {
            if !clusters.contains(c) {
                clusters.push(c.clone());
            }
        }
        clusters.sort();
        (apps, clusters)
    }

    /// Counts of (synced, drifted, unknown) apps on `cluster`.
    pub fn cluster_counts(&self, cluster: &str) -> (usize, usize, usize) {
        let mut out = (0, 0, 0);
        for ((_, c), r) in &self.reports {
            if c != cluster {
                continue;
            }
            match r.0.sync {
                SyncStatus::Synced => out.0 += 1,
                SyncStatus::Unknown => out.2 += 1,
                _ => out.1 += 1,
            }
        }
        out
    }

    /// Counts of apps on `cluster` that are not Healthy: (progressing or suspended, degraded
    /// or missing). Apps on a cluster that cannot be reached are not counted.
    pub fn cluster_health(&self, cluster: &str) -> (usize, usize) {
        let mut out = (0, 0);
        for ((_, c), r) in &self.reports {
            if c != cluster || r.0.cluster_error.is_some() || r.0.objects.is_empty() {
                continue;
            }
            match r.0.health.as_str() {
                "Progressing" | "Suspended" => out.0 += 1,
                "Degraded" | "Missing" => out.1 += 1,
                _ => {}
            }
        }
        out
    }

    /// Log a finished sync: `synced guestbook on prod-us @0355da2: 3 applied, 0 pruned, 0 failed`.
    pub fn log_sync(&mut self, at: i64, r: &crate::gitops::sync::result::SyncResult) {
        use crate::gitops::sync::result::Ending;
        let kind = if r.all_done() {
            ActivityKind::Synced
        } else {
            ActivityKind::Error
        };
        let verb = match r.ending {
            Ending::Refused => "sync refused:",
            Ending::Cancelled => "sync cancelled:",
            Ending::ClusterLost => "sync stopped:",
            Ending::Finished if r.tally.failed > 0 => "sync failed in part:",
            Ending::Finished => "synced",
        };
        self.log(at, kind, format!("{verb} {}", r.summary()));
    }

    pub(crate) fn log(&mut self, at: i64, kind: ActivityKind, text: String) {
        self.log_change(at, kind, text, None);
    }

    fn log_change(&mut self, at: i64, kind: ActivityKind, text: String, change: Option<ChangeText>) {
        self.activity.push_back(ActivityEntry {
            at,
            kind,
            text,
            change,
        });
        while self.activity.len() > ACTIVITY_CAP {
            self.activity.pop_front();
        }
    }
}

/// Whether two cluster states are the same kind of trouble (their reasons aside).
fn same_kind(a: &ClusterState, b: &ClusterState) -> bool {
    std::mem::discriminant(a) == std::mem::discriminant(b)
}

/// Fold one engine event into the state. `now` stamps activity entries.
pub fn apply_event(c: &mut CockpitState, event: EngineEvent, now: i64) {
    match event {
        EngineEvent::ClusterState {
            cluster,
            context,
            state,
        } => {
            let previous = c.clusters.get(&cluster).map(|r| r.state.clone());
            if previous.as_ref() == Some(&state) {
                return;
            }
            // One entry per transition: a retry failing with other words is not news.
            let was_down = previous.as_ref().filter(|p| p.is_down());
            let down_since = c.clusters.get(&cluster).map(|r| r.since);
            match (&state, previous.as_ref().is_some_and(ClusterState::is_ready)) {
                (ClusterState::Ready, _) => {
                    let text = match (was_down, down_since) {
                        (Some(_), Some(since)) => format!(
                            "{cluster} reconnected after {}",
                            crate::time::duration_words(now - since)
                        ),
                        _ => format!("{cluster} connected"),
                    };
                    c.log(now, ActivityKind::Connected, text);
                }
                (s, _) if was_down.is_some_and(|p| same_kind(p, s)) => {}
                (s, was_ready) if s.is_down() => {
                    // "prod-eu disconnected (unreachable: timeout)", "audit forbidden: 403 …"
                    let text = if was_ready {
                        format!("{cluster} disconnected ({s})")
                    } else {
                        format!("{cluster} {s}")
                    };
                    c.log(now, ActivityKind::Disconnected, text);
                }
                _ => {}
            }
            // Down for a while with changing reasons is one outage: it keeps its start.
            let since = match (was_down, down_since) {
                (Some(p), Some(t)) if same_kind(p, &state) => t,
                _ => now,
            };
            c.clusters.insert(
                cluster.clone(),
                ClusterRow {
                    name: cluster,
                    context,
                    state,
                    since,
                },
            );
        }
        EngineEvent::AppReport(report) => {
            let key = (report.app.clone(), report.cluster.clone());
            let was = c.reports.get(&key).map(|r| r.0.counts.drifted());
            let now_drift = report.counts.drifted();
            match (was, now_drift) {
                (None | Some(0), n) if n > 0 => {
                    // What changed and who did it, when the engine could tell.
                    // What first: the pane cuts the end of a long line.
                    let what = latest_change(&report, |_| None);
                    let count = match n {
                        1 => String::new(),
                        n => format!(" ({n} objects)"),
                    };
                    let text = format!("{} on {} drifted{count}", key.0, key.1);
                    c.log_change(now, ActivityKind::DriftAppeared, text, what)
                }
                (Some(w), 0) if w > 0 => c.log(
                    now,
                    ActivityKind::DriftCleared,
                    format!("{} on {} is in sync again", key.0, key.1),
                ),
                // Drifted already, and someone changed it again: that is news too.
                (Some(_), _) => {
                    let change = c.reports.get(&key).and_then(|old| new_change(&old.0, &report));
                    if let Some(change) = change {
                        let text = format!("{} on {} drifted further", key.0, key.1);
                        c.log_change(now, ActivityKind::DriftAppeared, text, Some(change));
                    }
                }
                _ => {}
            }
            let old = c.reports.get(&key).map(|r| &*r.0);
            // Its events may have moved on when its sync, drift or health did.
            let summary = |r: &AppReport| (r.status_words(), r.health_reason());
            let moved = old.is_none_or(|o| summary(o) != summary(&report));
            let news = super::cockpit_health::health_news(old, &report, &mut c.unwell);
            if moved {
                super::cockpit_events::app_changed(c, &key);
            }
            if let Some((kind, text)) = news {
                c.log(now, kind, text);
            }
            if !c.clusters.contains_key(&key.1) {
                c.clusters.insert(
                    key.1.clone(),
                    ClusterRow {
                        name: key.1.clone(),
                        context: report.context.clone(),
                        state: ClusterState::Connecting,
                        since: now,
                    },
                );
            }
            c.reports.insert(key, Report(report));
        }
        EngineEvent::Planned(planned) => {
            if c.fatal.take().is_some() {
                c.log(now, ActivityKind::Connected, "the apps render again".to_string());
            }
            // A new render may drop apps; forget reports no longer planned.
            let keep: std::collections::BTreeSet<(String, String)> =
                planned.into_iter().map(|p| (p.app, p.cluster)).collect();
            c.reports.retain(|k, _| keep.contains(k));
        }
        EngineEvent::Fatal(message) => {
            c.log(now, ActivityKind::Error, message.clone());
            c.fatal = Some(message);
        }
        EngineEvent::NewCommit(commit) => c.log(
            now,
            ActivityKind::NewCommit,
            format!(
                "new commit {} by {}: {}",
                commit.short, commit.author, commit.summary
            ),
        ),
        EngineEvent::Events { id, result } => super::cockpit_events::on_events(c, id, result),
        EngineEvent::Operators(scan) => {
            super::cockpit_operator::on_scan(c, scan);
        }
        EngineEvent::Preview(_)
        | EngineEvent::SyncProgress { .. }
        | EngineEvent::SyncDone { .. }
        | EngineEvent::Discovering(_)
        | EngineEvent::OperatorPreview { .. }
        | EngineEvent::OperatorProgress { .. }
        | EngineEvent::OperatorDone { .. } => {}
    }
}

pub use super::change_text::{
    ChangeText, latest_change, latest_object_change, latest_unmanaged, new_change, object_changes_in_full,
    short_value,
};
pub use crate::time::parse_rfc3339;

/// `update`'s entry point for engine messages.
pub fn on_engine(state: &mut super::state::State, msg: EngineMsg) -> Vec<super::msg::Effect> {
    match msg.0 {
        EngineEvent::Preview(report) => {
            if !super::cockpit_revert::on_preview(state, &report) {
                super::cockpit_preview::on_preview(state, report);
            }
            Vec::new()
        }
        EngineEvent::SyncProgress { id, result, .. } => {
            super::cockpit_sync::on_progress(state, id, result);
            Vec::new()
        }
        EngineEvent::SyncDone { id, result } => super::cockpit_sync::on_done(state, id, result),
        EngineEvent::OperatorPreview { id, result } => {
            super::cockpit_operator::on_preview(state, id, result);
            Vec::new()
        }
        EngineEvent::OperatorProgress { id, message } => {
            super::cockpit_operator::on_progress(state, id, message);
            Vec::new()
        }
        EngineEvent::OperatorDone { id, result } => {
            super::cockpit_operator::on_done(state, id, result);
            Vec::new()
        }
        event => {
            match &event {
                EngineEvent::Fatal(message) => {
                    let then = if state.cockpit.is_active() {
                        "showing the last good render until a commit fixes it"
                    } else {
                        "no live drift until a commit fixes it"
                    };
                    state.notice = Some(format!("{message} ({then})"));
                }
                // A render that works again clears what the failed one said.
                EngineEvent::Planned(_) if state.cockpit.fatal.is_some() => state.notice = None,
                _ => {}
            }
            let effect = match &event {
                EngineEvent::AppReport(r) => super::cockpit_distance::wanted(&mut state.cockpit, r),
                // The engine's repo is the first one: list its commits again, the new one on top.
                EngineEvent::NewCommit(_) => super::update::reset_commits(state, 0),
                _ => None,
            };
            apply_event(&mut state.cockpit, event, state.now);
            effect.into_iter().collect()
        }
    }
}

/// Which clusters run which commit: each app report's deployed commit (see
/// `AppReport::deployed`), keyed by full commit id. A cluster whose apps run different commits
/// appears beside each of them.
pub fn deployed(c: &CockpitState) -> BTreeMap<String, Vec<String>> {
    let mut out: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for ((_, cluster), r) in &c.reports {
        if let Some(commit) = r.0.deployed.as_ref().filter(|d| !d.is_empty()) {
            let clusters = out.entry(commit.clone()).or_default();
            if !clusters.contains(cluster) {
                clusters.push(cluster.clone());
            }
        }
    }
    out
}

/// The commits a cluster's apps run (each once, most apps first), as far as known.
pub fn cluster_runs(c: &CockpitState, cluster: &str) -> Vec<String> {
    let mut counts: Vec<(String, usize)> = Vec::new();
    for ((_, on), r) in &c.reports {
        let Some(commit) = r.0.deployed.as_ref().filter(|d| !d.is_empty() && on == cluster) else {
            continue;
        };
        match counts.iter_mut().find(|(id, _)| id == commit) {
            Some((_, n)) => *n += 1,
            None => counts.push((commit.clone(), 1)),
        }
    }
    counts.sort_by_key(|c| std::cmp::Reverse(c.1));
    counts.into_iter().map(|(id, _)| id).collect()
}

/// ` ⚑prod-eu,staging` for a commit id that those clusters run; empty otherwise.
pub fn commit_marker(deployed: &BTreeMap<String, Vec<String>>, id: &str) -> String {
    commit_marker_within(deployed, id, usize::MAX)
}

/// [`commit_marker`] in at most `width` characters when it can: every cluster
/// (` ⚑prod-eu,staging`), else the first and how many more (` ⚑prod-eu +2`), else the count
/// (` ⚑3`).
pub fn commit_marker_within(deployed: &BTreeMap<String, Vec<String>>, id: &str, width: usize) -> String {
    let Some((_, clusters)) = deployed.iter().find(|(rev, _)| id.starts_with(rev.as_str())) else {
        return String::new();
    };
    let all = format!(" ⚑{}", clusters.join(","));
    if all.chars().count() <= width || clusters.len() < 2 {
        return all;
    }
    let first = format!(" ⚑{} +{}", clusters[0], clusters.len() - 1);
    if first.chars().count() <= width {
        return first;
    }
    format!(" ⚑{}", clusters.len())
}
