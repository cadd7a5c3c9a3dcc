//! Simulated controllers (behind `simulate_controllers`): shortly after a workload changes,
//! `kube-controller-manager` writes its status (first progressing, as on the corpus' node-less
//! cluster, then ready; PodDisruptionBudgets too) and the Deployment revision annotation through the status
//! subresource; Deployments get their ReplicaSets and ReplicaSets their Pods (`replicaset`);
//! the ClusterRole aggregation controller fills aggregated rules with SSA.
//! Workloads whose image cannot be pulled (its name contains `broken`, or the cluster's
//! registry lacks it: `Cluster::lack_image`) never become ready: Deployments end with
//! `ProgressDeadlineExceeded`, Jobs with `BackoffLimitExceeded` (Degraded in the cockpit).

use super::cluster::{Cluster, Kick};
use super::controller_events::{self as events, JobStage};
use super::replicaset;
use super::status::ApiError;
use super::write::{self, Op, Target};
use serde_json::{Value, json};
use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::sync::{mpsc, watch};

/// Delay before the first (progressing) status, and before the ready one.
const PROGRESSING_AFTER: Duration = Duration::from_millis(150);
const READY_AFTER: Duration = Duration::from_millis(1500);

/// What the deployment controller last rolled out, per (namespace, name).
#[derive(Debug, Clone)]
struct Rollout {
    template: u64,
    revision: i64,
    replica_set: String,
    replicas: i64,
}

type Revisions = Arc<Mutex<HashMap<(String, String), Rollout>>>;

pub async fn run(
    cluster: Arc<Cluster>,
    mut kicks: mpsc::UnboundedReceiver<Kick>,
    mut stop: watch::Receiver<bool>,
) {
    let revisions: Revisions = Arc::default();
    loop {
        let kick = tokio::select! {
            k = kicks.recv() => k,
            _ = stop.changed() => return,
        };
        let Some((group, resource, ns, name)) = kick else {
            return;
        };
        match (group.as_str(), resource.as_str()) {
            ("apps", "deployments" | "statefulsets" | "daemonsets")
            | ("batch", "jobs")
            | ("policy", "poddisruptionbudgets") => {
                let (cluster, revisions) = (cluster.clone(), revisions.clone());
                tokio::spawn(async move {
                    tokio::time::sleep(PROGRESSING_AFTER).await;
                    reconcile(&cluster, &revisions, &group, &resource, &ns, &name, false);
                    tokio::time::sleep(READY_AFTER).await;
                    reconcile(&cluster, &revisions, &group, &resource, &ns, &name, true);
                });
            }
            ("apps", "replicasets") => {
                let cluster = cluster.clone();
                tokio::spawn(async move {
                    tokio::time::sleep(PROGRESSING_AFTER).await;
                    replicaset::reconcile(&cluster, &ns, &name, false);
                    tokio::time::sleep(READY_AFTER).await;
                    replicaset::reconcile(&cluster, &ns, &name, true);
                });
            }
            ("rbac.authorization.k8s.io", "clusterroles") => {
                let cluster = cluster.clone();
                tokio::spawn(async move {
                    tokio::time::sleep(PROGRESSING_AFTER).await;
                    aggregate_cluster_roles(&cluster);
                });
            }
            _ => {}
        }
    }
}

fn fnv(s: &str) -> u64 {
    s.bytes().fold(0xcbf2_9ce4_8422_2325u64, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    })
}

fn condition(kind: &str, status: &str, reason: &str, message: String, now: &str) -> Value {
    json!({"type": kind, "status": status, "lastUpdateTime": now, "lastTransitionTime": now,
        "reason": reason, "message": message})
}

/// Write `f(object)` through the status subresource as kube-controller-manager.
fn status_write(
    cluster: &Cluster,
    group: &str,
    resource: &str,
    ns: &str,
    name: &str,
    f: &dyn Fn(&Value) -> Option<Value>,
) {
    let mut store = cluster.lock();
    let Some(rt) = store
        .types
        .iter()
        .find(|t| t.group == group && t.resource == resource && t.builtin)
        .cloned()
    else {
        return;
    };
    let Some(current) = store.get(group, resource, ns, name) else {
        return;
    };
    let Some(new) = f(&current) else { return };
    let t = Target {
        rt: &rt,
        namespace: ns,
        name,
        dry_run: false,
        manager: "kube-controller-manager",
        subresource: "status",
    };
    let next = new.clone();
    let op = move |_: &Value| -> Result<Value, ApiError> { Ok(next.clone()) };
    if let Err(e) = write::write(&mut store, &t, Op::Patch(&op)) {
        tracing::debug!(cluster = %cluster.name, ?e, "simulated controller write failed");
    }
}

fn reconcile(
    cluster: &Cluster,
    revisions: &Revisions,
    group: &str,
    resource: &str,
    ns: &str,
    name: &str,
    ready: bool,
) {
    let now = super::clock::now();
    let done = ready;
    let notes = std::cell::RefCell::new(Vec::new());
    let rolled_out = std::cell::Cell::new(0);
    status_write(cluster, group, resource, ns, name, &|obj| {
        let mut new = obj.clone();
        let generation = obj["metadata"]["generation"].as_i64().unwrap_or(1);
        let replicas = obj["spec"]["replicas"].as_i64().unwrap_or(1);
        let template = obj["spec"]["template"].to_string();
        let hash = format!("{:010x}", fnv(&template) & 0xff_ffff_ffff);
        let broken = never_starts(cluster, obj);
        let ready = ready && !broken;
        match resource {
            "deployments" => {
                let rs = format!(
                    "{name}-{}",
                    replicaset::pod_template_hash(&obj["spec"]["template"])
                );
                let revision = {
                    let mut revs = revisions.lock().unwrap_or_else(|p| p.into_inner());
                    let key = (ns.to_string(), name.to_string());
                    let before = revs.get(&key).cloned();
                    let revision = match &before {
                        Some(b) if b.template == fnv(&template) => b.revision,
                        Some(b) => b.revision + 1,
                        None => 1,
                    };
                    let seen = before.as_ref().map(|b| (b.replica_set.as_str(), b.replicas));
                    notes
                        .borrow_mut()
                        .extend(events::deployment_scaled(obj, seen, &rs, replicas));
                    revs.insert(
                        key,
                        Rollout {
                            template: fnv(&template),
                            revision,
                            replica_set: rs.clone(),
                            replicas,
                        },
                    );
                    revision
                };
                rolled_out.set(revision);
                new["metadata"]["annotations"]["deployment.kubernetes.io/revision"] =
                    json!(revision.to_string());
                if broken && done && !has_condition_reason(obj, "ProgressDeadlineExceeded") {
                    notes.borrow_mut().push(events::image_pull_failed(obj, &rs));
                }
                new["status"] = if ready {
                    json!({"observedGeneration": generation, "replicas": replicas, "updatedReplicas": replicas,
                        "readyReplicas": replicas, "availableReplicas": replicas, "conditions": [
                        condition("Available", "True", "MinimumReplicasAvailable", "Deployment has minimum availability.".into(), &now),
                        condition("Progressing", "True", "NewReplicaSetAvailable", format!("ReplicaSet \"{rs}\" has successfully progressed."), &now)]})
                } else {
                    let progressing = if broken && done {
                        condition(
                            "Progressing",
                            "False",
                            "ProgressDeadlineExceeded",
                            format!("ReplicaSet \"{rs}\" has timed out progressing."),
                            &now,
                        )
                    } else {
                        condition(
                            "Progressing",
                            "True",
                            "ReplicaSetUpdated",
                            format!("ReplicaSet \"{rs}\" is progressing."),
                            &now,
                        )
                    };
                    json!({"observedGeneration": generation, "replicas": replicas, "updatedReplicas": replicas,
                        "unavailableReplicas": replicas, "conditions": [
                        condition("Available", "False", "MinimumReplicasUnavailable", "Deployment does not have minimum availability.".into(), &now),
                        progressing]})
                };
                keep_transition_times(obj, &mut new);
            }
            "statefulsets" => {
                let rev = format!("{name}-{}", &hash[..10]);
                let mut s = json!({"observedGeneration": generation, "replicas": replicas, "currentReplicas": replicas,
                    "updatedReplicas": replicas, "currentRevision": rev, "updateRevision": rev, "collisionCount": 0,
                    "availableReplicas": 0});
                if ready {
                    s["readyReplicas"] = json!(replicas);
                    s["availableReplicas"] = json!(replicas);
                }
                new["status"] = s;
            }
            "daemonsets" => {
                new["status"]["observedGeneration"] = json!(generation);
            }
            "poddisruptionbudgets" => {
                let desired = obj["spec"]["minAvailable"].as_i64().unwrap_or(0);
                let allowed = if ready { "True" } else { "False" };
                let reason = if ready {
                    "SufficientPods"
                } else {
                    "InsufficientPods"
                };
                new["status"] = json!({"observedGeneration": generation, "disruptionsAllowed": 0, "currentHealthy": 0,
                    "desiredHealthy": desired, "expectedPods": 0, "conditions": [{"type": "DisruptionAllowed",
                    "status": allowed, "observedGeneration": generation, "lastTransitionTime": now, "reason": reason,
                    "message": ""}]});
                keep_transition_times(obj, &mut new);
            }
            _ => {
                // Jobs: running, then complete.
                let stage = if broken && done {
                    (!has_condition_reason(obj, "BackoffLimitExceeded")).then_some(JobStage::Failed)
                } else if ready {
                    obj["status"]["completionTime"]
                        .is_null()
                        .then_some(JobStage::Completed)
                } else {
                    obj["status"]["startTime"].is_null().then_some(JobStage::Started)
                };
                if broken && done && obj["status"]["startTime"].is_null() {
                    notes.borrow_mut().push(events::job(obj, JobStage::Started));
                }
                notes.borrow_mut().extend(stage.map(|s| events::job(obj, s)));
                let start = obj["status"]["startTime"]
                    .as_str()
                    .map(str::to_string)
                    .unwrap_or(now.clone());
                new["status"] = if broken && done {
                    json!({"startTime": start, "failed": 1, "uncountedTerminatedPods": {}, "ready": 0,
                        "conditions": [{"type": "Failed", "status": "True", "reason": "BackoffLimitExceeded",
                        "message": "Job has reached the specified backoff limit", "lastProbeTime": now,
                        "lastTransitionTime": now}]})
                } else if ready {
                    json!({"startTime": start, "completionTime": now, "succeeded": 1, "uncountedTerminatedPods": {},
                        "ready": 0, "conditions": [{"type": "Complete", "status": "True", "lastProbeTime": now,
                        "lastTransitionTime": now}]})
                } else {
                    json!({"startTime": start, "active": 1, "uncountedTerminatedPods": {}, "ready": 0})
                };
            }
        }
        (new != *obj).then_some(new)
    });
    events::record(cluster, ns, notes.into_inner());
    if resource == "deployments" && rolled_out.get() > 0 {
        let (_, written) = replicaset::roll(cluster, ns, name, rolled_out.get());
        kick_replica_sets(cluster, ns, &written);
    }
}

/// Wake the replicaset controller for ReplicaSets the deployment controller wrote.
fn kick_replica_sets(cluster: &Cluster, ns: &str, names: &[String]) {
    let rt = cluster
        .lock()
        .types
        .iter()
        .find(|t| t.builtin && t.group == "apps" && t.resource == "replicasets")
        .cloned();
    if let Some(rt) = rt {
        for name in names {
            cluster.kick(&rt, ns, name);
        }
    }
}

/// Whether one of the object's status conditions has this reason.
fn has_condition_reason(obj: &Value, reason: &str) -> bool {
    obj["status"]["conditions"]
        .as_array()
        .is_some_and(|cs| cs.iter().any(|c| c["reason"] == reason))
}

/// Workloads with an image the cluster cannot pull (named `broken`, or one its registry
/// lacks) never start, so the demo can show Degraded workloads.
fn never_starts(cluster: &Cluster, obj: &Value) -> bool {
    let spec = &obj["spec"]["template"]["spec"];
    ["containers", "initContainers"].iter().any(|list| {
        spec[*list].as_array().is_some_and(|cs| {
            cs.iter()
                .any(|c| c["image"].as_str().is_some_and(|i| !cluster.can_pull(i)))
        })
    })
}

/// Conditions whose status did not change keep their transition time.
fn keep_transition_times(old: &Value, new: &mut Value) {
    let Some(old_conds) = old["status"]["conditions"].as_array() else {
        return;
    };
    if let Some(conds) = new["status"]["conditions"].as_array_mut() {
        for c in conds.iter_mut() {
            if let Some(o) = old_conds
                .iter()
                .find(|o| o["type"] == c["type"] && o["status"] == c["status"])
            {
                c["lastTransitionTime"] = o["lastTransitionTime"].clone();
            }
        }
    }
}

/// Fill `rules` of every aggregating ClusterRole from the roles its selectors match.
fn aggregate_cluster_roles(cluster: &Cluster) {
    let mut store = cluster.lock();
    let Some(rt) = store
        .types
        .iter()
        .find(|t| t.resource == "clusterroles" && t.builtin)
        .cloned()
    else {
        return;
    };
    let roles = store.list(&rt.group, &rt.resource, None);
    for agg in roles
        .iter()
        .filter(|r| r["aggregationRule"]["clusterRoleSelectors"].is_array())
    {
        let selectors = agg["aggregationRule"]["clusterRoleSelectors"]
            .as_array()
            .cloned()
            .unwrap_or_default();
        let mut rules: Vec<Value> = Vec::new();
        for role in roles
            .iter()
            .filter(|r| r["metadata"]["name"] != agg["metadata"]["name"])
        {
            let labels = &role["metadata"]["labels"];
            let matched = selectors.iter().any(|s| {
                s["matchLabels"]
                    .as_object()
                    .is_some_and(|m| !m.is_empty() && m.iter().all(|(k, v)| &labels[k] == v))
            });
            if matched {
                for r in role["rules"].as_array().into_iter().flatten() {
                    if !rules.contains(r) {
                        rules.push(r.clone());
                    }
                }
            }
        }
        let name = agg["metadata"]["name"].as_str().unwrap_or_default().to_string();
        if agg["rules"] == json!(rules) {
            continue;
        }
        let config = json!({"apiVersion": "rbac.authorization.k8s.io/v1", "kind": "ClusterRole",
            "metadata": {"name": name}, "rules": rules});
        let t = Target {
            rt: &rt,
            namespace: "",
            name: &name,
            dry_run: false,
            manager: "clusterrole-aggregation-controller",
            subresource: "",
        };
        if let Err(e) = write::write(&mut store, &t, Op::Apply { config, force: true }) {
            tracing::debug!(cluster = %cluster.name, ?e, "clusterrole aggregation failed");
        }
    }
}
