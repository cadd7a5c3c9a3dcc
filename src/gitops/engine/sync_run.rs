//! The engine's side of a sync: ask the action gate for permits, hand the plan to its
//! cluster's task, run it there on a task of its own (so watches keep flowing and the rows
//! turn Synced as the cluster changes), stream each object's result, and write the audit
//! log, also for a sync the gate refused.

use super::SyncScope;
use super::report::EngineEvent;
use crate::gate::{Action, Gate, Target};
use crate::gitops::audit::{AuditLog, Who};
use crate::gitops::sync::execute::{self, Permits, SyncOptions};
use crate::gitops::sync::plan::SyncPlan;
use crate::gitops::sync::{audit_entry, refused};
use std::sync::Arc;
use tokio::sync::{mpsc, watch};

/// A plan shared by reference; two are equal when they are the same plan.
#[derive(Debug, Clone)]
pub struct PlanRef(pub Arc<SyncPlan>);

impl PartialEq for PlanRef {
    fn eq(&self, other: &Self) -> bool {
        Arc::ptr_eq(&self.0, &other.0)
    }
}

impl std::ops::Deref for PlanRef {
    type Target = SyncPlan;
    fn deref(&self) -> &SyncPlan {
        &self.0
    }
}

/// A permitted sync on its way to its cluster's task.
pub struct SyncJob {
    pub id: u64,
    pub plan: Arc<SyncPlan>,
    pub permits: Permits,
    pub options: SyncOptions,
    pub cancel: watch::Receiver<bool>,
    pub events: mpsc::Sender<EngineEvent>,
    pub audit: Option<AuditLog>,
    pub who: Who,
}

/// Who is acting on `context`: the OS user, the repository's Git user, and the kubeconfig
/// user the context names.
pub fn who(repo: &std::path::Path, kubeconfig: Option<&kube::config::Kubeconfig>, context: &str) -> Who {
    let kube_user = kubeconfig
        .and_then(|k| k.contexts.iter().find(|c| c.name == context))
        .and_then(|c| c.context.as_ref())
        .and_then(|c| c.user.clone())
        .unwrap_or_default();
    Who {
        os_user: Who::os_user(),
        git_user: crate::git::git_user(repo).unwrap_or_default(),
        kube_context: context.to_string(),
        kube_user,
    }
}

/// Permits for `plan`, or the refusal as a finished (refused) sync.
pub fn permits(gate: &Gate, plan: &SyncPlan, prune: bool, typed: Option<&str>) -> Result<Permits, String> {
    let target = Target::Cluster {
        name: plan.cluster.clone(),
        context: plan.context.clone(),
    };
    let sync = gate
        .permit(Action::Sync, &target, typed)
        .map_err(|r| r.to_string())?;
    let prune = if prune && !plan.prune.is_empty() {
        Some(
            gate.permit(Action::Prune, &target, typed)
                .map_err(|r| r.to_string())?,
        )
    } else {
        None
    };
    Ok(Permits { sync, prune })
}

/// Record a refused sync and say so.
pub async fn refuse(
    id: u64,
    plan: &SyncPlan,
    prune: bool,
    why: String,
    audit: Option<&AuditLog>,
    who: Who,
    events: &mpsc::Sender<EngineEvent>,
) {
    let result = refused(plan, prune, why);
    record(audit, plan, &result, who);
    let _ = events
        .send(EngineEvent::SyncDone {
            id,
            result: Arc::new(result),
        })
        .await;
}

fn record(
    audit: Option<&AuditLog>,
    plan: &SyncPlan,
    result: &crate::gitops::sync::result::SyncResult,
    who: Who,
) {
    if let Some(log) = audit
        && let Err(e) = log.append(&audit_entry(plan, result, who))
    {
        tracing::error!("{e}");
    }
}

/// Run a permitted sync with `client`, streaming its progress, then audit it.
pub async fn run(job: SyncJob, client: kube::Client) {
    let SyncJob {
        id,
        plan,
        permits,
        options,
        cancel,
        events,
        audit,
        who,
    } = job;
    let (tx, mut rx) = mpsc::unbounded_channel();
    let forward = {
        let events = events.clone();
        let (app, cluster) = (plan.app.clone(), plan.cluster.clone());
        tokio::spawn(async move {
            while let Some(result) = rx.recv().await {
                let ev = EngineEvent::SyncProgress {
                    id,
                    app: app.clone(),
                    cluster: cluster.clone(),
                    result,
                };
                if events.send(ev).await.is_err() {
                    break;
                }
            }
        })
    };
    let result = execute::execute(&client, &plan, &permits, &options, cancel, tx).await;
    // Every progress message goes out before the end.
    let _ = forward.await;
    tracing::info!("sync {}", result.summary());
    record(audit.as_ref(), &plan, &result, who);
    let _ = events
        .send(EngineEvent::SyncDone {
            id,
            result: Arc::new(result),
        })
        .await;
}

/// What a `PlanSync` asks the preview machinery for.
pub fn plan_ask(
    id: u64,
    revision: String,
    cluster: String,
    scope: SyncScope,
    gate: Gate,
) -> super::preview::Ask {
    super::preview::Ask {
        id,
        revision,
        cluster,
        plan: Some((scope, gate)),
    }
}
