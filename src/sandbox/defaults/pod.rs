//! Pod template defaults: what the API server fills into every pod spec it stores
//! (container policies, volume modes, DNS and scheduling fields, canonical quantities).

use super::{ensure_obj, set};
use crate::sandbox::quantity;
use serde_json::{Value, json};

/// Default a pod template (`metadata` + `spec`), as in Deployment, Job and friends.
pub fn template(t: &mut Value) {
    let Some(obj) = t.as_object_mut() else { return };
    let meta = obj.entry("metadata").or_insert_with(|| json!({}));
    if let Some(m) = meta.as_object_mut() {
        m.entry("creationTimestamp").or_insert(Value::Null);
    }
    if let Some(spec) = obj.get_mut("spec") {
        pod_spec(spec);
    }
}

pub fn pod_spec(spec: &mut Value) {
    let Some(s) = spec.as_object_mut() else { return };
    for list in ["initContainers", "containers"] {
        if let Some(Value::Array(cs)) = s.get_mut(list) {
            cs.iter_mut().for_each(container);
        }
    }
    if let Some(Value::Array(vols)) = s.get_mut("volumes") {
        vols.iter_mut().for_each(volume);
    }
    set(s, "restartPolicy", json!("Always"));
    set(s, "terminationGracePeriodSeconds", json!(30));
    set(s, "dnsPolicy", json!("ClusterFirst"));
    if let Some(sa) = s.get("serviceAccountName").cloned() {
        set(s, "serviceAccount", sa);
    }
    set(s, "securityContext", json!({}));
    set(s, "schedulerName", json!("default-scheduler"));
}

fn container(c: &mut Value) {
    let Some(c) = c.as_object_mut() else { return };
    if let Some(Value::Array(ports)) = c.get_mut("ports") {
        for p in ports.iter_mut().filter_map(Value::as_object_mut) {
            set(p, "protocol", json!("TCP"));
        }
    }
    if let Some(Value::Array(env)) = c.get_mut("env") {
        for e in env.iter_mut() {
            if let Some(fr) = e
                .pointer_mut("/valueFrom/fieldRef")
                .and_then(Value::as_object_mut)
            {
                set(fr, "apiVersion", json!("v1"));
            }
        }
    }
    let res = ensure_obj(c, "resources");
    quantity::canonicalize_map(res.get_mut("requests"));
    quantity::canonicalize_map(res.get_mut("limits"));
    set(c, "terminationMessagePath", json!("/dev/termination-log"));
    set(c, "terminationMessagePolicy", json!("File"));
    let policy = pull_policy(c.get("image").and_then(Value::as_str).unwrap_or(""));
    set(c, "imagePullPolicy", json!(policy));
}

/// `Always` for `:latest` or untagged images, else `IfNotPresent`.
pub fn pull_policy(image: &str) -> &'static str {
    if image.contains('@') {
        return "IfNotPresent";
    }
    let name = image.rsplit('/').next().unwrap_or(image);
    match name.rsplit_once(':') {
        Some((_, tag)) if tag != "latest" => "IfNotPresent",
        _ => "Always",
    }
}

fn volume(v: &mut Value) {
    let Some(v) = v.as_object_mut() else { return };
    for (source, field) in [
        ("configMap", "defaultMode"),
        ("secret", "defaultMode"),
        ("downwardAPI", "defaultMode"),
    ] {
        if let Some(s) = v.get_mut(source).and_then(Value::as_object_mut) {
            set(s, field, json!(420));
        }
    }
    if let Some(p) = v.get_mut("projected").and_then(Value::as_object_mut) {
        set(p, "defaultMode", json!(420));
    }
    if let Some(h) = v.get_mut("hostPath").and_then(Value::as_object_mut) {
        set(h, "type", json!(""));
    }
    if let Some(e) = v.get_mut("emptyDir").and_then(Value::as_object_mut)
        && let Some(limit) = e.get_mut("sizeLimit")
    {
        quantity::canonicalize(limit);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pull_policy_follows_the_tag() {
        assert_eq!(pull_policy("nginx:1.25.3"), "IfNotPresent");
        assert_eq!(pull_policy("busybox"), "Always");
        assert_eq!(pull_policy("nginx:latest"), "Always");
        assert_eq!(pull_policy("localhost:5000/app"), "Always");
        assert_eq!(pull_policy("ghcr.io/x/y@sha256:abc"), "IfNotPresent");
    }
}
