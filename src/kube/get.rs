//! Read one object by key: the GET a preview uses for objects the watch cache does not hold
//! (a kind nobody watches, or an object no current app renders). Read-only.

use super::discovery::KindInfo;
use super::key::ObjectKey;
use super::watch::LAST_APPLIED;
use futures::StreamExt;
use kube::Client;
use kube::api::{Api, DynamicObject};
use serde_json::Value;
use std::time::Duration;

/// How many GETs run at once.
const GET_CONCURRENCY: usize = 16;

/// How long one GET may take.
const GET_TIMEOUT: Duration = Duration::from_secs(20);

/// The live object, `None` when the server says 404. Errors name the object and the cause.
pub async fn get_object(client: &Client, kind: &KindInfo, key: &ObjectKey) -> Result<Option<Value>, String> {
    let api: Api<DynamicObject> = if kind.namespaced {
        let ns = if key.namespace.is_empty() {
            "default"
        } else {
            &key.namespace
        };
        Api::namespaced_with(client.clone(), ns, &kind.resource)
    } else {
        Api::all_with(client.clone(), &kind.resource)
    };
    let fail = |why: String| format!("cannot read {}: {why}", key.short());
    match tokio::time::timeout(GET_TIMEOUT, api.get_opt(&key.name)).await {
        Ok(Ok(Some(obj))) => {
            let mut obj = super::typed::with_type(&kind.resource, obj);
            // Comparisons drop it anyway; it can be as large as the object itself.
            if let Some(annotations) = obj.metadata.annotations.as_mut() {
                annotations.remove(LAST_APPLIED);
            }
            serde_json::to_value(obj)
                .map(Some)
                .map_err(|e| fail(e.to_string()))
        }
        Ok(Ok(None)) => Ok(None),
        Ok(Err(e)) => Err(fail(super::cluster::describe(&e))),
        Err(_) => Err(fail(format!("no answer within {}s", GET_TIMEOUT.as_secs()))),
    }
}

/// [`get_object`] for many objects, a few at a time; answers in no particular order.
pub async fn get_objects(
    client: &Client,
    wanted: Vec<(ObjectKey, KindInfo)>,
) -> Vec<(ObjectKey, Result<Option<Value>, String>)> {
    futures::stream::iter(wanted)
        .map(|(key, kind)| async move {
            let got = get_object(client, &kind, &key).await;
            (key, got)
        })
        .buffer_unordered(GET_CONCURRENCY)
        .collect()
        .await
}
