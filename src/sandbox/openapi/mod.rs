//! The OpenAPI documents kubectl reads: `/openapi/v2` (Swagger 2.0, as JSON or as the
//! protobuf kubectl 1.28 and older ask for) and `/openapi/v3` with one document per
//! group-version. They hold the schemas of what is served (built-in kinds from the
//! Kubernetes v1.29.0 definitions, custom resources from their CRD) for `kubectl explain`
//! and client-side validation, and one PATCH operation per kind with the query parameters
//! kubectl checks for (`fieldValidation`, `dryRun`, `fieldManager`, `force`) before it
//! leaves validation to the server.

mod definitions;
mod proto;

use super::kinds::ResourceType;
use bytes::Bytes;
use serde_json::{Map, Value, json};
use std::collections::HashMap;
use std::sync::{Arc, Mutex};

/// The content type the protobuf form of `/openapi/v2` is answered with (kubectl asks for
/// it as `...spec.v2@v1.0+protobuf`, which is not a valid media type).
pub const V2_PROTOBUF: &str = "application/com.github.proto-openapi.spec.v2.v1.0+protobuf";

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
        let url = format!(
            "/openapi/v3/{p}?hash={}",
            hash(types, Some((&t.group, &t.version)))
        );
        paths.insert(p, json!({"serverRelativeURL": url}));
    }
    json!({"paths": paths})
}

/// A stable hash of what is served (of one group-version, or all), custom resources'
/// schemas included, so that kubectl's cache follows CRD changes.
fn hash(types: &[Arc<ResourceType>], gv: Option<(&str, &str)>) -> String {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    let mut eat = |bytes: &[u8]| {
        for b in bytes {
            h ^= u64::from(*b);
            h = h.wrapping_mul(0x0100_0000_01b3);
        }
    };
    for t in types
        .iter()
        .filter(|t| gv.is_none_or(|(g, v)| t.group == g && t.version == v))
    {
        eat(t.group.as_bytes());
        eat(t.resource.as_bytes());
        eat(t.kind.as_bytes());
        if let Some(s) = &t.schema {
            eat(s.to_string().as_bytes());
        }
    }
    format!("{h:016X}")
}

/// The path of one object of `t` and its PATCH operation, with parameters as `param` writes
/// them (OpenAPI 3 and Swagger 2.0 differ there).
fn patch_path(t: &ResourceType, param: fn(&str, &str) -> Value) -> (String, Value) {
    let gvk = json!({"group": t.group, "version": t.version, "kind": t.kind});
    let prefix = format!("/{}", gv_path(&t.group, &t.version));
    let item = if t.namespaced {
        format!("{prefix}/namespaces/{{namespace}}/{}/{{name}}", t.resource)
    } else {
        format!("{prefix}/{}/{{name}}", t.resource)
    };
    let op = json!({
        "description": format!("partially update the specified {}", t.kind),
        "operationId": format!("patch{}", t.kind),
        "x-kubernetes-action": "patch",
        "x-kubernetes-group-version-kind": gvk,
        "parameters": [param("dryRun", "string"), param("fieldManager", "string"),
            param("fieldValidation", "string"), param("force", "boolean")],
        "responses": {"200": {"description": "OK"}, "201": {"description": "Created"}}
    });
    (item, json!({"patch": op}))
}

fn param_v3(name: &str, kind: &str) -> Value {
    json!({"name": name, "in": "query", "schema": {"type": kind, "uniqueItems": true}})
}

fn param_v2(name: &str, kind: &str) -> Value {
    json!({"name": name, "in": "query", "type": kind, "uniqueItems": true})
}

/// `/openapi/v3/{api/v1 | apis/g/v}`, or `None` when the group-version is not served.
pub fn group_version(types: &[Arc<ResourceType>], group: &str, version: &str) -> Option<Value> {
    let served: Vec<&ResourceType> = types
        .iter()
        .filter(|t| t.group == group && t.version == version)
        .map(|t| t.as_ref())
        .collect();
    if served.is_empty() {
        return None;
    }
    let paths: Map<String, Value> = served.iter().map(|t| patch_path(t, param_v3)).collect();
    let schemas: Map<String, Value> = definitions::closure(&served)
        .iter()
        .map(|(n, s)| (n.clone(), definitions::to_v3(s)))
        .collect();
    Some(json!({
        "openapi": "3.0.0",
        "info": {"title": "Kubernetes", "version": "v1.29.0"},
        "paths": paths,
        "components": {"schemas": schemas}
    }))
}

/// `/openapi/v2` as JSON: every served type's operation and the schemas they need.
pub fn v2(types: &[Arc<ResourceType>]) -> Value {
    let served: Vec<&ResourceType> = types.iter().map(|t| t.as_ref()).collect();
    let paths: Map<String, Value> = served.iter().map(|t| patch_path(t, param_v2)).collect();
    let defs: Map<String, Value> = definitions::closure(&served).into_iter().collect();
    json!({
        "swagger": "2.0",
        "info": {"title": "Kubernetes", "version": "v1.29.0"},
        "paths": paths,
        "definitions": defs
    })
}

/// `/openapi/v2` as protobuf, built once per set of served types.
pub fn v2_protobuf(types: &[Arc<ResourceType>]) -> Bytes {
    static CACHE: Mutex<Option<HashMap<String, Bytes>>> = Mutex::new(None);
    let key = hash(types, None);
    let cached = CACHE
        .lock()
        .unwrap_or_else(|p| p.into_inner())
        .as_ref()
        .and_then(|c| c.get(&key).cloned());
    if let Some(b) = cached {
        return b;
    }
    let bytes = Bytes::from(proto::document(&v2(types)));
    let mut cache = CACHE.lock().unwrap_or_else(|p| p.into_inner());
    let map = cache.get_or_insert_with(HashMap::new);
    if map.len() >= 16 {
        map.clear();
    }
    map.insert(key, bytes.clone());
    bytes
}
