//! The resource types a sandbox cluster serves: the built-in kinds (`catalog`) and the
//! kinds that CustomResourceDefinitions add, with what discovery says about each.

use super::catalog::{self, CUSTOM_VERBS};
use serde_json::Value;
use std::sync::Arc;

/// A subresource as discovery lists it.
#[derive(Debug, Clone, PartialEq)]
pub struct Subresource {
    pub name: String,
    /// The kind it answers with.
    pub kind: String,
    /// That kind's `group/version` where discovery names it (another group's kind, or a
    /// custom resource's own).
    pub group_version: Option<String>,
    pub verbs: &'static [&'static str],
}

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
    /// The verbs discovery lists, in its order.
    pub verbs: Vec<&'static str>,
    /// Every subresource discovery lists (served or not).
    pub subresources: Vec<Subresource>,
    /// Discovery's `storageVersionHash`, for types stored in etcd.
    pub storage_version_hash: Option<String>,
    /// The CRD version's `additionalPrinterColumns`, for custom resources' Tables.
    pub printer_columns: Vec<Value>,
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

/// `storageVersionHash`: the first 8 bytes of the SHA-256 of `group/version/Kind`, base64.
pub fn storage_version_hash(group_version: &str, kind: &str) -> String {
    use base64::Engine;
    use sha2::Digest;
    let gv = if group_version.contains('/') {
        group_version.to_string()
    } else {
        format!("/{group_version}")
    };
    let digest = sha2::Sha256::digest(format!("{gv}/{kind}").as_bytes());
    base64::engine::general_purpose::STANDARD.encode(&digest[..8])
}

/// The built-in resource types, in discovery order.
pub fn builtin() -> Vec<Arc<ResourceType>> {
    catalog::entries()
        .into_iter()
        .map(|e| {
            let subresources: Vec<Subresource> = e
                .subresources
                .iter()
                .map(|name| {
                    let (kind, gv, verbs) = catalog::subresource(name, e.kind);
                    Subresource {
                        name: name.to_string(),
                        kind: kind.unwrap_or_else(|| e.kind.to_string()),
                        group_version: gv.map(str::to_string),
                        verbs,
                    }
                })
                .collect();
            let stored = e.verbs.contains(&"create") && e.verbs.contains(&"watch");
            Arc::new(ResourceType {
                group: e.group.into(),
                version: e.version.into(),
                resource: e.resource.into(),
                singular: e.kind.to_lowercase(),
                kind: e.kind.into(),
                namespaced: e.namespaced,
                short_names: e.short_names.iter().map(|s| s.to_string()).collect(),
                categories: e.categories.iter().map(|s| s.to_string()).collect(),
                status: e.subresources.contains(&"status"),
                scale: e.subresources.contains(&"scale"),
                generation: e.generation,
                builtin: true,
                schema: None,
                verbs: e.verbs,
                subresources,
                storage_version_hash: stored.then(|| storage_version_hash(e.storage, e.kind)),
                printer_columns: Vec::new(),
            })
        })
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
            let version = v["name"].as_str()?;
            let gv = format!("{group}/{version}");
            let mut subresources = Vec::new();
            if v["subresources"].get("scale").is_some() {
                subresources.push(Subresource {
                    name: "scale".into(),
                    kind: "Scale".into(),
                    group_version: Some("autoscaling/v1".into()),
                    verbs: &["get", "patch", "update"],
                });
            }
            if v["subresources"].get("status").is_some() {
                subresources.push(Subresource {
                    name: "status".into(),
                    kind: kind.to_string(),
                    group_version: Some(gv.clone()),
                    verbs: &["get", "patch", "update"],
                });
            }
            let storage = versions
                .iter()
                .find(|s| s["storage"].as_bool() == Some(true))
                .and_then(|s| s["name"].as_str())
                .unwrap_or(version);
            Some(ResourceType {
                group: group.to_string(),
                version: version.to_string(),
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
                verbs: CUSTOM_VERBS.to_vec(),
                subresources,
                storage_version_hash: Some(storage_version_hash(&format!("{group}/{storage}"), kind)),
                printer_columns: v["additionalPrinterColumns"]
                    .as_array()
                    .cloned()
                    .unwrap_or_default(),
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
        // tests/fixtures/apiserver-corpus/discovery/apis-corpus.example.com-v1.json
        assert_eq!(types[0].storage_version_hash.as_deref(), Some("WUg1IzAamzI="));
    }

    #[test]
    fn builtin_storage_version_hashes_are_the_recorded_ones() {
        // tests/fixtures/apiserver-corpus/discovery/api-v1.json, apis-apps-v1.json
        let types = builtin();
        let hash = |r: &str| {
            types
                .iter()
                .find(|t| t.resource == r)
                .and_then(|t| t.storage_version_hash.clone())
        };
        assert_eq!(hash("configmaps").as_deref(), Some("qFsyl6wFWjQ="));
        assert_eq!(hash("deployments").as_deref(), Some("8aSe+NMegvE="));
        assert_eq!(hash("bindings"), None);
    }
}
