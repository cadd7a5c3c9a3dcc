//! A pull request for a branch that exists (the checked-out one unless named): which branch,
//! the remote it is pushed to, the base it goes into, its title and body from the branch's last
//! commit, and the forge. Every "cannot" is said here, before anything is pushed.

use super::PrPlan;
use crate::config::UserConfig;
use crate::forge::NewPullRequest;
use crate::git::{CommitDetail, GitRepo, HeadState, PushRemote, short};

/// What `sextant pr` and the cockpit's `P` propose.
#[derive(Debug, Clone)]
pub struct BranchPr {
    pub branch: String,
    pub remote: PushRemote,
    /// The branch's last commit.
    pub tip: CommitDetail,
    pub plan: PrPlan,
}

/// What to open: each `None` takes the default.
#[derive(Debug, Clone, Default)]
pub struct BranchPrRequest<'a> {
    pub branch: Option<&'a str>,
    pub base: Option<&'a str>,
    pub title: Option<&'a str>,
    pub remote: Option<&'a str>,
    pub draft: bool,
}

/// Plan the pull request of a branch; the error says what is missing.
pub fn plan_branch_pr(
    repo: &GitRepo,
    user: &UserConfig,
    req: &BranchPrRequest<'_>,
) -> Result<BranchPr, String> {
    let branch = match req.branch {
        Some(b) => b.to_owned(),
        None => match repo.head().map_err(|e| e.to_string())? {
            HeadState::Branch { name, .. } => name,
            HeadState::Detached { sha } => {
                return Err(format!(
                    "HEAD is detached at {}: there is no branch to open a pull request for; name one with --branch, or check one out",
                    short(&sha)
                ));
            }
            HeadState::Unborn { name } => {
                return Err(format!(
                    "the branch {name} has no commits yet: there is nothing to propose"
                ));
            }
        },
    };
    let tip = repo
        .commit_detail(&format!("refs/heads/{branch}"))
        .map_err(|_| format!("there is no local branch {branch} (see `git branch`)"))?;
    let remote = repo.push_remote(req.remote).map_err(|e| e.to_string())?;
    let base = match req
        .base
        .map(str::to_owned)
        .or_else(|| repo.default_base(&remote.name, &branch))
    {
        Some(b) if b != branch => b,
        _ => {
            return Err(format!(
                "cannot tell which branch {branch} should be merged into: name it with --base"
            ));
        }
    };
    let rest = tip.message.split_once("\n\n").map_or("", |(_, r)| r.trim_end());
    let body = format!("{rest}\n\nOpened with Sextant.").trim_start().to_string();
    let pr = NewPullRequest {
        title: req
            .title
            .map_or_else(|| tip.commit.summary.clone(), str::to_owned),
        body,
        head: branch.clone(),
        base,
        draft: req.draft,
    };
    let plan = PrPlan::new(&remote, user, pr).map_err(|e| format!("cannot open a pull request: {e}"))?;
    Ok(BranchPr {
        branch,
        remote,
        tip,
        plan,
    })
}
