//! Which commits a revert undoes, and for each the two trees of its three-way merge: the commit's
//! own tree (the merge base) and its mainline parent's tree ("theirs"), newest first.

use super::error::{ParentChoice, RevertError};
use crate::git::log::commit_summary;
use crate::git::types::{CommitSummary, short};
use gix::ObjectId;

/// Undo one commit: merge(base = its tree, ours = the running result, theirs = its parent's tree).
pub(super) struct Step {
    pub commit: CommitSummary,
    pub base_tree: ObjectId,
    pub theirs_tree: ObjectId,
    /// The parent kept when the commit is a merge (`git revert -m`).
    pub mainline_parent: Option<String>,
}

/// The commits to undo, newest first, and how messages and branch names call them.
pub(super) struct Picked {
    pub steps: Vec<Step>,
    /// For messages: `1a2b3c4 ("bump api")` or `3 commits since 1a2b3c4`.
    pub what: String,
    /// The branch name's stem: `1a2b3c4`, `since-1a2b3c4`.
    pub stem: String,
    /// For a range: `since 1a2b3c4` or `in 1a2b3c4..9f2c1e0`.
    pub range_label: Option<String>,
}

impl Picked {
    /// Commits undone as one: "3 commits since 1a2b3c4", "1 commit of api since 1a2b3c4".
    fn several(steps: Vec<Step>, label: String, stem: String) -> Picked {
        let plural = if steps.len() == 1 { "" } else { "s" };
        Picked {
            what: format!("{} commit{plural} {label}", steps.len()),
            steps,
            stem,
            range_label: Some(label),
        }
    }
}

/// Resolve a revspec to a commit, or say that no such commit is here.
pub(super) fn resolve(repo: &gix::Repository, rev: &str) -> Result<ObjectId, RevertError> {
    crate::git::repo::resolve_commit(repo, rev).map_err(|err| match err {
        crate::git::GitError::UnknownRevision { rev, message } => RevertError::NoSuchCommit { rev, message },
        other => RevertError::Git(other),
    })
}

struct Loaded {
    summary: CommitSummary,
    tree: ObjectId,
    parents: Vec<ObjectId>,
}

fn load(repo: &gix::Repository, id: ObjectId) -> Result<Loaded, RevertError> {
    let commit = repo
        .find_commit(id)
        .map_err(|_| crate::git::GitError::object(id, "reading a commit to revert"))?;
    let decoded = commit
        .decode()
        .map_err(|e| RevertError::gix(format!("decoding commit {id}"), &e))?;
    Ok(Loaded {
        summary: commit_summary(id, &decoded, false),
        tree: decoded.tree(),
        parents: decoded.parents().collect(),
    })
}

fn tree_of(repo: &gix::Repository, id: ObjectId) -> Result<ObjectId, RevertError> {
    Ok(load(repo, id)?.tree)
}

/// One commit. A merge needs `mainline` (1-based), as `git revert -m`; a root commit is undone
/// against the empty tree.
pub(super) fn one(repo: &gix::Repository, rev: &str, mainline: Option<usize>) -> Result<Picked, RevertError> {
    let id = resolve(repo, rev)?;
    let loaded = load(repo, id)?;
    let short_sha = loaded.summary.short_sha.clone();
    let (theirs_tree, mainline_parent) = match (loaded.parents.as_slice(), mainline) {
        ([], None) => (ObjectId::empty_tree(repo.object_hash()), None),
        ([parent], None) => (tree_of(repo, *parent)?, None),
        ([] | [_], Some(_)) => return Err(RevertError::NotAMerge { short_sha }),
        (parents, None) => {
            let parents = parents
                .iter()
                .enumerate()
                .map(|(i, p)| {
                    let summary = load(repo, *p).map(|l| l.summary.summary).unwrap_or_default();
                    ParentChoice {
                        number: i + 1,
                        short_sha: short(&p.to_string()).to_owned(),
                        summary,
                    }
                })
                .collect();
            return Err(RevertError::MergeNeedsMainline { short_sha, parents });
        }
        (parents, Some(m)) => {
            let parent = m
                .checked_sub(1)
                .and_then(|i| parents.get(i))
                .ok_or(RevertError::NoSuchParent {
                    short_sha: short_sha.clone(),
                    mainline: m,
                    count: parents.len(),
                })?;
            (tree_of(repo, *parent)?, Some(parent.to_string()))
        }
    };
    let what = format!("{short_sha} (\"{}\")", loaded.summary.summary);
    Ok(Picked {
        steps: vec![Step {
            commit: loaded.summary,
            base_tree: loaded.tree,
            theirs_tree,
            mainline_parent,
        }],
        what,
        stem: short_sha,
        range_label: None,
    })
}

/// Every commit on `tip`'s first-parent line after `base`, newest first; merges keep their first
/// parent (`-m 1`), so a merged branch is undone once, as a whole.
pub(super) fn range(
    repo: &gix::Repository,
    base: &str,
    tip: &str,
    head: ObjectId,
    branch: &str,
) -> Result<Picked, RevertError> {
    let base_id = resolve(repo, base)?;
    let tip_id = resolve(repo, tip)?;
    let base_short = short(&base_id.to_string()).to_owned();
    let tip_short = short(&tip_id.to_string()).to_owned();
    if base_id == tip_id {
        return Err(RevertError::EmptyRange {
            base: base_short,
            tip: tip.to_owned(),
        });
    }
    let mut steps = Vec::new();
    let mut cursor = tip_id;
    while cursor != base_id {
        let loaded = load(repo, cursor)?;
        let Some(&first) = loaded.parents.first() else {
            return Err(RevertError::NotAnAncestor {
                base: base_short,
                tip: tip.to_owned(),
                branch: branch.to_owned(),
            });
        };
        steps.push(Step {
            commit: loaded.summary,
            base_tree: loaded.tree,
            theirs_tree: tree_of(repo, first)?,
            mainline_parent: (loaded.parents.len() > 1).then(|| first.to_string()),
        });
        cursor = first;
    }
    let (label, stem) = if tip_id == head {
        (format!("since {base_short}"), format!("since-{base_short}"))
    } else {
        (
            format!("in {base_short}..{tip_short}"),
            format!("{base_short}-to-{tip_short}"),
        )
    };
    Ok(Picked::several(steps, label, stem))
}

/// The given commits of `app` (newest first), each undone against its first parent (a merge
/// keeps its mainline, as a range does); named "of APP since BASE".
pub(super) fn several(
    repo: &gix::Repository,
    app: &str,
    base: &str,
    revs: &[String],
) -> Result<Picked, RevertError> {
    let base_short = short(&resolve(repo, base)?.to_string()).to_owned();
    if revs.is_empty() {
        return Err(RevertError::EmptyRange {
            base: base_short,
            tip: "HEAD".to_owned(),
        });
    }
    let mut steps = Vec::with_capacity(revs.len());
    for rev in revs {
        let loaded = load(repo, resolve(repo, rev)?)?;
        let theirs_tree = match loaded.parents.first() {
            Some(first) => tree_of(repo, *first)?,
            None => ObjectId::empty_tree(repo.object_hash()),
        };
        steps.push(Step {
            mainline_parent: (loaded.parents.len() > 1).then(|| loaded.parents[0].to_string()),
            commit: loaded.summary,
            base_tree: loaded.tree,
            theirs_tree,
        });
    }
    let label = format!("of {app} since {base_short}");
    Ok(Picked::several(steps, label, format!("{app}-since-{base_short}")))
}
