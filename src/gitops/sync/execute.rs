//! Run a sync plan against a cluster: wave by wave (Namespaces, CRDs until Established,
//! other cluster-scoped objects, namespaced objects), concurrently within a wave up to a
//! bound, each object's result streamed as it lands. A failure names the object and the
//! server's message and the rest go on; a cancel stops new writes at once; a cluster that
//! stops answering stops the sync with what was not sent listed. Prune runs last, only with
//! its own permit. Every write goes through `kube::write` with a permit from the gate.

use super::order::Wave;
use super::plan::{Change, PlannedObject, SyncPlan};
use super::result::{Ending, ObjectResult, Outcome, SyncResult, Tally, redact_secret_message};
use crate::gate::Permit;
use crate::kube::discovery::{KindInfo, KindResolver};
use crate::kube::write::{self, Deleted};
use futures::StreamExt;
use kube::Client;
use serde_json::Value;
use std::collections::BTreeMap;
use std::sync::Mutex;
use std::time::Duration;
use tokio::sync::{mpsc, watch};

/// How a sync runs.
#[derive(Debug, Clone)]
pub struct SyncOptions {
    /// Delete the plan's prune candidates (needs a prune permit too).
    pub prune: bool,
    /// Writes in flight at once within a wave.
    pub concurrency: usize,
    /// How long to wait for a CRD to become Established.
    pub crd_wait: Duration,
}

impl Default for SyncOptions {
    fn default() -> Self {
        SyncOptions {
            prune: false,
            concurrency: 32,
            crd_wait: Duration::from_secs(60),
        }
    }
}

/// The gate's permits for one sync: applying, and (when confirmed) pruning.
#[derive(Debug, Clone)]
pub struct Permits {
    pub sync: Permit,
    pub prune: Option<Permit>,
}

/// What stops new writes: a cancel, or the cluster gone.
struct Stop {
    cancel: watch::Receiver<bool>,
    lost: Mutex<Option<String>>,
}

impl Stop {
    /// Why no more writes may start, if so.
    fn reason(&self) -> Option<String> {
        if *self.cancel.borrow() {
            return Some("not sent: the sync was cancelled".into());
        }
        self.lost
            .lock()
            .ok()
            .and_then(|l| l.clone())
            .map(|why| format!("not sent: the cluster stopped answering ({why})"))
    }

    fn lose(&self, why: &str) {
        if let Ok(mut l) = self.lost.lock()
            && l.is_none()
        {
            *l = Some(why.to_string());
        }
    }
}

/// Run `plan` on the cluster `client` talks to. Each object's result goes to `progress` as
/// it lands; the whole result is returned at the end.
pub async fn execute(
    client: &Client,
    plan: &SyncPlan,
    permits: &Permits,
    options: &SyncOptions,
    cancel: watch::Receiver<bool>,
    progress: mpsc::UnboundedSender<ObjectResult>,
) -> SyncResult {
    let stop = Stop {
        cancel,
        lost: Mutex::new(None),
    };
    let mut results: Vec<ObjectResult> = Vec::new();
    let record = |r: ObjectResult, results: &mut Vec<ObjectResult>| {
        let _ = progress.send(r.clone());
        results.push(r);
    };
    // Indices into `plan.apply` (streams of borrowed items trip the spawner's lifetimes).
    let mut waves: BTreeMap<Wave, Vec<usize>> = BTreeMap::new();
    for (i, o) in plan.apply.iter().enumerate() {
        waves.entry(Wave::of(&o.key)).or_default().push(i);
    }
    // Kinds served by a CRD of this very sync: resolved once the CRD is Established.
    let mut resolver: Option<KindResolver> = None;
    // CRDs that did not become Established: (group, kind) -> why.
    let mut unserved: BTreeMap<(String, String), String> = BTreeMap::new();
    for (wave, objects) in waves {
        let mut todo: Vec<(usize, Result<KindInfo, String>)> = Vec::new();
        for i in objects {
            let o = &plan.apply[i];
            let kind = match &o.kind {
                Some(k) => Ok(k.clone()),
                None => match unserved.get(&(o.key.group.clone(), o.key.kind.clone())) {
                    Some(why) => Err(why.clone()),
                    None => {
                        let r =
                            resolver.get_or_insert_with(|| KindResolver::new(client.clone(), &plan.cluster));
                        r.resolve(&o.api_version, &o.key.kind).await
                    }
                },
            };
            todo.push((i, kind));
        }
        let landed: Vec<(ObjectResult, Option<Value>)> = futures::stream::iter(todo)
            .map(|(i, kind)| apply_one(client, plan, permits, &stop, &plan.apply[i], kind))
            .buffered(options.concurrency.max(1))
            .collect()
            .await;
        for (r, stored) in landed {
            if wave == Wave::Crds && r.outcome == Outcome::Applied {
                let name = r.key.name.clone();
                if let Err(why) = write::wait_established(client, &name, options.crd_wait).await {
                    let served = stored.as_ref().map(crd_serves).unwrap_or_default();
                    for gk in served {
                        unserved.insert(gk, format!("not sent: {why}"));
                    }
                    record(
                        ObjectResult {
                            outcome: Outcome::Failed { message: why },
                            ..r
                        },
                        &mut results,
                    );
                    continue;
                }
            }
            record(r, &mut results);
        }
    }
    if options.prune && !plan.prune.is_empty() {
        for r in prune(client, plan, permits, &stop, options).await {
            record(r, &mut results);
        }
    }
    let (ending, message) = if *stop.cancel.borrow() {
        (Ending::Cancelled, None)
    } else if let Some(why) = stop.lost.lock().ok().and_then(|l| l.clone()) {
        (
            Ending::ClusterLost,
            Some(format!("{} stopped answering: {why}", plan.cluster)),
        )
    } else {
        (Ending::Finished, None)
    };
    SyncResult {
        app: plan.app.clone(),
        cluster: plan.cluster.clone(),
        context: plan.context.clone(),
        revision: plan.revision.clone(),
        commit: plan.commit.clone(),
        pinned: plan.pinned,
        prune: options.prune,
        ending,
        message,
        tally: Tally::of(&results),
        results,
    }
}

/// Apply one object, unless the sync stopped; returns its result and what the server stored.
async fn apply_one(
    client: &Client,
    plan: &SyncPlan,
    permits: &Permits,
    stop: &Stop,
    o: &PlannedObject,
    kind: Result<KindInfo, String>,
) -> (ObjectResult, Option<Value>) {
    let result = |outcome| ObjectResult {
        key: o.key.clone(),
        change: o.change,
        outcome,
    };
    if let Some(reason) = stop.reason() {
        return (result(Outcome::Skipped { reason }), None);
    }
    let kind = match kind {
        Ok(k) => k,
        Err(reason) => return (result(Outcome::Skipped { reason }), None),
    };
    let Some(manifest) = &o.manifest else {
        return (
            result(Outcome::Failed {
                message: "nothing to apply (not rendered)".into(),
            }),
            None,
        );
    };
    match write::apply(client, &permits.sync, &plan.context, &kind, manifest).await {
        Ok(stored) => (result(Outcome::Applied), Some(stored)),
        Err(e) => {
            if e.is_unreachable() {
                stop.lose(&e.to_string());
            }
            let message = redact_secret_message(&o.key.kind, &e.to_string());
            (result(Outcome::Failed { message }), None)
        }
    }
}

/// Delete the plan's prune candidates, last kinds first.
async fn prune(
    client: &Client,
    plan: &SyncPlan,
    permits: &Permits,
    stop: &Stop,
    options: &SyncOptions,
) -> Vec<ObjectResult> {
    futures::stream::iter(0..plan.prune.len())
        .map(|i| async move {
            let o = &plan.prune[i];
            let result = |outcome| ObjectResult {
                key: o.key.clone(),
                change: Change::Delete,
                outcome,
            };
            if let Some(reason) = stop.reason() {
                return result(Outcome::Skipped { reason });
            }
            let (Some(permit), Some(kind)) = (&permits.prune, &o.kind) else {
                return result(Outcome::Skipped {
                    reason: "not pruned: prune was not confirmed".into(),
                });
            };
            match write::delete(client, permit, &plan.context, kind, &o.key).await {
                Ok(Deleted::Deleted | Deleted::AlreadyGone) => result(Outcome::Pruned),
                Err(e) => {
                    if e.is_unreachable() {
                        stop.lose(&e.to_string());
                    }
                    result(Outcome::Failed {
                        message: redact_secret_message(&o.key.kind, &e.to_string()),
                    })
                }
            }
        })
        .buffered(options.concurrency.max(1))
        .collect()
        .await
}

/// The (group, kind) a CRD serves.
fn crd_serves(crd: &Value) -> Vec<(String, String)> {
    let s = |p: &str| {
        crd.pointer(p)
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_string()
    };
    vec![(s("/spec/group"), s("/spec/names/kind"))]
}
