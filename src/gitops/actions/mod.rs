//! The Git-side actions of an incident rollback, each through the action gate and into the audit
//! log: committing a revert branch, pushing it, opening its pull request, and the rollback choice
//! itself. The command line and the cockpit call these and nothing lower, so neither can write
//! around the gate or forget the audit; every refusal and failure is recorded too. Tokens never
//! reach an entry: only where a token came from could, and not even that is recorded.
//!
//! Also here: what a revert does on each cluster ([`impact`]) and an app's history for rollback
//! ([`history`]).

pub mod branch_pr;
pub mod history;
pub mod impact;
mod record;

pub use record::RollbackMode;

use crate::config::UserConfig;
use crate::forge::{Forge, ForgeError, ForgeToken, NewPullRequest, PrOutcome, open_pull_request};
use crate::gate::{Action, Gate, Refusal, Target};
use crate::git::{
    GitRepo, PushError, PushOutcome, PushRemote, RevertError, RevertOutcome, RevertPlan, TransferProgress,
};
use crate::gitops::audit::{AuditLog, Who};

/// Why an action did not happen, or failed. Each message says what to do next.
#[derive(Debug, thiserror::Error)]
pub enum ActionError {
    #[error("{0}")]
    Refused(#[from] Refusal),
    #[error("{0}")]
    Revert(#[from] RevertError),
    #[error("{0}")]
    Push(#[from] PushError),
    #[error("{0}")]
    Forge(#[from] ForgeError),
}

/// Who acts, under which gate, recording where.
#[derive(Debug, Clone)]
pub struct Actor {
    gate: Gate,
    audit: Option<AuditLog>,
    who: Who,
}

impl Actor {
    /// An actor for the repository at `repo` (its Git user goes into the audit log).
    pub fn new(gate: Gate, audit: Option<AuditLog>, repo: &std::path::Path) -> Actor {
        let who = Who {
            os_user: Who::os_user(),
            git_user: crate::git::git_user(repo).unwrap_or_default(),
            ..Who::default()
        };
        Actor { gate, audit, who }
    }

    pub fn gate(&self) -> &Gate {
        &self.gate
    }

    /// What the gate says of `action` on `target` before anyone confirms.
    pub fn check(&self, action: Action, target: &Target) -> Result<(), Refusal> {
        self.gate.check(action, target)
    }

    /// Commit the revert `plan` describes onto its new branch.
    pub fn revert(&self, repo: &GitRepo, plan: &RevertPlan) -> Result<RevertOutcome, ActionError> {
        let target = repo.revert_target();
        let result = self
            .gate
            .permit(Action::Revert, &target, None)
            .map_err(ActionError::from)
            .and_then(|permit| repo.create_revert(&permit, plan).map_err(ActionError::from));
        self.append(record::revert(self.who.clone(), plan, &result));
        result
    }

    /// Push `branch` to `remote` (as [`GitRepo::push_remote`] resolves it).
    pub fn push(
        &self,
        repo: &GitRepo,
        branch: &str,
        remote: Option<&str>,
        progress: &(dyn Fn(TransferProgress) + Sync),
    ) -> Result<PushOutcome, ActionError> {
        let result = repo.push_remote(remote).map_err(ActionError::from).and_then(|r| {
            let permit = self.gate.permit(Action::Push, &r.target(), None)?;
            repo.push_branch(&permit, branch, Some(&r.name), progress)
                .map_err(ActionError::from)
        });
        let shown = remote.unwrap_or("the branch's push remote");
        self.append(record::push(self.who.clone(), branch, shown, &result));
        result
    }

    /// Open the pull request `pr` on `forge` with the token found for it (or why none could
    /// be had). A refusal is an error; no token or an API failure is a [`PrOutcome::Manual`]
    /// with the compare page and the reason (recorded as `manual`).
    pub fn pull_request(
        &self,
        forge: &Forge,
        token: Result<Option<ForgeToken>, ForgeError>,
        pr: &NewPullRequest,
    ) -> Result<PrOutcome, ActionError> {
        let result = self
            .gate
            .permit(Action::PullRequest, &forge.target(), None)
            .map_err(ActionError::from)
            .map(|permit| match token {
                Ok(token) => open_pull_request(&permit, forge, token.as_ref(), pr),
                Err(e) => PrOutcome::Manual {
                    compare_url: forge.compare_url(&pr.base, &pr.head),
                    error: Some(e),
                },
            });
        self.append(record::pull_request(self.who.clone(), forge, pr, &result));
        result
    }

    /// Record a refusal met before anything ran (the gate said no at the preview).
    pub fn refused(&self, action: &str, revision: &str, refusal: &Refusal) {
        self.append(record::refusal(self.who.clone(), action, revision, refusal));
    }

    /// Record what a rollback chose: a revert PR of the app's commits since `revision`, or a pinned
    /// sync of it, and how that went (`outcome`: finished, refused, failed, cancelled).
    pub fn rollback(&self, rollback: &record::Rollback<'_>) {
        self.append(record::rollback(self.who.clone(), rollback));
    }

    fn append(&self, entry: crate::gitops::audit::AuditEntry) {
        if let Some(log) = &self.audit
            && let Err(e) = log.append(&entry)
        {
            tracing::error!("{e}");
        }
    }
}

pub use record::Rollback;

/// A pull request to open for a pushed branch.
#[derive(Debug, Clone)]
pub struct PrPlan {
    /// The forge, read off the push remote.
    pub forge: Forge,
    pub pr: NewPullRequest,
}

impl PrPlan {
    /// The pull request from `head` into `base` on the forge `remote` lives on; an error when
    /// the remote is on no forge Sextant knows (say which in config.yaml).
    pub fn new(remote: &PushRemote, config: &UserConfig, pr: NewPullRequest) -> Result<PrPlan, ForgeError> {
        Ok(PrPlan {
            forge: forge_for(remote, config)?,
            pr,
        })
    }

    /// Find the token (never shown) and open it through `actor`.
    pub fn open(&self, actor: &Actor, config: &UserConfig) -> Result<PrOutcome, ActionError> {
        let token = crate::forge::find_token(&self.forge, config);
        actor.pull_request(&self.forge, token, &self.pr)
    }
}

/// The forge a push remote lives on: read off its push URL, else its fetch URL (a `pushurl`
/// may be a mirror or a path while the fetch URL names the forge).
pub fn forge_for(remote: &PushRemote, config: &UserConfig) -> Result<Forge, ForgeError> {
    match Forge::detect(&remote.url, config) {
        Ok(forge) => Ok(forge),
        Err(first) if remote.fetch_url != remote.url => {
            Forge::detect(&remote.fetch_url, config).map_err(|_| first)
        }
        Err(e) => Err(e),
    }
}

/// The branch a revert's pull request targets: the upstream of the branch it was made on, else
/// that branch itself.
pub fn pr_base(repo: &GitRepo, onto: &str) -> String {
    repo.upstream_branch(onto).unwrap_or_else(|| onto.to_owned())
}
