//! The cockpit end to end in a PTY, shared by `tests/pty_cockpit.rs` and
//! `benches/cockpit_latency.rs`: a config repo with one app, and the real binary in a PTY
//! with a vt100 view of its screen.
#![allow(dead_code)]

use crate::git_common::TestRepo;
use portable_pty::{CommandBuilder, PtySize, native_pty_system};
use std::io::{Read, Write};
use std::path::Path;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

pub const DEADLINE: Duration = Duration::from_secs(60);
pub const ROWS: u16 = 40;
pub const COLS: u16 = 140;

pub const APPS: &str =
    "apps:\n  - name: guestbook\n    path: apps/guestbook\n    namespace: guestbook\n    clusters: [prod]\n";
pub const NAMESPACE: &str = "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: guestbook\n";
pub const DEPLOY: &str = "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\n  namespace: guestbook\nspec:\n  replicas: 3\n  selector:\n    matchLabels:\n      app: web\n  template:\n    metadata:\n      labels:\n        app: web\n    spec:\n      containers:\n        - name: web\n          image: nginx:1.27\n";

/// The config repo: one app, its namespace and a Deployment with 3 replicas.
pub fn make_repo() -> TestRepo {
    let mut repo = TestRepo::new();
    repo.write("sextant.yaml", APPS);
    repo.write("apps/guestbook/namespace.yaml", NAMESPACE);
    repo.write("apps/guestbook/deploy.yaml", DEPLOY);
    repo.commit("guestbook with 3 replicas");
    repo
}

pub struct Session {
    child: Box<dyn portable_pty::Child + Send + Sync>,
    writer: Box<dyn Write + Send>,
    raw: Arc<Mutex<Vec<u8>>>,
}

impl Session {
    pub fn start(bin: &str, repo: &Path, kubeconfig: &Path, home: &Path) -> Session {
        let args = [
            "--repo",
            repo.to_str().expect("utf-8 path"),
            "--kubeconfig",
            kubeconfig.to_str().expect("utf-8 path"),
        ];
        Session::spawn(bin, &args, repo, home, &[])
    }

    /// `bin args...` in `cwd` with `SEXTANT_HOME` and `HOME` at `home`, plus `env`.
    pub fn spawn(bin: &str, args: &[&str], cwd: &Path, home: &Path, env: &[(&str, &Path)]) -> Session {
        let pair = native_pty_system()
            .openpty(PtySize {
                rows: ROWS,
                cols: COLS,
                pixel_width: 0,
                pixel_height: 0,
            })
            .expect("pty");
        let mut cmd = CommandBuilder::new(bin);
        cmd.args(args);
        cmd.cwd(cwd);
        for (k, v) in env {
            cmd.env(k, v);
        }
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

    pub fn screen(&self) -> String {
        let mut parser = vt100::Parser::new(ROWS, COLS, 0);
        parser.process(&self.raw.lock().expect("lock"));
        parser.screen().contents()
    }

    /// Whether every needle is on one line of the screen.
    pub fn has_line(&self, needles: &[&str]) -> bool {
        self.screen()
            .lines()
            .any(|l| needles.iter().all(|n| l.contains(n)))
    }

    /// Wait until every needle is on one line, polling every `poll`.
    pub fn wait_line_every(&self, needles: &[&str], poll: Duration) {
        let end = Instant::now() + DEADLINE;
        while Instant::now() < end {
            if self.has_line(needles) {
                return;
            }
            std::thread::sleep(poll);
        }
        panic!("no line with {needles:?}; the screen was:\n{}", self.screen());
    }

    /// Wait until every needle is on one line of the screen.
    pub fn wait_line(&self, needles: &[&str]) {
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

    pub fn send(&mut self, keys: &str) {
        self.writer.write_all(keys.as_bytes()).expect("write keys");
        self.writer.flush().expect("flush");
    }

    pub fn wait_exit(&mut self) -> portable_pty::ExitStatus {
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

/// A sandbox cluster `prod` on its own runtime, kubectl pointed at it, and `repo`'s guestbook
/// app applied to it with server-side apply (as `manager`, when given).
pub struct Cluster {
    pub rt: tokio::runtime::Runtime,
    pub sandbox: sextant::sandbox::Sandbox,
    pub kubectl: crate::common::sandbox::Kubectl,
}

impl Cluster {
    /// `None` (after a visible SKIP line) when kubectl is not installed.
    pub fn with_app(repo: &TestRepo, manager: Option<&str>) -> Option<Cluster> {
        let rt = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .expect("runtime");
        let sandbox = rt.block_on(crate::common::sandbox::start(&["prod"], true));
        let kubectl = crate::common::sandbox::Kubectl::new(&sandbox)?;
        let manifests = repo.path().join("apps/guestbook");
        // The namespace first: kubectl applies a directory in file-name order.
        for file in ["namespace.yaml", "deploy.yaml"] {
            let path = manifests.join(file);
            let path = path.to_str().expect("utf-8 path");
            let mut args = vec!["apply", "--server-side", "-f", path];
            let flag = manager.map(|m| format!("--field-manager={m}"));
            args.extend(flag.as_deref());
            rt.block_on(kubectl.ok(&args, None));
        }
        Some(Cluster { rt, sandbox, kubectl })
    }

    /// kubectl on the cluster, failing the test when it fails.
    pub fn kubectl(&self, args: &[&str]) -> String {
        self.rt.block_on(self.kubectl.ok(args, None))
    }
}
