use super::{Case, check};
use crate::gitops::health::Health::*;

pub const DEPLOYMENTS: &[Case] = &[
    ("web-available", Healthy, "3/3 replicas available"),
    ("web-rolling", Progressing, "1 of 3 replicas updated"),
    (
        "web-old-pods-terminating",
        Progressing,
        "1 old replicas pending termination",
    ),
    (
        "web-becoming-available",
        Progressing,
        "1 of 3 updated replicas available",
    ),
    (
        "web-deadline-exceeded",
        Degraded,
        "0/3 replicas available (ProgressDeadlineExceeded)",
    ),
    // Still serving on the old Pods: the message says the rollout is what is stuck.
    (
        "web-rollout-stuck",
        Degraded,
        "rollout stuck: 1 of 2 replicas updated, 2 available (ProgressDeadlineExceeded)",
    ),
    ("web-paused", Suspended, "rollout paused"),
    (
        "web-spec-not-seen",
        Progressing,
        "see generation 8 (it has seen 7)",
    ),
];

pub const STATEFULSETS: &[Case] = &[
    ("db-ready", Healthy, "rollout complete: 3 pods updated"),
    ("db-starting", Progressing, "1 of 3 pods ready"),
    (
        "db-rolling",
        Progressing,
        "partitioned rollout: 1 of 3 pods updated",
    ),
    // Argo CD never calls a StatefulSet Degraded: its Pods say what is wrong.
    ("db-canary-partition", Healthy, "1 pods updated"),
    ("db-on-delete", Healthy, "3 pods ready (updated on delete)"),
    (
        "db-never-reported",
        Progressing,
        "see generation 1 (it has seen 0)",
    ),
];

pub const DAEMONSETS: &[Case] = &[
    ("node-exporter-ready", Healthy, "5/5 pods available"),
    ("node-exporter-updating", Progressing, "2 of 5 pods updated"),
    ("node-exporter-unavailable", Progressing, "3 of 5 pods available"),
    (
        "node-exporter-on-delete",
        Healthy,
        "1 of 5 pods updated (updated on delete)",
    ),
    ("node-exporter-spec-not-seen", Progressing, "see generation 7"),
];

pub const REPLICASETS: &[Case] = &[
    ("web-7d9c5b7f4", Healthy, "3 replicas available"),
    ("web-5f6b8c9d7", Progressing, "1 of 3 replicas available"),
    (
        "web-6c4f9d8b5",
        Degraded,
        "FailedCreate: pods \"web-6c4f9d8b5-x2p4q\" is forbidden: exceeded quota",
    ),
    ("web-84d7f6b9c", Progressing, "see generation 4 (it has seen 3)"),
];

pub const ALL: [&[Case]; 4] = [DEPLOYMENTS, STATEFULSETS, DAEMONSETS, REPLICASETS];

#[test]
fn deployments_follow_their_rollout() {
    check("workloads", DEPLOYMENTS);
}

#[test]
fn statefulsets_follow_ready_pods_partitions_and_revisions() {
    check("workloads", STATEFULSETS);
}

#[test]
fn daemonsets_follow_updated_and_available_pods() {
    check("workloads", DAEMONSETS);
}

#[test]
fn replicasets_follow_available_replicas_and_failures() {
    check("workloads", REPLICASETS);
}
