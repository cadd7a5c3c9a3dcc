//! Folding of long unchanged runs: the stretches of context outside every hunk.
//! The UI keeps a [`FoldState`] per open diff, toggles folds, and renders [`FoldState::rows`].

use super::TextDiff;
use serde::Serialize;

/// Unchanged runs shorter than this are shown, not folded: a fold marker would save nothing.
const MIN_FOLD: usize = 4;

/// A run of unchanged lines `start..start + len` of [`TextDiff::lines`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Fold {
    pub start: usize,
    pub len: usize,
    pub expanded: bool,
}

/// What one screen row of a folded diff shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum Row {
    /// Line `i` of [`TextDiff::lines`].
    Line(usize),
    /// A collapsed fold (index into [`FoldState::folds`]) hiding `lines` lines.
    Folded { fold: usize, lines: usize },
}

#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
pub struct FoldState {
    pub folds: Vec<Fold>,
}

impl FoldState {
    /// Folds for every unchanged run of at least 4 lines outside the hunks, all collapsed.
    /// A diff without changes has no hunks and is shown whole.
    pub fn new(diff: &TextDiff) -> FoldState {
        FoldState::with_pinned(diff, &[])
    }

    /// As [`FoldState::new`], but lines in `pinned` (sorted; e.g. the object headers of a
    /// multi-object diff) are never hidden: a run of context is folded on each side of them.
    pub fn with_pinned(diff: &TextDiff, pinned: &[usize]) -> FoldState {
        if diff.hunks.is_empty() {
            return FoldState::default();
        }
        let mut folds = Vec::new();
        let mut at = 0;
        let gaps = diff
            .hunks
            .iter()
            .map(|h| (h.start, h.end))
            .chain([(diff.lines.len(), diff.lines.len())]);
        let mut fold_run = |from: usize, to: usize| {
            if to >= from + MIN_FOLD {
                folds.push(Fold {
                    start: from,
                    len: to - from,
                    expanded: false,
                });
            }
        };
        for (start, end) in gaps {
            let inside = pinned.iter().filter(|&&p| p >= at && p < start);
            let mut from = at;
            for &p in inside {
                fold_run(from, p);
                from = p + 1;
            }
            fold_run(from, start);
            at = end.max(at);
        }
        FoldState { folds }
    }

    /// Flip fold `fold` between collapsed and expanded; out-of-range indexes are ignored.
    pub fn toggle(&mut self, fold: usize) {
        if let Some(f) = self.folds.get_mut(fold) {
            f.expanded = !f.expanded;
        }
    }

    pub fn set_all(&mut self, expanded: bool) {
        self.folds.iter_mut().for_each(|f| f.expanded = expanded);
    }

    /// The fold containing line `line`, if any.
    pub fn fold_of_line(&self, line: usize) -> Option<usize> {
        self.folds
            .iter()
            .position(|f| (f.start..f.start + f.len).contains(&line))
    }

    /// The screen rows of the diff, collapsed folds as one row each.
    pub fn rows(&self, diff: &TextDiff) -> Vec<Row> {
        let mut rows = Vec::with_capacity(diff.lines.len());
        let mut line = 0;
        for (i, f) in self.folds.iter().enumerate() {
            if f.expanded {
                continue;
            }
            rows.extend((line..f.start).map(Row::Line));
            rows.push(Row::Folded {
                fold: i,
                lines: f.len,
            });
            line = f.start + f.len;
        }
        rows.extend((line..diff.lines.len()).map(Row::Line));
        rows
    }

    /// The row showing line `line` (or the fold row hiding it): where a hunk jump scrolls to.
    pub fn row_of_line(&self, line: usize) -> usize {
        let mut hidden = 0;
        for f in &self.folds {
            if f.expanded || f.start > line {
                continue;
            }
            if line < f.start + f.len {
                return f.start - hidden;
            }
            hidden += f.len - 1;
        }
        line - hidden
    }
}
