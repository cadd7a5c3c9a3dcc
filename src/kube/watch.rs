//! One kube-runtime watcher per (cluster, kind in use); a failed one lists again with backoff.
//! Events are forwarded as plain JSON objects.

use super::cluster::{ClusterState, classify};
use super::key::ObjectKey;
use futures::StreamExt;
use kube::Client;
use kube::api::{Api, DynamicObject};
use kube::discovery::ApiResource;
use kube::runtime::watcher;
use std::time::Duration;
use tokio::sync::mpsc;
use tokio::task::JoinHandle;

/// One live object as the watcher hands it over: its key, compact JSON (without the large
/// last-applied annotation, which comparisons drop anyway) and its `sextant.dev/app` label.
#[derive(Debug, Clone)]
pub struct LiveObject {
    pub key: ObjectKey,
    pub json: Box<str>,
    pub app: Option<String>,
}

/// What a kind's watcher reports. `kind` is the index the engine gave this watcher.
#[derive(Debug)]
pub enum WatchMsg {
    /// A (re)list started: objects not re-listed before `InitDone` are gone.
    Init { kind: usize },
    /// An object was listed, added or modified.
    Applied { kind: usize, object: LiveObject },
    /// An object was deleted.
    Deleted { kind: usize, key: ObjectKey },
    /// The (re)list is complete.
    InitDone { kind: usize },
    /// The watch failed; it is retried with backoff. `state` is what this says of the cluster.
    Failed { kind: usize, state: ClusterState },
}

/// The first wait before a failed watcher lists again, and the longest.
const RETRY_FIRST: Duration = Duration::from_millis(500);
const RETRY_MAX: Duration = Duration::from_secs(30);

/// Watch every object of `resource` in the cluster until the receiver is dropped.
///
/// After a failure the watcher starts over with a fresh list, after a wait that doubles up
/// to 30 s and resets once a list completes. Resuming the old watch instead would leave no
/// sign that the cluster is back until some object changed; a list ends in `InitDone`,
/// which tells the engine the cluster is live again, and settles what happened meanwhile.
pub fn spawn_watcher(
    client: Client,
    resource: ApiResource,
    kind: usize,
    tx: mpsc::Sender<WatchMsg>,
) -> JoinHandle<()> {
    tokio::spawn(async move {
        let api: Api<DynamicObject> = Api::all_with(client, &resource);
        let config = watcher::Config::default().page_size(500);
        let mut wait = RETRY_FIRST;
        loop {
            let mut stream = watcher(api.clone(), config.clone()).boxed();
            while let Some(event) = stream.next().await {
                let msg = match event {
                    Ok(watcher::Event::Init) => WatchMsg::Init { kind },
                    Ok(watcher::Event::InitDone) => {
                        wait = RETRY_FIRST;
                        WatchMsg::InitDone { kind }
                    }
                    Ok(watcher::Event::InitApply(obj) | watcher::Event::Apply(obj)) => {
                        match live_object(&resource, obj) {
                            Some(object) => WatchMsg::Applied { kind, object },
                            None => continue,
                        }
                    }
                    Ok(watcher::Event::Delete(obj)) => WatchMsg::Deleted {
                        kind,
                        key: key_of(&resource, &obj),
                    },
                    // Expired (410 Gone, routine after compaction): the watcher lists
                    // again by itself. The cluster is fine; nothing to report.
                    Err(watcher::Error::WatchError(status)) if status.code == 410 => continue,
                    Err(e) => {
                        let failed = WatchMsg::Failed {
                            kind,
                            state: classify_watch_error(&e),
                        };
                        if tx.send(failed).await.is_err() {
                            return;
                        }
                        break;
                    }
                };
                if tx.send(msg).await.is_err() {
                    return;
                }
            }
            tokio::select! {
                _ = tokio::time::sleep(wait) => {}
                _ = tx.closed() => return,
            }
            wait = (wait * 2).min(RETRY_MAX);
        }
    })
}

/// The annotation `kubectl apply` (client-side) leaves: as large as the object, and dropped by
/// every comparison, so it is never kept.
pub(crate) const LAST_APPLIED: &str = "kubectl.kubernetes.io/last-applied-configuration";
const APP_LABEL: &str = "sextant.dev/app";

fn key_of(resource: &ApiResource, obj: &DynamicObject) -> ObjectKey {
    ObjectKey {
        group: resource.group.clone(),
        kind: resource.kind.clone(),
        namespace: obj.metadata.namespace.clone().unwrap_or_default(),
        name: obj.metadata.name.clone().unwrap_or_default(),
    }
}

fn live_object(resource: &ApiResource, obj: DynamicObject) -> Option<LiveObject> {
    // The initial list's items of built-in kinds carry no type on a real server.
    let mut obj = super::typed::with_type(resource, obj);
    if let Some(annotations) = obj.metadata.annotations.as_mut() {
        annotations.remove(LAST_APPLIED);
    }
    let key = key_of(resource, &obj);
    let app = obj
        .metadata
        .labels
        .as_ref()
        .and_then(|l| l.get(APP_LABEL))
        .cloned();
    let json = serde_json::to_string(&obj).ok()?.into_boxed_str();
    Some(LiveObject { key, json, app })
}

fn classify_watch_error(err: &watcher::Error) -> ClusterState {
    match err {
        watcher::Error::InitialListFailed(e)
        | watcher::Error::WatchStartFailed(e)
        | watcher::Error::WatchFailed(e) => classify(e),
        watcher::Error::WatchError(status) if status.code == 401 || status.code == 403 => {
            ClusterState::Forbidden(format!("{} {}", status.code, status.message))
        }
        other => ClusterState::Unreachable(super::cluster::error_chain(other)),
    }
}
