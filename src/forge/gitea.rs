//! Gitea and Forgejo: `POST /repos/{owner}/{repo}/pulls` (201 with `html_url` and `number`),
//! token as `Authorization: token <t>`. An open PR for the branch already (409, "pull request
//! already exists for these targets") is found among `GET /repos/{owner}/{repo}/pulls?state=open`
//! by its `head.ref` and `base.ref` (the list filter works on every Gitea and Forgejo version).

use super::github::repo_path;
use super::http::{Auth, Call, str_field};
use super::pr::{NewPullRequest, Opened, PullRequest, already_exists, existing_not_found, read_pull};
use super::{Forge, ForgeError, ForgeToken};
use serde_json::{Value, json};

/// Pages of open pull requests searched for an existing one.
const MAX_PAGES: usize = 10;
const PAGE_SIZE: usize = 50;

pub(super) fn call<'a>(forge: &'a Forge, token: &'a ForgeToken) -> Call<'a> {
    Call {
        forge,
        token,
        auth: Auth::TokenScheme,
        headers: &[("Accept", "application/json")],
    }
}

pub(super) fn open(call: &Call<'_>, pr: &NewPullRequest) -> Result<Opened, ForgeError> {
    let title = if pr.draft {
        format!("WIP: {}", pr.title)
    } else {
        pr.title.clone()
    };
    let body = json!({
        "head": pr.head,
        "base": pr.base,
        "title": title,
        "body": pr.body,
    });
    match call.post(&format!("{}/pulls", repo_path(call.forge)), &body)? {
        Ok(answer) => read_pull(call, &answer, "html_url", "number").map(Opened::Created),
        Err(refusal) if already_exists(refusal.status, &refusal.message) => {
            find_open(call, pr).map(Opened::Existing)
        }
        Err(refusal) => Err(call.api_error(refusal)),
    }
}

fn find_open(call: &Call<'_>, pr: &NewPullRequest) -> Result<PullRequest, ForgeError> {
    let branch_of = |item: &Value, side: &str| {
        item.get(side)
            .and_then(|s| str_field(s, "ref"))
            .map(str::to_owned)
    };
    for page in 1..=MAX_PAGES {
        let path = format!(
            "{}/pulls?state=open&limit={PAGE_SIZE}&page={page}",
            repo_path(call.forge)
        );
        let answer = call
            .get(&path)?
            .map_err(|r| existing_not_found(call, &pr.head, r.message))?;
        let Some(list) = answer.as_array() else {
            return Err(call.bad_response("the pull request list is not a list"));
        };
        if let Some(found) = list.iter().find(|item| {
            branch_of(item, "head").as_deref() == Some(pr.head.as_str())
                && branch_of(item, "base").as_deref() == Some(pr.base.as_str())
        }) {
            return read_pull(call, found, "html_url", "number");
        }
        if list.len() < PAGE_SIZE {
            break;
        }
    }
    Err(existing_not_found(
        call,
        &pr.head,
        "no open pull request from that branch".into(),
    ))
}
