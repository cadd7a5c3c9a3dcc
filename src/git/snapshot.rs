//! Read the files of a commit's tree straight from the Git object database, so that desired
//! state can be rendered at any revision without touching the user's worktree or index.

use gix::bstr::ByteSlice;
use std::path::{Path, PathBuf};

/// Reading a revision failed. Messages name the repository, the revision and the path.
#[derive(Debug, thiserror::Error)]
pub enum SnapshotError {
    #[error("cannot open Git repository {path}: {message}")]
    Open { path: PathBuf, message: String },
    #[error("revision `{rev}` not found in {repo}: {message}")]
    Revision {
        repo: PathBuf,
        rev: String,
        message: String,
    },
    #[error("reading `{path}` at {rev}: {message}")]
    Read {
        path: String,
        rev: String,
        message: String,
    },
    #[error("writing {path}: {source}")]
    Write { path: PathBuf, source: std::io::Error },
}

/// One file of a tree: its path relative to the repository root, and its bytes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SnapshotFile {
    pub path: String,
    pub bytes: Vec<u8>,
}

/// The tree of one commit, opened for reading.
pub struct Snapshot {
    repo: gix::Repository,
    tree_id: gix::ObjectId,
    /// The full commit id.
    pub commit: String,
    /// The abbreviated commit id shown to users.
    pub short: String,
    /// The revision as the user spelled it (`HEAD`, a branch, a sha).
    pub rev: String,
}

impl std::fmt::Debug for Snapshot {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Snapshot")
            .field("commit", &self.commit)
            .field("rev", &self.rev)
            .finish()
    }
}

impl Snapshot {
    /// Open `repo_path` (a worktree or bare repository) and resolve `rev` to a commit tree.
    pub fn open(repo_path: &Path, rev: &str) -> Result<Snapshot, SnapshotError> {
        let repo = gix::discover(repo_path).map_err(|e| SnapshotError::Open {
            path: repo_path.to_path_buf(),
            message: e.to_string(),
        })?;
        let revision_err = |message: String| SnapshotError::Revision {
            repo: repo_path.to_path_buf(),
            rev: rev.to_string(),
            message,
        };
        let id = repo
            .rev_parse_single(rev)
            .map_err(|e| revision_err(e.to_string()))?
            .detach();
        let object = repo.find_object(id).map_err(|e| revision_err(e.to_string()))?;
        let commit = object.peel_to_commit().map_err(|e| revision_err(e.to_string()))?;
        let commit_id = commit.id;
        let tree_id = commit
            .tree_id()
            .map_err(|e| revision_err(e.to_string()))?
            .detach();
        drop(commit);
        let commit_hex = commit_id.to_string();
        let short = commit_hex.chars().take(7).collect();
        Ok(Snapshot {
            repo,
            tree_id,
            commit: commit_hex,
            short,
            rev: rev.to_string(),
        })
    }

    fn read_err(&self, path: &str, e: impl std::fmt::Display) -> SnapshotError {
        SnapshotError::Read {
            path: path.to_string(),
            rev: self.short.clone(),
            message: e.to_string(),
        }
    }

    fn tree(&self) -> Result<gix::Tree<'_>, SnapshotError> {
        self.repo
            .find_tree(self.tree_id)
            .map_err(|e| self.read_err("/", e))
    }

    /// What `path` is at this revision: a directory, a file, or nothing.
    pub fn kind_of(&self, path: &str) -> Result<PathKind, SnapshotError> {
        let path = clean(path);
        if path.is_empty() {
            return Ok(PathKind::Dir);
        }
        let tree = self.tree()?;
        let entry = tree
            .lookup_entry_by_path(path)
            .map_err(|e| self.read_err(path, e))?;
        Ok(match entry {
            None => PathKind::Missing,
            Some(e) if e.mode().is_tree() => PathKind::Dir,
            Some(_) => PathKind::File,
        })
    }

    /// The bytes of one file, or `None` when there is no file at `path`.
    pub fn read(&self, path: &str) -> Result<Option<Vec<u8>>, SnapshotError> {
        let path = clean(path);
        let tree = self.tree()?;
        let Some(entry) = tree
            .lookup_entry_by_path(path)
            .map_err(|e| self.read_err(path, e))?
        else {
            return Ok(None);
        };
        if !entry.mode().is_blob() {
            return Ok(None);
        }
        let object = entry.object().map_err(|e| self.read_err(path, e))?;
        Ok(Some(object.detach().data))
    }

    /// Every file under `dir` (recursively, sorted by path; empty for the root means all).
    /// Paths are relative to the repository root. Symlinks and submodules are skipped.
    pub fn files_under(&self, dir: &str) -> Result<Vec<SnapshotFile>, SnapshotError> {
        let dir = clean(dir);
        let root = self.tree()?;
        let tree = if dir.is_empty() {
            root
        } else {
            let Some(entry) = root
                .lookup_entry_by_path(dir)
                .map_err(|e| self.read_err(dir, e))?
            else {
                return Ok(Vec::new());
            };
            if !entry.mode().is_tree() {
                return Ok(Vec::new());
            }
            let object = entry.object().map_err(|e| self.read_err(dir, e))?;
            object.into_tree()
        };
        let records = tree
            .traverse()
            .breadthfirst
            .files()
            .map_err(|e| self.read_err(dir, e))?;
        let mut files = Vec::new();
        for record in records {
            if !record.mode.is_blob() {
                continue;
            }
            let rel = record.filepath.to_str_lossy();
            let path = if dir.is_empty() {
                rel.into_owned()
            } else {
                format!("{dir}/{rel}")
            };
            let object = self
                .repo
                .find_object(record.oid)
                .map_err(|e| self.read_err(&path, e))?;
            files.push(SnapshotFile {
                path,
                bytes: object.detach().data,
            });
        }
        files.sort_by(|a, b| a.path.cmp(&b.path));
        Ok(files)
    }

    /// Write the whole tree at this revision into `dest` (for tools such as `kustomize` that
    /// need real files, and may reach `../base` outside the app's own directory).
    pub fn materialize(&self, dest: &Path) -> Result<(), SnapshotError> {
        for file in self.files_under("")? {
            let target = dest.join(&file.path);
            if let Some(parent) = target.parent() {
                std::fs::create_dir_all(parent).map_err(|source| SnapshotError::Write {
                    path: parent.to_path_buf(),
                    source,
                })?;
            }
            std::fs::write(&target, &file.bytes)
                .map_err(|source| SnapshotError::Write { path: target, source })?;
        }
        Ok(())
    }
}

/// What a path is at a revision.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PathKind {
    Dir,
    File,
    Missing,
}

/// Paths in sextant.yaml are written relative to the repo root, maybe with `./` or a trailing `/`.
fn clean(path: &str) -> &str {
    let p = path.trim_start_matches("./").trim_matches('/');
    if p == "." { "" } else { p }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::process::Command;

    pub(crate) fn git(dir: &Path, args: &[&str]) {
        let out = Command::new("git")
            .args(["-c", "init.defaultBranch=main", "-c", "commit.gpgsign=false"])
            .args(args)
            .current_dir(dir)
            .env("GIT_AUTHOR_NAME", "Test")
            .env("GIT_AUTHOR_EMAIL", "test@example.com")
            .env("GIT_COMMITTER_NAME", "Test")
            .env("GIT_COMMITTER_EMAIL", "test@example.com")
            .output()
            .expect("git runs");
        assert!(
            out.status.success(),
            "git {args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }

    #[test]
    fn reads_files_at_old_revision_not_worktree() {
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path();
        git(dir, &["init", "-q"]);
        std::fs::create_dir_all(dir.join("apps/a/sub")).unwrap();
        std::fs::write(dir.join("apps/a/one.yaml"), "v: 1\n").unwrap();
        std::fs::write(dir.join("apps/a/sub/two.yaml"), "v: 2\n").unwrap();
        git(dir, &["add", "."]);
        git(dir, &["commit", "-qm", "first"]);
        std::fs::write(dir.join("apps/a/one.yaml"), "v: changed\n").unwrap();
        git(dir, &["commit", "-qam", "second"]);
        std::fs::write(dir.join("apps/a/one.yaml"), "v: dirty worktree\n").unwrap();

        let head = Snapshot::open(dir, "HEAD").unwrap();
        assert_eq!(head.read("apps/a/one.yaml").unwrap().unwrap(), b"v: changed\n");
        let old = Snapshot::open(dir, "HEAD~1").unwrap();
        assert_eq!(old.read("./apps/a/one.yaml").unwrap().unwrap(), b"v: 1\n");
        let files = old.files_under("apps/a/").unwrap();
        let paths: Vec<_> = files.iter().map(|f| f.path.as_str()).collect();
        assert_eq!(paths, ["apps/a/one.yaml", "apps/a/sub/two.yaml"]);
        assert_eq!(old.kind_of("apps/a").unwrap(), PathKind::Dir);
        assert_eq!(old.kind_of("apps/a/one.yaml").unwrap(), PathKind::File);
        assert_eq!(old.kind_of("apps/b").unwrap(), PathKind::Missing);

        let out = tempfile::tempdir().unwrap();
        old.materialize(out.path()).unwrap();
        assert_eq!(
            std::fs::read(out.path().join("apps/a/sub/two.yaml")).unwrap(),
            b"v: 2\n"
        );
    }

    #[test]
    fn unknown_revision_is_a_clear_error() {
        let tmp = tempfile::tempdir().unwrap();
        git(tmp.path(), &["init", "-q"]);
        std::fs::write(tmp.path().join("f"), "x").unwrap();
        git(tmp.path(), &["add", "."]);
        git(tmp.path(), &["commit", "-qm", "c"]);
        let err = Snapshot::open(tmp.path(), "no-such-branch")
            .unwrap_err()
            .to_string();
        assert!(err.contains("no-such-branch"), "{err}");
    }
}
