//! Create-only resources that are never stored: access reviews (what `kubectl auth can-i`
//! and `kubectl auth whoami` create) and the like. The answer is the request with the
//! server's `status` filled in for the caller's identity.

use super::api::{Reply, Req};
use super::auth::Identity;
use super::kinds::ResourceType;
use super::status::ApiError;
use serde_json::{Value, json};

fn groups(who: Identity) -> Value {
    match who {
        Identity::Admin => json!(["system:masters", "system:authenticated"]),
        Identity::Viewer => json!(["system:authenticated"]),
    }
}

/// Whether `who` may do what a review's `resourceAttributes` describe.
fn allowed(who: Identity, attrs: &Value) -> bool {
    let verb = attrs["verb"].as_str().unwrap_or_default();
    let group = attrs["group"].as_str().unwrap_or_default();
    let resource = attrs["resource"].as_str().unwrap_or_default();
    who == Identity::Admin
        || (matches!(verb, "get" | "list" | "watch") && !(group.is_empty() && resource == "secrets"))
}

fn rules(who: Identity) -> Value {
    match who {
        Identity::Admin => json!([{"verbs": ["*"], "apiGroups": ["*"], "resources": ["*"]}]),
        Identity::Viewer => {
            json!([{"verbs": ["get", "list", "watch"], "apiGroups": ["*"], "resources": ["*"]}])
        }
    }
}

pub fn create(req: &Req, rt: &ResourceType, who: Identity) -> Result<Reply, ApiError> {
    let mut body: Value = serde_json::from_slice(&req.body)
        .map_err(|e| ApiError::bad_request(format!("couldn't get version/kind; json parse error: {e}")))?;
    if !body.is_object() {
        return Err(ApiError::bad_request("the request body must be a JSON object"));
    }
    body["apiVersion"] = json!(rt.api_version());
    body["kind"] = json!(rt.kind);
    if !body["metadata"].is_object() {
        body["metadata"] = json!({});
    }
    body["metadata"]["creationTimestamp"] = Value::Null;
    body["status"] = match rt.kind.as_str() {
        "SelfSubjectAccessReview" => {
            json!({"allowed": allowed(who, &body["spec"]["resourceAttributes"])})
        }
        "SelfSubjectReview" => json!({"userInfo": {"username": who.user(), "groups": groups(who)}}),
        "SelfSubjectRulesReview" => json!({"resourceRules": rules(who), "nonResourceRules": [
            {"verbs": ["get"], "nonResourceURLs": ["/api", "/api/*", "/apis", "/apis/*", "/version"]}],
            "incomplete": false}),
        "SubjectAccessReview" | "LocalSubjectAccessReview" => json!({"allowed": false}),
        "TokenReview" => json!({"user": {}}),
        _ => {
            return Ok(Reply::code(
                201,
                json!({"kind": "Status", "apiVersion": "v1", "metadata": {},
            "status": "Success", "code": 201}),
            ));
        }
    };
    Ok(Reply::code(201, body))
}
