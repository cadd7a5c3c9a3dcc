//! Pushing a branch with the `git` CLI (gix cannot push), so the user's credential helpers, ssh
//! agent, `insteadOf` rewrites and hooks all work as in their shell. Git never prompts: no
//! terminal prompt (`GIT_TERMINAL_PROMPT=0`), ssh in batch mode unless the user configured their
//! own ssh command. Progress is read off `--progress` stderr; failures become [`PushError`]s.
//! URLs in messages and logs never carry credentials.

mod base;
mod error;
mod parse;

pub use error::PushError;

use super::remote::{is_url, redact_url};
use super::repo::GitRepo;
use super::types::TransferProgress;
use crate::gate::{Action, Permit, Target};
use gix::bstr::ByteSlice;
use gix::remote::Direction;
use serde::Serialize;
use std::io::Read;
use std::process::{Command, Stdio};

/// Where a push goes. Its Debug and Serialize forms leave out the raw URL git is given.
#[derive(Clone, PartialEq, Eq, Serialize)]
pub struct PushRemote {
    /// The remote's name (`origin`), or its URL (credentials removed) when given as a URL.
    pub name: String,
    /// The push URL, credentials removed. Forge detection reads it.
    pub url: String,
    /// The fetch URL, credentials removed (the same as `url` unless a `pushurl` is set): forge
    /// detection falls back to it when the push URL names no forge.
    pub fetch_url: String,
    /// What git is given: the name, or the URL as configured.
    #[serde(skip)]
    arg: String,
}

impl std::fmt::Debug for PushRemote {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PushRemote")
            .field("name", &self.name)
            .field("url", &self.url)
            .field("fetch_url", &self.fetch_url)
            .finish_non_exhaustive()
    }
}

impl PushRemote {
    /// Only the engine builds these; this keeps the raw URL (maybe with a token) private.
    fn new(name: String, raw_url: &str, arg: String) -> PushRemote {
        PushRemote {
            name,
            url: redact_url(raw_url),
            fetch_url: redact_url(raw_url),
            arg,
        }
    }

    fn with_fetch_url(mut self, remote: &gix::Remote<'_>) -> PushRemote {
        if let Some(url) = remote.url(Direction::Fetch) {
            self.fetch_url = redact_url(&url.to_bstring().to_str_lossy());
        }
        self
    }

    /// What the action gate is asked for before pushing here.
    pub fn target(&self) -> Target {
        Target::Remote(self.name.clone())
    }
}

/// What the push did to the remote branch.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum PushStatus {
    /// The branch is new on the remote.
    Created,
    /// The remote branch moved forward.
    Updated,
    /// The remote had this commit already.
    UpToDate,
}

/// A push that succeeded.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PushOutcome {
    pub remote: PushRemote,
    pub branch: String,
    pub status: PushStatus,
    /// What the server printed (`remote: ...`), e.g. a link to open a pull request.
    pub server: Vec<String>,
}

impl GitRepo {
    /// The remote a push goes to: `explicit` (a remote name or a URL) when given; else the
    /// checked-out branch's push remote (`branch.<b>.pushRemote`, `remote.pushDefault`,
    /// `branch.<b>.remote`); else the only remote, or `origin`.
    pub fn push_remote(&self, explicit: Option<&str>) -> Result<PushRemote, PushError> {
        let repo = self.local();
        if let Some(name) = explicit {
            return match repo.try_find_remote(name) {
                Some(Ok(remote)) => Ok(
                    PushRemote::new(name.to_owned(), &push_url(&remote), name.to_owned())
                        .with_fetch_url(&remote),
                ),
                _ if is_location(name) => Ok(PushRemote::new(redact_url(name), name, name.to_owned())),
                _ => Err(PushError::UnknownRemote {
                    name: name.to_owned(),
                }),
            };
        }
        let branch = repo
            .head_name()
            .ok()
            .flatten()
            .map(|n| n.shorten().to_str_lossy().into_owned());
        let configured = branch
            .as_deref()
            .and_then(|b| repo.branch_remote_name(b.as_bytes().as_bstr(), Direction::Push))
            .map(|n| n.as_bstr().to_str_lossy().into_owned());
        let name = configured
            .or_else(|| {
                repo.remote_default_name(Direction::Push)
                    .map(|n| n.to_str_lossy().into_owned())
            })
            .ok_or_else(|| PushError::NoRemote {
                branch: branch.clone().unwrap_or_else(|| "HEAD".into()),
            })?;
        match repo.try_find_remote(name.as_str()) {
            Some(Ok(remote)) => {
                Ok(PushRemote::new(name.clone(), &push_url(&remote), name).with_fetch_url(&remote))
            }
            _ if is_location(&name) => Ok(PushRemote::new(redact_url(&name), &name, name.clone())),
            _ => Err(PushError::UnknownRemote { name }),
        }
    }

    /// The remote branch that local `branch` tracks (`branch.<b>.merge`), as a short name: the
    /// base a pull request should target. `None` without an upstream.
    pub fn upstream_branch(&self, branch: &str) -> Option<String> {
        let repo = self.local();
        let full: gix::refs::FullName = format!("refs/heads/{branch}").try_into().ok()?;
        let merge = repo
            .branch_remote_ref_name(full.as_ref(), Direction::Fetch)?
            .ok()?;
        Some(merge.shorten().to_str_lossy().into_owned())
    }

    /// Push local `branch` to the same name on `remote` (see [`GitRepo::push_remote`]; `None`:
    /// the checked-out branch's push remote). It needs the gate's permit for [`Action::Push`] on
    /// that remote's [`PushRemote::target`]. Never forces. `progress` hears git's meters.
    pub fn push_branch(
        &self,
        permit: &Permit,
        branch: &str,
        remote: Option<&str>,
        progress: &(dyn Fn(TransferProgress) + Sync),
    ) -> Result<PushOutcome, PushError> {
        let target = self.push_remote(remote)?;
        if !permit.covers(Action::Push, &target.target()) {
            return Err(PushError::NotPermitted {
                remote: target.name.clone(),
            });
        }
        let full = format!("refs/heads/{branch}");
        let repo = self.local();
        if !matches!(repo.try_find_reference(full.as_str()), Ok(Some(_))) {
            return Err(PushError::NoSuchBranch {
                branch: branch.to_owned(),
            });
        }
        let mut cmd = Command::new("git");
        cmd.arg("--git-dir")
            .arg(self.git_dir())
            .args(["push", "--progress", "--porcelain", "--"])
            .arg(&target.arg)
            .arg(format!("{full}:{full}"))
            .env("GIT_TERMINAL_PROMPT", "0")
            .env("LC_ALL", "C")
            .env("LANGUAGE", "C")
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        if !user_configured_ssh(&repo) {
            cmd.env("GIT_SSH_COMMAND", "ssh -o BatchMode=yes");
        }
        tracing::info!(remote = %target.url, branch, "pushing");
        let run = run(cmd, progress).map_err(|e| PushError::GitMissing {
            message: e.to_string(),
        })?;
        let status = parse::ref_status(&run.stdout, &full);
        let server = parse::server_lines(&run.stderr);
        let refused = status.as_ref().is_some_and(|s| s.flag == '!');
        if !run.success || refused {
            let err = parse::failure(
                &parse::Target {
                    remote: &target.name,
                    url: &target.url,
                    branch,
                },
                status.as_ref(),
                &run.stderr,
            );
            tracing::warn!(remote = %target.url, branch, "push failed: {err}");
            return Err(err);
        }
        let status = match status.map(|s| s.flag) {
            Some('=') => PushStatus::UpToDate,
            Some('*') => PushStatus::Created,
            _ => PushStatus::Updated,
        };
        tracing::info!(remote = %target.url, branch, ?status, "pushed");
        Ok(PushOutcome {
            remote: target,
            branch: branch.to_owned(),
            status,
            server,
        })
    }
}

/// A URL or a local repository path, which git takes in place of a remote name.
fn is_location(spec: &str) -> bool {
    is_url(spec) || std::path::Path::new(spec).exists()
}

/// The URL a remote pushes to (its `pushurl`, else its `url`), as configured.
fn push_url(remote: &gix::Remote<'_>) -> String {
    remote
        .url(Direction::Push)
        .map(|u| u.to_bstring().to_str_lossy().into_owned())
        .unwrap_or_default()
}

/// The user chose how ssh runs (`GIT_SSH_COMMAND`, `GIT_SSH`, `core.sshCommand`): leave it be.
fn user_configured_ssh(repo: &gix::Repository) -> bool {
    std::env::var_os("GIT_SSH_COMMAND").is_some()
        || std::env::var_os("GIT_SSH").is_some()
        || repo.config_snapshot().string("core.sshCommand").is_some()
}

struct Run {
    success: bool,
    stdout: String,
    /// Every stderr line, progress redraws included.
    stderr: Vec<String>,
}

/// Run git, reporting progress lines as they come and keeping the rest.
fn run(mut cmd: Command, progress: &(dyn Fn(TransferProgress) + Sync)) -> std::io::Result<Run> {
    let mut child = cmd.spawn()?;
    let no_pipe = || std::io::Error::other("git's output could not be read");
    let mut stdout_pipe = child.stdout.take().ok_or_else(no_pipe)?;
    let mut stderr_pipe = child.stderr.take().ok_or_else(no_pipe)?;
    let stdout_reader = std::thread::spawn(move || {
        let mut text = String::new();
        let _ = stdout_pipe.read_to_string(&mut text);
        text
    });
    let mut splitter = parse::LineSplitter::default();
    let mut stderr = Vec::new();
    let mut buf = [0u8; 4096];
    loop {
        let n = match stderr_pipe.read(&mut buf) {
            Ok(0) => break,
            Ok(n) => n,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(_) => break,
        };
        for line in splitter.feed(&buf[..n]) {
            if let Some(p) = parse::progress_line(&line) {
                progress(p);
            }
            stderr.push(line);
        }
    }
    stderr.extend(splitter.finish());
    let status = child.wait()?;
    let stdout = stdout_reader.join().unwrap_or_default();
    Ok(Run {
        success: status.success(),
        stdout,
        stderr,
    })
}
