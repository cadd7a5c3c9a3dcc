//! Changes the apiserver refuses because the field is immutable (the 422s of the corpus:
//! StatefulSet volumeClaimTemplates, a Job's pod template, a RoleBinding's roleRef, a
//! Pending claim's size). Predicting them lets the local path say "delete and recreate"
//! before anyone tries to apply.

use super::types::Change;
use crate::kube::fieldset::PathElement;
use serde_json::Value;

/// StatefulSet spec fields that may change after creation.
const STATEFULSET_MUTABLE: [&str; 6] = [
    "replicas",
    "ordinals",
    "template",
    "updateStrategy",
    "persistentVolumeClaimRetentionPolicy",
    "minReadySeconds",
];

/// One reason per immutable field that applying would change, e.g.
/// `.roleRef cannot change on a RoleBinding: delete and recreate it`.
pub fn replace_reasons(group: &str, kind: &str, live: &Value, changes: &[Change]) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for c in changes {
        let names: Vec<&str> = c
            .path
            .0
            .iter()
            .map(|e| match e {
                PathElement::Field(f) => f.as_str(),
                _ => "",
            })
            .collect();
        let Some(field) = immutable_field(group, kind, live, &names) else {
            continue;
        };
        let reason = format!("{field} cannot change on a {kind}: delete and recreate it");
        if !out.contains(&reason) {
            out.push(reason);
        }
    }
    out
}

/// The immutable field (as a path) that `names` falls under, if any.
fn immutable_field(group: &str, kind: &str, live: &Value, names: &[&str]) -> Option<String> {
    let at = |n: usize| format!(".{}", names[..n.min(names.len())].join("."));
    match (group, kind, names) {
        ("apps", "StatefulSet", ["spec", f, ..]) if !STATEFULSET_MUTABLE.contains(f) => Some(at(2)),
        ("apps", "Deployment" | "ReplicaSet" | "DaemonSet", ["spec", "selector", ..]) => Some(at(2)),
        ("batch", "Job", ["spec", "selector" | "template" | "completionMode", ..]) => Some(at(2)),
        ("rbac.authorization.k8s.io", "RoleBinding" | "ClusterRoleBinding", ["roleRef", ..]) => Some(at(1)),
        ("", "PersistentVolumeClaim", ["spec", rest @ ..]) => {
            let bound = live.pointer("/status/phase").and_then(Value::as_str) == Some("Bound");
            // Only a bound claim may grow (resources.requests).
            let resize = matches!(rest, ["resources", "requests", ..]);
            (!(bound && resize)).then(|| at(2 + usize::from(resize)))
        }
        ("", "Service", ["spec", "clusterIP" | "clusterIPs", ..]) => Some(at(2)),
        ("", "ConfigMap" | "Secret", ["data" | "binaryData" | "stringData", ..])
            if live.get("immutable").and_then(Value::as_bool) == Some(true) =>
        {
            Some(at(1))
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::gitops::drift::ChangeOp;
    use crate::kube::fieldset::FieldPath;
    use serde_json::json;

    fn change(names: &[&str]) -> Change {
        Change {
            path: FieldPath::fields(names),
            path_text: String::new(),
            op: ChangeOp::Replace,
            live: None,
            desired: None,
            owners: vec![],
        }
    }

    #[test]
    fn known_immutable_fields() {
        let none = json!({});
        let r =
            |g: &str, k: &str, live: &Value, names: &[&str]| replace_reasons(g, k, live, &[change(names)]);
        assert_eq!(
            r("apps", "StatefulSet", &none, &["spec", "volumeClaimTemplates"]),
            [".spec.volumeClaimTemplates cannot change on a StatefulSet: delete and recreate it"]
        );
        assert!(r("apps", "StatefulSet", &none, &["spec", "template", "spec"]).is_empty());
        assert_eq!(
            r("batch", "Job", &none, &["spec", "template", "spec", "containers"]).len(),
            1
        );
        assert!(r("batch", "Job", &none, &["spec", "activeDeadlineSeconds"]).is_empty());
        assert_eq!(
            r(
                "rbac.authorization.k8s.io",
                "RoleBinding",
                &none,
                &["roleRef", "name"]
            )
            .len(),
            1
        );
        assert!(r("rbac.authorization.k8s.io", "RoleBinding", &none, &["subjects"]).is_empty());
        let pending = json!({"status": {"phase": "Pending"}});
        let bound = json!({"status": {"phase": "Bound"}});
        let size = ["spec", "resources", "requests", "storage"];
        assert_eq!(
            r("", "PersistentVolumeClaim", &pending, &size),
            [".spec.resources.requests cannot change on a PersistentVolumeClaim: delete and recreate it"]
        );
        assert!(r("", "PersistentVolumeClaim", &bound, &size).is_empty());
        assert_eq!(
            r("", "PersistentVolumeClaim", &bound, &["spec", "storageClassName"]).len(),
            1
        );
        let frozen = json!({"immutable": true});
        assert_eq!(r("", "ConfigMap", &frozen, &["data", "k"]).len(), 1);
        assert!(r("", "ConfigMap", &none, &["data", "k"]).is_empty());
    }
}
