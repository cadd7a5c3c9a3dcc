//! Argo CD and Flux: the apps they manage on each cluster, read from their own objects
//! (`Application`, `Kustomization`, `HelmRelease` and Flux sources), what they report about
//! them, where Sextant's verdict and theirs disagree and why, and the exact fields Sextant
//! writes to act through them (never behind their backs).
//!
//! Everything here but [`discovery`] is pure: JSON objects in, typed views out.

pub mod actions;
pub mod argocd;
pub mod destination;
pub mod discovery;
pub mod flux;
pub mod follow;
pub mod kinds;
pub mod repos;
pub mod verdict;

use crate::kube::key::ObjectKey;
use serde::Serialize;

/// Who defines an app.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum AppSource {
    /// `sextant.yaml`.
    #[default]
    Sextant,
    /// An Argo CD `Application`.
    Argocd,
    /// A Flux `Kustomization` or `HelmRelease`.
    Flux,
}

impl AppSource {
    pub fn as_str(self) -> &'static str {
        match self {
            AppSource::Sextant => "sextant",
            AppSource::Argocd => "argocd",
            AppSource::Flux => "flux",
        }
    }

    /// The operator's name as people write it.
    pub fn operator_name(self) -> &'static str {
        match self {
            AppSource::Sextant => "Sextant",
            AppSource::Argocd => "Argo CD",
            AppSource::Flux => "Flux",
        }
    }
}

/// The operator object an app comes from: where it lives and how to address it.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
pub struct OperatorRef {
    /// The kubeconfig context of the cluster the object lives on (where Sextant writes).
    pub context: String,
    /// The cluster name Sextant uses for it (an alias or the context).
    pub cluster: String,
    pub group: String,
    pub version: String,
    pub kind: String,
    pub namespace: String,
    pub name: String,
}

impl OperatorRef {
    /// `Application argocd/guestbook on cluster hub`.
    pub fn describe(&self) -> String {
        format!(
            "{} {}/{} on cluster {}",
            self.kind, self.namespace, self.name, self.cluster
        )
    }

    pub fn key(&self) -> ObjectKey {
        ObjectKey {
            group: self.group.clone(),
            kind: self.kind.clone(),
            namespace: self.namespace.clone(),
            name: self.name.clone(),
        }
    }
}

/// Where an app's manifests come from, as the operator reads them.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct AppOrigin {
    /// The repository URL (Git, Helm or OCI).
    pub repo_url: String,
    /// The directory inside the repository (`./` stripped); empty for a chart.
    pub path: String,
    /// The revision the operator follows: a branch, tag, commit or `HEAD`.
    pub revision: String,
    /// `git`, `helm` or `oci`: only Git sources can be rendered by Sextant.
    pub kind: SourceKind,
    /// A Helm chart name, for chart sources.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub chart: Option<String>,
}

/// The kind of repository a source names.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum SourceKind {
    #[default]
    Git,
    Helm,
    Oci,
}

/// What the operator reports about its app, normalized over both operators.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct OperatorStatus {
    /// Argo CD: `status.sync.status` (`Synced`, `OutOfSync`, `Unknown`). Flux: from the
    /// Ready condition (`Ready`, `NotReady`, `Reconciling`, `Unknown`).
    pub sync: String,
    /// Argo CD: `status.health.status`. Flux: none (its Ready condition says it all).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub health: Option<String>,
    /// Argo CD's `status.health.message`, or Flux's Ready condition message.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
    /// Argo CD: `status.sync.revision` (the commit it compared against). Flux:
    /// `status.lastAppliedRevision` as written (`main@sha1:…`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub revision: Option<String>,
    /// Flux: `status.lastAttemptedRevision`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub attempted_revision: Option<String>,
    /// Argo CD: `status.reconciledAt`. Flux: the Ready condition's `lastTransitionTime`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reconciled_at: Option<String>,
    /// Argo CD's last (or running) operation.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub operation: Option<OperationView>,
    /// Flux `spec.suspend`; Argo CD: automated sync is off (nothing reconciles on its own).
    pub suspended: bool,
    /// Argo CD: automated sync is on (with self-heal, prune), so manual changes are undone.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub automated: Option<Automated>,
    /// Flux: the Ready condition's reason (`ReconciliationSucceeded`, `BuildFailed`...).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    /// True when the operator has not seen the latest spec (`observedGeneration` behind).
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub stale: bool,
}

/// Argo CD's automated sync policy.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Automated {
    pub prune: bool,
    pub self_heal: bool,
}

/// Argo CD's `status.operationState` (and a requested `operation` not yet picked up).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct OperationView {
    /// `Running`, `Terminating`, `Succeeded`, `Failed`, `Error`; `Requested` while the
    /// `operation` field waits for the controller.
    pub phase: String,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub message: String,
    /// The revision it synced (`operationState.syncResult.revision`, else the operation's).
    #[serde(skip_serializing_if = "String::is_empty")]
    pub revision: String,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub started_at: String,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub finished_at: String,
    /// Who started it (`operation.initiatedBy.username`, or `automated`).
    #[serde(skip_serializing_if = "String::is_empty")]
    pub initiated_by: String,
}

/// A field Argo CD leaves out of its comparison (`spec.ignoreDifferences`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct IgnoredDifference {
    pub group: String,
    pub kind: String,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub name: String,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub namespace: String,
    /// JSON pointers (`/spec/replicas`).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub json_pointers: Vec<String>,
    /// jq paths (`.spec.template.spec.containers[] | .image`), matched loosely.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub jq_paths: Vec<String>,
    /// Fields owned by these managers are ignored.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub managers: Vec<String>,
}

/// Whether Sextant can compute its own verdict for a discovered app.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "state", content = "detail", rename_all = "kebab-case")]
pub enum Evaluation {
    /// The repo is open (or mapped to a local path): Sextant renders `path` from `repo`.
    Evaluated { repo: String },
    /// The repo is not open: only the operator's view; opening the repo adds Sextant's.
    RepoNotOpen { url: String },
    /// Sextant cannot read this source (a Helm chart repo, OCI, several sources...).
    Unreadable { why: String },
}

/// One app an operator manages, as discovered on a cluster.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct OperatorApp {
    /// The app's name in Sextant (the object's name; made unique when names collide).
    pub name: String,
    pub source: AppSource,
    /// The object it comes from.
    pub object: OperatorRef,
    /// Repo, path, revision.
    pub origin: AppOrigin,
    /// The destination cluster as Sextant names it (alias or context), and its context.
    /// Empty when it cannot be mapped (see `problems`).
    pub cluster: String,
    pub context: String,
    /// The default namespace of its objects.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub namespace: String,
    pub status: OperatorStatus,
    /// Argo CD `spec.ignoreDifferences`.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub ignored: Vec<IgnoredDifference>,
    /// What generated the object (`ApplicationSet appset-name`), if anything.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub generated_by: Option<String>,
    /// Argo CD `spec.project`.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub project: String,
    pub evaluation: Evaluation,
    /// What is wrong with the object for Sextant, each a full sentence (an unmapped
    /// destination, a project that forbids it, several sources...).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub problems: Vec<String>,
    /// The status was written by the demo's simulated controller, not a real operator.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub simulated: bool,
}

/// The annotation the demo's simulated controllers put on the objects whose status they
/// write, so the cockpit can say the operator's view is simulated.
pub const SIMULATED_ANNOTATION: &str = "sextant.dev/simulated-operator";

impl OperatorApp {
    /// Whether Sextant renders and evaluates this app itself.
    pub fn is_evaluated(&self) -> bool {
        matches!(self.evaluation, Evaluation::Evaluated { .. }) && !self.context.is_empty()
    }

    /// "Argo CD: Synced · Healthy @9f2c1e1 · Succeeded" / "Flux: Ready @main@sha1:9f2c1e1
    /// · suspended": the operator's verdict in one line.
    pub fn status_line(&self) -> String {
        let s = &self.status;
        let mut parts = vec![s.sync.clone()];
        if let Some(h) = &s.health {
            parts.push(h.clone());
        }
        let mut line = format!("{}: {}", self.source.operator_name(), parts.join(" · "));
        if let Some(rev) = s.revision.as_deref().and_then(revision_sha) {
            line.push_str(&format!(" @{}", crate::git::short(rev)));
        }
        if let Some(op) = &s.operation {
            line.push_str(&format!(" · last operation {}", op.phase));
        }
        if s.suspended {
            line.push_str(match self.source {
                AppSource::Argocd => " · auto-sync off",
                _ => " · suspended",
            });
        }
        if self.simulated {
            line.push_str(" (simulated)");
        }
        line
    }
}

/// The commit id inside an operator's revision string: Argo CD's plain sha, Flux's
/// `main@sha1:<sha>` (v1) or `main/<sha>` (older). `None` when there is none.
pub fn revision_sha(revision: &str) -> Option<&str> {
    let is_sha = |s: &str| s.len() >= 7 && s.len() <= 64 && s.chars().all(|c| c.is_ascii_hexdigit());
    let tail = if let Some(i) = revision.rfind("sha1:").or_else(|| revision.rfind("sha256:")) {
        &revision[i + revision[i..].find(':').unwrap_or(0) + 1..]
    } else if let Some(i) = revision.rfind('/') {
        &revision[i + 1..]
    } else {
        revision
    };
    is_sha(tail).then_some(tail)
}

#[cfg(test)]
mod tests;
