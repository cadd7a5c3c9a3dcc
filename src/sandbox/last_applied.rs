//! What the API server's field manager does for objects first applied client-side, when
//! `kubectl apply --server-side` (field manager `kubectl`) takes them over: conflicts on
//! fields that the `kubectl.kubernetes.io/last-applied-configuration` annotation shows were
//! applied, and still hold the applied value, are not conflicts; and an existing annotation
//! is rewritten to the applied configuration, so that a later client-side apply still sees
//! what was applied last.

use super::managed::{self, Conflict, Entry, Writer};
use super::typed::Walk;
use crate::kube::fieldset::FieldSet;
use serde_json::Value;

pub const ANNOTATION: &str = "kubectl.kubernetes.io/last-applied-configuration";

/// Only this field manager gets the client-side apply upgrade (a different one opts out).
const KUBECTL: &str = "kubectl";

/// The real server's limit on all annotations of an object together.
const ANNOTATIONS_LIMIT: usize = 256 * 1024;

/// Server-side apply with the client-side apply upgrade of `kubectl`.
pub fn apply(
    walk: &Walk,
    live: &Value,
    config: &Value,
    entries: &[Entry],
    who: &Writer,
    force: bool,
) -> Result<(Value, Vec<Entry>), Vec<Conflict>> {
    let (mut merged, entries) = match managed::apply(walk, live, config, entries, who, force) {
        Ok(done) => done,
        Err(conflicts) if who.manager == KUBECTL => {
            let Some(allowed) = allowed_conflicts(walk, live, who.api_version) else {
                return Err(conflicts);
            };
            let left: Vec<Conflict> = conflicts
                .into_iter()
                .filter_map(|mut c| {
                    c.paths.retain(|p| !allowed.contains(p));
                    (!c.paths.is_empty()).then_some(c)
                })
                .collect();
            if !left.is_empty() {
                return Err(left);
            }
            managed::apply(walk, live, config, entries, who, true)?
        }
        Err(conflicts) => return Err(conflicts),
    };
    if who.manager == KUBECTL {
        rewrite(&mut merged, config);
    }
    Ok((merged, entries))
}

/// The fields the last client-side apply set that still hold the value it set: applying
/// them as `kubectl` takes them over without a conflict. `None` without a usable annotation.
fn allowed_conflicts(walk: &Walk, live: &Value, api_version: &str) -> Option<FieldSet> {
    let text = live["metadata"]["annotations"][ANNOTATION].as_str()?;
    let last: Value = serde_json::from_str(text).ok()?;
    if !last.is_object() || last["apiVersion"].as_str() != Some(api_version) {
        return None;
    }
    let cmp = walk.compare(&last, live);
    Some(
        walk.config_set(&last)
            .difference(&cmp.modified)
            .difference(&cmp.added)
            .difference(&cmp.removed),
    )
}

/// Replace an existing, non-empty annotation with the applied configuration (without the
/// annotation itself); drop it when that would make the annotations too large.
fn rewrite(merged: &mut Value, config: &Value) {
    let Some(annotations) = merged
        .pointer_mut("/metadata/annotations")
        .and_then(Value::as_object_mut)
    else {
        return;
    };
    if annotations
        .get(ANNOTATION)
        .and_then(Value::as_str)
        .is_none_or(str::is_empty)
    {
        return;
    }
    let mut applied = config.clone();
    if let Some(a) = applied
        .pointer_mut("/metadata/annotations")
        .and_then(Value::as_object_mut)
    {
        a.remove(ANNOTATION);
    }
    annotations.insert(ANNOTATION.into(), Value::String(go_json(&applied)));
    let size: usize = annotations
        .iter()
        .map(|(k, v)| k.len() + v.as_str().map_or(0, str::len))
        .sum();
    if size > ANNOTATIONS_LIMIT {
        annotations.remove(ANNOTATION);
    }
}

/// JSON as Go's encoder writes an unstructured object: keys sorted, `<`, `>`, `&`, U+2028 and
/// U+2029 escaped, and a newline at the end.
pub fn go_json(v: &Value) -> String {
    let compact = serde_json::to_string(v).unwrap_or_default();
    let mut out = String::with_capacity(compact.len() + 1);
    for c in compact.chars() {
        match c {
            '<' => out.push_str("\\u003c"),
            '>' => out.push_str("\\u003e"),
            '&' => out.push_str("\\u0026"),
            '\u{2028}' => out.push_str("\\u2028"),
            '\u{2029}' => out.push_str("\\u2029"),
            c => out.push(c),
        }
    }
    out.push('\n');
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::kube::fieldset::{Schema, Scope};
    use serde_json::json;

    fn walk() -> Walk {
        Walk {
            schema: Schema::BuiltIn,
            scope: Scope::Main {
                status_separate: false,
            },
        }
    }

    fn csa_object(data: &str) -> (Value, Vec<Entry>) {
        let last = json!({"apiVersion": "v1", "kind": "ConfigMap", "data": {"a": data},
            "metadata": {"annotations": {}, "name": "c", "namespace": "d"}});
        let obj = json!({"apiVersion": "v1", "kind": "ConfigMap", "data": {"a": data},
            "metadata": {"name": "c", "namespace": "d", "annotations": {ANNOTATION: go_json(&last)},
            "managedFields": [{"manager": "kubectl-client-side-apply", "operation": "Update", "apiVersion": "v1",
                "time": "2026-01-01T00:00:00Z", "fieldsType": "FieldsV1", "fieldsV1": {"f:data": {".": {}, "f:a": {}},
                "f:metadata": {"f:annotations": {".": {}, "f:kubectl.kubernetes.io/last-applied-configuration": {}}}}}]}});
        let entries = managed::read(&obj);
        (obj, entries)
    }

    fn writer(manager: &str) -> Writer<'_> {
        Writer {
            manager,
            api_version: "v1",
            now: "2026-01-02T00:00:00Z",
        }
    }

    #[test]
    fn kubectl_takes_over_fields_the_last_client_side_apply_set() {
        let (live, entries) = csa_object("1");
        let config = json!({"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "c", "namespace": "d"},
            "data": {"a": "2"}});
        let (merged, out) =
            apply(&walk(), &live, &config, &entries, &writer("kubectl"), false).expect("no conflict");
        assert_eq!(merged["data"]["a"], "2");
        let text = merged["metadata"]["annotations"][ANNOTATION]
            .as_str()
            .expect("annotation");
        assert_eq!(
            text,
            "{\"apiVersion\":\"v1\",\"data\":{\"a\":\"2\"},\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"c\",\"namespace\":\"d\"}}\n"
        );
        let managers: Vec<&str> = out.iter().map(|e| e.manager.as_str()).collect();
        assert_eq!(managers, ["kubectl-client-side-apply", "kubectl"]);
        // Another manager gets the conflict, and the annotation stays as it was.
        let err = apply(&walk(), &live, &config, &entries, &writer("other"), false).expect_err("conflict");
        assert_eq!(err[0].manager, "kubectl-client-side-apply");
    }

    #[test]
    fn a_field_changed_since_the_last_client_side_apply_still_conflicts() {
        let (mut live, entries) = csa_object("1");
        live["data"]["a"] = json!("edited");
        let config = json!({"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "c", "namespace": "d"},
            "data": {"a": "2"}});
        let err = apply(&walk(), &live, &config, &entries, &writer("kubectl"), false).expect_err("conflict");
        assert_eq!(err[0].fields(), [".data.a"]);
    }

    #[test]
    fn go_json_escapes_like_go() {
        assert_eq!(
            go_json(&json!({"b": "<&>", "a": 1})),
            "{\"a\":1,\"b\":\"\\u003c\\u0026\\u003e\"}\n"
        );
    }
}
