//! `sextant demo` end to end in a PTY: three sandbox clusters come up live, the day's drift
//! is on screen attributed to whoever made it (kubectl on prod-us, a Secret edited on
//! staging, masked), the hotfix lands live on prod-eu, prod-eu is one commit behind, prod-us
//! drops off the network and reconnects by itself, and `q` quits cleanly. The demo is honest:
//! with HOME, the XDG dirs, TMPDIR and the working directory all empty temp dirs, nothing is
//! left in any of them (its log and audit live in its own directory); `--dir` keeps it all.

mod common;
mod git_common;
mod pty_cockpit_support;

use portable_pty::CommandBuilder;
use pty_cockpit_support::Session;
use pty_cockpit_support::session::{COLS, ROWS};
use std::path::{Path, PathBuf};

/// `sextant ARGS` in `cwd`, with `home` as HOME and `tmp` as TMPDIR: no SEXTANT_HOME, no XDG
/// variables, so the user's dirs are the defaults under HOME.
fn demo(args: &[&str], cwd: &Path, home: &Path, tmp: &Path) -> Session {
    let mut cmd = CommandBuilder::new(env!("CARGO_BIN_EXE_sextant"));
    cmd.args(args);
    cmd.cwd(cwd);
    cmd.env_clear();
    cmd.env("PATH", std::env::var_os("PATH").unwrap_or_default());
    cmd.env("TERM", "xterm-256color");
    cmd.env("HOME", home);
    cmd.env("TMPDIR", tmp);
    Session::in_pty(cmd, COLS, ROWS)
}

/// Every file and directory under `dir`, relative to it.
fn everything_in(dir: &Path) -> Vec<PathBuf> {
    let mut found = Vec::new();
    let mut todo = vec![dir.to_path_buf()];
    while let Some(d) = todo.pop() {
        for entry in std::fs::read_dir(&d).expect("readable dir").flatten() {
            let path = entry.path();
            found.push(path.strip_prefix(dir).expect("under dir").to_path_buf());
            if entry.file_type().is_ok_and(|t| t.is_dir()) {
                todo.push(path);
            }
        }
    }
    found.sort();
    found
}

#[test]
fn the_demo_shows_three_live_clusters_their_drift_and_leaves_nothing_behind() {
    let (home, tmp, cwd) = (temp(), temp(), temp());
    let args = [
        "demo",
        "--hotfix-after",
        "3",
        "--bad-commit-after",
        "4",
        "--outage-after",
        "7",
        "--outage-for",
        "4",
    ];
    let mut s = demo(&args, cwd.path(), home.path(), tmp.path());
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
    // The incident: Linus's commit lands, prod-eu's pipeline deploys it, payments turns Degraded.
    s.wait_line(&["new commit", "by Linus"]);
    s.wait_line(&["payments on prod-eu turned"]);
    s.wait_line(&["payments", "prod-eu", "Degraded"]);
    // prod-us drops off the network, and comes back by itself.
    s.wait_line(&["live 2/3"]);
    s.wait_line(&["prod-us", "unreachable"]);
    s.wait_line(&["live 3/3"]);
    s.send("q");
    let status = s.wait_exit();
    assert!(status.success(), "sextant demo exited with {status:?}");
    for (name, dir) in [("HOME", &home), ("TMPDIR", &tmp), ("the working directory", &cwd)] {
        let left = everything_in(dir.path());
        assert!(left.is_empty(), "the demo left {left:?} in {name}");
    }
}

#[test]
fn demo_dir_keeps_the_repo_the_kubeconfig_and_the_log() {
    let (home, tmp, cwd) = (temp(), temp(), temp());
    let dir = cwd.path().join("kept");
    let dir_arg = dir.to_str().expect("utf-8 path");
    let args = ["demo", "--dir", dir_arg, "--no-tui", "--hotfix-after", "0"];
    let mut s = demo(&args, cwd.path(), home.path(), tmp.path());
    s.wait_line(&["Serving until Ctrl-C."]);
    s.send("\x03");
    let status = s.wait_exit();
    assert!(
        status.success(),
        "sextant demo --no-tui exited with {status:?} on Ctrl-C"
    );
    for kept in [
        "platform-config/sextant.yaml",
        "platform-config/.git",
        "origin.git/HEAD",
        "kubeconfig",
        "data/sextant.log",
    ] {
        assert!(dir.join(kept).exists(), "--dir did not keep {kept}");
    }
    assert!(everything_in(home.path()).is_empty(), "the demo wrote to HOME");
    assert!(
        everything_in(tmp.path()).is_empty(),
        "the demo left files in TMPDIR"
    );

    // A second demo in the same directory would mix two; it says so and starts nothing.
    let mut again = demo(&args, cwd.path(), home.path(), tmp.path());
    again.wait_line(&["already holds a demo"]);
    assert!(!again.wait_exit().success());
}

fn temp() -> tempfile::TempDir {
    tempfile::tempdir().expect("temp dir")
}
