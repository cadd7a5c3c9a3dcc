//! API errors as the real server words them: `Status` bodies with the corpus's messages,
//! reasons and details, plus the plain-text `404 page not found` of unknown paths.

use super::kinds::ResourceType;
use serde_json::{Value, json};

/// An error response: HTTP code and body.
#[derive(Debug, Clone, PartialEq)]
pub struct ApiError {
    pub code: u16,
    pub body: ErrorBody,
}

#[derive(Debug, Clone, PartialEq)]
pub enum ErrorBody {
    Status(Value),
    /// `text/plain; charset=utf-8`
    Text(&'static str),
}

/// `deployments.apps`, `configmaps`: how messages name a resource.
pub fn qualified_resource(rt: &ResourceType) -> String {
    if rt.group.is_empty() {
        rt.resource.clone()
    } else {
        format!("{}.{}", rt.resource, rt.group)
    }
}

fn status(code: u16, reason: Option<&str>, message: String, details: Option<Value>) -> ApiError {
    let mut body = json!({"kind": "Status", "apiVersion": "v1", "metadata": {}, "status": "Failure", "message": message});
    if let Some(r) = reason {
        body["reason"] = json!(r);
    }
    if let Some(d) = details {
        body["details"] = d;
    }
    body["code"] = json!(code);
    ApiError {
        code,
        body: ErrorBody::Status(body),
    }
}

fn named(rt: &ResourceType, name: &str) -> Value {
    let mut d = json!({"name": name});
    if !rt.group.is_empty() {
        d["group"] = json!(rt.group);
    }
    d["kind"] = json!(rt.resource);
    d
}

impl ApiError {
    pub fn page_not_found() -> ApiError {
        ApiError {
            code: 404,
            body: ErrorBody::Text("404 page not found\n"),
        }
    }

    pub fn resource_not_found() -> ApiError {
        status(
            404,
            Some("NotFound"),
            "the server could not find the requested resource".into(),
            Some(json!({})),
        )
    }

    pub fn not_found(rt: &ResourceType, name: &str) -> ApiError {
        let msg = format!("{} \"{name}\" not found", qualified_resource(rt));
        status(404, Some("NotFound"), msg, Some(named(rt, name)))
    }

    pub fn namespace_not_found(ns: &str) -> ApiError {
        let d = json!({"name": ns, "kind": "namespaces"});
        status(
            404,
            Some("NotFound"),
            format!("namespaces \"{ns}\" not found"),
            Some(d),
        )
    }

    pub fn already_exists(rt: &ResourceType, name: &str) -> ApiError {
        let msg = format!("{} \"{name}\" already exists", qualified_resource(rt));
        status(409, Some("AlreadyExists"), msg, Some(named(rt, name)))
    }

    pub fn stale(rt: &ResourceType, name: &str) -> ApiError {
        let msg = format!(
            "Operation cannot be fulfilled on {} \"{name}\": the object has been modified; please apply your changes to the latest version and try again",
            qualified_resource(rt)
        );
        status(409, Some("Conflict"), msg, Some(named(rt, name)))
    }

    pub fn apply_conflict(body: Value) -> ApiError {
        ApiError {
            code: 409,
            body: ErrorBody::Status(body),
        }
    }

    pub fn unauthorized() -> ApiError {
        status(401, Some("Unauthorized"), "Unauthorized".into(), None)
    }

    /// `configmaps "x" is forbidden: User "viewer" cannot patch resource "configmaps" in API group "" in the namespace "corpus"`
    pub fn forbidden(user: &str, verb: &str, rt: &ResourceType, namespace: &str, name: &str) -> ApiError {
        let subject = if name.is_empty() {
            format!("{} is forbidden", qualified_resource(rt))
        } else {
            format!("{} \"{name}\" is forbidden", qualified_resource(rt))
        };
        let scope = if namespace.is_empty() {
            "at the cluster scope".to_string()
        } else {
            format!("in the namespace \"{namespace}\"")
        };
        let msg = format!(
            "{subject}: User \"{user}\" cannot {verb} resource \"{}\" in API group \"{}\" {scope}",
            rt.resource, rt.group
        );
        let mut d = named(rt, name);
        if name.is_empty() {
            d.as_object_mut().map(|m| m.remove("name"));
        }
        status(403, Some("Forbidden"), msg, Some(d))
    }

    /// `forbidden: User "viewer" cannot get path "/metrics"` (a non-resource URL).
    pub fn forbidden_path(user: &str, verb: &str, path: &str) -> ApiError {
        let msg = format!("forbidden: User \"{user}\" cannot {verb} path \"{path}\"");
        status(403, Some("Forbidden"), msg, Some(json!({})))
    }

    pub fn bad_request(message: impl Into<String>) -> ApiError {
        status(400, Some("BadRequest"), message.into(), None)
    }

    pub fn unsupported_media_type() -> ApiError {
        status(
            415,
            Some("UnsupportedMediaType"),
            "415: Unsupported Media Type".into(),
            Some(json!({})),
        )
    }

    pub fn not_acceptable() -> ApiError {
        status(
            406,
            Some("NotAcceptable"),
            "only the following media types are accepted: application/json, application/yaml, application/vnd.kubernetes.protobuf".into(),
            None,
        )
    }

    pub fn method_not_allowed(method: &str) -> ApiError {
        let msg = format!("the server does not allow this method on the requested resource ({method})");
        status(405, Some("MethodNotAllowed"), msg, Some(json!({})))
    }

    pub fn too_large() -> ApiError {
        status(
            413,
            Some("RequestEntityTooLarge"),
            "the request body is too large".into(),
            None,
        )
    }

    /// A patch that cannot be applied to the stored object.
    pub fn invalid_patch(message: impl Into<String>) -> ApiError {
        status(422, Some("Invalid"), message.into(), Some(json!({})))
    }

    pub fn internal(message: impl Into<String>) -> ApiError {
        status(500, None, message.into(), None)
    }

    pub fn gone(requested: u64, oldest: u64) -> ApiError {
        let msg = format!("too old resource version: {requested} ({oldest})");
        status(410, Some("Expired"), msg, None)
    }

    /// 422 with field causes: `(reason, message, field)`.
    pub fn invalid(rt: &ResourceType, name: &str, causes: &[(String, String, String)]) -> ApiError {
        let parts: Vec<String> = causes.iter().map(|(_, m, f)| format!("{f}: {m}")).collect();
        let joined = if parts.len() == 1 {
            parts[0].clone()
        } else {
            format!("[{}]", parts.join(", "))
        };
        let msg = format!("{} \"{name}\" is invalid: {joined}", rt.qualified_kind());
        let mut d = json!({"name": name});
        if !rt.group.is_empty() {
            d["group"] = json!(rt.group);
        }
        d["kind"] = json!(rt.kind);
        d["causes"] = causes
            .iter()
            .map(|(r, m, f)| json!({"reason": r, "message": m, "field": f}))
            .collect::<Vec<_>>()
            .into();
        status(422, Some("Invalid"), msg, Some(d))
    }

    pub fn missing_field_manager() -> ApiError {
        let d = json!({"group": "meta.k8s.io", "kind": "PatchOptions", "causes": [{
            "reason": "FieldValueRequired", "message": "Required value: is required for apply patch", "field": "fieldManager"}]});
        let msg = "PatchOptions.meta.k8s.io \"\" is invalid: fieldManager: Required value: is required for apply patch";
        status(422, Some("Invalid"), msg.into(), Some(d))
    }
}
