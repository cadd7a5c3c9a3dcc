//! The Events the simulated controllers record, shaped like kube-controller-manager's
//! (core/v1, `involvedObject`, `source.component`, `count`): a Deployment scaling its
//! ReplicaSets, a Job creating its Pod, completing or hitting its backoff limit, and the image
//! pull failures of a workload that never starts (about its Pod, as the kubelet reports them).

use super::cluster::Cluster;
use super::write::{self, Op, Target};
use serde_json::{Value, json};
use std::sync::atomic::{AtomicU64, Ordering};

/// One event to record.
pub struct Note {
    /// `Normal` or `Warning`.
    pub kind: &'static str,
    pub reason: &'static str,
    /// The component that reports it: `deployment-controller`, `job-controller`, `kubelet`.
    pub component: &'static str,
    /// What it is about: (apiVersion, kind, name); the object's own uid when it is the workload.
    pub about: (&'static str, &'static str, String),
    pub uid: String,
    pub message: String,
}

/// What the deployment controller says when a rollout or a scale moves ReplicaSets.
/// `before` is the (ReplicaSet, replicas) it last saw, `None` for a new Deployment.
pub fn deployment_scaled(obj: &Value, before: Option<(&str, i64)>, rs: &str, replicas: i64) -> Vec<Note> {
    let note = |message: String| Note {
        kind: "Normal",
        reason: "ScalingReplicaSet",
        component: "deployment-controller",
        about: ("apps/v1", "Deployment", name_of(obj)),
        uid: uid_of(obj),
        message,
    };
    match before {
        None => vec![note(format!("Scaled up replica set {rs} to {replicas}"))],
        Some((old_rs, _)) if old_rs != rs => vec![
            note(format!("Scaled up replica set {rs} to {replicas}")),
            note(format!("Scaled down replica set {old_rs} to 0 from {replicas}")),
        ],
        Some((_, old)) if old < replicas => vec![note(format!(
            "Scaled up replica set {rs} to {replicas} from {old}"
        ))],
        Some((_, old)) if old > replicas => vec![note(format!(
            "Scaled down replica set {rs} to {replicas} from {old}"
        ))],
        Some(_) => Vec::new(),
    }
}

/// The kubelet's warning about a Pod of ReplicaSet (or Job) `owner` whose image never pulls.
pub fn image_pull_failed(obj: &Value, owner: &str) -> Note {
    let image = obj
        .pointer("/spec/template/spec/containers/0/image")
        .and_then(Value::as_str)
        .unwrap_or("?");
    Note {
        kind: "Warning",
        reason: "Failed",
        component: "kubelet",
        about: ("v1", "Pod", format!("{owner}-{}", pod_suffix(owner))),
        uid: String::new(),
        message: format!(
            "Failed to pull image \"{image}\": rpc error: code = NotFound desc = failed to pull and unpack image \"{image}\": not found"
        ),
    }
}

/// The job controller's events: its Pod created, then completed or out of retries.
pub fn job(obj: &Value, stage: JobStage) -> Note {
    let name = name_of(obj);
    let (kind, reason, message) = match stage {
        JobStage::Started => (
            "Normal",
            "SuccessfulCreate",
            format!("Created pod: {name}-{}", pod_suffix(&name)),
        ),
        JobStage::Completed => ("Normal", "Completed", "Job completed".to_string()),
        JobStage::Failed => (
            "Warning",
            "BackoffLimitExceeded",
            "Job has reached the specified backoff limit".to_string(),
        ),
    };
    Note {
        kind,
        reason,
        component: "job-controller",
        about: ("batch/v1", "Job", name),
        uid: uid_of(obj),
        message,
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum JobStage {
    Started,
    Completed,
    Failed,
}

/// Store `notes` as Events in namespace `ns`, as kube-controller-manager would.
pub fn record(cluster: &Cluster, ns: &str, notes: Vec<Note>) {
    if notes.is_empty() {
        return;
    }
    let mut store = cluster.lock();
    let Some(rt) = store
        .types
        .iter()
        .find(|t| t.group.is_empty() && t.resource == "events")
        .cloned()
    else {
        return;
    };
    let now = super::clock::now();
    for n in notes {
        let name = format!("{}.{:016x}", n.about.2, next_suffix());
        let body = json!({
            "apiVersion": "v1",
            "kind": "Event",
            "metadata": {"name": name, "namespace": ns},
            "involvedObject": {"apiVersion": n.about.0, "kind": n.about.1, "name": n.about.2,
                "namespace": ns, "uid": n.uid},
            "reason": n.reason,
            "message": n.message,
            "type": n.kind,
            "source": {"component": n.component},
            "reportingComponent": n.component,
            "reportingInstance": "",
            "firstTimestamp": now,
            "lastTimestamp": now,
            "count": 1,
        });
        let t = Target {
            rt: &rt,
            namespace: ns,
            name: &name,
            dry_run: false,
            manager: "kube-controller-manager",
            subresource: "",
        };
        if let Err(e) = write::write(&mut store, &t, Op::Create(body)) {
            tracing::debug!(cluster = %cluster.name, ?e, "simulated event write failed");
        }
    }
}

fn name_of(obj: &Value) -> String {
    obj.pointer("/metadata/name")
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_string()
}

fn uid_of(obj: &Value) -> String {
    obj.pointer("/metadata/uid")
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_string()
}

/// A stable five-letter Pod suffix, like the ones ReplicaSets and Jobs generate.
pub fn pod_suffix(owner: &str) -> String {
    const ALPHABET: &[u8] = b"bcdfghjklmnpqrstvwxz2456789";
    let mut h = owner.bytes().fold(0x9e37_79b9_7f4a_7c15u64, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    });
    (0..5)
        .map(|_| {
            let c = ALPHABET[(h % ALPHABET.len() as u64) as usize] as char;
            h /= ALPHABET.len() as u64;
            c
        })
        .collect()
}

/// Unique event name suffixes (the apiserver's are the time in hex nanoseconds).
fn next_suffix() -> u64 {
    static SEQ: AtomicU64 = AtomicU64::new(0);
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_nanos() as u64)
        .unwrap_or(0);
    nanos.wrapping_add(SEQ.fetch_add(1, Ordering::Relaxed))
}
