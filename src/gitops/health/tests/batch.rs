use super::{Case, check, object};
use crate::gitops::health::{Health::*, assess};

pub const JOBS: &[Case] = &[
    (
        "report-complete",
        Healthy,
        "Reached expected number of succeeded pods",
    ),
    ("report-running", Progressing, "1 running, 0 succeeded, 1 failed"),
    (
        "report-backoff-limit",
        Degraded,
        "job failed: BackoffLimitExceeded: Job has reached the specified backoff limit",
    ),
    (
        "report-deadline",
        Degraded,
        "DeadlineExceeded: Job was active longer than specified deadline",
    ),
    ("report-suspended", Suspended, "job suspended"),
    // Argo CD counts any Suspended condition as done and says Healthy here; a resumed Job
    // is running again.
    ("report-resumed", Progressing, "2 running, 0 succeeded"),
];

pub const CRON_JOBS: &[Case] = &[
    (
        "nightly-succeeded",
        Healthy,
        "last run succeeded at 2026-11-22T02:01:40Z",
    ),
    (
        "nightly-failed",
        Degraded,
        "last run (2026-11-22T02:00:00Z) did not succeed; last success 2026-11-21T02:01:12Z",
    ),
    ("nightly-never-scheduled", Healthy, "not scheduled yet"),
    ("nightly-first-run", Healthy, "no run has succeeded yet"),
    // While a run is active the last one's outcome is unknown: Argo CD says Healthy.
    ("nightly-running-after-failure", Healthy, "a job is running"),
    ("nightly-suspended", Suspended, "cron job suspended"),
    (
        "nightly-just-created",
        Progressing,
        "waiting for the cron job controller",
    ),
];

#[test]
fn jobs_follow_their_conditions() {
    check("batch", JOBS);
}

#[test]
fn cron_jobs_follow_their_last_run() {
    check("batch", CRON_JOBS);
}

#[test]
fn suspended_jobs_and_cron_jobs_hold_no_app_back() {
    for name in ["report-suspended", "nightly-suspended"] {
        let h = assess(Some(&object("batch", name)));
        assert_eq!((h.status, h.counts_as()), (Suspended, Healthy), "{name}");
    }
    let running = assess(Some(&object("batch", "report-running")));
    assert_eq!(running.counts_as(), Progressing);
}
