//! The identity of a Kubernetes object across Git and clusters: group, kind, namespace, name.

use serde::Serialize;
use serde_json::Value;
use std::fmt;

/// Identifies one object. `namespace` is empty for cluster-scoped objects.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct ObjectKey {
    pub group: String,
    pub kind: String,
    pub namespace: String,
    pub name: String,
}

impl ObjectKey {
    /// The key of a JSON object (`apiVersion`, `kind`, `metadata.namespace`, `metadata.name`).
    /// `None` when kind, apiVersion or name is missing.
    pub fn of(obj: &Value) -> Option<ObjectKey> {
        let api_version = obj.get("apiVersion")?.as_str()?;
        let kind = obj.get("kind")?.as_str()?;
        let meta = obj.get("metadata")?;
        let name = meta.get("name")?.as_str()?;
        let namespace = meta.get("namespace").and_then(Value::as_str).unwrap_or("");
        if kind.is_empty() || name.is_empty() {
            return None;
        }
        Some(ObjectKey {
            group: group_of(api_version).to_string(),
            kind: kind.to_string(),
            namespace: namespace.to_string(),
            name: name.to_string(),
        })
    }

    /// `Deployment guestbook/web`, as people say it.
    pub fn short(&self) -> String {
        if self.namespace.is_empty() {
            format!("{}/{}", self.kind, self.name)
        } else {
            format!("{}/{} -n {}", self.kind, self.name, self.namespace)
        }
    }
}

/// `<group>/<Kind>:<namespace>/<name>`, the form used in the tracking id.
impl fmt::Display for ObjectKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}:{}/{}", self.group, self.kind, self.namespace, self.name)
    }
}

/// The group of an apiVersion: `apps/v1` -> `apps`, `v1` -> `` (core).
pub fn group_of(api_version: &str) -> &str {
    api_version.rsplit_once('/').map(|(g, _)| g).unwrap_or("")
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn key_of_objects() {
        let d =
            json!({"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"web","namespace":"ns"}});
        let k = ObjectKey::of(&d).unwrap();
        assert_eq!(k.to_string(), "apps/Deployment:ns/web");
        let ns = json!({"apiVersion":"v1","kind":"Namespace","metadata":{"name":"team"}});
        assert_eq!(ObjectKey::of(&ns).unwrap().to_string(), "/Namespace:/team");
        assert!(ObjectKey::of(&json!({"kind":"X"})).is_none());
    }
}
