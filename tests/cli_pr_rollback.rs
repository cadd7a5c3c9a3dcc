//! `sextant pr` (push a branch, open its merge request on a GitLab API stand-in) and `sextant
//! rollback` (an app's history with where each revision runs, an emergency pinned sync, and
//! a revert pull request of the app's commits since a revision), with the real binary.

mod cli_support;
mod forge_common;
mod git_common;

use cli_support::{Clusters, SETTINGS_APPS, TEAM_NS, TOKEN, World, settings_cm};
use forge_common::MockApi;
use serde_json::json;

#[test]
fn pr_pushes_the_checked_out_branch_and_opens_a_merge_request() {
    let w = World::new();
    w.write("a.yaml", "a: 1\n");
    w.commit("one");
    let api = MockApi::start(|r| match r.method.as_str() {
        "POST" => (
            201,
            json!({"id": 100, "iid": 4, "web_url": "https://gitlab.example/acme/cfg/-/merge_requests/4"})
                .to_string(),
        ),
        _ => (404, "{}".into()),
    });
    w.add_origin(&format!("{}/acme/cfg.git", api.base()), &w.origin_path());
    w.forge_config(api.port, "gitlab", "/api/v4");
    w.git(&["switch", "-q", "-c", "raise-limits"]);
    w.write("a.yaml", "a: 2\n");
    w.commit("raise the limits\n\nThe API needs more headroom.");

    let run = w.sextant(&["pr", "--yes"], &[("GITLAB_TOKEN", TOKEN)]);
    assert_eq!(run.code, 0, "{}", run.all());
    assert!(run.stdout.contains("raise-limits into main on"), "{}", run.all());
    assert!(
        run.stdout
            .contains("opened pull request #4: https://gitlab.example/acme/cfg/-/merge_requests/4"),
        "{}",
        run.all()
    );
    assert_ne!(w.on_origin("raise-limits"), "", "pushed first");
    let requests = api.requests();
    let post = requests.iter().find(|r| r.method == "POST").expect("a POST");
    assert_eq!(post.path, "/api/v4/projects/acme%2Fcfg/merge_requests");
    assert_eq!(post.header("private-token"), Some(TOKEN));
    let body = post.json();
    assert_eq!(body["source_branch"], "raise-limits");
    assert_eq!(body["target_branch"], "main");
    assert_eq!(body["title"], "raise the limits");
    assert!(
        body["description"]
            .as_str()
            .is_some_and(|d| d.starts_with("The API needs more headroom.")),
        "{body}"
    );
    assert!(!run.all().contains(TOKEN) && !w.data_text().contains(TOKEN));

    w.git(&["checkout", "-q", "--detach"]);
    let run = w.sextant(&["pr", "--yes"], &[("GITLAB_TOKEN", TOKEN)]);
    assert_eq!(run.code, 2, "{}", run.all());
    assert!(run.stderr.contains("HEAD is detached"), "{}", run.all());
    let run = w.sextant(&["pr", "--branch", "main", "--yes"], &[("GITLAB_TOKEN", TOKEN)]);
    assert_eq!(run.code, 2, "{}", run.all());
    assert!(run.stderr.contains("name it with --base"), "{}", run.all());
}

#[test]
fn pr_of_a_revert_branch_made_earlier_gets_the_revert_body() {
    let w = World::new();
    w.write("a.yaml", "a: 1\n");
    w.commit("one");
    w.write("a.yaml", "a: 2\n");
    let bad = w.commit("two");
    let api = MockApi::start(|_| {
        (
            201,
            json!({"number": 5, "html_url": "https://code.example/acme/cfg/pulls/5"}).to_string(),
        )
    });
    w.add_origin(&format!("{}/acme/cfg.git", api.base()), &w.origin_path());
    w.forge_config(api.port, "gitea", "/api/v1");
    let made = w.sextant(&["revert", &bad, "--yes"], &[]);
    assert_eq!(made.code, 0, "{}", made.all());
    let branch = format!("sextant/revert-{}", &bad[..7]);
    assert_eq!(w.on_origin(&branch), "", "not pushed yet");

    let run = w.sextant(&["pr", "--branch", &branch, "--yes"], &[("GITEA_TOKEN", TOKEN)]);
    assert_eq!(run.code, 0, "{}", run.all());
    assert_ne!(w.on_origin(&branch), "");
    let post = api
        .requests()
        .into_iter()
        .find(|r| r.method == "POST")
        .expect("a POST");
    let body = post.json();
    assert_eq!(body["title"], "Revert \"two\"");
    assert_eq!(body["base"], "main");
    let text = body["body"].as_str().expect("body");
    assert!(text.contains("This pull request reverts 1 commit."), "{text}");
    assert!(
        text.contains(&format!("- {} two (Ada Lovelace)", &bad[..7])),
        "{text}"
    );
}

/// The settings app at `fast`, then `slow` (synced), then an unrelated commit.
fn history(clusters: &Clusters) -> (World, String, String) {
    let w = World::new();
    w.write("sextant.yaml", SETTINGS_APPS);
    w.write("apps/settings/ns.yaml", TEAM_NS);
    w.write("apps/settings/cm.yaml", &settings_cm("fast"));
    let good = w.commit("settings");
    let kube = clusters.kubeconfig();
    let sync = w.sextant(&["--kubeconfig", kube, "sync", "--yes"], &[]);
    assert_eq!(sync.code, 0, "{}", sync.all());
    w.write("apps/settings/cm.yaml", &settings_cm("slow"));
    let bad = w.commit("slow mode");
    let sync = w.sextant(&["--kubeconfig", kube, "sync", "--yes"], &[]);
    assert_eq!(sync.code, 0, "{}", sync.all());
    w.write("README.md", "notes\n");
    w.commit("notes");
    (w, good, bad)
}

#[test]
fn rollback_lists_the_history_then_syncs_a_revision_pinned() {
    let dir = tempfile::tempdir().expect("temp dir");
    let clusters = Clusters::start(&["c1"], dir.path());
    let (w, good, bad) = history(&clusters);
    let kube = clusters.kubeconfig();

    let run = w.sextant(&["--kubeconfig", kube, "rollback", "settings"], &[]);
    assert_eq!(run.code, 0, "{}", run.all());
    let lines: Vec<&str> = run.stdout.lines().filter(|l| l.starts_with("  ")).collect();
    assert_eq!(
        lines.len(),
        2,
        "only the commits that changed the render: {}",
        run.stdout
    );
    assert!(
        lines[0].contains(&bad[..7]) && lines[0].contains("slow mode"),
        "{lines:?}"
    );
    assert!(lines[0].contains("head · ⚑c1 · synced to c1"), "{lines:?}");
    assert!(
        lines[1].contains(&good[..7]) && lines[1].contains("synced to c1"),
        "{lines:?}"
    );
    assert!(!lines[1].contains("⚑c1"), "c1 runs the newer one: {lines:?}");

    let run = w.sextant(
        &[
            "--kubeconfig",
            kube,
            "rollback",
            "settings",
            "--to",
            &good,
            "--sync",
            "--yes",
        ],
        &[],
    );
    assert_eq!(run.code, 0, "{}", run.all());
    assert!(run.stderr.contains("stays pinned there"), "{}", run.all());
    let status = w.sextant(&["--kubeconfig", kube, "status", "-o", "json"], &[]);
    let v: serde_json::Value = serde_json::from_str(&status.stdout).expect("json");
    let app = &v["apps"][0];
    assert_eq!(app["pinned"], good.as_str(), "{v}");
    let audit = w.audit();
    let rollback = audit.iter().find(|e| e.action == "rollback").expect("audited");
    assert_eq!(
        (
            rollback.app.as_str(),
            rollback.revision.as_str(),
            rollback.pinned,
            rollback.outcome.as_str()
        ),
        ("settings", good.as_str(), true, "finished")
    );
    assert_eq!(rollback.details["mode"], "pinned sync");
    assert!(w.branches().lines().count() == 1, "a sync makes no branch");

    // The history now says c1 runs the good revision again.
    let run = w.sextant(&["--kubeconfig", kube, "rollback", "settings"], &[]);
    let lines: Vec<&str> = run.stdout.lines().filter(|l| l.starts_with("  ")).collect();
    assert!(
        lines[1].contains(&good[..7]) && lines[1].contains("⚑c1"),
        "{lines:?}"
    );
}

#[test]
fn rollback_by_pull_request_reverts_the_apps_commits_since() {
    let dir = tempfile::tempdir().expect("temp dir");
    let clusters = Clusters::start(&["c1"], dir.path());
    let (w, good, _) = history(&clusters);
    let api = MockApi::start(|_| {
        (
            201,
            json!({"number": 3, "html_url": "https://code.example/acme/cfg/pulls/3"}).to_string(),
        )
    });
    w.add_origin(&format!("{}/acme/cfg.git", api.base()), &w.origin_path());
    w.forge_config(api.port, "gitea", "/api/v1");
    let run = w.sextant(
        &[
            "--kubeconfig",
            clusters.kubeconfig(),
            "rollback",
            "settings",
            "--to",
            &good,
            "--yes",
        ],
        &[("GITEA_TOKEN", TOKEN)],
    );
    assert_eq!(run.code, 0, "{}", run.all());
    // Only the app's own commit since: git's message for one revert; the notes commit stays.
    assert!(run.stdout.contains("Revert \"slow mode\""), "{}", run.all());
    assert!(run.stdout.contains("data.mode slow→fast"), "{}", run.all());
    let branch = format!("sextant/revert-settings-since-{}", &good[..7]);
    assert_ne!(w.on_origin(&branch), "", "{}", run.all());
    let cm = |rev: &str| w.git(&["show", &format!("{rev}:apps/settings/cm.yaml")]);
    assert_eq!(cm(&branch), cm(&good), "the app is back at the revision");
    assert_eq!(
        w.git(&["show", &format!("{branch}:README.md")]),
        "notes",
        "a commit that did not change the app stays"
    );
    let post = api
        .requests()
        .into_iter()
        .find(|r| r.method == "POST")
        .expect("a POST");
    assert_eq!(post.path, "/api/v1/repos/acme/cfg/pulls");
    assert_eq!(
        post.header("authorization"),
        Some(format!("token {TOKEN}").as_str())
    );
    assert!(
        post.json()["body"]
            .as_str()
            .is_some_and(|b| b.contains("| update | `ConfigMap team/settings` | data.mode slow→fast |")),
        "{}",
        post.body
    );
    let audit = w.audit();
    let rollback = audit.iter().find(|e| e.action == "rollback").expect("audited");
    assert_eq!(rollback.details["mode"], "revert pull request");
    assert_eq!(
        rollback.details["pull request"],
        "https://code.example/acme/cfg/pulls/3"
    );
    assert!(!rollback.pinned);
}
