//! Server-side apply as `sextant`: the dry-run preview the drift engine confirms drift with.

use super::discovery::KindInfo;
use kube::Client;
use kube::api::{Api, DynamicObject, Patch, PatchParams};
use serde_json::Value;

/// The field manager Sextant applies as.
pub const FIELD_MANAGER: &str = "sextant";

/// Why a dry-run gave no preview.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DryRunError {
    /// 401/403: the user may read but not write (or dry-run); use the local comparison.
    #[error("dry-run forbidden: {0}")]
    Forbidden(String),
    /// The server refused the object (422 invalid, immutable field, 409...).
    #[error("the server rejects this object ({code}): {message}")]
    Rejected { code: u16, message: String },
    /// Transport failure or timeout.
    #[error("dry-run failed: {0}")]
    Failed(String),
}

/// `PATCH ...?fieldManager=sextant&force=true&dryRun=All` with `application/apply-patch+yaml`:
/// the object as it would be after applying `desired` now.
pub async fn dry_run_apply(client: &Client, kind: &KindInfo, desired: &Value) -> Result<Value, DryRunError> {
    let meta = desired.get("metadata");
    let name = meta
        .and_then(|m| m.get("name"))
        .and_then(Value::as_str)
        .unwrap_or_default();
    let api: Api<DynamicObject> = if kind.namespaced {
        let ns = meta
            .and_then(|m| m.get("namespace"))
            .and_then(Value::as_str)
            .unwrap_or("default");
        Api::namespaced_with(client.clone(), ns, &kind.resource)
    } else {
        Api::all_with(client.clone(), &kind.resource)
    };
    let params = PatchParams::apply(FIELD_MANAGER).force().dry_run();
    let patch = Patch::Apply(desired);
    let request = api.patch(name, &params, &patch);
    match tokio::time::timeout(std::time::Duration::from_secs(20), request).await {
        Ok(Ok(obj)) => serde_json::to_value(super::typed::with_type(&kind.resource, obj))
            .map_err(|e| DryRunError::Failed(e.to_string())),
        Ok(Err(kube::Error::Api(s))) if s.code == 401 || s.code == 403 => {
            Err(DryRunError::Forbidden(first_line(&s.message)))
        }
        Ok(Err(kube::Error::Api(s))) if (400..500).contains(&s.code) || s.code == 500 => {
            // The apiserver answers 500 to an SSA body with an unknown field (see the corpus).
            Err(DryRunError::Rejected {
                code: s.code,
                message: first_line(&s.message),
            })
        }
        Ok(Err(e)) => Err(DryRunError::Failed(super::cluster::describe(&e))),
        Err(_) => Err(DryRunError::Failed("no answer within 20s".into())),
    }
}

/// Immutable-field messages embed a multi-kilobyte Go struct dump; keep them readable.
fn first_line(message: &str) -> String {
    let line = message.lines().next().unwrap_or_default();
    if line.chars().count() > 400 {
        let cut: String = line.chars().take(400).collect();
        format!("{cut}...")
    } else {
        line.to_string()
    }
}
