//! Watch streams: replay from a resourceVersion (or the current state for `0`/none),
//! then live events from the store's broadcast, filtered by namespace and selectors,
//! with periodic BOOKMARKs when asked, as compact one-event-per-line JSON.

use super::api::{Reply, Req};
use super::cluster::Cluster;
use super::kinds::ResourceType;
use super::selector::Selector;
use super::status::{ApiError, ErrorBody};
use super::store::{Stored, WatchEvent};
use super::table;
use bytes::Bytes;
use serde_json::json;
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::{broadcast, mpsc};

/// How often an idle watch with `allowWatchBookmarks=true` gets a BOOKMARK.
pub const BOOKMARK_EVERY: Duration = Duration::from_secs(5);

struct Filter {
    group: String,
    resource: String,
    namespace: String,
    labels: Selector,
    fields: Selector,
    table: Option<Arc<ResourceType>>,
}

impl Filter {
    fn wants(&self, ev: &WatchEvent) -> bool {
        ev.group == self.group
            && ev.resource == self.resource
            && (self.namespace.is_empty() || ev.namespace == self.namespace)
            && self.matches(&ev.object)
    }

    fn matches(&self, o: &Stored) -> bool {
        self.labels.matches_stored(o) && (self.fields.is_empty() || self.fields.matches_fields(&o.value()))
    }

    fn encode(&self, kind: &str, object: &Stored) -> Bytes {
        let mut out = Vec::with_capacity(object.json.len() + 32);
        out.extend_from_slice(b"{\"type\":\"");
        out.extend_from_slice(kind.as_bytes());
        out.extend_from_slice(b"\",\"object\":");
        match &self.table {
            Some(rt) => {
                let obj = object.value();
                let meta = json!({"resourceVersion": obj["metadata"]["resourceVersion"]});
                let t = table::table(rt, &[Arc::new(obj)], meta, table::Include::Metadata);
                if serde_json::to_writer(&mut out, &t).is_err() {
                    out.extend_from_slice(b"null");
                }
            }
            None => out.extend_from_slice(&object.json),
        }
        out.extend_from_slice(b"}\n");
        Bytes::from(out)
    }
}

fn bookmark(rt: &ResourceType, rv: u64) -> Bytes {
    let ev = json!({"type": "BOOKMARK", "object": {"kind": rt.kind, "apiVersion": rt.api_version(),
        "metadata": {"resourceVersion": rv.to_string(), "creationTimestamp": null}}});
    let mut v = serde_json::to_vec(&ev).unwrap_or_default();
    v.push(b'\n');
    Bytes::from(v)
}

fn error_event(e: ApiError) -> Bytes {
    let body = match e.body {
        ErrorBody::Status(v) => v,
        ErrorBody::Text(t) => json!(t),
    };
    let mut v = serde_json::to_vec(&json!({"type": "ERROR", "object": body})).unwrap_or_default();
    v.push(b'\n');
    Bytes::from(v)
}

/// Start a watch; the reply streams until the client goes away or `timeoutSeconds` passes.
pub fn start(cluster: &Arc<Cluster>, req: &Req, rt: &Arc<ResourceType>, ns: &str) -> Result<Reply, ApiError> {
    let labels =
        Selector::parse(req.q("labelSelector").unwrap_or_default()).map_err(ApiError::bad_request)?;
    let fields =
        Selector::parse(req.q("fieldSelector").unwrap_or_default()).map_err(ApiError::bad_request)?;
    let filter = Filter {
        group: rt.group.clone(),
        resource: rt.resource.clone(),
        namespace: ns.to_string(),
        labels,
        fields,
        table: req.wants_table().then(|| rt.clone()),
    };
    let from: Option<u64> = req
        .q("resourceVersion")
        .filter(|v| !v.is_empty())
        .and_then(|v| v.parse().ok());
    let bookmarks = req.flag("allowWatchBookmarks");
    let timeout = req
        .q("timeoutSeconds")
        .and_then(|t| t.parse::<u64>().ok())
        .map(Duration::from_secs);
    let (tx, rx) = mpsc::channel::<Bytes>(256);
    let mut first: Vec<Bytes> = Vec::new();
    let mut compacted = cluster.compactions();
    compacted.mark_unchanged();
    // A version older than the window gets one ERROR event (410 Expired), then the stream ends.
    let mut expired = false;
    let (events, mut last_rv) = {
        let store = cluster.lock();
        let events = store.subscribe();
        match from {
            Some(rv) if rv > 0 => {
                if rv < store.oldest_resumable() {
                    expired = true;
                    first.push(error_event(ApiError::gone(rv, store.oldest_resumable())));
                } else {
                    for ev in store.events_since(rv).iter().filter(|e| filter.wants(e)) {
                        first.push(filter.encode(ev.kind, &ev.object));
                    }
                }
            }
            _ => {
                let scope = (!ns.is_empty()).then_some(ns);
                for o in store.list_raw(&rt.group, &rt.resource, scope).iter() {
                    if filter.matches(o) {
                        first.push(filter.encode("ADDED", o));
                    }
                }
            }
        }
        (events, store.resource_version())
    };

    let rt = rt.clone();
    tokio::spawn(async move {
        for b in first {
            if tx.send(b).await.is_err() {
                return;
            }
        }
        if expired {
            return;
        }
        let deadline = timeout.map(|t| tokio::time::Instant::now() + t);
        let ends = Ends { deadline, compacted };
        pump(events, tx, filter, rt, bookmarks, ends, &mut last_rv).await;
    });
    Ok(Reply::Stream(rx))
}

/// What ends a watch besides the client: its `timeoutSeconds`, and a compaction.
struct Ends {
    deadline: Option<tokio::time::Instant>,
    compacted: tokio::sync::watch::Receiver<u64>,
}

async fn pump(
    mut events: broadcast::Receiver<Arc<WatchEvent>>,
    tx: mpsc::Sender<Bytes>,
    filter: Filter,
    rt: Arc<ResourceType>,
    bookmarks: bool,
    mut ends: Ends,
    last_rv: &mut u64,
) {
    let deadline = ends.deadline;
    let mut tick = tokio::time::interval(BOOKMARK_EVERY);
    tick.tick().await;
    loop {
        let until_deadline = async {
            match deadline {
                Some(d) => tokio::time::sleep_until(d).await,
                None => std::future::pending().await,
            }
        };
        tokio::select! {
            ev = events.recv() => match ev {
                Ok(ev) => {
                    if ev.rv <= *last_rv {
                        continue;
                    }
                    *last_rv = ev.rv;
                    if filter.wants(&ev) && tx.send(filter.encode(ev.kind, &ev.object)).await.is_err() {
                        return;
                    }
                }
                // A watcher too slow for the window ends; the client re-watches from its last version.
                Err(_) => return,
            },
            _ = tick.tick() => {
                if bookmarks && tx.send(bookmark(&rt, *last_rv)).await.is_err() {
                    return;
                }
            }
            _ = tx.closed() => return,
            _ = until_deadline => return,
            // Compacted: the client must list again, as after etcd compaction.
            changed = ends.compacted.changed() => {
                if changed.is_ok() {
                    let _ = tx.send(error_event(ApiError::gone(*last_rv, *last_rv + 1))).await;
                }
                return;
            }
        }
    }
}
