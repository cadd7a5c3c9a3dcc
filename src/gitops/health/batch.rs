//! Jobs by their conditions, CronJobs by how their last scheduled run went.

use super::fields::{Obj, find};
use super::{Health, Rule, degraded, healthy, progressing, suspended};
use crate::gitops::drift::parse_rfc3339;

pub fn job(o: Obj) -> Rule {
    let conds = o.conditions()?;
    let holds = |kind: &str| find(&conds, kind).filter(|c| c.is_true());
    if let Some(c) = holds("Failed") {
        return Ok(degraded(format!("job failed: {}", c.why())));
    }
    if let Some(c) = holds("Complete") {
        return Ok(healthy(if c.message.is_empty() {
            "job complete"
        } else {
            c.message
        }));
    }
    if holds("Suspended").is_some() {
        // A suspended Job waits on purpose: it does not hold its app back.
        return Ok(suspended("job suspended").counting_as(Health::Healthy));
    }
    let active = o.count("/status/active")?;
    let done = o.count("/status/succeeded")?;
    let failed = o.count("/status/failed")?;
    let mut text = format!("{active} running, {done} succeeded");
    if failed > 0 {
        text.push_str(&format!(", {failed} failed"));
    }
    Ok(progressing(text))
}

pub fn cronjob(o: Obj) -> Rule {
    if o.flag("/spec/suspend")? {
        // Argo CD counts a suspended CronJob as Healthy, so that it holds no app back
        // (argo-cd#24428); Sextant says Suspended and counts it the same way.
        return Ok(suspended("cron job suspended").counting_as(Health::Healthy));
    }
    if !o.has("/status") {
        return Ok(progressing("waiting for the cron job controller"));
    }
    let Some(scheduled) = o.str("/status/lastScheduleTime")? else {
        return Ok(healthy("not scheduled yet"));
    };
    let Some(succeeded) = o.str("/status/lastSuccessfulTime")? else {
        // The first run may still be going: nothing says it failed.
        return Ok(healthy("no run has succeeded yet"));
    };
    if !o.list("/status/active")?.is_empty() {
        return Ok(healthy("a job is running"));
    }
    if earlier(succeeded, scheduled) {
        return Ok(degraded(format!(
            "last run ({scheduled}) did not succeed; last success {succeeded}"
        )));
    }
    Ok(healthy(format!("last run succeeded at {succeeded}")))
}

/// Whether time `a` is before time `b` (RFC 3339; as text when either does not parse).
fn earlier(a: &str, b: &str) -> bool {
    match (parse_rfc3339(a), parse_rfc3339(b)) {
        (Some(a), Some(b)) => a < b,
        _ => a < b,
    }
}
