//! What comes into `update` (terminal events and worker results) and what goes out of it
//! (effects for the driver to run). Both are plain data.

use super::state_git::{BlobContent, BranchRow, CommitDetail, CommitRow, FileChange, RepoInfo, TreeRow};
use ratatui::crossterm::event::KeyEvent;

/// A page of commits: the rows and whether the walk reached the end.
#[derive(Debug, Clone, PartialEq)]
pub struct CommitPage {
    pub rows: Vec<CommitRow>,
    pub exhausted: bool,
}

/// An input to `update`.
#[derive(Debug, Clone, PartialEq)]
pub enum Msg {
    Key(KeyEvent),
    Paste(String),
    Resize(u16, u16),
    RepoOpened {
        repo: usize,
        result: Result<RepoInfo, String>,
    },
    CloneProgress {
        repo: usize,
        phase: String,
        fraction: Option<f64>,
    },
    Branches {
        repo: usize,
        result: Result<Vec<BranchRow>, String>,
    },
    Commits {
        repo: usize,
        generation: u64,
        result: Result<CommitPage, String>,
    },
    Detail {
        req: u64,
        result: Result<CommitDetail, String>,
    },
    Diff {
        req: u64,
        result: Result<crate::diff::FileDiff, String>,
    },
    Tree {
        req: u64,
        result: Result<Vec<TreeRow>, String>,
    },
    Blob {
        req: u64,
        result: Result<BlobContent, String>,
    },
    /// From the live drift engine.
    Engine(super::cockpit::EngineMsg),
    /// The audit log, read for the `:audit` view `req`.
    Audit {
        req: u64,
        result: Result<Vec<crate::gitops::audit::AuditEntry>, String>,
    },
    /// How far a deployed commit is from the rendered one.
    Distance {
        base: String,
        target: String,
        result: Result<crate::git::Distance, String>,
    },
}

/// Work for the driver: IO runs on workers and comes back as a [`Msg`].
#[derive(Debug, Clone, PartialEq)]
pub enum Effect {
    /// Open a path or clone a URL.
    OpenRepo {
        repo: usize,
        spec: String,
    },
    LoadBranches {
        repo: usize,
    },
    /// Commits of `rev` (None = HEAD), skipping the first `skip`.
    LoadCommits {
        repo: usize,
        rev: Option<String>,
        skip: usize,
        count: usize,
        generation: u64,
    },
    /// A commit against its first parent, or against `base`.
    LoadDetail {
        req: u64,
        repo: usize,
        id: String,
        base: Option<String>,
    },
    LoadDiff {
        req: u64,
        repo: usize,
        file: FileChange,
    },
    LoadTree {
        req: u64,
        repo: usize,
        rev: String,
    },
    LoadBlob {
        req: u64,
        repo: usize,
        rev: String,
        path: String,
    },
    /// Switch the theme (the driver rebuilds the palette).
    SetTheme(String),
    /// A command for the live drift engine (the driver forwards it).
    Engine(crate::gitops::engine::EngineCommand),
    /// Read the audit log for the `:audit` view `req`.
    ReadAudit {
        req: u64,
    },
    /// Count the commits between a deployed commit and the rendered one, in `repo`.
    Distance {
        repo: usize,
        base: String,
        target: String,
    },
}

/// Commits asked for per page.
pub const PAGE: usize = 200;
