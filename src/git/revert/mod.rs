//! Reverting commits in memory with gix, onto a new branch `sextant/revert-<short>` based on the
//! checked-out branch. The worktree, the index and the checked-out branch are never touched, so a
//! dirty worktree or staged changes are no obstacle and come out byte-for-byte the same.
//!
//! Two steps, so the UI can preview before anything is written: [`GitRepo::plan_revert`] computes
//! the result (tree, message, changed files) with every object in memory; [`GitRepo::create_revert`]
//! checks the branch has not moved, then writes the commit and the branch, with a permit from the
//! action gate. A refusal (conflict, no effect, unknown commit, ...) leaves no branch and no object
//! on disk.
//!
//! Between the two, [`GitRepo::prepare_revert`] may write the revert commit as an unreferenced
//! object (as `git merge-tree --write-tree` writes trees), so that the drift engine can render it
//! and preview what it does on each cluster before anyone confirms; creating then reuses that very
//! commit. No ref, no worktree and no index change, so it needs no permit.

mod error;
mod merge;
mod message;
mod pick;
mod write;

pub use error::{ParentChoice, RevertError};

use super::repo::GitRepo;
use super::types::{ChangedFile, CommitSummary, short};
use crate::diff::{DiffLimits, FileDiff};
use crate::gate::{Action, Permit, Target};
use gix::ObjectId;
use gix::bstr::ByteSlice;
use serde::Serialize;

/// What to revert.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum RevertSpec {
    /// One commit (any revspec). A merge needs `mainline`, the 1-based parent whose side is kept,
    /// as `git revert -m N`.
    Commit { rev: String, mainline: Option<usize> },
    /// Every commit on `tip`'s first-parent line after `base` (`base..tip`), as one commit. A merge
    /// on that line is undone against its first parent, so a merged branch is undone as a whole.
    Range { base: String, tip: String },
    /// Only the commits given (newest first), each undone against its first parent, as one
    /// commit: an app's rollback, undoing what changed the app since `base` and nothing else.
    AppCommits {
        app: String,
        base: String,
        revs: Vec<String>,
    },
}

impl RevertSpec {
    /// One ordinary commit.
    pub fn commit(rev: impl Into<String>) -> RevertSpec {
        RevertSpec::Commit {
            rev: rev.into(),
            mainline: None,
        }
    }

    /// One merge commit, keeping parent `mainline` (1-based).
    pub fn merge(rev: impl Into<String>, mainline: usize) -> RevertSpec {
        RevertSpec::Commit {
            rev: rev.into(),
            mainline: Some(mainline),
        }
    }

    /// Everything the checked-out branch gained since `base` (a deployed revision): `base..HEAD`.
    pub fn since(base: impl Into<String>) -> RevertSpec {
        RevertSpec::Range {
            base: base.into(),
            tip: "HEAD".into(),
        }
    }
}

impl RevertSpec {
    /// `app`'s own commits since `base` (its history entries newer than that revision, newest
    /// first): a rollback of one app that leaves the other apps' commits alone.
    pub fn app_since(app: impl Into<String>, base: impl Into<String>, revs: Vec<String>) -> RevertSpec {
        RevertSpec::AppCommits {
            app: app.into(),
            base: base.into(),
            revs,
        }
    }
}

/// A computed revert, not yet written: what the preview shows and the confirmation commits.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RevertPlan {
    pub spec: RevertSpec,
    /// The checked-out branch the revert builds on (`main`).
    pub onto: String,
    /// That branch's commit when planned; the revert's parent.
    pub head: String,
    /// The branch the revert goes on: `sextant/revert-1a2b3c4` (`-2`, ... when taken).
    pub branch: String,
    /// The tree of the revert commit.
    pub tree: String,
    /// The full commit message; its first line is the PR title.
    pub message: String,
    /// The reverted commits, newest first.
    pub reverted: Vec<CommitSummary>,
    /// What the revert changes against `head`, by path.
    pub files: Vec<ChangedFile>,
    /// `branch` already holds this very revert (an earlier attempt): creating reuses it.
    pub existing_commit: Option<String>,
    /// The revert commit written (unreferenced) by [`GitRepo::prepare_revert`] for a preview;
    /// creating puts the branch on it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub prepared: Option<String>,
}

impl RevertPlan {
    /// The commit's subject, for a PR title.
    pub fn title(&self) -> &str {
        self.message.lines().next().unwrap_or_default()
    }

    /// The message after the subject, for a PR body.
    pub fn description(&self) -> &str {
        self.message
            .split_once("\n\n")
            .map_or("", |(_, rest)| rest.trim_end())
    }
}

/// A revert that now exists as a branch.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RevertOutcome {
    pub plan: RevertPlan,
    /// The revert commit.
    pub commit: String,
    /// The branch held this revert already (an earlier attempt); nothing new was written.
    pub reused: bool,
}

impl RevertOutcome {
    pub fn branch(&self) -> &str {
        &self.plan.branch
    }
}

/// A plan and what creating it needs that plain data does not carry.
struct Computed {
    plan: RevertPlan,
    repo: gix::Repository,
    head: ObjectId,
    tree: ObjectId,
    existing: Option<ObjectId>,
}

impl GitRepo {
    /// Compute a revert without writing anything: every merged object stays in memory.
    pub fn plan_revert(&self, spec: &RevertSpec) -> Result<RevertPlan, RevertError> {
        self.compute(spec).map(|c| c.plan)
    }

    /// What the action gate is asked for before a revert is created here.
    pub fn revert_target(&self) -> Target {
        let path = self.work_dir().unwrap_or_else(|| self.git_dir());
        Target::Repository(path.display().to_string())
    }

    /// The plan, computed again, unless the branch moved since (or the result differs).
    fn recompute_unmoved(&self, plan: &RevertPlan) -> Result<Computed, RevertError> {
        let computed = self.compute(&plan.spec)?;
        if computed.plan.head != plan.head || computed.plan.tree != plan.tree {
            return Err(RevertError::HeadMoved {
                branch: plan.onto.clone(),
                planned: short(&plan.head).to_owned(),
                actual: short(&computed.plan.head).to_owned(),
            });
        }
        Ok(computed)
    }

    /// Write the revert commit a plan describes as an unreferenced object, so that it can be
    /// rendered and previewed by its id, and note it in the plan: [`GitRepo::create_revert`] then
    /// branches at it. No ref, worktree or index changes. Returns the commit id.
    pub fn prepare_revert(&self, plan: &mut RevertPlan) -> Result<String, RevertError> {
        if let Some(id) = plan.existing_commit.clone().or_else(|| plan.prepared.clone()) {
            return Ok(id);
        }
        let Computed { repo, head, tree, .. } = self.recompute_unmoved(plan)?;
        let id = write::commit(repo, tree, head, &plan.message)?.to_string();
        tracing::info!(commit = %id, branch = %plan.branch, "revert prepared for a preview (no ref)");
        plan.prepared = Some(id.clone());
        Ok(id)
    }

    /// Write the revert a plan describes: the commit (or the one [`GitRepo::prepare_revert`]
    /// wrote) and its branch. It needs the gate's permit for [`Action::Revert`] on
    /// [`GitRepo::revert_target`]. Refused when the branch moved since the plan (preview again),
    /// so what is created is what was previewed.
    pub fn create_revert(&self, permit: &Permit, plan: &RevertPlan) -> Result<RevertOutcome, RevertError> {
        let target = self.revert_target();
        if !permit.covers(Action::Revert, &target) {
            return Err(RevertError::NotPermitted {
                target: target.to_string(),
            });
        }
        let computed = self.recompute_unmoved(plan)?;
        let Computed {
            plan: fresh,
            repo,
            head,
            tree,
            existing,
        } = computed;
        if let Some(existing) = existing {
            tracing::info!(branch = %fresh.branch, commit = %existing, "revert branch exists already; reused");
            return Ok(RevertOutcome {
                commit: existing.to_string(),
                plan: fresh,
                reused: true,
            });
        }
        let prepared = plan
            .prepared
            .as_deref()
            .and_then(|id| write::is_commit_of(&self.local(), id, head, tree, &fresh.message));
        let id = match prepared {
            Some(id) => id,
            None => write::commit(repo, tree, head, &fresh.message)?,
        };
        let repo = self.local();
        write::create_branch(&repo, &fresh.branch, id, fresh.title())?;
        tracing::info!(branch = %fresh.branch, commit = %id, onto = %fresh.onto, "revert committed");
        Ok(RevertOutcome {
            commit: id.to_string(),
            plan: fresh,
            reused: false,
        })
    }

    /// Plan and create in one go.
    pub fn revert(&self, permit: &Permit, spec: &RevertSpec) -> Result<RevertOutcome, RevertError> {
        let plan = self.plan_revert(spec)?;
        self.create_revert(permit, &plan)
    }

    /// The diff of one file of a plan (`file.path`), before anything is written: the merged
    /// content may exist only in memory, which [`GitRepo::file_diff`] cannot read.
    pub fn revert_file_diff(
        &self,
        plan: &RevertPlan,
        file: &ChangedFile,
        limits: &DiffLimits,
    ) -> Result<FileDiff, RevertError> {
        let computed = self.compute(&plan.spec)?;
        if computed.plan.head != plan.head {
            return Err(RevertError::HeadMoved {
                branch: plan.onto.clone(),
                planned: short(&plan.head).to_owned(),
                actual: short(&computed.plan.head).to_owned(),
            });
        }
        let repo = &computed.repo;
        let old = super::detail::read_blob(repo, file.old_blob.as_deref(), &file.path)?;
        let new = super::detail::read_blob(repo, file.new_blob.as_deref(), &file.path)?;
        Ok(crate::diff::diff_bytes(&old, &new, limits))
    }

    fn compute(&self, spec: &RevertSpec) -> Result<Computed, RevertError> {
        let repo = self.local().with_object_memory();
        // Who commits is asked now, so a preview fails before the user confirms anything.
        write::signatures(&repo)?;
        let (onto, head) = checked_out_branch(&repo)?;
        let picked = match spec {
            RevertSpec::Commit { rev, mainline } => pick::one(&repo, rev, *mainline)?,
            RevertSpec::Range { base, tip } => pick::range(&repo, base, tip, head, &onto)?,
            RevertSpec::AppCommits { app, base, revs } => pick::several(&repo, app, base, revs)?,
        };
        let head_tree = repo
            .find_commit(head)
            .and_then(|c| c.tree_id())
            .map_err(|_| crate::git::GitError::object(head, format!("reading the tree of {onto}")))?
            .detach();
        let tree = merge::undo_all(&repo, head_tree, &picked.steps, &onto)?;
        if tree == head_tree {
            return Err(RevertError::NoEffect {
                what: picked.what,
                branch: onto,
            });
        }
        let reverted_lines: Vec<message::Reverted<'_>> = picked
            .steps
            .iter()
            .map(|s| message::Reverted {
                sha: &s.commit.sha,
                subject: &s.commit.summary,
                mainline_parent: s.mainline_parent.as_deref(),
            })
            .collect();
        let message = match &picked.range_label {
            Some(label) => message::range(label, &onto, &reverted_lines),
            None => reverted_lines.first().map(message::single).unwrap_or_default(),
        };
        let (branch, existing) = write::choose_branch(&repo, &picked.stem, head, tree)?;
        let files = super::detail::changed_files_between_trees(&repo, Some(head_tree), tree)?;
        let plan = RevertPlan {
            spec: spec.clone(),
            onto,
            head: head.to_string(),
            branch,
            tree: tree.to_string(),
            message,
            reverted: picked.steps.into_iter().map(|s| s.commit).collect(),
            files,
            existing_commit: existing.map(|e| e.to_string()),
            prepared: None,
        };
        Ok(Computed {
            plan,
            repo,
            head,
            tree,
            existing,
        })
    }
}

/// The checked-out branch's short name and commit; a detached or unborn HEAD is refused.
fn checked_out_branch(repo: &gix::Repository) -> Result<(String, ObjectId), RevertError> {
    let head = repo.head().map_err(|e| RevertError::gix("reading HEAD", &e))?;
    match &head.kind {
        gix::head::Kind::Symbolic(reference) => {
            let name = reference.name.shorten().to_str_lossy().into_owned();
            let id = head
                .id()
                .ok_or_else(|| RevertError::Unborn { branch: name.clone() })?
                .detach();
            Ok((name, id))
        }
        gix::head::Kind::Detached { target, peeled } => Err(RevertError::DetachedHead {
            short_sha: short(&peeled.unwrap_or(*target).to_string()).to_owned(),
        }),
        gix::head::Kind::Unborn(name) => Err(RevertError::Unborn {
            branch: name.shorten().to_str_lossy().into_owned(),
        }),
    }
}
