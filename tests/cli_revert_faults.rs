//! `sextant revert` on bad input and faults: each gets a clear message, and nothing is changed
//! or lost (no branch where none should be, a created branch kept when a later step fails).

mod cli_support;
mod forge_common;
mod git_common;
mod git_server;

use cli_support::{TOKEN, World};
use forge_common::{MockApi, Recorded};
use serde_json::json;

/// `a.yaml` 1 → 2 (the commit to revert); returns (world, its sha).
fn two_commits() -> (World, String) {
    let w = World::new();
    w.write("a.yaml", "a: 1\n");
    w.commit("one");
    w.write("a.yaml", "a: 2\n");
    let bad = w.commit("two");
    (w, bad)
}

fn refused_and_untouched(w: &World, args: &[&str], code: i32, says: &str) {
    let before = (w.branches(), w.untouched());
    let run = w.sextant(args, &[]);
    assert_eq!(run.code, code, "{}", run.all());
    assert!(run.all().contains(says), "expected `{says}` in:\n{}", run.all());
    assert_eq!((w.branches(), w.untouched()), before, "nothing changed");
}

#[test]
fn bad_commits_conflicts_no_effect_and_a_detached_head_change_nothing() {
    let (w, bad) = two_commits();
    refused_and_untouched(&w, &["revert", "nope", "--yes"], 2, "no commit `nope`");

    w.write("a.yaml", "a: 3\n");
    w.commit("three");
    refused_and_untouched(
        &w,
        &["revert", &bad, "--yes"],
        2,
        "conflicts in a.yaml; nothing was changed",
    );

    let (w, bad) = two_commits();
    w.git(&["revert", "--no-edit", &bad]);
    refused_and_untouched(&w, &["revert", &bad, "--yes"], 2, "would change nothing on main");

    let (w, bad) = two_commits();
    w.git(&["checkout", "-q", "--detach", "HEAD"]);
    refused_and_untouched(&w, &["revert", &bad, "--yes"], 2, "HEAD is detached");
}

#[test]
fn no_remote_and_read_only_are_said_before_anything_is_written() {
    let (w, bad) = two_commits();
    refused_and_untouched(
        &w,
        &["revert", &bad, "--push", "--yes"],
        2,
        "there is no remote to push to",
    );
    w.add_origin(&w.origin_path(), &w.origin_path());
    refused_and_untouched(
        &w,
        &["revert", &bad, "--pr", "--yes"],
        2,
        "cannot open a pull request: the remote",
    );
    refused_and_untouched(
        &w,
        &["--readonly", "revert", &bad, "--push", "--yes"],
        2,
        "refused: Sextant runs read-only (--readonly), so it will not commit a revert branch in",
    );
    w.config("readonly: true\n");
    refused_and_untouched(
        &w,
        &["revert", &bad, "--yes"],
        2,
        "refused: Sextant runs read-only",
    );
    let refused: Vec<_> = w.audit().into_iter().filter(|e| e.outcome == "refused").collect();
    assert_eq!(refused.len(), 2, "{refused:?}");
    assert!(refused.iter().all(|e| e.action == "revert" && e.revision == bad));
}

#[test]
fn rejected_pushes_keep_the_local_branch_and_say_why() {
    let (w, bad) = two_commits();
    w.add_origin(&w.origin_path(), &w.origin_path());
    let branch = format!("sextant/revert-{}", &bad[..7]);
    // Someone else's commits on the origin's branch of that name.
    let theirs = w.git(&["commit-tree", "HEAD^{tree}", "-m", "someone else's"]);
    w.git(&["push", "-q", "origin", &format!("{theirs}:refs/heads/{branch}")]);
    let run = w.sextant(&["revert", &bad, "--push", "--yes"], &[]);
    assert_eq!(run.code, 2, "{}", run.all());
    assert!(run.stderr.contains("(non-fast-forward)"), "{}", run.all());
    assert!(
        run.stderr
            .contains(&format!("The branch {branch} is kept locally")),
        "{}",
        run.all()
    );
    assert!(w.branches().contains(&branch), "the revert is not lost");
    let push = w
        .audit()
        .into_iter()
        .find(|e| e.action == "push")
        .expect("audited");
    assert_eq!(push.outcome, "failed");

    // A protected branch: the origin's hook declines every push.
    let (w, bad) = two_commits();
    w.add_origin(&w.origin_path(), &w.origin_path());
    let hook = w.origin.join("hooks/pre-receive");
    std::fs::write(
        &hook,
        "#!/bin/sh\necho 'branch protection: pushes need review' >&2\nexit 1\n",
    )
    .expect("hook");
    make_executable(&hook);
    let run = w.sextant(&["revert", &bad, "--push", "--yes"], &[]);
    assert_eq!(run.code, 2, "{}", run.all());
    assert!(
        run.stderr.contains("a protected branch or a server-side hook"),
        "{}",
        run.all()
    );
    assert!(run.stderr.contains("pushes need review"), "{}", run.all());
}

fn make_executable(path: &std::path::Path) {
    use std::os::unix::fs::PermissionsExt;
    let mut perms = std::fs::metadata(path).expect("meta").permissions();
    perms.set_mode(0o755);
    std::fs::set_permissions(path, perms).expect("chmod");
}

/// Revert on a repo whose origin's fetch URL is the mock forge (GitHub Enterprise) and whose
/// pushes go to the bare origin.
fn revert_against(api: &MockApi) -> (World, cli_support::Run, String) {
    let (w, bad) = two_commits();
    w.add_origin(&format!("{}/acme/cfg.git", api.base()), &w.origin_path());
    w.forge_config(api.port, "github", "/api/v3");
    let run = w.sextant(
        &["revert", &bad, "--pr", "--yes"],
        &[("GH_ENTERPRISE_TOKEN", TOKEN)],
    );
    assert!(!run.all().contains(TOKEN), "the token shows: {}", run.all());
    assert!(!w.data_text().contains(TOKEN), "the token was logged or audited");
    let branch = format!("sextant/revert-{}", &bad[..7]);
    assert_ne!(
        w.on_origin(&branch),
        "",
        "the branch was pushed before the forge was asked"
    );
    (w, run, branch)
}

fn reply(status: u16, body: serde_json::Value) -> (u16, String) {
    (status, body.to_string())
}

#[test]
fn forge_refusals_print_the_compare_page_and_why() {
    let api = MockApi::start(|r: &Recorded| {
        if r.header("authorization") != Some(&format!("Bearer {TOKEN}")) {
            return reply(400, json!({"message": "no token sent"}));
        }
        reply(401, json!({"message": "Bad credentials"}))
    });
    let (_, run, branch) = revert_against(&api);
    assert_eq!(run.code, 1, "{}", run.all());
    assert!(
        run.stdout.contains(&format!(
            "open the pull request by hand: {}/acme/cfg/compare/main...{branch}?expand=1",
            api.base()
        )),
        "{}",
        run.all()
    );
    assert!(
        run.stdout.contains(
            "refused the token from the GH_ENTERPRISE_TOKEN environment variable (401: Bad credentials)"
        ),
        "{}",
        run.all()
    );

    let api = MockApi::start(|_| reply(404, json!({"message": "Not Found"})));
    let (w, run, _) = revert_against(&api);
    assert_eq!(run.code, 1, "{}", run.all());
    assert!(run.stdout.contains("has no repository acme/cfg"), "{}", run.all());
    let pr = w
        .audit()
        .into_iter()
        .find(|e| e.action == "pull-request")
        .expect("audited");
    assert_eq!(pr.outcome, "manual");
    assert!(pr.summary.contains("has no repository"), "{pr:?}");
}

#[test]
fn an_existing_pull_request_is_shown_and_an_unreachable_forge_is_said() {
    let api = MockApi::start(|r| match r.method.as_str() {
        "POST" => reply(
            422,
            json!({"message": "Validation Failed", "errors": [{"resource": "PullRequest", "code": "custom",
                   "message": "A pull request already exists for acme:sextant/revert-x."}]}),
        ),
        _ => reply(
            200,
            json!([{"number": 7, "html_url": "https://ghe.example/acme/cfg/pull/7"}]),
        ),
    });
    let (_, run, _) = revert_against(&api);
    assert_eq!(run.code, 0, "{}", run.all());
    assert!(
        run.stdout.contains(
            "a pull request for this branch is open already, #7: https://ghe.example/acme/cfg/pull/7"
        ),
        "{}",
        run.all()
    );

    // The forge's API on a port nothing listens on; pushes still go to the bare origin.
    let (w, bad) = two_commits();
    let closed = git_server::free_port();
    w.add_origin(
        &format!("http://127.0.0.1:{closed}/acme/cfg.git"),
        &w.origin_path(),
    );
    w.forge_config(closed, "gitea", "/api/v1");
    let run = w.sextant(&["revert", &bad, "--pr", "--yes"], &[("GITEA_TOKEN", TOKEN)]);
    assert_eq!(run.code, 1, "{}", run.all());
    assert!(run.stdout.contains("cannot reach"), "{}", run.all());
    assert!(run.stdout.contains("/compare/main..."), "{}", run.all());
    assert!(!run.all().contains(TOKEN));
}
