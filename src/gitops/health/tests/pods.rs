use super::{Case, check};
use crate::gitops::health::Health::*;

pub const PODS: &[Case] = &[
    ("api-ready", Healthy, ""),
    (
        "api-crashloop",
        Degraded,
        "container api: CrashLoopBackOff: back-off 5m0s",
    ),
    (
        "api-image-pull",
        Degraded,
        "container api: ImagePullBackOff: Back-off pulling image",
    ),
    (
        "api-config-error",
        Degraded,
        "CreateContainerConfigError: secret \"api-db\" not found",
    ),
    (
        "api-starting",
        Progressing,
        "not ready: containers with unready status: [api]",
    ),
    (
        "api-restarted-not-ready",
        Degraded,
        "container api restarted after OOMKilled (exit code 137)",
    ),
    (
        "api-unschedulable",
        Progressing,
        "unschedulable: 0/3 nodes are available: 3 Insufficient memory",
    ),
    // Argo CD reads only the app containers' waits: an init container in a crash loop
    // leaves the Pod Pending, which is Progressing, and the message says why.
    (
        "api-init-crashloop",
        Progressing,
        "container wait-for-db: CrashLoopBackOff",
    ),
    (
        "migrate-running-never",
        Progressing,
        "running to completion (restartPolicy Never)",
    ),
    (
        "migrate-running-onfailure",
        Progressing,
        "running to completion (restartPolicy OnFailure)",
    ),
    (
        "migrate-failed-never",
        Degraded,
        "container migrate exited with code 1",
    ),
    ("migrate-oom-killed", Degraded, "container migrate: OOMKilled"),
    (
        "migrate-init-failed",
        Degraded,
        "curl: (22) The requested URL returned error: 404",
    ),
    ("migrate-succeeded", Healthy, "completed"),
    // A hook that cannot pull its image yet is not failed: it may still run.
    (
        "migrate-image-pull-never",
        Progressing,
        "container migrate: ErrImagePull",
    ),
    (
        "worker-ignore-restart-policy",
        Degraded,
        "container worker: ImagePullBackOff",
    ),
    ("worker-operator-managed-ready", Healthy, ""),
    ("api-evicted", Degraded, "The node was low on resource: memory."),
    ("api-terminating", Progressing, "pending deletion"),
    (
        "api-node-lost",
        Unknown,
        "phase Unknown: Node ip-10-0-3-17 which was running pod api-node-lost is unresponsive",
    ),
];

#[test]
fn pods_follow_phase_restart_policy_containers_and_readiness() {
    check("pods", PODS);
}

/// Issue 16: a failed Pod with `restartPolicy: Never` read as Progressing.
#[test]
fn a_failed_pod_that_never_restarts_is_degraded() {
    check(
        "pods",
        &[(
            "migrate-failed-never",
            Degraded,
            "container migrate exited with code 1",
        )],
    );
}

/// Issue 16: a running Pod that restarts Never or OnFailure read as Healthy (ready) or
/// Degraded (restarted); Argo CD says Progressing: it runs to completion.
#[test]
fn running_pods_that_restart_never_or_on_failure_are_progressing() {
    check(
        "pods",
        &[
            ("migrate-running-never", Progressing, "restartPolicy Never"),
            (
                "migrate-running-onfailure",
                Progressing,
                "restartPolicy OnFailure",
            ),
        ],
    );
}
