//! Opening a pull request on whichever forge the repository lives on. Always ends with something
//! the user can act on: the new PR, the one already open for the branch, or the compare page to
//! open by hand (no token, or the API failed, and then why).

use super::http::{Call, str_field};
use super::{Forge, ForgeError, ForgeKind, ForgeToken, gitea, github, gitlab};
use crate::gate::{Action, Permit};
use serde::Serialize;
use serde_json::Value;

/// What to open.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct NewPullRequest {
    pub title: String,
    /// Markdown.
    pub body: String,
    /// The branch with the changes (`sextant/revert-1a2b3c4`), pushed already.
    pub head: String,
    /// The branch to merge into (`main`).
    pub base: String,
    /// A draft (GitHub), `Draft:` (GitLab) or `WIP:` (Gitea) pull request.
    pub draft: bool,
}

/// A pull (or merge) request on the forge.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PullRequest {
    /// Its web page.
    pub url: String,
    /// Its number (`#12`, GitLab's `!12`).
    pub number: u64,
}

/// How it went.
#[derive(Debug)]
pub enum PrOutcome {
    Created(PullRequest),
    /// A pull request from this branch was open already; here it is.
    Existing(PullRequest),
    /// Open this page to create it by hand. `error` says why the API was not used or failed
    /// (`None`: there was no token).
    Manual {
        compare_url: String,
        error: Option<ForgeError>,
    },
}

impl PrOutcome {
    /// The page to show or open: the PR, or the compare page.
    pub fn url(&self) -> &str {
        match self {
            PrOutcome::Created(pr) | PrOutcome::Existing(pr) => &pr.url,
            PrOutcome::Manual { compare_url, .. } => compare_url,
        }
    }
}

/// What a forge module reports.
pub(crate) enum Opened {
    Created(PullRequest),
    Existing(PullRequest),
}

/// Open a pull request from `pr.head` into `pr.base`, with the gate's permit for
/// [`Action::PullRequest`] on [`Forge::target`]. Blocking: run it in `spawn_blocking`
/// (reqwest's blocking client must not run on an async worker thread).
/// Without a token, or when the API fails, the outcome is the compare page.
pub fn open_pull_request(
    permit: &Permit,
    forge: &Forge,
    token: Option<&ForgeToken>,
    pr: &NewPullRequest,
) -> PrOutcome {
    let manual = |error: Option<ForgeError>| PrOutcome::Manual {
        compare_url: forge.compare_url(&pr.base, &pr.head),
        error,
    };
    if !permit.covers(Action::PullRequest, &forge.target()) {
        return manual(Some(ForgeError::NotPermitted {
            repo: forge.repo_url(),
        }));
    }
    if forge.settings.pretend {
        return manual(Some(ForgeError::Pretend {
            host: forge.host.clone(),
        }));
    }
    let Some(token) = token else {
        tracing::info!(forge = %forge.kind, host = %forge.host, "no forge token: the pull request is opened by hand");
        return manual(None);
    };
    let opened = match forge.kind {
        ForgeKind::GitHub => github::open(&github::call(forge, token), pr),
        ForgeKind::GitLab => gitlab::open(&gitlab::call(forge, token), pr),
        ForgeKind::Gitea => gitea::open(&gitea::call(forge, token), pr),
    };
    match opened {
        Ok(Opened::Created(pr)) => {
            tracing::info!(url = %pr.url, number = pr.number, "pull request opened");
            PrOutcome::Created(pr)
        }
        Ok(Opened::Existing(pr)) => {
            tracing::info!(url = %pr.url, number = pr.number, "pull request exists already");
            PrOutcome::Existing(pr)
        }
        Err(err) => {
            tracing::warn!(forge = %forge.kind, host = %forge.host, "opening the pull request failed: {err}");
            manual(Some(err))
        }
    }
}

/// Read a PR from its JSON: the web page under `url_key`, the number under `number_key`.
pub(crate) fn read_pull(
    call: &Call<'_>,
    json: &Value,
    url_key: &str,
    number_key: &str,
) -> Result<PullRequest, ForgeError> {
    let url =
        str_field(json, url_key).ok_or_else(|| call.bad_response(&format!("no {url_key} in the answer")))?;
    let number = json
        .get(number_key)
        .and_then(Value::as_u64)
        .ok_or_else(|| call.bad_response(&format!("no {number_key} in the answer")))?;
    Ok(PullRequest {
        url: url.to_owned(),
        number,
    })
}

/// The first PR of a list at `path` (GitHub's and GitLab's filtered lists of open ones).
pub(crate) fn first_listed(
    call: &Call<'_>,
    path: &str,
    head: &str,
    url_key: &str,
    number_key: &str,
) -> Result<PullRequest, ForgeError> {
    let not_found = |message: String| existing_not_found(call, head, message);
    let answer = call.get(path)?.map_err(|r| not_found(r.message))?;
    match answer.as_array().and_then(|list| list.first()) {
        Some(first) => read_pull(call, first, url_key, number_key),
        None => Err(not_found("no open pull request from that branch".into())),
    }
}

/// "It exists, but where?"
pub(crate) fn existing_not_found(call: &Call<'_>, head: &str, message: String) -> ForgeError {
    ForgeError::ExistingNotFound {
        kind: call.forge.kind,
        host: call.forge.host.clone(),
        head: head.to_owned(),
        message,
    }
}

/// Whether a refusal means "a pull request for this branch exists already": GitLab and Gitea
/// answer 409, GitHub (and older GitLab) 422 with "already exists".
pub(crate) fn already_exists(status: u16, message: &str) -> bool {
    status == 409 || (status == 422 && message.to_ascii_lowercase().contains("already exists"))
}
