//! Why a push failed, in words an SRE can act on. URLs are always shown without credentials.

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PushError {
    #[error(
        "there is no remote to push to: {branch} has no upstream and the repository has no remote (add one with `git remote add origin URL`, or name one)"
    )]
    NoRemote { branch: String },

    #[error("there is no remote named `{name}` (see `git remote -v`)")]
    UnknownRemote { name: String },

    #[error("internal: no permit to push to {remote}; nothing was pushed")]
    NotPermitted { remote: String },

    #[error("there is no local branch {branch} to push")]
    NoSuchBranch { branch: String },

    #[error(
        "{remote} already has a branch {branch} with other commits, so the push was rejected (non-fast-forward); revert again to get a new branch name, or delete the remote one (`git push {remote} --delete {branch}`)"
    )]
    NonFastForward { remote: String, branch: String },

    #[error(
        "{remote} refused {branch}: {reason} (a protected branch or a server-side hook){}",
        said(server)
    )]
    Declined {
        remote: String,
        branch: String,
        reason: String,
        /// What the server printed (`remote: ...` lines), credentials removed.
        server: Vec<String>,
    },

    #[error(
        "authentication to {url} failed ({detail}): check the credential helper or token (and its scopes) for https, or the ssh agent for ssh (`ssh -T git@HOST`); Sextant never prompts for a password"
    )]
    Auth { url: String, detail: String },

    #[error("repository {url} was not found, or your credentials cannot see it ({detail})")]
    RepoNotFound { url: String, detail: String },

    #[error("cannot reach {url}: {detail} (check the network, VPN or proxy)")]
    Unreachable { url: String, detail: String },

    #[error("the `git` program is needed to push and could not run: {message} (install git)")]
    GitMissing { message: String },

    #[error("pushing {branch} to {remote} failed: {message}")]
    Failed {
        remote: String,
        branch: String,
        message: String,
    },
}

fn said(server: &[String]) -> String {
    if server.is_empty() {
        String::new()
    } else {
        format!("; the server said: {}", server.join(" / "))
    }
}
