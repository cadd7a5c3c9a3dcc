//! End to end, "what would this revision do?" and following the branch: the real `sextant`
//! binary in a PTY against a sandbox cluster running the newest commit of a config repo.
//!
//! 1. `j` then `p` on the previous commit previews a rollback: the screen says the
//!    Deployment's image would go back, its diff shows both images, and the cluster is
//!    untouched (checked with kubectl).
//! 2. A new commit lands in the repo while Sextant runs: the Activity pane logs it, the app
//!    turns OutOfSync, and the Apps table says the cluster is one commit behind.
//!
//! Waits poll the screen against a deadline; nothing asserts on timing.

mod common;
mod git_common;
mod pty_cockpit_support;

use pty_cockpit_support::{Cluster, DEPLOY, Session, make_repo};

#[test]
fn previewing_a_rollback_changes_nothing_and_new_commits_are_followed() {
    // v1 runs nginx:1.27 (make_repo); v2, the newest, nginx:1.28. The cluster runs v2.
    let mut repo = make_repo();
    repo.tick();
    repo.write(
        "apps/guestbook/deploy.yaml",
        DEPLOY.replace("nginx:1.27", "nginx:1.28"),
    );
    let v2 = repo.commit("api to nginx 1.28");
    let Some(cluster) = Cluster::with_app(&repo, Some("sextant")) else {
        return;
    };
    let home = tempfile::tempdir().expect("temp dir");
    let image = || {
        cluster.kubectl(&[
            "get",
            "deployment/web",
            "-n",
            "guestbook",
            "-o",
            "jsonpath={.spec.template.spec.containers[0].image} {.spec.replicas} {.metadata.generation}",
        ])
    };
    let before = image();
    assert!(before.starts_with("nginx:1.28 "), "{before}");

    let mut s = Session::start(
        env!("CARGO_BIN_EXE_sextant"),
        repo.path(),
        cluster.kubectl.kubeconfig(),
        home.path(),
    );
    s.wait_line(&["guestbook", "Synced", &v2[..7]]);

    // The Commits pane has focus: the previous commit, then preview it (one cluster: no picker).
    s.send("j");
    s.send("p");
    s.wait_line(&["Sync", "→ prod", "update 1"]);
    s.wait_line(&[
        "Deployment/web",
        "OutOfSync",
        "container web image nginx:1.28 → 1.27",
    ]);
    s.send("\r");
    s.wait_line(&["-", "image: nginx:1.28"]);
    s.wait_line(&["+", "image: nginx:1.27"]);
    // One Esc at a time: two in one read are one key to the terminal parser.
    s.send("\x1b");
    s.wait_line(&["Sync", "→ prod", "update 1"]);
    s.send("\x1b");
    s.wait_line(&["Commits · main"]);
    // Nothing was applied: the spec (and so its generation) is as it was; status may move.
    assert_eq!(image(), before);

    // A new commit on the branch: logged, re-rendered, and the cluster is one behind.
    repo.tick();
    repo.write(
        "apps/guestbook/deploy.yaml",
        DEPLOY
            .replace("nginx:1.27", "nginx:1.28")
            .replace("replicas: 3", "replicas: 4"),
    );
    let v3 = repo.commit("guestbook to 4 replicas");
    s.wait_line(&["new commit", &v3[..7]]);
    s.wait_line(&[
        "guestbook",
        "OutOfSync",
        &v2[..7],
        "↓1",
        "spec.replicas 3→4 in Git",
    ]);
    s.send("q");
    let status = s.wait_exit();
    assert!(status.success(), "sextant exited with {status:?}");
}
