//! A sync plan: what syncing one app's revision to one cluster will do, built from the
//! engine's verdicts (a preview of that revision against live) and the rendered objects.
//! OutOfSync and Missing objects are applied; Extra objects, which the engine calls Extra
//! only while their `sextant.dev/tracking-id` names this app, are prune candidates; the
//! rest are left alone. The plan is data: the preview shows it, the confirmation names it,
//! the executor runs it and the audit log records it (never a value).

use super::order::apply_key;
use crate::gitops::engine::{AppReport, SyncStatus};
use crate::gitops::render::DesiredObject;
use crate::gitops::tracking;
use crate::kube::discovery::KindInfo;
use crate::kube::key::ObjectKey;
use serde::Serialize;
use serde_json::Value;

/// What happens to one object.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Change {
    /// Missing: applied, creating it.
    Create,
    /// OutOfSync: applied, changing it.
    Update,
    /// Extra: deleted when prune is confirmed.
    Delete,
}

impl Change {
    pub fn verb(self) -> &'static str {
        match self {
            Change::Create => "create",
            Change::Update => "update",
            Change::Delete => "prune",
        }
    }
}

/// One object of the plan.
#[derive(Debug, Clone, Serialize)]
pub struct PlannedObject {
    pub key: ObjectKey,
    pub api_version: String,
    pub change: Change,
    /// The fields that change (paths only: never a value).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub paths: Vec<String>,
    /// What is applied: the rendered object, stamped. None for a delete.
    #[serde(skip)]
    pub manifest: Option<Value>,
    /// How the cluster serves the kind.
    #[serde(skip)]
    pub kind: Option<KindInfo>,
}

/// An object the sync cannot touch, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Blocked {
    pub key: ObjectKey,
    pub reason: String,
}

/// What syncing one app's revision to one cluster will do.
#[derive(Debug, Clone, Serialize)]
pub struct SyncPlan {
    pub app: String,
    pub cluster: String,
    pub context: String,
    /// The revision synced: abbreviated and full commit ids.
    pub revision: String,
    pub commit: String,
    /// Whether this syncs a revision other than the branch head (an emergency rollback):
    /// the app then shows as pinned until a sync to the head, or until the head renders what
    /// is live.
    pub pinned: bool,
    /// Applied in this order (see `order.rs`).
    pub apply: Vec<PlannedObject>,
    /// Deleted only when prune is confirmed, in reverse apply order.
    pub prune: Vec<PlannedObject>,
    /// Objects already as desired.
    pub unchanged: usize,
    /// Objects the sync cannot touch (unknown kind, the server rejects them in dry-run...).
    pub blocked: Vec<Blocked>,
    /// Files of the revision that did not render: the sync applies what did.
    pub render_errors: Vec<String>,
}

impl SyncPlan {
    /// Nothing to apply and nothing to prune.
    pub fn is_empty(&self) -> bool {
        self.apply.is_empty() && self.prune.is_empty()
    }

    /// Objects applied only to stamp them with this sync's revision (or clear a pin): nothing
    /// else of them changes.
    pub fn restamped(&self) -> usize {
        self.apply
            .iter()
            .filter(|o| {
                !o.paths.is_empty()
                    && o.paths
                        .iter()
                        .all(|p| p.starts_with("metadata.annotations.sextant.dev/"))
            })
            .count()
    }

    /// "update 2, create 1, prune 1 (with --prune), 5 unchanged": what the confirmation says.
    pub fn summary(&self, prune: bool) -> String {
        let count = |c: Change| self.apply.iter().filter(|o| o.change == c).count();
        let mut parts = Vec::new();
        for (c, n) in [
            (Change::Update, count(Change::Update)),
            (Change::Create, count(Change::Create)),
        ] {
            if n > 0 {
                parts.push(format!("{} {n}", c.verb()));
            }
        }
        let restamped = self.restamped();
        if restamped > 0 {
            parts.push(format!(
                "{restamped} of them only re-stamped with {}",
                self.revision
            ));
        }
        if !self.prune.is_empty() {
            let n = self.prune.len();
            parts.push(if prune {
                format!("prune {n}")
            } else {
                format!("{n} to prune (not asked)")
            });
        }
        if parts.is_empty() {
            parts.push("nothing to change".into());
        }
        parts.push(format!("{} unchanged", self.unchanged));
        if !self.blocked.is_empty() {
            parts.push(format!("{} blocked", self.blocked.len()));
        }
        parts.join(", ")
    }
}

/// Where the plan's inputs come from.
pub struct PlanInput<'a> {
    /// The engine's verdicts for the app at the revision, on the cluster.
    pub report: &'a AppReport,
    /// The app's rendered objects at the revision (namespaces defaulted).
    pub desired: &'a [DesiredObject],
    /// The branch head's commit, to tell a pinned sync; `None` when unknown (not pinned).
    pub head: Option<&'a str>,
    /// Only these objects (a selective sync); empty means all of them.
    pub only: &'a [ObjectKey],
}

/// Build the plan. `kind_of` says how the cluster serves an object's kind.
pub fn build(
    input: PlanInput<'_>,
    kind_of: impl Fn(&ObjectKey, Option<&DesiredObject>) -> Result<KindInfo, String>,
) -> SyncPlan {
    let r = input.report;
    let pinned = input.head.is_some_and(|h| !h.is_empty() && h != r.commit);
    let mut plan = SyncPlan {
        app: r.app.clone(),
        cluster: r.cluster.clone(),
        context: r.context.clone(),
        revision: r.revision.clone(),
        commit: r.commit.clone(),
        pinned,
        apply: Vec::new(),
        prune: Vec::new(),
        unchanged: 0,
        blocked: Vec::new(),
        render_errors: r.render_errors.iter().map(|e| e.to_string()).collect(),
    };
    // A revision that does not render cleanly is not synced at all: a file that failed to
    // render would make its objects look Extra, and a prune would delete them.
    if !plan.render_errors.is_empty() {
        let why = format!(
            "not synced: the revision does not render cleanly ({}); fix it first",
            plan.render_errors.join("; ")
        );
        plan.blocked = r
            .objects
            .iter()
            .filter(|o| o.status.is_drift())
            .map(|o| Blocked {
                key: o.key.clone(),
                reason: why.clone(),
            })
            .collect();
        return plan;
    }
    let wanted = |k: &ObjectKey| input.only.is_empty() || input.only.contains(k);
    // A sync to the head of a pinned app re-applies every object, which clears the pin.
    let unpin = !pinned && r.pinned.is_some();
    // The objects say the app runs another commit: a sync stamps every object with this one,
    // so that what the cluster runs is told right (`deployed`, the commit markers).
    let restamp = r.deployed.as_deref().is_some_and(|d| d != r.commit);
    for o in r.objects.iter().filter(|o| wanted(&o.key)) {
        let desired = input.desired.iter().find(|d| d.key == o.key);
        let change = match o.status {
            SyncStatus::Synced if unpin || restamp => Change::Update,
            SyncStatus::Synced => {
                plan.unchanged += 1;
                continue;
            }
            // A custom resource whose CRD this very sync creates: its kind is not served yet.
            SyncStatus::Unknown if defined_by_crd(input.desired, &o.key) => Change::Create,
            SyncStatus::Unknown => {
                let reason = o.reason.clone().unwrap_or_else(|| "its state is unknown".into());
                plan.blocked.push(Blocked {
                    key: o.key.clone(),
                    reason,
                });
                continue;
            }
            SyncStatus::Missing => Change::Create,
            SyncStatus::OutOfSync => Change::Update,
            SyncStatus::Extra => Change::Delete,
        };
        let kind = match kind_of(&o.key, desired) {
            Ok(k) => Some(k),
            // Resolved once the CRD is Established, by the executor.
            Err(_) if defined_by_crd(input.desired, &o.key) => None,
            Err(reason) => {
                plan.blocked.push(Blocked {
                    key: o.key.clone(),
                    reason,
                });
                continue;
            }
        };
        let manifest = match (change, desired) {
            (Change::Delete, _) => None,
            (_, Some(d)) => match stamped(&d.object, &r.app, &r.commit, pinned) {
                Ok(m) => Some(m),
                Err(reason) => {
                    plan.blocked.push(Blocked {
                        key: o.key.clone(),
                        reason,
                    });
                    continue;
                }
            },
            (_, None) => {
                plan.blocked.push(Blocked {
                    key: o.key.clone(),
                    reason: "not rendered at this revision".into(),
                });
                continue;
            }
        };
        let mut paths: Vec<String> = o
            .comparison
            .iter()
            .flat_map(|c| c.changes.iter())
            .map(|c| c.path.trim_start_matches('.').to_string())
            .collect();
        if o.status == SyncStatus::Synced {
            if restamp {
                paths.push(format!("metadata.annotations.{}", tracking::REVISION_ANNOTATION));
            }
            if unpin {
                paths.push(format!("metadata.annotations.{}", tracking::PINNED_ANNOTATION));
            }
        }
        let planned = PlannedObject {
            key: o.key.clone(),
            api_version: o.api_version.clone(),
            change,
            paths,
            manifest,
            kind,
        };
        if change == Change::Delete {
            plan.prune.push(planned);
        } else {
            plan.apply.push(planned);
        }
    }
    plan.apply
        .sort_by(|a, b| apply_key(&a.key).cmp(&apply_key(&b.key)));
    plan.prune
        .sort_by(|a, b| apply_key(&b.key).cmp(&apply_key(&a.key)));
    plan
}

/// Whether a CRD among `desired` serves the kind of `key`.
fn defined_by_crd(desired: &[DesiredObject], key: &ObjectKey) -> bool {
    desired.iter().any(|d| {
        let s = |p: &str| d.object.pointer(p).and_then(Value::as_str).unwrap_or_default();
        d.key.kind == "CustomResourceDefinition"
            && d.key.group == "apiextensions.k8s.io"
            && s("/spec/group") == key.group
            && s("/spec/names/kind") == key.kind
    })
}

/// The rendered object as a sync applies it: tracked as the app's, stamped with the commit,
/// and pinned when the commit is not the branch head.
fn stamped(object: &Value, app: &str, commit: &str, pinned: bool) -> Result<Value, String> {
    let mut body = object.clone();
    tracking::stamp(&mut body, app).map_err(|e| e.to_string())?;
    tracking::stamp_revision(&mut body, commit).map_err(|e| e.to_string())?;
    if pinned {
        tracking::stamp_pinned(&mut body, commit).map_err(|e| e.to_string())?;
    }
    Ok(body)
}
