//! The read verbs, GET and LIST, in each representation a client can ask for (the object,
//! a Table, its metadata alone), with LIST paging. Lists of built-in kinds are spliced
//! from the stored bytes, their items without `apiVersion`/`kind` as a real server sends
//! them; custom resources' items keep theirs.

use super::accept::{Representation, negotiate};
use super::api::{Reply, Req};
use super::cluster::Cluster;
use super::kinds::ResourceType;
use super::paging;
use super::route::ResourcePath;
use super::selector::Selector;
use super::status::ApiError;
use super::store::Stored;
use super::table::{self, Include};
use super::verbs::scale_of;
use serde_json::{Map, Value, json};
use std::sync::Arc;

fn representation(req: &Req, list: bool) -> Result<Representation, ApiError> {
    negotiate(&req.accept, list).ok_or_else(ApiError::not_acceptable)
}

fn include(req: &Req) -> Include {
    match req.q("includeObject") {
        Some("None") => Include::None,
        Some("Object") => Include::Object,
        _ => Include::Metadata,
    }
}

/// `{"kind":"PartialObjectMetadata","apiVersion":"meta.k8s.io/v1","metadata":{…}}`
pub fn partial_metadata(obj: &Value) -> Value {
    json!({"kind": "PartialObjectMetadata", "apiVersion": "meta.k8s.io/v1", "metadata": obj["metadata"]})
}

pub fn get(cluster: &Cluster, req: &Req, rt: &ResourceType, p: &ResourcePath) -> Result<Reply, ApiError> {
    let raw = cluster
        .lock()
        .get_raw(&rt.group, &rt.resource, &p.namespace, &p.name);
    let raw = raw.ok_or_else(|| ApiError::not_found(rt, &p.name))?;
    if p.subresource == "scale" {
        return Ok(Reply::ok(scale_of(&raw.value())));
    }
    match representation(req, false)? {
        Representation::Object => Ok(Reply::Raw {
            code: 200,
            body: raw.json.clone(),
        }),
        Representation::Metadata => Ok(Reply::ok(partial_metadata(&raw.value()))),
        Representation::Table => {
            let obj = raw.value();
            let meta = json!({"resourceVersion": obj["metadata"]["resourceVersion"]});
            Ok(Reply::ok(table::table(rt, &[Arc::new(obj)], meta, include(req))))
        }
    }
}

/// One page of a LIST: the items, the list metadata, and the resourceVersion.
struct Page {
    items: Vec<Arc<Stored>>,
    meta: Map<String, Value>,
}

fn page(cluster: &Cluster, req: &Req, rt: &ResourceType, ns: &str) -> Result<Page, ApiError> {
    let labels =
        Selector::parse(req.q("labelSelector").unwrap_or_default()).map_err(ApiError::bad_request)?;
    let fields =
        Selector::parse(req.q("fieldSelector").unwrap_or_default()).map_err(ApiError::bad_request)?;
    let from = match req.q("continue").filter(|c| !c.is_empty()) {
        Some(token) => Some(paging::decode(token)?),
        None => None,
    };
    let (items, rv) = {
        let store = cluster.lock();
        let scope = (!ns.is_empty()).then_some(ns);
        (
            store.list_keyed(&rt.group, &rt.resource, scope),
            store.resource_version(),
        )
    };
    let across = rt.namespaced && ns.is_empty();
    let mut items: Vec<(String, Arc<Stored>)> = items
        .into_iter()
        .filter(|(_, _, o)| {
            labels.matches_stored(o) && (fields.is_empty() || fields.matches_fields(&o.value()))
        })
        .map(|(n, name, o)| (paging::key(across, &n, &name), o))
        .collect();
    // etcd returns keys in byte order; `ns/name` sorts differently from (ns, name).
    if across {
        items.sort_by(|a, b| a.0.cmp(&b.0));
    }
    if let Some(from) = &from {
        items.retain(|(k, _)| k.as_str() >= from.start.as_str());
    }
    let limit = req
        .q("limit")
        .and_then(|l| l.parse::<usize>().ok())
        .filter(|l| *l > 0)
        .unwrap_or(usize::MAX);
    // A continued list reports the resourceVersion its first page had.
    let list_rv = from.as_ref().map_or(rv, |f| f.rv);
    let mut meta = Map::new();
    meta.insert("resourceVersion".into(), json!(list_rv.to_string()));
    let rest = items.len().saturating_sub(limit);
    items.truncate(limit);
    if rest > 0 {
        let last = items.last().map(|(k, _)| k.as_str()).unwrap_or_default();
        meta.insert("continue".into(), json!(paging::encode(list_rv, last)));
        // The server knows how many remain only when it does not filter.
        if labels.is_empty() && fields.is_empty() {
            meta.insert("remainingItemCount".into(), json!(rest));
        }
    }
    Ok(Page {
        items: items.into_iter().map(|(_, o)| o).collect(),
        meta,
    })
}

pub fn list(cluster: &Cluster, req: &Req, rt: &ResourceType, ns: &str) -> Result<Reply, ApiError> {
    let as_what = representation(req, true)?;
    let Page { items, mut meta } = page(cluster, req, rt, ns)?;
    match as_what {
        Representation::Table => {
            let parsed: Vec<Arc<Value>> = items.iter().map(|o| Arc::new(o.value())).collect();
            Ok(Reply::ok(table::table(
                rt,
                &parsed,
                Value::Object(meta),
                include(req),
            )))
        }
        Representation::Metadata => {
            let items: Vec<Value> = items.iter().map(|o| partial_metadata(&o.value())).collect();
            Ok(Reply::ok(
                json!({"kind": "PartialObjectMetadataList", "apiVersion": "meta.k8s.io/v1",
                "metadata": meta, "items": items}),
            ))
        }
        Representation::Object => {
            // Custom resources are listed as unstructured lists, whose metadata always
            // carries `continue`, empty on the last page.
            if !rt.builtin {
                meta.entry("continue").or_insert(json!(""));
            }
            spliced(rt, &items, &Value::Object(meta))
        }
    }
}

/// Serialise by hand so the stored objects are written without being parsed or cloned.
fn spliced(rt: &ResourceType, items: &[Arc<Stored>], meta: &Value) -> Result<Reply, ApiError> {
    let mut out = Vec::with_capacity(64 + items.iter().map(|o| o.json.len() + 1).sum::<usize>());
    let head = json!({"kind": rt.list_kind(), "apiVersion": rt.api_version(), "metadata": meta});
    let head = serde_json::to_vec(&head).map_err(|e| ApiError::internal(e.to_string()))?;
    out.extend_from_slice(&head[..head.len() - 1]);
    out.extend_from_slice(b",\"items\":[");
    for (i, item) in items.iter().enumerate() {
        if i > 0 {
            out.push(b',');
        }
        if rt.builtin {
            item.write_untyped(&mut out);
        } else {
            out.extend_from_slice(&item.json);
        }
    }
    out.extend_from_slice(b"]}");
    Ok(Reply::Raw {
        code: 200,
        body: out.into(),
    })
}
