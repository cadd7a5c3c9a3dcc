//! The audit entries of the Git-side actions: what was asked, where, and how it went. Branches,
//! refs, URLs (credentials removed) and counts, never a token or a file's content.

use super::ActionError;
use crate::forge::{Forge, NewPullRequest, PrOutcome};
use crate::gate::Refusal;
use crate::git::{PushOutcome, PushStatus, RevertOutcome, RevertPlan, short};
use crate::gitops::audit::{AuditEntry, Who};
use std::collections::BTreeMap;

/// Which way a rollback went.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RollbackMode {
    /// A revert pull request of the app's commits since the revision (GitOps-pure).
    PullRequest,
    /// An emergency: the revision synced now, pinned.
    Sync,
}

/// A rollback to record.
#[derive(Debug, Clone)]
pub struct Rollback<'a> {
    pub app: &'a str,
    /// The clusters it was for, comma-separated (empty: every cluster of the app).
    pub cluster: &'a str,
    /// The full commit rolled back to.
    pub revision: &'a str,
    pub mode: RollbackMode,
    /// `finished`, `refused`, `failed`, `cancelled`.
    pub outcome: &'a str,
    pub summary: String,
    /// The branch, the pull request's URL, ...
    pub details: BTreeMap<String, String>,
}

fn entry(who: Who, action: &str, outcome: &str, summary: String) -> AuditEntry {
    AuditEntry {
        time: crate::time::format_rfc3339(crate::time::now_secs()),
        action: action.into(),
        who,
        outcome: outcome.into(),
        summary,
        ..AuditEntry::default()
    }
}

fn outcome_of(err: &ActionError) -> &'static str {
    match err {
        ActionError::Refused(_) => "refused",
        _ => "failed",
    }
}

pub(super) fn revert(who: Who, plan: &RevertPlan, result: &Result<RevertOutcome, ActionError>) -> AuditEntry {
    let reverted: Vec<&str> = plan.reverted.iter().map(|c| c.short_sha.as_str()).collect();
    let mut details = BTreeMap::from([
        ("branch".to_string(), plan.branch.clone()),
        (
            "onto".to_string(),
            format!("{} @{}", plan.onto, short(&plan.head)),
        ),
        ("reverted".to_string(), reverted.join(" ")),
        ("files".to_string(), plan.files.len().to_string()),
    ]);
    let (outcome, summary) = match result {
        Ok(out) => {
            details.insert("commit".into(), out.commit.clone());
            let verb = if out.reused { "reused" } else { "created" };
            ("finished", format!("{verb} {} ({})", plan.branch, plan.title()))
        }
        Err(e) => (outcome_of(e), e.to_string()),
    };
    let mut e = entry(who, "revert", outcome, summary);
    e.revision = plan.reverted.first().map(|c| c.sha.clone()).unwrap_or_default();
    e.details = details;
    e
}

pub(super) fn push(
    who: Who,
    branch: &str,
    remote: &str,
    result: &Result<PushOutcome, ActionError>,
) -> AuditEntry {
    let mut details = BTreeMap::from([("branch".to_string(), branch.to_string())]);
    let (outcome, summary) = match result {
        Ok(out) => {
            details.insert("remote".into(), out.remote.name.clone());
            details.insert("url".into(), out.remote.url.clone());
            details.insert("pushed ref".into(), format!("refs/heads/{branch}"));
            let how = match out.status {
                PushStatus::Created => "created",
                PushStatus::Updated => "updated",
                PushStatus::UpToDate => "already up to date",
            };
            (
                "finished",
                format!("pushed {branch} to {} ({how})", out.remote.name),
            )
        }
        Err(e) => {
            details.insert("remote".into(), remote.to_string());
            (outcome_of(e), crate::git::redact_urls_in(&e.to_string()))
        }
    };
    let mut e = entry(who, "push", outcome, summary);
    e.details = details;
    e
}

pub(super) fn pull_request(
    who: Who,
    forge: &Forge,
    pr: &NewPullRequest,
    result: &Result<PrOutcome, ActionError>,
) -> AuditEntry {
    let mut details = BTreeMap::from([
        (
            "forge".to_string(),
            format!("{} {}", forge.kind, forge.repo_url()),
        ),
        ("head".to_string(), pr.head.clone()),
        ("base".to_string(), pr.base.clone()),
        ("title".to_string(), pr.title.clone()),
    ]);
    let (outcome, summary) = match result {
        Ok(PrOutcome::Created(p)) => {
            details.insert("url".into(), p.url.clone());
            ("finished", format!("opened pull request #{}", p.number))
        }
        Ok(PrOutcome::Existing(p)) => {
            details.insert("url".into(), p.url.clone());
            ("finished", format!("pull request #{} was open already", p.number))
        }
        Ok(PrOutcome::Manual { compare_url, error }) => {
            details.insert("compare url".into(), compare_url.clone());
            let why = error
                .as_ref()
                .map_or_else(|| "no token".to_string(), ToString::to_string);
            ("manual", format!("left to open by hand: {why}"))
        }
        Err(e) => (outcome_of(e), e.to_string()),
    };
    let mut e = entry(who, "pull-request", outcome, summary);
    e.details = details;
    e
}

pub(super) fn refusal(who: Who, action: &str, revision: &str, refusal: &Refusal) -> AuditEntry {
    let mut e = entry(who, action, "refused", refusal.to_string());
    e.revision = revision.to_string();
    e
}

pub(super) fn rollback(who: Who, r: &Rollback<'_>) -> AuditEntry {
    let mut e = entry(who, "rollback", r.outcome, r.summary.clone());
    e.app = r.app.to_string();
    e.cluster = r.cluster.to_string();
    e.revision = r.revision.to_string();
    e.pinned = r.mode == RollbackMode::Sync;
    e.details = r.details.clone();
    e.details.insert(
        "mode".into(),
        match r.mode {
            RollbackMode::PullRequest => "revert pull request",
            RollbackMode::Sync => "pinned sync",
        }
        .into(),
    );
    e
}
