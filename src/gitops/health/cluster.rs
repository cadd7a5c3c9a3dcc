//! PersistentVolumeClaims by phase, CustomResourceDefinitions by their conditions.

use super::fields::{Obj, find};
use super::{Rule, degraded, healthy, progressing, unknown};

pub fn pvc(o: Obj) -> Rule {
    Ok(match o.text("/status/phase")? {
        "Bound" => healthy(match o.text("/spec/volumeName")? {
            "" => "bound".to_string(),
            volume => format!("bound to {volume}"),
        }),
        "Lost" => degraded("its volume is lost"),
        "Pending" => {
            // A claim being provisioned carries its provisioner's name; one without waits,
            // by design, for a Pod to use it (WaitForFirstConsumer) and is not unwell.
            let provisioner = match o.annotation("volume.kubernetes.io/storage-provisioner")? {
                Some(p) => Some(p),
                None => o.annotation("volume.beta.kubernetes.io/storage-provisioner")?,
            };
            match provisioner {
                Some(p) => progressing(format!("provisioning a volume ({p})")),
                None => healthy("waiting for a first consumer"),
            }
        }
        "" => unknown("no phase reported yet"),
        phase => unknown(format!("phase {phase}")),
    })
}

pub fn crd(o: Obj) -> Rule {
    let conds = o.conditions()?;
    if conds.is_empty() {
        return Ok(progressing("no conditions reported yet"));
    }
    let holds = |kind: &str, status: &str| find(&conds, kind).filter(|c| c.status == status);
    if let Some(c) = holds("Terminating", "True") {
        return Ok(progressing(format!("terminating: {}", c.message)));
    }
    if let Some(c) = holds("NamesAccepted", "False") {
        return Ok(degraded(format!("names not accepted: {}", c.why())));
    }
    if holds("Established", "True").is_none() {
        // The API server is still setting it up, right after it was created.
        if find(&conds, "Established").is_some_and(|c| c.reason == "Installing") {
            return Ok(progressing("installing"));
        }
        return Ok(degraded("not established"));
    }
    if let Some(c) = holds("NonStructuralSchema", "True") {
        return Ok(degraded(format!("schema violations: {}", c.message)));
    }
    Ok(healthy("established"))
}
