//! HorizontalPodAutoscalers by their conditions. `autoscaling/v1` has no conditions in its
//! schema: the controller writes them, as JSON, in the annotation
//! `autoscaling.alpha.kubernetes.io/conditions`; `v2` (and the betas) in `status.conditions`.
//!
//! As Argo CD reads them: a failure to read the target's scale or a metric is Degraded,
//! wherever it stands in the list; then the first `AbleToScale` or `ScalingLimited` that is
//! True makes it Healthy; otherwise it is still waiting to autoscale.

use super::fields::{Cond, Malformed, Obj, conditions};
use super::{Rule, degraded, healthy, progressing};
use serde_json::Value;

const V1_CONDITIONS: &str = "autoscaling.alpha.kubernetes.io/conditions";

pub fn hpa(o: Obj, version: &str) -> Rule {
    if version != "v1" {
        return Ok(verdict(&o.conditions()?));
    }
    let Some(text) = o.annotation(V1_CONDITIONS)? else {
        return Ok(waiting());
    };
    let parsed: Value = serde_json::from_str(text)
        .map_err(|e| Malformed(format!("malformed annotation {V1_CONDITIONS}: {e}")))?;
    let list = parsed
        .as_array()
        .ok_or_else(|| Malformed(format!("malformed annotation {V1_CONDITIONS}: not a list")))?;
    Ok(verdict(&conditions(list, V1_CONDITIONS)?))
}

fn waiting() -> super::HealthStatus {
    progressing("waiting to autoscale")
}

fn verdict(conds: &[Cond]) -> super::HealthStatus {
    if let Some(c) = conds.iter().find(|c| is_failure(c)) {
        return degraded(c.why());
    }
    match conds
        .iter()
        .find(|c| matches!(c.kind, "AbleToScale" | "ScalingLimited") && c.is_true())
    {
        Some(c) => healthy(c.message),
        None => waiting(),
    }
}

/// The controller cannot read its target's scale, or cannot compute a replica count
/// (a metric it cannot get, a selector or metric source it cannot use).
fn is_failure(c: &Cond) -> bool {
    match c.kind {
        "AbleToScale" => matches!(c.reason, "FailedGetScale" | "FailedUpdateScale"),
        "ScalingActive" => {
            (c.reason.starts_with("FailedGet") && c.reason.ends_with("Metric"))
                || matches!(c.reason, "InvalidSelector" | "InvalidMetricSourceType")
        }
        _ => false,
    }
}
