use super::{Case, check};
use crate::gitops::health::Health::*;

pub const APISERVICES: &[Case] = &[
    ("v1beta1.metrics.k8s.io", Healthy, "Passed: all checks passed"),
    // The aggregator keeps retrying an unavailable API: Argo CD says Progressing.
    (
        "v1beta1.custom.metrics.k8s.io",
        Progressing,
        "not available: FailedDiscoveryCheck: failing or missing response",
    ),
    (
        "v1alpha1.external.metrics.k8s.io",
        Progressing,
        "waiting to be processed",
    ),
    ("v1.apps", Healthy, "Local APIServices are always available"),
];

#[test]
fn apiservices_follow_availability() {
    check("apiservice", APISERVICES);
}
