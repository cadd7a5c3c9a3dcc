//! Plain data the Git engine hands to its callers (TUI panes, CLI, drift engine).
//! Ids are full lowercase hex strings so that the types serialise and compare without gix.

use serde::Serialize;

/// Who did something, and when (seconds since the Unix epoch, plus the signer's UTC offset).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Person {
    pub name: String,
    pub email: String,
    pub time: i64,
    pub offset_secs: i32,
}

impl Person {
    /// `YYYY-MM-DD` in the signer's own time zone, as `git log --date=short` prints it.
    pub fn short_date(&self) -> String {
        gix::date::Time::new(self.time, self.offset_secs).format_or_unix(gix::date::time::format::SHORT)
    }

    /// `YYYY-MM-DD HH:MM:SS +ZZZZ`.
    pub fn iso_date(&self) -> String {
        gix::date::Time::new(self.time, self.offset_secs).format_or_unix(gix::date::time::format::ISO8601)
    }
}

/// One line of the log: what a commit list row needs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CommitSummary {
    pub sha: String,
    pub short_sha: String,
    /// The first line of the message.
    pub summary: String,
    pub author: Person,
    /// The committer time, which orders the log.
    pub commit_time: i64,
    pub parents: Vec<String>,
    /// This commit is a shallow-clone boundary: its parents exist upstream but not here.
    pub shallow_boundary: bool,
}

/// Why a log cursor stopped yielding commits.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum LogEnd {
    /// Every reachable commit was returned.
    Complete,
    /// The history goes on upstream, but this is a shallow clone and stops here.
    ShallowBoundary,
    /// The repository has no commits yet.
    Empty,
}

/// One page of the log. `end` is `None` while more commits may follow.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LogPage {
    pub commits: Vec<CommitSummary>,
    pub end: Option<LogEnd>,
    /// Commits examined to fill this page (more than `commits.len()` when a filter is set).
    pub scanned: usize,
}

/// Where HEAD points.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum HeadState {
    /// On a branch (short name, e.g. `main`) at a commit.
    Branch { name: String, sha: String },
    /// Detached at a commit.
    Detached { sha: String },
    /// On a branch with no commits yet (an empty repository).
    Unborn { name: String },
}

impl HeadState {
    /// The commit HEAD points at, if any.
    pub fn sha(&self) -> Option<&str> {
        match self {
            HeadState::Branch { sha, .. } | HeadState::Detached { sha } => Some(sha),
            HeadState::Unborn { .. } => None,
        }
    }

    /// How a pane title names it: `main`, `detached at 1a2b3c4`, `main (no commits)`.
    pub fn label(&self) -> String {
        match self {
            HeadState::Branch { name, .. } => name.clone(),
            HeadState::Detached { sha } => format!("detached at {}", short(sha)),
            HeadState::Unborn { name } => format!("{name} (no commits)"),
        }
    }
}

/// A local or remote-tracking branch.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct BranchInfo {
    /// Short name: `main`, `origin/main`.
    pub name: String,
    /// Full ref name: `refs/heads/main`.
    pub full_name: String,
    pub sha: String,
    pub is_remote: bool,
    /// HEAD points at this branch.
    pub is_head: bool,
}

/// What a repository is, for the Repos pane.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RepoSummary {
    /// A display name: the work tree's directory name, or the URL's last segment.
    pub name: String,
    /// The `.git` dir (or bare repo dir).
    pub git_dir: String,
    pub work_dir: Option<String>,
    /// The URL it was cloned from when opened through the cache.
    pub url: Option<String>,
    pub head: HeadState,
    pub is_shallow: bool,
    /// No commits yet.
    pub is_empty: bool,
}

/// How a file changed between two commits.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum ChangeKind {
    Added,
    Modified,
    Deleted,
    Renamed,
    Copied,
}

impl ChangeKind {
    /// One letter, as `git diff --name-status` prints it.
    pub fn letter(self) -> char {
        match self {
            ChangeKind::Added => 'A',
            ChangeKind::Modified => 'M',
            ChangeKind::Deleted => 'D',
            ChangeKind::Renamed => 'R',
            ChangeKind::Copied => 'C',
        }
    }
}

/// One changed file. Blob ids let the caller load the file diff later ([`crate::git::GitRepo::file_diff`]).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ChangedFile {
    pub kind: ChangeKind,
    /// Path after the change (for deletions: the deleted path).
    pub path: String,
    /// Path before a rename or copy.
    pub old_path: Option<String>,
    pub old_blob: Option<String>,
    pub new_blob: Option<String>,
    pub additions: usize,
    pub deletions: usize,
    /// Either side is binary: no line counts, the diff is "binary, N bytes".
    pub binary: bool,
    pub old_size: u64,
    pub new_size: u64,
    /// The line counts cover only the first part of a huge file.
    pub truncated: bool,
}

/// A commit and everything it changed against its first parent (or against `base` in a compare).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CommitDetail {
    pub commit: CommitSummary,
    pub committer: Person,
    /// The full message.
    pub message: String,
    /// The commit the files are compared against: the first parent, or the compare base.
    /// `None` for a root commit (everything is added).
    pub base: Option<String>,
    pub files: Vec<ChangedFile>,
}

/// The kind of a tree entry.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum EntryKind {
    Dir,
    File,
    Executable,
    Symlink,
    Submodule,
}

/// One entry of a directory at a revision.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TreeEntry {
    pub name: String,
    /// Path from the repo root.
    pub path: String,
    pub kind: EntryKind,
    pub sha: String,
}

/// A file's content at a revision.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BlobContent {
    Text(String),
    Binary { size: u64 },
}

/// Progress of a clone or fetch, reported about ten times a second.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TransferProgress {
    /// What is happening: "receiving objects", "resolving deltas", ...
    pub phase: String,
    pub done: usize,
    pub total: Option<usize>,
}

/// The first seven hex digits of an id.
pub fn short(sha: &str) -> &str {
    sha.get(..7).unwrap_or(sha)
}
