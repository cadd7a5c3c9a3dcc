//! Following an action to its end, from the operator object as it changes: Argo CD's
//! `status.operationState` (Running → Succeeded / Failed / Error) and the refresh annotation
//! the controller removes once it has compared; Flux's `status.lastHandledReconcileAt`
//! reaching the request, then the Ready condition and `lastAppliedRevision`.

use super::actions::{OperatorAction, OperatorWrite};
use super::{AppSource, argocd, flux};
use serde_json::Value;

/// Where an action stands.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Progress {
    /// Not over yet: what the operator is doing.
    Waiting(String),
    /// Over: whether it went well, and what the operator said.
    Done { ok: bool, message: String },
}

fn s<'a>(v: &'a Value, pointer: &str) -> &'a str {
    v.pointer(pointer).and_then(Value::as_str).unwrap_or_default()
}

/// Where `action` stands, from the object `obj` as last seen after the write.
pub fn progress(source: AppSource, action: &OperatorAction, write: &OperatorWrite, obj: &Value) -> Progress {
    match (source, action) {
        (_, OperatorAction::Suspend | OperatorAction::Resume) => Progress::Done {
            ok: true,
            message: write.fields.join(", "),
        },
        (AppSource::Argocd, OperatorAction::Sync { .. }) => argo_sync(obj),
        (AppSource::Argocd, OperatorAction::Refresh { .. }) => {
            let pending = obj
                .pointer("/metadata/annotations")
                .and_then(|a| a.get(argocd::REFRESH_ANNOTATION))
                .is_some();
            if pending {
                Progress::Waiting("refresh requested; waiting for the application controller".into())
            } else {
                let st = argocd::status(obj);
                Progress::Done {
                    ok: true,
                    message: format!(
                        "refreshed: {} · {}{}",
                        st.sync,
                        st.health.unwrap_or_default(),
                        st.revision
                            .map(|r| format!(" at {}", crate::git::short(&r)))
                            .unwrap_or_default()
                    ),
                }
            }
        }
        (_, _) => flux_reconcile(obj, write.requested_at.as_deref().unwrap_or_default()),
    }
}

fn argo_sync(obj: &Value) -> Progress {
    let state = obj.pointer("/status/operationState").filter(|s| s.is_object());
    let requested = obj.get("operation").is_some_and(|o| o.is_object());
    match state {
        None if requested => Progress::Waiting("requested; waiting for the application controller".into()),
        None => Progress::Waiting("waiting for the operation to start".into()),
        Some(st) => {
            let phase = s(st, "/phase");
            let message = s(st, "/message");
            let revision = match s(st, "/syncResult/revision") {
                "" => String::new(),
                r => format!(" at {}", crate::git::short(r)),
            };
            match phase {
                "Succeeded" => Progress::Done {
                    ok: true,
                    message: format!("Succeeded{revision}: {message}"),
                },
                "Failed" | "Error" => Progress::Done {
                    ok: false,
                    message: format!("{phase}{revision}: {message}"),
                },
                "" => Progress::Waiting("waiting for the operation to start".into()),
                other => {
                    let done = st
                        .pointer("/syncResult/resources")
                        .and_then(Value::as_array)
                        .map(Vec::len)
                        .unwrap_or(0);
                    Progress::Waiting(format!("{other}: {message} ({done} resources so far)"))
                }
            }
        }
    }
}

fn flux_reconcile(obj: &Value, requested_at: &str) -> Progress {
    let handled = flux::last_handled(obj);
    if handled.as_deref() != Some(requested_at) {
        return Progress::Waiting("requested; waiting for the controller to pick it up".into());
    }
    let st = flux::status(obj);
    let applied = st.revision.clone().unwrap_or_default();
    match st.sync.as_str() {
        "Ready" if !st.stale => Progress::Done {
            ok: true,
            message: format!(
                "Ready: applied {applied}{}",
                st.message.map(|m| format!(": {m}")).unwrap_or_default()
            ),
        },
        "NotReady" => Progress::Done {
            ok: false,
            message: format!(
                "NotReady ({}): {}",
                st.reason.unwrap_or_default(),
                st.message.unwrap_or_default()
            ),
        },
        _ => Progress::Waiting(format!(
            "reconciling{}",
            st.message.map(|m| format!(": {m}")).unwrap_or_default()
        )),
    }
}
