//! What Sextant writes to act through an operator, as JSON merge patches, and nothing else:
//!
//! | action | Argo CD `Application` | Flux `Kustomization` / `HelmRelease` |
//! |---|---|---|
//! | sync | `operation` (`sync.revision`, `sync.prune`, `sync.syncStrategy.hook`, `sync.resources[]`, `initiatedBy.username`, `info[]`) and `status.operationState: null`, with `metadata.resourceVersion` so a concurrent change conflicts, as `argocd app sync` does through `SetAppOperation` | annotation `reconcile.fluxcd.io/requestedAt: <RFC 3339 now>`, as `flux reconcile` |
//! | refresh | annotation `argocd.argoproj.io/refresh: normal` (or `hard`) | the same request as sync (Flux has no compare-only refresh) |
//! | suspend | `spec.syncPolicy.automated: null`, the policy kept in annotation `sextant.dev/automated-sync`, as `argocd app set --sync-policy none` | `spec.suspend: true`, as `flux suspend` |
//! | resume | `spec.syncPolicy.automated` restored from that annotation (which is removed) | `spec.suspend: false`, as `flux resume` |

use super::{AppSource, OperatorApp, argocd, flux};
use crate::kube::key::ObjectKey;
use serde::Serialize;
use serde_json::{Map, Value, json};

/// Where Sextant keeps an Argo CD app's automated sync policy while it is suspended.
pub const SAVED_AUTOMATED: &str = "sextant.dev/automated-sync";

/// What to ask of the operator.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "action", rename_all = "kebab-case")]
pub enum OperatorAction {
    /// Argo CD: sync (optionally to `revision`, pruning, only `resources`). Flux: reconcile.
    Sync {
        #[serde(skip_serializing_if = "Option::is_none")]
        revision: Option<String>,
        prune: bool,
        #[serde(skip_serializing_if = "Vec::is_empty")]
        resources: Vec<ObjectKey>,
    },
    /// Argo CD: compare again (`hard` also regenerates manifests). Flux: reconcile.
    Refresh { hard: bool },
    /// Argo CD: turn automated sync off. Flux: `spec.suspend: true`.
    Suspend,
    /// Undo [`OperatorAction::Suspend`].
    Resume,
}

impl OperatorAction {
    /// The verb, for messages and the audit log (`argocd-sync`, `flux-suspend`...).
    pub fn audit_name(&self, source: AppSource) -> String {
        let verb = match self {
            OperatorAction::Sync { .. } if source == AppSource::Flux => "reconcile",
            OperatorAction::Sync { .. } => "sync",
            OperatorAction::Refresh { .. } => "refresh",
            OperatorAction::Suspend => "suspend",
            OperatorAction::Resume => "resume",
        };
        format!("{}-{verb}", source.as_str())
    }

    /// The gate's action for it.
    pub fn gate_action(&self) -> crate::gate::Action {
        use crate::gate::Action;
        match self {
            OperatorAction::Sync { .. } => Action::OperatorSync,
            OperatorAction::Refresh { .. } => Action::Refresh,
            OperatorAction::Suspend => Action::Suspend,
            OperatorAction::Resume => Action::Resume,
        }
    }
}

/// The write for one action: the merge patch, the fields it sets (for the preview and the
/// audit log), and what the user should know before confirming.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct OperatorWrite {
    pub patch: Value,
    /// `operation.sync.revision=9f2c1e1`, `metadata.annotations.reconcile.fluxcd.io/requestedAt=…`
    pub fields: Vec<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub warnings: Vec<String>,
    /// The requestedAt value written (Flux), to tell when the controller handled it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub requested_at: Option<String>,
}

fn annotation<'a>(live: &'a Value, key: &str) -> Option<&'a str> {
    live.pointer("/metadata/annotations")
        .and_then(|a| a.get(key))
        .and_then(Value::as_str)
}

/// The write for `action` on the operator object `live` (as just read), by `who`, at `now`
/// (RFC 3339). An `Err` says why the operator would refuse or ignore it, and what to do.
pub fn plan_write(
    app: &OperatorApp,
    live: &Value,
    action: &OperatorAction,
    who: &str,
    now: &str,
) -> Result<OperatorWrite, String> {
    match app.source {
        AppSource::Argocd => argo_write(app, live, action, who),
        AppSource::Flux => flux_write(app, live, action, now),
        AppSource::Sextant => Err(format!("{} is not an operator's app", app.name)),
    }
}

fn argo_write(
    app: &OperatorApp,
    live: &Value,
    action: &OperatorAction,
    who: &str,
) -> Result<OperatorWrite, String> {
    let mut warnings = Vec::new();
    let (patch, fields) = match action {
        OperatorAction::Sync {
            revision,
            prune,
            resources,
        } => {
            if live.get("operation").is_some_and(|o| !o.is_null()) {
                return Err(format!(
                    "another operation is already in progress on Application {}/{} (its `operation` is set): \
                     wait for it to finish",
                    app.object.namespace, app.object.name
                ));
            }
            if live.pointer("/metadata/deletionTimestamp").is_some() {
                return Err("the Application is being deleted: Argo CD will not sync it".into());
            }
            let multi = live
                .pointer("/spec/sources")
                .and_then(Value::as_array)
                .is_some_and(|s| !s.is_empty());
            if multi && revision.is_some() {
                return Err(
                    "the Application has several sources (spec.sources): Sextant syncs it to its target revisions only"
                        .into(),
                );
            }
            let target = app.origin.revision.as_str();
            if let Some(rev) = revision.as_deref().filter(|r| *r != target)
                && let Some(auto) = argocd::automated(live)
            {
                warnings.push(format!(
                    "automated sync is on{} (target revision {target}): Argo CD will sync back to {target} \
                     at its next reconcile and undo this (`argocd app sync --revision` refuses it for that \
                     reason); suspend automated sync first to keep {rev}",
                    if auto.self_heal { " with self-heal" } else { "" }
                ));
            }
            let mut sync = Map::new();
            if !multi {
                sync.insert("revision".into(), json!(revision.as_deref().unwrap_or(target)));
            }
            sync.insert("prune".into(), json!(prune));
            sync.insert("syncStrategy".into(), json!({"hook": {}}));
            if !resources.is_empty() {
                let list: Vec<Value> = resources
                    .iter()
                    .map(|k| json!({"group": k.group, "kind": k.kind, "name": k.name, "namespace": k.namespace}))
                    .collect();
                sync.insert("resources".into(), Value::Array(list));
            }
            let mut fields: Vec<String> = sync
                .iter()
                .filter(|(k, _)| *k != "resources")
                .map(|(k, v)| format!("operation.sync.{k}={}", compact(v)))
                .collect();
            fields.extend(
                resources
                    .iter()
                    .map(|k| format!("operation.sync.resources[]={k}")),
            );
            fields.push(format!("operation.initiatedBy.username={who}"));
            fields.push("operation.info[]=Reason: sextant".into());
            fields.push("status.operationState=null".into());
            let rv = live
                .pointer("/metadata/resourceVersion")
                .cloned()
                .unwrap_or(Value::Null);
            let patch = json!({
                "metadata": {"resourceVersion": rv},
                "operation": {
                    "sync": Value::Object(sync),
                    "initiatedBy": {"username": who},
                    "info": [{"name": "Reason", "value": "sextant"}],
                },
                "status": {"operationState": null},
            });
            (patch, fields)
        }
        OperatorAction::Refresh { hard } => {
            let kind = if *hard { "hard" } else { "normal" };
            let patch = json!({"metadata": {"annotations": {argocd::REFRESH_ANNOTATION: kind}}});
            (
                patch,
                vec![format!(
                    "metadata.annotations.{}={kind}",
                    argocd::REFRESH_ANNOTATION
                )],
            )
        }
        OperatorAction::Suspend => {
            let Some(auto) = live
                .pointer("/spec/syncPolicy/automated")
                .filter(|_| argocd::automated(live).is_some())
            else {
                return Err("automated sync is already off for this Application: nothing to suspend".into());
            };
            if let Some(by) = &app.generated_by {
                warnings.push(format!(
                    "it is generated by {by}, which may put the sync policy back at its next reconcile"
                ));
            }
            let saved = serde_json::to_string(auto).unwrap_or_else(|_| "{}".into());
            let patch = json!({
                "metadata": {"annotations": {SAVED_AUTOMATED: saved}},
                "spec": {"syncPolicy": {"automated": null}},
            });
            (
                patch,
                vec![
                    "spec.syncPolicy.automated=null".into(),
                    format!("metadata.annotations.{SAVED_AUTOMATED}={saved}"),
                ],
            )
        }
        OperatorAction::Resume => {
            if argocd::automated(live).is_some() {
                return Err("automated sync is already on for this Application: nothing to resume".into());
            }
            let Some(saved) = annotation(live, SAVED_AUTOMATED) else {
                return Err(
                    "automated sync was not turned off by Sextant, so there is no policy to restore: turn it on \
                     in the Application's spec in Git"
                        .into(),
                );
            };
            let policy: Value = serde_json::from_str(saved)
                .ok()
                .filter(Value::is_object)
                .ok_or_else(|| {
                    format!("the saved policy in {SAVED_AUTOMATED} is not a JSON object: {saved}")
                })?;
            let patch = json!({
                "metadata": {"annotations": {SAVED_AUTOMATED: null}},
                "spec": {"syncPolicy": {"automated": policy}},
            });
            (
                patch,
                vec![
                    format!("spec.syncPolicy.automated={}", compact(&policy)),
                    format!("metadata.annotations.{SAVED_AUTOMATED}=null"),
                ],
            )
        }
    };
    Ok(OperatorWrite {
        patch,
        fields,
        warnings,
        requested_at: None,
    })
}

fn flux_write(
    app: &OperatorApp,
    live: &Value,
    action: &OperatorAction,
    now: &str,
) -> Result<OperatorWrite, String> {
    let suspended = live.pointer("/spec/suspend").and_then(Value::as_bool) == Some(true);
    let kind = &app.object.kind;
    let mut warnings = Vec::new();
    let request = |now: &str| {
        (
            json!({"metadata": {"annotations": {flux::REQUESTED_AT: now}}}),
            vec![format!("metadata.annotations.{}={now}", flux::REQUESTED_AT)],
        )
    };
    let (patch, fields, requested_at) = match action {
        OperatorAction::Sync {
            revision,
            prune,
            resources,
        } => {
            if let Some(rev) = revision {
                return Err(format!(
                    "Flux deploys what its source's ref points at, not a revision asked for ({rev}): revert in \
                     Git (a revert pull request) or change the source's ref"
                ));
            }
            if !resources.is_empty() {
                return Err(format!(
                    "Flux reconciles a {kind} as a whole: it cannot sync single objects"
                ));
            }
            if *prune && live.pointer("/spec/prune").and_then(Value::as_bool) != Some(true) {
                warnings.push(format!(
                    "this {kind} has spec.prune off: Flux will not delete objects removed from Git"
                ));
            }
            if suspended {
                return Err(format!(
                    "the {kind} is suspended: Flux ignores reconcile requests while suspended; resume it first"
                ));
            }
            let (p, f) = request(now);
            (p, f, Some(now.to_string()))
        }
        OperatorAction::Refresh { .. } => {
            if suspended {
                return Err(format!(
                    "the {kind} is suspended: Flux ignores reconcile requests while suspended; resume it first"
                ));
            }
            let (p, f) = request(now);
            (p, f, Some(now.to_string()))
        }
        OperatorAction::Suspend if suspended => {
            return Err(format!("the {kind} is already suspended"));
        }
        OperatorAction::Suspend => (
            json!({"spec": {"suspend": true}}),
            vec!["spec.suspend=true".to_string()],
            None,
        ),
        OperatorAction::Resume if !suspended => {
            return Err(format!("the {kind} is not suspended: nothing to resume"));
        }
        OperatorAction::Resume => (
            json!({"spec": {"suspend": false}}),
            vec!["spec.suspend=false".to_string()],
            None,
        ),
    };
    Ok(OperatorWrite {
        patch,
        fields,
        warnings,
        requested_at,
    })
}

fn compact(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}
