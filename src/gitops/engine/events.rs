//! Answers [`super::EngineCommand::Events`]: the cluster's Events about an app's objects,
//! fetched on request (app detail asks when it opens, and again on refresh) on a task of its
//! own, so neither the engine nor the cluster's watchers wait for it.

use super::report::EngineEvent;
use crate::kube::cluster::connect;
use crate::kube::events::events_for;
use crate::kube::key::ObjectKey;
use kube::config::Kubeconfig;
use std::sync::Arc;
use tokio::sync::mpsc;

/// Events kept per answer (newest first).
pub const EVENTS_SHOWN: usize = 50;

/// List the events about `keys` on `context` and send them as [`EngineEvent::Events`].
pub fn answer(
    id: u64,
    context: String,
    keys: Vec<ObjectKey>,
    kubeconfig: Result<Arc<Kubeconfig>, String>,
    events: mpsc::Sender<EngineEvent>,
) {
    tokio::spawn(async move {
        let result = match kubeconfig {
            Err(e) => Err(e),
            Ok(k) => match connect(&k, &context).await {
                Ok(client) => events_for(&client, &keys, EVENTS_SHOWN).await,
                Err(state) => Err(format!("cluster {context} is {state}")),
            },
        };
        let _ = events.send(EngineEvent::Events { id, result }).await;
    });
}
