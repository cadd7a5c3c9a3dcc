//! Acting through an operator: preview what would be written to its object (and what the
//! gate says), then write it with a permit, follow the operator live to the end of what it
//! was asked, and record it in the audit log, refusals included. Each runs on a task of its
//! own with its own client, so watches and reports keep flowing meanwhile.

use super::report::{EngineEvent, GateVerdict};
use super::{EngineConfig, sync_run};
use crate::gate::{Gate, Target};
use crate::gitops::audit::{AuditEntry, AuditLog, Who};
use crate::gitops::operators::actions::{OperatorAction, OperatorWrite, plan_write};
use crate::gitops::operators::follow::{Progress, progress};
use crate::gitops::operators::kinds;
use crate::gitops::operators::{AppSource, OperatorApp, OperatorRef};
use crate::kube::cluster::connect;
use crate::kube::operator_write;
use futures::StreamExt;
use kube::config::Kubeconfig;
use serde::Serialize;
use serde_json::Value;
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::mpsc;

type Kubeconfigured = Result<Arc<Kubeconfig>, String>;

/// What acting would write, before anyone confirms.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct OperatorPreview {
    pub id: u64,
    pub app: Arc<OperatorApp>,
    pub action: OperatorAction,
    /// The patch and the fields it sets; none when the operator would refuse it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub write: Option<OperatorWrite>,
    /// Why it cannot be done now (another operation running, suspended...).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
    pub gate: GateVerdict,
}

/// How an action ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Ending {
    /// The operator finished what it was asked (`ok` says how it went).
    Finished,
    /// Nothing was written: the gate, the operator's state or the cluster refused.
    Refused,
    /// The write failed (403, conflict, cluster gone).
    Failed,
    /// Written, but the operator had not finished within the wait.
    TimedOut,
}

/// Everything an action did.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct OperatorResult {
    pub app: String,
    pub cluster: String,
    pub source: AppSource,
    pub object: OperatorRef,
    pub action: OperatorAction,
    pub ending: Ending,
    /// Whether it went well: written and the operator succeeded.
    pub ok: bool,
    pub message: String,
    /// The fields written (empty when nothing was).
    pub fields: Vec<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub warnings: Vec<String>,
}

/// A command to act, with the app it names found.
pub struct Ask {
    pub id: u64,
    pub app: Arc<OperatorApp>,
    pub action: OperatorAction,
    pub typed: Option<String>,
    pub wait_secs: u64,
}

/// The cluster holding the object, and (for a sync) the cluster it changes.
fn targets(app: &OperatorApp, action: &OperatorAction) -> Vec<Target> {
    let home = Target::Cluster {
        name: app.object.cluster.clone(),
        context: app.object.context.clone(),
    };
    let mut out = vec![home];
    if matches!(action, OperatorAction::Sync { .. })
        && !app.context.is_empty()
        && app.context != app.object.context
    {
        out.push(Target::Cluster {
            name: app.cluster.clone(),
            context: app.context.clone(),
        });
    }
    out
}

fn gate_verdict(gate: &Gate, app: &OperatorApp, action: &OperatorAction) -> GateVerdict {
    let all = targets(app, action);
    for t in &all {
        if let Err(r) = gate.check(action.gate_action(), t) {
            return GateVerdict::Refused(r.to_string());
        }
    }
    if all.iter().any(|t| gate.needs_typed_name(t)) {
        GateVerdict::NeedsTypedName
    } else {
        GateVerdict::Allowed
    }
}

/// Answer a command naming no discovered app.
pub async fn answer_missing(id: u64, why: String, events: &mpsc::Sender<EngineEvent>) {
    let _ = events
        .send(EngineEvent::OperatorPreview { id, result: Err(why) })
        .await;
}

/// The username Argo CD records as having started the operation.
fn initiator(who: &Who) -> String {
    format!("{} (sextant)", who.os_user)
}

/// Start a preview on a task of its own.
pub fn start_preview(
    id: u64,
    app: Arc<OperatorApp>,
    action: OperatorAction,
    kubeconfig: &Kubeconfigured,
    config: &EngineConfig,
    events: &mpsc::Sender<EngineEvent>,
) {
    let gate = gate_verdict(&config.gate, &app, &action);
    let kubeconfig = kubeconfig.clone();
    let events = events.clone();
    let who = sync_run::who(
        &config.desired.repo,
        kubeconfig.as_deref().ok(),
        &app.object.context,
    );
    tokio::spawn(async move {
        let read = read_object(&kubeconfig, &app).await;
        let (write, error) = match read {
            Ok((_, live)) => match plan_write(&app, &live, &action, &initiator(&who), &now()) {
                Ok(w) => (Some(w), None),
                Err(e) => (None, Some(e)),
            },
            Err(e) => (None, Some(e)),
        };
        let preview = OperatorPreview {
            id,
            app,
            action,
            write,
            error,
            gate,
        };
        let _ = events
            .send(EngineEvent::OperatorPreview {
                id,
                result: Ok(Arc::new(preview)),
            })
            .await;
    });
}

fn now() -> String {
    crate::time::format_rfc3339_nanos(std::time::SystemTime::now())
}

/// A client for the object's cluster and the object as it is now.
async fn read_object(
    kubeconfig: &Kubeconfigured,
    app: &OperatorApp,
) -> Result<(kube::Client, Value), String> {
    let kc = kubeconfig.as_ref().map_err(Clone::clone)?;
    let client = connect(kc, &app.object.context)
        .await
        .map_err(|state| format!("cluster {} is {state}", app.object.cluster))?;
    let resource = resource_of(&app.object);
    match operator_write::get(&client, &resource, &app.object.namespace, &app.object.name).await? {
        Some(v) => Ok((client, v)),
        None => Err(format!("{} no longer exists", app.object.describe())),
    }
}

fn resource_of(object: &OperatorRef) -> kube::discovery::ApiResource {
    match kinds::find(&object.group, &object.kind) {
        Some(k) => k.resource(),
        None => kube::discovery::ApiResource {
            group: object.group.clone(),
            version: object.version.clone(),
            api_version: format!("{}/{}", object.group, object.version),
            kind: object.kind.clone(),
            plural: format!("{}s", object.kind.to_ascii_lowercase()),
        },
    }
}

/// Act: through the gate, write, follow, audit. Runs on a task of its own.
pub async fn start(
    ask: Ask,
    kubeconfig: &Kubeconfigured,
    config: &EngineConfig,
    events: &mpsc::Sender<EngineEvent>,
) {
    let who = sync_run::who(
        &config.desired.repo,
        kubeconfig.as_deref().ok(),
        &ask.app.object.context,
    );
    let job = Job {
        gate: config.gate.clone(),
        audit: config.audit.clone(),
        kubeconfig: kubeconfig.clone(),
        events: events.clone(),
        who,
    };
    tokio::spawn(job.run(ask));
}

struct Job {
    gate: Gate,
    audit: Option<AuditLog>,
    kubeconfig: Kubeconfigured,
    events: mpsc::Sender<EngineEvent>,
    who: Who,
}

impl Job {
    async fn run(self, ask: Ask) {
        let result = self.act(&ask).await;
        tracing::info!(
            "{} {}: {}",
            ask.action.audit_name(ask.app.source),
            ask.app.name,
            result.message
        );
        self.record(&ask, &result);
        let _ = self
            .events
            .send(EngineEvent::OperatorDone {
                id: ask.id,
                result: Arc::new(result),
            })
            .await;
    }

    fn result(
        &self,
        ask: &Ask,
        ending: Ending,
        ok: bool,
        message: String,
        write: Option<&OperatorWrite>,
    ) -> OperatorResult {
        OperatorResult {
            app: ask.app.name.clone(),
            cluster: super::discovered::shown_cluster(&ask.app).to_string(),
            source: ask.app.source,
            object: ask.app.object.clone(),
            action: ask.action.clone(),
            ending,
            ok,
            message,
            fields: write.map(|w| w.fields.clone()).unwrap_or_default(),
            warnings: write.map(|w| w.warnings.clone()).unwrap_or_default(),
        }
    }

    async fn act(&self, ask: &Ask) -> OperatorResult {
        let app = &ask.app;
        let action = ask.action.gate_action();
        let all = targets(app, &ask.action);
        let mut permit = None;
        for t in &all {
            match self.gate.permit(action, t, ask.typed.as_deref()) {
                Ok(p) => {
                    permit.get_or_insert(p);
                }
                Err(r) => return self.result(ask, Ending::Refused, false, r.to_string(), None),
            }
        }
        let Some(permit) = permit else {
            return self.result(ask, Ending::Refused, false, "no cluster to write to".into(), None);
        };
        let resource = resource_of(&app.object);
        let mut attempts = 0;
        loop {
            attempts += 1;
            let (client, live) = match read_object(&self.kubeconfig, app).await {
                Ok(x) => x,
                Err(e) => {
                    return self.result(
                        ask,
                        Ending::Failed,
                        false,
                        format!("{e}: nothing was written"),
                        None,
                    );
                }
            };
            let write = match plan_write(app, &live, &ask.action, &initiator(&self.who), &now()) {
                Ok(w) => w,
                Err(e) => {
                    return self.result(
                        ask,
                        Ending::Refused,
                        false,
                        format!("{e}: nothing was written"),
                        None,
                    );
                }
            };
            let (ns, name) = (&app.object.namespace, &app.object.name);
            let written = operator_write::merge_patch(
                &client,
                &permit,
                action,
                &app.object.context,
                &resource,
                ns,
                name,
                &write.patch,
            )
            .await;
            match written {
                Ok(obj) => return self.follow(ask, client, resource, write, obj).await,
                // Changed meanwhile (Argo CD's resourceVersion precondition): read and try again.
                Err(crate::kube::write::WriteError::Rejected { code: 409, .. }) if attempts < 3 => continue,
                Err(e) => {
                    let message = format!("{}: {e}; nothing was written", app.object.describe());
                    return self.result(ask, Ending::Failed, false, message, None);
                }
            }
        }
    }

    /// Follow the object until the operator is done with the request, or the wait ends.
    async fn follow(
        &self,
        ask: &Ask,
        client: kube::Client,
        resource: kube::discovery::ApiResource,
        write: OperatorWrite,
        first: Value,
    ) -> OperatorResult {
        let source = ask.app.source;
        let mut last = String::new();
        let step = |obj: &Value, last: &mut String| match progress(source, &ask.action, &write, obj) {
            Progress::Done { ok, message } => Some((ok, message)),
            Progress::Waiting(message) => {
                if *last != message {
                    *last = message.clone();
                    let _ = self
                        .events
                        .try_send(EngineEvent::OperatorProgress { id: ask.id, message });
                }
                None
            }
        };
        if let Some((ok, message)) = step(&first, &mut last) {
            return self.result(ask, Ending::Finished, ok, message, Some(&write));
        }
        let api: kube::Api<kube::api::DynamicObject> =
            kube::Api::namespaced_with(client, &ask.app.object.namespace, &resource);
        let config = kube::runtime::watcher::Config::default()
            .fields(&format!("metadata.name={}", ask.app.object.name));
        let deadline = tokio::time::Instant::now() + Duration::from_secs(ask.wait_secs.max(1));
        loop {
            let mut stream = kube::runtime::watcher(api.clone(), config.clone()).boxed();
            loop {
                let next = match tokio::time::timeout_at(deadline, stream.next()).await {
                    Ok(Some(ev)) => ev,
                    Ok(None) => break,
                    Err(_) => {
                        let message = format!(
                            "written; {} had not finished within {}s ({}): it carries on",
                            source.operator_name(),
                            ask.wait_secs,
                            if last.is_empty() { "no news" } else { &last }
                        );
                        return self.result(ask, Ending::TimedOut, false, message, Some(&write));
                    }
                };
                let obj = match next {
                    Ok(
                        kube::runtime::watcher::Event::Apply(o) | kube::runtime::watcher::Event::InitApply(o),
                    ) => o,
                    Ok(_) => continue,
                    Err(_) => break,
                };
                let Ok(obj) = serde_json::to_value(obj) else {
                    continue;
                };
                if let Some((ok, message)) = step(&obj, &mut last) {
                    return self.result(ask, Ending::Finished, ok, message, Some(&write));
                }
            }
            tokio::time::sleep(Duration::from_millis(500)).await;
        }
    }

    fn record(&self, ask: &Ask, result: &OperatorResult) {
        let Some(log) = &self.audit else { return };
        let mut details = std::collections::BTreeMap::new();
        details.insert("operator".to_string(), ask.app.source.operator_name().to_string());
        details.insert("object".to_string(), ask.app.object.describe());
        if !result.fields.is_empty() {
            details.insert("fields".to_string(), result.fields.join("; "));
        }
        if !result.warnings.is_empty() {
            details.insert("warnings".to_string(), result.warnings.join("; "));
        }
        let (revision, prune) = match &ask.action {
            OperatorAction::Sync { revision, prune, .. } => (revision.clone().unwrap_or_default(), *prune),
            _ => (String::new(), false),
        };
        let entry = AuditEntry {
            time: crate::time::format_rfc3339(crate::time::now_secs()),
            action: ask.action.audit_name(ask.app.source),
            who: self.who.clone(),
            app: ask.app.name.clone(),
            cluster: result.cluster.clone(),
            revision,
            pinned: false,
            prune,
            outcome: match result.ending {
                Ending::Finished if result.ok => "finished",
                Ending::Finished => "failed",
                Ending::Refused => "refused",
                Ending::Failed => "failed",
                Ending::TimedOut => "timed-out",
            }
            .to_string(),
            summary: result.message.clone(),
            details,
            objects: Vec::new(),
        };
        if let Err(e) = log.append(&entry) {
            tracing::error!("{e}");
        }
    }
}
