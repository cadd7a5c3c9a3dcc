//! A keyed structural diff of two normalized objects. Lists that SSA merges by key
//! (containers by name, ports by port+protocol, …) are matched by key, so an inserted
//! env var is one `Add`, not a cascade of index shifts; atomic lists compare by index;
//! sets compare by value. Numbers compare by value (`1` equals `1.0`).

use super::lists::{ListSchema, Merge, keyed_items};
use super::types::ChangeOp;
use crate::kube::fieldset::{FieldPath, PathElement};
use serde_json::Value;

/// One differing path, before attribution and masking.
#[derive(Debug, Clone, PartialEq)]
pub struct RawChange {
    pub path: FieldPath,
    pub op: ChangeOp,
    pub before: Option<Value>,
    pub after: Option<Value>,
}

/// Every path where `after` differs from `before`.
pub fn diff(before: &Value, after: &Value, lists: &ListSchema) -> Vec<RawChange> {
    let mut out = Vec::new();
    walk(before, after, &FieldPath::default(), lists, &mut out);
    out
}

/// Scalars equal as the server sees them: numbers by value.
pub fn scalar_eq(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => {
            x == y || matches!((x.as_f64(), y.as_f64()), (Some(p), Some(q)) if p == q)
        }
        _ => a == b,
    }
}

fn walk(a: &Value, b: &Value, path: &FieldPath, lists: &ListSchema, out: &mut Vec<RawChange>) {
    match (a, b) {
        (Value::Object(am), Value::Object(bm)) => {
            for (k, av) in am {
                let child = path.child(PathElement::Field(k.clone()));
                match bm.get(k) {
                    Some(bv) => walk(av, bv, &child, lists, out),
                    None => out.push(remove(child, av)),
                }
            }
            for (k, bv) in bm {
                if !am.contains_key(k) {
                    out.push(add(path.child(PathElement::Field(k.clone())), bv));
                }
            }
        }
        (Value::Array(al), Value::Array(bl)) => walk_list(al, bl, path, lists, out),
        _ if scalar_eq(a, b) => {}
        _ => out.push(RawChange {
            path: path.clone(),
            op: ChangeOp::Replace,
            before: Some(a.clone()),
            after: Some(b.clone()),
        }),
    }
}

fn walk_list(al: &[Value], bl: &[Value], path: &FieldPath, lists: &ListSchema, out: &mut Vec<RawChange>) {
    match lists.merge_at(path) {
        Merge::Map(keys) => {
            if let (Some(ak), Some(bk)) = (keyed_items(al, &keys), keyed_items(bl, &keys)) {
                for (k, av) in &ak {
                    match bk.iter().find(|(bkey, _)| bkey == k) {
                        Some((_, bv)) => walk(av, bv, &path.child(k.clone()), lists, out),
                        None => out.push(remove(path.child(k.clone()), av)),
                    }
                }
                for (k, bv) in &bk {
                    if !ak.iter().any(|(akey, _)| akey == k) {
                        out.push(add(path.child(k.clone()), bv));
                    }
                }
                return;
            }
        }
        Merge::Set => {
            for av in al.iter().filter(|v| !bl.contains(v)) {
                out.push(remove(path.child(PathElement::Value(av.to_string())), av));
            }
            for bv in bl.iter().filter(|v| !al.contains(v)) {
                out.push(add(path.child(PathElement::Value(bv.to_string())), bv));
            }
            return;
        }
        Merge::Atomic => {}
    }
    for (i, (av, bv)) in al.iter().zip(bl).enumerate() {
        walk(av, bv, &path.child(PathElement::Index(i)), lists, out);
    }
    for (i, av) in al.iter().enumerate().skip(bl.len()) {
        out.push(remove(path.child(PathElement::Index(i)), av));
    }
    for (i, bv) in bl.iter().enumerate().skip(al.len()) {
        out.push(add(path.child(PathElement::Index(i)), bv));
    }
}

fn remove(path: FieldPath, v: &Value) -> RawChange {
    RawChange {
        path,
        op: ChangeOp::Remove,
        before: Some(v.clone()),
        after: None,
    }
}

fn add(path: FieldPath, v: &Value) -> RawChange {
    RawChange {
        path,
        op: ChangeOp::Add,
        before: None,
        after: Some(v.clone()),
    }
}

/// A path as text, in the corpus's notation: `.spec.template.spec.containers[name=web].image`,
/// `.metadata.annotations["deployment.kubernetes.io/revision"]`, `.rules[0].verbs[1]`.
pub fn path_text(path: &FieldPath) -> String {
    use std::fmt::Write as _;
    let mut s = String::new();
    for e in &path.0 {
        let _ = match e {
            PathElement::Field(f) if is_ident(f) => write!(s, ".{f}"),
            PathElement::Field(f) => write!(s, "[{}]", Value::String(f.clone())),
            PathElement::Index(i) => write!(s, "[{i}]"),
            PathElement::Value(v) => write!(s, "[={v}]"),
            PathElement::Key(kv) => {
                let parts: Vec<String> = kv.iter().map(|(k, v)| format!("{k}={v}")).collect();
                write!(s, "[{}]", parts.join(","))
            }
        };
    }
    if s.is_empty() { ".".into() } else { s }
}

fn is_ident(s: &str) -> bool {
    let mut chars = s.chars();
    matches!(chars.next(), Some(c) if c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn paths(a: Value, b: Value) -> Vec<String> {
        diff(&a, &b, &ListSchema::table(crate::kube::fieldset::Schema::BuiltIn))
            .iter()
            .map(|c| path_text(&c.path))
            .collect()
    }

    #[test]
    fn list_maps_match_by_key_not_index() {
        let a = json!({"spec": {"containers": [{"name": "w", "env": [
            {"name": "A", "value": "1"}, {"name": "B", "value": "2"}]}]}});
        let b = json!({"spec": {"containers": [{"name": "w", "env": [
            {"name": "A", "value": "1"}, {"name": "NEW", "value": "x"}, {"name": "B", "value": "2"}]}]}});
        assert_eq!(paths(a, b), vec![".spec.containers[name=w].env[name=NEW]"]);
    }

    #[test]
    fn ports_key_defaults_protocol() {
        let a = json!({"spec": {"ports": [{"port": 80, "protocol": "TCP", "targetPort": 80}]}});
        let b = json!({"spec": {"ports": [{"port": 80, "targetPort": 8080}]}});
        let c = diff(&a, &b, &ListSchema::table(crate::kube::fieldset::Schema::BuiltIn));
        assert_eq!(c.len(), 2);
        assert_eq!(
            path_text(&c[0].path),
            ".spec.ports[port=80,protocol=TCP].protocol"
        );
        assert_eq!(
            path_text(&c[1].path),
            ".spec.ports[port=80,protocol=TCP].targetPort"
        );
    }

    #[test]
    fn atomic_lists_compare_by_index() {
        let a = json!({"rules": [{"verbs": ["*"], "resources": ["cm", "secrets"]}]});
        let b = json!({"rules": [{"verbs": ["get", "list"], "resources": ["cm"]}]});
        let mut p = paths(a, b);
        p.sort();
        assert_eq!(
            p,
            vec![
                ".rules[0].resources[1]",
                ".rules[0].verbs[0]",
                ".rules[0].verbs[1]"
            ]
        );
    }

    #[test]
    fn sets_compare_by_value() {
        let a = json!({"metadata": {"finalizers": ["a", "b"]}});
        let b = json!({"metadata": {"finalizers": ["b", "c"]}});
        assert_eq!(
            paths(a, b),
            vec![".metadata.finalizers[=\"a\"]", ".metadata.finalizers[=\"c\"]"]
        );
    }

    #[test]
    fn numbers_compare_by_value_and_odd_keys_are_quoted() {
        assert!(paths(json!({"a": 1}), json!({"a": 1.0})).is_empty());
        assert_eq!(
            paths(
                json!({"data": {"app.properties": "x"}}),
                json!({"data": {"app.properties": "y"}})
            ),
            vec![".data[\"app.properties\"]"]
        );
    }
}
