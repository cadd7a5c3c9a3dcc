//! `sextant revert` end to end: the real binary on a real repository with a bare origin (by path
//! and through `git daemon`), a sandbox cluster for the per-cluster preview, and a local HTTP
//! server standing in for the forge's API. The revert's tree must equal what `git revert` makes
//! on a scratch clone, the worktree and index must come out untouched, the branch must arrive on
//! the origin, the pull request must carry what the revert does on the cluster, and the token
//! must show in the forge's header and nowhere else.

mod cli_support;
mod forge_common;
mod git_common;
mod git_server;

use cli_support::{Clusters, SETTINGS_APPS, TEAM_NS, TOKEN, World, settings_cm};
use forge_common::MockApi;
use serde_json::json;

/// The settings app deployed at `mode: slow` (the bad commit) on c1; returns (world, bad sha).
fn deployed_bad_commit(clusters: &Clusters) -> (World, String) {
    let w = World::new();
    w.write("sextant.yaml", SETTINGS_APPS);
    w.write("apps/settings/ns.yaml", TEAM_NS);
    w.write("apps/settings/cm.yaml", &settings_cm("fast"));
    w.commit("settings");
    w.write("apps/settings/cm.yaml", &settings_cm("slow"));
    let bad = w.commit("slow mode");
    let sync = w.sextant(&["--kubeconfig", clusters.kubeconfig(), "sync", "--yes"], &[]);
    assert_eq!(sync.code, 0, "{}", sync.all());
    (w, bad)
}

#[test]
fn revert_pr_previews_the_cluster_pushes_by_path_and_opens_the_pull_request() {
    let world_dir = tempfile::tempdir().expect("temp dir");
    let clusters = Clusters::start(&["c1"], world_dir.path());
    let (w, bad) = deployed_bad_commit(&clusters);
    let api = MockApi::start(|r| match r.method.as_str() {
        "POST" => (
            201,
            json!({"id": 1, "number": 12, "html_url": "https://ghe.example/acme/cfg/pull/12"}).to_string(),
        ),
        _ => (404, json!({"message": "Not Found"}).to_string()),
    });
    w.add_origin(&format!("{}/acme/cfg.git", api.base()), &w.origin_path());
    w.forge_config(api.port, "github", "/api/v3");
    w.make_dirty("apps/settings/cm.yaml", "apps/settings/ns.yaml");
    let before = w.untouched();

    let run = w.sextant(
        &[
            "--kubeconfig",
            clusters.kubeconfig(),
            "revert",
            &bad,
            "--pr",
            "--yes",
        ],
        &[("GH_ENTERPRISE_TOKEN", TOKEN)],
    );
    assert_eq!(run.code, 0, "{}", run.all());
    let short = &bad[..7];
    let branch = format!("sextant/revert-{short}");
    let out = &run.stdout;
    assert!(out.contains("Revert \"slow mode\""), "{out}");
    assert!(out.contains(&format!("branch   {branch} (new, on main")), "{out}");
    assert!(out.contains("M apps/settings/cm.yaml  +1 -1"), "{out}");
    assert!(out.contains("settings on c1: 1 to update"), "{out}");
    assert!(
        out.contains("~ update  ConfigMap/settings -n team  data.mode slow→fast"),
        "{out}"
    );
    assert!(
        out.contains(&format!("pushed refs/heads/{branch} to origin")),
        "{out}"
    );
    assert!(
        out.contains("opened pull request #12: https://ghe.example/acme/cfg/pull/12"),
        "{out}"
    );

    // The branch is on the origin, with git revert's tree; nothing local moved.
    let local = w.git(&["rev-parse", &branch]);
    assert_eq!(w.on_origin(&branch), format!("{local}\trefs/heads/{branch}"));
    let head = w.git(&["rev-parse", "HEAD"]);
    assert_eq!(w.tree(&local), w.git_revert_tree(&head, &[&bad]));
    assert_eq!(w.git(&["rev-parse", &format!("{branch}^")]), head);
    assert_eq!(w.untouched(), before, "worktree, index and HEAD untouched");

    // The forge got the documented request, with the token in its header only.
    let requests = api.requests();
    let post: Vec<_> = requests.iter().filter(|r| r.method == "POST").collect();
    assert_eq!(post.len(), 1, "{requests:#?}");
    assert_eq!(post[0].path, "/api/v3/repos/acme/cfg/pulls");
    assert_eq!(
        post[0].header("authorization"),
        Some(format!("Bearer {TOKEN}").as_str())
    );
    let body = post[0].json();
    assert_eq!(body["title"], "Revert \"slow mode\"");
    assert_eq!(body["head"], branch.as_str());
    assert_eq!(body["base"], "main");
    let text = body["body"].as_str().expect("a body");
    assert!(text.contains("### settings on c1"), "{text}");
    assert!(
        text.contains("| update | `ConfigMap team/settings` | data.mode slow→fast |"),
        "{text}"
    );
    assert!(
        text.contains(&format!("- {short} slow mode (Ada Lovelace)")),
        "{text}"
    );

    // Never printed, logged or audited.
    assert!(!run.all().contains(TOKEN));
    assert!(!w.data_text().contains(TOKEN));
    let audit = w.audit();
    let actions: Vec<(&str, &str)> = audit
        .iter()
        .map(|e| (e.action.as_str(), e.outcome.as_str()))
        .filter(|(a, _)| *a != "sync")
        .collect();
    assert_eq!(
        actions,
        vec![
            ("revert", "finished"),
            ("push", "finished"),
            ("pull-request", "finished")
        ]
    );
    let find = |action: &str| audit.iter().find(|e| e.action == action).expect("entry");
    assert_eq!(find("revert").details["branch"], branch);
    assert_eq!(find("revert").revision, bad);
    assert_eq!(find("push").details["pushed ref"], format!("refs/heads/{branch}"));
    assert_eq!(
        find("pull-request").details["url"],
        "https://ghe.example/acme/cfg/pull/12"
    );
}

#[test]
fn through_git_daemon_without_a_token_the_compare_page_is_printed() {
    let w = World::new();
    w.write("apps/web/deploy.yaml", "replicas: 3\n");
    w.commit("web");
    w.write("apps/web/deploy.yaml", "replicas: 5\n");
    let bad = w.commit("scale web");
    let daemon = git_server::GitDaemon::start(w.tmp.path());
    let api = MockApi::start(|_| (500, "{}".into()));
    w.add_origin(&format!("{}/acme/cfg.git", api.base()), &daemon.url("origin.git"));
    w.forge_config(api.port, "gitea", "/api/v1");

    let run = w.sextant(&["revert", &bad, "--pr", "--yes"], &[]);
    assert_eq!(run.code, 0, "no token is not a failure: {}", run.all());
    let branch = format!("sextant/revert-{}", &bad[..7]);
    let local = w.git(&["rev-parse", &branch]);
    assert_eq!(w.on_origin(&branch), format!("{local}\trefs/heads/{branch}"));
    assert!(
        run.stdout.contains(&format!(
            "open the pull request by hand: {}/acme/cfg/compare/main...{branch}",
            api.base()
        )),
        "{}",
        run.all()
    );
    assert!(run.stdout.contains("no forge token found"), "{}", run.all());
    assert!(api.requests().is_empty(), "no token, no call");
    let pr = w
        .audit()
        .into_iter()
        .find(|e| e.action == "pull-request")
        .expect("audited");
    assert_eq!(pr.outcome, "manual");
    assert!(pr.details["compare url"].contains("/compare/main..."), "{pr:?}");
}

#[test]
fn a_dry_run_and_a_plain_revert_write_only_what_they_say() {
    let w = World::new();
    w.write("a.yaml", "a: 1\n");
    w.commit("a");
    w.write("a.yaml", "a: 2\n");
    let bad = w.commit("a two");
    let refs = w.branches();
    let run = w.sextant(&["revert", &bad, "--dry-run"], &[]);
    assert_eq!(run.code, 0, "{}", run.all());
    assert!(
        run.stdout.contains("Dry run: nothing was written."),
        "{}",
        run.all()
    );
    assert_eq!(w.branches(), refs);

    let run = w.sextant(&["revert", &bad], &[]);
    assert_eq!(run.code, 2, "no terminal, no --yes: {}", run.all());
    assert!(run.stderr.contains("pass --yes"), "{}", run.all());
    assert_eq!(w.branches(), refs);

    let run = w.sextant(&["revert", &bad, "--yes", "-o", "json"], &[]);
    assert_eq!(run.code, 0, "{}", run.all());
    let v: serde_json::Value = serde_json::from_str(&run.stdout).expect("json");
    let branch = format!("sextant/revert-{}", &bad[..7]);
    assert_eq!(v["branch"], branch.as_str());
    assert_eq!(v["commit"], w.git(&["rev-parse", &branch]).as_str());
    assert!(v.get("pushed_ref").is_none(), "no push asked: {v}");
    assert_eq!(w.on_origin(&branch), "");
}
