//! The engine's one door to the drift core (`crate::gitops::drift`): local and preview
//! verdicts for one object, turned into the plain data the report carries.

use serde::Serialize;
use serde_json::Value;

/// One differing (or unmanaged) path, ready to show: values are masked for Secrets.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FieldChange {
    /// `.spec.template.spec.containers[name=web].image`
    pub path: String,
    /// `add`, `remove` or `replace` (unmanaged changes: `unmanaged`).
    pub op: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub live: Option<Value>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub desired: Option<Value>,
    /// The manager that owns the path in live (the one who changed it), if any.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub manager: Option<String>,
    /// `Update` / `Apply`, and the subresource (`scale`) when there is one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub operation: Option<String>,
    /// When the manager wrote it (RFC 3339), if the server recorded it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub time: Option<String>,
}

/// The comparison of one live object with its desired state.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Comparison {
    /// Whether applying desired would change the object.
    pub drift: bool,
    pub changes: Vec<FieldChange>,
    /// Fields other managers set that desired never mentions (not drift).
    pub unmanaged: Vec<FieldChange>,
    /// Normalized live YAML and desired (or dry-run) YAML, Secret values masked; empty when
    /// there is no drift, to keep reports small.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub live_yaml: String,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub desired_yaml: String,
    /// A problem met on the way (the server rejects desired, malformed managedFields).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

/// Local path: desired as a subset of live.
pub fn compare_local(desired: &Value, live: &Value) -> Comparison {
    let _ = (desired, live);
    unimplemented_comparison()
}

/// Preview path: live against the server-side apply dry-run of desired.
pub fn compare_preview(desired: &Value, live: &Value, preview: &Value) -> Comparison {
    let _ = (desired, live, preview);
    unimplemented_comparison()
}

/// Health of a live object: `Healthy`, `Progressing`, `Degraded`, `Suspended`, `Unknown`.
pub fn health(live: &Value) -> String {
    let _ = live;
    "Unknown".into()
}

fn unimplemented_comparison() -> Comparison {
    Comparison {
        drift: false,
        changes: Vec::new(),
        unmanaged: Vec::new(),
        live_yaml: String::new(),
        desired_yaml: String::new(),
        note: None,
    }
}
