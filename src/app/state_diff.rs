//! The diff view's plain data: a file's diff lines, and the display rows derived from them
//! (long unchanged runs folded, unified or side by side), with hunk starts for `n`/`N`.

use std::collections::BTreeSet;
use std::ops::Range;

/// Context lines kept around each change before a run of unchanged lines is folded.
pub const CONTEXT: usize = 3;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LineKind {
    Context,
    Removed,
    Added,
}

/// One line of a diff, with its numbers on each side and the byte ranges of changed words.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DiffLine {
    pub kind: LineKind,
    pub old_no: Option<usize>,
    pub new_no: Option<usize>,
    pub text: String,
    /// Byte ranges of `text` that changed (emphasised).
    pub emph: Vec<Range<usize>>,
}

/// The content of a file diff.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DiffBody {
    /// Every line of the file pair, unchanged lines included (folding is done here).
    Text(Vec<DiffLine>),
    Binary {
        old_size: Option<u64>,
        new_size: Option<u64>,
    },
}

/// A file diff as the engine delivered it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileDiff {
    pub path: String,
    pub old_path: Option<String>,
    pub body: DiffBody,
    /// The input was too large: only the first part is shown.
    pub truncated: bool,
}

impl FileDiff {
    /// The view of a diff from the pure diff model (`crate::diff`), for commit diffs and,
    /// later, drift diffs (live -> desired).
    pub fn from_engine(path: &str, old_path: Option<String>, d: crate::diff::FileDiff) -> FileDiff {
        let (body, truncated) = match d {
            crate::diff::FileDiff::Binary { old_size, new_size } => {
                let size = |n: u64| (n > 0).then_some(n);
                (
                    DiffBody::Binary {
                        old_size: size(old_size),
                        new_size: size(new_size),
                    },
                    false,
                )
            }
            crate::diff::FileDiff::Text(t) => {
                let lines = t
                    .lines
                    .into_iter()
                    .map(|l| DiffLine {
                        kind: match l.kind {
                            crate::diff::LineKind::Context => LineKind::Context,
                            crate::diff::LineKind::Added => LineKind::Added,
                            crate::diff::LineKind::Removed => LineKind::Removed,
                        },
                        old_no: l.old_no,
                        new_no: l.new_no,
                        text: l.text,
                        emph: l.emphasis,
                    })
                    .collect();
                (DiffBody::Text(lines), t.truncated.is_some())
            }
        };
        FileDiff {
            path: path.to_string(),
            old_path,
            body,
            truncated,
        }
    }
}

/// A row on screen. Indices point into the `DiffBody::Text` lines.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DisplayRow {
    Line(usize),
    /// Side by side: the left (old) and right (new) line of one row.
    Pair(Option<usize>, Option<usize>),
    /// `len` unchanged lines starting at `start`, hidden.
    Fold {
        start: usize,
        len: usize,
    },
}

/// The diff view: the file, its display rows, the scroll position and the folds opened.
#[derive(Debug, Clone, PartialEq)]
pub struct DiffState {
    /// What is diffed, e.g. `9f2c1e0 apps/guestbook/deploy.yaml`.
    pub title: String,
    pub file: Option<FileDiff>,
    pub error: Option<String>,
    pub split: bool,
    /// First display row on screen (also the "cursor" for hunk jumps and expanding).
    pub scroll: usize,
    /// Horizontal scroll in columns.
    pub hscroll: usize,
    /// Fold starts the user opened.
    pub expanded: BTreeSet<usize>,
    pub rows: Vec<DisplayRow>,
    /// Display rows where a hunk (a run of changes) begins.
    pub hunks: Vec<usize>,
}

impl DiffState {
    pub fn loading(title: String) -> DiffState {
        DiffState {
            title,
            file: None,
            error: None,
            split: false,
            scroll: 0,
            hscroll: 0,
            expanded: BTreeSet::new(),
            rows: Vec::new(),
            hunks: Vec::new(),
        }
    }

    pub fn lines(&self) -> &[DiffLine] {
        match self.file.as_ref().map(|f| &f.body) {
            Some(DiffBody::Text(lines)) => lines,
            _ => &[],
        }
    }

    /// Recompute display rows and hunk starts after the file, split mode or folds changed.
    /// Keeps the top line on screen the same where it still exists.
    pub fn relayout(&mut self) {
        let anchor = self.rows.get(self.scroll).map(first_line);
        let lines = self.lines();
        let folded = fold(lines, &self.expanded);
        let rows = if self.split {
            pair_up(lines, &folded)
        } else {
            folded
        };
        let hunks = hunk_starts(lines, &rows);
        self.rows = rows;
        self.hunks = hunks;
        self.scroll = match anchor {
            Some(line) => self.rows.iter().position(|r| first_line(r) >= line).unwrap_or(0),
            None => 0,
        };
    }

    /// Open the fold at or after the top of the screen.
    pub fn expand_next_fold(&mut self) -> bool {
        let fold = self.rows[self.scroll.min(self.rows.len())..]
            .iter()
            .find_map(|r| match r {
                DisplayRow::Fold { start, .. } => Some(*start),
                _ => None,
            });
        match fold {
            Some(start) => {
                self.expanded.insert(start);
                self.relayout();
                true
            }
            None => false,
        }
    }
}

fn first_line(row: &DisplayRow) -> usize {
    match *row {
        DisplayRow::Line(i) => i,
        DisplayRow::Pair(l, r) => l.or(r).unwrap_or(0),
        DisplayRow::Fold { start, .. } => start,
    }
}

/// Unified rows: every line, except unchanged runs longer than 2*CONTEXT+1 away from changes,
/// which become one fold (unless the user expanded it).
fn fold(lines: &[DiffLine], expanded: &BTreeSet<usize>) -> Vec<DisplayRow> {
    let mut rows = Vec::with_capacity(lines.len());
    let mut i = 0;
    while i < lines.len() {
        if lines[i].kind != LineKind::Context {
            rows.push(DisplayRow::Line(i));
            i += 1;
            continue;
        }
        let start = i;
        while i < lines.len() && lines[i].kind == LineKind::Context {
            i += 1;
        }
        let end = i;
        // Keep CONTEXT lines next to changes; the file's start and end need none.
        let keep_head = if start == 0 { 0 } else { CONTEXT };
        let keep_tail = if end == lines.len() { 0 } else { CONTEXT };
        let hidden_from = start + keep_head;
        let hidden_to = end.saturating_sub(keep_tail);
        if hidden_to > hidden_from + 1 && !expanded.contains(&hidden_from) {
            rows.extend((start..hidden_from).map(DisplayRow::Line));
            rows.push(DisplayRow::Fold {
                start: hidden_from,
                len: hidden_to - hidden_from,
            });
            rows.extend((hidden_to..end).map(DisplayRow::Line));
        } else {
            rows.extend((start..end).map(DisplayRow::Line));
        }
    }
    rows
}

/// Side-by-side rows: context on both sides; a run of removals and additions paired row by row.
fn pair_up(lines: &[DiffLine], unified: &[DisplayRow]) -> Vec<DisplayRow> {
    let mut rows = Vec::with_capacity(unified.len());
    let mut k = 0;
    while k < unified.len() {
        match unified[k] {
            DisplayRow::Line(i) if lines[i].kind == LineKind::Context => {
                rows.push(DisplayRow::Pair(Some(i), Some(i)));
                k += 1;
            }
            DisplayRow::Line(_) => {
                let (mut old, mut new) = (Vec::new(), Vec::new());
                while let Some(DisplayRow::Line(i)) = unified.get(k) {
                    match lines[*i].kind {
                        LineKind::Removed => old.push(*i),
                        LineKind::Added => new.push(*i),
                        LineKind::Context => break,
                    }
                    k += 1;
                }
                for n in 0..old.len().max(new.len()) {
                    rows.push(DisplayRow::Pair(old.get(n).copied(), new.get(n).copied()));
                }
            }
            fold => {
                rows.push(fold);
                k += 1;
            }
        }
    }
    rows
}

fn is_change(lines: &[DiffLine], row: &DisplayRow) -> bool {
    let changed = |i: Option<usize>| i.is_some_and(|i| lines[i].kind != LineKind::Context);
    match *row {
        DisplayRow::Line(i) => changed(Some(i)),
        DisplayRow::Pair(l, r) => changed(l) || changed(r),
        DisplayRow::Fold { .. } => false,
    }
}

fn hunk_starts(lines: &[DiffLine], rows: &[DisplayRow]) -> Vec<usize> {
    let mut starts = Vec::new();
    let mut prev = false;
    for (n, row) in rows.iter().enumerate() {
        let change = is_change(lines, row);
        if change && !prev {
            starts.push(n);
        }
        prev = change;
    }
    starts
}

#[cfg(test)]
mod tests {
    use super::*;

    fn line(kind: LineKind, text: &str) -> DiffLine {
        DiffLine {
            kind,
            old_no: None,
            new_no: None,
            text: text.into(),
            emph: Vec::new(),
        }
    }

    fn sample() -> DiffState {
        let mut lines: Vec<DiffLine> = (0..20)
            .map(|n| line(LineKind::Context, &format!("c{n}")))
            .collect();
        lines.insert(10, line(LineKind::Removed, "old"));
        lines.insert(11, line(LineKind::Added, "new"));
        lines.push(line(LineKind::Added, "tail"));
        let mut d = DiffState::loading("t".into());
        d.file = Some(FileDiff {
            path: "f".into(),
            old_path: None,
            body: DiffBody::Text(lines),
            truncated: false,
        });
        d.relayout();
        d
    }

    #[test]
    fn engine_diffs_convert_with_emphasis_and_flags() {
        let limits = crate::diff::DiffLimits::default();
        let d = crate::diff::diff_text("a: 1\nb: 2\n", "a: 1\nb: 3\n", &limits);
        let v = FileDiff::from_engine("x.yaml", None, crate::diff::FileDiff::Text(d));
        let DiffBody::Text(lines) = &v.body else {
            panic!("{v:?}")
        };
        assert_eq!(lines.iter().filter(|l| l.kind != LineKind::Context).count(), 2);
        assert!(
            lines
                .iter()
                .any(|l| l.kind == LineKind::Added && !l.emph.is_empty())
        );
        let bin = crate::diff::diff_bytes(b"\0abc", b"\0abcd", &limits);
        assert_eq!(
            FileDiff::from_engine("b", None, bin).body,
            DiffBody::Binary {
                old_size: Some(4),
                new_size: Some(5)
            }
        );
    }

    #[test]
    fn long_context_folds_and_expands() {
        let mut d = sample();
        assert_eq!(d.rows[0], DisplayRow::Fold { start: 0, len: 7 });
        assert!(d.rows.contains(&DisplayRow::Fold { start: 15, len: 4 }));
        assert_eq!(d.hunks.len(), 2);
        assert!(d.expand_next_fold());
        assert_eq!(d.rows[0], DisplayRow::Line(0));
    }

    #[test]
    fn split_pairs_removed_with_added() {
        let mut d = sample();
        d.split = true;
        d.relayout();
        assert!(d.rows.contains(&DisplayRow::Pair(Some(10), Some(11))));
        assert!(d.rows.contains(&DisplayRow::Pair(None, Some(22))));
        assert_eq!(d.hunks.len(), 2);
    }
}
