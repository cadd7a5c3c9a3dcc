//! For the `sextant revert`, `pr` and `rollback` tests: a config repo with an identity, a bare
//! origin beside it (reached by path or through `git daemon`, with a forge's URL as the
//! remote's fetch URL so the forge is read off it), the user config, and the real binary run
//! with no terminal (so `--yes` is needed), an isolated Git config and a home of its own.
#![allow(dead_code)]

use crate::git_common::git_in;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

/// A token that must never show anywhere but in the forge's request headers.
pub const TOKEN: &str = "tok_Qv93secret";

pub struct World {
    pub tmp: tempfile::TempDir,
    pub repo: PathBuf,
    /// The bare origin.
    pub origin: PathBuf,
    pub home: PathBuf,
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

impl World {
    pub fn new() -> World {
        let tmp = tempfile::tempdir().expect("temp dir");
        let repo = tmp.path().join("repo");
        let origin = tmp.path().join("origin.git");
        let home = tmp.path().join("home");
        std::fs::create_dir_all(&repo).expect("mkdir");
        git_in(tmp.path(), &["init", "-q", "--bare", "origin.git"], 0);
        let w = World {
            tmp,
            repo,
            origin,
            home,
        };
        w.git(&["init", "-q"]);
        w.git(&["config", "user.name", "Grace Hopper"]);
        w.git(&["config", "user.email", "grace@example.com"]);
        w.git(&["config", "credential.helper", ""]);
        w
    }

    pub fn git(&self, args: &[&str]) -> String {
        git_in(&self.repo, args, 1_700_000_000)
    }

    pub fn write(&self, path: &str, text: &str) {
        let p = self.repo.join(path);
        std::fs::create_dir_all(p.parent().expect("parent")).expect("mkdir");
        std::fs::write(p, text).expect("write");
    }

    /// Commit everything; returns the sha.
    pub fn commit(&self, message: &str) -> String {
        self.git(&["add", "-A"]);
        self.git(&["commit", "-q", "-m", message]);
        self.git(&["rev-parse", "HEAD"])
    }

    /// `origin` fetches from `fetch_url` (the forge's address) and pushes to `push_url`; `main`
    /// is pushed and tracks it.
    pub fn add_origin(&self, fetch_url: &str, push_url: &str) {
        self.git(&["remote", "add", "origin", fetch_url]);
        self.git(&["config", "remote.origin.pushurl", push_url]);
        self.git(&["push", "-q", "origin", "main"]);
        self.git(&["config", "branch.main.remote", "origin"]);
        self.git(&["config", "branch.main.merge", "refs/heads/main"]);
    }

    /// The origin by path.
    pub fn origin_path(&self) -> String {
        self.origin.display().to_string()
    }

    /// `config.yaml` in the binary's home.
    pub fn config(&self, yaml: &str) {
        let dir = self.home.join("config");
        std::fs::create_dir_all(&dir).expect("mkdir");
        std::fs::write(dir.join("config.yaml"), yaml).expect("write config");
    }

    /// A forge on the mock server at `port`: config.yaml names its kind and API.
    pub fn forge_config(&self, port: u16, kind: &str, api_path: &str) {
        self.config(&format!(
            "forges:\n  \"127.0.0.1:{port}\":\n    kind: {kind}\n    api: http://127.0.0.1:{port}{api_path}\n"
        ));
    }

    /// Run sextant in the repo with no terminal, plus `env`.
    pub fn sextant(&self, args: &[&str], env: &[(&str, &str)]) -> Run {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_sextant"));
        cmd.args(args)
            .current_dir(&self.repo)
            .env("SEXTANT_HOME", &self.home)
            .env("HOME", &self.home)
            .env("NO_COLOR", "1")
            .env("GIT_CONFIG_GLOBAL", "/dev/null")
            .env("GIT_CONFIG_NOSYSTEM", "1")
            .stdin(Stdio::null());
        for var in [
            "GH_TOKEN",
            "GITHUB_TOKEN",
            "GH_ENTERPRISE_TOKEN",
            "GITHUB_ENTERPRISE_TOKEN",
            "GITLAB_TOKEN",
            "GITEA_TOKEN",
            "FORGEJO_TOKEN",
            "KUBECONFIG",
        ] {
            cmd.env_remove(var);
        }
        cmd.envs(env.iter().copied());
        let out = cmd.output().expect("sextant runs");
        Run {
            code: out.status.code().unwrap_or(-1),
            stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
        }
    }

    /// The audit log the binary wrote.
    pub fn audit(&self) -> Vec<sextant::gitops::audit::AuditEntry> {
        sextant::gitops::audit::AuditLog::in_dir(&self.home.join("data"))
            .read()
            .expect("audit log reads")
            .0
    }

    /// Everything the binary wrote to its data dir (audit log, log file), as text.
    pub fn data_text(&self) -> String {
        let mut out = String::new();
        if let Ok(dir) = std::fs::read_dir(self.home.join("data")) {
            for entry in dir.flatten() {
                out.push_str(&String::from_utf8_lossy(
                    &std::fs::read(entry.path()).unwrap_or_default(),
                ));
            }
        }
        out
    }

    /// The worktree's state, the index file's bytes and HEAD: what a revert must not touch.
    pub fn untouched(&self) -> (String, Vec<u8>, String, String) {
        (
            self.git(&["status", "--porcelain=v2"]),
            std::fs::read(self.repo.join(".git/index")).expect("index"),
            std::fs::read_to_string(self.repo.join(".git/HEAD")).expect("HEAD"),
            self.git(&["rev-parse", "HEAD"]),
        )
    }

    /// Leave a modified file in the worktree and a staged change in the index.
    pub fn make_dirty(&self, modified: &str, staged: &str) {
        let m = self.repo.join(modified);
        let text = std::fs::read_to_string(&m).expect("read");
        std::fs::write(&m, format!("{text}# local edit\n")).expect("write");
        let s = self.repo.join(staged);
        let text = std::fs::read_to_string(&s).expect("read");
        std::fs::write(&s, format!("{text}# staged edit\n")).expect("write");
        self.git(&["add", staged]);
    }

    /// The tree `git revert --no-edit args` makes on a scratch clone of the repo at `at`.
    pub fn git_revert_tree(&self, at: &str, args: &[&str]) -> String {
        let scratch = self.tmp.path().join(format!("scratch-{}", &at[..7]));
        git_in(
            self.tmp.path(),
            &[
                "clone",
                "-q",
                &self.repo.display().to_string(),
                &scratch.display().to_string(),
            ],
            1_700_000_000,
        );
        git_in(&scratch, &["checkout", "-q", at], 1_700_000_000);
        let mut revert = vec!["revert", "--no-edit"];
        revert.extend_from_slice(args);
        git_in(&scratch, &revert, 1_700_000_000);
        git_in(&scratch, &["rev-parse", "HEAD^{tree}"], 1_700_000_000)
    }

    /// The tree of `rev` in the repo.
    pub fn tree(&self, rev: &str) -> String {
        self.git(&["rev-parse", &format!("{rev}^{{tree}}")])
    }

    /// `ls-remote` of `branch` on the origin (empty when it is not there).
    pub fn on_origin(&self, branch: &str) -> String {
        git_in(
            Path::new("/"),
            &["ls-remote", &self.origin_path(), &format!("refs/heads/{branch}")],
            0,
        )
    }

    /// Local branches.
    pub fn branches(&self) -> String {
        self.git(&["for-each-ref", "--format=%(refname) %(objectname)", "refs/heads"])
    }
}

/// Sandbox clusters on a runtime of their own, and a kubeconfig for them.
pub struct Clusters {
    pub sandbox: sextant::sandbox::Sandbox,
    pub rt: tokio::runtime::Runtime,
    pub kubeconfig: PathBuf,
}

impl Clusters {
    pub fn start(names: &[&str], dir: &Path) -> Clusters {
        sextant::install_crypto_provider();
        let rt = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .expect("runtime");
        let opts = sextant::sandbox::SandboxOptions {
            cluster_names: names.iter().map(|s| s.to_string()).collect(),
            port: 0,
            simulate_controllers: false,
        };
        let sandbox = rt
            .block_on(sextant::sandbox::Sandbox::start(opts))
            .expect("sandbox starts");
        let kubeconfig = dir.join("kubeconfig");
        sandbox.write_kubeconfig(&kubeconfig).expect("kubeconfig written");
        Clusters {
            sandbox,
            rt,
            kubeconfig,
        }
    }

    pub fn kubeconfig(&self) -> &str {
        self.kubeconfig.to_str().expect("utf-8 path")
    }
}

/// An app `settings`: its Namespace `team` and a ConfigMap with `mode: <mode>`.
pub const SETTINGS_APPS: &str =
    "apps:\n  - name: settings\n    path: apps/settings\n    namespace: team\n    clusters: [c1]\n";
pub const TEAM_NS: &str = "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: team\n";

pub fn settings_cm(mode: &str) -> String {
    format!("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\ndata:\n  mode: {mode}\n")
}
