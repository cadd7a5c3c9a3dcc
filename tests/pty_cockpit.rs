//! End to end: a sandbox cluster, a config repo whose app is applied to it, and the real
//! `sextant` binary in a PTY. `kubectl scale` changes the Deployment; the screen must show
//! the app OutOfSync, attributed to kubectl; its diff must show `replicas`; `q` quits.
//! Waits poll the screen against a deadline; nothing asserts on timing.

mod common;
mod git_common;
mod pty_cockpit_support;

use common::sandbox::{Kubectl, start};
use pty_cockpit_support::{Session, make_repo};

#[test]
fn kubectl_scale_shows_out_of_sync_by_kubectl_and_the_diff_shows_replicas() {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("runtime");
    let sandbox = rt.block_on(start(&["prod"], true));
    let Some(kubectl) = Kubectl::new(&sandbox) else {
        return;
    };
    let repo = make_repo();
    let home = tempfile::tempdir().expect("temp dir");
    let manifests = repo.path().join("apps/guestbook");
    let manifests = manifests.to_str().expect("utf-8 path");
    // The namespace first: kubectl applies a directory in file-name order.
    for file in ["namespace.yaml", "deploy.yaml"] {
        let path = format!("{manifests}/{file}");
        rt.block_on(kubectl.ok(
            &["apply", "--server-side", "--field-manager=sextant", "-f", &path],
            None,
        ));
    }

    let mut s = Session::start(
        env!("CARGO_BIN_EXE_sextant"),
        repo.path(),
        kubectl.kubeconfig(),
        home.path(),
    );
    s.wait_line(&["guestbook", "Synced"]);
    rt.block_on(kubectl.ok(
        &["scale", "deployment/web", "-n", "guestbook", "--replicas=5"],
        None,
    ));
    s.wait_line(&["guestbook", "OutOfSync", "replicas", "by kubectl"]);

    // Commits -> Clusters -> Apps, open the app, open its drifted object.
    s.send("\t\t");
    s.send("\r");
    s.wait_line(&["Deployment/web", "OutOfSync"]);
    s.send("\r");
    s.wait_line(&["-", "replicas: 5", "kubectl"]);
    s.wait_line(&["+", "replicas: 3"]);
    s.send("q");
    let status = s.wait_exit();
    assert!(status.success(), "sextant exited with {status:?}");
}

#[test]
fn a_repo_given_by_url_is_cloned_then_watched_live() {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("runtime");
    let sandbox = rt.block_on(start(&["prod"], true));
    let Some(kubectl) = Kubectl::new(&sandbox) else {
        return;
    };
    let repo = make_repo();
    let home = tempfile::tempdir().expect("temp dir");
    for file in ["namespace.yaml", "deploy.yaml"] {
        let path = repo.path().join("apps/guestbook").join(file);
        let path = path.to_str().expect("utf-8 path");
        rt.block_on(kubectl.ok(&["apply", "--server-side", "-f", path], None));
    }
    let url = format!("file://{}", repo.path().display());
    let kubeconfig = kubectl.kubeconfig().to_str().expect("utf-8 path");
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
