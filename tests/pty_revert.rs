//! Revert and rollback end to end in a PTY: the real binary on a config repo with a bare
//! origin, a sandbox cluster the app was synced to, and a local HTTP server standing in for
//! the forge. `r` on the bad commit must leave the branch on the origin and the pull request's
//! URL on screen, with the worktree untouched; `R` on the app then `s` on the earlier revision
//! must show the app pinned. Waits poll the screen against a deadline; nothing asserts on
//! timing.

mod cli_support;
mod common;
mod forge_common;
mod git_common;
mod pty_cockpit_support;

use cli_support::{Clusters, SETTINGS_APPS, TEAM_NS, TOKEN, World, settings_cm};
use forge_common::MockApi;
use pty_cockpit_support::Session;
use serde_json::json;
use std::path::Path;

/// The settings app at `fast`, then the bad commit `slow mode`, synced to c1.
fn deployed(clusters: &Clusters) -> (World, String, String) {
    let w = World::new();
    w.write("sextant.yaml", SETTINGS_APPS);
    w.write("apps/settings/ns.yaml", TEAM_NS);
    w.write("apps/settings/cm.yaml", &settings_cm("fast"));
    let good = w.commit("settings");
    w.write("apps/settings/cm.yaml", &settings_cm("slow"));
    let bad = w.commit("slow mode");
    let sync = w.sextant(&["--kubeconfig", clusters.kubeconfig(), "sync", "--yes"], &[]);
    assert_eq!(sync.code, 0, "{}", sync.all());
    (w, good, bad)
}

fn cockpit(w: &World, clusters: &Clusters, env: &[(&str, &Path)]) -> Session {
    let repo = w.repo.to_str().expect("utf-8 path");
    Session::spawn(
        env!("CARGO_BIN_EXE_sextant"),
        &["--repo", repo, "--kubeconfig", clusters.kubeconfig()],
        &w.repo,
        &w.home,
        env,
    )
}

#[test]
fn r_on_a_commit_pushes_the_branch_and_shows_the_pull_request() {
    let dir = tempfile::tempdir().expect("temp dir");
    let clusters = Clusters::start(&["c1"], dir.path());
    let (w, _, bad) = deployed(&clusters);
    let api = MockApi::start(|r| match r.method.as_str() {
        "POST" => (
            201,
            json!({"number": 12, "html_url": "https://ghe.example/acme/cfg/pull/12"}).to_string(),
        ),
        _ => (404, "{}".into()),
    });
    w.add_origin(&format!("{}/acme/cfg.git", api.base()), &w.origin_path());
    w.forge_config(api.port, "github", "/api/v3");
    w.make_dirty("apps/settings/cm.yaml", "apps/settings/ns.yaml");
    let before = w.untouched();

    let mut s = cockpit(&w, &clusters, &[("GH_ENTERPRISE_TOKEN", Path::new(TOKEN))]);
    s.wait_line(&["settings", "c1", "Synced"]);
    // The Commits pane has the focus, on the newest commit: the bad one.
    s.wait_line(&[&bad[..7], "slow mode"]);
    s.send("r");
    s.wait_line(&["settings on c1", "1 to update"]);
    s.wait_line(&["ConfigMap/settings -n team", "data.mode slow→fast"]);
    s.send("y");
    s.wait_line(&["pull request #12", "https://ghe.example/acme/cfg/pull/12"]);
    let branch = format!("sextant/revert-{}", &bad[..7]);
    s.wait_line(&["✓ pushed", &format!("refs/heads/{branch}")]);
    assert!(!s.screen().contains(TOKEN));
    s.send("q");
    assert!(s.wait_exit().success());

    let local = w.git(&["rev-parse", &branch]);
    assert_eq!(w.on_origin(&branch), format!("{local}\trefs/heads/{branch}"));
    assert_eq!(w.untouched(), before, "worktree, index and HEAD untouched");
    let post = api
        .requests()
        .into_iter()
        .find(|r| r.method == "POST")
        .expect("the pull request was asked for");
    assert_eq!(
        post.header("authorization"),
        Some(format!("Bearer {TOKEN}").as_str())
    );
    assert!(
        post.json()["body"]
            .as_str()
            .is_some_and(|b| b.contains("data.mode slow→fast")),
        "{}",
        post.body
    );
    assert!(!w.data_text().contains(TOKEN), "never logged nor audited");
}

#[test]
fn capital_r_then_s_syncs_the_earlier_revision_and_shows_it_pinned() {
    let dir = tempfile::tempdir().expect("temp dir");
    let clusters = Clusters::start(&["c1"], dir.path());
    let (w, good, _) = deployed(&clusters);
    let mut s = cockpit(&w, &clusters, &[]);
    s.wait_line(&["settings", "c1", "Synced"]);
    // Commits -> Clusters -> Apps, then roll the app back.
    s.send("\t\t");
    s.send("R");
    s.wait_line(&["slow mode", "head", "⚑c1"]);
    s.wait_line(&[&good[..7], "settings"]);
    // The revision before what c1 runs is selected: sync it now.
    s.send("s");
    s.wait_line(&["Sync", "settings", "pins"]);
    s.send("y");
    s.wait_line(&["✓", "(pinned)", "2 applied"]);
    s.send("\x1b");
    s.wait_line(&["Rollback", "settings"]);
    s.send("\x1b");
    s.wait_line(&["settings", "⚑pinned"]);
    s.send("q");
    assert!(s.wait_exit().success());
    let rollback = w
        .audit()
        .into_iter()
        .find(|e| e.action == "rollback")
        .expect("the rollback is recorded");
    assert_eq!(
        (
            rollback.revision.as_str(),
            rollback.pinned,
            rollback.outcome.as_str()
        ),
        (good.as_str(), true, "finished")
    );
}
