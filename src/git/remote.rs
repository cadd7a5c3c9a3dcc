//! Repositories given by URL: cloned (bare) into `<cache>/repos/<sanitised-url>` on first use and
//! fetched again on later starts. Local branches in the cache mirror the remote's, so HEAD and
//! every branch move when a fetch brings new commits. Credentials in a URL never reach a path
//! or a message.

use super::error::{GitError, Result};
use super::progress::{Tracker, with_progress};
use super::repo::GitRepo;
use super::types::TransferProgress;
use crate::logging::Dirs;
use gix::remote::Direction;
use std::path::{Path, PathBuf};
use std::sync::atomic::AtomicBool;

/// Mirror the remote's branches as local branches: the cache is a read-only copy.
const MIRROR_REFSPEC: &str = "+refs/heads/*:refs/heads/*";

/// Whether `spec` names a remote repository rather than a local path.
pub fn is_url(spec: &str) -> bool {
    if spec.contains("://") {
        return true;
    }
    // scp-like `user@host:path` or `host:path`, as git accepts (not a Windows drive `C:\`).
    match spec.split_once(':') {
        Some((host, _)) => {
            !host.is_empty() && host.len() > 1 && !host.contains('/') && !Path::new(spec).exists()
        }
        None => false,
    }
}

/// The URL without a `user:password@` part, for messages and paths.
pub fn redact_url(url: &str) -> String {
    match url.split_once("://") {
        Some((scheme, rest)) => {
            let (authority, path) = rest.split_once('/').map_or((rest, ""), |(a, p)| (a, p));
            let host = authority.rsplit_once('@').map_or(authority, |(_, h)| h);
            if path.is_empty() {
                format!("{scheme}://{host}")
            } else {
                format!("{scheme}://{host}/{path}")
            }
        }
        None => url.to_owned(),
    }
}

/// `text` with the `user:password@` part of every URL in it removed, wherever the URL stands
/// (quoted, in parentheses, mid-sentence): for messages and logs quoting git or a server.
pub fn redact_urls_in(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find("://") {
        let authority_start = at + 3;
        out.push_str(&rest[..authority_start]);
        let tail = &rest[authority_start..];
        let end = tail
            .find(|c: char| c == '/' || c.is_whitespace() || "'\"<>()[]{}`,".contains(c))
            .unwrap_or(tail.len());
        let authority = &tail[..end];
        out.push_str(authority.rsplit_once('@').map_or(authority, |(_, host)| host));
        rest = &tail[end..];
    }
    out.push_str(rest);
    out
}

/// Where the clone of `url` lives: `<cache>/repos/<url with every non-alphanumeric run as one '-'>`.
pub fn cache_path(dirs: &Dirs, url: &str) -> PathBuf {
    let clean = redact_url(url);
    let mut name = String::with_capacity(clean.len());
    for c in clean.trim_end_matches('/').trim_end_matches(".git").chars() {
        if c.is_ascii_alphanumeric() || c == '.' || c == '_' {
            name.push(c);
        } else if !name.ends_with('-') {
            name.push('-');
        }
    }
    dirs.cache.join("repos").join(name.trim_matches(['-', '.']))
}

/// Open `spec`: a URL is cloned into the cache (or fetched when already there); a path is
/// discovered upward. `progress` hears about the transfer.
pub fn open_spec(spec: &str, dirs: &Dirs, progress: &(dyn Fn(TransferProgress) + Sync)) -> Result<GitRepo> {
    if is_url(spec) {
        clone_or_fetch(spec, &cache_path(dirs, spec), progress)
    } else {
        GitRepo::discover(Path::new(spec))
    }
}

/// Clone `url` into `dest` (bare), or fetch into it when a clone is already there. When that
/// fetch fails, the cached clone still opens, marked [`GitRepo::stale`]: during an incident an
/// old history beats none.
pub fn clone_or_fetch(
    url: &str,
    dest: &Path,
    progress: &(dyn Fn(TransferProgress) + Sync),
) -> Result<GitRepo> {
    if dest.join("HEAD").exists() {
        let repo = GitRepo::open(dest)?.with_url(url.to_owned());
        return Ok(match repo.fetch(progress) {
            Ok(()) => repo,
            Err(err) => {
                tracing::warn!(url = %redact_url(url), "fetch failed, using the cached clone: {err}");
                repo.with_stale(err.to_string())
            }
        });
    }
    let shown = redact_url(url);
    if let Some(parent) = dest.parent() {
        std::fs::create_dir_all(parent).map_err(|e| GitError::Other {
            context: format!("creating the cache dir {}", parent.display()),
            message: e.to_string(),
        })?;
    }
    let interrupt = AtomicBool::new(false);
    let unreachable = |e: gix::Error| GitError::Unreachable {
        url: shown.clone(),
        message: one_line(&e),
    };
    with_progress("cloning", progress, |tracker: Tracker| {
        let mut prepare = gix::prepare_clone_bare(url, dest)
            .map_err(unreachable)?
            .configure_remote(|remote| remote.with_refspecs([MIRROR_REFSPEC], Direction::Fetch));
        prepare.fetch_only(tracker, &interrupt).map_err(unreachable)?;
        Ok::<_, GitError>(())
    })?;
    tracing::info!(url = %shown, dest = %dest.display(), "cloned");
    Ok(GitRepo::open(dest)?.with_url(url.to_owned()))
}

impl GitRepo {
    /// Fetch from the default remote (`origin`), updating the mirrored branches.
    pub fn fetch(&self, progress: &(dyn Fn(TransferProgress) + Sync)) -> Result<()> {
        let repo = self.local();
        let shown = self.url().map(redact_url).unwrap_or_else(|| "origin".into());
        let remote = repo
            .find_default_remote(Direction::Fetch)
            .ok_or_else(|| GitError::Fetch {
                url: shown.clone(),
                message: "no remote is configured".into(),
            })?
            .map_err(|e| GitError::Fetch {
                url: shown.clone(),
                message: one_line(&e),
            })?;
        let interrupt = AtomicBool::new(false);
        with_progress("fetching", progress, |mut tracker: Tracker| {
            let connection = remote
                .connect(Direction::Fetch)
                .map_err(|e| GitError::Unreachable {
                    url: shown.clone(),
                    message: one_line(&e),
                })?;
            use gix::NestedProgress;
            let prepare = connection
                .prepare_fetch(tracker.add_child("negotiating"), Default::default())
                .map_err(|e| GitError::Unreachable {
                    url: shown.clone(),
                    message: one_line(&e),
                })?;
            prepare
                .receive(tracker, &interrupt)
                .map_err(|e| GitError::Fetch {
                    url: shown.clone(),
                    message: one_line(&e),
                })?;
            Ok::<_, GitError>(())
        })?;
        tracing::info!(url = %shown, "fetched");
        Ok(())
    }
}

/// A gix error chain on one line, with any credentials in URLs it quotes removed.
fn one_line(err: &gix::Error) -> String {
    redact_urls_in(&super::error::describe(err))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_and_paths() {
        assert!(is_url("https://github.com/a/b.git"));
        assert!(is_url("file:///tmp/x"));
        assert!(is_url("git@github.com:a/b.git"));
        assert!(!is_url("./repo"));
        assert!(!is_url("/tmp/repo"));
    }

    #[test]
    fn credentials_never_reach_messages() {
        assert_eq!(
            redact_urls_in(
                "fatal: unable to access 'https://x-access-token:ghp_abc@github.com/o/r.git/': 403"
            ),
            "fatal: unable to access 'https://github.com/o/r.git/': 403"
        );
        assert_eq!(
            redact_urls_in("see (http://u:p@h:8080) and ssh://git@h:2222/x, done"),
            "see (http://h:8080) and ssh://h:2222/x, done"
        );
        assert_eq!(redact_urls_in("no urls here"), "no urls here");
    }

    #[test]
    fn credentials_never_reach_paths() {
        assert_eq!(
            redact_url("https://me:s3cret@host.example/a/b.git"),
            "https://host.example/a/b.git"
        );
        let dirs = Dirs {
            config: "/c".into(),
            data: "/d".into(),
            cache: "/cache".into(),
        };
        let p = cache_path(&dirs, "https://me:s3cret@host.example/a/b.git");
        assert_eq!(p, PathBuf::from("/cache/repos/https-host.example-a-b"));
    }
}
