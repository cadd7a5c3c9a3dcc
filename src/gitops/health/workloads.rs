//! Deployments, StatefulSets, DaemonSets and ReplicaSets: rollout status, as
//! `kubectl rollout status` and Argo CD read it.

use super::fields::{Obj, find};
use super::{Rule, degraded, healthy, progressing, suspended};

/// "waiting for the controller to see generation 4 (it has seen 3)".
fn unobserved((generation, observed): (i64, i64)) -> String {
    format!("waiting for the controller to see generation {generation} (it has seen {observed})")
}

pub fn deployment(o: Obj) -> Rule {
    if o.flag("/spec/paused")? {
        return Ok(suspended("rollout paused"));
    }
    if let Some(gens) = o.generation_unobserved()? {
        return Ok(progressing(unobserved(gens)));
    }
    let want = o.int("/spec/replicas")?;
    let total = o.count("/status/replicas")?;
    let updated = o.count("/status/updatedReplicas")?;
    let available = o.count("/status/availableReplicas")?;
    let conds = o.conditions()?;
    // Argo CD reads the reason alone: the controller sets it with status False.
    if find(&conds, "Progressing").is_some_and(|c| c.reason == "ProgressDeadlineExceeded") {
        let of = want.unwrap_or(total);
        // A rolling update that never finished while old Pods still serve: the rollout is
        // what is stuck, not the service.
        if updated < of {
            return Ok(degraded(format!(
                "rollout stuck: {updated} of {of} replicas updated, {available} available (ProgressDeadlineExceeded)"
            )));
        }
        return Ok(degraded(format!(
            "{available}/{of} replicas available (ProgressDeadlineExceeded)"
        )));
    }
    if let Some(want) = want
        && updated < want
    {
        return Ok(progressing(format!("{updated} of {want} replicas updated")));
    }
    if total > updated {
        return Ok(progressing(format!(
            "{} old replicas pending termination",
            total - updated
        )));
    }
    if available < updated {
        return Ok(progressing(format!(
            "{available} of {updated} updated replicas available"
        )));
    }
    Ok(healthy(format!(
        "{available}/{} replicas available",
        want.unwrap_or(total)
    )))
}

pub fn statefulset(o: Obj) -> Rule {
    let observed = o.count("/status/observedGeneration")?;
    let generation = o.count("/metadata/generation")?;
    // A StatefulSet the controller has never reported on is not done either.
    if observed == 0 || generation > observed {
        return Ok(progressing(unobserved((generation, observed))));
    }
    let want = o.int("/spec/replicas")?;
    let ready = o.count("/status/readyReplicas")?;
    let updated = o.count("/status/updatedReplicas")?;
    if let Some(want) = want
        && ready < want
    {
        return Ok(progressing(format!("{ready} of {want} pods ready")));
    }
    let strategy = o.text("/spec/updateStrategy/type")?;
    if strategy == "RollingUpdate" && o.has("/spec/updateStrategy/rollingUpdate") {
        let partition = o.int("/spec/updateStrategy/rollingUpdate/partition")?;
        if let (Some(want), Some(partition)) = (want, partition)
            && updated < want - partition
        {
            return Ok(progressing(format!(
                "partitioned rollout: {updated} of {} pods updated",
                want - partition
            )));
        }
        return Ok(healthy(format!("rollout complete: {updated} pods updated")));
    }
    if strategy == "OnDelete" {
        return Ok(healthy(format!("{ready} pods ready (updated on delete)")));
    }
    let update = o.text("/status/updateRevision")?;
    if update != o.text("/status/currentRevision")? {
        return Ok(progressing(format!(
            "rolling update: {updated} pods at revision {update}"
        )));
    }
    Ok(healthy(format!(
        "{} pods at revision {update}",
        o.count("/status/currentReplicas")?
    )))
}

pub fn daemonset(o: Obj) -> Rule {
    if let Some(gens) = o.generation_unobserved()? {
        return Ok(progressing(unobserved(gens)));
    }
    let want = o.count("/status/desiredNumberScheduled")?;
    let updated = o.count("/status/updatedNumberScheduled")?;
    let available = o.count("/status/numberAvailable")?;
    if o.text("/spec/updateStrategy/type")? == "OnDelete" {
        return Ok(healthy(format!(
            "{updated} of {want} pods updated (updated on delete)"
        )));
    }
    if updated < want {
        return Ok(progressing(format!("{updated} of {want} pods updated")));
    }
    if available < want {
        return Ok(progressing(format!("{available} of {want} pods available")));
    }
    Ok(healthy(format!("{available}/{want} pods available")))
}

pub fn replicaset(o: Obj) -> Rule {
    if let Some(gens) = o.generation_unobserved()? {
        return Ok(progressing(unobserved(gens)));
    }
    let conds = o.conditions()?;
    if let Some(c) = find(&conds, "ReplicaFailure").filter(|c| c.is_true()) {
        return Ok(degraded(c.why()));
    }
    let available = o.count("/status/availableReplicas")?;
    if let Some(want) = o.int("/spec/replicas")?
        && available < want
    {
        return Ok(progressing(format!("{available} of {want} replicas available")));
    }
    Ok(healthy(format!("{available} replicas available")))
}
