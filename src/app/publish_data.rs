//! Plain data the Git-actions worker hands the revert, pull request and rollback views: what a
//! revert would do before it is written, where it would be pushed and proposed (or why it
//! cannot be), and how each step that ran ended.

use crate::forge::NewPullRequest;
use crate::git::RevertPlan;
use crate::gitops::actions::impact::Affected;

/// Where a push goes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RemoteInfo {
    pub name: String,
    /// Credentials removed.
    pub url: String,
}

/// The pull request that would be opened (its body is written once the preview is in).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PrTarget {
    /// The forge's page for the repository (`https://github.com/acme/cfg`).
    pub repo_url: String,
    pub pr: NewPullRequest,
}

/// A planned revert: the plan (its commit written unreferenced, to be previewed by id), the
/// (app, cluster) pairs it changes, where it would go, and what the gate says.
#[derive(Debug, Clone, PartialEq)]
pub struct RevertPreview {
    pub plan: RevertPlan,
    /// The revert commit, previewable by id.
    pub commit: String,
    pub affected: Vec<Affected>,
    pub remote: Result<RemoteInfo, String>,
    pub pr: Result<PrTarget, String>,
    /// The gate's refusal of one of the writes, said before anyone confirms.
    pub refused: Option<String>,
}

/// A planned pull request for a branch that exists.
#[derive(Debug, Clone, PartialEq)]
pub struct PrPreview {
    pub branch: String,
    pub remote: RemoteInfo,
    pub target: PrTarget,
    pub refused: Option<String>,
}

/// How a step ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StepDone {
    /// The revert branch exists.
    Branch {
        branch: String,
        commit: String,
        reused: bool,
    },
    /// The branch is on the remote.
    Pushed {
        remote: String,
        url: String,
        pushed_ref: String,
        /// `new branch`, `updated`, `already there`.
        how: String,
    },
    /// The pull request, or the page to open it by hand.
    PullRequest {
        url: String,
        /// `#12` opened, or found open already.
        number: Option<u64>,
        existing: bool,
        /// Why it was left to the compare page (`None` with a number: it was opened).
        manual: Option<String>,
    },
}
