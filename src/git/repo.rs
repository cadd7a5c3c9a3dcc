//! Opening a repository and reading its refs: HEAD, branches, revspecs.
//! [`GitRepo`] is cheap to clone and `Send + Sync`; every call is blocking, so async callers
//! run it in `tokio::task::spawn_blocking`.

use super::error::{GitError, Result};
use super::types::{BranchInfo, HeadState, RepoSummary};
use gix::bstr::ByteSlice;
use std::path::{Path, PathBuf};

/// An open repository. Holds a `gix::ThreadSafeRepository`; each call works on a thread-local handle.
#[derive(Clone)]
pub struct GitRepo {
    inner: gix::ThreadSafeRepository,
    url: Option<String>,
    /// Why the cached clone may be stale: the fetch at open failed.
    stale: Option<String>,
}

impl std::fmt::Debug for GitRepo {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("GitRepo")
            .field("git_dir", &self.inner.git_dir())
            .field("url", &self.url)
            .finish()
    }
}

impl GitRepo {
    /// Open the repository holding `path`, searching upward like `git` does.
    pub fn discover(path: &Path) -> Result<GitRepo> {
        if !path.exists() {
            return Err(GitError::Open {
                path: path.to_path_buf(),
                message: "no such directory".into(),
            });
        }
        match gix::ThreadSafeRepository::discover(path) {
            Ok(inner) => Ok(GitRepo {
                inner,
                url: None,
                stale: None,
            }),
            Err(err) => {
                let message = super::error::describe(&err);
                if message.contains("Could not find") || message.contains("NoGitRepository") {
                    Err(GitError::NotARepository {
                        path: path.to_path_buf(),
                    })
                } else {
                    Err(GitError::Open {
                        path: path.to_path_buf(),
                        message,
                    })
                }
            }
        }
    }

    /// Open exactly the repository at `path` (a work tree or a `.git`/bare dir), without searching upward.
    pub fn open(path: &Path) -> Result<GitRepo> {
        gix::ThreadSafeRepository::open(path)
            .map(|inner| GitRepo {
                inner,
                url: None,
                stale: None,
            })
            .map_err(|err| {
                let message = super::error::describe(&err);
                if path.exists() && !path.join("HEAD").exists() && !path.join(".git").exists() {
                    GitError::NotARepository {
                        path: path.to_path_buf(),
                    }
                } else {
                    GitError::Open {
                        path: path.to_path_buf(),
                        message,
                    }
                }
            })
    }

    pub(crate) fn with_url(mut self, url: String) -> GitRepo {
        self.url = Some(url);
        self
    }

    pub(crate) fn with_stale(mut self, why: String) -> GitRepo {
        self.stale = Some(why);
        self
    }

    /// Set when a cached clone was opened but fetching it failed (offline, remote gone): the
    /// history shown may be old. Say so wherever the repo is shown.
    pub fn stale(&self) -> Option<&str> {
        self.stale.as_deref()
    }

    /// A thread-local handle with a small object cache (log pages re-read parents they just saw).
    pub(crate) fn local(&self) -> gix::Repository {
        let mut repo = self.inner.to_thread_local();
        repo.object_cache_size_if_unset(4 << 20);
        repo
    }

    /// The `.git` dir, or the repository dir when bare.
    pub fn git_dir(&self) -> &Path {
        self.inner.git_dir()
    }

    pub fn work_dir(&self) -> Option<&Path> {
        self.inner.work_dir()
    }

    /// The URL this repo was cloned from when opened through the cache.
    pub fn url(&self) -> Option<&str> {
        self.url.as_deref()
    }

    /// What names this repo in messages: the URL, else the work tree, else the git dir.
    pub fn display_name(&self) -> String {
        match (&self.url, self.work_dir()) {
            (Some(url), _) => url.clone(),
            (None, Some(dir)) => dir.display().to_string(),
            (None, None) => self.git_dir().display().to_string(),
        }
    }

    fn location(&self) -> PathBuf {
        self.work_dir().unwrap_or(self.git_dir()).to_path_buf()
    }

    /// Where HEAD points.
    pub fn head(&self) -> Result<HeadState> {
        let repo = self.local();
        let head = repo.head().map_err(|e| GitError::from_gix("reading HEAD", &e))?;
        let short_name = |n: &gix::refs::FullNameRef| n.shorten().to_str_lossy().into_owned();
        Ok(match &head.kind {
            gix::head::Kind::Unborn(name) => HeadState::Unborn {
                name: short_name(name.as_ref()),
            },
            gix::head::Kind::Detached { target, peeled } => HeadState::Detached {
                sha: peeled.unwrap_or(*target).to_string(),
            },
            gix::head::Kind::Symbolic(r) => {
                let name = short_name(r.name.as_ref());
                let mut reference = head.clone().try_into_referent().ok_or_else(|| GitError::Other {
                    context: "reading HEAD".into(),
                    message: format!("HEAD names {name} but it cannot be read"),
                })?;
                let id = reference
                    .peel_to_id()
                    .map_err(|e| GitError::from_gix(format!("resolving {name}"), &e))?;
                HeadState::Branch {
                    name,
                    sha: id.to_string(),
                }
            }
        })
    }

    /// Whether HEAD has no commit (a freshly initialised repository).
    pub fn is_empty(&self) -> Result<bool> {
        Ok(matches!(self.head()?, HeadState::Unborn { .. }))
    }

    /// A shallow clone (`git clone --depth`): history stops at the shallow boundary.
    pub fn is_shallow(&self) -> bool {
        self.local().is_shallow().unwrap_or(false)
    }

    /// The summary the Repos pane shows.
    pub fn summary(&self) -> Result<RepoSummary> {
        let head = self.head()?;
        let name = match (&self.url, self.work_dir()) {
            (Some(url), _) => url
                .trim_end_matches('/')
                .trim_end_matches(".git")
                .rsplit(['/', ':'])
                .next(),
            (None, Some(dir)) => dir.file_name().and_then(|n| n.to_str()),
            (None, None) => self.git_dir().file_name().and_then(|n| n.to_str()),
        }
        .unwrap_or("repo")
        .to_owned();
        Ok(RepoSummary {
            name,
            git_dir: self.git_dir().display().to_string(),
            work_dir: self.work_dir().map(|d| d.display().to_string()),
            url: self.url.clone(),
            is_empty: matches!(head, HeadState::Unborn { .. }),
            head,
            is_shallow: self.is_shallow(),
        })
    }

    /// Local branches, then remote-tracking branches, each sorted by name.
    pub fn branches(&self) -> Result<Vec<BranchInfo>> {
        let repo = self.local();
        let head_ref = repo.head_name().ok().flatten();
        let refs = repo
            .references()
            .map_err(|e| GitError::from_gix("listing branches", &e))?;
        let mut out = Vec::new();
        for (is_remote, iter) in [(false, refs.local_branches()), (true, refs.remote_branches())] {
            let iter = iter.map_err(|e| GitError::from_gix("listing branches", &e))?;
            for reference in iter {
                let mut reference = reference.map_err(|e| GitError::from_gix("listing branches", &e))?;
                let full_name = reference.name().as_bstr().to_str_lossy().into_owned();
                if is_remote && full_name.ends_with("/HEAD") {
                    continue;
                }
                let name = reference.name().shorten().to_str_lossy().into_owned();
                let Ok(id) = reference.peel_to_id() else {
                    tracing::warn!(branch = %full_name, "branch does not resolve to an object; skipped");
                    continue;
                };
                let is_head = head_ref
                    .as_ref()
                    .is_some_and(|h| h.as_bstr() == reference.name().as_bstr());
                out.push(BranchInfo {
                    name,
                    full_name,
                    sha: id.to_string(),
                    is_remote,
                    is_head,
                });
            }
        }
        out.sort_by(|a, b| (a.is_remote, &a.name).cmp(&(b.is_remote, &b.name)));
        Ok(out)
    }

    /// Resolve any revspec (`main`, `HEAD~3`, `v1.2`, a sha prefix) to a commit id.
    pub fn resolve(&self, rev: &str) -> Result<String> {
        let repo = self.local();
        resolve_commit(&repo, rev).map(|id| id.to_string())
    }

    /// The error for an operation that needs commits in an empty repository.
    pub fn empty_error(&self) -> GitError {
        GitError::Empty {
            path: self.location(),
        }
    }
}

/// Resolve `rev` to the commit it names (peeling tags).
pub(crate) fn resolve_commit(repo: &gix::Repository, rev: &str) -> Result<gix::ObjectId> {
    let unknown = |message: String| GitError::UnknownRevision {
        rev: rev.to_owned(),
        message,
    };
    let id = repo
        .rev_parse_single(rev)
        .map_err(|e| unknown(super::error::describe(&e)))?;
    let object = id
        .object()
        .map_err(|e| GitError::from_gix(format!("reading {rev}"), &e))?;
    let commit = object
        .peel_to_commit()
        .map_err(|e| unknown(super::error::describe(&e)))?;
    Ok(commit.id)
}
