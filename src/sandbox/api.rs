//! Request dispatch: authentication, discovery and OpenAPI documents, and the mapping of
//! resource URLs and HTTP methods onto verbs (with authorization) handled in `verbs`.

use super::auth::{self, Identity};
use super::cluster::Cluster;
use super::kinds::ResourceType;
use super::route::{self, ResourcePath, Route};
use super::status::ApiError;
use super::{discovery, metrics, openapi, read, verbs};
use bytes::Bytes;
use serde_json::Value;
use std::collections::HashMap;
use std::sync::Arc;
use tokio::sync::mpsc;

/// An incoming request, independent of the HTTP library.
pub struct Req {
    pub method: String,
    pub path: String,
    pub query: HashMap<String, String>,
    pub content_type: String,
    pub accept: String,
    pub user_agent: String,
    pub authorization: Option<String>,
    pub body: Bytes,
}

impl Req {
    pub fn q(&self, key: &str) -> Option<&str> {
        self.query.get(key).map(String::as_str)
    }

    pub fn flag(&self, key: &str) -> bool {
        matches!(self.q(key), Some("true" | "1"))
    }

    pub fn dry_run(&self) -> bool {
        self.q("dryRun") == Some("All")
    }

    /// The field manager: `?fieldManager=`, else the User-Agent up to its first `/`.
    pub fn manager(&self) -> String {
        match self.q("fieldManager") {
            Some(m) if !m.is_empty() => m.to_string(),
            _ => {
                let prefix = self.user_agent.split('/').next().unwrap_or_default();
                if prefix.is_empty() {
                    "unknown".to_string()
                } else {
                    prefix.chars().take(128).collect()
                }
            }
        }
    }

    pub fn wants_table(&self) -> bool {
        super::accept::negotiate(&self.accept, true) == Some(super::accept::Representation::Table)
    }
}

/// A response, independent of the HTTP library.
pub enum Reply {
    Json {
        code: u16,
        body: Value,
        content_type: String,
    },
    /// Pre-serialised compact JSON (stored objects, lists).
    Raw {
        code: u16,
        body: Bytes,
    },
    Text {
        code: u16,
        body: &'static str,
    },
    /// Any other body with its content type (metrics text, protobuf).
    Bytes {
        code: u16,
        body: Bytes,
        content_type: &'static str,
    },
    Stream(mpsc::Receiver<Bytes>),
}

impl Reply {
    pub fn ok(body: Value) -> Reply {
        Reply::Json {
            code: 200,
            body,
            content_type: "application/json".into(),
        }
    }

    pub fn code(code: u16, body: Value) -> Reply {
        Reply::Json {
            code,
            body,
            content_type: "application/json".into(),
        }
    }
}

impl From<ApiError> for Reply {
    fn from(e: ApiError) -> Reply {
        match e.body {
            super::status::ErrorBody::Status(v) => Reply::code(e.code, v),
            super::status::ErrorBody::Text(t) => Reply::Text {
                code: e.code,
                body: t,
            },
        }
    }
}

/// Handle one request against one cluster.
pub fn handle(cluster: &Arc<Cluster>, req: Req) -> Reply {
    let route = route::parse(&req.path);
    match route {
        Route::Version => return Reply::ok(discovery::version()),
        Route::Healthz => {
            return Reply::Text {
                code: 200,
                body: "ok",
            };
        }
        _ => {}
    }
    let who = match auth::authenticate(
        req.authorization.as_deref(),
        &cluster.admin_token,
        &cluster.readonly_token,
    ) {
        Ok(w) => w,
        Err(e) => return e.into(),
    };
    match dispatch(cluster, &req, route, who) {
        Ok(r) => r,
        Err(e) => e.into(),
    }
}

fn aggregated_version(accept: &str) -> Option<&'static str> {
    let first = accept
        .split(',')
        .find(|a| a.contains("as=APIGroupDiscoveryList"))?;
    Some(if first.contains("v=v2beta1") {
        "v2beta1"
    } else {
        "v2"
    })
}

fn discovery_reply(body: Value, version: &str) -> Reply {
    let ct = format!("application/json;g=apidiscovery.k8s.io;v={version};as=APIGroupDiscoveryList");
    Reply::Json {
        code: 200,
        body,
        content_type: ct,
    }
}

fn dispatch(cluster: &Arc<Cluster>, req: &Req, route: Route, who: Identity) -> Result<Reply, ApiError> {
    let types = cluster.types();
    match route {
        Route::CoreGroups => Ok(match aggregated_version(&req.accept) {
            Some(v) => discovery_reply(discovery::aggregated(&types, true, v), v),
            None => Reply::ok(discovery::core_versions(&cluster.address)),
        }),
        Route::Groups => Ok(match aggregated_version(&req.accept) {
            Some(v) => discovery_reply(discovery::aggregated(&types, false, v), v),
            None => Reply::ok(discovery::group_list(&types)),
        }),
        Route::Group(g) => discovery::group(&types, &g)
            .map(Reply::ok)
            .ok_or_else(ApiError::page_not_found),
        Route::GroupVersion { group, version } => {
            if types.iter().any(|t| t.group == group && t.version == version) {
                Ok(Reply::ok(discovery::resource_list(&types, &group, &version)))
            } else if builtin_group(&types, &group) {
                Err(ApiError::resource_not_found())
            } else {
                Err(ApiError::page_not_found())
            }
        }
        Route::OpenApiV3 => Ok(Reply::ok(openapi::root(&types))),
        Route::OpenApiV3GroupVersion { group, version } => openapi::group_version(&types, &group, &version)
            .map(Reply::ok)
            .ok_or_else(ApiError::page_not_found),
        Route::Metrics => {
            if who != Identity::Admin {
                return Err(ApiError::forbidden_path(who.user(), "get", &req.path));
            }
            Ok(Reply::Bytes {
                code: 200,
                body: metrics::text(&cluster.lock()).into(),
                content_type: metrics::CONTENT_TYPE,
            })
        }
        Route::OpenApiV2 if req.accept.contains("protobuf") => Ok(Reply::Bytes {
            code: 200,
            body: openapi::v2_protobuf(&types),
            content_type: openapi::V2_PROTOBUF,
        }),
        Route::OpenApiV2 => Ok(Reply::ok(openapi::v2(&types))),
        Route::Unknown | Route::Version | Route::Healthz => Err(ApiError::page_not_found()),
        Route::Resource(path) => {
            let rt = resolve(&types, &path)?;
            resource(cluster, req, &path, &rt, who)
        }
    }
}

fn builtin_group(types: &[Arc<ResourceType>], group: &str) -> bool {
    types.iter().any(|t| t.builtin && t.group == group)
}

/// The served type for a resource URL, or the 404 the real server gives.
fn resolve(types: &[Arc<ResourceType>], p: &ResourcePath) -> Result<Arc<ResourceType>, ApiError> {
    if let Some(t) = types
        .iter()
        .find(|t| t.group == p.group && t.version == p.version && t.resource == p.resource)
    {
        return Ok(t.clone());
    }
    if builtin_group(types, &p.group) {
        Err(ApiError::resource_not_found())
    } else {
        Err(ApiError::page_not_found())
    }
}

fn resource(
    cluster: &Arc<Cluster>,
    req: &Req,
    p: &ResourcePath,
    rt: &Arc<ResourceType>,
    who: Identity,
) -> Result<Reply, ApiError> {
    // `/api/v1/namespaces/{name}` addresses the Namespace itself.
    if !rt.namespaced && !p.namespace.is_empty() {
        return Err(ApiError::resource_not_found());
    }
    let sub = p.subresource.as_str();
    let served = sub.is_empty() || (sub == "status" && rt.status) || (sub == "scale" && rt.scale);
    if !served {
        return Err(ApiError::resource_not_found());
    }
    let watch = req.flag("watch");
    let verb = match (req.method.as_str(), p.name.is_empty()) {
        ("GET", true) if watch => "watch",
        ("GET", true) => "list",
        ("GET", false) => "get",
        ("POST", true) => "create",
        ("PUT", false) => "update",
        ("PATCH", false) => "patch",
        ("DELETE", false) => "delete",
        ("DELETE", true) => "deletecollection",
        (m, _) => return Err(ApiError::method_not_allowed(m)),
    };
    if sub.is_empty() && !rt.verbs.contains(&verb) {
        return Err(ApiError::method_not_allowed(&req.method));
    }
    if rt.verbs == ["create"] {
        // Reviews are answered for whoever asks; the viewer may ask too.
        return super::reviews::create(req, rt, who);
    }
    cluster.admission.admit(req, verb, &p.name)?;
    auth::authorize(who, verb, rt, &p.namespace, &p.name)?;
    match verb {
        "watch" => super::watch::start(cluster, req, rt, &p.namespace),
        "list" => read::list(cluster, req, rt, &p.namespace),
        "get" => read::get(cluster, req, rt, p),
        "create" => verbs::create(cluster, req, rt, &p.namespace),
        "update" => verbs::update(cluster, req, rt, p),
        "patch" => verbs::patch(cluster, req, rt, p),
        "delete" => verbs::delete(cluster, req, rt, p),
        _ => verbs::delete_collection(cluster, req, rt, &p.namespace),
    }
}
