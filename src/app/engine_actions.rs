//! The worker side of the revert, pull request and rollback views: plans (a revert written
//! unreferenced for its preview, a branch's pull request, an app's history) and the writes,
//! each through [`Actor`], so the action gate decides and the audit log records. Runs on a
//! blocking worker like every other effect; answers as [`Msg`]s.

use super::msg::{Effect, Msg, RollbackRecord};
use super::publish_data::{PrPreview, PrTarget, RemoteInfo, RevertPreview, StepDone};
use crate::config::UserConfig;
use crate::forge::{NewPullRequest, PrOutcome};
use crate::gate::{Action, Gate};
use crate::git::{GitRepo, PushStatus, RevertSpec};
use crate::gitops::actions::branch_pr::{BranchPrRequest, plan_branch_pr};
use crate::gitops::actions::history::{self, HistoryRequest};
use crate::gitops::actions::{Actor, PrPlan, Rollback, RollbackMode, impact, pr_base};
use crate::gitops::audit::AuditLog;
use tokio::sync::mpsc::UnboundedSender;

/// What the Git actions need beyond the repository: the gate, the user's config (forges,
/// tokens, cluster aliases), the `--context` filter and the audit log.
#[derive(Debug, Clone)]
pub struct ActionsContext {
    pub gate: Gate,
    pub user: UserConfig,
    pub contexts: Vec<String>,
    pub audit: Option<AuditLog>,
}

impl ActionsContext {
    fn actor(&self, repo: &GitRepo) -> Actor {
        Actor::new(self.gate.clone(), self.audit.clone(), path(repo))
    }
}

fn path(repo: &GitRepo) -> &std::path::Path {
    repo.work_dir().unwrap_or_else(|| repo.git_dir())
}

/// Run one of the Git-actions effects on `repo`. `None` for the effects that answer nothing.
pub fn execute(
    effect: Effect,
    repo: Result<GitRepo, String>,
    ctx: &ActionsContext,
    tx: &UnboundedSender<Msg>,
) -> Option<Msg> {
    Some(match effect {
        Effect::PlanRevert { req, spec, .. } => Msg::RevertPlanned {
            req,
            result: repo.and_then(|r| plan_revert(&r, ctx, &spec)).map(Box::new),
        },
        Effect::CreateRevert { req, plan, .. } => Msg::StepDone {
            req,
            result: repo.and_then(|r| {
                let out = ctx.actor(&r).revert(&r, &plan).map_err(|e| e.to_string())?;
                Ok(StepDone::Branch {
                    branch: out.branch().to_string(),
                    commit: out.commit,
                    reused: out.reused,
                })
            }),
        },
        Effect::Push {
            req, branch, remote, ..
        } => Msg::StepDone {
            req,
            result: repo.and_then(|r| push(&r, ctx, req, &branch, &remote, tx)),
        },
        Effect::OpenPr { req, remote, pr, .. } => Msg::StepDone {
            req,
            result: repo.and_then(|r| open_pr(&r, ctx, &remote, pr)),
        },
        Effect::PlanPr { req, .. } => Msg::PrPlanned {
            req,
            result: repo.and_then(|r| plan_pr(&r, ctx)).map(Box::new),
        },
        Effect::LoadHistory {
            req, app, deployed, ..
        } => Msg::History {
            req,
            result: repo.and_then(|r| {
                let audit = ctx
                    .audit
                    .as_ref()
                    .and_then(|log| log.read().ok())
                    .map(|(entries, _)| entries)
                    .unwrap_or_default();
                history::app_history(&HistoryRequest {
                    repo: path(&r),
                    user: &ctx.user,
                    app: &app,
                    deployed: &deployed,
                    audit: &audit,
                    max: history::MAX_COMMITS,
                })
            }),
        },
        Effect::RecordRollback { record, .. } => {
            if let Ok(r) = repo {
                record_rollback(&ctx.actor(&r), &record);
            }
            return None;
        }
        Effect::OpenUrl(url) => {
            open_url(&url);
            return None;
        }
        _ => return None,
    })
}

fn plan_revert(repo: &GitRepo, ctx: &ActionsContext, spec: &RevertSpec) -> Result<RevertPreview, String> {
    let mut plan = repo.plan_revert(spec).map_err(|e| e.to_string())?;
    let commit = repo.prepare_revert(&mut plan).map_err(|e| e.to_string())?;
    let affected =
        impact::affected(path(repo), &ctx.user, &ctx.contexts, &plan.head, &commit).unwrap_or_default();
    let actor = ctx.actor(repo);
    let mut refused = actor.check(Action::Revert, &repo.revert_target()).err();
    let remote = repo.push_remote(None).map_err(|e| e.to_string());
    let pr = remote.as_ref().map_err(Clone::clone).and_then(|remote| {
        let pr = NewPullRequest {
            title: plan.title().to_string(),
            body: String::new(),
            head: plan.branch.clone(),
            base: pr_base(repo, &plan.onto),
            draft: false,
        };
        PrPlan::new(remote, &ctx.user, pr).map_err(|e| format!("no pull request: {e}"))
    });
    if let Ok(r) = &remote {
        refused = refused.or_else(|| actor.check(Action::Push, &r.target()).err());
    }
    if let Ok(p) = &pr {
        refused = refused.or_else(|| actor.check(Action::PullRequest, &p.forge.target()).err());
    }
    Ok(RevertPreview {
        plan,
        commit,
        affected,
        remote: remote.map(|r| RemoteInfo {
            name: r.name,
            url: r.url,
        }),
        pr: pr.map(|p| PrTarget {
            repo_url: p.forge.repo_url(),
            pr: p.pr,
        }),
        refused: refused.map(|r| r.to_string()),
    })
}

fn plan_pr(repo: &GitRepo, ctx: &ActionsContext) -> Result<PrPreview, String> {
    let planned = plan_branch_pr(repo, &ctx.user, &BranchPrRequest::default())?;
    let actor = ctx.actor(repo);
    let refused = actor
        .check(Action::Push, &planned.remote.target())
        .and_then(|()| actor.check(Action::PullRequest, &planned.plan.forge.target()))
        .err()
        .map(|r| r.to_string());
    Ok(PrPreview {
        branch: planned.branch,
        remote: RemoteInfo {
            name: planned.remote.name,
            url: planned.remote.url,
        },
        target: PrTarget {
            repo_url: planned.plan.forge.repo_url(),
            pr: planned.plan.pr,
        },
        refused,
    })
}

fn push(
    repo: &GitRepo,
    ctx: &ActionsContext,
    req: u64,
    branch: &str,
    remote: &str,
    tx: &UnboundedSender<Msg>,
) -> Result<StepDone, String> {
    let progress = |p: crate::git::TransferProgress| {
        let total = p.total.map(|t| format!("/{t}")).unwrap_or_default();
        let line = format!("{} {}{total}", p.phase, p.done);
        let _ = tx.send(Msg::PushProgress { req, line });
    };
    let out = ctx
        .actor(repo)
        .push(repo, branch, Some(remote), &progress)
        .map_err(|e| e.to_string())?;
    let how = match out.status {
        PushStatus::Created => "new branch",
        PushStatus::Updated => "updated",
        PushStatus::UpToDate => "already there",
    };
    Ok(StepDone::Pushed {
        remote: out.remote.name,
        url: out.remote.url,
        pushed_ref: format!("refs/heads/{}", out.branch),
        how: how.into(),
    })
}

fn open_pr(
    repo: &GitRepo,
    ctx: &ActionsContext,
    remote: &str,
    pr: NewPullRequest,
) -> Result<StepDone, String> {
    let remote = repo.push_remote(Some(remote)).map_err(|e| e.to_string())?;
    let plan = PrPlan::new(&remote, &ctx.user, pr).map_err(|e| format!("no pull request: {e}"))?;
    let outcome = plan
        .open(&ctx.actor(repo), &ctx.user)
        .map_err(|e| e.to_string())?;
    Ok(match outcome {
        PrOutcome::Created(p) => StepDone::PullRequest {
            url: p.url,
            number: Some(p.number),
            existing: false,
            manual: None,
        },
        PrOutcome::Existing(p) => StepDone::PullRequest {
            url: p.url,
            number: Some(p.number),
            existing: true,
            manual: None,
        },
        PrOutcome::Manual { compare_url, error } => StepDone::PullRequest {
            url: compare_url,
            number: None,
            existing: false,
            manual: Some(error.map_or_else(
                || "no forge token found (GH_TOKEN, GITLAB_TOKEN, GITEA_TOKEN, a token_command, or `gh auth login`)".to_string(),
                |e| e.to_string(),
            )),
        },
    })
}

fn record_rollback(actor: &Actor, r: &RollbackRecord) {
    actor.rollback(&Rollback {
        app: &r.app,
        cluster: &r.cluster,
        revision: &r.revision,
        mode: if r.sync {
            RollbackMode::Sync
        } else {
            RollbackMode::PullRequest
        },
        outcome: &r.outcome,
        summary: r.summary.clone(),
        details: r.details.iter().cloned().collect(),
    });
}

/// Hand `url` to the desktop's opener (`xdg-open`, or `open` on macOS), without waiting.
fn open_url(url: &str) {
    let opener = if cfg!(target_os = "macos") {
        "open"
    } else {
        "xdg-open"
    };
    let spawned = std::process::Command::new(opener)
        .arg(url)
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn();
    match spawned {
        Ok(mut child) => {
            std::thread::spawn(move || child.wait());
        }
        Err(e) => tracing::warn!("cannot open {url} with {opener}: {e}"),
    }
}
