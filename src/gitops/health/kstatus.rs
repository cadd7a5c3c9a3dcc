//! Every other kind, by the conditions that kstatus (sigs.k8s.io/cli-utils) and Flux define,
//! and Flux's own kinds as Argo CD's health scripts for them read them.

use super::fields::{Cond, Obj, find};
use super::{Rule, degraded, healthy, progressing, suspended};

/// kstatus, then `Ready`:
/// 1. a controller that has not seen the latest generation is still at work (Progressing);
/// 2. the first of `Reconciling` or `Stalled` that is True says which: at work (Progressing)
///    or stuck until someone acts (Degraded);
/// 3. `Ready`, as Flux and most operators set it: True is Healthy, False Degraded,
///    Unknown Progressing;
/// 4. an object with none of these (a ConfigMap) is Healthy, as kstatus's `Current`.
pub fn generic(o: Obj) -> Rule {
    if o.has("/status/observedGeneration") {
        let generation = o.count("/metadata/generation")?;
        let observed = o.count("/status/observedGeneration")?;
        if o.has("/metadata/generation") && observed != generation {
            return Ok(progressing(format!(
                "waiting for the controller to see generation {generation} (it has seen {observed})"
            )));
        }
    }
    let conds = o.conditions()?;
    for c in conds.iter().filter(|c| c.is_true()) {
        match c.kind {
            "Reconciling" => return Ok(progressing(with("reconciling", c))),
            "Stalled" => return Ok(degraded(with("stalled", c))),
            _ => {}
        }
    }
    Ok(match find(&conds, "Ready") {
        Some(c) if c.is_true() => healthy(c.message),
        Some(c) if c.status == "False" => degraded(with("not ready", c)),
        Some(c) => progressing(with("readiness unknown", c)),
        None => healthy(""),
    })
}

/// Flux (`*.toolkit.fluxcd.io`): suspended is Suspended; `Ready` True is Healthy; `Ready`
/// Unknown while `Reconciling` is True is Progressing; anything else that reports
/// conditions is Degraded (a failed reconciliation that Flux retries stays Degraded until it
/// succeeds); no conditions yet is Progressing.
pub fn flux(o: Obj) -> Rule {
    if o.flag("/spec/suspend")? {
        return Ok(suspended(format!("{} suspended", o.text("/kind")?)));
    }
    if !o.has("/status/conditions") {
        return Ok(progressing("waiting for the first reconciliation"));
    }
    let conds = o.conditions()?;
    let ready = find(&conds, "Ready");
    let reconciling = find(&conds, "Reconciling").is_some_and(|c| c.is_true());
    Ok(match ready {
        Some(c) if c.is_true() => healthy(c.message),
        Some(c) if c.status == "Unknown" && reconciling => progressing(with("reconciling", c)),
        Some(c) => degraded(with("not ready", c)),
        None => degraded("no Ready condition"),
    })
}

/// "stalled: InstallFailed: chart requires kubeVersion >=1.30".
fn with(what: &str, c: &Cond) -> String {
    match c.why() {
        why if why.is_empty() => what.to_string(),
        why => format!("{what}: {why}"),
    }
}
