//! `sextant demo` end to end in a PTY: three sandbox clusters come up live, the day's drift
//! is on screen attributed to whoever made it (kubectl on prod-us, a Secret edited on
//! staging, masked), the hotfix lands live on prod-eu, prod-eu is one commit behind, prod-us
//! drops off the network and reconnects by itself, and `q` quits cleanly leaving no temporary
//! directory behind.

mod common;
mod git_common;
mod pty_cockpit_support;

use pty_cockpit_support::Session;

#[test]
fn the_demo_shows_three_live_clusters_their_drift_and_cleans_up() {
    let home = tempfile::tempdir().expect("home");
    let tmp = tempfile::tempdir().expect("tmp");
    let mut s = Session::spawn(
        env!("CARGO_BIN_EXE_sextant"),
        &[
            "demo",
            "--hotfix-after",
            "3",
            "--outage-after",
            "5",
            "--outage-for",
            "4",
        ],
        home.path(),
        home.path(),
        &[("TMPDIR", tmp.path())],
    );
    s.wait_line(&["live 3/3"]);
    s.wait_line(&["guestbook", "prod-us", "OutOfSync", "replicas", "by kubectl"]);
    // A hand-edited Secret: that it changed, never its value.
    s.wait_line(&[
        "payments",
        "staging",
        "OutOfSync",
        "password changed by kubectl-edit",
    ]);
    assert!(!s.screen().contains("rotated-by-hand"));
    s.wait_line(&["guestbook", "prod-eu", "↓1"]);
    // The hotfix arrives while we watch.
    s.wait_line(&["redis on prod-eu drifted"]);
    // prod-us drops off the network, and comes back by itself.
    s.wait_line(&["live 2/3"]);
    s.wait_line(&["prod-us", "unreachable"]);
    s.wait_line(&["live 3/3"]);
    s.send("q");
    let status = s.wait_exit();
    assert!(status.success(), "sextant demo exited with {status:?}");
    let left: Vec<_> = std::fs::read_dir(tmp.path())
        .expect("tmp")
        .flatten()
        .map(|e| e.file_name())
        .collect();
    assert!(left.is_empty(), "the demo left {left:?} behind");
}
