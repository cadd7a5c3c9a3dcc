//! Field sets as Kubernetes tracks them in `managedFields` (the `FieldsV1` format of
//! structured-merge-diff), the list/map semantics of built-in kinds that decide how an
//! object breaks into field paths, and who owns which path.
//!
//! A `FieldsV1` document is a trie. Each key names one step of a path: `f:<field>` for a
//! struct or map field, `k:<json>` for a list-map item by its key fields, `v:<json>` for a
//! set item, `i:<n>` for an atomic list index; `.` means "the path leading here is itself a
//! member". A step whose value is `{}` is a leaf member.

use serde_json::{Map, Value};
use std::collections::BTreeMap;
use std::fmt;

/// One step of a field path.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum PathElement {
    /// A field of a struct or a key of a map: `f:replicas`.
    Field(String),
    /// A list-map item, by its key fields in key order: `k:{"name":"web"}`.
    Key(Vec<(String, KeyValue)>),
    /// A set item, by value (the JSON text): `v:"finalizer.example.com"`.
    Value(String),
    /// An index into a list: `i:0`.
    Index(usize),
}

/// A scalar key of a list-map item. Keys are strings or integers in every built-in kind.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum KeyValue {
    Str(String),
    Int(i64),
    Bool(bool),
    /// Anything else, as JSON text.
    Other(String),
}

impl KeyValue {
    fn from_json(v: &Value) -> KeyValue {
        match v {
            Value::String(s) => KeyValue::Str(s.clone()),
            Value::Number(n) if n.is_i64() => KeyValue::Int(n.as_i64().unwrap_or_default()),
            Value::Bool(b) => KeyValue::Bool(*b),
            other => KeyValue::Other(other.to_string()),
        }
    }

    fn to_json(&self) -> Value {
        match self {
            KeyValue::Str(s) => Value::String(s.clone()),
            KeyValue::Int(i) => Value::from(*i),
            KeyValue::Bool(b) => Value::Bool(*b),
            KeyValue::Other(t) => serde_json::from_str(t).unwrap_or(Value::Null),
        }
    }

    /// Whether a JSON value equals this key value.
    pub fn matches(&self, v: &Value) -> bool {
        KeyValue::from_json(v) == *self
    }
}

impl fmt::Display for KeyValue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            KeyValue::Str(s) => f.write_str(s),
            KeyValue::Int(i) => write!(f, "{i}"),
            KeyValue::Bool(b) => write!(f, "{b}"),
            KeyValue::Other(t) => f.write_str(t),
        }
    }
}

impl PathElement {
    /// Parse one FieldsV1 key (`f:name`, `k:{...}`, `v:...`, `i:3`).
    pub fn parse(key: &str) -> Result<PathElement, FieldSetError> {
        let bad = || FieldSetError::BadKey(key.to_string());
        let (prefix, rest) = key.split_at_checked(2).ok_or_else(bad)?;
        match prefix {
            "f:" => Ok(PathElement::Field(rest.to_string())),
            "v:" => {
                serde_json::from_str::<Value>(rest).map_err(|_| bad())?;
                Ok(PathElement::Value(rest.to_string()))
            }
            "i:" => rest.parse().map(PathElement::Index).map_err(|_| bad()),
            "k:" => match serde_json::from_str::<Value>(rest).map_err(|_| bad())? {
                Value::Object(m) => Ok(PathElement::Key(
                    m.iter()
                        .map(|(k, v)| (k.clone(), KeyValue::from_json(v)))
                        .collect(),
                )),
                _ => Err(bad()),
            },
            _ => Err(bad()),
        }
    }

    /// The FieldsV1 key for this element.
    pub fn to_key(&self) -> String {
        match self {
            PathElement::Field(f) => format!("f:{f}"),
            PathElement::Value(v) => format!("v:{v}"),
            PathElement::Index(i) => format!("i:{i}"),
            PathElement::Key(kv) => {
                // structured-merge-diff writes key fields sorted by name.
                let m: BTreeMap<&str, Value> = kv.iter().map(|(k, v)| (k.as_str(), v.to_json())).collect();
                format!("k:{}", serde_json::to_string(&m).unwrap_or_default())
            }
        }
    }
}

/// A path from the object root, e.g. `.spec.template.spec.containers[name=web].image`.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct FieldPath(pub Vec<PathElement>);

impl FieldPath {
    pub fn fields(names: &[&str]) -> FieldPath {
        FieldPath(
            names
                .iter()
                .map(|n| PathElement::Field((*n).to_string()))
                .collect(),
        )
    }

    pub fn child(&self, e: PathElement) -> FieldPath {
        let mut p = self.0.clone();
        p.push(e);
        FieldPath(p)
    }

    pub fn starts_with(&self, prefix: &FieldPath) -> bool {
        self.0.starts_with(&prefix.0)
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// The value at this path in `obj`, if any (list-map items matched by their keys, with
    /// the default `protocol: TCP` applied to port keys as the server does).
    pub fn resolve<'a>(&self, obj: &'a Value) -> Option<&'a Value> {
        let mut cur = obj;
        for e in &self.0 {
            cur = match e {
                PathElement::Field(f) => cur.as_object()?.get(f)?,
                PathElement::Index(i) => cur.as_array()?.get(*i)?,
                PathElement::Value(v) => {
                    let want: Value = serde_json::from_str(v).ok()?;
                    cur.as_array()?.iter().find(|x| **x == want)?
                }
                PathElement::Key(kv) => cur.as_array()?.iter().find(|item| item_matches_key(item, kv))?,
            };
        }
        Some(cur)
    }
}

fn item_matches_key(item: &Value, kv: &[(String, KeyValue)]) -> bool {
    let Some(m) = item.as_object() else { return false };
    kv.iter().all(|(k, want)| match m.get(k) {
        Some(v) => want.matches(v),
        None => k == "protocol" && *want == KeyValue::Str("TCP".into()),
    })
}

impl fmt::Display for FieldPath {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.0.is_empty() {
            return f.write_str(".");
        }
        for e in &self.0 {
            match e {
                PathElement::Field(n) => write!(f, ".{n}")?,
                PathElement::Index(i) => write!(f, "[{i}]")?,
                PathElement::Value(v) => write!(f, "[={v}]")?,
                PathElement::Key(kv) => {
                    f.write_str("[")?;
                    for (i, (k, v)) in kv.iter().enumerate() {
                        if i > 0 {
                            f.write_str(",")?;
                        }
                        write!(f, "{k}={v}")?;
                    }
                    f.write_str("]")?;
                }
            }
        }
        Ok(())
    }
}

/// A malformed `fieldsV1` document.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FieldSetError {
    #[error("malformed managedFields key {0:?}")]
    BadKey(String),
    #[error("malformed managedFields: expected an object at {0}")]
    NotAnObject(String),
}

/// A set of field paths, stored as a trie like `FieldsV1`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FieldSet {
    /// The path leading to this node is itself in the set.
    member: bool,
    children: BTreeMap<PathElement, FieldSet>,
}

impl FieldSet {
    pub fn new() -> FieldSet {
        FieldSet::default()
    }

    /// Decode a `fieldsV1` value.
    pub fn from_fields_v1(v: &Value) -> Result<FieldSet, FieldSetError> {
        // `at` is the path so far, named only in an error: the server decodes every
        // stored object's entries on each write, so the happy path builds no paths.
        fn walk(v: &Value, at: &mut FieldPath) -> Result<FieldSet, FieldSetError> {
            let m = v
                .as_object()
                .ok_or_else(|| FieldSetError::NotAnObject(at.to_string()))?;
            let mut node = FieldSet {
                member: m.is_empty(),
                children: BTreeMap::new(),
            };
            for (k, child) in m {
                if k == "." {
                    node.member = true;
                    continue;
                }
                at.0.push(PathElement::parse(k)?);
                let sub = walk(child, at)?;
                if let Some(e) = at.0.pop() {
                    node.children.insert(e, sub);
                }
            }
            Ok(node)
        }
        let mut set = walk(v, &mut FieldPath::default())?;
        // The root is never a member, even when the document is `{}`.
        set.member = false;
        Ok(set)
    }

    /// Encode as a `fieldsV1` value.
    pub fn to_fields_v1(&self) -> Value {
        fn walk(n: &FieldSet) -> Value {
            let mut m = Map::new();
            if n.member && !n.children.is_empty() {
                m.insert(".".into(), Value::Object(Map::new()));
            }
            // Nodes left empty by set edits are not part of the set.
            for (e, c) in n.children.iter().filter(|(_, c)| !c.is_empty()) {
                m.insert(e.to_key(), walk(c));
            }
            Value::Object(m)
        }
        walk(self)
    }

    pub fn is_empty(&self) -> bool {
        !self.member && self.children.values().all(FieldSet::is_empty)
    }

    pub fn insert(&mut self, path: &FieldPath) {
        let mut node = self;
        for e in &path.0 {
            node = node.children.entry(e.clone()).or_default();
        }
        node.member = true;
    }

    pub fn contains(&self, path: &FieldPath) -> bool {
        self.node(path).is_some_and(|n| n.member)
    }

    /// Whether the set holds this path, anything below it, or a leaf above it (an atomic
    /// ancestor owns everything beneath it).
    pub fn touches(&self, path: &FieldPath) -> bool {
        let mut node = self;
        for e in &path.0 {
            if node.member && node.children.is_empty() {
                return true;
            }
            match node.children.get(e) {
                Some(n) => node = n,
                None => return false,
            }
        }
        !node.is_empty()
    }

    /// The node at `path`, if any part of the set lies there.
    pub fn node(&self, path: &FieldPath) -> Option<&FieldSet> {
        let mut node = self;
        for e in &path.0 {
            node = node.children.get(e)?;
        }
        Some(node)
    }

    /// Every member path, in order.
    pub fn paths(&self) -> Vec<FieldPath> {
        fn walk(n: &FieldSet, at: &mut Vec<PathElement>, out: &mut Vec<FieldPath>) {
            if n.member && !at.is_empty() {
                out.push(FieldPath(at.clone()));
            }
            for (e, c) in &n.children {
                at.push(e.clone());
                walk(c, at, out);
                at.pop();
            }
        }
        let mut out = Vec::new();
        walk(self, &mut Vec::new(), &mut out);
        out
    }

    /// Member paths with no members below them (the leaves).
    pub fn leaves(&self) -> Vec<FieldPath> {
        self.paths()
            .into_iter()
            .filter(|p| self.node(p).is_some_and(|n| n.children.is_empty()))
            .collect()
    }
}

/// How a list field merges.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ListType {
    /// Replaced as a whole (the default for lists with no declared merge key).
    Atomic,
    /// A set of scalars (`x-kubernetes-list-type: set`).
    Set,
    /// A list of objects keyed by these fields (`x-kubernetes-list-map-keys`).
    Map(&'static [&'static str]),
}

/// Which schema knowledge applies: built-in kinds use the table below; custom resources
/// without a published schema treat every list as atomic, as the apiserver does.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Schema {
    BuiltIn,
    Custom,
}

impl Schema {
    /// The schema for an apiVersion's group: built-in groups end in `k8s.io` or are core/apps/…
    pub fn for_api_version(api_version: &str) -> Schema {
        let group = api_version.rsplit_once('/').map(|(g, _)| g).unwrap_or("");
        let builtin =
            matches!(group, "" | "apps" | "batch" | "autoscaling" | "policy") || group.ends_with(".k8s.io");
        if builtin { Schema::BuiltIn } else { Schema::Custom }
    }

    /// The merge type of the list at `parent.field`.
    pub fn list_type(self, parent: &FieldPath, field: &str) -> ListType {
        self.list_type_at(&field_names(parent, field))
    }

    /// The merge type of the list reached through the field names `names` (list items
    /// left out: `spec.template.spec.containers.ports`), the way a walk over a value sees it.
    pub fn list_type_at(self, names: &[&str]) -> ListType {
        match names {
            ["metadata", "finalizers"] => return ListType::Set,
            ["metadata", "ownerReferences"] => return ListType::Map(&["uid"]),
            ["metadata", _] => return ListType::Atomic,
            _ if self == Schema::Custom => return ListType::Atomic,
            _ => {}
        }
        let [.., parent, field] = names else {
            return ListType::Atomic;
        };
        // Only a container item has these fields below a container list.
        let in_container = matches!(*parent, "containers" | "initContainers" | "ephemeralContainers");
        match *field {
            "containers" | "initContainers" | "ephemeralContainers" => ListType::Map(&["name"]),
            "ports" if in_container => ListType::Map(&["containerPort", "protocol"]),
            // Only a Service has `spec.ports` among the built-in kinds.
            "ports" if names == ["spec", "ports"] => ListType::Map(&["port", "protocol"]),
            "env" if in_container => ListType::Map(&["name"]),
            "volumeMounts" if in_container => ListType::Map(&["mountPath"]),
            "volumeDevices" if in_container => ListType::Map(&["devicePath"]),
            "resizePolicy" if in_container => ListType::Map(&["resourceName"]),
            "volumes" | "imagePullSecrets" | "resourceClaims" if names.len() >= 2 => ListType::Map(&["name"]),
            "hostAliases" => ListType::Map(&["ip"]),
            "topologySpreadConstraints" => ListType::Map(&["topologyKey", "whenUnsatisfiable"]),
            "conditions" if names.first() == Some(&"status") => ListType::Map(&["type"]),
            _ => ListType::Atomic,
        }
    }

    /// Whether the map at `parent.field` is replaced as a whole (`x-kubernetes-map-type: atomic`).
    pub fn is_atomic_map(self, parent: &FieldPath, field: &str) -> bool {
        self.is_atomic_map_at(&field_names(parent, field))
    }

    /// [`Schema::is_atomic_map`] for a path of field names (list items left out).
    pub fn is_atomic_map_at(self, names: &[&str]) -> bool {
        if self == Schema::Custom || names.first() == Some(&"metadata") {
            return false;
        }
        matches!(
            names.last().copied().unwrap_or(""),
            "selector"
                | "podSelector"
                | "namespaceSelector"
                | "labelSelector"
                | "configMapKeyRef"
                | "secretKeyRef"
                | "fieldRef"
                | "resourceFieldRef"
                | "nodeSelectorTerms"
                | "roleRef"
        )
    }
}

/// The field names of `parent.field`, list items left out.
fn field_names<'a>(parent: &'a FieldPath, field: &'a str) -> Vec<&'a str> {
    let mut names: Vec<&str> = parent
        .0
        .iter()
        .filter_map(|e| match e {
            PathElement::Field(f) => Some(f.as_str()),
            _ => None,
        })
        .collect();
    names.push(field);
    names
}

/// The key element of a list-map item, with the server's default `protocol: TCP`.
pub fn list_map_key(item: &Value, keys: &[&str]) -> Option<PathElement> {
    let m = item.as_object()?;
    let mut kv = Vec::new();
    for k in keys {
        match m.get(*k).filter(|v| !v.is_null()) {
            Some(v) => kv.push(((*k).to_string(), KeyValue::from_json(v))),
            None if *k == "protocol" => kv.push(("protocol".into(), KeyValue::Str("TCP".into()))),
            None => {}
        }
    }
    // FieldsV1 orders key fields by name; decoded keys compare equal only in that order.
    kv.sort_by(|a, b| a.0.cmp(&b.0));
    if kv.is_empty() {
        None
    } else {
        Some(PathElement::Key(kv))
    }
}

/// One `managedFields` entry, decoded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ManagedEntry {
    pub manager: String,
    /// `Apply` or `Update`.
    pub operation: String,
    pub api_version: String,
    /// RFC 3339; absent for some writes (e.g. `kubectl scale` through the scale subresource).
    pub time: Option<String>,
    pub subresource: Option<String>,
    pub fields: FieldSet,
}

/// Decode `metadata.managedFields` of an object. Malformed entries are skipped and
/// reported, so one bad entry never hides the others.
pub fn managed_entries(obj: &Value) -> (Vec<ManagedEntry>, Vec<FieldSetError>) {
    let mut out = Vec::new();
    let mut errors = Vec::new();
    let Some(list) = obj.pointer("/metadata/managedFields").and_then(Value::as_array) else {
        return (out, errors);
    };
    for e in list {
        let s = |k: &str| e.get(k).and_then(Value::as_str).map(str::to_string);
        let fields = match e.get("fieldsV1") {
            Some(v) => match FieldSet::from_fields_v1(v) {
                Ok(f) => f,
                Err(err) => {
                    errors.push(err);
                    continue;
                }
            },
            None => FieldSet::new(),
        };
        out.push(ManagedEntry {
            manager: s("manager").unwrap_or_default(),
            operation: s("operation").unwrap_or_default(),
            api_version: s("apiVersion").unwrap_or_default(),
            time: s("time"),
            subresource: s("subresource"),
            fields,
        });
    }
    (out, errors)
}

/// The entries that own `path` (the path itself, a field below it, or an atomic field above it).
pub fn owners_of<'a>(entries: &'a [ManagedEntry], path: &FieldPath) -> Vec<&'a ManagedEntry> {
    entries.iter().filter(|e| e.fields.touches(path)).collect()
}

#[path = "fieldset_tree.rs"]
mod tree;

#[path = "fieldset_walk.rs"]
mod walk;
pub use walk::{Scope, fields_of_object, fields_of_write};

#[cfg(test)]
#[path = "fieldset_tests.rs"]
mod tests;
