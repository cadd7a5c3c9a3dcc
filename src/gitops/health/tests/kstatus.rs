use super::{Case, check};
use crate::gitops::health::Health::*;

pub const GENERIC: &[Case] = &[
    ("web-config", Healthy, ""),
    (
        "orders-current",
        Healthy,
        "database orders is accepting connections",
    ),
    (
        "orders-spec-not-seen",
        Progressing,
        "see generation 4 (it has seen 3)",
    ),
    (
        "orders-reconciling",
        Progressing,
        "reconciling: Upgrading: upgrading postgres 16 to 17",
    ),
    (
        "orders-stalled",
        Degraded,
        "stalled: InvalidVersion: postgres 99 is not a supported version",
    ),
    (
        "orders-not-ready",
        Degraded,
        "not ready: BackupFailed: backup to s3://acme-db-backups failed",
    ),
    ("orders-ready-unknown", Progressing, "readiness unknown: Pending"),
];

pub const FLUX: &[Case] = &[
    ("podinfo-ready", Healthy, "Applied revision: main@sha1:8e7d5a3c"),
    (
        "podinfo-reconciling",
        Progressing,
        "reconciling: Progressing: Reconciliation in progress",
    ),
    // Flux retries a failed build, but until then it is failed: Degraded, as in Argo CD.
    (
        "podinfo-failing",
        Degraded,
        "not ready: BuildFailed: kustomize build failed",
    ),
    ("podinfo-suspended", Suspended, "HelmRelease suspended"),
    ("podinfo-stalled", Degraded, "not ready: InstallFailed"),
    ("podinfo-new", Progressing, "waiting for the first reconciliation"),
];

#[test]
fn custom_resources_follow_kstatus_conditions() {
    check("kstatus", GENERIC);
}

#[test]
fn flux_objects_follow_ready_reconciling_and_suspend() {
    check("kstatus", FLUX);
}
