//! Pushing revert branches with the git CLI to real remotes: a bare repository by path, the same
//! through `git daemon`, one whose pre-receive hook refuses, one with a diverged branch, an HTTP
//! host that wants credentials, and remotes that are missing or unreachable.

mod git_common;
mod git_server;

use git_common::{TestRepo, git_in};
use git_server::{GitDaemon, Unauthorized, free_port};
use sextant::gate::{Action, Gate, Permit, Target};
use sextant::git::{GitRepo, PushError, PushStatus, RevertSpec, TransferProgress};
use std::path::{Path, PathBuf};
use std::sync::Mutex;

/// A work repo whose `main` tracks `origin` (a bare repo under `base`), and its commits.
struct World {
    work: TestRepo,
    base: tempfile::TempDir,
    shas: Vec<String>,
}

impl World {
    fn new() -> World {
        let base = tempfile::tempdir().expect("temp dir");
        git_in(base.path(), &["init", "-q", "--bare", "origin.git"], 0);
        let mut work = TestRepo::new();
        work.set_identity();
        // No credential helper from the machine's config answers for these remotes.
        work.git(&["config", "credential.helper", ""]);
        let mut shas = Vec::new();
        work.write("app.yaml", "replicas: 3\n");
        shas.push(work.commit("deploy"));
        work.write("app.yaml", "replicas: 5\n");
        shas.push(work.commit("scale up"));
        let origin = World::origin_path(&base);
        work.git(&["remote", "add", "origin", &origin.display().to_string()]);
        work.git(&["push", "-q", "-u", "origin", "main"]);
        World { work, base, shas }
    }

    fn origin_path(base: &tempfile::TempDir) -> PathBuf {
        base.path().join("origin.git")
    }

    fn origin(&self) -> PathBuf {
        World::origin_path(&self.base)
    }

    fn repo(&self) -> GitRepo {
        GitRepo::open(self.work.path()).expect("open")
    }

    /// Revert the last commit onto a new branch; returns (branch, commit).
    fn revert(&self) -> (String, String) {
        let out = self
            .repo()
            .revert(&revert_permit(&self.repo()), &RevertSpec::commit(&self.shas[1]))
            .expect("revert");
        (out.plan.branch.clone(), out.commit)
    }
}

/// The gate's permit to push to `remote` (the name push_remote resolves to).
fn permit(repo: &GitRepo, remote: Option<&str>) -> Permit {
    let target = repo.push_remote(remote).map_or_else(
        |_| Target::Remote(remote.unwrap_or("origin").to_owned()),
        |r| r.target(),
    );
    Gate::default()
        .permit(Action::Push, &target, None)
        .expect("a writable gate permits")
}

fn revert_permit(repo: &GitRepo) -> Permit {
    Gate::default()
        .permit(Action::Revert, &repo.revert_target(), None)
        .expect("a writable gate permits")
}

fn ls_remote(url: &Path, branch: &str) -> String {
    git_in(
        Path::new("/"),
        &["ls-remote", &url.display().to_string(), branch],
        0,
    )
}

#[test]
fn pushes_to_the_branch_upstream_by_path() {
    let w = World::new();
    let (branch, commit) = w.revert();
    let seen = Mutex::new(Vec::<TransferProgress>::new());
    let out = w
        .repo()
        .push_branch(&permit(&w.repo(), None), &branch, None, &|p| {
            seen.lock().expect("lock").push(p)
        })
        .expect("push");
    assert_eq!(out.status, PushStatus::Created);
    assert_eq!(out.remote.name, "origin");
    assert_eq!(out.remote.url, w.origin().display().to_string());
    assert_eq!(
        ls_remote(&w.origin(), &branch),
        format!("{commit}\trefs/heads/{branch}")
    );
    let seen = seen.into_inner().expect("lock");
    assert!(
        seen.iter()
            .any(|p| p.phase == "writing objects" && p.total.is_some()),
        "git's progress meters are reported: {seen:?}"
    );

    let again = w
        .repo()
        .push_branch(&permit(&w.repo(), None), &branch, None, &|_| {})
        .expect("push again");
    assert_eq!(again.status, PushStatus::UpToDate);
    assert_eq!(w.repo().upstream_branch("main").as_deref(), Some("main"));
}

#[test]
fn pushes_through_git_daemon() {
    let w = World::new();
    let daemon = GitDaemon::start(w.base.path());
    w.work
        .git(&["remote", "add", "served", &daemon.url("origin.git")]);
    let (branch, commit) = w.revert();
    let out = w
        .repo()
        .push_branch(
            &permit(&w.repo(), Some("served")),
            &branch,
            Some("served"),
            &|_| {},
        )
        .expect("push");
    assert_eq!(out.status, PushStatus::Created);
    assert_eq!(out.remote.url, daemon.url("origin.git"));
    let listed = git_in(
        Path::new("/"),
        &["ls-remote", &daemon.url("origin.git"), &branch],
        0,
    );
    assert_eq!(listed, format!("{commit}\trefs/heads/{branch}"));

    // A repository the daemon does not serve.
    w.work.git(&["remote", "add", "missing", &daemon.url("nope.git")]);
    let err = w
        .repo()
        .push_branch(
            &permit(&w.repo(), Some("missing")),
            &branch,
            Some("missing"),
            &|_| {},
        )
        .unwrap_err();
    assert!(matches!(err, PushError::RepoNotFound { .. }), "{err}");
}

#[test]
fn a_pre_receive_hook_that_refuses_is_named() {
    let w = World::new();
    let hook = w.origin().join("hooks/pre-receive");
    std::fs::write(
        &hook,
        "#!/bin/sh\necho 'protected branch: changes need a review' >&2\nexit 1\n",
    )
    .expect("hook");
    make_executable(&hook);
    let daemon = GitDaemon::start(w.base.path());
    let (branch, _) = w.revert();
    for remote in [w.origin().display().to_string(), daemon.url("origin.git")] {
        let err = w
            .repo()
            .push_branch(&permit(&w.repo(), Some(&remote)), &branch, Some(&remote), &|_| {})
            .unwrap_err();
        let PushError::Declined { reason, server, .. } = &err else {
            panic!("expected a refusal, got {err}");
        };
        assert_eq!(reason, "pre-receive hook declined");
        assert_eq!(server, &["protected branch: changes need a review"]);
        assert!(err.to_string().contains("protected branch"), "{err}");
    }
    assert_eq!(ls_remote(&w.origin(), &branch), "", "nothing arrived");
}

#[test]
fn a_diverged_remote_branch_is_a_non_fast_forward() {
    let w = World::new();
    let (branch, _) = w.revert();
    // Someone else pushed a different commit under the same branch name.
    let other = w.work.git(&[
        "commit-tree",
        "-p",
        &w.shas[0],
        "-m",
        "other",
        &format!("{}^{{tree}}", w.shas[0]),
    ]);
    w.work
        .git(&["push", "-q", "origin", &format!("{other}:refs/heads/{branch}")]);
    let err = w
        .repo()
        .push_branch(&permit(&w.repo(), None), &branch, None, &|_| {})
        .unwrap_err();
    assert!(matches!(err, PushError::NonFastForward { .. }), "{err}");
    assert!(err.to_string().contains("--delete"), "{err}");
    assert_eq!(
        ls_remote(&w.origin(), &branch),
        format!("{other}\trefs/heads/{branch}")
    );
}

#[test]
fn no_remote_unknown_remote_and_no_branch() {
    let mut r = TestRepo::new();
    r.set_identity();
    r.write("a.yaml", "a: 1\n");
    r.commit("one");
    r.write("a.yaml", "a: 2\n");
    let sha = r.commit("two");
    let repo = GitRepo::open(r.path()).expect("open");
    let out = repo
        .revert(&revert_permit(&repo), &RevertSpec::commit(&sha))
        .expect("revert");
    let err = repo
        .push_branch(&permit(&repo, None), out.branch(), None, &|_| {})
        .unwrap_err();
    assert!(matches!(err, PushError::NoRemote { .. }), "{err}");
    assert!(err.to_string().contains("git remote add"), "{err}");
    let err = repo
        .push_branch(
            &permit(&repo, Some("upstream")),
            out.branch(),
            Some("upstream"),
            &|_| {},
        )
        .unwrap_err();
    assert!(matches!(err, PushError::UnknownRemote { .. }), "{err}");
    let err = repo
        .push_branch(
            &permit(&repo, Some("/tmp")),
            "no/such/branch",
            Some("/tmp"),
            &|_| {},
        )
        .unwrap_err();
    assert!(matches!(err, PushError::NoSuchBranch { .. }), "{err}");
}

#[test]
fn a_detached_head_still_finds_the_default_remote() {
    let w = World::new();
    let (branch, commit) = w.revert();
    w.work.git(&["switch", "-q", "--detach", "HEAD"]);
    let out = w
        .repo()
        .push_branch(&permit(&w.repo(), None), &branch, None, &|_| {})
        .expect("push");
    assert_eq!(out.remote.name, "origin");
    assert_eq!(
        ls_remote(&w.origin(), &branch),
        format!("{commit}\trefs/heads/{branch}")
    );
}

#[test]
fn unreachable_and_unauthorized_hosts_never_prompt_nor_leak() {
    let w = World::new();
    let (branch, _) = w.revert();
    let closed = format!("git://127.0.0.1:{}/origin.git", free_port());
    let err = w
        .repo()
        .push_branch(&permit(&w.repo(), Some(&closed)), &branch, Some(&closed), &|_| {})
        .unwrap_err();
    assert!(matches!(err, PushError::Unreachable { .. }), "{err}");

    let http = Unauthorized::start();
    let plain = format!("http://127.0.0.1:{}/o/r.git", http.port);
    let err = w
        .repo()
        .push_branch(&permit(&w.repo(), Some(&plain)), &branch, Some(&plain), &|_| {})
        .unwrap_err();
    assert!(matches!(err, PushError::Auth { .. }), "{err}");

    let with_token = format!("http://bot:s3cret-token@127.0.0.1:{}/o/r.git", http.port);
    w.work.git(&["remote", "add", "tokened", &with_token]);
    for remote in [with_token.as_str(), "tokened"] {
        let err = w
            .repo()
            .push_branch(&permit(&w.repo(), Some(remote)), &branch, Some(remote), &|_| {})
            .unwrap_err();
        assert!(matches!(err, PushError::Auth { .. }), "{err}");
        let shown = format!("{err} {err:?}");
        assert!(!shown.contains("s3cret-token"), "{shown}");
        assert!(
            shown.contains(&format!("http://127.0.0.1:{}/o/r.git", http.port)),
            "{shown}"
        );
    }
    let target = w.repo().push_remote(Some("tokened")).expect("remote");
    let shown = format!("{target:?} {}", serde_json::to_string(&target).expect("json"));
    assert!(!shown.contains("s3cret-token"), "{shown}");
}

fn make_executable(path: &Path) {
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o755)).expect("chmod");
}

#[test]
fn pushing_needs_the_permit_for_that_remote() {
    let w = World::new();
    let (branch, _) = w.revert();
    let other = Gate::default()
        .permit(Action::Push, &Target::Remote("upstream".into()), None)
        .expect("permit");
    let err = w.repo().push_branch(&other, &branch, None, &|_| {}).unwrap_err();
    assert!(matches!(err, PushError::NotPermitted { .. }), "{err}");
    assert_eq!(ls_remote(&w.origin(), &branch), "", "nothing reached origin");
    let readonly = Gate::new(sextant::gate::GateRules {
        readonly: Some("--readonly".into()),
        ..Default::default()
    });
    let target = w.repo().push_remote(None).expect("remote").target();
    assert!(readonly.permit(Action::Push, &target, None).is_err());
}
