//! The writing verbs: create, update, patch (apply, merge, JSON, strategic),
//! delete and deletecollection, including the `status` and `scale` subresources.

use super::api::{Reply, Req};
use super::cluster::Cluster;
use super::defaults;
use super::kinds::ResourceType;
use super::patch;
use super::route::ResourcePath;
use super::schema;
use super::selector::Selector;
use super::status::ApiError;
use super::typecheck;
use super::write::{self, Op, Target};
use serde_json::{Value, json};
use std::sync::Arc;

/// Largest accepted request body (the real server's limit is 3 MiB).
pub const MAX_BODY: usize = 3 * 1024 * 1024;

fn selectors(req: &Req) -> Result<(Selector, Selector), ApiError> {
    let labels =
        Selector::parse(req.q("labelSelector").unwrap_or_default()).map_err(ApiError::bad_request)?;
    let fields =
        Selector::parse(req.q("fieldSelector").unwrap_or_default()).map_err(ApiError::bad_request)?;
    Ok((labels, fields))
}

/// Parse a request body as JSON, or YAML when the content type says so.
fn body_value(req: &Req) -> Result<Value, ApiError> {
    if req.body.len() > MAX_BODY {
        return Err(ApiError::too_large());
    }
    // Protobuf bodies (typed clients of kubectl 1.30 and later) are not understood here.
    if req
        .content_type
        .starts_with("application/vnd.kubernetes.protobuf")
    {
        return Err(ApiError::unsupported_media_type());
    }
    let text =
        std::str::from_utf8(&req.body).map_err(|_| ApiError::bad_request("the request body is not UTF-8"))?;
    if req.content_type.contains("yaml") {
        // JSON is YAML too; kube-rs sends apply bodies as JSON, which parses much faster as such.
        if text.trim_start().starts_with('{')
            && let Ok(v) = serde_json::from_str::<Value>(text)
        {
            return Ok(v);
        }
        crate::yaml::from_str::<Value>(text).map_err(|e| {
            let line = e.line.map(|l| format!("line {l}: ")).unwrap_or_default();
            ApiError::bad_request(format!(
                "error decoding YAML: error converting YAML to JSON: yaml: {line}{}",
                e.message
            ))
        })
    } else {
        serde_json::from_str(text)
            .map_err(|e| ApiError::bad_request(format!("couldn't get version/kind; json parse error: {e}")))
    }
}

/// The body must be an object of this kind; its name and namespace must agree with the URL.
fn check_body(rt: &ResourceType, body: &Value, ns: &str, name: Option<&str>) -> Result<(), ApiError> {
    if !body.is_object() {
        return Err(ApiError::bad_request(
            "the request body must be a JSON or YAML object",
        ));
    }
    let av = body["apiVersion"].as_str().unwrap_or_default();
    let kind = body["kind"].as_str().unwrap_or_default();
    if (!av.is_empty() || !kind.is_empty()) && (av != rt.api_version() || kind != rt.kind) {
        let (g, v) = av.split_once('/').unwrap_or(("", av));
        return Err(ApiError::bad_request(format!(
            "invalid object type: {g}/{v}, Kind={kind}"
        )));
    }
    let body_ns = body["metadata"]["namespace"].as_str().unwrap_or_default();
    if rt.namespaced && !body_ns.is_empty() && body_ns != ns {
        return Err(ApiError::bad_request(
            "the namespace of the provided object does not match the namespace sent on the request",
        ));
    }
    if let Some(name) = name {
        let body_name = body["metadata"]["name"].as_str().unwrap_or_default();
        if !body_name.is_empty() && body_name != name {
            return Err(ApiError::bad_request(format!(
                "the name of the object ({body_name}) does not match the name on the URL ({name})"
            )));
        }
    }
    Ok(())
}

fn reply(written: write::Written) -> Reply {
    let code = if written.created { 201 } else { 200 };
    Reply::code(
        code,
        Arc::try_unwrap(written.object).unwrap_or_else(|shared| (*shared).clone()),
    )
}

fn run(cluster: &Cluster, t: &Target, op: Op) -> Result<Reply, ApiError> {
    if t.dry_run {
        let mut scratch = cluster
            .lock()
            .scratch_for(&t.rt.group, &t.rt.resource, t.namespace, t.name);
        return Ok(reply(write::write(&mut scratch, t, op)?));
    }
    let written = write::write(&mut cluster.lock(), t, op)?;
    if !t.dry_run {
        cluster.kick(t.rt, t.namespace, t.name);
    }
    Ok(reply(written))
}

pub fn create(cluster: &Cluster, req: &Req, rt: &ResourceType, ns: &str) -> Result<Reply, ApiError> {
    let mut body = body_value(req)?;
    check_body(rt, &body, ns, None)?;
    let mut name = body["metadata"]["name"].as_str().unwrap_or_default().to_string();
    if name.is_empty() {
        let Some(prefix) = body["metadata"]["generateName"].as_str().map(str::to_string) else {
            let causes = [(
                "FieldValueRequired".into(),
                "Required value: name or generateName is required".into(),
                "metadata.name".into(),
            )];
            return Err(ApiError::invalid(rt, "", &causes));
        };
        let suffix: String = cluster
            .lock()
            .uid()
            .chars()
            .filter(char::is_ascii_alphanumeric)
            .take(5)
            .collect();
        name = format!("{prefix}{suffix}");
        body["metadata"]["name"] = json!(name);
    }
    let manager = req.manager();
    let t = Target {
        rt,
        namespace: ns,
        name: &name,
        dry_run: req.dry_run(),
        manager: &manager,
        subresource: "",
    };
    run(cluster, &t, Op::Create(body))
}

pub fn update(cluster: &Cluster, req: &Req, rt: &ResourceType, p: &ResourcePath) -> Result<Reply, ApiError> {
    let body = body_value(req)?;
    let manager = req.manager();
    let t = target(rt, p, req, &manager);
    if p.subresource == "scale" {
        let replicas = body["spec"]["replicas"].clone();
        let set = move |old: &Value| -> Result<Value, ApiError> { Ok(with_replicas(old, &replicas)) };
        return scale_reply(run(cluster, &t, Op::Patch(&set))?);
    }
    check_body(rt, &body, &p.namespace, Some(&p.name))?;
    run(cluster, &t, Op::Update(body))
}

fn target<'a>(rt: &'a ResourceType, p: &'a ResourcePath, req: &Req, manager: &'a str) -> Target<'a> {
    Target {
        rt,
        namespace: &p.namespace,
        name: &p.name,
        dry_run: req.dry_run(),
        manager,
        subresource: &p.subresource,
    }
}

pub fn patch(cluster: &Cluster, req: &Req, rt: &ResourceType, p: &ResourcePath) -> Result<Reply, ApiError> {
    let ct = req
        .content_type
        .split(';')
        .next()
        .unwrap_or_default()
        .trim()
        .to_string();
    if ct == "application/apply-patch+yaml" {
        let Some(manager) = req.q("fieldManager").filter(|m| !m.is_empty()) else {
            return Err(ApiError::missing_field_manager());
        };
        let config = body_value(req)?;
        check_body(rt, &config, &p.namespace, Some(&p.name))?;
        if config["metadata"]["managedFields"].is_array() {
            return Err(ApiError::bad_request("metadata.managedFields must be nil"));
        }
        let problem = match &rt.schema {
            Some(s) => defaults::schema::unknown_field(s, &config)
                .map(|f| format!("{f}: field not declared in schema")),
            None => typecheck::problem(rt, &config),
        };
        if let Some(problem) = problem {
            return Err(ApiError::internal(format!(
                "failed to create typed patch object ({}/{}; {}, Kind={}): {problem}",
                p.namespace,
                p.name,
                rt.api_version(),
                rt.kind
            )));
        }
        let t = target(rt, p, req, manager);
        return run(
            cluster,
            &t,
            Op::Apply {
                config,
                force: req.flag("force"),
            },
        );
    }
    let kind = match ct.as_str() {
        "application/merge-patch+json" => PatchKind::Merge,
        "application/json-patch+json" => PatchKind::Json,
        "application/strategic-merge-patch+json" if rt.builtin => PatchKind::Strategic,
        _ => return Err(ApiError::unsupported_media_type()),
    };
    let body = body_value(req)?;
    let schema = schema::for_type(rt.builtin);
    let apply_patch = move |target: &Value| -> Result<Value, ApiError> {
        match kind {
            PatchKind::Merge => Ok(patch::merge_patch(target, &body)),
            PatchKind::Strategic => Ok(patch::strategic(&schema, target, &body)),
            PatchKind::Json => patch::json_patch(target, &body).map_err(ApiError::invalid_patch),
        }
    };
    let manager = req.manager();
    let t = target(rt, p, req, &manager);
    if p.subresource == "scale" {
        let f = |old: &Value| -> Result<Value, ApiError> {
            let scale = apply_patch(&scale_of(old))?;
            Ok(with_replicas(old, &scale["spec"]["replicas"]))
        };
        return scale_reply(run(cluster, &t, Op::Patch(&f))?);
    }
    run(cluster, &t, Op::Patch(&apply_patch))
}

#[derive(Clone, Copy)]
enum PatchKind {
    Merge,
    Json,
    Strategic,
}

/// The `autoscaling/v1` Scale view of a workload.
pub(super) fn scale_of(obj: &Value) -> Value {
    let m = &obj["metadata"];
    let selector: Vec<String> = obj["spec"]["selector"]["matchLabels"]
        .as_object()
        .map(|l| {
            l.iter()
                .map(|(k, v)| format!("{k}={}", v.as_str().unwrap_or_default()))
                .collect()
        })
        .unwrap_or_default();
    json!({
        "kind": "Scale", "apiVersion": "autoscaling/v1",
        "metadata": {"name": m["name"], "namespace": m["namespace"], "uid": m["uid"],
            "resourceVersion": m["resourceVersion"], "creationTimestamp": m["creationTimestamp"]},
        "spec": {"replicas": obj["spec"]["replicas"].as_i64().unwrap_or(0)},
        "status": {"replicas": obj["status"]["replicas"].as_i64().unwrap_or(0), "selector": selector.join(",")}
    })
}

fn with_replicas(old: &Value, replicas: &Value) -> Value {
    let mut new = old.clone();
    new["spec"]["replicas"] = replicas.clone();
    new
}

fn scale_reply(r: Reply) -> Result<Reply, ApiError> {
    Ok(match r {
        Reply::Json {
            code,
            body,
            content_type,
        } => Reply::Json {
            code,
            body: scale_of(&body),
            content_type,
        },
        other => other,
    })
}

pub fn delete(cluster: &Cluster, req: &Req, rt: &ResourceType, p: &ResourcePath) -> Result<Reply, ApiError> {
    let gone = write::delete(&mut cluster.lock(), rt, &p.namespace, &p.name, req.dry_run())?;
    if !req.dry_run() {
        kick_controller(cluster, &gone);
    }
    Ok(Reply::ok((*gone).clone()))
}

/// Wake the controller of a deleted object (a ReplicaSet replaces its Pod).
fn kick_controller(cluster: &Cluster, gone: &Value) {
    let Some(owner) = gone["metadata"]["ownerReferences"]
        .as_array()
        .and_then(|refs| refs.iter().find(|r| r["controller"] == true))
    else {
        return;
    };
    let rt = cluster
        .types()
        .into_iter()
        .find(|t| owner["apiVersion"] == t.api_version().as_str() && owner["kind"] == t.kind.as_str());
    if let (Some(rt), Some(name)) = (rt, owner["name"].as_str()) {
        let ns = gone["metadata"]["namespace"].as_str().unwrap_or_default();
        cluster.kick(&rt, ns, name);
    }
}

pub fn delete_collection(
    cluster: &Cluster,
    req: &Req,
    rt: &ResourceType,
    ns: &str,
) -> Result<Reply, ApiError> {
    let (labels, fields) = selectors(req)?;
    let mut store = cluster.lock();
    let items = store.list(&rt.group, &rt.resource, (!ns.is_empty()).then_some(ns));
    let mut gone = Vec::new();
    for o in items
        .iter()
        .filter(|o| labels.matches_labels(o) && fields.matches_fields(o))
    {
        let name = o["metadata"]["name"].as_str().unwrap_or_default();
        let item_ns = o["metadata"]["namespace"].as_str().unwrap_or_default();
        gone.push((*write::delete(&mut store, rt, item_ns, name, req.dry_run())?).clone());
    }
    let rv = store.resource_version().to_string();
    Ok(Reply::ok(
        json!({"kind": rt.list_kind(), "apiVersion": rt.api_version(),
        "metadata": {"resourceVersion": rv}, "items": gone}),
    ))
}
