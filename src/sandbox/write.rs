//! The write pipeline every mutating verb goes through, under the cluster's store lock:
//! build the new object (create body, update body, patched or applied object), default it,
//! apply the kind's strategy, validate, record managed fields, then store it (or not, for
//! `dryRun=All`) and tell watchers. A write that changes nothing returns the stored object.

use super::clock;
use super::defaults::{self, Ctx};
use super::kinds::ResourceType;
use super::last_applied;
use super::managed::{self, Requested, Writer};
use super::schema;
use super::status::ApiError;
use super::store::Store;
use super::strategy;
use super::typed::Walk;
use crate::kube::fieldset::Scope;
use serde_json::{Value, json};
use std::sync::Arc;

/// Who writes what, where.
pub struct Target<'a> {
    pub rt: &'a ResourceType,
    pub namespace: &'a str,
    pub name: &'a str,
    pub dry_run: bool,
    pub manager: &'a str,
    /// "", "status" or "scale".
    pub subresource: &'a str,
}

/// How the new object is obtained from the stored one.
pub enum Op<'a> {
    Create(Value),
    Update(Value),
    /// A non-apply patch: computes the new object from the stored one.
    Patch(&'a dyn Fn(&Value) -> Result<Value, ApiError>),
    Apply {
        config: Value,
        force: bool,
    },
}

pub struct Written {
    pub object: Arc<Value>,
    pub created: bool,
}

fn walk(rt: &ResourceType, subresource: &str) -> Walk {
    let scope = if subresource == "status" {
        Scope::Status
    } else {
        Scope::Main {
            status_separate: rt.status,
        }
    };
    Walk {
        schema: schema::for_type(rt.builtin),
        scope,
    }
}

fn skeleton(t: &Target) -> Value {
    let mut meta = json!({"name": t.name});
    if t.rt.namespaced {
        meta["namespace"] = json!(t.namespace);
    }
    json!({"apiVersion": t.rt.api_version(), "kind": t.rt.kind, "metadata": meta})
}

/// Run one write against `store`.
pub fn write(store: &mut Store, t: &Target, op: Op) -> Result<Written, ApiError> {
    let rt = t.rt;
    let old = store.get(&rt.group, &rt.resource, t.namespace, t.name);
    let creating = matches!(op, Op::Create(_)) || (matches!(op, Op::Apply { .. }) && old.is_none());
    if creating && rt.namespaced && !store.namespace_exists(t.namespace) {
        return Err(ApiError::namespace_not_found(t.namespace));
    }
    let now = clock::now();
    let who = Writer {
        manager: t.manager,
        api_version: &rt.api_version(),
        now: &now,
    };
    let w = walk(rt, t.subresource);
    let base = old.as_deref().cloned().unwrap_or_else(|| skeleton(t));
    let entries = managed::read(&base);
    let status_write = t.subresource == "status";

    if let Op::Apply { config, .. } | Op::Create(config) | Op::Update(config) = &op {
        well_formed(config)?;
    }
    let mut from_request = false;
    let (mut new, entries) = match op {
        Op::Apply { config, force } => {
            let (mut merged, entries) = last_applied::apply(&w, &base, &config, &entries, &who, force)
                .map_err(|c| ApiError::apply_conflict(managed::conflict_status(&c)))?;
            finish(store, t, &mut merged, old.as_deref(), &now, status_write);
            (merged, entries)
        }
        other => {
            let mut new = match other {
                Op::Create(body) => {
                    if old.is_some() {
                        return Err(ApiError::already_exists(rt, t.name));
                    }
                    body
                }
                Op::Update(body) => {
                    let Some(old) = &old else {
                        return Err(ApiError::not_found(rt, t.name));
                    };
                    let sent = body["metadata"]["resourceVersion"].as_str().unwrap_or_default();
                    let have = old["metadata"]["resourceVersion"].as_str().unwrap_or_default();
                    if !sent.is_empty() && sent != have {
                        return Err(ApiError::stale(rt, t.name));
                    }
                    body
                }
                Op::Patch(f) => {
                    let Some(old) = &old else {
                        return Err(ApiError::not_found(rt, t.name));
                    };
                    let patched = f(old)?;
                    well_formed(&patched)?;
                    // A patch may set resourceVersion (kubectl's managedFields upgrade does):
                    // then it is a precondition, as on an update.
                    let sent = patched["metadata"]["resourceVersion"]
                        .as_str()
                        .unwrap_or_default();
                    let have = old["metadata"]["resourceVersion"].as_str().unwrap_or_default();
                    if !sent.is_empty() && sent != have {
                        return Err(ApiError::stale(rt, t.name));
                    }
                    patched
                }
                Op::Apply { .. } => unreachable!("handled above"),
            };
            // Subresource writes cannot set managedFields; other writes can (kubectl's
            // upgrade from client-side apply does it with a JSON patch).
            let requested = if t.subresource.is_empty()
                && new["metadata"]["managedFields"] != base["metadata"]["managedFields"]
            {
                managed::requested(&new)
            } else {
                Requested::Stored
            };
            from_request = !matches!(requested, Requested::Stored);
            let entries = match requested {
                Requested::Stored => entries,
                Requested::Reset => Vec::new(),
                Requested::Entries(given) => given,
            };
            if let Some(m) = new.get_mut("metadata").and_then(Value::as_object_mut) {
                m.remove("managedFields");
                m.insert("name".into(), json!(t.name));
                if rt.namespaced {
                    m.insert("namespace".into(), json!(t.namespace));
                } else {
                    m.remove("namespace");
                }
            }
            // Fields the strategy sets (a DaemonSet's template generation) are nobody's.
            default(store, t, &mut new, old.as_deref(), status_write);
            let entries = managed::update(&w, &base, &new, &entries, &who, t.subresource);
            strategy::prepare(t.rt, &mut new, old.as_deref(), store, &now, status_write);
            (new, entries)
        }
    };
    strategy::validate(rt, &new, old.as_deref())?;
    let mut entries = entries;
    // A new CRD is answered before the naming controller accepts its names, as recorded
    // (case 23's apply-response); the acceptance is a second write right after.
    let accept_crd = rt.builtin && rt.kind == "CustomResourceDefinition" && old.is_none();
    if accept_crd {
        new["status"]["conditions"] = Value::Null;
        new["status"]["acceptedNames"] = json!({"plural": "", "kind": ""});
    }
    managed::write(&mut new, &mut entries);
    if from_request {
        let causes = managed::invalid_entries(&entries);
        if !causes.is_empty() {
            return Err(ApiError::invalid(rt, t.name, &causes));
        }
    }
    if let Some(old) = &old
        && **old == new
    {
        return Ok(Written {
            object: old.clone(),
            created: false,
        });
    }
    let created = old.is_none();
    if t.dry_run {
        return Ok(Written {
            object: Arc::new(new),
            created,
        });
    }
    let is_crd = rt.kind == "CustomResourceDefinition" && rt.builtin;
    let conflict = is_crd
        .then(|| {
            let others: Vec<Value> = store
                .list_raw(&rt.group, &rt.resource, None)
                .iter()
                .map(|o| o.value())
                .collect();
            strategy::crd_name_conflict(&new, others.iter())
        })
        .flatten();
    if is_crd && conflict.is_none() {
        store.register_crd(&new);
    }
    let object = store.put(&rt.group, &rt.resource, t.namespace, t.name, new, created);
    if accept_crd {
        let mut accepted = (*object).clone();
        let mut entries = managed::read(&accepted);
        crd_accept(&mut accepted, &mut entries, &now, rt, conflict.as_ref());
        managed::write(&mut accepted, &mut entries);
        store.put(&rt.group, &rt.resource, t.namespace, t.name, accepted, false);
    }
    Ok(Written { object, created })
}

/// The object shape every later step relies on: an object whose metadata, labels and
/// annotations are objects (labels and annotations of strings), as the real decoder demands.
fn well_formed(v: &Value) -> Result<(), ApiError> {
    if !v.is_object() {
        return Err(ApiError::bad_request("the object must be a JSON object"));
    }
    let meta = &v["metadata"];
    if !(meta.is_object() || meta.is_null()) {
        return Err(ApiError::bad_request("metadata must be an object"));
    }
    for field in ["labels", "annotations"] {
        let m = &meta[field];
        let ok = m.is_null() || m.as_object().is_some_and(|o| o.values().all(Value::is_string));
        if !ok {
            return Err(ApiError::bad_request(format!(
                "json: cannot unmarshal into Go struct field ObjectMeta.metadata.{field} of type map[string]string"
            )));
        }
    }
    for field in ["spec", "status"] {
        if !(v[field].is_object() || v[field].is_null()) {
            return Err(ApiError::bad_request(format!("{field} must be an object")));
        }
    }
    Ok(())
}

fn default(store: &mut Store, t: &Target, new: &mut Value, old: Option<&Value>, status_write: bool) {
    if !status_write {
        let mut ctx = Ctx {
            store,
            old,
            dry_run: t.dry_run,
        };
        defaults::apply(t.rt, new, &mut ctx);
    }
}

fn finish(
    store: &mut Store,
    t: &Target,
    new: &mut Value,
    old: Option<&Value>,
    now: &str,
    status_write: bool,
) {
    default(store, t, new, old, status_write);
    strategy::prepare(t.rt, new, old, store, now, status_write);
}

/// The API server accepts a new CRD's names at once, as manager `kube-apiserver` (or, when
/// another CRD of the group holds one, says so and never establishes it).
fn crd_accept(
    new: &mut Value,
    entries: &mut Vec<managed::Entry>,
    now: &str,
    rt: &ResourceType,
    conflict: Option<&(String, String)>,
) {
    let before = new.clone();
    new["status"] = strategy::crd_status(new, now, conflict);
    let w = Walk {
        schema: schema::for_type(true),
        scope: Scope::Status,
    };
    let who = Writer {
        manager: "kube-apiserver",
        api_version: &rt.api_version(),
        now,
    };
    *entries = managed::update(&w, &before, new, entries, &who, "status");
}

/// Delete one object (a Namespace takes its contents along; a CRD its custom resources).
pub fn delete(
    store: &mut Store,
    rt: &ResourceType,
    ns: &str,
    name: &str,
    dry_run: bool,
) -> Result<Arc<Value>, ApiError> {
    let Some(old) = store.get(&rt.group, &rt.resource, ns, name) else {
        return Err(ApiError::not_found(rt, name));
    };
    if dry_run {
        return Ok(old);
    }
    if rt.builtin && rt.kind == "Namespace" {
        for (group, resource, n) in store.namespaced_keys(name) {
            store.remove(&group, &resource, name, &n);
        }
    }
    if rt.builtin && rt.kind == "CustomResourceDefinition" {
        let group = old["spec"]["group"].as_str().unwrap_or_default().to_string();
        let plural = old["spec"]["names"]["plural"]
            .as_str()
            .unwrap_or_default()
            .to_string();
        let keys: Vec<(String, String)> = store
            .list(&group, &plural, None)
            .iter()
            .map(|o| {
                let m = &o["metadata"];
                (
                    m["namespace"].as_str().unwrap_or_default().to_string(),
                    m["name"].as_str().unwrap_or_default().to_string(),
                )
            })
            .collect();
        for (n, name) in keys {
            store.remove(&group, &plural, &n, &name);
        }
        store.unregister_crd(&old);
    }
    let gone = store
        .remove(&rt.group, &rt.resource, ns, name)
        .ok_or_else(|| ApiError::not_found(rt, name))?;
    if rt.builtin && rt.group == "apps" && matches!(rt.kind.as_str(), "Deployment" | "ReplicaSet") {
        collect_garbage(store, ns, gone["metadata"]["uid"].as_str().unwrap_or_default());
    }
    Ok(gone)
}

/// The garbage collector, for what the simulated controllers create: the ReplicaSets and
/// Pods controlled by a deleted object go with it (background propagation, done at once).
fn collect_garbage(store: &mut Store, ns: &str, uid: &str) {
    if uid.is_empty() {
        return;
    }
    for (group, resource) in [("apps", "replicasets"), ("", "pods")] {
        let Some(rt) = store
            .types
            .iter()
            .find(|t| t.builtin && t.group == group && t.resource == resource)
            .cloned()
        else {
            continue;
        };
        let owned: Vec<String> = store
            .list(group, resource, Some(ns))
            .iter()
            .filter(|o| {
                o["metadata"]["ownerReferences"]
                    .as_array()
                    .is_some_and(|refs| refs.iter().any(|r| r["uid"] == uid))
            })
            .filter_map(|o| o["metadata"]["name"].as_str().map(str::to_string))
            .collect();
        for name in owned {
            let _ = delete(store, &rt, ns, &name, false);
        }
    }
}
