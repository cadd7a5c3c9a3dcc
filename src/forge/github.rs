//! GitHub and GitHub Enterprise: `POST /repos/{owner}/{repo}/pulls` (201 with `html_url` and
//! `number`); an open PR for the branch already (422, "A pull request already exists") is found
//! with `GET /repos/{owner}/{repo}/pulls?head=owner:branch&base=..&state=open`.

use super::http::{Auth, Call, path_segment, query_value};
use super::pr::{NewPullRequest, Opened, already_exists, first_listed, read_pull};
use super::{Forge, ForgeError, ForgeToken};
use serde_json::json;

const HEADERS: &[(&str, &str)] = &[
    ("Accept", "application/vnd.github+json"),
    ("X-GitHub-Api-Version", "2022-11-28"),
];

pub(super) fn call<'a>(forge: &'a Forge, token: &'a ForgeToken) -> Call<'a> {
    Call {
        forge,
        token,
        auth: Auth::Bearer,
        headers: HEADERS,
    }
}

/// `/repos/{owner}/{repo}`, each part encoded.
pub(super) fn repo_path(forge: &Forge) -> String {
    let segments: Vec<String> = forge.repo.split('/').map(path_segment).collect();
    format!("/repos/{}", segments.join("/"))
}

pub(super) fn open(call: &Call<'_>, pr: &NewPullRequest) -> Result<Opened, ForgeError> {
    let body = json!({
        "title": pr.title,
        "head": pr.head,
        "base": pr.base,
        "body": pr.body,
        "draft": pr.draft,
    });
    match call.post(&format!("{}/pulls", repo_path(call.forge)), &body)? {
        Ok(answer) => read_pull(call, &answer, "html_url", "number").map(Opened::Created),
        Err(refusal) if refusal.status == 422 && already_exists(refusal.status, &refusal.message) => {
            let head = format!("{}:{}", call.forge.owner(), pr.head);
            let path = format!(
                "{}/pulls?head={}&base={}&state=open",
                repo_path(call.forge),
                query_value(&head),
                query_value(&pr.base)
            );
            first_listed(call, &path, &pr.head, "html_url", "number").map(Opened::Existing)
        }
        Err(refusal) => Err(call.api_error(refusal)),
    }
}
