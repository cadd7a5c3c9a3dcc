//! Shared by the engine end-to-end tests and `benches/drift.rs`: an in-process sandbox, a
//! temp Git repo, and the real `kubectl` and `sextant` binaries pointed at them.
#![allow(dead_code)]

use sextant::sandbox::{Sandbox, SandboxOptions};
use std::path::{Path, PathBuf};
use std::process::Output;

/// The sample repos, copied into `tests/fixtures/repos`.
pub fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/repos/argocd-example-apps")
}

/// A ConfigMap `settings` with `data.mode: fast`.
pub const SETTINGS_CM: &str =
    "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\ndata:\n  mode: fast\n";

/// A sandbox, a repo and a home, all under one temp dir.
pub struct Env {
    pub sandbox: Sandbox,
    pub tmp: tempfile::TempDir,
    pub kubeconfig: PathBuf,
    pub repo: PathBuf,
}

/// Whether kubectl is installed (tests print a visible skip line when it is not).
pub fn have_kubectl() -> bool {
    sextant::gitops::render_tools::find_on_path("kubectl").is_some()
}

impl Env {
    pub async fn start(clusters: &[&str]) -> Env {
        sextant::install_crypto_provider();
        let opts = SandboxOptions {
            cluster_names: clusters.iter().map(|c| c.to_string()).collect(),
            port: 0,
            simulate_controllers: false,
        };
        let sandbox = Sandbox::start(opts).await.expect("sandbox starts");
        let tmp = tempfile::tempdir().expect("temp dir");
        let kubeconfig = tmp.path().join("kubeconfig");
        sandbox.write_kubeconfig(&kubeconfig).expect("kubeconfig written");
        let repo = tmp.path().join("repo");
        std::fs::create_dir_all(&repo).expect("repo dir");
        git(&repo, &["init", "-q"]);
        Env {
            sandbox,
            tmp,
            kubeconfig,
            repo,
        }
    }

    /// The engine config for this repo (at HEAD) and kubeconfig, dry-runs on.
    pub fn engine_config(&self, follow: bool) -> sextant::gitops::engine::EngineConfig {
        sextant::gitops::engine::EngineConfig {
            gate: Default::default(),
            audit: Some(self.audit_log()),
            desired: sextant::gitops::engine::DesiredRequest {
                repo: self.repo.clone(),
                revision: "HEAD".into(),
                user: Default::default(),
                only_app: None,
                only_cluster: None,
                contexts: Vec::new(),
            },
            kubeconfig: Some(self.kubeconfig.clone()),
            dry_run: true,
            follow,
        }
    }

    /// The audit log the engine writes in this environment.
    pub fn audit_log(&self) -> sextant::gitops::audit::AuditLog {
        sextant::gitops::audit::AuditLog::in_dir(&self.tmp.path().join("data"))
    }

    /// `kubectl --kubeconfig K --cache-dir D --context CTX args...`
    pub async fn kubectl(&self, context: &str, args: &[&str]) -> Output {
        let cache = self.tmp.path().join("kube-cache");
        tokio::process::Command::new("kubectl")
            .arg("--kubeconfig")
            .arg(&self.kubeconfig)
            .arg("--cache-dir")
            .arg(&cache)
            .arg("--context")
            .arg(context)
            .args(args)
            .current_dir(&self.repo)
            .output()
            .await
            .expect("kubectl runs")
    }

    /// Like [`Env::kubectl`], failing the test when kubectl fails.
    pub async fn kubectl_ok(&self, context: &str, args: &[&str]) -> String {
        let out = self.kubectl(context, args).await;
        assert!(
            out.status.success(),
            "kubectl {args:?} failed: {}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8_lossy(&out.stdout).into_owned()
    }

    /// The one-ConfigMap app `settings` (namespace `team`, `mode: fast`) committed for
    /// `clusters` (a YAML list such as `[c1, dead]`) and applied to `on`, so it starts Synced.
    pub async fn deploy_settings(&self, clusters: &str, on: &str) {
        self.write("apps/settings/cm.yaml", SETTINGS_CM);
        self.write(
            "sextant.yaml",
            &format!(
                "apps:\n  - name: settings\n    path: apps/settings\n    namespace: team\n    clusters: {clusters}\n"
            ),
        );
        self.commit("settings");
        self.kubectl_ok(on, &["create", "namespace", "team"]).await;
        self.kubectl_ok(
            on,
            &["apply", "--server-side", "-n", "team", "-f", "apps/settings"],
        )
        .await;
    }

    /// Edit `settings` out of band with `kubectl patch` (`mode: slow`), as `kubectl-patch`.
    pub async fn edit_settings(&self, on: &str) {
        let patch = r#"{"data":{"mode":"slow"}}"#;
        let args = ["-n", "team", "patch", "configmap", "settings", "-p", patch];
        self.kubectl_ok(on, &args).await;
    }

    /// The real `sextant` binary on this repo and kubeconfig, without colour.
    pub async fn sextant(&self, args: &[&str]) -> Run {
        let kubeconfig = self.kubeconfig.display().to_string();
        self.sextant_with(&[&["--kubeconfig", &kubeconfig], args].concat(), &[])
            .await
    }

    /// Run sextant with extra environment and no `--kubeconfig` (set `KUBECONFIG` in `env`).
    pub async fn sextant_with(&self, args: &[&str], env: &[(&str, &str)]) -> Run {
        let out = tokio::process::Command::new(env!("CARGO_BIN_EXE_sextant"))
            .arg("--repo")
            .arg(&self.repo)
            .args(args)
            .env("SEXTANT_HOME", self.tmp.path().join("home"))
            .env("NO_COLOR", "1")
            .envs(env.iter().copied())
            .output()
            .await
            .expect("sextant runs");
        Run {
            code: out.status.code().unwrap_or(-1),
            stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
        }
    }

    /// Copy a fixture app directory into the repo at `dest`.
    pub fn copy_fixture(&self, fixture: &str, dest: &str) {
        copy_dir(&fixtures().join(fixture), &self.repo.join(dest));
    }

    pub fn write(&self, path: &str, text: &str) {
        let p = self.repo.join(path);
        std::fs::create_dir_all(p.parent().expect("parent")).expect("mkdir");
        std::fs::write(p, text).expect("write");
    }

    pub fn commit(&self, message: &str) {
        git(&self.repo, &["add", "-A"]);
        git(&self.repo, &["commit", "-qm", message]);
    }
}

/// Adds a context `dead` whose server is not listening to the sandbox kubeconfig.
pub fn add_dead_context(env: &Env) {
    let text = std::fs::read_to_string(&env.kubeconfig).expect("kubeconfig");
    let mut kc: serde_json::Value = sextant::yaml::from_str(&text).expect("kubeconfig yaml");
    kc["clusters"]
        .as_array_mut()
        .expect("clusters")
        .push(serde_json::json!(
        {"name": "dead", "cluster": {"server": "http://127.0.0.1:9"}}));
    kc["contexts"]
        .as_array_mut()
        .expect("contexts")
        .push(serde_json::json!(
        {"name": "dead", "context": {"cluster": "dead", "user": "dead"}}));
    kc["users"]
        .as_array_mut()
        .expect("users")
        .push(serde_json::json!({"name": "dead", "user": {"token": "x"}}));
    std::fs::write(&env.kubeconfig, sextant::yaml::to_string(&kc).expect("yaml")).expect("write");
}

/// The result of running sextant.
#[derive(Debug)]
pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl Run {
    pub fn all(&self) -> String {
        format!("{}\n{}", self.stdout, self.stderr)
    }
}

#[path = "../git_common/mod.rs"]
mod git_common;

/// Run git in `dir` with a fixed identity, isolated from the user's config.
pub fn git(dir: &Path, args: &[&str]) {
    git_common::git_in(dir, args, 1_700_000_000);
}

/// A kube-rs client for one context of the sandbox kubeconfig.
pub async fn client(env: &Env, context: &str) -> kube::Client {
    let kc = kube::config::Kubeconfig::read_from(&env.kubeconfig).expect("kubeconfig");
    let opts = kube::config::KubeConfigOptions {
        context: Some(context.into()),
        ..Default::default()
    };
    let config = kube::Config::from_custom_kubeconfig(kc, &opts)
        .await
        .expect("config");
    kube::Client::try_from(config).expect("client")
}

pub fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).expect("mkdir");
    for entry in std::fs::read_dir(from).expect("read fixture dir") {
        let entry = entry.expect("entry");
        let target = to.join(entry.file_name());
        if entry.file_type().expect("type").is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).expect("copy");
        }
    }
}

/// Current resident set size of this process in bytes (Linux).
pub fn rss_bytes() -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmRSS:"))
        .and_then(|v| v.split_whitespace().next())
        .and_then(|kb| kb.parse::<u64>().ok())
        .map(|kb| kb * 1024)
        .unwrap_or(0)
}
