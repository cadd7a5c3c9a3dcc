//! What the sandbox sees of writes, and a stand-in for a validating admission webhook, for
//! tests: every write request that reaches the server is logged (so a test can prove that
//! none did), and a denial rule refuses writes to named objects the way the apiserver words
//! a webhook's denial (`admission webhook "<name>" denied the request: <message>`, code 400
//! unless the webhook sets one). No real webhook runs here: the rule is the webhook.

use super::api::Req;
use super::status::ApiError;
use serde_json::json;
use std::sync::Mutex;

/// A webhook that denies writes to one object name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Denial {
    /// The webhook's name, as the apiserver quotes it.
    pub webhook: String,
    /// The object name it denies.
    pub object: String,
    /// The webhook's message.
    pub message: String,
    /// Whether dry-run requests are denied too (a webhook with `sideEffects: None` sees them).
    pub dry_run: bool,
}

#[derive(Debug, Default)]
pub struct Admission {
    writes: Mutex<Vec<String>>,
    denials: Mutex<Vec<Denial>>,
}

impl Admission {
    /// Log a write request (not a dry-run) and apply the denial rules. `name` is the object's.
    pub fn admit(&self, req: &Req, verb: &str, name: &str) -> Result<(), ApiError> {
        if !matches!(
            verb,
            "create" | "update" | "patch" | "delete" | "deletecollection"
        ) {
            return Ok(());
        }
        let dry_run = req.dry_run();
        if !dry_run && let Ok(mut w) = self.writes.lock() {
            w.push(format!("{} {}", req.method, req.path));
        }
        let denials = self.denials.lock().map(|d| d.clone()).unwrap_or_default();
        match denials
            .iter()
            .find(|d| d.object == name && (d.dry_run || !dry_run))
        {
            Some(d) => Err(ApiError::webhook_denied(&d.webhook, &d.message)),
            None => Ok(()),
        }
    }

    /// Every write request (method and path) that reached this cluster, dry-runs aside.
    pub fn writes(&self) -> Vec<String> {
        self.writes.lock().map(|w| w.clone()).unwrap_or_default()
    }

    pub fn deny(&self, denial: Denial) {
        if let Ok(mut d) = self.denials.lock() {
            d.push(denial);
        }
    }
}

impl ApiError {
    /// How the apiserver answers a validating webhook's denial (no code from the webhook).
    pub fn webhook_denied(webhook: &str, message: &str) -> ApiError {
        let body = json!({"kind": "Status", "apiVersion": "v1", "metadata": {}, "status": "Failure",
            "message": format!("admission webhook \"{webhook}\" denied the request: {message}"),
            "code": 400});
        ApiError {
            code: 400,
            body: super::status::ErrorBody::Status(body),
        }
    }
}
