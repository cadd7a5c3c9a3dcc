//! What can go wrong opening a pull request, phrased for the person at the terminal. No message
//! ever holds a token: errors name where the token came from, never what it is.

use super::ForgeKind;
use super::token::TokenSource;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ForgeError {
    #[error(
        "the remote {url} is not on a forge (a local path or file URL): push to a GitHub, GitLab or Gitea remote to open a pull request"
    )]
    NotAForge { url: String },

    #[error(
        "{host} is the demo's pretend forge, with no server behind it: on a real forge this page opens the pull request"
    )]
    Pretend { host: String },

    #[error("cannot read owner and repository from the remote URL {url} (expected HOST/OWNER/REPO)")]
    BadRemoteUrl { url: String },

    #[error(
        "cannot tell which forge {host} runs: say so in config.yaml (forges: {{ {host}: {{ kind: gitlab }} }}; kinds: github, gitlab, gitea)"
    )]
    UnknownForge { host: String },

    #[error(
        "{kind} at {host} refused the token from {token_from} ({status}: {message}): it is wrong, expired, or lacks the scope to open pull requests; renew it, or set another"
    )]
    Unauthorized {
        kind: ForgeKind,
        host: String,
        token_from: TokenSource,
        status: u16,
        message: String,
    },

    #[error(
        "{kind} at {host} has no repository {repo}, or the token from {token_from} cannot see it (404): check the remote URL and the token's access"
    )]
    NotFound {
        kind: ForgeKind,
        host: String,
        repo: String,
        token_from: TokenSource,
    },

    #[error(
        "cannot reach {api}: {message} (check the network, VPN or proxy, and the forge's api setting in config.yaml)"
    )]
    Unreachable { api: String, message: String },

    #[error("{kind} at {host} answered {status}: {message}")]
    Api {
        kind: ForgeKind,
        host: String,
        status: u16,
        message: String,
    },

    #[error(
        "{kind} at {host} says a pull request for {head} exists already, but it could not be found: {message}"
    )]
    ExistingNotFound {
        kind: ForgeKind,
        host: String,
        head: String,
        message: String,
    },

    #[error("{kind} at {host} sent an answer Sextant cannot read: {message}")]
    BadResponse {
        kind: ForgeKind,
        host: String,
        message: String,
    },

    #[error("internal: no permit to open a pull request on {repo}; nothing was opened")]
    NotPermitted { repo: String },

    #[error("{token_from} failed: {message}")]
    TokenCommand {
        token_from: TokenSource,
        message: String,
    },
}
