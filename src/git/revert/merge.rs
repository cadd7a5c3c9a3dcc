//! The three-way merges that undo each commit, in memory: merge(base = the commit's tree,
//! ours = the running result starting at HEAD, theirs = its mainline parent's tree). The repository
//! handle has object memory on, so merged blobs and trees stay off the disk until the revert is
//! committed.

use super::error::RevertError;
use super::pick::Step;
use gix::ObjectId;
use gix::bstr::{BStr, ByteSlice};
use gix::merge::tree::TreatAsUnresolved;
use std::collections::BTreeSet;

/// The tree after undoing every step on top of `head_tree`, or the conflicting files.
pub(super) fn undo_all(
    repo: &gix::Repository,
    head_tree: ObjectId,
    steps: &[Step],
    branch: &str,
) -> Result<ObjectId, RevertError> {
    let options = repo
        .tree_merge_options()
        .map_err(|e| RevertError::gix("reading the merge settings", &e))?;
    let how = TreatAsUnresolved::git();
    let mut ours = head_tree;
    for step in steps {
        let what = format!("{} (\"{}\")", step.commit.short_sha, step.commit.summary);
        let base_label = format!("{} (reverted)", step.commit.short_sha);
        let theirs_label = format!("parent of {}", step.commit.short_sha);
        let labels = gix::merge::blob::builtin_driver::text::Labels {
            ancestor: Some(base_label.as_str().into()),
            current: Some(branch.into()),
            other: Some(theirs_label.as_str().into()),
        };
        let mut outcome = repo
            .merge_trees(step.base_tree, ours, step.theirs_tree, labels, options.clone())
            .map_err(|e| RevertError::gix(format!("reverting {what}"), &e))?;
        if outcome.has_unresolved_conflicts(how) {
            let files: BTreeSet<String> = outcome
                .conflicts
                .iter()
                .filter(|c| c.is_unresolved(how))
                .flat_map(|c| [c.ours.location(), c.theirs.location()])
                .map(path_text)
                .filter(|p| !p.is_empty())
                .collect();
            return Err(RevertError::Conflict {
                what,
                branch: branch.to_owned(),
                files: files.into_iter().collect(),
            });
        }
        ours = outcome
            .tree
            .write()
            .map_err(|e| RevertError::gix(format!("writing the tree that reverts {what}"), &e))?
            .detach();
    }
    Ok(ours)
}

fn path_text(path: &BStr) -> String {
    path.to_str_lossy().into_owned()
}
