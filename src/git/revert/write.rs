//! Making the revert real: who commits it, the commit object, moving the in-memory objects it
//! needs onto disk, and the new branch. Nothing here touches the worktree, the index or HEAD.

use super::error::RevertError;
use super::message::branch_name;
use gix::ObjectId;
use gix::objs::Write as _;
use gix::refs::transaction::PreviousValue;

/// Branch names tried before giving up: `sextant/revert-x`, `-2`, ... `-99`.
const MAX_BRANCH_ATTEMPTS: usize = 99;

/// Author and committer from the repository's configuration (`user.name`, `user.email`, and the
/// `GIT_AUTHOR_*`/`GIT_COMMITTER_*` variables), as `git commit` takes them.
pub(super) fn signatures(
    repo: &gix::Repository,
) -> Result<(gix::actor::Signature, gix::actor::Signature), RevertError> {
    let owned = |sig: Option<gix::Result<gix::actor::SignatureRef<'_>>>, role: &str| {
        let sig = sig
            .ok_or(RevertError::NoIdentity)?
            .map_err(|e| RevertError::gix(format!("reading the {role} date"), &e))?;
        let sig = sig.trim();
        if sig.name.is_empty() || sig.email.is_empty() {
            return Err(RevertError::NoIdentity);
        }
        sig.to_owned()
            .map_err(|e| RevertError::gix(format!("reading the {role} identity"), &e))
    };
    Ok((
        owned(repo.author(), "author")?,
        owned(repo.committer(), "committer")?,
    ))
}

/// Where the revert goes. An existing branch of the same name that already holds this very revert
/// (same parent, same tree: an earlier attempt whose push failed) is reused, so retrying is safe;
/// any other existing branch is left alone and the name gets a suffix (`-2`, `-3`, ...).
pub(super) fn choose_branch(
    repo: &gix::Repository,
    stem: &str,
    head: ObjectId,
    tree: ObjectId,
) -> Result<(String, Option<ObjectId>), RevertError> {
    for attempt in 1..=MAX_BRANCH_ATTEMPTS {
        let name = branch_name(stem, attempt);
        let full = format!("refs/heads/{name}");
        let found = repo
            .try_find_reference(full.as_str())
            .map_err(|e| RevertError::gix(format!("looking up the branch {name}"), &e))?;
        let Some(mut reference) = found else {
            return Ok((name, None));
        };
        let Ok(id) = reference.peel_to_id() else { continue };
        let Ok(commit) = repo.find_commit(id) else {
            continue;
        };
        let same_parent = commit.parent_ids().map(|p| p.detach()).eq([head]);
        let same_tree = commit.tree_id().is_ok_and(|t| t == tree);
        if same_parent && same_tree {
            return Ok((name, Some(id.detach())));
        }
    }
    Err(RevertError::Git(crate::git::GitError::Other {
        context: format!("choosing a branch name for the revert of {stem}"),
        message: format!(
            "sextant/revert-{stem} and {MAX_BRANCH_ATTEMPTS} numbered variants exist already; delete the old ones (`git branch -D`)"
        ),
    }))
}

/// Write the revert commit (into object memory, with everything else), then move the objects it
/// reaches from memory onto disk.
pub(super) fn commit(
    mut repo: gix::Repository,
    tree: ObjectId,
    parent: ObjectId,
    message: &str,
) -> Result<ObjectId, RevertError> {
    let (author, committer) = signatures(&repo)?;
    let commit = gix::objs::Commit {
        tree,
        parents: [parent].into_iter().collect(),
        author,
        committer,
        encoding: None,
        message: message.into(),
        extra_headers: Vec::new(),
    };
    let id = repo
        .write_object(&commit)
        .map_err(|e| RevertError::gix("writing the revert commit", &e))?
        .detach();
    persist(&mut repo, id)?;
    Ok(id)
}

/// `id` when it names a commit on disk with exactly this parent, tree and message (a prepared
/// revert); `None` otherwise.
pub(super) fn is_commit_of(
    repo: &gix::Repository,
    id: &str,
    parent: ObjectId,
    tree: ObjectId,
    message: &str,
) -> Option<ObjectId> {
    let id = ObjectId::from_hex(id.as_bytes()).ok()?;
    let commit = repo.find_commit(id).ok()?;
    let same = commit.parent_ids().map(|p| p.detach()).eq([parent])
        && commit.tree_id().ok()? == tree
        && commit.message_raw_sloppy() == message.as_bytes();
    same.then_some(id)
}

/// Write to disk the in-memory objects that `root` reaches: its tree and the merged blobs and
/// trees under it, children first. Objects of abandoned steps stay in memory and vanish.
fn persist(repo: &mut gix::Repository, root: ObjectId) -> Result<(), RevertError> {
    let Some(memory) = repo.objects.take_object_memory() else {
        return Ok(());
    };
    let hash = repo.object_hash();
    // Post-order over the in-memory part of the graph; what is not in memory is on disk already.
    let mut order = Vec::new();
    let mut stack = vec![(root, false)];
    let mut seen = gix::hashtable::HashSet::default();
    while let Some((id, children_done)) = stack.pop() {
        let Some((kind, data)) = memory.get(&id) else {
            continue;
        };
        if children_done {
            order.push((id, *kind));
            continue;
        }
        if !seen.insert(id) {
            continue;
        }
        stack.push((id, true));
        match kind {
            gix::objs::Kind::Commit => {
                let commit = gix::objs::CommitRef::from_bytes(data, hash)
                    .map_err(|e| RevertError::gix("reading the revert commit back", &e))?;
                stack.push((commit.tree(), false));
            }
            gix::objs::Kind::Tree => {
                for entry in gix::objs::TreeRefIter::from_bytes(data, hash) {
                    let entry = entry.map_err(|e| RevertError::gix("reading a merged tree back", &e))?;
                    stack.push((entry.oid.to_owned(), false));
                }
            }
            _ => {}
        }
    }
    for (id, kind) in order {
        let data = &memory[&id].1;
        repo.objects
            .write_buf(kind, data)
            .map_err(|e| RevertError::gix(format!("writing object {id}"), &e))?;
    }
    Ok(())
}

/// Create `refs/heads/<name>` at `commit`; it must not exist (a branch made meanwhile is kept).
pub(super) fn create_branch(
    repo: &gix::Repository,
    name: &str,
    commit: ObjectId,
    title: &str,
) -> Result<(), RevertError> {
    repo.reference(
        format!("refs/heads/{name}").as_str(),
        commit,
        PreviousValue::MustNotExist,
        format!("sextant: {title}"),
    )
    .map_err(|e| RevertError::gix(format!("creating the branch {name}"), &e))?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A repository whose configuration names nobody (no global or system config read).
    #[test]
    fn no_identity_is_a_clear_error() {
        let dir = tempfile::tempdir().expect("temp dir");
        let ok = std::process::Command::new("git")
            .args(["init", "-q"])
            .arg(dir.path())
            .env("GIT_CONFIG_GLOBAL", "/dev/null")
            .env("GIT_CONFIG_NOSYSTEM", "1")
            .status()
            .expect("git runs")
            .success();
        assert!(ok);
        let mut options = gix::open::Options::isolated();
        options = options.permissions(gix::open::Permissions::isolated());
        let repo = gix::open_opts(dir.path(), options).expect("open");
        let err = signatures(&repo).unwrap_err();
        assert!(matches!(err, RevertError::NoIdentity), "{err}");
        assert!(err.to_string().contains("git config --global user.name"), "{err}");
    }
}
