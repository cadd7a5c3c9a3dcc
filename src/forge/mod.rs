//! Pull requests on GitHub (and Enterprise), GitLab and Gitea/Forgejo through their REST APIs.
//! [`Forge::detect`] reads the forge off a remote URL (and `forges:` in config.yaml);
//! [`find_token`] finds a token (environment, a configured command, `gh auth token`);
//! [`open_pull_request`] opens the PR, finds the one already open, or hands back the compare page
//! to open by hand; [`revert_pr_body`] writes the description of a revert PR.
//!
//! Tokens never reach output, logs, errors or Debug output: see [`Token`]. Everything here blocks:
//! async callers use `spawn_blocking`. Part of the engine: imports nothing from cmd, app or ui.

mod body;
mod detect;
mod error;
mod gitea;
mod github;
mod gitlab;
mod http;
mod pr;
mod token;

pub use body::{ChangeAction, ClusterImpact, ObjectChange, revert_pr_body};
pub use detect::Forge;
pub use error::ForgeError;
pub use pr::{NewPullRequest, PrOutcome, PullRequest, open_pull_request};
pub use token::{ForgeToken, Token, TokenSource, find_token, find_token_with};

use serde::{Deserialize, Serialize};

/// The forges Sextant opens pull requests on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ForgeKind {
    #[serde(alias = "github-enterprise", alias = "ghe")]
    GitHub,
    GitLab,
    /// Gitea and Forgejo (and Codeberg) share one API.
    #[serde(alias = "forgejo", alias = "codeberg")]
    Gitea,
}

impl ForgeKind {
    pub fn as_str(self) -> &'static str {
        match self {
            ForgeKind::GitHub => "github",
            ForgeKind::GitLab => "gitlab",
            ForgeKind::Gitea => "gitea",
        }
    }
}

impl std::fmt::Display for ForgeKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            ForgeKind::GitHub => "GitHub",
            ForgeKind::GitLab => "GitLab",
            ForgeKind::Gitea => "Gitea",
        })
    }
}
