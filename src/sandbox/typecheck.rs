//! Unknown fields in applied configurations of built-in kinds, found by a round trip through
//! the k8s-openapi types: a field the typed object drops is not declared in the schema (the
//! real server answers such an apply with a 500 "field not declared in schema").

use super::kinds::ResourceType;
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::Value;

fn round_trip<T: DeserializeOwned + Serialize>(v: &Value) -> Option<Value> {
    // Input the typed structs cannot hold (say, a quantity written as a number) is not judged here.
    let typed: T = serde_json::from_value(v.clone()).ok()?;
    serde_json::to_value(typed).ok()
}

fn typed_copy(rt: &ResourceType, v: &Value) -> Option<Value> {
    use k8s_openapi::api::{apps, autoscaling, batch, core, networking, policy, rbac};
    use k8s_openapi::apiextensions_apiserver::pkg::apis::apiextensions::v1 as apiext;
    match (rt.group.as_str(), rt.kind.as_str()) {
        ("", "ConfigMap") => round_trip::<core::v1::ConfigMap>(v),
        ("", "Secret") => round_trip::<core::v1::Secret>(v),
        ("", "Service") => round_trip::<core::v1::Service>(v),
        ("", "ServiceAccount") => round_trip::<core::v1::ServiceAccount>(v),
        ("", "PersistentVolumeClaim") => round_trip::<core::v1::PersistentVolumeClaim>(v),
        ("", "Namespace") => round_trip::<core::v1::Namespace>(v),
        ("", "Pod") => round_trip::<core::v1::Pod>(v),
        ("apps", "Deployment") => round_trip::<apps::v1::Deployment>(v),
        ("apps", "StatefulSet") => round_trip::<apps::v1::StatefulSet>(v),
        ("apps", "DaemonSet") => round_trip::<apps::v1::DaemonSet>(v),
        ("apps", "ReplicaSet") => round_trip::<apps::v1::ReplicaSet>(v),
        ("batch", "Job") => round_trip::<batch::v1::Job>(v),
        ("batch", "CronJob") => round_trip::<batch::v1::CronJob>(v),
        ("networking.k8s.io", "Ingress") => round_trip::<networking::v1::Ingress>(v),
        ("networking.k8s.io", "NetworkPolicy") => round_trip::<networking::v1::NetworkPolicy>(v),
        ("policy", "PodDisruptionBudget") => round_trip::<policy::v1::PodDisruptionBudget>(v),
        ("autoscaling", "HorizontalPodAutoscaler") => {
            round_trip::<autoscaling::v2::HorizontalPodAutoscaler>(v)
        }
        ("rbac.authorization.k8s.io", "Role") => round_trip::<rbac::v1::Role>(v),
        ("rbac.authorization.k8s.io", "ClusterRole") => round_trip::<rbac::v1::ClusterRole>(v),
        ("rbac.authorization.k8s.io", "RoleBinding") => round_trip::<rbac::v1::RoleBinding>(v),
        ("rbac.authorization.k8s.io", "ClusterRoleBinding") => round_trip::<rbac::v1::ClusterRoleBinding>(v),
        ("apiextensions.k8s.io", "CustomResourceDefinition") => {
            round_trip::<apiext::CustomResourceDefinition>(v)
        }
        _ => None,
    }
}

/// The first field of `config` (as `.spec.replicaz`) that the kind does not declare.
pub fn unknown_field(rt: &ResourceType, config: &Value) -> Option<String> {
    if !rt.builtin {
        return None;
    }
    let typed = typed_copy(rt, config)?;
    first_missing(config, &typed, "")
}

fn first_missing(config: &Value, typed: &Value, path: &str) -> Option<String> {
    match (config, typed) {
        (Value::Object(c), Value::Object(t)) => c.iter().filter(|(_, v)| !v.is_null()).find_map(|(k, v)| {
            let here = format!("{path}.{k}");
            match t.get(k) {
                None => Some(here),
                Some(tv) => first_missing(v, tv, &here),
            }
        }),
        (Value::Array(c), Value::Array(t)) => c.iter().zip(t).enumerate().find_map(|(i, (cv, tv))| {
            let item = match cv["name"].as_str() {
                Some(n) => format!("{path}[name=\"{n}\"]"),
                None => format!("{path}[{i}]"),
            };
            first_missing(cv, tv, &item)
        }),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn finds_misspelled_fields_and_accepts_valid_ones() {
        let rt = crate::sandbox::kinds::builtin()
            .into_iter()
            .find(|t| t.kind == "Deployment")
            .expect("kind");
        let good = json!({"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "web", "creationTimestamp": null},
            "spec": {"replicas": 3, "selector": {"matchLabels": {"a": "b"}}, "template": {"spec": {"containers": [
                {"name": "web", "image": "x", "resources": {}, "args": []}]}}}});
        assert_eq!(unknown_field(&rt, &good), None);
        let mut bad = good.clone();
        bad["spec"]["replicaz"] = json!(3);
        assert_eq!(unknown_field(&rt, &bad).as_deref(), Some(".spec.replicaz"));
        let mut deep = good;
        deep["spec"]["template"]["spec"]["containers"][0]["imagePolicy"] = json!("x");
        assert_eq!(
            unknown_field(&rt, &deep).as_deref(),
            Some(".spec.template.spec.containers[name=\"web\"].imagePolicy")
        );
    }
}
