//! The whole UI state as plain data. `update` changes it; `ui::draw` renders it.

use super::keymap::Keymap;
use super::palette::PaletteState;
use super::state_diff::DiffState;
use super::state_git::{BlobContent, CommitDetail, RepoView, TreeRow};

/// The panes of the main screen, in Tab order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Pane {
    Repos,
    Commits,
    Clusters,
}

impl Pane {
    pub const ORDER: [Pane; 3] = [Pane::Repos, Pane::Commits, Pane::Clusters];
}

/// A commit (or a comparison of two) with its changed files.
#[derive(Debug, Clone, PartialEq)]
pub struct DetailState {
    pub req: u64,
    pub repo: usize,
    pub id: String,
    pub base: Option<String>,
    pub detail: Option<CommitDetail>,
    pub error: Option<String>,
    /// Selected changed file.
    pub selected: usize,
}

/// The files of one revision.
#[derive(Debug, Clone, PartialEq)]
pub struct TreeState {
    pub req: u64,
    pub repo: usize,
    pub rev: String,
    pub rows: Option<Vec<TreeRow>>,
    pub error: Option<String>,
    pub selected: usize,
}

/// One file at one revision, highlighted.
#[derive(Debug, Clone, PartialEq)]
pub struct FileState {
    pub req: u64,
    pub rev: String,
    pub path: String,
    pub content: Option<BlobContent>,
    pub error: Option<String>,
    pub scroll: usize,
    pub hscroll: usize,
}

/// A full-screen view opened over the main screen; `Esc` pops it.
#[derive(Debug, Clone, PartialEq)]
pub enum View {
    Detail(DetailState),
    Diff(DiffState, u64),
    Tree(TreeState),
    File(FileState),
}

impl View {
    pub fn req(&self) -> u64 {
        match self {
            View::Detail(d) => d.req,
            View::Diff(_, req) => *req,
            View::Tree(t) => t.req,
            View::File(f) => f.req,
        }
    }
}

/// A popup over everything else.
#[derive(Debug, Clone, PartialEq)]
pub enum Overlay {
    Help { scroll: usize },
    Palette(PaletteState),
    Branches { selected: usize },
}

/// A commit marked for comparison.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mark {
    pub repo: usize,
    pub id: String,
}

/// Everything the screen shows.
#[derive(Debug, Clone, PartialEq)]
pub struct State {
    pub repos: Vec<RepoView>,
    /// Selected repo.
    pub repo: usize,
    pub focus: Pane,
    /// Full-screen views, the last on top.
    pub views: Vec<View>,
    pub overlay: Option<Overlay>,
    /// Keys go to the commit filter while this is set.
    pub filter_input: bool,
    /// Errors not yet dismissed, newest last; the error panel shows them.
    pub errors: Vec<String>,
    /// A one-line message in the status bar.
    pub notice: Option<String>,
    pub mark: Option<Mark>,
    pub theme: String,
    pub keymap: Keymap,
    /// Terminal size (columns, rows).
    pub size: (u16, u16),
    /// Wall clock in seconds since the epoch, for relative times; set by the driver.
    pub now: i64,
    pub quit: bool,
    next_req: u64,
}

impl State {
    pub fn new(repo_specs: &[String], theme: &str, keymap: Keymap) -> State {
        State {
            repos: repo_specs.iter().map(|s| RepoView::new(s)).collect(),
            repo: 0,
            focus: Pane::Commits,
            views: Vec::new(),
            overlay: None,
            filter_input: false,
            errors: Vec::new(),
            notice: None,
            mark: None,
            theme: theme.to_string(),
            keymap,
            size: (80, 24),
            now: 0,
            quit: false,
            next_req: 1,
        }
    }

    /// A fresh id for a request, so answers land in the view that asked.
    pub fn request_id(&mut self) -> u64 {
        self.next_req += 1;
        self.next_req
    }

    pub fn current_repo(&self) -> Option<&RepoView> {
        self.repos.get(self.repo)
    }

    pub fn current_repo_mut(&mut self) -> Option<&mut RepoView> {
        self.repos.get_mut(self.repo)
    }

    pub fn top_view(&self) -> Option<&View> {
        self.views.last()
    }

    /// The view waiting for request `req`, if it is still open.
    pub fn view_for(&mut self, req: u64) -> Option<&mut View> {
        self.views.iter_mut().find(|v| v.req() == req)
    }

    /// Show an error in the error panel (and the log).
    pub fn push_error(&mut self, message: impl Into<String>) {
        let message = message.into();
        tracing::warn!("shown to the user: {message}");
        self.errors.push(message);
    }
}
