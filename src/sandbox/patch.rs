//! The non-apply patch types: JSON merge patch (RFC 7386), JSON patch (RFC 6902) and
//! strategic merge patch (merge keys from the schema; the directives `$patch` replace, delete
//! and merge, `$retainKeys`, `$deleteFromPrimitiveList`, `$setElementOrder`).

use super::schema::{NodeKind, Schema, node};
use serde_json::{Map, Value};

/// RFC 7386: objects merge, `null` deletes, everything else replaces.
pub fn merge_patch(target: &Value, patch: &Value) -> Value {
    let Value::Object(p) = patch else {
        return patch.clone();
    };
    let mut out = match target {
        Value::Object(t) => t.clone(),
        _ => Map::new(),
    };
    for (k, v) in p {
        if v.is_null() {
            out.remove(k);
        } else {
            let merged = merge_patch(out.get(k).unwrap_or(&Value::Null), v);
            out.insert(k.clone(), merged);
        }
    }
    Value::Object(out)
}

fn unescape(token: &str) -> String {
    token.replace("~1", "/").replace("~0", "~")
}

fn split_pointer(path: &str) -> Result<(Vec<String>, String), String> {
    if path.is_empty() {
        return Err("the root cannot be the target of this operation".into());
    }
    let parts: Vec<String> = path
        .strip_prefix('/')
        .ok_or(format!("invalid path {path:?}"))?
        .split('/')
        .map(unescape)
        .collect();
    let (last, parent) = parts.split_last().ok_or(format!("invalid path {path:?}"))?;
    Ok((parent.to_vec(), last.clone()))
}

fn parent_mut<'v>(doc: &'v mut Value, parent: &[String], path: &str) -> Result<&'v mut Value, String> {
    let mut cur = doc;
    for p in parent {
        cur = match cur {
            Value::Object(m) => m.get_mut(p),
            Value::Array(a) => p.parse::<usize>().ok().and_then(move |i| a.get_mut(i)),
            _ => None,
        }
        .ok_or_else(|| format!("doc is missing path: {path:?}"))?;
    }
    Ok(cur)
}

fn add(doc: &mut Value, path: &str, value: Value) -> Result<(), String> {
    let (parent, last) = split_pointer(path)?;
    match parent_mut(doc, &parent, path)? {
        Value::Object(m) => {
            m.insert(last, value);
        }
        Value::Array(a) => {
            let idx = if last == "-" {
                a.len()
            } else {
                last.parse::<usize>()
                    .map_err(|_| format!("invalid index {last:?}"))?
            };
            if idx > a.len() {
                return Err(format!(
                    "add operation does not apply: doc is missing path: {path:?}"
                ));
            }
            a.insert(idx, value);
        }
        _ => return Err(format!("doc is missing path: {path:?}")),
    }
    Ok(())
}

fn remove(doc: &mut Value, path: &str) -> Result<Value, String> {
    let (parent, last) = split_pointer(path)?;
    let missing = || format!("remove operation does not apply: doc is missing path: {path:?}");
    match parent_mut(doc, &parent, path)? {
        Value::Object(m) => m.remove(&last).ok_or_else(missing),
        Value::Array(a) => {
            let idx = last.parse::<usize>().map_err(|_| missing())?;
            if idx < a.len() {
                Ok(a.remove(idx))
            } else {
                Err(missing())
            }
        }
        _ => Err(missing()),
    }
}

/// RFC 6902 JSON patch.
pub fn json_patch(target: &Value, ops: &Value) -> Result<Value, String> {
    let ops = ops
        .as_array()
        .ok_or("a JSON patch must be a list of operations")?;
    let mut doc = target.clone();
    for op in ops {
        let kind = op["op"].as_str().ok_or("an operation has no \"op\"")?;
        let path = op["path"].as_str().ok_or("an operation has no \"path\"")?;
        match kind {
            "add" => add(
                &mut doc,
                path,
                op.get("value").cloned().ok_or("add needs a value")?,
            )?,
            "remove" => {
                remove(&mut doc, path)?;
            }
            "replace" => {
                remove(&mut doc, path)?;
                add(
                    &mut doc,
                    path,
                    op.get("value").cloned().ok_or("replace needs a value")?,
                )?;
            }
            "move" | "copy" => {
                let from = op["from"].as_str().ok_or("move/copy needs \"from\"")?;
                let v = if kind == "move" {
                    remove(&mut doc, from)?
                } else {
                    doc.pointer(from)
                        .cloned()
                        .ok_or(format!("doc is missing path: {from:?}"))?
                };
                add(&mut doc, path, v)?;
            }
            "test" => {
                if doc.pointer(path) != op.get("value") {
                    return Err(format!("testing value {path} failed"));
                }
            }
            other => return Err(format!("unexpected kind of operation: {other}")),
        }
    }
    Ok(doc)
}

/// Strategic merge patch for built-in kinds.
pub fn strategic(schema: &Schema, target: &Value, patch: &Value) -> Value {
    smp(schema, &mut Vec::new(), target, patch)
}

fn smp<'a>(schema: &Schema, names: &mut Vec<&'a str>, target: &Value, patch: &'a Value) -> Value {
    let Value::Object(p) = patch else {
        return patch.clone();
    };
    if directive(patch) == Some("replace") {
        return strip_directives(patch);
    }
    let mut out = match target {
        Value::Object(t) => t.clone(),
        _ => Map::new(),
    };
    // `$retainKeys`: the map keeps only these keys (a volume or a strategy switching kind).
    if let Some(keep) = p.get("$retainKeys").and_then(Value::as_array) {
        out.retain(|k, _| keep.iter().any(|r| r.as_str() == Some(k)));
    }
    for (k, v) in p {
        if let Some(field) = k.strip_prefix("$deleteFromPrimitiveList/")
            && let (Some(Value::Array(cur)), Some(gone)) = (out.get_mut(field), v.as_array())
        {
            cur.retain(|x| !gone.contains(x));
        }
    }
    for (k, v) in p {
        if k.starts_with('$') {
            continue;
        }
        if v.is_null() || directive(v) == Some("delete") {
            out.remove(k);
            continue;
        }
        names.push(k);
        let current = out.get(k).cloned().unwrap_or(Value::Null);
        let order = p.get(&format!("$setElementOrder/{k}")).and_then(Value::as_array);
        let merged = match (v, &current) {
            (Value::Array(items), Value::Array(cur)) => smp_list(schema, names, cur, items, order),
            (Value::Object(_), _) if node(*schema, names, v) == NodeKind::Map => {
                smp(schema, names, &current, v)
            }
            _ => strip_directives(v),
        };
        names.pop();
        out.insert(k.clone(), merged);
    }
    // `$setElementOrder` for a list the patch does not otherwise touch.
    for (k, v) in p {
        if let Some(field) = k.strip_prefix("$setElementOrder/")
            && !p.contains_key(field)
            && let (Some(Value::Array(cur)), Some(order)) = (out.get_mut(field), v.as_array())
        {
            names.push(field);
            match node(*schema, names, &Value::Array(Vec::new())) {
                NodeKind::ListMap(keys) => {
                    sort_by_order(cur, order, |x| x.get(keys[0]).cloned().unwrap_or(Value::Null))
                }
                _ => sort_by_order(cur, order, Value::clone),
            }
            names.pop();
        }
    }
    Value::Object(out)
}

/// The `$patch` directive of a map, if any.
fn directive(v: &Value) -> Option<&str> {
    v.get("$patch").and_then(Value::as_str)
}

/// Order `items` as `order` lists them (compared through `key`); items it does not name
/// keep their relative order after those it does.
fn sort_by_order(items: &mut [Value], order: &[Value], key: impl Fn(&Value) -> Value) {
    let pos = |v: &Value| {
        let k = key(v);
        order.iter().position(|o| key(o) == k).unwrap_or(usize::MAX)
    };
    items.sort_by_key(pos);
}

fn strip_directives(v: &Value) -> Value {
    match v {
        Value::Object(m) => Value::Object(
            m.iter()
                .filter(|(k, _)| !k.starts_with('$'))
                .map(|(k, v)| (k.clone(), strip_directives(v)))
                .collect(),
        ),
        Value::Array(a) => Value::Array(a.iter().map(strip_directives).collect()),
        other => other.clone(),
    }
}

fn smp_list<'a>(
    schema: &Schema,
    names: &mut Vec<&'a str>,
    cur: &[Value],
    items: &'a [Value],
    order: Option<&Vec<Value>>,
) -> Value {
    // `{"$patch": "replace"}` among the items: the list becomes the other items.
    if items.iter().any(|i| directive(i) == Some("replace")) {
        let rest = items.iter().filter(|i| directive(i).is_none());
        return Value::Array(rest.map(strip_directives).collect());
    }
    let key = match node(*schema, names, &Value::Array(Vec::new())) {
        NodeKind::ListMap(keys) => keys[0],
        NodeKind::ListSet => {
            let mut out = cur.to_vec();
            out.extend(items.iter().filter(|i| !cur.contains(i)).cloned());
            if let Some(order) = order {
                sort_by_order(&mut out, order, Value::clone);
            }
            return Value::Array(out);
        }
        _ => return Value::Array(items.iter().map(strip_directives).collect()),
    };
    let mut from_patch: Vec<Value> = Vec::new();
    let mut deleted: Vec<&Value> = Vec::new();
    for item in items {
        let id = item.get(key);
        if item.get("$patch").and_then(Value::as_str) == Some("delete") {
            deleted.extend(id);
            continue;
        }
        let original = cur.iter().find(|c| c.get(key).is_some() && c.get(key) == id);
        from_patch.push(match original {
            Some(o) => smp(schema, names, o, item),
            None => strip_directives(item),
        });
    }
    let in_patch = |c: &Value| {
        items
            .iter()
            .any(|i| i.get(key).is_some() && i.get(key) == c.get(key))
    };
    let server_only: Vec<Value> = cur
        .iter()
        .filter(|c| !in_patch(c) && !c.get(key).is_some_and(|id| deleted.contains(&id)))
        .cloned()
        .collect();
    let mut out = match order {
        Some(order) => {
            let mut all: Vec<Value> = cur.iter().filter(|c| !in_patch(c)).cloned().collect();
            all.retain(|c| !c.get(key).is_some_and(|id| deleted.contains(&id)));
            all.extend(from_patch);
            sort_by_order(&mut all, order, |v| v.get(key).cloned().unwrap_or(Value::Null));
            all
        }
        None => {
            let mut all = from_patch;
            all.extend(server_only);
            all
        }
    };
    out.retain(|v| !v.is_null());
    Value::Array(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn merge_patch_deletes_nulls() {
        let t = json!({"a": {"b": 1, "c": 2}, "d": [1]});
        assert_eq!(
            merge_patch(&t, &json!({"a": {"b": null}, "d": [2]})),
            json!({"a": {"c": 2}, "d": [2]})
        );
    }

    #[test]
    fn json_patch_applies_in_order() {
        let t = json!({"spec": {"replicas": 1, "list": [1, 2]}});
        let ops = json!([{"op": "replace", "path": "/spec/replicas", "value": 4},
            {"op": "add", "path": "/spec/list/-", "value": 3}, {"op": "remove", "path": "/spec/list/0"}]);
        assert_eq!(
            json_patch(&t, &ops).unwrap(),
            json!({"spec": {"replicas": 4, "list": [2, 3]}})
        );
        assert!(json_patch(&t, &json!([{"op": "remove", "path": "/nope"}])).is_err());
    }

    #[test]
    fn strategic_directives() {
        let s = Schema::BuiltIn;
        let t = json!({"metadata": {"finalizers": ["a", "b"], "labels": {"x": "1"}}, "spec": {
            "strategy": {"type": "RollingUpdate", "rollingUpdate": {"maxSurge": 1}},
            "template": {"spec": {"volumes": [{"name": "data", "emptyDir": {}}, {"name": "tmp", "emptyDir": {}}],
                "containers": [{"name": "a", "image": "x"}, {"name": "b", "image": "y"}]}}}});
        let p = json!({"metadata": {"$deleteFromPrimitiveList/finalizers": ["a"], "labels": {"$patch": "delete"}},
            "spec": {"strategy": {"$retainKeys": ["type"], "type": "Recreate"},
            "template": {"spec": {"$setElementOrder/volumes": [{"name": "tmp"}, {"name": "data"}],
                "volumes": [{"$retainKeys": ["hostPath", "name"], "name": "data", "hostPath": {"path": "/x"}}],
                "containers": [{"$patch": "replace"}, {"name": "c", "image": "z"}]}}}});
        let out = strategic(&s, &t, &p);
        assert_eq!(out["metadata"], json!({"finalizers": ["b"]}));
        assert_eq!(out["spec"]["strategy"], json!({"type": "Recreate"}));
        let spec = &out["spec"]["template"]["spec"];
        assert_eq!(
            spec["volumes"],
            json!([{"name": "tmp", "emptyDir": {}}, {"name": "data", "hostPath": {"path": "/x"}}])
        );
        assert_eq!(spec["containers"], json!([{"name": "c", "image": "z"}]));
    }

    #[test]
    fn strategic_merges_containers_by_name_and_ports_patch_first() {
        let s = Schema::BuiltIn;
        let t = json!({"spec": {"template": {"spec": {"containers": [
            {"name": "a", "image": "x", "ports": [{"containerPort": 8080, "name": "http"}]}]}}}});
        let p = json!({"spec": {"template": {"spec": {"containers": [
            {"name": "a", "ports": [{"containerPort": 9090, "name": "debug"}]}]}}}});
        let out = strategic(&s, &t, &p);
        let c = &out["spec"]["template"]["spec"]["containers"][0];
        assert_eq!(c["image"], "x");
        assert_eq!(c["ports"][0]["name"], "debug");
        assert_eq!(c["ports"][1]["name"], "http");
    }
}
