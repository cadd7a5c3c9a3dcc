//! Every write Sextant makes to a cluster: server-side apply as `sextant` with force, and
//! delete. Each needs a [`Permit`] from the action gate ([`crate::gate`]) for that action on
//! that cluster, so no write can go around it. Errors say what the server said and what it
//! means for the user: the verb and resource a 403 forbids, the namespace a 404 misses, the
//! field a 422 names, the webhook that denied.

use super::apply::FIELD_MANAGER;
use super::discovery::KindInfo;
use super::key::ObjectKey;
use crate::gate::{Action, Permit};
use kube::Client;
use kube::api::{Api, DeleteParams, DynamicObject, Patch, PatchParams, PropagationPolicy};
use serde_json::Value;
use std::time::Duration;

/// How long one write may take.
pub const WRITE_TIMEOUT: Duration = Duration::from_secs(30);

/// Why a write did not happen, in the words the user needs.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum WriteError {
    /// The permit does not cover this write (a bug in the caller, never the user's doing).
    #[error("not permitted: the action gate allowed {allowed}, not {wanted}")]
    NotPermitted { allowed: String, wanted: String },
    /// 401: the credentials were rejected.
    #[error("the server rejected the credentials (401): the token may have expired; log in again")]
    Unauthorized,
    /// 403: the user may not write here.
    #[error("you may not {verb} {resource}{scope} here (403): {message}")]
    Forbidden {
        verb: &'static str,
        resource: String,
        scope: String,
        message: String,
    },
    /// The object's namespace does not exist.
    #[error(
        "namespace {namespace} does not exist and is not created by this sync: add it to the app in Git, or create it first"
    )]
    NamespaceMissing { namespace: String },
    /// An admission webhook denied the request.
    #[error("denied by an admission webhook ({code}): {message}")]
    Denied { code: u16, message: String },
    /// The server refused the object (400, 409, 422, 500 for SSA bodies with unknown fields).
    #[error("the server rejected it ({code}): {message}")]
    Rejected { code: u16, message: String },
    /// No answer: connection refused, reset, timeout.
    #[error("the cluster did not answer: {0}")]
    Unreachable(String),
}

impl WriteError {
    /// Whether the cluster itself is gone (the rest of a sync would fail the same way).
    pub fn is_unreachable(&self) -> bool {
        matches!(self, WriteError::Unreachable(_))
    }
}

fn api_for(client: &Client, kind: &KindInfo, namespace: &str) -> Api<DynamicObject> {
    if kind.namespaced {
        let ns = if namespace.is_empty() {
            "default"
        } else {
            namespace
        };
        Api::namespaced_with(client.clone(), ns, &kind.resource)
    } else {
        Api::all_with(client.clone(), &kind.resource)
    }
}

fn check(permit: &Permit, action: Action, context: &str) -> Result<(), WriteError> {
    if permit.allows(action, context) {
        Ok(())
    } else {
        Err(WriteError::NotPermitted {
            allowed: format!("{} on {}", permit.action().as_str(), permit.target()),
            wanted: format!("{} on context {context}", action.as_str()),
        })
    }
}

/// Server-side apply `object` as `sextant`, forcing conflicts, on the cluster `context`
/// names. Returns the object as the server stored it.
pub async fn apply(
    client: &Client,
    permit: &Permit,
    context: &str,
    kind: &KindInfo,
    object: &Value,
) -> Result<Value, WriteError> {
    check(permit, Action::Sync, context)?;
    let s = |p: &str| object.pointer(p).and_then(Value::as_str).unwrap_or_default();
    let (namespace, name) = (s("/metadata/namespace"), s("/metadata/name"));
    let api = api_for(client, kind, namespace);
    let params = PatchParams::apply(FIELD_MANAGER).force();
    let patch = Patch::Apply(object);
    let request = api.patch(name, &params, &patch);
    match tokio::time::timeout(WRITE_TIMEOUT, request).await {
        Ok(Ok(obj)) => serde_json::to_value(super::typed::with_type(&kind.resource, obj)).map_err(|e| {
            WriteError::Rejected {
                code: 0,
                message: e.to_string(),
            }
        }),
        Ok(Err(e)) => Err(classify(e, "patch", kind, namespace)),
        Err(_) => Err(timed_out()),
    }
}

/// What a delete did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Deleted {
    /// The server accepted the delete (the object may linger while finalizers run).
    Deleted,
    /// It was already gone.
    AlreadyGone,
}

/// Delete one object (background propagation, as Argo CD prunes).
pub async fn delete(
    client: &Client,
    permit: &Permit,
    context: &str,
    kind: &KindInfo,
    key: &ObjectKey,
) -> Result<Deleted, WriteError> {
    check(permit, Action::Prune, context)?;
    let api = api_for(client, kind, &key.namespace);
    let params = DeleteParams {
        propagation_policy: Some(PropagationPolicy::Background),
        ..DeleteParams::default()
    };
    match tokio::time::timeout(WRITE_TIMEOUT, api.delete(&key.name, &params)).await {
        Ok(Ok(_)) => Ok(Deleted::Deleted),
        Ok(Err(kube::Error::Api(s))) if s.code == 404 => Ok(Deleted::AlreadyGone),
        Ok(Err(e)) => Err(classify(e, "delete", kind, &key.namespace)),
        Err(_) => Err(timed_out()),
    }
}

fn timed_out() -> WriteError {
    WriteError::Unreachable(format!("no answer within {}s", WRITE_TIMEOUT.as_secs()))
}

/// A kube error on a patch of a namespaced custom resource, in the user's terms.
pub(super) fn classify_patch(
    err: kube::Error,
    resource: &kube::discovery::ApiResource,
    namespace: &str,
) -> WriteError {
    let kind = KindInfo {
        resource: resource.clone(),
        namespaced: true,
    };
    classify(err, "patch", &kind, namespace)
}

/// A kube error on a write, in the user's terms.
fn classify(err: kube::Error, verb: &'static str, kind: &KindInfo, namespace: &str) -> WriteError {
    let status = match err {
        kube::Error::Api(status) => status,
        other => return WriteError::Unreachable(super::cluster::error_chain(&other)),
    };
    let message = first_line(&status.message);
    let group = &kind.resource.group;
    let resource = if group.is_empty() {
        kind.resource.plural.clone()
    } else {
        format!("{}.{group}", kind.resource.plural)
    };
    match status.code {
        401 => WriteError::Unauthorized,
        403 if !message.contains("admission webhook") => WriteError::Forbidden {
            verb,
            resource,
            scope: if kind.namespaced && !namespace.is_empty() {
                format!(" in namespace {namespace}")
            } else {
                String::new()
            },
            message,
        },
        404 if kind.namespaced && message.contains("namespaces \"") && message.ends_with("not found") => {
            WriteError::NamespaceMissing {
                namespace: namespace.to_string(),
            }
        }
        code if message.contains("admission webhook") => WriteError::Denied { code, message },
        code => WriteError::Rejected { code, message },
    }
}

/// Immutable-field messages embed a multi-kilobyte Go struct dump; keep them readable.
fn first_line(message: &str) -> String {
    let line = message.lines().next().unwrap_or_default();
    if line.chars().count() > 400 {
        let cut: String = line.chars().take(400).collect();
        format!("{cut}…")
    } else {
        line.to_string()
    }
}

/// Wait until the CRD `name` reports `Established` (its kinds are served), up to `within`.
/// Reading needs no permit: it writes nothing.
pub async fn wait_established(client: &Client, name: &str, within: Duration) -> Result<(), String> {
    let api: Api<DynamicObject> = Api::all_with(
        client.clone(),
        &kube::discovery::ApiResource::erase::<
            k8s_openapi::apiextensions_apiserver::pkg::apis::apiextensions::v1::CustomResourceDefinition,
        >(&()),
    );
    let deadline = tokio::time::Instant::now() + within;
    loop {
        let last: String;
        match tokio::time::timeout(WRITE_TIMEOUT, api.get_opt(name)).await {
            Ok(Ok(Some(crd))) => {
                let conditions = crd.data.pointer("/status/conditions").and_then(Value::as_array);
                let condition = |t: &str| conditions.into_iter().flatten().find(|c| c["type"] == t);
                // Names another CRD holds are never accepted: no point waiting.
                if let Some(c) = condition("NamesAccepted").filter(|c| c["status"] == "False") {
                    return Err(format!(
                        "CRD {name} will not become Established: its names are not accepted ({}: {}); \
                         another CRD of its group holds them",
                        c["reason"].as_str().unwrap_or("?"),
                        c["message"].as_str().unwrap_or_default()
                    ));
                }
                let established = condition("Established");
                match established {
                    Some(c) if c["status"] == "True" => return Ok(()),
                    Some(c) => {
                        last = format!(
                            "Established is {}: {}",
                            c["status"].as_str().unwrap_or("?"),
                            c["message"].as_str().unwrap_or_default()
                        )
                    }
                    None => last = "no Established condition yet".into(),
                }
            }
            Ok(Ok(None)) => last = "it does not exist".into(),
            Ok(Err(e)) => last = super::cluster::describe(&e),
            Err(_) => last = "no answer".into(),
        }
        if tokio::time::Instant::now() >= deadline {
            return Err(format!(
                "CRD {name} did not become Established within {}s ({last})",
                within.as_secs()
            ));
        }
        tokio::time::sleep(Duration::from_millis(250)).await;
    }
}
