//! Server-side defaulting per kind, reproducing what the real API server stores (see the
//! corpus' `live-after-apply.json`): workload and pod-template defaults, Service allocation,
//! Secret `stringData`, NetworkPolicy policy types, RBAC subjects, HPA behavior, CRD names,
//! and custom-resource schema defaults.

mod pod;
pub mod schema;
mod service;

use super::kinds::ResourceType;
use super::quantity;
use super::store::Store;
use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use serde_json::{Map, Value, json};

/// What defaulting may need beyond the object: the previous version and allocators.
pub struct Ctx<'a> {
    pub store: &'a mut Store,
    pub old: Option<&'a Value>,
    pub dry_run: bool,
}

/// Insert `key: value` when the key is absent (or null).
pub(crate) fn set(m: &mut Map<String, Value>, key: &str, value: Value) {
    match m.get(key) {
        Some(v) if !v.is_null() => {}
        _ => {
            m.insert(key.to_string(), value);
        }
    }
}

/// The object at `key`, created empty when absent.
pub(crate) fn ensure_obj<'m>(m: &'m mut Map<String, Value>, key: &str) -> &'m mut Map<String, Value> {
    let v = m.entry(key).or_insert_with(|| json!({}));
    if !v.is_object() {
        *v = json!({});
    }
    v.as_object_mut().expect("just made an object")
}

/// Apply the defaults of `rt` to `obj`.
pub fn apply(rt: &ResourceType, obj: &mut Value, ctx: &mut Ctx) {
    if !rt.builtin {
        if let Some(schema) = &rt.schema {
            schema::apply_defaults(schema, obj);
        }
        return;
    }
    let Some(o) = obj.as_object_mut() else { return };
    match (rt.group.as_str(), rt.kind.as_str()) {
        ("apps", "Deployment") => {
            let spec = ensure_obj(o, "spec");
            set(spec, "replicas", json!(1));
            let strategy = ensure_obj(spec, "strategy");
            set(strategy, "type", json!("RollingUpdate"));
            if strategy.get("type") == Some(&json!("RollingUpdate")) {
                let ru = ensure_obj(strategy, "rollingUpdate");
                set(ru, "maxUnavailable", json!("25%"));
                set(ru, "maxSurge", json!("25%"));
            }
            set(spec, "revisionHistoryLimit", json!(10));
            set(spec, "progressDeadlineSeconds", json!(600));
            template(spec);
        }
        ("apps", "StatefulSet") => {
            let spec = ensure_obj(o, "spec");
            set(spec, "replicas", json!(1));
            set(spec, "podManagementPolicy", json!("OrderedReady"));
            let us = ensure_obj(spec, "updateStrategy");
            set(us, "type", json!("RollingUpdate"));
            if us.get("type") == Some(&json!("RollingUpdate")) {
                set(ensure_obj(us, "rollingUpdate"), "partition", json!(0));
            }
            set(spec, "revisionHistoryLimit", json!(10));
            set(
                spec,
                "persistentVolumeClaimRetentionPolicy",
                json!({"whenDeleted": "Retain", "whenScaled": "Retain"}),
            );
            if let Some(Value::Array(vcts)) = spec.get_mut("volumeClaimTemplates") {
                for t in vcts.iter_mut().filter_map(Value::as_object_mut) {
                    set(t, "apiVersion", json!("v1"));
                    set(t, "kind", json!("PersistentVolumeClaim"));
                    ensure_obj(t, "metadata")
                        .entry("creationTimestamp")
                        .or_insert(Value::Null);
                    pvc_spec(ensure_obj(t, "spec"));
                    set(t, "status", json!({"phase": "Pending"}));
                }
            }
            template(spec);
        }
        ("apps", "DaemonSet") => {
            let spec = ensure_obj(o, "spec");
            let us = ensure_obj(spec, "updateStrategy");
            set(us, "type", json!("RollingUpdate"));
            if us.get("type") == Some(&json!("RollingUpdate")) {
                let ru = ensure_obj(us, "rollingUpdate");
                set(ru, "maxUnavailable", json!(1));
                set(ru, "maxSurge", json!(0));
            }
            set(spec, "revisionHistoryLimit", json!(10));
            template(spec);
        }
        ("apps", "ReplicaSet") => {
            let spec = ensure_obj(o, "spec");
            set(spec, "replicas", json!(1));
            template(spec);
        }
        ("batch", "Job") => {
            let spec = ensure_obj(o, "spec");
            job_spec(spec);
        }
        ("batch", "CronJob") => {
            let spec = ensure_obj(o, "spec");
            set(spec, "concurrencyPolicy", json!("Allow"));
            set(spec, "suspend", json!(false));
            set(spec, "successfulJobsHistoryLimit", json!(3));
            set(spec, "failedJobsHistoryLimit", json!(1));
            let jt = ensure_obj(spec, "jobTemplate");
            ensure_obj(jt, "metadata")
                .entry("creationTimestamp")
                .or_insert(Value::Null);
            template(ensure_obj(jt, "spec"));
        }
        ("", "Service") => service::defaults(o, ctx),
        ("", "Secret") => secret(o),
        ("", "Namespace") => {
            let name = o
                .get("metadata")
                .and_then(|m| m.get("name"))
                .cloned()
                .unwrap_or(json!(""));
            let meta = ensure_obj(o, "metadata");
            ensure_obj(meta, "labels").insert("kubernetes.io/metadata.name".into(), name);
            set(ensure_obj(o, "spec"), "finalizers", json!(["kubernetes"]));
        }
        ("", "PersistentVolumeClaim") => pvc_spec(ensure_obj(o, "spec")),
        ("", "Pod") => pod::pod_spec(o.entry("spec").or_insert_with(|| json!({}))),
        ("networking.k8s.io", "NetworkPolicy") => network_policy(ensure_obj(o, "spec")),
        ("rbac.authorization.k8s.io", "RoleBinding" | "ClusterRoleBinding") => {
            if let Some(Value::Array(subjects)) = o.get_mut("subjects") {
                for s in subjects.iter_mut().filter_map(Value::as_object_mut) {
                    if matches!(s.get("kind").and_then(Value::as_str), Some("User" | "Group")) {
                        set(s, "apiGroup", json!("rbac.authorization.k8s.io"));
                    }
                }
            }
        }
        ("autoscaling", "HorizontalPodAutoscaler") => hpa(ensure_obj(o, "spec")),
        // `rules` is not omitted when empty: a ClusterRole waiting for aggregation has null.
        ("rbac.authorization.k8s.io", "Role" | "ClusterRole") => {
            o.entry("rules").or_insert(Value::Null);
        }
        ("apiextensions.k8s.io", "CustomResourceDefinition") => {
            let spec = ensure_obj(o, "spec");
            let names = ensure_obj(spec, "names");
            let kind = names
                .get("kind")
                .and_then(Value::as_str)
                .unwrap_or_default()
                .to_string();
            set(names, "singular", json!(kind.to_lowercase()));
            set(names, "listKind", json!(format!("{kind}List")));
            set(spec, "conversion", json!({"strategy": "None"}));
        }
        _ => {}
    }
}

fn template(spec: &mut Map<String, Value>) {
    if let Some(t) = spec.get_mut("template") {
        pod::template(t);
    }
}

fn job_spec(spec: &mut Map<String, Value>) {
    set(spec, "parallelism", json!(1));
    set(spec, "completions", json!(1));
    set(spec, "backoffLimit", json!(6));
    set(spec, "completionMode", json!("NonIndexed"));
    set(spec, "suspend", json!(false));
    template(spec);
}

fn pvc_spec(spec: &mut Map<String, Value>) {
    set(spec, "volumeMode", json!("Filesystem"));
    if let Some(r) = spec.get_mut("resources").and_then(Value::as_object_mut) {
        quantity::canonicalize_map(r.get_mut("requests"));
        quantity::canonicalize_map(r.get_mut("limits"));
    }
}

fn network_policy(spec: &mut Map<String, Value>) {
    for dir in ["ingress", "egress"] {
        if let Some(Value::Array(rules)) = spec.get_mut(dir) {
            for rule in rules.iter_mut() {
                if let Some(Value::Array(ports)) = rule.get_mut("ports") {
                    for p in ports.iter_mut().filter_map(Value::as_object_mut) {
                        set(p, "protocol", json!("TCP"));
                    }
                }
            }
        }
    }
    if spec.get("policyTypes").is_none_or(Value::is_null) {
        let mut types = vec![json!("Ingress")];
        if spec.get("egress").is_some_and(|e| !e.is_null()) {
            types.push(json!("Egress"));
        }
        spec.insert("policyTypes".into(), Value::Array(types));
    }
}

fn hpa(spec: &mut Map<String, Value>) {
    set(spec, "minReplicas", json!(1));
    if let Some(Value::Array(metrics)) = spec.get_mut("metrics") {
        for m in metrics.iter_mut() {
            for kind in ["resource", "pods", "object", "external", "containerResource"] {
                if let Some(t) = m
                    .pointer_mut(&format!("/{kind}/target"))
                    .and_then(Value::as_object_mut)
                {
                    for q in ["averageValue", "value"] {
                        if let Some(v) = t.get_mut(q) {
                            quantity::canonicalize(v);
                        }
                    }
                }
            }
        }
    }
    let Some(b) = spec.get_mut("behavior").and_then(Value::as_object_mut) else {
        return;
    };
    let up = ensure_obj(b, "scaleUp");
    set(up, "stabilizationWindowSeconds", json!(0));
    set(up, "selectPolicy", json!("Max"));
    set(
        up,
        "policies",
        json!([{"type": "Pods", "value": 4, "periodSeconds": 15},
        {"type": "Percent", "value": 100, "periodSeconds": 15}]),
    );
    let down = ensure_obj(b, "scaleDown");
    set(down, "selectPolicy", json!("Max"));
    set(
        down,
        "policies",
        json!([{"type": "Percent", "value": 100, "periodSeconds": 15}]),
    );
}

/// `stringData` folds into `data` (and is never stored); `data` is re-encoded on one line.
fn secret(o: &mut Map<String, Value>) {
    set(o, "type", json!("Opaque"));
    let string_data = o.remove("stringData");
    let data = ensure_obj(o, "data");
    for v in data.values_mut() {
        if let Some(s) = v.as_str() {
            let compact: String = s.chars().filter(|c| !c.is_whitespace()).collect();
            if let Ok(bytes) = STANDARD.decode(compact.as_bytes()) {
                *v = json!(STANDARD.encode(bytes));
            }
        }
    }
    if let Some(Value::Object(sd)) = string_data {
        for (k, v) in sd {
            let text = v.as_str().map(str::to_string).unwrap_or_else(|| v.to_string());
            data.insert(k, json!(STANDARD.encode(text.as_bytes())));
        }
    }
    if data.is_empty() {
        o.remove("data");
    }
}

/// The status a freshly created object starts with, before any controller writes.
pub fn initial_status(rt: &ResourceType) -> Option<Value> {
    if !rt.builtin {
        return None;
    }
    Some(match rt.kind.as_str() {
        "Deployment" | "CronJob" | "Job" => json!({}),
        "ReplicaSet" => json!({"replicas": 0}),
        "StatefulSet" => json!({"replicas": 0, "availableReplicas": 0}),
        "DaemonSet" => {
            json!({"currentNumberScheduled": 0, "numberMisscheduled": 0, "desiredNumberScheduled": 0, "numberReady": 0})
        }
        "HorizontalPodAutoscaler" => json!({"desiredReplicas": 0, "currentMetrics": null}),
        "Service" | "Ingress" => json!({"loadBalancer": {}}),
        "PodDisruptionBudget" => {
            json!({"disruptionsAllowed": 0, "currentHealthy": 0, "desiredHealthy": 0, "expectedPods": 0})
        }
        "Namespace" => json!({"phase": "Active"}),
        "PersistentVolumeClaim" | "Pod" => json!({"phase": "Pending"}),
        "CustomResourceDefinition" => {
            json!({"conditions": null, "acceptedNames": {"plural": "", "kind": ""}})
        }
        _ => return None,
    })
}
