//! Applied configurations of built-in kinds checked through the k8s-openapi types: a field
//! the typed round trip drops is not declared in the schema, and a string where a number or
//! boolean belongs is the wrong type (the real server answers both with a 500).

use super::kinds::ResourceType;
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::Value;

/// What the typed decode says: the object as the types keep it, a string where a number
/// or boolean belongs (path, complaint), or nothing to judge.
enum Typed {
    Value(Value),
    WrongType(String),
    Unjudged,
}

fn round_trip<T: DeserializeOwned + Serialize>(v: &Value) -> Typed {
    match serde_json::from_value::<T>(v.clone()) {
        Ok(typed) => serde_json::to_value(typed)
            .map(Typed::Value)
            .unwrap_or(Typed::Unjudged),
        // Only strings where numbers or booleans belong are judged: other mismatches (a
        // quantity written as a number) are input the real server accepts.
        Err(e) => wrong_type(v, &e.to_string())
            .map(Typed::WrongType)
            .unwrap_or(Typed::Unjudged),
    }
}

/// `invalid type: string "three", expected i32` -> `.spec.replicas: expected numeric (int or float), got string`
fn wrong_type(v: &Value, err: &str) -> Option<String> {
    let rest = err.strip_prefix("invalid type: string \"")?;
    let (text, expected) = rest.split_once("\", expected ")?;
    let expected = expected.split(" at ").next().unwrap_or(expected);
    let want = match expected {
        "i32" | "i64" | "u32" | "u64" | "f64" | "f32" => "numeric (int or float)",
        "a boolean" => "boolean",
        _ => return None,
    };
    let path = find_string(v, text, "")?;
    Some(format!("{path}: expected {want}, got string"))
}

fn find_string(v: &Value, text: &str, path: &str) -> Option<String> {
    match v {
        Value::String(s) if s == text => Some(path.to_string()),
        Value::Object(m) => m
            .iter()
            .find_map(|(k, c)| find_string(c, text, &format!("{path}.{k}"))),
        Value::Array(a) => a
            .iter()
            .enumerate()
            .find_map(|(i, c)| find_string(c, text, &format!("{path}[{i}]"))),
        _ => None,
    }
}

fn typed_copy(rt: &ResourceType, v: &Value) -> Typed {
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
        _ => Typed::Unjudged,
    }
}

/// What is wrong with an applied configuration of a built-in kind, worded like the server:
/// `.spec.replicaz: field not declared in schema`, `.spec.replicas: expected numeric ...`.
pub fn problem(rt: &ResourceType, config: &Value) -> Option<String> {
    if !rt.builtin {
        return None;
    }
    match typed_copy(rt, config) {
        Typed::Value(typed) => {
            first_missing(config, &typed, "").map(|p| format!("{p}: field not declared in schema"))
        }
        Typed::WrongType(msg) => Some(msg),
        Typed::Unjudged => None,
    }
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
        assert_eq!(problem(&rt, &good), None);
        let mut bad = good.clone();
        bad["spec"]["replicaz"] = json!(3);
        assert_eq!(
            problem(&rt, &bad).as_deref(),
            Some(".spec.replicaz: field not declared in schema")
        );
        let mut wrong = good.clone();
        wrong["spec"]["replicas"] = json!("three");
        assert_eq!(
            problem(&rt, &wrong).as_deref(),
            Some(".spec.replicas: expected numeric (int or float), got string")
        );
        let mut deep = good;
        deep["spec"]["template"]["spec"]["containers"][0]["imagePolicy"] = json!("x");
        assert_eq!(
            problem(&rt, &deep).as_deref(),
            Some(".spec.template.spec.containers[name=\"web\"].imagePolicy: field not declared in schema")
        );
    }
}
