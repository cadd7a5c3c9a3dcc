//! What comes into `update` (terminal events and worker results) and what goes out of it
//! (effects for the driver to run). Both are plain data.

use super::publish_data::{PrPreview, RevertPreview, StepDone};
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
    /// A revert planned for the view `req`.
    RevertPlanned {
        req: u64,
        result: Result<Box<RevertPreview>, String>,
    },
    /// A pull request planned for the view `req`.
    PrPlanned {
        req: u64,
        result: Result<Box<PrPreview>, String>,
    },
    /// A step (branch, push, pull request) of the view `req` ended.
    StepDone {
        req: u64,
        result: Result<StepDone, String>,
    },
    /// Git's progress while pushing for the view `req`.
    PushProgress {
        req: u64,
        line: String,
    },
    /// An app's history, for the rollback view `req`.
    History {
        req: u64,
        result: Result<crate::gitops::actions::history::History, String>,
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
    /// Plan a revert in `repo` and write its commit unreferenced, to preview it.
    PlanRevert {
        req: u64,
        repo: usize,
        spec: crate::git::RevertSpec,
    },
    /// Create the planned revert's branch, through the action gate.
    CreateRevert {
        req: u64,
        repo: usize,
        plan: crate::git::RevertPlan,
    },
    /// Push `branch` to `remote`, through the action gate.
    Push {
        req: u64,
        repo: usize,
        branch: String,
        remote: String,
    },
    /// Open a pull request on the forge `remote` lives on, through the action gate.
    OpenPr {
        req: u64,
        repo: usize,
        remote: String,
        pr: crate::forge::NewPullRequest,
    },
    /// Plan a pull request for the checked-out branch of `repo`.
    PlanPr {
        req: u64,
        repo: usize,
    },
    /// The history of `app` (its commits, where each runs: `deployed` is (cluster, commit)).
    LoadHistory {
        req: u64,
        repo: usize,
        app: String,
        deployed: Vec<(String, String)>,
    },
    /// Record how a rollback went in the audit log.
    RecordRollback {
        repo: usize,
        record: RollbackRecord,
    },
    /// Open a web page in the browser.
    OpenUrl(String),
}

/// A rollback's audit entry, as plain data.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RollbackRecord {
    pub app: String,
    pub cluster: String,
    pub revision: String,
    /// A pinned sync (else a revert pull request).
    pub sync: bool,
    pub outcome: String,
    pub summary: String,
    pub details: Vec<(String, String)>,
}

/// Commits asked for per page.
pub const PAGE: usize = 200;
