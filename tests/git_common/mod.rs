//! Real Git repositories for tests, made with the `git` CLI in temp dirs.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::Command;

/// A repository in a temp dir, with deterministic authors and dates.
pub struct TestRepo {
    pub dir: tempfile::TempDir,
    clock: i64,
}

/// Run git in `dir` with a fixed identity and config isolated from the user's.
pub fn git_in(dir: &Path, args: &[&str], date: i64) -> String {
    let out = Command::new("git")
        .current_dir(dir)
        .args([
            "-c",
            "init.defaultBranch=main",
            "-c",
            "commit.gpgsign=false",
            "-c",
            "protocol.file.allow=always",
        ])
        .args(args)
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("GIT_AUTHOR_NAME", "Ada Lovelace")
        .env("GIT_AUTHOR_EMAIL", "ada@example.com")
        .env("GIT_COMMITTER_NAME", "Ada Lovelace")
        .env("GIT_COMMITTER_EMAIL", "ada@example.com")
        .env("GIT_AUTHOR_DATE", format!("{date} +0000"))
        .env("GIT_COMMITTER_DATE", format!("{date} +0000"))
        .output()
        .expect("git runs");
    assert!(
        out.status.success(),
        "git {args:?} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).trim().to_owned()
}

impl TestRepo {
    pub fn new() -> TestRepo {
        let dir = tempfile::tempdir().expect("temp dir");
        let repo = TestRepo {
            dir,
            clock: 1_700_000_000,
        };
        repo.git(&["init", "-q"]);
        repo
    }

    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    pub fn url(&self) -> String {
        format!("file://{}", self.path().display())
    }

    pub fn git(&self, args: &[&str]) -> String {
        git_in(self.path(), args, self.clock)
    }

    pub fn write(&self, path: &str, content: impl AsRef<[u8]>) {
        let full = self.path().join(path);
        std::fs::create_dir_all(full.parent().expect("parent")).expect("mkdir");
        std::fs::write(full, content).expect("write");
    }

    /// Stage everything and commit, one minute after the previous commit. Returns the sha.
    pub fn commit(&mut self, message: &str) -> String {
        self.clock += 60;
        self.git(&["add", "-A"]);
        self.git(&["commit", "-q", "--allow-empty", "-m", message]);
        self.git(&["rev-parse", "HEAD"])
    }

    /// Commit as someone else.
    pub fn commit_as(&mut self, message: &str, name: &str, email: &str) -> String {
        self.clock += 60;
        self.git(&["add", "-A"]);
        let author = format!("{name} <{email}>");
        self.git(&[
            "commit",
            "-q",
            "--allow-empty",
            "--author",
            &author,
            "-m",
            message,
        ]);
        self.git(&["rev-parse", "HEAD"])
    }

    /// Advance the clock (for merges made with `git` directly).
    pub fn tick(&mut self) {
        self.clock += 60;
    }

    /// Name a committer in the repository's own config, as the engine reads it (gix reads the
    /// repo's config, not the isolated environment these helpers give the git CLI).
    pub fn set_identity(&self) {
        self.git(&["config", "user.name", "Grace Hopper"]);
        self.git(&["config", "user.email", "grace@example.com"]);
    }

    /// The loose object file of `sha`.
    pub fn loose_object(&self, sha: &str) -> PathBuf {
        self.path().join(".git/objects").join(&sha[..2]).join(&sha[2..])
    }
}
