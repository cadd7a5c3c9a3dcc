//! Commit detail and compares: metadata, the changed files (rename detection, binary detection,
//! +/- line counts) between two trees, and each file's diff from its old and new blobs.

use super::error::{GitError, Result};
use super::log::{commit_summary, person};
use super::repo::{GitRepo, resolve_commit};
use super::types::{ChangeKind, ChangedFile, CommitDetail};
use crate::diff::{self, DiffLimits, FileDiff};
use gix::ObjectId;
use gix::bstr::ByteSlice;
use gix::object::tree::diff::ChangeDetached;
use gix::objs::tree::EntryMode;

impl GitRepo {
    /// A commit (any revspec) and the files it changed against its first parent
    /// (everything is added for a root commit).
    pub fn commit_detail(&self, rev: &str) -> Result<CommitDetail> {
        let repo = self.local();
        let id = resolve_commit(&repo, rev)?;
        let commit = repo
            .find_commit(id)
            .map_err(|_| GitError::object(id, format!("reading commit {rev}")))?;
        let base = commit.parent_ids().next().map(|p| p.detach());
        if let Some(parent) = base.filter(|p| !repo.has_object(p)) {
            let short = super::types::short(&id.to_string()).to_owned();
            return Err(if self.is_shallow() {
                GitError::ShallowBoundary { commit: short }
            } else {
                GitError::object(parent, format!("reading the parent of commit {short}"))
            });
        }
        self.detail_between(&repo, base, id)
    }

    /// Compare two commits: `target`'s metadata with the files changed from `base` to `target`
    /// (the "mark one, pick the other" compare).
    pub fn compare(&self, base: &str, target: &str) -> Result<CommitDetail> {
        let repo = self.local();
        let base = resolve_commit(&repo, base)?;
        let target = resolve_commit(&repo, target)?;
        self.detail_between(&repo, Some(base), target)
    }

    /// The diff of one changed file, from its blobs.
    pub fn file_diff(&self, file: &ChangedFile, limits: &DiffLimits) -> Result<FileDiff> {
        let repo = self.local();
        let old = read_blob(&repo, file.old_blob.as_deref(), &file.path)?;
        let new = read_blob(&repo, file.new_blob.as_deref(), &file.path)?;
        Ok(diff::diff_bytes(&old, &new, limits))
    }

    fn detail_between(
        &self,
        repo: &gix::Repository,
        base: Option<ObjectId>,
        id: ObjectId,
    ) -> Result<CommitDetail> {
        let commit = repo
            .find_commit(id)
            .map_err(|_| GitError::object(id, "reading a commit"))?;
        let decoded = commit
            .decode()
            .map_err(|e| GitError::from_gix(format!("decoding commit {id}"), &e))?;
        let shallow = repo
            .shallow_commits()
            .ok()
            .flatten()
            .is_some_and(|s| s.binary_search(&id).is_ok());
        let summary = commit_summary(id, &decoded, shallow);
        let committer = person(decoded.committer.as_ref(), decoded.committer());
        let message = decoded.message.to_str_lossy().into_owned();
        let files = changed_files(repo, base, id)?;
        Ok(CommitDetail {
            commit: summary,
            committer,
            message,
            base: base.map(|b| b.to_string()),
            files,
        })
    }
}

/// The files that differ between the trees of `base` (none: the empty tree) and `target`.
fn changed_files(
    repo: &gix::Repository,
    base: Option<ObjectId>,
    target: ObjectId,
) -> Result<Vec<ChangedFile>> {
    let tree_of = |id: ObjectId| {
        repo.find_commit(id)
            .and_then(|c| c.tree_id())
            .map(|t| t.detach())
            .map_err(|_| GitError::object(id, "reading the tree of a commit"))
    };
    let new_tree = tree_of(target)?;
    let old_tree = base.map(tree_of).transpose()?;
    changed_files_between_trees(repo, old_tree, new_tree)
}

/// The files that differ between two trees (`None`: the empty tree), with line counts, by path.
pub(crate) fn changed_files_between_trees(
    repo: &gix::Repository,
    old_tree: Option<ObjectId>,
    new_tree: ObjectId,
) -> Result<Vec<ChangedFile>> {
    let find_tree = |id: ObjectId| {
        repo.find_tree(id)
            .map_err(|_| GitError::object(id, "reading a tree"))
    };
    let new_tree = find_tree(new_tree)?;
    let old_tree = old_tree.map(find_tree).transpose()?;
    let options = gix::diff::Options::default().with_rewrites(Some(gix::diff::Rewrites::default()));
    let changes = repo
        .diff_tree_to_tree(old_tree.as_ref(), Some(&new_tree), options)
        .map_err(|e| {
            GitError::from_gix(
                format!(
                    "comparing trees {} and {}",
                    old_tree
                        .as_ref()
                        .map_or("(empty)".to_owned(), |t| t.id.to_string()),
                    new_tree.id
                ),
                &e,
            )
        })?;
    let limits = DiffLimits::default();
    let mut files = Vec::new();
    for change in changes {
        let Some(mut file) = changed_file(change) else {
            continue;
        };
        count_lines(repo, &mut file, &limits)?;
        files.push(file);
    }
    files.sort_by(|a, b| a.path.cmp(&b.path));
    Ok(files)
}

/// Files only: directories show up through the files under them; submodules carry no blobs.
fn content_id(mode: EntryMode, id: ObjectId) -> Option<String> {
    (!mode.is_tree() && !mode.is_commit()).then(|| id.to_string())
}

fn changed_file(change: ChangeDetached) -> Option<ChangedFile> {
    let file = |kind, path: &gix::bstr::BStr, old_path: Option<String>, old_blob, new_blob| ChangedFile {
        kind,
        path: path.to_str_lossy().into_owned(),
        old_path,
        old_blob,
        new_blob,
        additions: 0,
        deletions: 0,
        binary: false,
        old_size: 0,
        new_size: 0,
        truncated: false,
    };
    match change {
        ChangeDetached::Addition {
            location,
            entry_mode,
            id,
            ..
        } => {
            let blob = content_id(entry_mode, id);
            (!entry_mode.is_tree()).then(|| file(ChangeKind::Added, location.as_ref(), None, None, blob))
        }
        ChangeDetached::Deletion {
            location,
            entry_mode,
            id,
            ..
        } => {
            let blob = content_id(entry_mode, id);
            (!entry_mode.is_tree()).then(|| file(ChangeKind::Deleted, location.as_ref(), None, blob, None))
        }
        ChangeDetached::Modification {
            location,
            previous_entry_mode,
            previous_id,
            entry_mode,
            id,
        } => {
            if entry_mode.is_tree() && previous_entry_mode.is_tree() {
                return None;
            }
            let (old, new) = (
                content_id(previous_entry_mode, previous_id),
                content_id(entry_mode, id),
            );
            Some(file(ChangeKind::Modified, location.as_ref(), None, old, new))
        }
        ChangeDetached::Rewrite {
            source_location,
            source_entry_mode,
            source_id,
            entry_mode,
            id,
            location,
            copy,
            ..
        } => {
            let kind = if copy {
                ChangeKind::Copied
            } else {
                ChangeKind::Renamed
            };
            let old_path = Some(source_location.to_str_lossy().into_owned());
            let (old, new) = (
                content_id(source_entry_mode, source_id),
                content_id(entry_mode, id),
            );
            Some(file(kind, location.as_ref(), old_path, old, new))
        }
    }
}

/// Fill in sizes, the binary flag and +/- counts from the blobs.
fn count_lines(repo: &gix::Repository, file: &mut ChangedFile, limits: &DiffLimits) -> Result<()> {
    let old = read_blob(repo, file.old_blob.as_deref(), &file.path)?;
    let new = read_blob(repo, file.new_blob.as_deref(), &file.path)?;
    file.old_size = old.len() as u64;
    file.new_size = new.len() as u64;
    match diff::line_counts(&old, &new, limits) {
        Some((additions, deletions, truncated)) => {
            file.additions = additions;
            file.deletions = deletions;
            file.truncated = truncated;
        }
        None => file.binary = true,
    }
    Ok(())
}

/// A blob's bytes; no blob (an added or deleted side) is empty.
pub(crate) fn read_blob(repo: &gix::Repository, id: Option<&str>, path: &str) -> Result<Vec<u8>> {
    let Some(hex) = id else { return Ok(Vec::new()) };
    let id = ObjectId::from_hex(hex.as_bytes()).map_err(|e| GitError::Other {
        context: format!("reading {path}"),
        message: format!("`{hex}` is not an object id: {e}"),
    })?;
    let mut blob = repo
        .find_blob(id)
        .map_err(|_| GitError::object(id, format!("reading the content of {path}")))?;
    Ok(blob.take_data())
}
