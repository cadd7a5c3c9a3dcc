//! Writes to operator objects (an Argo CD `Application`, a Flux `Kustomization`): JSON merge
//! patches, each needing a [`Permit`] from the action gate for that action on that cluster,
//! like every other write ([`super::write`]). What goes in the patch is decided by
//! `gitops::operators::actions`; this file only sends it.

use super::write::{WRITE_TIMEOUT, WriteError};
use crate::gate::{Action, Permit};
use kube::Client;
use kube::api::{Api, DynamicObject, Patch, PatchParams};
use kube::discovery::ApiResource;
use serde_json::Value;

/// Merge-patch the object `namespace/name` of `resource` on the cluster `context` names.
/// Returns the object as the server stored it.
#[allow(clippy::too_many_arguments)]
pub async fn merge_patch(
    client: &Client,
    permit: &Permit,
    action: Action,
    context: &str,
    resource: &ApiResource,
    namespace: &str,
    name: &str,
    patch: &Value,
) -> Result<Value, WriteError> {
    if !permit.allows(action, context) {
        return Err(WriteError::NotPermitted {
            allowed: format!("{} on {}", permit.action().as_str(), permit.target()),
            wanted: format!("{} on context {context}", action.as_str()),
        });
    }
    let api: Api<DynamicObject> = Api::namespaced_with(client.clone(), namespace, resource);
    let params = PatchParams {
        field_manager: Some(super::apply::FIELD_MANAGER.to_string()),
        ..PatchParams::default()
    };
    let patch = Patch::Merge(patch);
    let request = api.patch(name, &params, &patch);
    match tokio::time::timeout(WRITE_TIMEOUT, request).await {
        Ok(Ok(obj)) => {
            serde_json::to_value(super::typed::with_type(resource, obj)).map_err(|e| WriteError::Rejected {
                code: 0,
                message: e.to_string(),
            })
        }
        Ok(Err(e)) => Err(super::write::classify_patch(e, resource, namespace)),
        Err(_) => Err(WriteError::Unreachable(format!(
            "no answer within {}s",
            WRITE_TIMEOUT.as_secs()
        ))),
    }
}

/// Read the object `namespace/name` of `resource` (no permit: it writes nothing).
pub async fn get(
    client: &Client,
    resource: &ApiResource,
    namespace: &str,
    name: &str,
) -> Result<Option<Value>, String> {
    let api: Api<DynamicObject> = Api::namespaced_with(client.clone(), namespace, resource);
    match tokio::time::timeout(WRITE_TIMEOUT, api.get_opt(name)).await {
        Ok(Ok(Some(obj))) => serde_json::to_value(super::typed::with_type(resource, obj))
            .map(Some)
            .map_err(|e| e.to_string()),
        Ok(Ok(None)) => Ok(None),
        Ok(Err(e)) => Err(super::cluster::describe(&e)),
        Err(_) => Err(format!("no answer within {}s", WRITE_TIMEOUT.as_secs())),
    }
}
