//! The tree view: the entries of one directory at any revision (read lazily, one directory
//! per call) and the content of one file.

use super::error::{GitError, Result};
use super::repo::{GitRepo, resolve_commit};
use super::types::{BlobContent, EntryKind, TreeEntry};
use crate::diff::is_binary;
use gix::bstr::ByteSlice;
use gix::objs::tree::EntryKind as GixKind;

impl GitRepo {
    /// The entries of directory `dir` (`""` for the root) at revision `rev`: directories first,
    /// then files, each sorted by name.
    pub fn tree_entries(&self, rev: &str, dir: &str) -> Result<Vec<TreeEntry>> {
        let repo = self.local();
        let tree = dir_tree(&repo, rev, dir)?;
        let decoded = tree
            .decode()
            .map_err(|e| GitError::from_gix(format!("reading {dir} at {rev}"), &e))?;
        let prefix = dir.trim_matches('/');
        let mut out: Vec<TreeEntry> = decoded
            .entries
            .iter()
            .map(|e| {
                let name = e.filename.to_str_lossy().into_owned();
                let path = if prefix.is_empty() {
                    name.clone()
                } else {
                    format!("{prefix}/{name}")
                };
                let kind = match e.mode.kind() {
                    GixKind::Tree => EntryKind::Dir,
                    GixKind::Blob => EntryKind::File,
                    GixKind::BlobExecutable => EntryKind::Executable,
                    GixKind::Link => EntryKind::Symlink,
                    GixKind::Commit => EntryKind::Submodule,
                };
                TreeEntry {
                    name,
                    path,
                    kind,
                    sha: e.oid.to_string(),
                }
            })
            .collect();
        out.sort_by(|a, b| (a.kind != EntryKind::Dir, &a.name).cmp(&(b.kind != EntryKind::Dir, &b.name)));
        Ok(out)
    }

    /// The raw bytes of file `path` at revision `rev`.
    pub fn read_file(&self, rev: &str, path: &str) -> Result<Vec<u8>> {
        let repo = self.local();
        let id = resolve_commit(&repo, rev)?;
        let tree = repo
            .find_commit(id)
            .and_then(|c| c.tree())
            .map_err(|_| GitError::object(id, format!("reading the tree of {rev}")))?;
        let no_such = || GitError::NoSuchPath {
            rev: rev.to_owned(),
            path: path.to_owned(),
        };
        let entry = tree
            .lookup_entry_by_path(path.trim_matches('/'))
            .map_err(|e| GitError::from_gix(format!("looking up {path} at {rev}"), &e))?
            .ok_or_else(no_such)?;
        if entry.mode().is_tree() || entry.mode().is_commit() {
            return Err(no_such());
        }
        let oid = entry.object_id();
        let mut blob = repo
            .find_blob(oid)
            .map_err(|_| GitError::object(oid, format!("reading {path} at {rev}")))?;
        Ok(blob.take_data())
    }

    /// File `path` at revision `rev` as text, or "binary, N bytes".
    pub fn read_blob(&self, rev: &str, path: &str) -> Result<BlobContent> {
        let data = self.read_file(rev, path)?;
        Ok(if is_binary(&data) {
            BlobContent::Binary {
                size: data.len() as u64,
            }
        } else {
            BlobContent::Text(String::from_utf8_lossy(&data).into_owned())
        })
    }
}

fn dir_tree<'r>(repo: &'r gix::Repository, rev: &str, dir: &str) -> Result<gix::Tree<'r>> {
    let id = resolve_commit(repo, rev)?;
    let root = repo
        .find_commit(id)
        .and_then(|c| c.tree())
        .map_err(|_| GitError::object(id, format!("reading the tree of {rev}")))?;
    let dir = dir.trim_matches('/');
    if dir.is_empty() {
        return Ok(root);
    }
    let no_such = || GitError::NoSuchPath {
        rev: rev.to_owned(),
        path: dir.to_owned(),
    };
    let entry = root
        .lookup_entry_by_path(dir)
        .map_err(|e| GitError::from_gix(format!("looking up {dir} at {rev}"), &e))?
        .ok_or_else(no_such)?;
    if !entry.mode().is_tree() {
        return Err(no_such());
    }
    let oid = entry.object_id();
    repo.find_tree(oid)
        .map_err(|_| GitError::object(oid, format!("reading directory {dir} at {rev}")))
}
