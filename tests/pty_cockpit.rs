//! End to end: a sandbox cluster, a config repo whose app is applied to it, and the real
//! `sextant` binary in a PTY. `kubectl scale` changes the Deployment; the screen must show
//! the app OutOfSync, attributed to kubectl (and seen just now); its diff must show
//! `replicas`; `q` quits.
//! Waits poll the screen against a deadline; nothing asserts on timing.

mod common;
mod git_common;
mod pty_cockpit_support;

use pty_cockpit_support::{Cluster, Session, make_repo};

#[test]
fn kubectl_scale_shows_out_of_sync_by_kubectl_and_the_diff_shows_replicas() {
    let repo = make_repo();
    let Some(cluster) = Cluster::with_app(&repo, Some("sextant")) else {
        return;
    };
    let home = tempfile::tempdir().expect("temp dir");
    let mut s = Session::start(
        env!("CARGO_BIN_EXE_sextant"),
        repo.path(),
        cluster.kubectl.kubeconfig(),
        home.path(),
    );
    s.wait_line(&["guestbook", "Synced"]);
    cluster.kubectl(&["scale", "deployment/web", "-n", "guestbook", "--replicas=5"]);
    s.wait_line(&["guestbook", "OutOfSync", "replicas", "by kubectl"]);

    // Commits -> Clusters -> Apps, open the app, open its drifted object.
    s.send("\t\t");
    s.send("\r");
    // The server records no time for a scale; Sextant saw it happen, and says so.
    s.wait_line(&["Deployment/web", "OutOfSync", "by kubectl, seen"]);
    s.send("\r");
    s.wait_line(&["-", "replicas: 5", "kubectl · seen"]);
    s.wait_line(&["+", "replicas: 3"]);
    s.send("q");
    let status = s.wait_exit();
    assert!(status.success(), "sextant exited with {status:?}");
}

#[test]
fn a_repo_given_by_url_is_cloned_then_watched_live() {
    let repo = make_repo();
    let Some(cluster) = Cluster::with_app(&repo, None) else {
        return;
    };
    let home = tempfile::tempdir().expect("temp dir");
    let url = format!("file://{}", repo.path().display());
    let kubeconfig = cluster.kubectl.kubeconfig().to_str().expect("utf-8 path");
    let mut s = Session::spawn(
        env!("CARGO_BIN_EXE_sextant"),
        &["--repo", &url, "--kubeconfig", kubeconfig],
        home.path(),
        home.path(),
        &[],
    );
    s.wait_line(&["guestbook", "prod", "Synced"]);
    s.wait_line(&["live 1/1"]);
    s.send("q");
    assert!(s.wait_exit().success());
}

/// Sync from the cockpit: `s` on the drifted row shows the plan, Enter applies it, each result
/// is on screen, and the row turns Synced by itself; the cluster is back to Git and the audit
/// log has the sync.
#[test]
fn s_then_enter_syncs_the_app_and_the_row_turns_synced() {
    let repo = make_repo();
    let Some(cluster) = Cluster::with_app(&repo, Some("sextant")) else {
        return;
    };
    let home = tempfile::tempdir().expect("temp dir");
    let mut s = Session::start(
        env!("CARGO_BIN_EXE_sextant"),
        repo.path(),
        cluster.kubectl.kubeconfig(),
        home.path(),
    );
    s.wait_line(&["guestbook", "Synced"]);
    cluster.kubectl(&["scale", "deployment/web", "-n", "guestbook", "--replicas=5"]);
    s.wait_line(&["guestbook", "OutOfSync", "by kubectl"]);
    // Commits -> Clusters -> Apps, then sync the selected row.
    s.send("\t\t");
    s.send("s");
    s.wait_line(&["Will update 1", "unchanged"]);
    s.wait_line(&["Deployment/web", "OutOfSync", "spec.replicas 5 → 3"]);
    s.send("\r");
    s.wait_line(&["✓ update Deployment/web -n guestbook"]);
    s.wait_line(&["✓ guestbook on prod", "1 applied, 0 pruned, 0 failed"]);
    s.send("\x1b");
    s.wait_line(&["guestbook", "prod", "Synced"]);
    s.wait_line(&["synced guestbook on prod"]);
    let replicas = cluster.kubectl(&[
        "get",
        "deploy",
        "web",
        "-n",
        "guestbook",
        "-o",
        "jsonpath={.spec.replicas}",
    ]);
    assert_eq!(replicas, "3");
    s.send("q");
    assert!(s.wait_exit().success());
    let log = sextant::gitops::audit::AuditLog::in_dir(&home.path().join("data"));
    let entries = log.read().expect("audit log").0;
    assert_eq!(entries.len(), 1, "{entries:?}");
    assert_eq!(
        (entries[0].app.as_str(), entries[0].outcome.as_str()),
        ("guestbook", "finished")
    );
}
