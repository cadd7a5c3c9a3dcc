use super::{Case, check};
use crate::gitops::health::Health::*;

pub const SERVICES: &[Case] = &[
    ("web-cluster-ip", Healthy, ""),
    ("web-lb-ip", Healthy, "load balancer at 203.0.113.24"),
    (
        "web-lb-hostname",
        Healthy,
        "load balancer at a1b2c3d4e5f6-1234567890.eu-west-1.elb.amazonaws.com",
    ),
    (
        "web-lb-pending",
        Progressing,
        "waiting for a load balancer address",
    ),
];

pub const INGRESSES: &[Case] = &[
    ("web-ingress", Healthy, "address 203.0.113.80"),
    ("web-ingress-pending", Progressing, "waiting for an address"),
];

pub const CLAIMS: &[Case] = &[
    ("data-bound", Healthy, "bound to pvc-3f2a1b0c"),
    (
        "data-provisioning",
        Progressing,
        "provisioning a volume (ebs.csi.aws.com)",
    ),
    (
        "data-waiting-for-consumer",
        Healthy,
        "waiting for a first consumer",
    ),
    ("data-lost", Degraded, "its volume is lost"),
];

pub const CRDS: &[Case] = &[
    ("widgets.example.com", Healthy, "established"),
    (
        "gadgets.example.com",
        Degraded,
        "names not accepted: KindConflict: \"Widget\" is already in use",
    ),
    ("sprockets.example.com", Progressing, "no conditions reported yet"),
    (
        "legacythings.example.com",
        Degraded,
        "schema violations: spec.preserveUnknownFields",
    ),
    ("doohickeys.example.com", Progressing, "installing"),
    ("thingamajigs.example.com", Degraded, "not established"),
];

pub const ALL: [&[Case]; 4] = [SERVICES, INGRESSES, CLAIMS, CRDS];

#[test]
fn load_balancer_services_wait_for_an_address() {
    check("network", SERVICES);
}

#[test]
fn ingresses_wait_for_an_address() {
    check("network", INGRESSES);
}

#[test]
fn claims_follow_their_phase_and_provisioner() {
    check("network", CLAIMS);
}

#[test]
fn crds_follow_names_and_establishment() {
    check("network", CRDS);
}
