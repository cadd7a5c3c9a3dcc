//! Normalization: strip what the server owns and nobody writes in Git, so that live, the
//! dry-run result and the simulated apply compare field by field. Also prepares a desired
//! manifest the way the apiserver would read it (Secret `stringData`, base64 `data`).

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use serde_json::{Map, Value};

/// Metadata fields the server writes on every object.
const SERVER_METADATA: [&str; 8] = [
    "managedFields",
    "resourceVersion",
    "generation",
    "creationTimestamp",
    "uid",
    "selfLink",
    "deletionTimestamp",
    "deletionGracePeriodSeconds",
];

/// Annotations written by clients or controllers as bookkeeping, never by the user: the
/// client-side apply record, the Deployment revision (kube-controller-manager), and the
/// DaemonSet template generation (bumped by the registry on every template change, even
/// inside a dry-run, so it would always look like drift).
pub const NOISE_ANNOTATIONS: [&str; 3] = [
    "kubectl.kubernetes.io/last-applied-configuration",
    "deployment.kubernetes.io/revision",
    "deprecated.daemonset.template.generation",
];

/// A copy of `obj` without server-owned noise: `metadata.managedFields`,
/// `resourceVersion`, `generation`, `creationTimestamp`, `uid`, `selfLink`, deletion
/// markers, the noise annotations and the top-level `status`.
pub fn normalize(obj: &Value) -> Value {
    let mut out = obj.clone();
    let Some(root) = out.as_object_mut() else {
        return out;
    };
    root.remove("status");
    if let Some(meta) = root.get_mut("metadata").and_then(Value::as_object_mut) {
        for k in SERVER_METADATA {
            meta.remove(k);
        }
        // An emptied map stays `{}`, so that live's one user annotation next to a noise
        // one reads as that annotation removed, not as the whole map removed.
        match meta.get_mut("annotations") {
            Some(Value::Object(ann)) => {
                for k in NOISE_ANNOTATIONS {
                    ann.remove(k);
                }
            }
            Some(Value::Null) => {
                meta.remove("annotations");
            }
            _ => {}
        }
    }
    out
}

/// Whether the object is a core/v1 Secret.
pub fn is_secret(obj: &Value) -> bool {
    obj.get("apiVersion").and_then(Value::as_str) == Some("v1")
        && obj.get("kind").and_then(Value::as_str) == Some("Secret")
}

/// Desired as the server would store it, before defaults: normalized, Secret
/// `stringData` folded into `data` (base64; `stringData` wins on a shared key), and `data`
/// re-encoded as canonical one-line base64 (the server decodes wrapped base64).
pub fn prepare_desired(desired: &Value) -> Value {
    let mut out = normalize(desired);
    if !is_secret(&out) {
        return out;
    }
    let Some(root) = out.as_object_mut() else {
        return out;
    };
    let mut data = match root.remove("data") {
        Some(Value::Object(m)) => m,
        _ => Map::new(),
    };
    for v in data.values_mut() {
        if let Some(text) = v.as_str()
            && let Some(bytes) = decode_base64(text)
        {
            *v = Value::String(STANDARD.encode(bytes));
        }
    }
    if let Some(Value::Object(sd)) = root.remove("stringData") {
        for (k, v) in sd {
            let text = match v {
                Value::String(s) => s,
                other => other.to_string(),
            };
            data.insert(k, Value::String(STANDARD.encode(text.as_bytes())));
        }
    }
    if !data.is_empty() {
        root.insert("data".into(), Value::Object(data));
    }
    out
}

/// Decode base64 as Go's decoder does for Secret data: whitespace and newlines ignored.
pub fn decode_base64(text: &str) -> Option<Vec<u8>> {
    let compact: String = text.chars().filter(|c| !c.is_ascii_whitespace()).collect();
    STANDARD.decode(compact).ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn normalize_strips_server_noise_and_keeps_user_fields() {
        let live = json!({
            "apiVersion": "apps/v1", "kind": "Deployment",
            "metadata": {
                "name": "web", "namespace": "corpus", "uid": "u", "resourceVersion": "7",
                "generation": 2, "creationTimestamp": "2026-11-22T02:01:42Z", "managedFields": [],
                "labels": {"app": "web"},
                "annotations": {"deployment.kubernetes.io/revision": "1",
                                "kubectl.kubernetes.io/last-applied-configuration": "{}"}
            },
            "spec": {"replicas": 3, "template": {"metadata": {"creationTimestamp": null}}},
            "status": {"replicas": 3}
        });
        let n = normalize(&live);
        assert_eq!(
            n,
            json!({
                "apiVersion": "apps/v1", "kind": "Deployment",
                "metadata": {"name": "web", "namespace": "corpus", "labels": {"app": "web"}, "annotations": {}},
                "spec": {"replicas": 3, "template": {"metadata": {"creationTimestamp": null}}}
            })
        );
    }

    #[test]
    fn normalize_keeps_user_annotations() {
        let n = normalize(
            &json!({"metadata": {"annotations": {"a": "1", "deprecated.daemonset.template.generation": "3"}}}),
        );
        assert_eq!(n, json!({"metadata": {"annotations": {"a": "1"}}}));
    }

    #[test]
    fn secret_string_data_becomes_data_and_wrapped_base64_is_canonical() {
        let d = json!({
            "apiVersion": "v1", "kind": "Secret", "metadata": {"name": "s"},
            "data": {"wrapped": "aGVs\nbG8=\n", "both": "b2xk"},
            "stringData": {"password": "s3cr3t", "both": "new"}
        });
        let p = prepare_desired(&d);
        assert_eq!(p["data"]["wrapped"], "aGVsbG8=");
        assert_eq!(p["data"]["password"], STANDARD.encode("s3cr3t"));
        assert_eq!(p["data"]["both"], STANDARD.encode("new"));
        assert!(p.get("stringData").is_none());
    }

    #[test]
    fn prepare_leaves_other_kinds_alone() {
        let d = json!({"apiVersion": "v1", "kind": "ConfigMap", "data": {"k": "aGVsbG8="}});
        assert_eq!(prepare_desired(&d), d);
    }
}
