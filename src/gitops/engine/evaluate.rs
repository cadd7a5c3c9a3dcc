//! Per-object verdicts: compare locally over the watch cache (the fast path), then confirm
//! suspected drift with server-side apply dry-runs, run concurrently and cached by
//! (hash of desired, live resourceVersion). A 403 on dry-run falls back to the local verdict.

use super::compare::{self, Comparison};
use super::report::{ObjectReport, SyncStatus, VerdictPath};
use crate::gitops::render::DesiredObject;
use crate::gitops::tracking::{self, APP_LABEL, TRACKING_ANNOTATION, is_tracked_by};
use crate::kube::apply::{DryRunError, dry_run_apply};
use crate::kube::discovery::KindInfo;
use crate::kube::key::ObjectKey;
use futures::StreamExt;
use serde_json::Value;
use std::collections::HashMap;
use std::hash::{Hash, Hasher};

/// How many dry-runs run at once per cluster.
const DRY_RUN_CONCURRENCY: usize = 16;

/// One object to evaluate: its desired state (none for a possible Extra), live state, and kind.
pub struct Pending<'a> {
    pub app: &'a str,
    pub key: ObjectKey,
    pub desired: Option<&'a DesiredObject>,
    pub live: Option<&'a Value>,
    /// The kind as the cluster serves it, or why it cannot be used.
    pub kind: Result<&'a KindInfo, String>,
}

/// A cached dry-run answer for one object.
struct CachedDryRun {
    desired_hash: u64,
    resource_version: String,
    result: Result<Value, DryRunError>,
}

/// Evaluates objects on one cluster; owns the dry-run cache.
pub struct Evaluator {
    client: Option<kube::Client>,
    cache: HashMap<ObjectKey, CachedDryRun>,
    /// Set after the first 403 on a dry-run: later ones are not attempted.
    pub dry_run_forbidden: Option<String>,
    /// Dry-runs sent so far (for tests and benchmarks).
    pub dry_runs_sent: usize,
}

impl Evaluator {
    /// `client` is `None` to never dry-run (local comparison only).
    pub fn new(client: Option<kube::Client>) -> Evaluator {
        Evaluator {
            client,
            cache: HashMap::new(),
            dry_run_forbidden: None,
            dry_runs_sent: 0,
        }
    }

    /// Verdicts for `pending`, in the same order.
    pub async fn evaluate(&mut self, pending: Vec<Pending<'_>>) -> Vec<ObjectReport> {
        let mut reports: Vec<Option<ObjectReport>> = Vec::with_capacity(pending.len());
        // (index, key, kind, body to dry-run, desired hash, live resourceVersion)
        let mut to_confirm = Vec::new();
        for (idx, p) in pending.iter().enumerate() {
            match self.local(p) {
                Ok(report) => reports.push(Some(report)),
                Err((kind, body)) => {
                    let rv = resource_version(p.live);
                    let hash = hash_of(&body);
                    reports.push(None);
                    to_confirm.push((idx, kind.clone(), body, hash, rv));
                }
            }
        }
        if !to_confirm.is_empty() {
            self.run_dry_runs(&to_confirm, &pending).await;
        }
        let mut out = Vec::with_capacity(pending.len());
        for (idx, (p, report)) in pending.iter().zip(reports).enumerate() {
            match report {
                Some(r) => out.push(r),
                None => out.push(self.confirmed(p, idx, &to_confirm)),
            }
        }
        out
    }

    /// The local verdict, or (kind, body) when drift is suspected and a dry-run should confirm it.
    #[allow(clippy::result_large_err)]
    fn local<'p>(&self, p: &'p Pending<'_>) -> Result<ObjectReport, (&'p KindInfo, Value)> {
        let Some(desired) = p.desired else {
            return Ok(self.extra_or_gone(p));
        };
        let base = base_report(p, Some(desired));
        let kind = match &p.kind {
            Ok(k) => *k,
            Err(reason) => {
                return Ok(ObjectReport {
                    reason: Some(reason.clone()),
                    ..base
                });
            }
        };
        let Some(live) = p.live else {
            return Ok(ObjectReport {
                status: SyncStatus::Missing,
                health: "Missing".into(),
                comparison: Some(compare::one_sided(Some(&desired.object), None)),
                ..base
            });
        };
        let body = desired_for(p.app, desired, live);
        let base = with_health(base, live);
        let local = match compare::compare_local(&body, live) {
            Ok(c) => c,
            Err(e) => {
                return Ok(ObjectReport {
                    reason: Some(e),
                    ..base
                });
            }
        };
        if !local.drift {
            return Ok(verdict(base, VerdictPath::Local, local, None));
        }
        if self.client.is_none() || self.dry_run_forbidden.is_some() {
            let note = self
                .dry_run_forbidden
                .as_ref()
                .map(|r| format!("dry-run forbidden ({r}): compared locally"));
            return Ok(verdict(base, VerdictPath::Local, local, note));
        }
        Err((kind, body))
    }

    fn extra_or_gone(&self, p: &Pending<'_>) -> ObjectReport {
        let base = base_report(p, None);
        match p.live {
            // Extra only while the tracking id still names this app and object.
            Some(live) if is_tracked_by(live, p.app) => ObjectReport {
                status: SyncStatus::Extra,
                comparison: Some(compare::one_sided(None, Some(live))),
                reason: Some(
                    "tracked as this app's on the cluster, no longer in Git: a prune candidate".into(),
                ),
                ..with_health(base, live)
            },
            _ => ObjectReport {
                reason: Some(format!(
                    "labelled {APP_LABEL} but its {TRACKING_ANNOTATION} does not match"
                )),
                ..base
            },
        }
    }

    async fn run_dry_runs(
        &mut self,
        to_confirm: &[(usize, KindInfo, Value, u64, String)],
        pending: &[Pending<'_>],
    ) {
        let Some(client) = self.client.clone() else { return };
        let misses: Vec<(usize, KindInfo, Value, u64, String)> = to_confirm
            .iter()
            .filter(|(idx, _, _, hash, rv)| {
                !self
                    .cache
                    .get(&pending[*idx].key)
                    .is_some_and(|c| c.desired_hash == *hash && c.resource_version == *rv)
            })
            .cloned()
            .collect();
        self.dry_runs_sent += misses.len();
        let results: Vec<_> = futures::stream::iter(misses)
            .map(|item| confirm_one(client.clone(), item))
            .buffer_unordered(DRY_RUN_CONCURRENCY)
            .collect()
            .await;
        for (idx, desired_hash, resource_version, result) in results {
            if let Err(DryRunError::Forbidden(reason)) = &result {
                self.dry_run_forbidden.get_or_insert_with(|| reason.clone());
            }
            let key = pending[idx].key.clone();
            self.cache.insert(
                key,
                CachedDryRun {
                    desired_hash,
                    resource_version,
                    result,
                },
            );
        }
    }

    fn confirmed(
        &self,
        p: &Pending<'_>,
        idx: usize,
        to_confirm: &[(usize, KindInfo, Value, u64, String)],
    ) -> ObjectReport {
        let base = base_report(p, p.desired);
        let (Some(live), Some((_, _, body, _, _))) = (p.live, to_confirm.iter().find(|t| t.0 == idx)) else {
            return ObjectReport {
                reason: Some("internal: no dry-run for a suspected drift".into()),
                ..base
            };
        };
        let base = with_health(base, live);
        let cached = self.cache.get(&p.key).map(|c| &c.result);
        let (cmp, path, note) = match cached {
            Some(Ok(preview)) => (
                compare::compare_preview(body, live, preview),
                VerdictPath::Preview,
                None,
            ),
            Some(Err(DryRunError::Rejected { code, message })) => (
                compare::compare_rejected(body, live, *code, message),
                VerdictPath::Local,
                None,
            ),
            Some(Err(DryRunError::Forbidden(r))) => (
                compare::compare_local(body, live),
                VerdictPath::Local,
                Some(format!("dry-run forbidden ({r}): compared locally")),
            ),
            Some(Err(e)) => (
                compare::compare_local(body, live),
                VerdictPath::Local,
                Some(format!("{e}; compared locally")),
            ),
            None => (compare::compare_local(body, live), VerdictPath::Local, None),
        };
        match cmp {
            Ok(cmp) => verdict(base, path, cmp, note),
            Err(e) => ObjectReport {
                reason: Some(e),
                ..base
            },
        }
    }

    /// Drop cached dry-runs of objects no longer evaluated.
    pub fn retain(&mut self, keep: impl Fn(&ObjectKey) -> bool) {
        self.cache.retain(|k, _| keep(k));
    }
}

async fn confirm_one(
    client: kube::Client,
    (idx, kind, body, hash, rv): (usize, KindInfo, Value, u64, String),
) -> (usize, u64, String, Result<Value, DryRunError>) {
    let result = dry_run_apply(&client, &kind, &body).await;
    (idx, hash, rv, result)
}

fn base_report(p: &Pending<'_>, desired: Option<&DesiredObject>) -> ObjectReport {
    let obj = desired.map(|d| &d.object).or(p.live);
    ObjectReport {
        key: p.key.clone(),
        api_version: obj
            .and_then(|o| o.get("apiVersion"))
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_string(),
        status: SyncStatus::Unknown,
        health: "Unknown".into(),
        health_message: None,
        health_counts_as: None,
        reason: None,
        source: desired.map(|d| d.source.clone()),
        path: VerdictPath::None,
        comparison: None,
    }
}

/// `base` with the health of the live object.
fn with_health(mut base: ObjectReport, live: &Value) -> ObjectReport {
    base.set_health(&compare::health(live));
    base
}

fn verdict(base: ObjectReport, path: VerdictPath, cmp: Comparison, note: Option<String>) -> ObjectReport {
    let status = if cmp.drift {
        SyncStatus::OutOfSync
    } else {
        SyncStatus::Synced
    };
    ObjectReport {
        status,
        path,
        reason: note.or_else(|| cmp.note.clone()),
        comparison: Some(cmp),
        ..base
    }
}

/// What Sextant would apply: desired plus its tracking label and annotation, but only when
/// live already carries them (an object applied by other means is not re-stamped as drift),
/// and live's `sextant.dev/revision` and `sextant.dev/pinned` as they are (which commit was
/// synced, and whether it was pinned, is not drift).
fn desired_for(app: &str, desired: &DesiredObject, live: &Value) -> Value {
    let mut body = desired.object.clone();
    // A desired object always has apiVersion, kind and name (render checked), so stamping
    // cannot fail; if it did, comparing the unstamped object is still correct.
    if tracking::tracking_of(live).is_some() {
        let _ = tracking::stamp(&mut body, app);
    }
    if let Some(commit) = tracking::revision_of(live) {
        let _ = tracking::stamp_revision(&mut body, commit);
    }
    if let Some(commit) = tracking::pinned_of(live) {
        let _ = tracking::stamp_pinned(&mut body, commit);
    }
    body
}

fn resource_version(live: Option<&Value>) -> String {
    live.and_then(|l| l.pointer("/metadata/resourceVersion"))
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_string()
}

fn hash_of(v: &Value) -> u64 {
    let mut h = std::collections::hash_map::DefaultHasher::new();
    v.to_string().hash(&mut h);
    h.finish()
}
