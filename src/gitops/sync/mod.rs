//! Sync: apply Git to a cluster. A [`plan::SyncPlan`] says what will change (from the
//! engine's preview of a revision against live), [`execute::execute`] runs it through the
//! action gate's permits, wave by wave, and [`audit_entry`] records it.

pub mod execute;
pub mod order;
pub mod plan;
pub mod result;

use super::audit::{AuditEntry, ObjectLine, Who};
use plan::SyncPlan;
use result::{Ending, Outcome, SyncResult};

/// The audit log's entry for a sync (or a refused one): the plan's objects with how each
/// went. Paths and messages only, never a value.
pub fn audit_entry(plan: &SyncPlan, result: &SyncResult, who: Who) -> AuditEntry {
    let mut objects: Vec<ObjectLine> = plan
        .apply
        .iter()
        .chain(plan.prune.iter().filter(|_| result.prune))
        .map(|o| {
            let got = result
                .results
                .iter()
                .find(|r| r.key == o.key && r.change == o.change);
            let (result, message) = match got.map(|r| &r.outcome) {
                Some(Outcome::Applied) => ("applied", String::new()),
                Some(Outcome::Pruned) => ("pruned", String::new()),
                Some(Outcome::Failed { message }) => ("failed", message.clone()),
                Some(Outcome::Skipped { reason }) => ("skipped", reason.clone()),
                None => ("", String::new()),
            };
            ObjectLine {
                object: o.key.to_string(),
                change: o.change.verb().to_string(),
                paths: o.paths.clone(),
                result: result.to_string(),
                message,
            }
        })
        .collect();
    // Prune candidates left alone are still worth a line: they were shown and not asked for.
    if !result.prune {
        objects.extend(plan.prune.iter().map(|o| ObjectLine {
            object: o.key.to_string(),
            change: o.change.verb().to_string(),
            result: "skipped".into(),
            message: "prune not asked for".into(),
            ..ObjectLine::default()
        }));
    }
    let outcome = match result.ending {
        Ending::Finished if result.tally.failed > 0 => "failed",
        Ending::Finished => "finished",
        Ending::Cancelled => "cancelled",
        Ending::ClusterLost => "cluster-lost",
        Ending::Refused => "refused",
    };
    AuditEntry {
        time: crate::time::format_rfc3339(crate::time::now_secs()),
        action: "sync".into(),
        who,
        app: plan.app.clone(),
        cluster: plan.cluster.clone(),
        revision: plan.commit.clone(),
        pinned: plan.pinned,
        prune: result.prune,
        outcome: outcome.into(),
        summary: result.summary(),
        details: Default::default(),
        objects,
    }
}

/// The result of a sync the gate refused: nothing was written.
pub fn refused(plan: &SyncPlan, prune: bool, why: String) -> SyncResult {
    SyncResult {
        app: plan.app.clone(),
        cluster: plan.cluster.clone(),
        context: plan.context.clone(),
        revision: plan.revision.clone(),
        commit: plan.commit.clone(),
        pinned: plan.pinned,
        prune,
        ending: Ending::Refused,
        message: Some(why),
        tally: Default::default(),
        results: Vec::new(),
    }
}
