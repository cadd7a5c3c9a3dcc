//! Field sets as the API server's structured-merge-diff sees them: a tree of path elements
//! (`f:name`, `k:{...}`, `v:...`), encoded and decoded as `FieldsV1`, with the set algebra
//! server-side apply needs (union, difference, intersection, leaf listing for conflicts).
//!
//! This is the sandbox's own copy, tuned for the server's needs; `src/kube/fieldset.rs` is
//! the client-side decoder the engine uses.

use serde_json::{Map, Value};
use std::collections::BTreeMap;

/// One step of a path: a struct/map field, a list-map item by key, a set item by value.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum PathElem {
    Field(String),
    /// The key fields as compact JSON with sorted keys, exactly as FieldsV1 writes them.
    Key(String),
    /// A set member as compact JSON.
    Value(String),
    Index(u64),
}

impl PathElem {
    fn encode(&self) -> String {
        match self {
            PathElem::Field(f) => format!("f:{f}"),
            PathElem::Key(k) => format!("k:{k}"),
            PathElem::Value(v) => format!("v:{v}"),
            PathElem::Index(i) => format!("i:{i}"),
        }
    }

    fn decode(s: &str) -> Option<PathElem> {
        let (tag, rest) = s.split_at_checked(2)?;
        match tag {
            "f:" => Some(PathElem::Field(rest.to_string())),
            "k:" => Some(PathElem::Key(rest.to_string())),
            "v:" => Some(PathElem::Value(rest.to_string())),
            "i:" => rest.parse().ok().map(PathElem::Index),
            _ => None,
        }
    }

    /// How the API server spells this step in conflict messages: `.name`, `[name="web"]`.
    fn display(&self) -> String {
        match self {
            PathElem::Field(f) => format!(".{f}"),
            PathElem::Key(k) => {
                let parsed: Map<String, Value> = serde_json::from_str(k).unwrap_or_default();
                let inner: Vec<String> = parsed.iter().map(|(k, v)| format!("{k}={v}")).collect();
                format!("[{}]", inner.join(","))
            }
            PathElem::Value(v) => format!("[={v}]"),
            PathElem::Index(i) => format!("[{i}]"),
        }
    }
}

/// A set of paths, stored as a tree. `member` says the node's own path is in the set.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FieldSet {
    pub member: bool,
    pub children: BTreeMap<PathElem, FieldSet>,
}

impl FieldSet {
    pub fn is_empty(&self) -> bool {
        !self.member && self.children.values().all(FieldSet::is_empty)
    }

    pub fn child_mut(&mut self, elem: PathElem) -> &mut FieldSet {
        self.children.entry(elem).or_default()
    }

    /// Insert one path (relative to this node).
    pub fn insert(&mut self, path: &[PathElem]) {
        match path.split_first() {
            None => self.member = true,
            Some((head, rest)) => self.child_mut(head.clone()).insert(rest),
        }
    }

    /// The node at `path`, if any part of the set lies there.
    pub fn get(&self, path: &[PathElem]) -> Option<&FieldSet> {
        match path.split_first() {
            None => Some(self),
            Some((head, rest)) => self.children.get(head)?.get(rest),
        }
    }

    pub fn union(&self, other: &FieldSet) -> FieldSet {
        let mut out = self.clone();
        out.union_in(other);
        out
    }

    pub fn union_in(&mut self, other: &FieldSet) {
        self.member |= other.member;
        for (k, v) in &other.children {
            self.child_mut(k.clone()).union_in(v);
        }
    }

    /// Members of `self` that are not members of `other` (structure-wise, not subtree-wise).
    pub fn difference(&self, other: &FieldSet) -> FieldSet {
        let mut out = FieldSet {
            member: self.member && !other.member,
            children: BTreeMap::new(),
        };
        for (k, v) in &self.children {
            let d = match other.children.get(k) {
                Some(o) => v.difference(o),
                None => v.clone(),
            };
            if !d.is_empty() {
                out.children.insert(k.clone(), d);
            }
        }
        out
    }

    pub fn intersection(&self, other: &FieldSet) -> FieldSet {
        let mut out = FieldSet {
            member: self.member && other.member,
            children: BTreeMap::new(),
        };
        for (k, v) in &self.children {
            if let Some(o) = other.children.get(k) {
                let i = v.intersection(o);
                if !i.is_empty() {
                    out.children.insert(k.clone(), i);
                }
            }
        }
        out
    }

    /// Every member path, parents before children.
    pub fn paths(&self) -> Vec<Vec<PathElem>> {
        let mut out = Vec::new();
        self.collect(&mut Vec::new(), &mut out);
        out
    }

    fn collect(&self, prefix: &mut Vec<PathElem>, out: &mut Vec<Vec<PathElem>>) {
        if self.member {
            out.push(prefix.clone());
        }
        for (k, v) in &self.children {
            prefix.push(k.clone());
            v.collect(prefix, out);
            prefix.pop();
        }
    }

    /// Encode as the `fieldsV1` JSON object.
    pub fn to_fields_v1(&self) -> Value {
        let mut map = Map::new();
        if self.member && !self.children.is_empty() {
            map.insert(".".into(), Value::Object(Map::new()));
        }
        for (k, v) in &self.children {
            if !v.is_empty() {
                map.insert(k.encode(), v.to_fields_v1());
            }
        }
        Value::Object(map)
    }

    /// Decode a `fieldsV1` object; `None` when it is not one.
    pub fn from_fields_v1(value: &Value) -> Option<FieldSet> {
        let obj = value.as_object()?;
        let mut set = FieldSet {
            member: obj.is_empty(),
            children: BTreeMap::new(),
        };
        for (k, v) in obj {
            if k == "." {
                set.member = true;
                continue;
            }
            let elem = PathElem::decode(k)?;
            set.children.insert(elem, FieldSet::from_fields_v1(v)?);
        }
        Some(set)
    }
}

/// `.spec.template.spec.containers[name="web"].image`, as conflict messages print paths.
pub fn display_path(path: &[PathElem]) -> String {
    path.iter().map(PathElem::display).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn fields_v1_round_trips_with_dot_members() {
        let v = json!({"f:metadata":{"f:labels":{".":{},"f:a":{}}},"f:spec":{"f:ports":{
            "k:{\"port\":80,\"protocol\":\"TCP\"}":{".":{},"f:port":{}}}}});
        let set = FieldSet::from_fields_v1(&v).unwrap();
        assert_eq!(set.to_fields_v1(), v);
        assert_eq!(set.paths().len(), 4);
    }

    #[test]
    fn difference_and_intersection_work_per_member() {
        let a = FieldSet::from_fields_v1(&json!({"f:data":{"f:a":{},"f:b":{}}})).unwrap();
        let b = FieldSet::from_fields_v1(&json!({"f:data":{"f:b":{}}})).unwrap();
        assert_eq!(a.difference(&b).to_fields_v1(), json!({"f:data":{"f:a":{}}}));
        assert_eq!(a.intersection(&b).to_fields_v1(), json!({"f:data":{"f:b":{}}}));
        assert!(b.difference(&a).is_empty());
    }

    #[test]
    fn paths_display_like_the_api_server() {
        let p = vec![
            PathElem::Field("spec".into()),
            PathElem::Field("containers".into()),
            PathElem::Key("{\"name\":\"web\"}".into()),
            PathElem::Field("image".into()),
        ];
        assert_eq!(display_path(&p), ".spec.containers[name=\"web\"].image");
    }
}
