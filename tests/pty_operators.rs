//! The cockpit acts through Argo CD and Flux, in a PTY on `sextant demo`: the demo's
//! Application `catalog` (prod-eu) and Kustomization `search` (staging) show their source and
//! the operator's verdict, simulated, beside Sextant's; `o` then Enter previews the fields
//! Sextant writes, Enter writes them, and the simulated controllers' answer is followed live
//! to Succeeded / Ready.

mod common;
mod git_common;
mod pty_cockpit_support;

use pty_cockpit_support::Session;

#[test]
fn the_cockpit_syncs_an_argocd_app_and_a_flux_kustomization() {
    let home = tempfile::tempdir().expect("home");
    let tmp = tempfile::tempdir().expect("tmp");
    let mut s = Session::spawn(
        env!("CARGO_BIN_EXE_sextant"),
        &["demo"],
        home.path(),
        home.path(),
        &[("TMPDIR", tmp.path())],
    );
    s.wait_line(&["live 3/3"]);
    // Argo CD calls catalog Synced; Sextant sees the hand-made scale it has not compared since.
    s.wait_line(&["catalog", "prod-eu", "OutOfSync", "by kubectl"]);
    s.wait_line(&["search", "staging", "Synced"]);
    // Commits -> Clusters -> Apps; keep only catalog; act through its operator.
    s.send("\t\t");
    s.send("/catalog\r");
    s.send("o");
    s.wait_line(&["sync through the operator"]);
    s.send("\r");
    s.wait_line(&["operation.sync.revision=HEAD"]);
    s.wait_line(&["simulated by the demo's sandbox controller"]);
    s.send("\r");
    s.wait_line(&["✓ Succeeded at"]);
    s.send("\x1b");
    s.wait_line(&["APP", "CLUSTER", "LATEST CHANGE"]);
    s.wait_line(&["catalog", "prod-eu", "✓ Synced"]);
    // Flux: the reconcile request, followed to Ready.
    s.send("\x1b");
    s.wait_line(&["guestbook", "prod-us", "OutOfSync"]);
    s.send("/search\r");
    s.send("o");
    s.wait_line(&["sync through the operator"]);
    s.send("\r");
    s.wait_line(&["reconcile.fluxcd.io/requestedAt="]);
    s.send("\r");
    s.wait_line(&["✓ Ready: applied main@sha1:"]);
    s.send("\x1b");
    s.wait_line(&["APP", "CLUSTER", "LATEST CHANGE"]);
    s.send("q");
    let status = s.wait_exit();
    assert!(status.success(), "sextant demo exited with {status:?}");
}
