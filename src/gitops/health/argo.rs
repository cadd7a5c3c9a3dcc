//! Argo's own kinds: Rollouts (as the health script Argo CD ships reads them), Workflows and
//! CronWorkflows, and Argo CD Applications (which report their own health).

use super::fields::Obj;
use super::{Health, HealthStatus, Rule, degraded, healthy, progressing, suspended};

pub fn rollout(o: Obj) -> Rule {
    if !o.has("/status") || !generation_observed(o) || !workload_observed(o)? {
        return Ok(progressing("waiting for the controller to see the new spec"));
    }
    // Argo Rollouts 1.0 and later write their own phase and message.
    if let Some(phase) = o.str("/status/phase")? {
        let message = o.text("/status/message")?;
        let status = match phase {
            "Paused" => Health::Suspended,
            other => match Health::parse(other) {
                Some(h) => h,
                None => return Ok(HealthStatus::new(Health::Unknown, format!("phase {other}"))),
            },
        };
        return Ok(HealthStatus::new(status, message));
    }
    legacy_rollout(o)
}

/// `status.observedGeneration` is the spec's generation. Rollouts before 0.10 wrote a hash
/// there (not a number), which says nothing: those count as observed.
fn generation_observed(o: Obj) -> bool {
    let generation = o.loose_int("/metadata/generation").unwrap_or(0);
    match o.loose_int("/status/observedGeneration") {
        Some(observed) => observed >= generation,
        None => true,
    }
}

/// A Rollout that takes its template from a Deployment (`spec.workloadRef`) has seen that
/// Deployment's latest generation.
fn workload_observed(o: Obj) -> super::fields::Read<bool> {
    if !o.has("/spec/workloadRef") || !o.has("/metadata/annotations") {
        return Ok(true);
    }
    let wanted = o
        .annotation("rollout.argoproj.io/workload-generation")?
        .and_then(|g| g.trim().parse::<i64>().ok());
    Ok(wanted == o.loose_int("/status/workloadObservedGeneration"))
}

/// Rollouts older than 1.0, which write no phase: from their conditions, pause and replicas.
fn legacy_rollout(o: Obj) -> Rule {
    let conds = o.conditions()?;
    for c in &conds {
        let failed = c.kind == "InvalidSpec"
            || (c.kind == "Progressing" && matches!(c.reason, "RolloutAborted" | "ProgressDeadlineExceeded"));
        if failed {
            return Ok(degraded(c.why()));
        }
    }
    if !o.list("/status/pauseConditions")?.is_empty() || o.flag("/spec/paused")? {
        return Ok(suspended("rollout paused"));
    }
    let Some(hash) = o.str("/status/currentPodHash")? else {
        return Ok(progressing("waiting for the controller to reconcile the status"));
    };
    let want = o.int("/spec/replicas")?.unwrap_or(1);
    let total = o.count("/status/replicas")?;
    let updated = o.count("/status/updatedReplicas")?;
    let available = o.count("/status/availableReplicas")?;
    if updated < want {
        return Ok(progressing(format!("{updated} of {want} replicas updated")));
    }
    if available < updated {
        return Ok(progressing(format!(
            "{available} of {updated} updated replicas available"
        )));
    }
    // Before 0.8 the stable ReplicaSet was under status.canary.
    let stable = match o.str("/status/stableRS")? {
        Some(s) => s,
        None => o.text("/status/canary/stableRS")?,
    };
    if o.has("/spec/strategy/blueGreen") {
        if o.str("/status/blueGreen/activeSelector")? != Some(hash) {
            return Ok(progressing("active service cutover pending"));
        }
        if !stable.is_empty() && stable != hash {
            return Ok(progressing("waiting for analysis to complete"));
        }
    } else if o.has("/spec/strategy/canary") {
        if total > updated {
            return Ok(progressing(format!(
                "{} old replicas pending termination",
                total - updated
            )));
        }
        if stable.is_empty() || stable != hash {
            return Ok(progressing("waiting for the rollout to finish its steps"));
        }
    }
    Ok(healthy(""))
}

pub fn workflow(o: Obj) -> Rule {
    let message = o.text("/status/message")?;
    let status = match o.text("/status/phase")? {
        "" | "Pending" | "Running" => Health::Progressing,
        "Succeeded" => Health::Healthy,
        "Failed" | "Error" => Health::Degraded,
        phase => return Ok(HealthStatus::new(Health::Unknown, format!("phase {phase}"))),
    };
    Ok(HealthStatus::new(status, message))
}

pub fn cron_workflow(o: Obj) -> Rule {
    for c in o.conditions()? {
        match c.kind {
            "SpecError" | "SubmissionError" if c.is_true() => {
                return Ok(degraded(format!("{}: {}", c.kind, c.message)));
            }
            "Completed" if c.is_true() => return Ok(healthy(c.message)),
            _ => {}
        }
    }
    Ok(healthy(""))
}

/// An Argo CD Application reports its own health: take it as is.
pub fn application(o: Obj) -> Rule {
    let message = o.text("/status/health/message")?;
    Ok(match o.str("/status/health/status")? {
        None => HealthStatus::new(Health::Unknown, "no health reported yet"),
        Some(word) => match Health::parse(word) {
            Some(status) => HealthStatus::new(status, message),
            None => HealthStatus::new(Health::Unknown, format!("health {word}")),
        },
    })
}
