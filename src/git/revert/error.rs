//! Why a revert was refused. Every refusal changes nothing: no branch, no commit, no object on
//! disk. Each message names the commit and the branch, and what to do next.

use crate::git::GitError;

/// One parent of a merge commit, for the "which mainline?" question.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParentChoice {
    /// 1-based, as `git revert -m N` counts.
    pub number: usize,
    pub short_sha: String,
    pub summary: String,
}

#[derive(Debug, thiserror::Error)]
pub enum RevertError {
    #[error(
        "no commit `{rev}` in this repository ({message}); if it exists only on the remote, fetch first (`git fetch`)"
    )]
    NoSuchCommit { rev: String, message: String },

    #[error(
        "HEAD is detached at {short_sha}: there is no branch to base the revert on; check out the branch to revert on (`git switch main`) and try again"
    )]
    DetachedHead { short_sha: String },

    #[error("the branch {branch} has no commits yet: there is nothing to revert")]
    Unborn { branch: String },

    #[error(
        "commit {short_sha} is a merge of {}: say which parent is the mainline to keep (`-m 1` undoes what the merge brought into {})",
        list_parents(parents),
        parents.first().map_or("its first parent", |p| p.short_sha.as_str())
    )]
    MergeNeedsMainline {
        short_sha: String,
        parents: Vec<ParentChoice>,
    },

    #[error(
        "commit {short_sha} has {count} parents: mainline {mainline} is not one of them (use 1 to {count})"
    )]
    NoSuchParent {
        short_sha: String,
        mainline: usize,
        count: usize,
    },

    #[error("commit {short_sha} is not a merge: revert it without a mainline parent")]
    NotAMerge { short_sha: String },

    #[error(
        "{base} is not on the first-parent history of {tip}: pick a revision that {branch} went through (the merge commit that brought {base} in, for example)"
    )]
    NotAnAncestor {
        base: String,
        tip: String,
        branch: String,
    },

    #[error("there is nothing to revert: {tip} is {base} itself")]
    EmptyRange { base: String, tip: String },

    #[error(
        "reverting {what} onto {branch} conflicts in {}; nothing was changed (later commits touched these files: revert those too, or resolve by hand with `git revert`)",
        files.join(", ")
    )]
    Conflict {
        what: String,
        branch: String,
        files: Vec<String>,
    },

    #[error(
        "reverting {what} would change nothing on {branch}: it was reverted already, or its changes were undone since"
    )]
    NoEffect { what: String, branch: String },

    #[error(
        "Git does not know who you are: set `git config --global user.name \"Your Name\"` and `git config --global user.email you@example.com`, then try again"
    )]
    NoIdentity,

    #[error(
        "the branch {branch} moved since the preview (it was at {planned}, it is at {actual}): preview the revert again"
    )]
    HeadMoved {
        branch: String,
        planned: String,
        actual: String,
    },

    #[error("internal: no permit to write a revert branch in {target}; nothing was written")]
    NotPermitted { target: String },

    #[error(transparent)]
    Git(#[from] GitError),
}

fn list_parents(parents: &[ParentChoice]) -> String {
    parents
        .iter()
        .map(|p| format!("{} {} (\"{}\")", p.number, p.short_sha, p.summary))
        .collect::<Vec<_>>()
        .join(" and ")
}

impl RevertError {
    /// Wrap a gix error met while `context`.
    pub(crate) fn gix(context: impl Into<String>, err: &(dyn std::error::Error + 'static)) -> RevertError {
        RevertError::Git(GitError::from_gix(context, err))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn merge_error_names_the_parents() {
        let err = RevertError::MergeNeedsMainline {
            short_sha: "1a2b3c4".into(),
            parents: vec![
                ParentChoice {
                    number: 1,
                    short_sha: "aaaaaaa".into(),
                    summary: "bump".into(),
                },
                ParentChoice {
                    number: 2,
                    short_sha: "bbbbbbb".into(),
                    summary: "feature".into(),
                },
            ],
        };
        let text = err.to_string();
        assert!(
            text.contains("1 aaaaaaa (\"bump\") and 2 bbbbbbb (\"feature\")"),
            "{text}"
        );
        assert!(text.contains("`-m 1`"), "{text}");
    }
}
