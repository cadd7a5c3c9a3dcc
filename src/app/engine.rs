//! Runs effects against the git engine on blocking workers and sends results back as
//! messages. It holds the open repositories and one log cursor per repo, and converts the
//! engine's types into the UI's plain data (`state_git`, `state_diff`).

use super::engine_actions::ActionsContext;
use super::msg::{CommitPage, Effect, Msg};
use super::state_git::{
    BlobContent, BranchRow, ChangeKind, CommitDetail, CommitRow, EntryKind, FileChange, RepoInfo, TreeRow,
};
use crate::diff as engine_diff;
use crate::git::{self, GitRepo, LogCursor};
use crate::logging::Dirs;
use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use tokio::sync::mpsc::UnboundedSender;

/// The most tree entries listed for one revision (a config repo has far fewer).
const MAX_TREE_ROWS: usize = 20_000;
/// The most lines of a file shown in the file view.
const MAX_FILE_LINES: usize = 50_000;

/// A log cursor and the generation of the list it fills.
struct Cursor {
    generation: u64,
    position: usize,
    cursor: LogCursor,
}

#[derive(Default)]
struct Shared {
    repos: Mutex<HashMap<usize, GitRepo>>,
    cursors: Mutex<HashMap<usize, Arc<Mutex<Cursor>>>>,
}

/// Executes [`Effect`]s; results arrive on the loop's channel.
pub struct Engine {
    tx: UnboundedSender<Msg>,
    dirs: Dirs,
    shared: Arc<Shared>,
    actions: Arc<ActionsContext>,
}

impl Engine {
    /// `actions`: the gate and config the revert, push and pull request effects write through.
    pub fn new(tx: UnboundedSender<Msg>, dirs: Dirs, actions: ActionsContext) -> Engine {
        Engine {
            tx,
            dirs,
            shared: Arc::new(Shared::default()),
            actions: Arc::new(actions),
        }
    }

    /// Start the work for `effect` on a blocking worker.
    pub fn run(&mut self, effect: Effect) {
        let tx = self.tx.clone();
        let shared = self.shared.clone();
        let dirs = self.dirs.clone();
        let actions = self.actions.clone();
        tokio::task::spawn_blocking(move || {
            let copy = effect.clone();
            let run = std::panic::AssertUnwindSafe(|| {
                if let Some(repo) = action_repo(&effect) {
                    let repo = repo_of(&shared, repo);
                    return super::engine_actions::execute(effect, repo, &actions, &tx);
                }
                execute(effect, &tx, &shared, &dirs)
            });
            let msg = match std::panic::catch_unwind(run) {
                Ok(msg) => msg,
                Err(_) => failed(
                    copy,
                    "internal error while reading the repository (see the log)".into(),
                ),
            };
            if let Some(msg) = msg {
                let _ = tx.send(msg);
            }
        });
    }
}

/// The repo of a Git-actions effect (revert, push, pull request, history), run by
/// `engine_actions`; `None` for the others.
fn action_repo(effect: &Effect) -> Option<usize> {
    match effect {
        Effect::PlanRevert { repo, .. }
        | Effect::CreateRevert { repo, .. }
        | Effect::Push { repo, .. }
        | Effect::OpenPr { repo, .. }
        | Effect::PlanPr { repo, .. }
        | Effect::LoadHistory { repo, .. }
        | Effect::RecordRollback { repo, .. } => Some(*repo),
        Effect::OpenUrl(_) => Some(0),
        _ => None,
    }
}

fn repo_of(shared: &Shared, repo: usize) -> Result<GitRepo, String> {
    let repos = shared
        .repos
        .lock()
        .map_err(|_| "internal: repo table poisoned".to_string())?;
    repos
        .get(&repo)
        .cloned()
        .ok_or_else(|| "the repository is not open".to_string())
}

fn execute(effect: Effect, tx: &UnboundedSender<Msg>, shared: &Shared, dirs: &Dirs) -> Option<Msg> {
    let s = |e: git::GitError| e.to_string();
    Some(match effect {
        Effect::OpenRepo { repo, spec } => {
            let progress = |p: git::TransferProgress| {
                let fraction = p.total.filter(|t| *t > 0).map(|t| p.done as f64 / t as f64);
                let _ = tx.send(Msg::CloneProgress {
                    repo,
                    phase: p.phase,
                    fraction,
                });
            };
            let result = git::open_spec(&spec, dirs, &progress).and_then(|r| {
                let summary = r.summary()?;
                if let Ok(mut repos) = shared.repos.lock() {
                    repos.insert(repo, r);
                }
                if let Ok(mut cursors) = shared.cursors.lock() {
                    cursors.remove(&repo);
                }
                Ok(repo_info(summary))
            });
            Msg::RepoOpened {
                repo,
                result: result.map_err(s),
            }
        }
        Effect::Distance { repo, base, target } => {
            let result = repo_of(shared, repo).and_then(|r| r.distance(&base, &target).map_err(s));
            Msg::Distance { base, target, result }
        }
        Effect::LoadBranches { repo } => {
            let result = repo_of(shared, repo)
                .and_then(|r| r.branches().map_err(s))
                .map(|bs| {
                    bs.into_iter()
                        .map(|b| BranchRow {
                            name: b.name,
                            is_head: b.is_head,
                            is_remote: b.is_remote,
                        })
                        .collect()
                });
            Msg::Branches { repo, result }
        }
        Effect::LoadCommits {
            repo,
            rev,
            skip,
            count,
            generation,
        } => {
            let result = load_page(shared, repo, rev.as_deref(), skip, count, generation);
            Msg::Commits {
                repo,
                generation,
                result,
            }
        }
        Effect::LoadDetail { req, repo, id, base } => {
            let result = repo_of(shared, repo).and_then(|r| {
                let d = match &base {
                    Some(b) => r.compare(b, &id),
                    None => r.commit_detail(&id),
                };
                d.map_err(s).map(|d| detail(d, base.is_some()))
            });
            Msg::Detail { req, result }
        }
        Effect::LoadDiff { req, repo, file } => {
            let result = repo_of(shared, repo).and_then(|r| {
                let changed = changed_file(&file);
                r.file_diff(&changed, &engine_diff::DiffLimits::default())
                    .map_err(s)
            });
            Msg::Diff { req, result }
        }
        Effect::LoadTree { req, repo, rev } => {
            let result = repo_of(shared, repo).and_then(|r| tree_rows(&r, &rev).map_err(s));
            Msg::Tree { req, result }
        }
        Effect::LoadBlob { req, repo, rev, path } => {
            let result = repo_of(shared, repo)
                .and_then(|r| r.read_blob(&rev, &path).map_err(s))
                .map(blob);
            Msg::Blob { req, result }
        }
        // Handled by the loop itself, and by `engine_actions`.
        Effect::SetTheme(_) | Effect::Engine(_) => return None,
        Effect::PlanRevert { .. }
        | Effect::CreateRevert { .. }
        | Effect::Push { .. }
        | Effect::OpenPr { .. }
        | Effect::PlanPr { .. }
        | Effect::LoadHistory { .. }
        | Effect::RecordRollback { .. }
        | Effect::OpenUrl(_) => return None,
        Effect::ReadAudit { req } => {
            let log = crate::gitops::audit::AuditLog::in_dir(&dirs.data);
            let result = log.read().map(|(mut entries, _)| {
                entries.reverse();
                entries
            });
            Msg::Audit { req, result }
        }
    })
}

/// The error answer to `effect`, so the view that asked stops waiting.
fn failed(effect: Effect, e: String) -> Option<Msg> {
    Some(match effect {
        Effect::OpenRepo { repo, .. } => Msg::RepoOpened { repo, result: Err(e) },
        Effect::LoadBranches { repo } => Msg::Branches { repo, result: Err(e) },
        Effect::LoadCommits { repo, generation, .. } => Msg::Commits {
            repo,
            generation,
            result: Err(e),
        },
        Effect::LoadDetail { req, .. } => Msg::Detail { req, result: Err(e) },
        Effect::LoadDiff { req, .. } => Msg::Diff { req, result: Err(e) },
        Effect::LoadTree { req, .. } => Msg::Tree { req, result: Err(e) },
        Effect::LoadBlob { req, .. } => Msg::Blob { req, result: Err(e) },
        Effect::Distance { base, target, .. } => Msg::Distance {
            base,
            target,
            result: Err(e),
        },
        Effect::SetTheme(_) | Effect::Engine(_) => return None,
        Effect::ReadAudit { req } => Msg::Audit { req, result: Err(e) },
        Effect::PlanRevert { req, .. } => Msg::RevertPlanned { req, result: Err(e) },
        Effect::PlanPr { req, .. } => Msg::PrPlanned { req, result: Err(e) },
        Effect::CreateRevert { req, .. } | Effect::Push { req, .. } | Effect::OpenPr { req, .. } => {
            Msg::StepDone { req, result: Err(e) }
        }
        Effect::LoadHistory { req, .. } => Msg::History { req, result: Err(e) },
        Effect::RecordRollback { .. } | Effect::OpenUrl(_) => return None,
    })
}

/// The next page, from the cursor of this list generation (a new cursor when the list was reset).
fn load_page(
    shared: &Shared,
    repo: usize,
    rev: Option<&str>,
    skip: usize,
    count: usize,
    generation: u64,
) -> Result<CommitPage, String> {
    let slot = {
        let mut cursors = shared
            .cursors
            .lock()
            .map_err(|_| "internal: cursor table poisoned".to_string())?;
        let reuse = cursors.get(&repo).filter(|c| {
            c.lock()
                .is_ok_and(|c| c.generation == generation && c.position == skip)
        });
        match reuse {
            Some(c) => c.clone(),
            None => {
                let r = repo_of(shared, repo)?;
                let mut cursor = r.log(rev, None).map_err(|e| e.to_string())?;
                let mut position = 0;
                while position < skip && !cursor.is_done() {
                    let page = cursor
                        .next_page((skip - position).min(1000))
                        .map_err(|e| e.to_string())?;
                    position += page.commits.len();
                }
                let c = Arc::new(Mutex::new(Cursor {
                    generation,
                    position,
                    cursor,
                }));
                cursors.insert(repo, c.clone());
                c
            }
        }
    };
    let mut c = slot.lock().map_err(|_| "internal: cursor poisoned".to_string())?;
    let page = c.cursor.next_page(count).map_err(|e| e.to_string())?;
    c.position += page.commits.len();
    Ok(CommitPage {
        exhausted: page.end.is_some(),
        rows: page.commits.into_iter().map(commit_row).collect(),
    })
}

fn repo_info(s: git::RepoSummary) -> RepoInfo {
    let branch = match &s.head {
        git::HeadState::Branch { name, .. } | git::HeadState::Unborn { name } => Some(name.clone()),
        git::HeadState::Detached { .. } => None,
    };
    RepoInfo {
        name: s.name,
        path: s.work_dir.unwrap_or(s.git_dir),
        branch,
        head: s.head.sha().map(str::to_string),
        shallow: s.is_shallow,
    }
}

fn commit_row(c: git::CommitSummary) -> CommitRow {
    CommitRow {
        id: c.sha,
        short: c.short_sha,
        summary: c.summary,
        author: c.author.name,
        time: c.author.time,
        parents: c.parents.len(),
    }
}

fn detail(d: git::CommitDetail, compare: bool) -> CommitDetail {
    CommitDetail {
        id: d.commit.sha,
        base: if compare { d.base } else { None },
        author: d.commit.author.name,
        email: d.commit.author.email,
        time: d.commit.author.time,
        committer: d.committer.name,
        parents: d.commit.parents,
        message: d.message,
        files: d.files.into_iter().map(file_change).collect(),
    }
}

/// A changed file as the UI's plain data.
pub fn file_change(f: git::ChangedFile) -> FileChange {
    let kind = match f.kind {
        git::ChangeKind::Added => ChangeKind::Added,
        git::ChangeKind::Modified => ChangeKind::Modified,
        git::ChangeKind::Deleted => ChangeKind::Deleted,
        git::ChangeKind::Renamed => ChangeKind::Renamed,
        git::ChangeKind::Copied => ChangeKind::Copied,
    };
    FileChange {
        path: f.path,
        old_path: f.old_path,
        kind,
        added: f.additions,
        removed: f.deletions,
        binary: f.binary,
        old_blob: f.old_blob,
        new_blob: f.new_blob,
        old_size: f.old_size,
        new_size: f.new_size,
    }
}

fn changed_file(f: &FileChange) -> git::ChangedFile {
    let kind = match f.kind {
        ChangeKind::Added => git::ChangeKind::Added,
        ChangeKind::Modified => git::ChangeKind::Modified,
        ChangeKind::Deleted => git::ChangeKind::Deleted,
        ChangeKind::Renamed => git::ChangeKind::Renamed,
        ChangeKind::Copied => git::ChangeKind::Copied,
    };
    git::ChangedFile {
        kind,
        path: f.path.clone(),
        old_path: f.old_path.clone(),
        old_blob: f.old_blob.clone(),
        new_blob: f.new_blob.clone(),
        additions: f.added,
        deletions: f.removed,
        binary: f.binary,
        old_size: f.old_size,
        new_size: f.new_size,
        truncated: false,
    }
}

/// Every entry of `rev`, depth first, directories before files (as the engine sorts them).
fn tree_rows(r: &GitRepo, rev: &str) -> git::Result<Vec<TreeRow>> {
    let mut out = Vec::new();
    walk_tree(r, rev, "", 0, &mut out)?;
    Ok(out)
}

fn walk_tree(r: &GitRepo, rev: &str, dir: &str, depth: usize, out: &mut Vec<TreeRow>) -> git::Result<()> {
    for e in r.tree_entries(rev, dir)? {
        if out.len() >= MAX_TREE_ROWS {
            return Ok(());
        }
        let kind = match e.kind {
            git::EntryKind::Dir => EntryKind::Dir,
            git::EntryKind::File | git::EntryKind::Executable => EntryKind::File,
            git::EntryKind::Symlink => EntryKind::Link,
            git::EntryKind::Submodule => EntryKind::Submodule,
        };
        out.push(TreeRow {
            path: e.path.clone(),
            depth,
            kind,
            size: None,
        });
        if kind == EntryKind::Dir {
            walk_tree(r, rev, &e.path, depth + 1, out)?;
        }
    }
    Ok(())
}

fn blob(b: git::BlobContent) -> BlobContent {
    match b {
        git::BlobContent::Binary { size } => BlobContent::Binary { size },
        git::BlobContent::Text(text) => {
            let mut lines: Vec<String> = text
                .lines()
                .take(MAX_FILE_LINES + 1)
                .map(str::to_string)
                .collect();
            let truncated = lines.len() > MAX_FILE_LINES;
            lines.truncate(MAX_FILE_LINES);
            BlobContent::Text { lines, truncated }
        }
    }
}
