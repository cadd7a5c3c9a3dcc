//! The demo's config repo: the scenario's history committed with the `git` CLI, one commit per
//! step, with its author and a date in the past, so the log reads like a real team's. Its
//! `origin` names the team's forge (what Argo CD and Flux deploy from) but pushes go to a bare
//! repository beside it, so a revert branch really lands somewhere and nothing leaves the demo.

use super::scenario::Step;
use color_eyre::eyre::{WrapErr, bail, eyre};
use std::path::Path;
use std::process::Command;

/// Create a repo at `dir` with every step committed on `main`, pushed to the bare repository
/// `origin` (created here) with `main` tracking it; returns the commit ids, oldest first.
pub fn build(dir: &Path, origin: &Path, history: &[Step], now: i64) -> color_eyre::Result<Vec<String>> {
    std::fs::create_dir_all(dir).wrap_err_with(|| format!("creating {}", dir.display()))?;
    git(dir, &["init", "-q", "-b", "main"], None)?;
    // Whoever runs the demo commits (a revert) as the on-call SRE, even with no git identity.
    git(dir, &["config", "user.name", "On-call SRE"], None)?;
    git(dir, &["config", "user.email", "oncall@example.com"], None)?;
    // Argo CD's and Flux's objects name this URL: Sextant matches them to this repo.
    git(dir, &["remote", "add", "origin", super::scenario::REPO_URL], None)?;
    let origin_path = origin.to_string_lossy();
    git(
        dir,
        &["remote", "set-url", "--push", "origin", &origin_path],
        None,
    )?;
    git(dir, &["init", "-q", "--bare", "-b", "main", &origin_path], None)?;
    let mut ids = Vec::with_capacity(history.len());
    for step in history {
        ids.push(commit(dir, step, now)?);
    }
    git(dir, &["push", "-q", "-u", "origin", "main"], None)?;
    Ok(ids)
}

/// Write `step`'s files into the worktree and commit them on the checked-out branch, as its
/// author at `now` less its age; returns the commit id.
pub fn commit(dir: &Path, step: &Step, now: i64) -> color_eyre::Result<String> {
    for (path, text) in step.files() {
        let file = dir.join(path);
        if let Some(parent) = file.parent() {
            std::fs::create_dir_all(parent).wrap_err_with(|| format!("creating {}", parent.display()))?;
        }
        std::fs::write(&file, text).wrap_err_with(|| format!("writing {}", file.display()))?;
    }
    git(dir, &["add", "-A"], None)?;
    git(
        dir,
        &["commit", "-q", "--allow-empty", "-m", step.message],
        Some((step.author, now - step.age_secs)),
    )?;
    git(dir, &["rev-parse", "HEAD"], None)
}

/// Whether the worktree has no changes (the live commit must not sweep up someone's edits).
pub fn is_clean(dir: &Path) -> color_eyre::Result<bool> {
    Ok(git(dir, &["status", "--porcelain"], None)?.is_empty())
}

/// Push `main` to the demo's origin, as the commit's author would after committing.
pub fn push(dir: &Path) -> color_eyre::Result<()> {
    git(dir, &["push", "-q", "origin", "main"], None).map(drop)
}

/// Run git in `dir`, isolated from the user's git config (no hooks, no signing prompts).
fn git(dir: &Path, args: &[&str], who: Option<((&str, &str), i64)>) -> color_eyre::Result<String> {
    let mut cmd = Command::new("git");
    cmd.current_dir(dir)
        .args(["-c", "commit.gpgsign=false", "-c", "core.hooksPath=/dev/null"])
        .args(args)
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .env("GIT_CONFIG_NOSYSTEM", "1");
    let ((name, email), when) = who.unwrap_or((("Sextant demo", "demo@example.com"), 0));
    let date = format!("@{when} +0000");
    for (var, value) in [
        ("GIT_AUTHOR_NAME", name),
        ("GIT_AUTHOR_EMAIL", email),
        ("GIT_COMMITTER_NAME", name),
        ("GIT_COMMITTER_EMAIL", email),
    ] {
        cmd.env(var, value);
    }
    if who.is_some() {
        cmd.env("GIT_AUTHOR_DATE", &date).env("GIT_COMMITTER_DATE", &date);
    }
    let out = cmd.output().map_err(|e| {
        if e.kind() == std::io::ErrorKind::NotFound {
            eyre!("the demo needs the `git` command to build its config repo; install git and retry")
        } else {
            eyre!("running git: {e}")
        }
    })?;
    if !out.status.success() {
        bail!(
            "git {} failed in {}: {}",
            args.join(" "),
            dir.display(),
            String::from_utf8_lossy(&out.stderr).trim()
        );
    }
    Ok(String::from_utf8_lossy(&out.stdout).trim().to_string())
}
