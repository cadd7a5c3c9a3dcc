//! A minimal but valid OpenAPI v3 per group-version: one PATCH operation per kind with the
//! query parameters kubectl checks for (`fieldValidation`, `dryRun`, `fieldManager`, `force`)
//! so that `kubectl apply --server-side` and `kubectl diff` use server-side validation.

use super::kinds::ResourceType;
use serde_json::{Map, Value, json};
use std::sync::Arc;

fn gv_path(group: &str, version: &str) -> String {
    if group.is_empty() {
        format!("api/{version}")
    } else {
        format!("apis/{group}/{version}")
    }
}

/// `/openapi/v3`: where each group-version's document is.
pub fn root(types: &[Arc<ResourceType>]) -> Value {
    let mut paths = Map::new();
    for t in types {
        let p = gv_path(&t.group, &t.version);
        let url = format!("/openapi/v3/{p}?hash={}", hash(types, &t.group, &t.version));
        paths.insert(p, json!({"serverRelativeURL": url}));
    }
    json!({"paths": paths})
}

/// A stable hash of what a group-version serves, so kubectl's cache follows CRD changes.
fn hash(types: &[Arc<ResourceType>], group: &str, version: &str) -> String {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for t in types.iter().filter(|t| t.group == group && t.version == version) {
        for b in t.resource.bytes().chain(t.kind.bytes()) {
            h ^= u64::from(b);
            h = h.wrapping_mul(0x0100_0000_01b3);
        }
    }
    format!("{h:016X}")
}

fn param(name: &str, kind: &str) -> Value {
    json!({"name": name, "in": "query", "schema": {"type": kind, "uniqueItems": true}})
}

/// `/openapi/v3/{api/v1 | apis/g/v}`, or `None` when the group-version is not served.
pub fn group_version(types: &[Arc<ResourceType>], group: &str, version: &str) -> Option<Value> {
    let mut paths = Map::new();
    for t in types.iter().filter(|t| t.group == group && t.version == version) {
        let gvk = json!({"group": t.group, "version": t.version, "kind": t.kind});
        let prefix = format!("/{}", gv_path(group, version));
        let item = if t.namespaced {
            format!("{prefix}/namespaces/{{namespace}}/{}/{{name}}", t.resource)
        } else {
            format!("{prefix}/{}/{{name}}", t.resource)
        };
        let op = json!({
            "operationId": format!("patch{}", t.kind),
            "x-kubernetes-action": "patch",
            "x-kubernetes-group-version-kind": gvk,
            "parameters": [param("dryRun", "string"), param("fieldManager", "string"),
                param("fieldValidation", "string"), param("force", "boolean")],
            "responses": {"200": {"description": "OK"}, "201": {"description": "Created"}}
        });
        paths.insert(item, json!({"patch": op}));
    }
    if paths.is_empty() {
        return None;
    }
    Some(json!({
        "openapi": "3.0.0",
        "info": {"title": "Kubernetes", "version": "v1.29.0"},
        "paths": paths,
        "components": {"schemas": {}}
    }))
}
