//! The cockpit end to end in a PTY, shared by `tests/pty_cockpit.rs` and
//! `benches/cockpit_latency.rs`: a config repo with one app, and the real binary in a PTY
//! with a vt100 view of its screen (`session`).
#![allow(dead_code)]

pub mod session;

pub use session::Session;

use crate::git_common::TestRepo;

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
