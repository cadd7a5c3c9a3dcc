//! A pure text-diff model, shared by commit diffs (Git) and drift diffs (live -> desired).
//!
//! [`diff_bytes`] / [`diff_text`] turn two versions into a [`FileDiff`]: every line of the
//! file tagged context/added/removed with its old/new line numbers, changed-word ranges inside
//! paired changed lines, hunks (for the `@@` headers and for jumps), and limits: binary content is
//! reported as "binary, N bytes" and huge input is cut with a flag. [`FoldState`] folds long
//! unchanged runs (expandable), and [`side_by_side`] pairs lines for a two-column view.
//! No colours and no IO here: the UI styles what this describes.

mod build;
mod fold;
mod side;
mod words;

pub use fold::{Fold, FoldState, Row};
pub use side::{SideRow, side_by_side};

use serde::Serialize;
use std::ops::Range;
use std::time::Duration;

/// Bounds that keep a diff cheap enough for an interactive UI.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DiffLimits {
    /// Each side is cut at the last line break before this many bytes.
    pub max_bytes: usize,
    /// Unchanged lines kept around each change in a hunk.
    pub context: usize,
    /// After this long, the line diff settles for a coarser (still correct) answer.
    pub timeout: Duration,
}

impl Default for DiffLimits {
    fn default() -> Self {
        DiffLimits {
            max_bytes: 1 << 20,
            context: 3,
            timeout: Duration::from_secs(2),
        }
    }
}

/// The diff of one file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum FileDiff {
    Text(TextDiff),
    /// Either side holds a NUL byte in its first 8000 bytes (git's rule): not diffed.
    Binary {
        old_size: u64,
        new_size: u64,
    },
}

impl FileDiff {
    /// A notice the UI shows above the diff: "binary, N bytes", or what was cut.
    pub fn notice(&self) -> Option<String> {
        match self {
            FileDiff::Binary { old_size, new_size } if old_size == new_size || *old_size == 0 => {
                Some(format!("binary, {new_size} bytes"))
            }
            FileDiff::Binary { old_size, new_size } if *new_size == 0 => {
                Some(format!("binary, {old_size} bytes"))
            }
            FileDiff::Binary { old_size, new_size } => {
                Some(format!("binary, {old_size} bytes -> {new_size} bytes"))
            }
            FileDiff::Text(t) => t.truncated.as_ref().map(Truncation::notice),
        }
    }
}

/// Whether a line is unchanged, or only on one side.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum LineKind {
    Context,
    Added,
    Removed,
}

/// One line of the unified diff.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DiffLine {
    pub kind: LineKind,
    /// 1-based line number in the old version (None for added lines).
    pub old_no: Option<usize>,
    /// 1-based line number in the new version (None for removed lines).
    pub new_no: Option<usize>,
    /// The line without its line break.
    pub text: String,
    /// Byte ranges of `text` that changed against the paired line on the other side.
    /// Empty when the line has no pair or the pair is too different for word emphasis to help.
    pub emphasis: Vec<Range<usize>>,
}

/// A run of changes with their surrounding context: lines `start..end` of [`TextDiff::lines`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Hunk {
    pub start: usize,
    pub end: usize,
    /// 1-based first old line and old line count, as in `@@ -old_start,old_len +new_start,new_len @@`.
    pub old_start: usize,
    pub old_len: usize,
    pub new_start: usize,
    pub new_len: usize,
}

impl Hunk {
    /// `@@ -1,4 +1,5 @@`
    pub fn header(&self) -> String {
        format!(
            "@@ -{},{} +{},{} @@",
            self.old_start, self.old_len, self.new_start, self.new_len
        )
    }
}

/// What was cut from a huge input.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Truncation {
    /// Bytes of each side that were diffed.
    pub shown_bytes: usize,
    pub old_size: u64,
    pub new_size: u64,
}

impl Truncation {
    pub fn notice(&self) -> String {
        let size = self.old_size.max(self.new_size);
        format!(
            "file too large ({size} bytes): showing the diff of the first {} bytes only",
            self.shown_bytes
        )
    }
}

/// A line diff of two texts. `lines` holds the whole file; hunks index into it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Default)]
pub struct TextDiff {
    pub lines: Vec<DiffLine>,
    pub hunks: Vec<Hunk>,
    pub additions: usize,
    pub deletions: usize,
    pub truncated: Option<Truncation>,
}

impl TextDiff {
    /// No line differs.
    pub fn is_unchanged(&self) -> bool {
        self.additions == 0 && self.deletions == 0
    }

    /// The first hunk that starts after line `line` (for `]`/`n` jumps).
    pub fn next_hunk(&self, line: usize) -> Option<usize> {
        self.hunks.iter().position(|h| h.start > line)
    }

    /// The last hunk that starts before line `line` (for `[`/`N` jumps).
    pub fn prev_hunk(&self, line: usize) -> Option<usize> {
        self.hunks.iter().rposition(|h| h.start < line)
    }

    /// The hunk holding line `line`, if any.
    pub fn hunk_at(&self, line: usize) -> Option<usize> {
        self.hunks.iter().position(|h| (h.start..h.end).contains(&line))
    }

    /// Add a line that belongs to neither version (no line numbers, never a change): a
    /// caption such as the object header of a multi-object diff. Returns its index.
    pub fn push_caption(&mut self, text: String) -> usize {
        self.lines.push(DiffLine {
            kind: LineKind::Context,
            old_no: None,
            new_no: None,
            text,
            emphasis: Vec::new(),
        });
        self.lines.len() - 1
    }

    /// Append `other` after these lines (one diff of several files or objects): its hunks
    /// are shifted to their new place, counts add up, a truncation is kept.
    pub fn append(&mut self, other: TextDiff) {
        let at = self.lines.len();
        self.hunks.extend(other.hunks.into_iter().map(|h| Hunk {
            start: h.start + at,
            end: h.end + at,
            ..h
        }));
        self.lines.extend(other.lines);
        self.additions += other.additions;
        self.deletions += other.deletions;
        self.truncated = self.truncated.or(other.truncated);
    }
}

/// Git's binary test: a NUL byte within the first 8000 bytes.
pub fn is_binary(data: &[u8]) -> bool {
    data[..data.len().min(8000)].contains(&0)
}

/// Diff two byte buffers (blobs), applying the binary rule and the size limit.
pub fn diff_bytes(old: &[u8], new: &[u8], limits: &DiffLimits) -> FileDiff {
    if is_binary(old) || is_binary(new) {
        return FileDiff::Binary {
            old_size: old.len() as u64,
            new_size: new.len() as u64,
        };
    }
    let (old_cut, new_cut) = (cut(old, limits.max_bytes), cut(new, limits.max_bytes));
    let truncated = (old_cut.len() < old.len() || new_cut.len() < new.len()).then_some(Truncation {
        shown_bytes: limits.max_bytes,
        old_size: old.len() as u64,
        new_size: new.len() as u64,
    });
    let (old_text, new_text) = (String::from_utf8_lossy(old_cut), String::from_utf8_lossy(new_cut));
    let mut diff = build::line_diff(&old_text, &new_text, limits);
    diff.truncated = truncated;
    FileDiff::Text(diff)
}

/// Diff two texts (e.g. rendered YAML), applying the size limit.
pub fn diff_text(old: &str, new: &str, limits: &DiffLimits) -> TextDiff {
    match diff_bytes(old.as_bytes(), new.as_bytes(), limits) {
        FileDiff::Text(t) => t,
        // Text with NUL bytes: still show it, as lossless as a line diff can.
        FileDiff::Binary { .. } => build::line_diff(old, new, limits),
    }
}

/// Added and removed line counts only (no word emphasis), or `None` for binary content.
pub fn line_counts(old: &[u8], new: &[u8], limits: &DiffLimits) -> Option<(usize, usize, bool)> {
    if is_binary(old) || is_binary(new) {
        return None;
    }
    let (old_cut, new_cut) = (cut(old, limits.max_bytes), cut(new, limits.max_bytes));
    let truncated = old_cut.len() < old.len() || new_cut.len() < new.len();
    let (a, d) = build::count_lines(old_cut, new_cut, limits);
    Some((a, d, truncated))
}

/// At most `max` bytes of `data`, ending after a line break when there is one to end at.
fn cut(data: &[u8], max: usize) -> &[u8] {
    if data.len() <= max {
        return data;
    }
    match data[..max].iter().rposition(|&b| b == b'\n') {
        Some(nl) => &data[..=nl],
        None => &data[..max],
    }
}

#[cfg(test)]
mod tests;
