//! What the engine tells its subscribers (the TUI, `sextant status` and `sextant diff`):
//! plain data, sent as [`EngineEvent`]s.

use super::compare::Comparison;
use crate::gitops::health::{self, Health, HealthCulprit, HealthStatus};
use crate::gitops::render::RenderError;
use crate::gitops::sync::plan::SyncPlan;
use crate::gitops::sync::result::{ObjectResult, SyncResult};
use crate::kube::cluster::ClusterState;
use crate::kube::key::ObjectKey;
use serde::Serialize;
use std::sync::Arc;

/// A message from the engine.
#[derive(Debug, Clone)]
pub enum EngineEvent {
    /// A cluster changed state (connecting, ready, unreachable, forbidden).
    ClusterState {
        cluster: String,
        context: String,
        state: ClusterState,
    },
    /// A new or updated report for one app on one cluster.
    AppReport(Arc<AppReport>),
    /// The (app, cluster) pairs about to be evaluated, sent after each render.
    Planned(Vec<super::Planned>),
    /// Apps could not be loaded at all (`sextant.yaml` missing or invalid); nothing else follows.
    Fatal(String),
    /// The answer to [`super::EngineCommand::Preview`]: what syncing a revision would do.
    Preview(Arc<PreviewReport>),
    /// The followed branch moved to a new commit; the engine re-renders and re-evaluates.
    NewCommit(NewCommit),
    /// The answer to [`super::EngineCommand::Events`].
    Events {
        id: u64,
        result: Result<Vec<crate::kube::events::ClusterEvent>, String>,
    },
    /// One object of sync `id` landed (or failed, or was not sent).
    SyncProgress {
        id: u64,
        app: String,
        cluster: String,
        result: ObjectResult,
    },
    /// Sync `id` ended (or was refused): everything it did.
    SyncDone { id: u64, result: Arc<SyncResult> },
    /// The contexts the engine discovers Argo CD and Flux apps on (sent before `Planned`);
    /// each sends an [`EngineEvent::Operators`] once listed.
    Discovering(Vec<String>),
    /// What Argo CD and Flux manage on one cluster, as of now (sent after the reports of its
    /// apps), and what went wrong reading them.
    Operators(Arc<crate::gitops::operators::discovery::OperatorScan>),
    /// The answer to [`super::EngineCommand::OperatorPreview`].
    OperatorPreview {
        id: u64,
        result: Result<Arc<super::operator_run::OperatorPreview>, String>,
    },
    /// What the operator is doing for action `id`.
    OperatorProgress { id: u64, message: String },
    /// Action `id` ended (or was refused).
    OperatorDone {
        id: u64,
        result: Arc<super::operator_run::OperatorResult>,
    },
}

/// A commit the engine saw arrive on the branch it follows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct NewCommit {
    /// Full commit id.
    pub commit: String,
    /// Abbreviated commit id.
    pub short: String,
    /// First line of the message.
    pub summary: String,
    pub author: String,
}

/// What syncing one revision to one cluster would change, computed against the live state
/// without touching the cluster (the reports are dry-runs and local comparisons).
#[derive(Debug, Clone, Serialize)]
pub struct PreviewReport {
    /// The id the command carried, so answers to superseded requests can be dropped.
    pub id: u64,
    /// The revision as asked for, and its abbreviated and full commit ids.
    pub revision: String,
    pub short: String,
    pub commit: String,
    pub cluster: String,
    /// One report per app that the revision targets at the cluster.
    #[serde(serialize_with = "serialize_reports")]
    pub apps: Vec<Arc<AppReport>>,
    /// Apps running on the cluster now that the revision does not define (syncing the
    /// revision would leave them alone, not remove them).
    pub absent: Vec<String>,
    /// Why nothing could be previewed (bad revision, cluster down, invalid `sextant.yaml`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
    /// For [`super::EngineCommand::PlanSync`]: one plan per app, in the order of `apps`.
    #[serde(skip_serializing_if = "Vec::is_empty", serialize_with = "serialize_plans")]
    pub plans: Vec<Arc<SyncPlan>>,
    /// For a sync: what the action gate says before anyone confirms.
    #[serde(skip_serializing_if = "GateVerdict::is_allowed")]
    pub gate: GateVerdict,
}

/// What the action gate says of a planned sync before anyone confirms.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum GateVerdict {
    #[default]
    Allowed,
    /// The cluster is protected: its name must be typed to confirm.
    NeedsTypedName,
    /// Writes are refused here; the message says why and what to do.
    Refused(String),
}

impl GateVerdict {
    pub fn is_allowed(&self) -> bool {
        *self == GateVerdict::Allowed
    }
}

fn serialize_plans<S: serde::Serializer>(plans: &[Arc<SyncPlan>], s: S) -> Result<S::Ok, S::Error> {
    s.collect_seq(plans.iter().map(|p| &**p))
}

fn serialize_reports<S: serde::Serializer>(apps: &[Arc<AppReport>], s: S) -> Result<S::Ok, S::Error> {
    s.collect_seq(apps.iter().map(|a| &**a))
}

/// Per-object sync status.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub enum SyncStatus {
    Synced,
    OutOfSync,
    /// In Git, not live.
    Missing,
    /// Tracked as the app's on the cluster, no longer in Git: a prune candidate.
    Extra,
    /// Cannot tell; `reason` says why.
    Unknown,
}

impl SyncStatus {
    /// The status as a word, as Argo CD spells it.
    pub fn as_str(self) -> &'static str {
        match self {
            SyncStatus::Synced => "Synced",
            SyncStatus::OutOfSync => "OutOfSync",
            SyncStatus::Missing => "Missing",
            SyncStatus::Extra => "Extra",
            SyncStatus::Unknown => "Unknown",
        }
    }

    /// Whether this status means applying desired now would change the cluster.
    pub fn is_drift(self) -> bool {
        matches!(
            self,
            SyncStatus::OutOfSync | SyncStatus::Missing | SyncStatus::Extra
        )
    }
}

/// How a verdict was reached.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum VerdictPath {
    /// A server-side apply dry-run confirmed it.
    Preview,
    /// Compared locally against the watch cache.
    Local,
    /// Nothing to compare (missing, extra, unknown).
    None,
}

/// The verdict for one object of an app on a cluster.
#[derive(Debug, Clone, Serialize)]
pub struct ObjectReport {
    pub key: ObjectKey,
    pub api_version: String,
    pub status: SyncStatus,
    /// Health per kstatus / Argo conventions, as a word (`Healthy`, `Progressing`...).
    pub health: String,
    /// Why the object has that health, in a few words (none when there is nothing to say).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub health_message: Option<String>,
    /// How the object counts in its app's health when not as `health`: `Healthy` for a
    /// suspended Job or an object Argo CD is told to leave out of app health.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub health_counts_as: Option<String>,
    /// Why it is Unknown, or a note (dry-run forbidden, server rejects the object...).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    /// Where the desired object was written (`apps/web/deploy.yaml:1`); none for Extra.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
    pub path: VerdictPath,
    /// Drift, unmanaged changes and the YAML texts; none for Missing/Extra/Unknown.
    #[serde(flatten)]
    pub comparison: Option<Comparison>,
}

/// Counts per status, for tables.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Counts {
    pub synced: usize,
    pub out_of_sync: usize,
    pub missing: usize,
    pub extra: usize,
    pub unknown: usize,
    /// Objects with unmanaged changes (not drift).
    pub unmanaged: usize,
}

impl Counts {
    /// Objects that drifted: out of sync, missing or extra.
    pub fn drifted(&self) -> usize {
        self.out_of_sync + self.missing + self.extra
    }
}

/// One app on one cluster.
#[derive(Debug, Clone, Serialize)]
pub struct AppReport {
    pub app: String,
    /// The cluster name the app uses (alias or context).
    pub cluster: String,
    pub context: String,
    /// The revision rendered (abbreviated commit id).
    pub revision: String,
    /// The full commit id rendered (empty when nothing was rendered).
    pub commit: String,
    /// The commit the cluster runs, as far as the engine can tell: the
    /// `sextant.dev/revision` annotation the last sync left on the app's objects, else the
    /// rendered commit while the app is Synced, else the last commit it was seen Synced at.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub deployed: Option<String>,
    /// The commit an emergency sync pinned the app to (a revision other than the branch
    /// head), while the head does not render what is live.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pinned: Option<String>,
    /// Aggregate sync status: Unknown if the cluster is down or rendering failed entirely.
    pub sync: SyncStatus,
    /// Aggregate health: the worst of the objects', as Argo CD aggregates them.
    pub health: String,
    /// The object that makes the app's health what it is when that is not Healthy, and why.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub health_culprit: Option<HealthCulprit>,
    pub counts: Counts,
    /// Shared with the engine, which replaces only the objects an event touched.
    #[serde(serialize_with = "serialize_shared")]
    pub objects: Vec<Arc<ObjectReport>>,
    pub render_errors: Vec<RenderError>,
    /// Engine notes for the whole app ("dry-run forbidden: compared locally").
    pub notes: Vec<String>,
    /// Set when the cluster is unreachable or forbidden: no object verdicts then.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cluster_error: Option<String>,
    /// Who defines the app: `sextant` (sextant.yaml), `argocd` or `flux`.
    pub source: crate::gitops::operators::AppSource,
    /// For an app an operator manages: the operator's own view of it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub operator: Option<Arc<crate::gitops::operators::OperatorApp>>,
    /// Why the operator's verdict and Sextant's differ, one sentence each.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub disagreements: Vec<String>,
}

impl AppReport {
    /// Recompute counts and the aggregates from `objects`.
    pub fn summarize(&mut self) {
        let mut counts = Counts::default();
        for o in &self.objects {
            match o.status {
                SyncStatus::Synced => counts.synced += 1,
                SyncStatus::OutOfSync => counts.out_of_sync += 1,
                SyncStatus::Missing => counts.missing += 1,
                SyncStatus::Extra => counts.extra += 1,
                SyncStatus::Unknown => counts.unknown += 1,
            }
            if o.comparison.as_ref().is_some_and(|c| !c.unmanaged.is_empty()) {
                counts.unmanaged += 1;
            }
        }
        self.counts = counts;
        self.sync =
            if self.cluster_error.is_some() || (self.objects.is_empty() && !self.render_errors.is_empty()) {
                SyncStatus::Unknown
            } else if counts.drifted() > 0 {
                SyncStatus::OutOfSync
            } else if counts.unknown > 0 || !self.render_errors.is_empty() {
                SyncStatus::Unknown
            } else {
                SyncStatus::Synced
            };
        let app = health::aggregate(self.objects.iter().map(|o| o.health_member()));
        self.health = app.status.to_string();
        self.health_culprit = app.culprit;
    }

    /// Whether anything drifted (unmanaged changes count only when `strict`).
    pub fn has_drift(&self, strict: bool) -> bool {
        self.counts.drifted() > 0 || (strict && self.counts.unmanaged > 0)
    }

    /// The app's health as shown: Unknown while nothing live is known (cluster down, no
    /// objects yet), else the worst of its objects'.
    pub fn health_word(&self) -> &str {
        if self.cluster_error.is_some() || self.objects.is_empty() {
            "Unknown"
        } else {
            &self.health
        }
    }

    /// Which object makes the app unhealthy, and why: "Deployment/web: 0/3 replicas
    /// available (ProgressDeadlineExceeded)". None while the app is Healthy or nothing live
    /// is known.
    pub fn health_reason(&self) -> Option<String> {
        if self.cluster_error.is_some() || self.objects.is_empty() {
            return None;
        }
        self.health_culprit.as_ref().map(HealthCulprit::describe)
    }

    /// "OutOfSync, 2 drifted · Healthy": sync, drift count when there is one, and health.
    pub fn status_words(&self) -> String {
        let drift = match self.counts.drifted() {
            0 => String::new(),
            n => format!(", {n} drifted"),
        };
        let pin = match &self.pinned {
            Some(p) => format!(", pinned @{}", crate::git::short(p)),
            None => String::new(),
        };
        format!("{}{drift}{pin} · {}", self.sync.as_str(), self.health_word())
    }

    /// Whether the report carries an error (render error, unknown object, cluster down).
    pub fn has_error(&self) -> bool {
        self.cluster_error.is_some() || !self.render_errors.is_empty() || self.counts.unknown > 0
    }
}

fn serialize_shared<S: serde::Serializer>(objects: &[Arc<ObjectReport>], s: S) -> Result<S::Ok, S::Error> {
    s.collect_seq(objects.iter().map(|o| &**o))
}

impl ObjectReport {
    /// Set the object's health, why, and how it counts in its app's.
    pub fn set_health(&mut self, h: &HealthStatus) {
        self.health = h.status.to_string();
        self.health_message = (!h.message.is_empty()).then(|| h.message.clone());
        self.health_counts_as = h.aggregate_as.map(|a| a.to_string());
    }

    /// The object as its app's health aggregate sees it.
    fn health_member(&self) -> health::Member<'_> {
        let parsed = |w: &str| Health::parse(w).unwrap_or(Health::Unknown);
        let health = parsed(&self.health);
        // Unknown for the engine's own reason (a kind the cluster does not serve): say it.
        let engine_reason = self.reason.as_deref().filter(|_| health == Health::Unknown);
        health::Member {
            group: &self.key.group,
            kind: &self.key.kind,
            name: &self.key.name,
            live: self.status != SyncStatus::Missing,
            health,
            counts_as: self.health_counts_as.as_deref().map(parsed),
            message: self
                .health_message
                .as_deref()
                .or(engine_reason)
                .unwrap_or_default(),
        }
    }
}
