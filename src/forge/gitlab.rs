//! GitLab (gitlab.com and self-managed): merge requests through
//! `POST /projects/{url-encoded path}/merge_requests` (201 with `web_url` and `iid`), token in
//! `PRIVATE-TOKEN`. An open MR for the branch already (409, "Another open merge request already
//! exists") is found with `GET .../merge_requests?state=opened&source_branch=..&target_branch=..`.

use super::http::{Auth, Call, path_segment, query_value};
use super::pr::{NewPullRequest, Opened, already_exists, first_listed, read_pull};
use super::{Forge, ForgeError, ForgeToken};
use serde_json::json;

pub(super) fn call<'a>(forge: &'a Forge, token: &'a ForgeToken) -> Call<'a> {
    Call {
        forge,
        token,
        auth: Auth::PrivateToken,
        headers: &[],
    }
}

fn merge_requests_path(forge: &Forge) -> String {
    format!("/projects/{}/merge_requests", path_segment(&forge.repo))
}

pub(super) fn open(call: &Call<'_>, pr: &NewPullRequest) -> Result<Opened, ForgeError> {
    let title = if pr.draft {
        format!("Draft: {}", pr.title)
    } else {
        pr.title.clone()
    };
    let body = json!({
        "source_branch": pr.head,
        "target_branch": pr.base,
        "title": title,
        "description": pr.body,
        "remove_source_branch": true,
    });
    let path = merge_requests_path(call.forge);
    match call.post(&path, &body)? {
        Ok(answer) => read_pull(call, &answer, "web_url", "iid").map(Opened::Created),
        Err(refusal) if already_exists(refusal.status, &refusal.message) => {
            let query = format!(
                "{path}?state=opened&source_branch={}&target_branch={}",
                query_value(&pr.head),
                query_value(&pr.base)
            );
            first_listed(call, &query, &pr.head, "web_url", "iid").map(Opened::Existing)
        }
        Err(refusal) => Err(call.api_error(refusal)),
    }
}
