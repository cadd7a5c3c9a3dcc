//! Schema-aware walks over two versions of an object, as the server's field manager does
//! them: their comparison (added / modified / removed paths) and the apply merge. The
//! field set an applied configuration owns, the list/map types and the fields never
//! tracked (identity metadata, `status` or `spec` depending on the [`Scope`]) are
//! `crate::kube::fieldset`'s.

use super::schema::{NodeKind, Schema, node};
use crate::kube::fieldset::{FieldPath, FieldSet, PathElement, Scope, fields_of_write, list_map_key};
use serde_json::{Map, Value};

#[derive(Debug, Clone, Copy)]
pub struct Walk {
    pub schema: Schema,
    pub scope: Scope,
}

/// What changed between two versions of an object, as field sets.
#[derive(Debug, Default, Clone)]
pub struct Comparison {
    pub added: FieldSet,
    pub modified: FieldSet,
    pub removed: FieldSet,
}

impl Comparison {
    pub fn is_same(&self) -> bool {
        self.added.is_empty() && self.modified.is_empty() && self.removed.is_empty()
    }
}

impl Walk {
    fn fields<'v>(&self, names: &[&str], obj: &'v Map<String, Value>) -> Vec<(&'v String, &'v Value)> {
        obj.iter()
            .filter(|(k, v)| !(v.is_null() || names.len() < 2 && self.scope.untracked(&with(names, k))))
            .collect()
    }

    /// The set an applied configuration owns: leaves, list items, empty maps.
    pub fn config_set(&self, config: &Value) -> FieldSet {
        fields_of_write(config, self.schema, self.scope)
    }

    /// Every node of `v` (containers included) as members: what adding or removing it touches.
    fn full_node<'a>(&self, names: &mut Vec<&'a str>, v: &'a Value, set: &mut FieldSet) {
        set.set_member(true);
        match (node(self.schema, names, v), v) {
            (NodeKind::Map, Value::Object(obj)) => {
                for (k, child) in self.fields(names, obj) {
                    names.push(k);
                    self.full_node(names, child, set.child_mut(PathElement::Field(k.clone())));
                    names.pop();
                }
            }
            (NodeKind::ListMap(keys), Value::Array(items)) => {
                for item in items {
                    if let Some(key) = list_map_key(item, keys) {
                        self.full_node(names, item, set.child_mut(key));
                    }
                }
            }
            (NodeKind::ListSet, Value::Array(items)) => {
                for item in items {
                    set.child_mut(set_key(item)).set_member(true);
                }
            }
            _ => {}
        }
    }

    /// Compare two versions of an object (`None` = absent).
    pub fn compare(&self, old: &Value, new: &Value) -> Comparison {
        let mut out = Comparison::default();
        self.compare_node(
            &mut Vec::new(),
            &mut FieldPath::default(),
            Some(old),
            Some(new),
            &mut out,
        );
        out
    }

    fn compare_node<'a>(
        &self,
        names: &mut Vec<&'a str>,
        path: &mut FieldPath,
        old: Option<&'a Value>,
        new: Option<&'a Value>,
        out: &mut Comparison,
    ) {
        let was_null = old.is_some_and(Value::is_null);
        let old = old.filter(|v| !v.is_null());
        let new = new.filter(|v| !v.is_null());
        let (o, n) = match (old, new) {
            (None, None) => return,
            (None, Some(n)) => {
                let node = out.added.node_mut(&path.0);
                let had = node.is_member();
                self.full_node(names, n, node);
                // A null that becomes a value was already there: only its children are new.
                if was_null && node.has_children() {
                    node.set_member(had);
                }
                return;
            }
            (Some(o), None) => return self.full_node(names, o, out.removed.node_mut(&path.0)),
            (Some(o), Some(n)) => (o, n),
        };
        let kind = node(self.schema, names, n);
        if kind != node(self.schema, names, o) {
            out.modified.insert(path);
            return;
        }
        match (kind, o, n) {
            (NodeKind::Map, Value::Object(om), Value::Object(nm)) => {
                let mut keys: Vec<&'a String> = self.fields(names, om).into_iter().map(|(k, _)| k).collect();
                for (k, _) in self.fields(names, nm) {
                    // `fields` skips nulls: a key null before is new here.
                    if om.get(k).is_none_or(Value::is_null) {
                        keys.push(k);
                    }
                }
                for k in keys {
                    names.push(k);
                    path.0.push(PathElement::Field(k.clone()));
                    self.compare_node(names, path, om.get(k), nm.get(k), out);
                    path.0.pop();
                    names.pop();
                }
            }
            (NodeKind::ListMap(keys), Value::Array(oi), Value::Array(ni)) => {
                let ok = keyed(keys, oi);
                let nk = keyed(keys, ni);
                let (Some(ok), Some(nk)) = (ok, nk) else {
                    if o != n {
                        out.modified.insert(path);
                    }
                    return;
                };
                for (key, item) in &ok {
                    path.0.push(key.clone());
                    let other = nk.iter().find(|(k, _)| k == key).map(|(_, v)| *v);
                    self.compare_node(names, path, Some(item), other, out);
                    path.0.pop();
                }
                for (key, item) in &nk {
                    if !ok.iter().any(|(k, _)| k == key) {
                        path.0.push(key.clone());
                        self.compare_node(names, path, None, Some(item), out);
                        path.0.pop();
                    }
                }
            }
            (NodeKind::ListSet, Value::Array(oi), Value::Array(ni)) => {
                for item in oi.iter().filter(|i| !ni.contains(i)) {
                    path.0.push(set_key(item));
                    out.removed.insert(path);
                    path.0.pop();
                }
                for item in ni.iter().filter(|i| !oi.contains(i)) {
                    path.0.push(set_key(item));
                    out.added.insert(path);
                    path.0.pop();
                }
            }
            _ => {
                if o != n {
                    out.modified.insert(path);
                }
            }
        }
    }

    /// Merge an applied configuration into the live object.
    pub fn merge(&self, live: &Value, config: &Value) -> Value {
        self.merge_node(&mut Vec::new(), Some(live), config)
    }

    fn merge_node<'a>(&self, names: &mut Vec<&'a str>, live: Option<&Value>, config: &'a Value) -> Value {
        match (node(self.schema, names, config), live, config) {
            (NodeKind::Map, Some(Value::Object(lm)), Value::Object(cm)) => {
                let mut out = lm.clone();
                for (k, v) in cm {
                    if names.len() < 2 && self.scope.untracked(&with(names, k)) {
                        continue;
                    }
                    names.push(k);
                    let merged = self.merge_node(names, lm.get(k), v);
                    names.pop();
                    out.insert(k.clone(), merged);
                }
                Value::Object(out)
            }
            (NodeKind::ListMap(keys), Some(Value::Array(li)), Value::Array(ci)) => {
                Value::Array(self.merge_list_map(names, keys, li, ci))
            }
            (NodeKind::ListSet, Some(Value::Array(li)), Value::Array(ci)) => {
                let mut out = li.clone();
                out.extend(ci.iter().filter(|c| !li.contains(c)).cloned());
                Value::Array(out)
            }
            _ => config.clone(),
        }
    }
}

impl Walk {
    /// Applied items come in the configuration's order; items only the live object has
    /// stay next to the item they followed.
    fn merge_list_map<'a>(
        &self,
        names: &mut Vec<&'a str>,
        keys: &[&str],
        live: &[Value],
        config: &'a [Value],
    ) -> Vec<Value> {
        let live_keys: Vec<_> = live.iter().map(|l| list_map_key(l, keys)).collect();
        let config_keys: Vec<_> = config.iter().map(|c| list_map_key(c, keys)).collect();
        let merged_item = |names: &mut Vec<&'a str>, ci: usize| -> Value {
            let found = config_keys[ci]
                .as_ref()
                .and_then(|k| live_keys.iter().position(|l| l.as_ref() == Some(k)));
            match found {
                Some(li) => self.merge_node(names, Some(&live[li]), &config[ci]),
                None => config[ci].clone(),
            }
        };
        let mut out = Vec::with_capacity(live.len() + config.len());
        let mut next = 0;
        for (li, item) in live.iter().enumerate() {
            let in_config = live_keys[li]
                .as_ref()
                .and_then(|k| config_keys.iter().position(|c| c.as_ref() == Some(k)));
            match in_config {
                None => out.push(item.clone()),
                Some(ci) if ci >= next => {
                    for c in next..=ci {
                        out.push(merged_item(names, c));
                    }
                    next = ci + 1;
                }
                Some(_) => {}
            }
        }
        for c in next..config.len() {
            out.push(merged_item(names, c));
        }
        out
    }
}

fn with<'a>(names: &[&'a str], k: &'a str) -> Vec<&'a str> {
    let mut v = names.to_vec();
    v.push(k);
    v
}

fn keyed<'v>(keys: &[&str], items: &'v [Value]) -> Option<Vec<(PathElement, &'v Value)>> {
    items
        .iter()
        .map(|i| list_map_key(i, keys).map(|k| (k, i)))
        .collect()
}

/// The path element naming a set member: its compact JSON.
fn set_key(item: &Value) -> PathElement {
    PathElement::Value(item.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn walk() -> Walk {
        Walk {
            schema: Schema::BuiltIn,
            scope: Scope::Main {
                status_separate: true,
            },
        }
    }

    #[test]
    fn config_set_marks_list_items_but_not_maps() {
        let cfg = json!({"apiVersion":"v1","kind":"Service","metadata":{"name":"web","labels":{"a":"b"}},
            "spec":{"selector":{"x":"y"},"ports":[{"name":"http","port":80}]}});
        let set = walk().config_set(&cfg);
        assert_eq!(
            set.to_fields_v1(),
            json!({"f:metadata":{"f:labels":{"f:a":{}}},"f:spec":{"f:ports":{
                "k:{\"port\":80,\"protocol\":\"TCP\"}":{".":{},"f:name":{},"f:port":{}}},"f:selector":{}}})
        );
    }

    #[test]
    fn compare_reports_added_maps_with_their_own_member() {
        let old = json!({"metadata":{"name":"a"},"spec":{"replicas":3}});
        let new = json!({"metadata":{"name":"a","labels":{"k":"v"}},"spec":{"replicas":5}});
        let c = walk().compare(&old, &new);
        assert_eq!(
            c.added.to_fields_v1(),
            json!({"f:metadata":{"f:labels":{".":{},"f:k":{}}}})
        );
        assert_eq!(c.modified.to_fields_v1(), json!({"f:spec":{"f:replicas":{}}}));
        assert!(c.removed.is_empty());
    }

    #[test]
    fn merge_matches_list_items_by_key_and_keeps_live_fields() {
        let live = json!({"spec":{"template":{"spec":{"containers":[
            {"name":"web","image":"a","imagePullPolicy":"IfNotPresent"}]}}}});
        let cfg = json!({"spec":{"template":{"spec":{"containers":[{"name":"web","image":"b"},{"name":"s","image":"c"}]}}}});
        let merged = walk().merge(&live, &cfg);
        assert_eq!(merged["spec"]["template"]["spec"]["containers"][0]["image"], "b");
        assert_eq!(
            merged["spec"]["template"]["spec"]["containers"][0]["imagePullPolicy"],
            "IfNotPresent"
        );
        assert_eq!(merged["spec"]["template"]["spec"]["containers"][1]["name"], "s");
    }
}
