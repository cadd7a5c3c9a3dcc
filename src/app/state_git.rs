//! Plain data for the Git half of the screen: repos, commit pages, commit detail, diffs and
//! trees, as the UI shows them. Filled from the git engine's results by `app::engine`.

/// One row of the commit list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CommitRow {
    /// Full hex object id.
    pub id: String,
    pub short: String,
    pub summary: String,
    pub author: String,
    /// Seconds since the epoch (author time).
    pub time: i64,
    pub parents: usize,
}

/// A branch in the branch picker.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BranchRow {
    pub name: String,
    pub is_head: bool,
    pub is_remote: bool,
}

/// How far a repository got in opening.
#[derive(Debug, Clone, PartialEq)]
pub enum RepoStatus {
    Opening,
    /// A URL being cloned: phase name and progress in 0..=1 when known.
    Cloning {
        phase: String,
        fraction: Option<f64>,
    },
    Ready,
    Failed(String),
}

/// What the engine says about a freshly opened repo.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct RepoInfo {
    pub name: String,
    pub path: String,
    /// Current branch, or None when HEAD is detached.
    pub branch: Option<String>,
    /// The commit HEAD points to, None for an empty repo.
    pub head: Option<String>,
    pub shallow: bool,
}

/// One open repository and its commit list.
#[derive(Debug, Clone, PartialEq)]
pub struct RepoView {
    /// What the user passed (path or URL).
    pub spec: String,
    pub info: RepoInfo,
    pub status: RepoStatus,
    /// The revision the commit list shows (branch name or commit id).
    pub rev: Option<String>,
    pub commits: CommitList,
    pub branches: Vec<BranchRow>,
}

impl RepoView {
    pub fn new(spec: &str) -> RepoView {
        RepoView {
            spec: spec.to_string(),
            info: RepoInfo {
                name: display_name(spec),
                ..RepoInfo::default()
            },
            status: RepoStatus::Opening,
            rev: None,
            commits: CommitList::default(),
            branches: Vec::new(),
        }
    }

    /// The label of what the commit list shows: the branch, or a detached short id.
    pub fn rev_label(&self) -> String {
        match (&self.rev, &self.info.branch) {
            (Some(r), _) if r.len() == 40 && r.chars().all(|c| c.is_ascii_hexdigit()) => {
                format!("detached {}", crate::git::short(r))
            }
            (Some(r), _) => r.clone(),
            (None, Some(b)) => b.clone(),
            (None, None) => "HEAD".into(),
        }
    }
}

/// A short name for a path or URL: its last component, without `.git`.
pub fn display_name(spec: &str) -> String {
    let trimmed = spec.trim_end_matches(['/', '\\']);
    let last = trimmed.rsplit(['/', '\\', ':']).next().unwrap_or(trimmed);
    let last = last.strip_suffix(".git").unwrap_or(last);
    if last.is_empty() || last == "." {
        spec.to_string()
    } else {
        last.to_string()
    }
}

/// The lazily loaded commit list of one revision.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct CommitList {
    pub rows: Vec<CommitRow>,
    /// A page request is in flight.
    pub loading: bool,
    /// The walk reached the root: no more pages.
    pub exhausted: bool,
    /// Index into `visible()` of the selected row.
    pub selected: usize,
    /// First visible row (index into `visible()`), kept by update so the selection stays on screen.
    pub offset: usize,
    /// The `/` filter (message, author or sha); empty text = no filter.
    pub filter: super::list_filter::ListFilter,
    /// Indices into `rows` matching `filter` (all rows when the filter is empty).
    pub matches: Vec<usize>,
    /// Bumped each time the list is reset, so stale pages are dropped.
    pub generation: u64,
}

impl CommitList {
    /// Number of rows shown (after the filter).
    pub fn len(&self) -> usize {
        if self.filter.text.is_empty() {
            self.rows.len()
        } else {
            self.matches.len()
        }
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The `i`-th shown row.
    pub fn get(&self, i: usize) -> Option<&CommitRow> {
        if self.filter.text.is_empty() {
            self.rows.get(i)
        } else {
            self.matches.get(i).and_then(|&r| self.rows.get(r))
        }
    }

    pub fn selected_row(&self) -> Option<&CommitRow> {
        self.get(self.selected)
    }

    /// Recompute `matches` for the current filter (case-insensitive; a sha prefix matches).
    pub fn refilter(&mut self) {
        let needle = self.filter.text.to_lowercase();
        self.matches = if needle.is_empty() {
            Vec::new()
        } else {
            self.rows
                .iter()
                .enumerate()
                .filter(|(_, c)| row_matches(c, &needle))
                .map(|(i, _)| i)
                .collect()
        };
        self.selected = self.selected.min(self.len().saturating_sub(1));
    }

    /// Append a page, extending `matches` incrementally.
    pub fn append(&mut self, page: Vec<CommitRow>) {
        let needle = self.filter.text.to_lowercase();
        let start = self.rows.len();
        self.rows.extend(page);
        if !needle.is_empty() {
            let new = self.rows[start..]
                .iter()
                .enumerate()
                .filter(|(_, c)| row_matches(c, &needle));
            self.matches
                .extend(new.map(|(i, _)| start + i).collect::<Vec<_>>());
        }
    }
}

fn row_matches(c: &CommitRow, needle: &str) -> bool {
    c.id.starts_with(needle)
        || c.summary.to_lowercase().contains(needle)
        || c.author.to_lowercase().contains(needle)
}

/// How a file changed in a commit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ChangeKind {
    Added,
    Deleted,
    Modified,
    Renamed,
    Copied,
}

impl ChangeKind {
    pub fn letter(self) -> char {
        match self {
            ChangeKind::Added => 'A',
            ChangeKind::Deleted => 'D',
            ChangeKind::Modified => 'M',
            ChangeKind::Renamed => 'R',
            ChangeKind::Copied => 'C',
        }
    }
}

/// One changed file in a commit (or between two commits).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileChange {
    pub path: String,
    /// The old path of a rename.
    pub old_path: Option<String>,
    pub kind: ChangeKind,
    pub added: usize,
    pub removed: usize,
    pub binary: bool,
    /// Blob ids and sizes, so the engine can diff the file later without walking trees again.
    pub old_blob: Option<String>,
    pub new_blob: Option<String>,
    pub old_size: u64,
    pub new_size: u64,
}

/// A commit's metadata and changed files, or a comparison of two commits.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct CommitDetail {
    /// The commit shown (the newer side of a comparison).
    pub id: String,
    /// The base of a comparison; None for a single commit (diffed against its first parent).
    pub base: Option<String>,
    pub author: String,
    pub email: String,
    pub time: i64,
    pub committer: String,
    pub parents: Vec<String>,
    pub message: String,
    pub files: Vec<FileChange>,
}

/// What a tree listing row is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EntryKind {
    Dir,
    File,
    Link,
    Submodule,
}

/// One entry of a tree, flattened with its depth for display.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TreeRow {
    pub path: String,
    pub depth: usize,
    pub kind: EntryKind,
    pub size: Option<u64>,
}

/// A file's content at a revision.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BlobContent {
    Text { lines: Vec<String>, truncated: bool },
    Binary { size: u64 },
}
