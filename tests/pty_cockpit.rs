//! End to end: a sandbox cluster, a config repo whose app is applied to it, and the real
//! `sextant` binary in a PTY. `kubectl scale` changes the Deployment; the screen must show
//! the app OutOfSync, attributed to kubectl; its diff must show `replicas`; `q` quits.
//! Waits poll the screen against a deadline; nothing asserts on timing.

mod common;
mod git_common;

use common::sandbox::{Kubectl, start};
use git_common::TestRepo;
use portable_pty::{CommandBuilder, PtySize, native_pty_system};
use std::io::{Read, Write};
use std::path::Path;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

const DEADLINE: Duration = Duration::from_secs(60);
const ROWS: u16 = 40;
const COLS: u16 = 140;

const APPS: &str =
    "apps:\n  - name: guestbook\n    path: apps/guestbook\n    namespace: guestbook\n    clusters: [prod]\n";
const NAMESPACE: &str = "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: guestbook\n";
const DEPLOY: &str = "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\n  namespace: guestbook\nspec:\n  replicas: 3\n  selector:\n    matchLabels:\n      app: web\n  template:\n    metadata:\n      labels:\n        app: web\n    spec:\n      containers:\n        - name: web\n          image: nginx:1.27\n";

/// The config repo: one app, its namespace and a Deployment with 3 replicas.
fn make_repo() -> TestRepo {
    let mut repo = TestRepo::new();
    repo.write("sextant.yaml", APPS);
    repo.write("apps/guestbook/namespace.yaml", NAMESPACE);
    repo.write("apps/guestbook/deploy.yaml", DEPLOY);
    repo.commit("guestbook with 3 replicas");
    repo
}

struct Session {
    child: Box<dyn portable_pty::Child + Send + Sync>,
    writer: Box<dyn Write + Send>,
    raw: Arc<Mutex<Vec<u8>>>,
}

impl Session {
    fn start(repo: &Path, kubeconfig: &Path, home: &Path) -> Session {
        let pair = native_pty_system()
            .openpty(PtySize {
                rows: ROWS,
                cols: COLS,
                pixel_width: 0,
                pixel_height: 0,
            })
            .expect("pty");
        let mut cmd = CommandBuilder::new(env!("CARGO_BIN_EXE_sextant"));
        cmd.args(["--repo", repo.to_str().expect("utf-8 path")]);
        cmd.args(["--kubeconfig", kubeconfig.to_str().expect("utf-8 path")]);
        cmd.cwd(repo);
        cmd.env("SEXTANT_HOME", home);
        cmd.env("HOME", home);
        cmd.env("TERM", "xterm-256color");
        cmd.env_remove("KUBECONFIG");
        cmd.env_remove("NO_COLOR");
        let child = pair.slave.spawn_command(cmd).expect("sextant starts");
        drop(pair.slave);
        let mut reader = pair.master.try_clone_reader().expect("reader");
        let writer = pair.master.take_writer().expect("writer");
        let raw = Arc::new(Mutex::new(Vec::new()));
        let sink = raw.clone();
        std::thread::spawn(move || {
            let _master = pair.master;
            let mut buf = [0u8; 8192];
            while let Ok(n) = reader.read(&mut buf) {
                if n == 0 {
                    break;
                }
                sink.lock().expect("lock").extend_from_slice(&buf[..n]);
            }
        });
        Session { child, writer, raw }
    }

    fn screen(&self) -> String {
        let mut parser = vt100::Parser::new(ROWS, COLS, 0);
        parser.process(&self.raw.lock().expect("lock"));
        parser.screen().contents()
    }

    /// Wait until every needle is on one line of the screen.
    fn wait_line(&self, needles: &[&str]) {
        let end = Instant::now() + DEADLINE;
        while Instant::now() < end {
            if self
                .screen()
                .lines()
                .any(|l| needles.iter().all(|n| l.contains(n)))
            {
                return;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        panic!("no line with {needles:?}; the screen was:\n{}", self.screen());
    }

    fn send(&mut self, keys: &str) {
        self.writer.write_all(keys.as_bytes()).expect("write keys");
        self.writer.flush().expect("flush");
    }

    fn wait_exit(&mut self) -> portable_pty::ExitStatus {
        let end = Instant::now() + DEADLINE;
        while Instant::now() < end {
            if let Some(status) = self.child.try_wait().expect("wait") {
                return status;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        let _ = self.child.kill();
        panic!("sextant did not exit; the screen was:\n{}", self.screen());
    }
}

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

    let mut s = Session::start(repo.path(), kubectl.kubeconfig(), home.path());
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
