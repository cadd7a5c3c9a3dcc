//! Opening pull requests against a local server that checks each forge's documented request
//! (method, path, headers, JSON body) and answers with the documented response shapes; the
//! token is sent in each forge's own header and never shows in outcomes, errors or logs.

mod forge_common;

use forge_common::{MockApi, Recorded};
use serde_json::{Value, json};
use sextant::config::UserConfig;
use sextant::forge::{
    Forge, ForgeError, ForgeKind, ForgeToken, NewPullRequest, PrOutcome, TokenSource, open_pull_request,
};
use std::sync::{Arc, Mutex};

const TOKEN: &str = "tok_Zx81s3cret";
const BRANCH: &str = "sextant/revert-1a2b3c4";

/// A forge on the mock server: the remote is `http://127.0.0.1:PORT/<repo>.git`, and config.yaml
/// names its kind and API base (`<server><api_path>`).
fn forge(api: &MockApi, kind: &str, api_path: &str, repo: &str) -> Forge {
    let config: UserConfig = sextant::yaml::from_str(&format!(
        "forges:\n  \"127.0.0.1:{port}\":\n    kind: {kind}\n    api: {base}{api_path}\n",
        port = api.port,
        base = api.base()
    ))
    .expect("config");
    Forge::detect(&format!("{}/{repo}.git", api.base()), &config).expect("forge")
}

fn token(var: &str) -> ForgeToken {
    ForgeToken::new(TOKEN, TokenSource::Env(var.into()))
}

fn new_pr() -> NewPullRequest {
    NewPullRequest {
        title: "Revert \"bump api to 1.4\"".into(),
        body: "## What this revert does on each cluster\n".into(),
        head: BRANCH.into(),
        base: "main".into(),
        draft: false,
    }
}

/// Run `f` with tracing captured at TRACE; returns what was logged.
fn logged<T>(f: impl FnOnce() -> T) -> (T, String) {
    let buf = Arc::new(Mutex::new(Vec::<u8>::new()));
    let sink = buf.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_max_level(tracing::Level::TRACE)
        .with_ansi(false)
        .with_writer(move || SharedWriter(sink.clone()))
        .finish();
    let out = tracing::subscriber::with_default(subscriber, f);
    let text = String::from_utf8_lossy(&buf.lock().expect("lock")).into_owned();
    (out, text)
}

struct SharedWriter(Arc<Mutex<Vec<u8>>>);

impl std::io::Write for SharedWriter {
    fn write(&mut self, data: &[u8]) -> std::io::Result<usize> {
        self.0.lock().expect("lock").extend_from_slice(data);
        Ok(data.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// The gate's permit to open a pull request on `forge`.
fn permit(forge: &Forge) -> sextant::gate::Permit {
    sextant::gate::Gate::default()
        .permit(sextant::gate::Action::PullRequest, &forge.target(), None)
        .expect("a writable gate permits")
}

/// Open the PR with logs captured, and check the token shows nowhere but in the requests.
fn open(forge: &Forge, var: &str) -> PrOutcome {
    let permit = permit(forge);
    let (outcome, logs) = logged(|| open_pull_request(&permit, forge, Some(&token(var)), &new_pr()));
    let shown = match &outcome {
        PrOutcome::Manual { error: Some(e), .. } => format!("{outcome:?} {e}"),
        _ => format!("{outcome:?}"),
    };
    assert!(!shown.contains(TOKEN), "token in the outcome: {shown}");
    assert!(!logs.contains(TOKEN), "token in the logs: {logs}");
    assert!(!logs.is_empty(), "the call was logged");
    outcome
}

fn reply(status: u16, body: Value) -> (u16, String) {
    (status, body.to_string())
}

fn only(requests: &[Recorded], method: &str, path: &str) -> Recorded {
    let found: Vec<&Recorded> = requests
        .iter()
        .filter(|r| r.method == method && r.path == path)
        .collect();
    assert_eq!(found.len(), 1, "one {method} {path} in {requests:#?}");
    found[0].clone()
}

#[test]
fn github_enterprise_creates_a_pull_request() {
    let api = MockApi::start(|_| {
        reply(
            201,
            json!({"id": 1, "number": 42, "state": "open", "html_url": "https://ghe.example/acme/platform-cfg/pull/42"}),
        )
    });
    let f = forge(&api, "github", "/api/v3", "acme/platform-cfg");
    let outcome = open(&f, "GITHUB_TOKEN");
    let PrOutcome::Created(pr) = outcome else {
        panic!("expected a new PR, got {outcome:?}")
    };
    assert_eq!(
        (pr.number, pr.url.as_str()),
        (42, "https://ghe.example/acme/platform-cfg/pull/42")
    );
    let req = only(&api.requests(), "POST", "/api/v3/repos/acme/platform-cfg/pulls");
    assert_eq!(
        req.header("authorization"),
        Some(format!("Bearer {TOKEN}").as_str())
    );
    assert_eq!(req.header("accept"), Some("application/vnd.github+json"));
    assert_eq!(req.header("x-github-api-version"), Some("2022-11-28"));
    assert_eq!(req.header("content-type"), Some("application/json"));
    assert!(
        req.header("user-agent")
            .is_some_and(|ua| ua.starts_with("sextant/"))
    );
    assert_eq!(
        req.json(),
        json!({"title": "Revert \"bump api to 1.4\"", "head": BRANCH, "base": "main",
               "body": "## What this revert does on each cluster\n", "draft": false})
    );
}

#[test]
fn github_existing_pull_request_is_found() {
    let api = MockApi::start(|r| match r.method.as_str() {
        "POST" => reply(
            422,
            json!({"message": "Validation Failed", "errors": [{"resource": "PullRequest", "code": "custom",
                   "message": "A pull request already exists for acme:sextant/revert-1a2b3c4."}],
                   "documentation_url": "https://docs.github.com/rest/pulls/pulls#create-a-pull-request"}),
        ),
        _ => reply(
            200,
            json!([{"number": 7, "html_url": "https://github.com/acme/cfg/pull/7"}]),
        ),
    });
    let f = forge(&api, "github", "", "acme/cfg");
    let PrOutcome::Existing(pr) = open(&f, "GH_TOKEN") else {
        panic!("expected the existing PR")
    };
    assert_eq!(
        (pr.number, pr.url.as_str()),
        (7, "https://github.com/acme/cfg/pull/7")
    );
    let get = only(
        &api.requests(),
        "GET",
        "/repos/acme/cfg/pulls?head=acme%3Asextant%2Frevert-1a2b3c4&base=main&state=open",
    );
    assert_eq!(
        get.header("authorization"),
        Some(format!("Bearer {TOKEN}").as_str())
    );
}

#[test]
fn github_refusals_fall_back_to_the_compare_page() {
    let api = MockApi::start(|r| {
        if r.path.contains("/gone/") {
            reply(
                404,
                json!({"message": "Not Found", "documentation_url": "https://docs.github.com/rest"}),
            )
        } else if r.path.contains("/nope/") {
            reply(
                422,
                json!({"message": "Validation Failed", "errors": [{"resource": "PullRequest", "code": "custom", "message": "No commits between main and sextant/revert-1a2b3c4"}]}),
            )
        } else {
            reply(
                401,
                json!({"message": "Bad credentials", "documentation_url": "https://docs.github.com/rest"}),
            )
        }
    });
    let f = forge(&api, "github", "", "acme/cfg");
    let PrOutcome::Manual {
        compare_url,
        error: Some(err),
    } = open(&f, "GITHUB_TOKEN")
    else {
        panic!("expected the compare page")
    };
    assert_eq!(
        compare_url,
        format!("{}/acme/cfg/compare/main...{BRANCH}?expand=1", api.base())
    );
    assert!(
        matches!(err, ForgeError::Unauthorized { status: 401, .. }),
        "{err}"
    );
    let text = err.to_string();
    assert!(
        text.contains("the GITHUB_TOKEN environment variable") && text.contains("Bad credentials"),
        "{text}"
    );

    let gone = forge(&api, "github", "", "acme/gone");
    let PrOutcome::Manual { error: Some(err), .. } = open(&gone, "GITHUB_TOKEN") else {
        panic!("expected the compare page")
    };
    assert!(matches!(err, ForgeError::NotFound { .. }), "{err}");
    assert!(err.to_string().contains("cannot see it"), "{err}");

    let nope = forge(&api, "github", "", "acme/nope");
    let PrOutcome::Manual { error: Some(err), .. } = open(&nope, "GITHUB_TOKEN") else {
        panic!("expected the compare page")
    };
    assert!(matches!(err, ForgeError::Api { status: 422, .. }), "{err}");
    assert!(err.to_string().contains("No commits between"), "{err}");
}

#[test]
fn gitlab_creates_and_finds_merge_requests() {
    let existing = Arc::new(Mutex::new(false));
    let seen = existing.clone();
    let api = MockApi::start(move |r| {
        let created_before = *seen.lock().expect("lock");
        match (r.method.as_str(), created_before) {
            ("POST", false) => {
                *seen.lock().expect("lock") = true;
                reply(
                    201,
                    json!({"id": 100, "iid": 12, "state": "opened", "web_url": "https://gitlab.example/platform/team/cfg/-/merge_requests/12"}),
                )
            }
            ("POST", true) => reply(
                409,
                json!({"message": ["Another open merge request already exists for this source branch: !12"]}),
            ),
            _ => reply(
                200,
                json!([{"id": 100, "iid": 12, "web_url": "https://gitlab.example/platform/team/cfg/-/merge_requests/12"}]),
            ),
        }
    });
    let f = forge(&api, "gitlab", "/api/v4", "platform/team/cfg");
    assert_eq!(f.kind, ForgeKind::GitLab);
    let PrOutcome::Created(pr) = open(&f, "GITLAB_TOKEN") else {
        panic!("expected a new MR")
    };
    assert_eq!(pr.number, 12);
    let req = only(
        &api.requests(),
        "POST",
        "/api/v4/projects/platform%2Fteam%2Fcfg/merge_requests",
    );
    assert_eq!(req.header("private-token"), Some(TOKEN));
    assert_eq!(req.header("authorization"), None);
    assert_eq!(
        req.json(),
        json!({"source_branch": BRANCH, "target_branch": "main", "title": "Revert \"bump api to 1.4\"",
               "description": "## What this revert does on each cluster\n", "remove_source_branch": true})
    );

    let PrOutcome::Existing(pr) = open(&f, "GITLAB_TOKEN") else {
        panic!("expected the existing MR")
    };
    assert_eq!(
        pr.url,
        "https://gitlab.example/platform/team/cfg/-/merge_requests/12"
    );
    only(
        &api.requests(),
        "GET",
        "/api/v4/projects/platform%2Fteam%2Fcfg/merge_requests?state=opened&source_branch=sextant%2Frevert-1a2b3c4&target_branch=main",
    );
}

#[test]
fn gitea_creates_and_finds_pull_requests() {
    let api = MockApi::start(|r| match (r.method.as_str(), r.path.contains("/taken/")) {
        ("POST", false) => reply(
            201,
            json!({"id": 9, "number": 3, "html_url": "https://code.example/acme/cfg/pulls/3"}),
        ),
        ("POST", true) => reply(
            409,
            json!({"message": "pull request already exists for these targets [id: 4, issue_id: 8, head_repo_id: 1, base_repo_id: 1, head_branch: sextant/revert-1a2b3c4, base_branch: main]", "url": "https://code.example/api/swagger"}),
        ),
        _ => reply(
            200,
            json!([
                {"number": 2, "html_url": "https://code.example/acme/taken/pulls/2", "head": {"ref": "other"}, "base": {"ref": "main"}},
                {"number": 4, "html_url": "https://code.example/acme/taken/pulls/4", "head": {"ref": BRANCH}, "base": {"ref": "main"}}
            ]),
        ),
    });
    let f = forge(&api, "forgejo", "/api/v1", "acme/cfg");
    assert_eq!(f.kind, ForgeKind::Gitea);
    let PrOutcome::Created(pr) = open(&f, "GITEA_TOKEN") else {
        panic!("expected a new PR")
    };
    assert_eq!(pr.number, 3);
    let req = only(&api.requests(), "POST", "/api/v1/repos/acme/cfg/pulls");
    assert_eq!(
        req.header("authorization"),
        Some(format!("token {TOKEN}").as_str())
    );
    assert_eq!(
        req.json(),
        json!({"head": BRANCH, "base": "main", "title": "Revert \"bump api to 1.4\"",
               "body": "## What this revert does on each cluster\n"})
    );

    let taken = forge(&api, "gitea", "/api/v1", "acme/taken");
    let PrOutcome::Existing(pr) = open(&taken, "GITEA_TOKEN") else {
        panic!("expected the existing PR")
    };
    assert_eq!(
        (pr.number, pr.url.as_str()),
        (4, "https://code.example/acme/taken/pulls/4")
    );
    only(
        &api.requests(),
        "GET",
        "/api/v1/repos/acme/taken/pulls?state=open&limit=50&page=1",
    );
}

#[test]
fn unreachable_forge_and_no_token_give_the_compare_page() {
    let closed = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
        l.local_addr().expect("addr").port()
    };
    let config: UserConfig = sextant::yaml::from_str(&format!(
        "forges:\n  127.0.0.1:\n    kind: gitlab\n    api: http://127.0.0.1:{closed}/api/v4\n"
    ))
    .expect("config");
    let f = Forge::detect(&format!("http://127.0.0.1:{closed}/g/cfg.git"), &config).expect("forge");
    let PrOutcome::Manual {
        compare_url,
        error: Some(err),
    } = open(&f, "GITLAB_TOKEN")
    else {
        panic!("expected the compare page")
    };
    assert!(matches!(err, ForgeError::Unreachable { .. }), "{err}");
    assert_eq!(
        compare_url,
        format!(
            "http://127.0.0.1:{closed}/g/cfg/-/merge_requests/new?merge_request[source_branch]=sextant%2Frevert-1a2b3c4&merge_request[target_branch]=main"
        )
    );

    // The TLS client (rustls on the one aws-lc-rs provider) builds, and a refused https
    // connection is "unreachable" too.
    sextant::install_crypto_provider();
    let config: UserConfig = sextant::yaml::from_str(&format!(
        "forges:\n  127.0.0.1:\n    kind: github\n    api: https://127.0.0.1:{closed}/api/v3\n"
    ))
    .expect("config");
    let f = Forge::detect(&format!("https://127.0.0.1:{closed}/o/r.git"), &config).expect("forge");
    let PrOutcome::Manual { error: Some(err), .. } = open(&f, "GH_ENTERPRISE_TOKEN") else {
        panic!("expected the compare page")
    };
    assert!(matches!(err, ForgeError::Unreachable { .. }), "{err}");

    let api = MockApi::start(|_| reply(500, json!({})));
    let f = forge(&api, "gitea", "/api/v1", "acme/cfg");
    let outcome = open_pull_request(&permit(&f), &f, None, &new_pr());
    assert!(
        matches!(&outcome, PrOutcome::Manual { error: None, .. }),
        "{outcome:?}"
    );
    assert_eq!(
        outcome.url(),
        format!("{}/acme/cfg/compare/main...{BRANCH}", api.base())
    );
    assert!(api.requests().is_empty(), "no token, no call");

    // A permit for another repository opens nothing, and says so.
    let other = Forge::detect("https://github.com/someone/else.git", &Default::default()).expect("forge");
    let outcome = open_pull_request(&permit(&other), &f, Some(&token("GITEA_TOKEN")), &new_pr());
    let PrOutcome::Manual { error: Some(err), .. } = outcome else {
        panic!("expected a refusal")
    };
    assert!(matches!(err, ForgeError::NotPermitted { .. }), "{err}");
    assert!(api.requests().is_empty(), "no permit, no call");
}
