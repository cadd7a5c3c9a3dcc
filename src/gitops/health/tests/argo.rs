use super::{Case, check};
use crate::gitops::health::Health::*;

pub const ROLLOUTS: &[Case] = &[
    ("checkout-healthy", Healthy, ""),
    ("checkout-paused", Suspended, "CanaryPauseStep"),
    (
        "checkout-aborted",
        Degraded,
        "RolloutAborted: Rollout aborted update to revision 6",
    ),
    (
        "checkout-progressing",
        Progressing,
        "more replicas need to be updated",
    ),
    (
        "checkout-spec-not-seen",
        Progressing,
        "waiting for the controller to see the new spec",
    ),
    (
        "checkout-workload-not-seen",
        Progressing,
        "waiting for the controller to see the new spec",
    ),
    ("checkout-legacy-canary-done", Healthy, ""),
    ("checkout-legacy-invalid", Degraded, "Rollout has missing field"),
    (
        "checkout-legacy-cutover",
        Progressing,
        "active service cutover pending",
    ),
];

pub const WORKFLOWS: &[Case] = &[
    ("etl-succeeded", Healthy, ""),
    ("etl-running", Progressing, ""),
    ("etl-failed", Degraded, "child 'etl-failed-2984731' failed"),
    ("etl-error", Degraded, "exceeded quota"),
    ("etl-nightly", Healthy, ""),
    (
        "etl-bad-spec",
        Degraded,
        "SpecError: cron schedule 0 3 * * 8 is malformed",
    ),
    (
        "etl-submission-failed",
        Degraded,
        "SubmissionError: Failed to submit Workflow",
    ),
];

pub const APPLICATIONS: &[Case] = &[
    ("guestbook-healthy", Healthy, ""),
    ("guestbook-degraded", Degraded, "exceeded its progress deadline"),
    ("guestbook-new", Unknown, "no health reported yet"),
];

pub const ALL: [&[Case]; 3] = [ROLLOUTS, WORKFLOWS, APPLICATIONS];

#[test]
fn rollouts_follow_phase_or_legacy_status() {
    check("argo", ROLLOUTS);
}

#[test]
fn workflows_and_cron_workflows_follow_phase_and_conditions() {
    check("argo", WORKFLOWS);
}

#[test]
fn argo_cd_applications_report_their_own_health() {
    check("argo", APPLICATIONS);
}
