//! Field-set algebra and node-level editing: what a server-side apply needs beyond decoding
//! (union, difference and intersection done on the trie, building a set node by node), and
//! the paths as the API server prints them in conflicts or removes them from an object.

use super::{FieldPath, FieldSet, PathElement, item_matches_key};
use serde_json::Value;
use std::collections::BTreeMap;

impl FieldSet {
    /// Whether the path leading to this node is itself in the set.
    pub fn is_member(&self) -> bool {
        self.member
    }

    pub fn set_member(&mut self, member: bool) {
        self.member = member;
    }

    /// Whether any step continues below this node (members or not).
    pub fn has_children(&self) -> bool {
        !self.children.is_empty()
    }

    /// The node one step below, created (empty) when absent.
    pub fn child_mut(&mut self, e: PathElement) -> &mut FieldSet {
        self.children.entry(e).or_default()
    }

    /// The node at `path` below this one, created (empty) along the way.
    pub fn node_mut(&mut self, path: &[PathElement]) -> &mut FieldSet {
        path.iter().fold(self, |n, e| n.child_mut(e.clone()))
    }

    /// Add every member of `other` to `self`.
    pub fn union_in(&mut self, other: &FieldSet) {
        self.member |= other.member;
        for (e, c) in &other.children {
            self.child_mut(e.clone()).union_in(c);
        }
    }

    pub fn union(&self, other: &FieldSet) -> FieldSet {
        let mut out = self.clone();
        out.union_in(other);
        out
    }

    /// The members of `self` that are not members of `other`.
    pub fn difference(&self, other: &FieldSet) -> FieldSet {
        let mut out = FieldSet {
            member: self.member && !other.member,
            children: BTreeMap::new(),
        };
        for (e, c) in &self.children {
            let d = match other.children.get(e) {
                Some(o) => c.difference(o),
                None => c.clone(),
            };
            if !d.is_empty() {
                out.children.insert(e.clone(), d);
            }
        }
        out
    }

    /// The members of `self` that are also members of `other`.
    pub fn intersection(&self, other: &FieldSet) -> FieldSet {
        let mut out = FieldSet {
            member: self.member && other.member,
            children: BTreeMap::new(),
        };
        for (e, c) in &self.children {
            if let Some(o) = other.children.get(e) {
                let i = c.intersection(o);
                if !i.is_empty() {
                    out.children.insert(e.clone(), i);
                }
            }
        }
        out
    }
}

impl PathElement {
    /// Whether a list item is the one this step names (a list-map key or a set value).
    pub fn matches_item(&self, item: &Value) -> bool {
        match self {
            PathElement::Key(kv) => item_matches_key(item, kv),
            PathElement::Value(v) => serde_json::from_str::<Value>(v).is_ok_and(|want| want == *item),
            PathElement::Field(_) | PathElement::Index(_) => false,
        }
    }
}

impl FieldPath {
    /// The path as the API server prints it in conflicts: string key values quoted,
    /// `.spec.template.spec.containers[name="web"].image`.
    pub fn to_apiserver_string(&self) -> String {
        let mut out = String::new();
        for e in &self.0 {
            match e {
                PathElement::Field(f) => {
                    out.push('.');
                    out.push_str(f);
                }
                PathElement::Key(kv) => {
                    let mut parts: Vec<(&String, String)> =
                        kv.iter().map(|(k, v)| (k, v.to_json().to_string())).collect();
                    parts.sort();
                    let inner: Vec<String> = parts.iter().map(|(k, v)| format!("{k}={v}")).collect();
                    out.push_str(&format!("[{}]", inner.join(",")));
                }
                PathElement::Value(v) => out.push_str(&format!("[={v}]")),
                PathElement::Index(i) => out.push_str(&format!("[{i}]")),
            }
        }
        out
    }

    /// Remove the node at this path from `obj` (list items matched by key or value); a
    /// no-op when it is not there. List indices are never removed: an atomic list is
    /// removed whole through its field.
    pub fn remove_from(&self, obj: &mut Value) {
        let Some((last, parents)) = self.0.split_last() else {
            return;
        };
        let mut cur = obj;
        for e in parents {
            let next = match (e, cur) {
                (PathElement::Field(f), Value::Object(m)) => m.get_mut(f),
                (PathElement::Key(_), Value::Array(items)) => items.iter_mut().find(|i| e.matches_item(i)),
                _ => None,
            };
            match next {
                Some(n) => cur = n,
                None => return,
            }
        }
        match (last, cur) {
            (PathElement::Field(f), Value::Object(m)) => {
                m.remove(f);
            }
            (PathElement::Key(_) | PathElement::Value(_), Value::Array(items)) => {
                items.retain(|i| !last.matches_item(i))
            }
            _ => {}
        }
    }
}
