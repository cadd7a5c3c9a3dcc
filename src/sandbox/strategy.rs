//! What the API server's per-kind strategies do around a write: identity metadata, status
//! kept apart from spec, `generation` bumps, Job selectors, DaemonSet template generation,
//! PVC finalizers, CRD acceptance, and validation (required fields, immutable fields).

use super::defaults;
use super::kinds::ResourceType;
use super::status::ApiError;
use super::store::Store;
use serde_json::{Map, Value, json};

/// Everything of an object but `metadata` and `status`: what `generation` tracks.
fn spec_part(v: &Value) -> Vec<(&String, &Value)> {
    v.as_object()
        .map(|o| {
            o.iter()
                .filter(|(k, _)| !matches!(k.as_str(), "metadata" | "status"))
                .collect()
        })
        .unwrap_or_default()
}

fn meta(v: &mut Value) -> &mut Map<String, Value> {
    if !v.get("metadata").is_some_and(Value::is_object) {
        v["metadata"] = json!({});
    }
    v["metadata"].as_object_mut().expect("metadata is an object")
}

/// Prepare `new` for storage given the stored `old` (None on create). `status_write` marks
/// writes through the status subresource, which keep everything but status from `old`.
pub fn prepare(
    rt: &ResourceType,
    new: &mut Value,
    old: Option<&Value>,
    store: &mut Store,
    now: &str,
    status_write: bool,
) {
    if let Some(o) = new.as_object_mut() {
        o.insert("apiVersion".into(), json!(rt.api_version()));
        o.insert("kind".into(), json!(rt.kind));
    }
    match old {
        None => {
            let uid = store.uid();
            let m = meta(new);
            m.insert("uid".into(), json!(uid));
            m.insert("creationTimestamp".into(), json!(now));
            m.remove("resourceVersion");
            if rt.generation {
                m.insert("generation".into(), json!(1));
            } else {
                m.remove("generation");
            }
            if rt.status {
                match defaults::initial_status(rt) {
                    Some(s) => new["status"] = s,
                    None => {
                        if let Some(o) = new.as_object_mut() {
                            o.remove("status");
                        }
                    }
                }
            }
            on_create(rt, new, &uid);
        }
        Some(old) => {
            let m = meta(new);
            for k in ["uid", "creationTimestamp", "resourceVersion"] {
                match old["metadata"].get(k) {
                    Some(v) => m.insert(k.into(), v.clone()),
                    None => m.remove(k),
                };
            }
            if status_write {
                if let (Some(n), Some(o)) = (new.as_object_mut(), old.as_object()) {
                    n.retain(|k, _| k == "status" || k == "metadata");
                    for (k, v) in o
                        .iter()
                        .filter(|(k, _)| !matches!(k.as_str(), "status" | "metadata"))
                    {
                        n.insert(k.clone(), v.clone());
                    }
                }
            } else if rt.status {
                match old.get("status") {
                    Some(s) => new["status"] = s.clone(),
                    None => {
                        new.as_object_mut().map(|o| o.remove("status"));
                    }
                }
            }
            if rt.generation {
                let g = old["metadata"]["generation"].as_i64().unwrap_or(1);
                // Deployments also count annotation changes (the legacy rollback annotation).
                let annotations_changed = rt.builtin
                    && rt.kind == "Deployment"
                    && new["metadata"]["annotations"] != old["metadata"]["annotations"];
                let changed = spec_part(new) != spec_part(old) || (annotations_changed && !status_write);
                meta(new).insert("generation".into(), json!(if changed { g + 1 } else { g }));
                if changed && rt.kind == "DaemonSet" && rt.builtin {
                    let g = new["metadata"]["generation"].clone();
                    set_annotation(new, "deprecated.daemonset.template.generation", &g.to_string());
                }
            } else {
                meta(new).remove("generation");
            }
        }
    }
}

fn set_annotation(v: &mut Value, key: &str, value: &str) {
    let m = meta(v);
    let ann = m.entry("annotations").or_insert_with(|| json!({}));
    if let Some(a) = ann.as_object_mut() {
        a.insert(key.into(), json!(value));
    }
}

fn on_create(rt: &ResourceType, new: &mut Value, uid: &str) {
    if !rt.builtin {
        return;
    }
    match rt.kind.as_str() {
        "DaemonSet" => set_annotation(new, "deprecated.daemonset.template.generation", "1"),
        "PersistentVolumeClaim" => {
            meta(new).insert("finalizers".into(), json!(["kubernetes.io/pvc-protection"]));
        }
        "Job" if new["spec"]["manualSelector"] != json!(true) => {
            let name = new["metadata"]["name"].clone();
            let labels = json!({"batch.kubernetes.io/controller-uid": uid, "batch.kubernetes.io/job-name": name,
                "controller-uid": uid, "job-name": name});
            if let Some(spec) = new.get_mut("spec").and_then(Value::as_object_mut) {
                spec.insert(
                    "selector".into(),
                    json!({"matchLabels": {"batch.kubernetes.io/controller-uid": uid}}),
                );
                let tmeta = spec
                    .entry("template")
                    .or_insert_with(|| json!({}))
                    .as_object_mut()
                    .map(|t| t.entry("metadata").or_insert_with(|| json!({})));
                if let Some(Value::Object(tm)) = tmeta {
                    let l = tm.entry("labels").or_insert_with(|| json!({}));
                    merge_labels(l, &labels);
                }
            }
            let m = meta(new);
            if m.get("labels")
                .is_none_or(|l| l.as_object().is_none_or(Map::is_empty))
            {
                m.insert("labels".into(), labels);
            }
        }
        "CustomResourceDefinition" => {
            let storage = new["spec"]["versions"]
                .as_array()
                .and_then(|vs| vs.iter().find(|v| v["storage"] == json!(true)))
                .and_then(|v| v["name"].as_str())
                .unwrap_or("v1")
                .to_string();
            new["status"]["storedVersions"] = json!([storage]);
        }
        _ => {}
    }
}

fn merge_labels(target: &mut Value, add: &Value) {
    if let (Some(t), Some(a)) = (target.as_object_mut(), add.as_object()) {
        for (k, v) in a {
            t.insert(k.clone(), v.clone());
        }
    }
}

/// Why another CRD of the same group already holds one of `crd`'s names, as the naming
/// controller words it: (`KindConflict`, `"Widget" is already in use`).
pub fn crd_name_conflict<'a>(
    crd: &Value,
    others: impl Iterator<Item = &'a Value>,
) -> Option<(String, String)> {
    let group = crd["spec"]["group"].as_str()?;
    let name = crd["metadata"]["name"].as_str()?;
    let names = &crd["spec"]["names"];
    for other in others {
        if other["spec"]["group"].as_str() != Some(group) || other["metadata"]["name"].as_str() == Some(name)
        {
            continue;
        }
        let taken = &other["status"]["acceptedNames"];
        for (field, reason) in [
            ("plural", "PluralConflict"),
            ("singular", "SingularConflict"),
            ("kind", "KindConflict"),
            ("listKind", "ListKindConflict"),
        ] {
            let mine = names[field].as_str().filter(|v| !v.is_empty());
            if let Some(mine) = mine
                && (taken["plural"].as_str() == Some(mine)
                    || taken["singular"].as_str() == Some(mine)
                    || taken[field].as_str() == Some(mine))
            {
                return Some((reason.to_string(), format!("\"{mine}\" is already in use")));
            }
        }
    }
    None
}

/// The status the API server itself writes when a CRD is created: names accepted and
/// established, or, when another CRD of the group holds one of its names, neither (and its
/// kind is not served).
pub fn crd_status(crd: &Value, now: &str, conflict: Option<&(String, String)>) -> Value {
    let names = &crd["spec"]["names"];
    let stored = crd["status"]["storedVersions"].clone();
    if let Some((reason, message)) = conflict {
        return json!({
            "conditions": [
                {"type": "NamesAccepted", "status": "False", "lastTransitionTime": now, "reason": reason,
                 "message": message},
                {"type": "Established", "status": "False", "lastTransitionTime": now, "reason": "NotAccepted",
                 "message": "not all names are accepted"}
            ],
            "acceptedNames": {"plural": "", "kind": ""},
            "storedVersions": stored
        });
    }
    json!({
        "conditions": [
            {"type": "NamesAccepted", "status": "True", "lastTransitionTime": now, "reason": "NoConflicts",
             "message": "no conflicts found"},
            {"type": "Established", "status": "True", "lastTransitionTime": now, "reason": "InitialNamesAccepted",
             "message": "the initial names have been accepted"}
        ],
        "acceptedNames": {"plural": names["plural"], "singular": names["singular"], "kind": names["kind"],
            "listKind": names["listKind"]},
        "storedVersions": stored
    })
}

type Cause = (String, String, String);

fn cause(reason: &str, message: String, field: &str) -> Cause {
    (reason.to_string(), message, field.to_string())
}

/// Validation the corpus shows: required selectors, immutable fields, CR schemas.
pub fn validate(rt: &ResourceType, new: &Value, old: Option<&Value>) -> Result<(), ApiError> {
    let name = new["metadata"]["name"].as_str().unwrap_or_default();
    let mut causes: Vec<Cause> = Vec::new();
    if !rt.builtin {
        if let Some(schema) = &rt.schema {
            causes = defaults::schema::validate(schema, new);
        }
    } else {
        match rt.kind.as_str() {
            "Deployment" | "StatefulSet" | "DaemonSet" | "ReplicaSet" => selector_matches(new, &mut causes),
            _ => {}
        }
        let strategy = &new["spec"]["strategy"];
        if rt.kind == "Deployment" && strategy["type"] == "Recreate" && !strategy["rollingUpdate"].is_null() {
            let msg = "Forbidden: may not be specified when strategy `type` is 'Recreate'";
            causes.push(cause(
                "FieldValueForbidden",
                msg.into(),
                "spec.strategy.rollingUpdate",
            ));
        }
        if let Some(old) = old {
            immutable(rt, new, old, &mut causes);
        }
    }
    if causes.is_empty() {
        Ok(())
    } else {
        Err(ApiError::invalid(rt, name, &causes))
    }
}

fn selector_matches(new: &Value, causes: &mut Vec<Cause>) {
    let selector = &new["spec"]["selector"];
    let labels = &new["spec"]["template"]["metadata"]["labels"];
    let shown = go_map(labels);
    if selector.is_null() {
        causes.push(cause(
            "FieldValueRequired",
            "Required value".into(),
            "spec.selector",
        ));
        let msg = format!("Invalid value: {shown}: `selector` does not match template `labels`");
        causes.push(cause("FieldValueInvalid", msg, "spec.template.metadata.labels"));
        return;
    }
    let wants = selector["matchLabels"].as_object().cloned().unwrap_or_default();
    if wants.iter().any(|(k, v)| labels.get(k) != Some(v)) {
        let msg = format!("Invalid value: {shown}: `selector` does not match template `labels`");
        causes.push(cause("FieldValueInvalid", msg, "spec.template.metadata.labels"));
    }
}

/// `map[string]string{"k":"v"}` as Go prints a label map.
fn go_map(v: &Value) -> String {
    let items: Vec<String> = v
        .as_object()
        .map(|o| {
            o.iter()
                .map(|(k, v)| format!("{:?}:{:?}", k, v.as_str().unwrap_or_default()))
                .collect()
        })
        .unwrap_or_default();
    format!("map[string]string{{{}}}", items.join(", "))
}

fn immutable(rt: &ResourceType, new: &Value, old: &Value, causes: &mut Vec<Cause>) {
    match rt.kind.as_str() {
        "StatefulSet" => {
            let allowed = [
                "replicas",
                "ordinals",
                "template",
                "updateStrategy",
                "persistentVolumeClaimRetentionPolicy",
                "minReadySeconds",
            ];
            let strip = |v: &Value| -> Value {
                let mut s = v["spec"].clone();
                if let Some(o) = s.as_object_mut() {
                    o.retain(|k, _| !allowed.contains(&k.as_str()));
                }
                s
            };
            if strip(new) != strip(old) {
                let msg = "Forbidden: updates to statefulset spec for fields other than 'replicas', 'ordinals', 'template', 'updateStrategy', 'persistentVolumeClaimRetentionPolicy' and 'minReadySeconds' are forbidden";
                causes.push(cause("FieldValueForbidden", msg.into(), "spec"));
            }
        }
        "Job" => {
            if new["spec"]["template"] != old["spec"]["template"] {
                causes.push(cause(
                    "FieldValueInvalid",
                    "field is immutable".into(),
                    "spec.template",
                ));
            }
            if new["spec"]["selector"] != old["spec"]["selector"] {
                causes.push(cause(
                    "FieldValueInvalid",
                    "field is immutable".into(),
                    "spec.selector",
                ));
            }
        }
        "RoleBinding" | "ClusterRoleBinding" if new["roleRef"] != old["roleRef"] => {
            let r = &new["roleRef"];
            let msg = format!(
                "Invalid value: rbac.RoleRef{{APIGroup:{:?}, Kind:{:?}, Name:{:?}}}: cannot change roleRef",
                r["apiGroup"].as_str().unwrap_or_default(),
                r["kind"].as_str().unwrap_or_default(),
                r["name"].as_str().unwrap_or_default()
            );
            causes.push(cause("FieldValueInvalid", msg, "roleRef"));
        }
        "PersistentVolumeClaim" if new["spec"] != old["spec"] => {
            let msg =
                "Forbidden: spec is immutable after creation except resources.requests for bound claims";
            causes.push(cause("FieldValueForbidden", msg.into(), "spec"));
        }
        _ => {}
    }
}
