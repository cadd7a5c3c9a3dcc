//! How server-side apply and strategic merge patch treat each node of an object: granular
//! map, atomic value, list-map with key fields, or set. The list and map types themselves
//! (the upstream `x-kubernetes-*` extensions of built-in kinds, the CRD defaults) are the
//! drift engine's table in `crate::kube::fieldset`; this module only reads a value's node
//! kind off it.

use crate::kube::fieldset::ListType;
pub use crate::kube::fieldset::Schema;
use serde_json::Value;

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

/// The schema of a resource type: built-in kinds follow the upstream table, custom
/// resources the CRD defaults (maps granular, lists atomic).
pub fn for_type(builtin: bool) -> Schema {
    if builtin { Schema::BuiltIn } else { Schema::Custom }
}

/// The node kind of `value` reached through the field names `path` (list items left out).
pub fn node(schema: Schema, path: &[&str], value: &Value) -> NodeKind {
    match value {
        Value::Object(_) if schema.is_atomic_map_at(path) => NodeKind::Atomic,
        Value::Object(_) => NodeKind::Map,
        Value::Array(_) => match schema.list_type_at(path) {
            ListType::Atomic => NodeKind::Atomic,
            ListType::Set => NodeKind::ListSet,
            ListType::Map(keys) => NodeKind::ListMap(keys),
        },
        _ => NodeKind::Atomic,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::kube::fieldset::list_map_key;
    use serde_json::json;

    #[test]
    fn container_ports_key_on_port_and_defaulted_protocol() {
        let path = ["spec", "template", "spec", "containers", "ports"];
        let NodeKind::ListMap(keys) = node(Schema::BuiltIn, &path, &json!([])) else {
            panic!("not a list-map")
        };
        let key = list_map_key(&json!({"containerPort": 80}), keys).map(|k| k.to_key());
        assert_eq!(key.as_deref(), Some(r#"k:{"containerPort":80,"protocol":"TCP"}"#));
    }

    #[test]
    fn selectors_are_atomic_but_labels_are_not() {
        let s = Schema::BuiltIn;
        assert_eq!(node(s, &["spec", "selector"], &json!({})), NodeKind::Atomic);
        assert_eq!(node(s, &["metadata", "labels"], &json!({})), NodeKind::Map);
        assert_eq!(
            node(s, &["spec", "template", "ports"], &json!([])),
            NodeKind::Atomic
        );
        assert!(matches!(
            node(s, &["spec", "ports"], &json!([])),
            NodeKind::ListMap(_)
        ));
        assert_eq!(
            node(Schema::Custom, &["spec", "ports"], &json!([])),
            NodeKind::Atomic
        );
    }
}
