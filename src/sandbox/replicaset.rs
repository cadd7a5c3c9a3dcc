//! Simulated ReplicaSets (behind `simulate_controllers`): the deployment controller keeps
//! one ReplicaSet per pod template (`<deployment>-<pod-template-hash>`, owned by the
//! Deployment, older ones scaled to 0), and the replicaset controller creates and deletes
//! the Pods that make up `spec.replicas` (`<replicaset>-<suffix>`, owned by it, labelled with
//! the template's labels), which the kubelet then reports Running and Ready, except those
//! whose image never pulls. Writes are kube-controller-manager's (the kubelet's for Pod
//! status), with the replicaset controller's events.

use super::cluster::Cluster;
use super::controller_events::{self as events, Note};
use super::kinds::ResourceType;
use super::status::ApiError;
use super::store::Store;
use super::write::{self, Op, Target};
use serde_json::{Value, json};
use std::sync::Arc;

const HASH_LABEL: &str = "pod-template-hash";
const KCM: &str = "kube-controller-manager";

/// `pod-template-hash` as the deployment controller spells it: a 32-bit FNV-1a hash of the
/// template, its decimal digits mapped onto the alphabet of generated names.
pub fn pod_template_hash(template: &Value) -> String {
    let h = template.to_string().bytes().fold(0x811c_9dc5u32, |h, b| {
        (h ^ u32::from(b)).wrapping_mul(0x0100_0193)
    });
    safe_encode(&h.to_string())
}

/// Kubernetes' `rand.SafeEncodeString`: bytes onto letters and digits that spell no words.
fn safe_encode(s: &str) -> String {
    const ALPHABET: &[u8] = b"bcdfghjklmnpqrstvwxz2456789";
    s.bytes()
        .map(|b| ALPHABET[usize::from(b) % ALPHABET.len()] as char)
        .collect()
}

fn fnv(s: &str) -> u64 {
    s.bytes().fold(0xcbf2_9ce4_8422_2325u64, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    })
}

/// A new Pod name for a ReplicaSet: a random suffix, but the very first Pod's is derived
/// from the ReplicaSet's name, so that the kubelet's events about it
/// (`controller_events::image_pull_failed`) name a Pod that exists.
fn pod_name(store: &mut Store, rs: &str, first: bool) -> String {
    let seed = if first { rs.to_string() } else { store.uid() };
    format!("{rs}-{}", events::pod_suffix(&seed))
}

fn resource_type(store: &Store, group: &str, resource: &str) -> Option<Arc<ResourceType>> {
    store
        .types
        .iter()
        .find(|t| t.builtin && t.group == group && t.resource == resource)
        .cloned()
}

fn owner_ref(kind: &str, obj: &Value) -> Value {
    json!({"apiVersion": obj["apiVersion"], "kind": kind, "name": obj["metadata"]["name"],
        "uid": obj["metadata"]["uid"], "controller": true, "blockOwnerDeletion": true})
}

/// Whether `obj` is controlled by the object with this uid.
pub fn owned_by(obj: &Value, uid: &str) -> bool {
    obj["metadata"]["ownerReferences"]
        .as_array()
        .is_some_and(|refs| refs.iter().any(|r| r["uid"] == uid && r["controller"] == true))
}

fn run(store: &mut Store, rt: &ResourceType, ns: &str, name: &str, manager: &str, sub: &str, op: Op) {
    let t = Target {
        rt,
        namespace: ns,
        name,
        dry_run: false,
        manager,
        subresource: sub,
    };
    if let Err(e) = write::write(store, &t, op) {
        tracing::debug!(?e, name, "simulated controller write failed");
    }
}

/// `maxSurge` of a rolling update, in Pods (percentages round up, as the controller does).
fn surge(deploy: &Value, replicas: i64) -> i64 {
    let strategy = &deploy["spec"]["strategy"];
    if strategy["type"] == "Recreate" {
        return 0;
    }
    match &strategy["rollingUpdate"]["maxSurge"] {
        Value::Number(n) => n.as_i64().unwrap_or(0),
        Value::String(s) => s
            .strip_suffix('%')
            .and_then(|p| p.parse::<i64>().ok())
            .map(|p| (replicas * p + 99) / 100)
            .unwrap_or(0),
        _ => 0,
    }
}

/// The deployment controller's ReplicaSets for Deployment `ns/name` at `revision`: the one
/// of the current template at `spec.replicas`, every other one it owns at 0. Returns the
/// ReplicaSet of the current template and the names of those it wrote.
pub fn roll(cluster: &Cluster, ns: &str, name: &str, revision: i64) -> (String, Vec<String>) {
    let mut store = cluster.lock();
    let (Some(rs_rt), Some(deploy)) = (
        resource_type(&store, "apps", "replicasets"),
        store.get("apps", "deployments", ns, name),
    ) else {
        return (String::new(), Vec::new());
    };
    let uid = deploy["metadata"]["uid"].as_str().unwrap_or_default().to_string();
    let hash = pod_template_hash(&deploy["spec"]["template"]);
    let current = format!("{name}-{hash}");
    let replicas = deploy["spec"]["replicas"].as_i64().unwrap_or(1);
    let annotations = json!({"deployment.kubernetes.io/desired-replicas": replicas.to_string(),
        "deployment.kubernetes.io/max-replicas": (replicas + surge(&deploy, replicas)).to_string(),
        "deployment.kubernetes.io/revision": revision.to_string()});
    let mut written = Vec::new();
    for old in store.list("apps", "replicasets", Some(ns)) {
        let old_name = old["metadata"]["name"].as_str().unwrap_or_default().to_string();
        if !owned_by(&old, &uid) || old_name == current || old["spec"]["replicas"] == 0 {
            continue;
        }
        let scale = |o: &Value| -> Result<Value, ApiError> {
            let mut n = o.clone();
            n["spec"]["replicas"] = json!(0);
            Ok(n)
        };
        run(&mut store, &rs_rt, ns, &old_name, KCM, "", Op::Patch(&scale));
        written.push(old_name);
    }
    match store.get("apps", "replicasets", ns, &current) {
        Some(rs) => {
            let same = rs["spec"]["replicas"] == replicas
                && annotations
                    .as_object()
                    .into_iter()
                    .flatten()
                    .all(|(k, v)| rs["metadata"]["annotations"][k] == *v);
            if !same {
                let update = |o: &Value| -> Result<Value, ApiError> {
                    let mut n = o.clone();
                    n["spec"]["replicas"] = json!(replicas);
                    for (k, v) in annotations.as_object().into_iter().flatten() {
                        n["metadata"]["annotations"][k] = v.clone();
                    }
                    Ok(n)
                };
                run(&mut store, &rs_rt, ns, &current, KCM, "", Op::Patch(&update));
                written.push(current.clone());
            }
        }
        None => {
            let mut template = deploy["spec"]["template"].clone();
            template["metadata"]["labels"][HASH_LABEL] = json!(hash);
            let mut selector = deploy["spec"]["selector"].clone();
            selector["matchLabels"][HASH_LABEL] = json!(hash);
            let body = json!({"apiVersion": "apps/v1", "kind": "ReplicaSet",
                "metadata": {"name": current, "namespace": ns, "labels": template["metadata"]["labels"],
                    "annotations": annotations, "ownerReferences": [owner_ref("Deployment", &deploy)]},
                "spec": {"replicas": replicas, "minReadySeconds": deploy["spec"]["minReadySeconds"].as_i64().unwrap_or(0),
                    "selector": selector, "template": template}});
            run(&mut store, &rs_rt, ns, &current, KCM, "", Op::Create(body));
            written.push(current.clone());
        }
    }
    (current, written)
}

/// Whether some container's image cannot be pulled on `cluster` (see `controllers`).
fn broken(cluster: &Cluster, spec: &Value) -> bool {
    spec["containers"].as_array().is_some_and(|cs| {
        cs.iter()
            .any(|c| c["image"].as_str().is_some_and(|i| !cluster.can_pull(i)))
    })
}

/// The Pod status the kubelet reports: Running and Ready, or waiting on its image.
fn pod_status(cluster: &Cluster, pod: &Value, ready: bool, now: &str) -> Value {
    let name = pod["metadata"]["name"].as_str().unwrap_or_default();
    let h = fnv(name);
    let spec = &pod["spec"];
    let broken = broken(cluster, spec);
    let running = ready && !broken;
    let containers: Vec<Value> = spec["containers"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|c| {
            let state = if running {
                json!({"running": {"startedAt": now}})
            } else if broken {
                json!({"waiting": {"reason": "ImagePullBackOff",
                    "message": format!("Back-off pulling image {:?}", c["image"].as_str().unwrap_or_default())}})
            } else {
                json!({"waiting": {"reason": "ContainerCreating"}})
            };
            let mut s = json!({"name": c["name"], "image": c["image"], "imageID": "", "lastState": {},
                "ready": running, "restartCount": 0, "started": running, "state": state});
            if running {
                s["containerID"] = json!(format!("containerd://{h:016x}{:016x}", fnv(&format!("{name}/c"))));
            }
            s
        })
        .collect();
    let unready: Vec<&str> = spec["containers"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|c| c["name"].as_str())
        .collect();
    let cond = |kind: &str| {
        let mut c = json!({"type": kind, "status": "True", "lastProbeTime": null, "lastTransitionTime": now});
        if !running && matches!(kind, "Ready" | "ContainersReady") {
            c["status"] = json!("False");
            c["reason"] = json!("ContainersNotReady");
            c["message"] = json!(format!("containers with unready status: [{}]", unready.join(" ")));
        }
        c
    };
    let ip = format!("10.244.{}.{}", (h >> 8) & 0xff, (h & 0xfd) + 2);
    let mut status = json!({"phase": if running { "Running" } else { "Pending" },
        "conditions": [cond("Initialized"), cond("Ready"), cond("ContainersReady"), cond("PodScheduled")],
        "hostIP": "10.0.255.1", "podIP": ip, "podIPs": [{"ip": ip}], "startTime": now,
        "containerStatuses": containers});
    status["qosClass"] = pod["status"]["qosClass"].clone();
    if status["qosClass"].is_null() {
        status.as_object_mut().map(|s| s.remove("qosClass"));
    }
    status
}

/// The replicaset controller for `ns/name`: Pods up or down to `spec.replicas`, their
/// status (`ready`: Running and Ready unless the image is broken), and the ReplicaSet's.
pub fn reconcile(cluster: &Cluster, ns: &str, name: &str, ready: bool) {
    let now = super::clock::now();
    let mut notes: Vec<Note> = Vec::new();
    {
        let mut store = cluster.lock();
        let (Some(rs_rt), Some(pod_rt), Some(rs)) = (
            resource_type(&store, "apps", "replicasets"),
            resource_type(&store, "", "pods"),
            store.get("apps", "replicasets", ns, name),
        ) else {
            return;
        };
        let uid = rs["metadata"]["uid"].as_str().unwrap_or_default().to_string();
        let want = rs["spec"]["replicas"].as_i64().unwrap_or(1).max(0) as usize;
        let mut pods: Vec<Arc<Value>> = store
            .list("", "pods", Some(ns))
            .into_iter()
            .filter(|p| owned_by(p, &uid))
            .collect();
        let about = |message: String, reason: &'static str| Note {
            kind: "Normal",
            reason,
            component: "replicaset-controller",
            about: ("apps/v1", "ReplicaSet", name.to_string()),
            uid: uid.clone(),
            message,
        };
        // The ReplicaSet's status is written once its first Pods exist.
        let mut first = rs["status"]["observedGeneration"].is_null();
        let mut tries = 0;
        while pods.len() < want && tries < want + 16 {
            tries += 1;
            let pod = pod_name(&mut store, name, first);
            first = false;
            if store.get("", "pods", ns, &pod).is_some() {
                continue;
            }
            let template = &rs["spec"]["template"];
            let body = json!({"apiVersion": "v1", "kind": "Pod",
                "metadata": {"name": pod, "generateName": format!("{name}-"), "namespace": ns,
                    "labels": template["metadata"]["labels"], "ownerReferences": [owner_ref("ReplicaSet", &rs)]},
                "spec": template["spec"]});
            run(&mut store, &pod_rt, ns, &pod, KCM, "", Op::Create(body));
            match store.get("", "pods", ns, &pod) {
                Some(p) => pods.push(p),
                None => break,
            }
            notes.push(about(format!("Created pod: {pod}"), "SuccessfulCreate"));
        }
        while pods.len() > want {
            let Some(p) = pods.pop() else { break };
            let pod = p["metadata"]["name"].as_str().unwrap_or_default().to_string();
            if write::delete(&mut store, &pod_rt, ns, &pod, false).is_ok() {
                notes.push(about(format!("Deleted pod: {pod}"), "SuccessfulDelete"));
            }
        }
        let mut running = 0;
        for p in &pods {
            let pod = p["metadata"]["name"].as_str().unwrap_or_default().to_string();
            let status = pod_status(cluster, p, ready, &now);
            if status["phase"] == "Running" {
                running += 1;
            }
            if p["status"]["phase"] != status["phase"] || p["status"]["conditions"].is_null() {
                let set = move |o: &Value| -> Result<Value, ApiError> {
                    let mut n = o.clone();
                    n["status"] = status.clone();
                    Ok(n)
                };
                run(
                    &mut store,
                    &pod_rt,
                    ns,
                    &pod,
                    "kubelet",
                    "status",
                    Op::Patch(&set),
                );
            }
        }
        let mut status = json!({"replicas": pods.len(), "fullyLabeledReplicas": pods.len(),
            "observedGeneration": rs["metadata"]["generation"].as_i64().unwrap_or(1)});
        if running > 0 {
            status["readyReplicas"] = json!(running);
            status["availableReplicas"] = json!(running);
        }
        if rs["status"] != status {
            let set = move |o: &Value| -> Result<Value, ApiError> {
                let mut n = o.clone();
                n["status"] = status.clone();
                Ok(n)
            };
            run(&mut store, &rs_rt, ns, name, KCM, "status", Op::Patch(&set));
        }
    }
    events::record(cluster, ns, notes);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hashes_look_like_the_controllers() {
        let h = pod_template_hash(&json!({"metadata": {"labels": {"app": "web"}}}));
        assert!(!h.is_empty() && h.len() <= 10, "{h}");
        assert!(h.chars().all(|c| "4567896bcdf".contains(c)), "{h}");
        assert_eq!(
            h,
            pod_template_hash(&json!({"metadata": {"labels": {"app": "web"}}}))
        );
        assert_eq!(safe_encode("0123456789"), "456789bcdf");
    }
}
