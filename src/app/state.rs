//! The whole UI state as plain data. `update` changes it; `ui::draw` renders it.

use super::keymap::Keymap;
use super::palette::PaletteState;
use super::state_diff::DiffState;
use super::state_git::{BlobContent, CommitDetail, RepoView, TreeRow};
use std::collections::BTreeSet;

/// The panes of the main screen, in Tab order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Pane {
    Repos,
    Commits,
    Clusters,
    Apps,
    Activity,
}

impl Pane {
    pub const ORDER: [Pane; 3] = [Pane::Repos, Pane::Commits, Pane::Clusters];
    /// Tab order while the live engine reports (the cockpit panes are shown).
    pub const COCKPIT_ORDER: [Pane; 5] = [
        Pane::Repos,
        Pane::Commits,
        Pane::Clusters,
        Pane::Apps,
        Pane::Activity,
    ];
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
    /// Index into `visible()` of the selected row.
    pub selected: usize,
    /// Directories folded by the user (their paths).
    pub collapsed: BTreeSet<String>,
}

impl TreeState {
    /// Indices into `rows` of the rows shown: everything not inside a collapsed directory.
    pub fn visible(&self) -> Vec<usize> {
        let Some(rows) = &self.rows else { return Vec::new() };
        let mut out = Vec::with_capacity(rows.len());
        let mut hidden_under: Option<&str> = None;
        for (i, row) in rows.iter().enumerate() {
            if let Some(dir) = hidden_under {
                if row.path.len() > dir.len()
                    && row.path.starts_with(dir)
                    && row.path.as_bytes()[dir.len()] == b'/'
                {
                    continue;
                }
                hidden_under = None;
            }
            out.push(i);
            if self.collapsed.contains(&row.path) {
                hidden_under = Some(&row.path);
            }
        }
        out
    }

    /// The selected row.
    pub fn selected_row(&self) -> Option<&TreeRow> {
        let i = *self.visible().get(self.selected)?;
        self.rows.as_ref()?.get(i)
    }
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
    Cockpit(super::cockpit::CockpitView),
}

impl View {
    pub fn req(&self) -> u64 {
        match self {
            View::Detail(d) => d.req,
            View::Diff(_, req) => *req,
            View::Tree(t) => t.req,
            View::File(f) => f.req,
            View::Cockpit(_) => 0,
        }
    }
}

/// The help overlay's largest size (columns, rows), borders included.
pub const HELP_SIZE: (u16, u16) = (80, 40);

/// How many lines the help overlay holds: a title and a blank line per section, a line per
/// action, the palette's commands under their title, a blank line, then the typing keys
/// under theirs.
pub fn help_len(keymap: &super::keymap::Keymap) -> usize {
    super::action::Section::ALL.len() * 2
        + keymap.bindings().len()
        + 1
        + super::palette::COMMANDS.len()
        + 2
        + super::line_edit::help().count()
}

/// The furthest the help overlay scrolls on a terminal of `size`: its last line at the bottom.
/// The overlay is centred on the body (the screen less its status line), a row clear of its
/// edges, and has two border rows.
pub fn help_max_scroll(keymap: &super::keymap::Keymap, size: (u16, u16)) -> usize {
    let body = size.1.saturating_sub(1);
    let rows = HELP_SIZE.1.min(body.saturating_sub(2)).saturating_sub(2);
    help_len(keymap).saturating_sub(rows as usize)
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
    /// Clusters, apps and drift from the live engine.
    pub cockpit: super::cockpit::CockpitState,
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
            errors: Vec::new(),
            notice: None,
            mark: None,
            theme: theme.to_string(),
            keymap,
            size: (80, 24),
            now: 0,
            quit: false,
            cockpit: Default::default(),
            next_req: 1,
        }
    }

    /// A fresh id for a request, so answers land in the view that asked.
    pub fn request_id(&mut self) -> u64 {
        self.next_req += 1;
        self.next_req
    }

    /// Whether keys go to the Commits pane's `/` filter.
    pub fn commits_typing(&self) -> bool {
        self.current_repo().is_some_and(|r| r.commits.filter.typing)
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
