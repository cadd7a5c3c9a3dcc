//! How server-side apply treats each node of an object: granular map, atomic value, list-map
//! with key fields, or set. Built-in kinds follow the upstream OpenAPI extensions
//! (`x-kubernetes-list-type`, `x-kubernetes-list-map-keys`, `x-kubernetes-map-type`);
//! custom resources follow the CRD defaults (maps granular, lists atomic).

use super::fields::PathElem;
use serde_json::{Map, Value};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NodeKind {
    /// Replaced as a whole; owned as one leaf.
    Atomic,
    /// Merged field by field.
    Map,
    /// Items identified by these key fields and merged.
    ListMap(&'static [&'static str]),
    /// Items identified by their value.
    ListSet,
}

/// Which merge rules apply: the kind decides a few ambiguous names (`ports`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Schema {
    pub builtin: bool,
    pub service: bool,
}

/// Maps that `x-kubernetes-map-type: atomic` makes one leaf (label selectors, refs).
const ATOMIC_MAPS: &[&str] = &[
    "selector",
    "podSelector",
    "namespaceSelector",
    "labelSelector",
    "roleRef",
    "configMapKeyRef",
    "secretKeyRef",
    "fieldRef",
    "resourceFieldRef",
    "nodeSelectorTerms",
];

impl Schema {
    pub fn for_kind(kind: &str, builtin: bool) -> Schema {
        Schema {
            builtin,
            service: builtin && kind == "Service",
        }
    }

    /// The node kind of `value` reached through the field names `path`.
    pub fn node(&self, path: &[&str], value: &Value) -> NodeKind {
        let last = path.last().copied().unwrap_or("");
        match value {
            Value::Object(_) => {
                if self.builtin && ATOMIC_MAPS.contains(&last) && !is_meta(path) {
                    NodeKind::Atomic
                } else {
                    NodeKind::Map
                }
            }
            Value::Array(_) => self.list_kind(path),
            _ => NodeKind::Atomic,
        }
    }

    fn list_kind(&self, path: &[&str]) -> NodeKind {
        let last = path.last().copied().unwrap_or("");
        if path == ["metadata", "finalizers"] {
            return NodeKind::ListSet;
        }
        if path == ["metadata", "ownerReferences"] {
            return NodeKind::ListMap(&["uid"]);
        }
        if !self.builtin {
            return NodeKind::Atomic;
        }
        let in_container = path.len() >= 2
            && matches!(
                path[path.len() - 2],
                "containers" | "initContainers" | "ephemeralContainers"
            );
        match last {
            "containers" | "initContainers" | "ephemeralContainers" => NodeKind::ListMap(&["name"]),
            "ports" if in_container => NodeKind::ListMap(&["containerPort", "protocol"]),
            "ports" if self.service && path == ["spec", "ports"] => NodeKind::ListMap(&["port", "protocol"]),
            "env" if in_container => NodeKind::ListMap(&["name"]),
            "volumeMounts" if in_container => NodeKind::ListMap(&["mountPath"]),
            "volumeDevices" if in_container => NodeKind::ListMap(&["devicePath"]),
            "resizePolicy" if in_container => NodeKind::ListMap(&["resourceName"]),
            "volumes" | "imagePullSecrets" | "resourceClaims" if path.len() >= 2 => {
                NodeKind::ListMap(&["name"])
            }
            "hostAliases" => NodeKind::ListMap(&["ip"]),
            "topologySpreadConstraints" => NodeKind::ListMap(&["topologyKey", "whenUnsatisfiable"]),
            "conditions" if path.first() == Some(&"status") => NodeKind::ListMap(&["type"]),
            _ => NodeKind::Atomic,
        }
    }
}

fn is_meta(path: &[&str]) -> bool {
    path.first() == Some(&"metadata") && path.len() == 2
}

/// The default a missing key field takes when items are matched (`protocol` is `TCP`).
fn key_default(field: &str) -> Option<Value> {
    (field == "protocol").then(|| Value::String("TCP".into()))
}

/// The path element naming `item` in a list-map with `keys`, or `None` when it has no key.
pub fn item_key(keys: &[&str], item: &Value) -> Option<PathElem> {
    let obj = item.as_object()?;
    let mut key = Map::new();
    for k in keys {
        match obj
            .get(*k)
            .filter(|v| !v.is_null())
            .cloned()
            .or_else(|| key_default(k))
        {
            Some(v) => {
                key.insert((*k).to_string(), v);
            }
            None if keys.len() == 1 => return None,
            None => {}
        }
    }
    if key.is_empty() {
        return None;
    }
    serde_json::to_string(&Value::Object(key)).ok().map(PathElem::Key)
}

/// The path element naming a set member.
pub fn set_key(item: &Value) -> PathElem {
    PathElem::Value(serde_json::to_string(item).unwrap_or_default())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn container_ports_key_on_port_and_defaulted_protocol() {
        let s = Schema::for_kind("Deployment", true);
        let path = ["spec", "template", "spec", "containers", "ports"];
        let NodeKind::ListMap(keys) = s.node(&path, &json!([])) else {
            panic!("not a list-map")
        };
        let key = item_key(keys, &json!({"containerPort": 80}));
        assert_eq!(
            key,
            Some(PathElem::Key(r#"{"containerPort":80,"protocol":"TCP"}"#.into()))
        );
    }

    #[test]
    fn selectors_are_atomic_but_labels_are_not() {
        let s = Schema::for_kind("Deployment", true);
        assert_eq!(s.node(&["spec", "selector"], &json!({})), NodeKind::Atomic);
        assert_eq!(s.node(&["metadata", "labels"], &json!({})), NodeKind::Map);
        assert_eq!(s.node(&["spec", "ports"], &json!([])), NodeKind::Atomic);
        let svc = Schema::for_kind("Service", true);
        assert!(matches!(
            svc.node(&["spec", "ports"], &json!([])),
            NodeKind::ListMap(_)
        ));
    }
}
