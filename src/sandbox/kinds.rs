//! The resource types a sandbox cluster serves: the built-in kinds and the kinds that
//! CustomResourceDefinitions add, with what discovery says about each.

use serde_json::Value;
use std::sync::Arc;

#[derive(Debug, Clone, PartialEq)]
pub struct ResourceType {
    pub group: String,
    pub version: String,
    /// Plural resource name used in URLs.
    pub resource: String,
    pub singular: String,
    pub kind: String,
    pub namespaced: bool,
    pub short_names: Vec<String>,
    pub categories: Vec<String>,
    /// Has a `/status` subresource (status is ignored on the main resource).
    pub status: bool,
    /// Has a `/scale` subresource.
    pub scale: bool,
    /// `metadata.generation` is kept and bumped on spec changes.
    pub generation: bool,
    /// Built-in kind (schema known to the sandbox) rather than a custom resource.
    pub builtin: bool,
    /// The CRD's `openAPIV3Schema` for custom resources.
    pub schema: Option<Value>,
}

impl ResourceType {
    pub fn api_version(&self) -> String {
        if self.group.is_empty() {
            self.version.clone()
        } else {
            format!("{}/{}", self.group, self.version)
        }
    }

    /// `Deployment.apps`, `Widget.corpus.example.com`, `PersistentVolumeClaim`: how Status
    /// messages name the kind.
    pub fn qualified_kind(&self) -> String {
        if self.group.is_empty() {
            self.kind.clone()
        } else {
            format!("{}.{}", self.kind, self.group)
        }
    }

    pub fn list_kind(&self) -> String {
        format!("{}List", self.kind)
    }
}

/// (group, version, plural, kind, namespaced, short names, status, scale, generation, categories)
type Row = (
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    bool,
    &'static [&'static str],
    bool,
    bool,
    bool,
    bool,
);

#[rustfmt::skip]
const BUILTIN: &[Row] = &[
    ("", "v1", "configmaps", "ConfigMap", true, &["cm"], false, false, false, false),
    ("", "v1", "endpoints", "Endpoints", true, &["ep"], false, false, false, false),
    ("", "v1", "events", "Event", true, &["ev"], false, false, false, false),
    ("", "v1", "namespaces", "Namespace", false, &["ns"], true, false, false, false),
    ("", "v1", "persistentvolumeclaims", "PersistentVolumeClaim", true, &["pvc"], true, false, false, false),
    ("", "v1", "pods", "Pod", true, &["po"], true, false, false, true),
    ("", "v1", "secrets", "Secret", true, &[], false, false, false, false),
    ("", "v1", "serviceaccounts", "ServiceAccount", true, &["sa"], false, false, false, false),
    ("", "v1", "services", "Service", true, &["svc"], true, false, false, true),
    ("apps", "v1", "daemonsets", "DaemonSet", true, &["ds"], true, false, true, true),
    ("apps", "v1", "deployments", "Deployment", true, &["deploy"], true, true, true, true),
    ("apps", "v1", "replicasets", "ReplicaSet", true, &["rs"], true, true, true, true),
    ("apps", "v1", "statefulsets", "StatefulSet", true, &["sts"], true, true, true, true),
    ("autoscaling", "v2", "horizontalpodautoscalers", "HorizontalPodAutoscaler", true, &["hpa"], true, false, false, true),
    ("batch", "v1", "cronjobs", "CronJob", true, &["cj"], true, false, true, true),
    ("batch", "v1", "jobs", "Job", true, &[], true, false, true, true),
    ("networking.k8s.io", "v1", "ingresses", "Ingress", true, &["ing"], true, false, true, false),
    ("networking.k8s.io", "v1", "networkpolicies", "NetworkPolicy", true, &["netpol"], false, false, true, false),
    ("policy", "v1", "poddisruptionbudgets", "PodDisruptionBudget", true, &["pdb"], true, false, true, false),
    ("rbac.authorization.k8s.io", "v1", "clusterrolebindings", "ClusterRoleBinding", false, &[], false, false, false, false),
    ("rbac.authorization.k8s.io", "v1", "clusterroles", "ClusterRole", false, &[], false, false, false, false),
    ("rbac.authorization.k8s.io", "v1", "rolebindings", "RoleBinding", true, &[], false, false, false, false),
    ("rbac.authorization.k8s.io", "v1", "roles", "Role", true, &[], false, false, false, false),
    ("apiextensions.k8s.io", "v1", "customresourcedefinitions", "CustomResourceDefinition", false, &["crd", "crds"], true, false, true, false),
];

/// The built-in resource types, in discovery order.
pub fn builtin() -> Vec<Arc<ResourceType>> {
    BUILTIN
        .iter()
        .map(
            |&(group, version, resource, kind, namespaced, short, status, scale, generation, all)| {
                let mut categories = Vec::new();
                if all {
                    categories.push("all".to_string());
                }
                if group == "apiextensions.k8s.io" {
                    categories.push("api-extensions".to_string());
                }
                Arc::new(ResourceType {
                    group: group.into(),
                    version: version.into(),
                    resource: resource.into(),
                    singular: kind.to_lowercase(),
                    kind: kind.into(),
                    namespaced,
                    short_names: short.iter().map(|s| s.to_string()).collect(),
                    categories,
                    status,
                    scale,
                    generation,
                    builtin: true,
                    schema: None,
                })
            },
        )
        .collect()
}

/// The resource types a CustomResourceDefinition object serves (one per served version).
pub fn from_crd(crd: &Value) -> Vec<ResourceType> {
    let spec = &crd["spec"];
    let (Some(group), Some(kind), Some(plural)) = (
        spec["group"].as_str(),
        spec["names"]["kind"].as_str(),
        spec["names"]["plural"].as_str(),
    ) else {
        return Vec::new();
    };
    let singular = spec["names"]["singular"]
        .as_str()
        .map(str::to_string)
        .unwrap_or_else(|| kind.to_lowercase());
    let strings = |v: &Value| -> Vec<String> {
        v.as_array()
            .map(|a| a.iter().filter_map(|s| s.as_str().map(str::to_string)).collect())
            .unwrap_or_default()
    };
    let versions = spec["versions"].as_array().cloned().unwrap_or_default();
    versions
        .iter()
        .filter(|v| v["served"].as_bool().unwrap_or(false))
        .filter_map(|v| {
            Some(ResourceType {
                group: group.to_string(),
                version: v["name"].as_str()?.to_string(),
                resource: plural.to_string(),
                singular: singular.clone(),
                kind: kind.to_string(),
                namespaced: spec["scope"].as_str() != Some("Cluster"),
                short_names: strings(&spec["names"]["shortNames"]),
                categories: strings(&spec["names"]["categories"]),
                status: v["subresources"].get("status").is_some(),
                scale: v["subresources"].get("scale").is_some(),
                generation: true,
                builtin: false,
                schema: v["schema"].get("openAPIV3Schema").cloned(),
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn crd_serves_each_served_version() {
        let crd = json!({"spec":{"group":"corpus.example.com","names":{"kind":"Widget","plural":"widgets"},
            "scope":"Namespaced","versions":[{"name":"v1","served":true,"storage":true,"subresources":{"status":{}},
            "schema":{"openAPIV3Schema":{"type":"object"}}},{"name":"v0","served":false}]}});
        let types = from_crd(&crd);
        assert_eq!(types.len(), 1);
        assert_eq!(types[0].singular, "widget");
        assert!(types[0].status && types[0].namespaced && !types[0].builtin);
        assert_eq!(types[0].qualified_kind(), "Widget.corpus.example.com");
    }
}
