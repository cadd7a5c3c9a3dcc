use super::{Case, check};
use crate::gitops::health::Health::*;

pub const HPAS: &[Case] = &[
    ("web-v1-healthy", Healthy, "recommended size matches current size"),
    (
        "web-v1-failing",
        Degraded,
        "FailedGetResourceMetric: the HPA was unable to compute the replica count",
    ),
    (
        "web-v1-at-minimum",
        Healthy,
        "recommended size matches current size",
    ),
    ("web-v1-just-created", Progressing, "waiting to autoscale"),
    (
        "web-v1-garbled-annotation",
        Unknown,
        "malformed annotation autoscaling.alpha.kubernetes.io/conditions",
    ),
    ("web-v2-healthy", Healthy, "recommended size matches current size"),
    ("web-v2-still-scaling", Progressing, "waiting to autoscale"),
    (
        "web-v2-object-metric-failing",
        Degraded,
        "FailedGetObjectMetric: the HPA was unable to compute the replica count",
    ),
    ("web-v2-target-missing", Degraded, "FailedGetScale"),
    (
        "web-v2-scaled-to-zero",
        Healthy,
        "able to get the target's current scale",
    ),
    ("web-v2-just-created", Progressing, "waiting to autoscale"),
];

#[test]
fn hpas_follow_their_conditions() {
    check("hpa", HPAS);
}

/// Issue 16: an autoscaling/v1 HPA keeps its conditions in an annotation; it read as
/// "waiting for metrics" whether it was healthy or failing.
#[test]
fn v1_hpas_read_their_conditions_from_the_annotation() {
    check(
        "hpa",
        &[
            ("web-v1-healthy", Healthy, ""),
            ("web-v1-failing", Degraded, "FailedGetResourceMetric"),
        ],
    );
}

/// Issue 16: a v2 HPA that is still scaling (inside its stabilisation window) read Healthy.
#[test]
fn a_v2_hpa_still_scaling_is_progressing() {
    check(
        "hpa",
        &[("web-v2-still-scaling", Progressing, "waiting to autoscale")],
    );
}

/// A failing metric is Degraded even where a healthy condition comes first in the list.
#[test]
fn a_failing_metric_outweighs_an_earlier_healthy_condition() {
    check(
        "hpa",
        &[("web-v2-object-metric-failing", Degraded, "FailedGetObjectMetric")],
    );
}
