//! From a `kubectl scale` on a sandbox cluster to the drift visible on the screen of the real
//! binary in a PTY: p50 and max over several changes (target p50 < 500 ms). Prints figures.

#[path = "../tests/common/mod.rs"]
mod common;
#[path = "../tests/git_common/mod.rs"]
mod git_common;
#[path = "../tests/pty_cockpit_support/mod.rs"]
mod pty_cockpit_support;

use pty_cockpit_support::{Cluster, Session, make_repo};
use std::time::{Duration, Instant};

const ROUNDS: usize = 9;

fn main() {
    let repo = make_repo();
    let Some(cluster) = Cluster::with_app(&repo, Some("sextant")) else {
        return;
    };
    let (rt, kubectl) = (&cluster.rt, &cluster.kubectl);
    let home = tempfile::tempdir().expect("temp dir");
    let bin = env!("CARGO_BIN_EXE_sextant");
    let mut s = Session::start(bin, repo.path(), kubectl.kubeconfig(), home.path());
    s.wait_line(&["guestbook", "Synced"]);
    let mut times = Vec::new();
    for round in 0..ROUNDS {
        // Alternate between drift (5 + round replicas) and back in sync (3).
        let replicas = if round % 2 == 0 { 5 + round } else { 3 };
        let arg = format!("--replicas={replicas}");
        let t = Instant::now();
        rt.block_on(kubectl.ok(&["scale", "deployment/web", "-n", "guestbook", &arg], None));
        let needles: Vec<String> = if replicas == 3 {
            vec!["guestbook".into(), "Synced".into()]
        } else {
            vec!["guestbook".into(), format!("3→{replicas}")]
        };
        let needles: Vec<&str> = needles.iter().map(String::as_str).collect();
        s.wait_line_every(&needles, Duration::from_millis(5));
        times.push(t.elapsed());
    }
    s.send("q");
    let _ = s.wait_exit();
    times.sort();
    let p50 = times[times.len() / 2];
    let max = times[times.len() - 1];
    println!(
        "cockpit_latency: kubectl scale -> drift on screen over {ROUNDS} changes: p50 {:.0} ms, max {:.0} ms (target p50 < 500 ms; includes the kubectl process)",
        p50.as_secs_f64() * 1e3,
        max.as_secs_f64() * 1e3
    );
}
