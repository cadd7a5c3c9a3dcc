//! The local path: predict, without the server, what a force server-side apply of desired
//! would leave on live. Desired is laid over live (maps merged, list-maps merged by key,
//! atomic lists replaced item by item so server defaults inside items survive, quantities
//! compared canonically, empty equal to absent); then every field Sextant owns in live's
//! managedFields that desired no longer sets is removed (or reset to its server default)
//! unless another manager also owns it, as the server would do.

use super::diff::scalar_eq;
use super::lists::{ListSchema, Merge, keyed_items};
use super::quantity;
use crate::kube::fieldset::{FieldPath, ManagedEntry, PathElement};
use serde_json::{Map, Value};

/// What applying `desired` (prepared and normalized) over `live` (normalized) would give.
/// `raw_desired` is the manifest as written (its field set is what Sextant will own);
/// `entries` are live's managedFields.
pub fn simulate_apply(
    desired: &Value,
    raw_desired: &Value,
    live: &Value,
    entries: &[ManagedEntry],
    field_manager: &str,
    lists: &ListSchema,
) -> Value {
    let mut out = live.clone();
    overlay(&mut out, desired, &FieldPath::default(), lists);
    let wanted = lists.fields_of(raw_desired);
    let kind = desired.get("kind").and_then(Value::as_str).unwrap_or_default();
    for path in removed_by_apply(entries, &wanted, field_manager) {
        if path.resolve(&out).is_none() {
            continue;
        }
        match server_default(kind, &path) {
            Some(default) => set_at(&mut out, &path, default),
            None => remove_at(&mut out, &path),
        }
    }
    out
}

/// Paths Sextant owns (by Apply) that the new desired does not set and no other manager
/// owns: applying removes them. The shallowest such path stands for its subtree.
pub fn removed_by_apply(
    entries: &[ManagedEntry],
    wanted: &crate::kube::fieldset::FieldSet,
    field_manager: &str,
) -> Vec<FieldPath> {
    let Some(ours) = entries
        .iter()
        .find(|e| e.manager == field_manager && e.operation == "Apply")
    else {
        return Vec::new();
    };
    let mut out: Vec<FieldPath> = Vec::new();
    for path in ours.fields.paths() {
        if out.iter().any(|p| path.starts_with(p)) || wanted.touches(&path) {
            continue;
        }
        // stringData is write-only: dropping a key from it never changes the object.
        if path.0.first() == Some(&PathElement::Field("stringData".into())) {
            continue;
        }
        let shared = entries
            .iter()
            .filter(|e| !(e.manager == field_manager && e.operation == "Apply"))
            .any(|e| e.fields.touches(&path));
        if !shared {
            out.push(path);
        }
    }
    out
}

/// Server defaults that come back when an owned field is dropped from the manifest (so a
/// dropped `spec.replicas` reads as `4 -> 1`, as the apiserver does, not as a removal).
fn server_default(kind: &str, path: &FieldPath) -> Option<Value> {
    let names: Vec<&str> = path
        .0
        .iter()
        .map(|e| match e {
            PathElement::Field(f) => f.as_str(),
            _ => "",
        })
        .collect();
    let v = match (kind, names.as_slice()) {
        ("Deployment" | "StatefulSet" | "ReplicaSet", ["spec", "replicas"]) => Value::from(1),
        ("Deployment" | "StatefulSet" | "DaemonSet", ["spec", "revisionHistoryLimit"]) => Value::from(10),
        ("Deployment", ["spec", "progressDeadlineSeconds"]) => Value::from(600),
        ("Service", ["spec", "type"]) => Value::from("ClusterIP"),
        ("Service", ["spec", "sessionAffinity"]) => Value::from("None"),
        ("CronJob", ["spec", "suspend"]) => Value::from(false),
        ("CronJob", ["spec", "concurrencyPolicy"]) => Value::from("Allow"),
        _ => return None,
    };
    Some(v)
}

/// Whether a desired value counts as absent (the server drops empty maps and lists).
fn is_empty(v: &Value) -> bool {
    match v {
        Value::Null => true,
        Value::Object(m) => m.values().all(is_empty),
        Value::Array(a) => a.is_empty(),
        _ => false,
    }
}

fn is_zero(v: &Value) -> bool {
    match v {
        Value::Bool(b) => !b,
        Value::String(s) => s.is_empty(),
        Value::Number(n) => n.as_f64() == Some(0.0),
        _ => false,
    }
}

/// Maps of user strings, where an empty value is a value (`data`, `labels`, …).
fn is_string_map(path: &FieldPath) -> bool {
    matches!(path.0.last(), Some(PathElement::Field(f)) if matches!(f.as_str(),
        "data" | "binaryData" | "stringData" | "labels" | "annotations" | "matchLabels" | "nodeSelector" | "selector"))
}

fn overlay(target: &mut Value, d: &Value, path: &FieldPath, lists: &ListSchema) {
    match (target, d) {
        (Value::Object(t), Value::Object(dm)) => {
            for (k, dv) in dm {
                // Identity was checked already; the version live was read at is not drift.
                let identity = path.is_empty() && matches!(k.as_str(), "status" | "apiVersion" | "kind");
                if dv.is_null() || identity {
                    continue;
                }
                let child = path.child(PathElement::Field(k.clone()));
                match t.get_mut(k) {
                    Some(tv) => overlay(tv, dv, &child, lists),
                    None if is_empty(dv) => {}
                    // Go drops `omitempty` zero values (`hostNetwork: false`, `value: ""`):
                    // live lacking the field means the server did not keep it.
                    None if is_zero(dv) && !is_string_map(path) => {}
                    None => {
                        t.insert(k.clone(), fresh(dv, &child));
                    }
                }
            }
        }
        (Value::Array(t), Value::Array(da)) => overlay_list(t, da, path, lists),
        (t, dv) => {
            if !scalar_same(t, dv, path) {
                *t = fresh(dv, path);
            }
        }
    }
}

fn overlay_list(t: &mut Vec<Value>, da: &[Value], path: &FieldPath, lists: &ListSchema) {
    match lists.merge_at(path) {
        Merge::Map(keys) => {
            if let (Some(tk), Some(dk)) = (keyed_items(t, &keys), keyed_items(da, &keys)) {
                let positions: Vec<Option<usize>> = dk
                    .iter()
                    .map(|(k, _)| tk.iter().position(|(tkey, _)| tkey == k))
                    .collect();
                for ((k, dv), pos) in dk.into_iter().zip(positions) {
                    match pos {
                        Some(i) => overlay(&mut t[i], dv, &path.child(k), lists),
                        None => t.push(fresh(dv, &path.child(k))),
                    }
                }
                return;
            }
        }
        Merge::Set => {
            for dv in da {
                if !t.contains(dv) {
                    t.push(dv.clone());
                }
            }
            return;
        }
        Merge::Atomic => {}
    }
    // Atomic: desired's items replace live's, each laid over live's item at the same index
    // so that fields the server defaulted inside an item (a port's protocol) survive.
    let mut out = Vec::with_capacity(da.len());
    for (i, dv) in da.iter().enumerate() {
        let child = path.child(PathElement::Index(i));
        match t.get(i) {
            Some(tv) if same_shape(tv, dv) => {
                let mut item = tv.clone();
                overlay(&mut item, dv, &child, lists);
                out.push(item);
            }
            _ => out.push(fresh(dv, &child)),
        }
    }
    *t = out;
}

fn same_shape(a: &Value, b: &Value) -> bool {
    matches!(
        (a, b),
        (Value::Object(_), Value::Object(_)) | (Value::Array(_), Value::Array(_))
    )
}

/// A desired value as the server would store it when new: quantities canonicalised, nulls
/// and empty members dropped.
fn fresh(d: &Value, path: &FieldPath) -> Value {
    match d {
        Value::Object(m) => {
            let mut out = Map::new();
            for (k, v) in m {
                if v.is_null() {
                    continue;
                }
                out.insert(k.clone(), fresh(v, &path.child(PathElement::Field(k.clone()))));
            }
            Value::Object(out)
        }
        Value::Array(a) => Value::Array(
            a.iter()
                .enumerate()
                .map(|(i, v)| fresh(v, &path.child(PathElement::Index(i))))
                .collect(),
        ),
        _ if is_quantity_path(path) => match scalar_text(d).and_then(|t| quantity::canonical(&t)) {
            Some(c) => Value::String(c),
            None => d.clone(),
        },
        _ => d.clone(),
    }
}

fn scalar_text(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

fn scalar_same(live: &Value, d: &Value, path: &FieldPath) -> bool {
    if scalar_eq(live, d) {
        return true;
    }
    is_quantity_path(path)
        && matches!((scalar_text(live), scalar_text(d)), (Some(a), Some(b)) if quantity::same(&a, &b))
}

/// Fields whose values are resource quantities in built-in kinds: container and PVC
/// `resources`, ResourceQuota `hard`, LimitRange limits, HPA targets, `sizeLimit`,
/// pod `overhead`, PV `capacity`.
fn is_quantity_path(path: &FieldPath) -> bool {
    let names: Vec<&str> = path
        .0
        .iter()
        .filter_map(|e| match e {
            PathElement::Field(f) => Some(f.as_str()),
            _ => None,
        })
        .collect();
    let n = names.len();
    let last = names.last().copied().unwrap_or_default();
    let parent = if n >= 2 { names[n - 2] } else { "" };
    let grand = if n >= 3 { names[n - 3] } else { "" };
    matches!(last, "sizeLimit" | "averageValue")
        || (parent == "target" && last == "value")
        || (grand == "resources" && matches!(parent, "limits" | "requests"))
        || (grand == "spec" && matches!(parent, "hard" | "capacity" | "overhead"))
        || (grand == "limits" && matches!(parent, "max" | "min" | "default" | "defaultRequest"))
}

fn set_at(obj: &mut Value, path: &FieldPath, v: Value) {
    if let Some(slot) = resolve_mut(obj, &path.0) {
        *slot = v;
    }
}

fn remove_at(obj: &mut Value, path: &FieldPath) {
    let Some((last, parent)) = path.0.split_last() else {
        return;
    };
    let Some(container) = resolve_mut(obj, parent) else {
        return;
    };
    match (container, last) {
        (Value::Object(m), PathElement::Field(f)) => {
            m.remove(f);
        }
        (Value::Array(a), PathElement::Index(i)) if *i < a.len() => {
            a.remove(*i);
        }
        (Value::Array(a), e) => {
            let one = FieldPath(vec![e.clone()]);
            let probe = Value::Array(a.clone());
            if let Some(found) = one.resolve(&probe)
                && let Some(i) = a.iter().position(|x| x == found)
            {
                a.remove(i);
            }
        }
        _ => {}
    }
}

fn resolve_mut<'a>(obj: &'a mut Value, elems: &[PathElement]) -> Option<&'a mut Value> {
    let mut cur = obj;
    for e in elems {
        let one = FieldPath(vec![e.clone()]);
        cur = match cur {
            Value::Object(m) => match e {
                PathElement::Field(f) => m.get_mut(f)?,
                _ => return None,
            },
            Value::Array(a) => {
                let probe = Value::Array(a.clone());
                let found = one.resolve(&probe)?.clone();
                let i = a.iter().position(|x| *x == found)?;
                &mut a[i]
            }
            _ => return None,
        };
    }
    Some(cur)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn sim(desired: Value, live: Value) -> Value {
        simulate_apply(
            &desired,
            &desired,
            &live,
            &[],
            "sextant",
            &ListSchema::table(crate::kube::fieldset::Schema::BuiltIn),
        )
    }

    #[test]
    fn defaults_in_live_survive_and_equal_quantities_stay() {
        let live = json!({"spec": {"replicas": 1, "strategy": {"type": "RollingUpdate"}, "template": {"spec": {
            "containers": [{"name": "a", "imagePullPolicy": "IfNotPresent",
                "resources": {"requests": {"cpu": "500m", "memory": "1Gi"}},
                "ports": [{"containerPort": 80, "protocol": "TCP"}]}]}}}});
        let desired = json!({"spec": {"template": {"spec": {"containers": [{"name": "a",
            "resources": {"requests": {"cpu": 0.5, "memory": "1024Mi"}}, "ports": [{"containerPort": 80}]}]}}}});
        assert_eq!(sim(desired, live.clone()), live);
    }

    #[test]
    fn new_values_are_canonical() {
        let live = json!({"spec": {"containers": [{"name": "a"}]}});
        let desired =
            json!({"spec": {"containers": [{"name": "a", "resources": {"limits": {"memory": "1.5Gi"}}}]}});
        let out = sim(desired, live);
        assert_eq!(
            out["spec"]["containers"][0]["resources"]["limits"]["memory"],
            "1536Mi"
        );
    }

    #[test]
    fn empty_desired_equals_absent() {
        let live = json!({"metadata": {"name": "x"}});
        let desired =
            json!({"metadata": {"name": "x", "labels": {}, "annotations": null}, "spec": {"args": []}});
        assert_eq!(sim(desired, live.clone()), live);
    }

    #[test]
    fn atomic_list_is_replaced_but_item_defaults_survive() {
        let live = json!({"spec": {"ingress": [{"ports": [{"port": 80, "protocol": "TCP"}], "from": [{"a": 1}, {"b": 2}]}]}});
        let desired = json!({"spec": {"ingress": [{"ports": [{"port": 80}], "from": [{"a": 1}]}]}});
        let out = sim(desired, live);
        assert_eq!(
            out,
            json!({"spec": {"ingress": [{"ports": [{"port": 80, "protocol": "TCP"}], "from": [{"a": 1}]}]}})
        );
    }

    #[test]
    fn omitted_zero_values_equal_absent_but_empty_data_values_do_not() {
        let live = json!({"spec": {"containers": [{"name": "a"}]}, "data": {}});
        let desired = json!({"spec": {"hostNetwork": false, "containers": [{"name": "a",
            "env": [], "workingDir": "", "stdin": false}]}, "data": {"k": ""}});
        assert_eq!(
            sim(desired, live),
            json!({"spec": {"containers": [{"name": "a"}]}, "data": {"k": ""}})
        );
    }

    #[test]
    fn quantity_paths() {
        let p = |names: &[&str]| is_quantity_path(&FieldPath::fields(names));
        assert!(p(&["spec", "containers", "resources", "limits", "cpu"]));
        assert!(p(&["spec", "resources", "requests", "storage"]));
        assert!(p(&["spec", "hard", "pods"]));
        assert!(!p(&["data", "cpu"]));
        assert!(!p(&["spec", "replicas"]));
    }
}
