//! The diff view's plain data: the `crate::diff` model of one file (every line, word
//! emphasis, hunks, folds), the rows on screen derived from it (unified or side by side,
//! folds collapsed or open), the scroll position, and the rows where hunks start; and the
//! keys of every diff view ([`DiffState::on_action`]: split, hunk jumps, folds, scrolling),
//! shared by the Git diff view and the drift diff view.

use super::action::Action;
use super::nav;
use crate::diff::{FileDiff, FoldState, LineKind, Row, SideRow, TextDiff, side_by_side};

/// A row on screen. Indices point into `TextDiff::lines`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DisplayRow {
    Line(usize),
    /// Side by side: the left (old) and right (new) line of one row.
    Pair(Option<usize>, Option<usize>),
    /// Collapsed fold number `fold` hiding `len` unchanged lines.
    Fold {
        fold: usize,
        len: usize,
    },
}

/// The diff view: what is diffed, the diff, its rows, and where the screen is.
#[derive(Debug, Clone, PartialEq)]
pub struct DiffState {
    /// What is diffed, e.g. `9f2c1e0 apps/guestbook/deploy.yaml`.
    pub title: String,
    /// The file's path (picks the syntax).
    pub path: String,
    pub diff: Option<FileDiff>,
    pub error: Option<String>,
    pub split: bool,
    /// First display row on screen (also the "cursor" for hunk jumps and unfolding).
    pub scroll: usize,
    /// Horizontal scroll in columns.
    pub hscroll: usize,
    pub folds: FoldState,
    pub rows: Vec<DisplayRow>,
    /// Display rows where a run of changes begins.
    pub hunks: Vec<usize>,
}

impl DiffState {
    pub fn loading(title: String, path: String) -> DiffState {
        DiffState {
            title,
            path,
            diff: None,
            error: None,
            split: false,
            scroll: 0,
            hscroll: 0,
            folds: FoldState::default(),
            rows: Vec::new(),
            hunks: Vec::new(),
        }
    }

    /// The text diff, unless the file is binary or not loaded yet.
    pub fn text(&self) -> Option<&TextDiff> {
        match &self.diff {
            Some(FileDiff::Text(t)) => Some(t),
            _ => None,
        }
    }

    /// Show `diff`, long unchanged runs folded.
    pub fn set(&mut self, diff: FileDiff) {
        let folds = match &diff {
            FileDiff::Text(t) => FoldState::new(t),
            FileDiff::Binary { .. } => FoldState::default(),
        };
        self.show(diff, folds);
    }

    /// Show `diff` folded as `folds` says (e.g. folds that spare some lines).
    pub fn show(&mut self, diff: FileDiff, folds: FoldState) {
        self.folds = folds;
        self.diff = Some(diff);
        self.scroll = 0;
        self.relayout();
    }

    /// Apply a diff view key: `v` split, `n`/`N` hunks, `z`/Enter unfold, `h`/`l` sideways,
    /// and the usual movement. `page` is the number of rows on screen. Returns whether the
    /// action was a diff action.
    pub fn on_action(&mut self, action: Action, page: usize) -> bool {
        let last = self.rows.len().saturating_sub(page);
        match action {
            Action::ToggleSplit => {
                self.split = !self.split;
                self.relayout();
            }
            Action::NextHunk => {
                if let Some(&h) = self.hunks.iter().find(|&&h| h.saturating_sub(2) > self.scroll) {
                    self.scroll = h.saturating_sub(2);
                }
            }
            Action::PrevHunk => {
                if let Some(&h) = self
                    .hunks
                    .iter()
                    .rev()
                    .find(|&&h| h.saturating_sub(2) < self.scroll)
                {
                    self.scroll = h.saturating_sub(2);
                }
            }
            Action::Expand | Action::Open => {
                self.expand_next_fold();
            }
            Action::Left => self.hscroll = self.hscroll.saturating_sub(8),
            Action::Right => self.hscroll += 8,
            a => match nav::step(self.scroll, last + 1, a, page) {
                Some(pos) => self.scroll = pos,
                None => return false,
            },
        }
        true
    }

    /// Scroll so the first change shows near the top when it would start below the screen.
    pub fn show_first_change(&mut self, page: usize) {
        if let Some(&h) = self.hunks.first()
            && h + 2 >= page
        {
            self.scroll = h.saturating_sub(2);
        }
    }

    /// Recompute display rows and hunk starts after the split mode or folds changed,
    /// keeping the top line on screen where it still exists.
    pub fn relayout(&mut self) {
        let anchor = self.rows.get(self.scroll).map(|r| self.first_line(r));
        let (rows, hunks) = match self.text() {
            None => (Vec::new(), Vec::new()),
            Some(t) => {
                let rows: Vec<DisplayRow> = if self.split {
                    side_by_side(t, &self.folds)
                        .into_iter()
                        .map(|r| match r {
                            SideRow::Pair { left, right } => DisplayRow::Pair(left, right),
                            SideRow::Folded { fold, lines } => DisplayRow::Fold { fold, len: lines },
                        })
                        .collect()
                } else {
                    self.folds
                        .rows(t)
                        .into_iter()
                        .map(|r| match r {
                            Row::Line(i) => DisplayRow::Line(i),
                            Row::Folded { fold, lines } => DisplayRow::Fold { fold, len: lines },
                        })
                        .collect()
                };
                let hunks = hunk_starts(t, &rows);
                (rows, hunks)
            }
        };
        self.rows = rows;
        self.hunks = hunks;
        self.scroll = match anchor {
            Some(line) => self
                .rows
                .iter()
                .position(|r| self.first_line(r) >= line)
                .unwrap_or(0),
            None => 0,
        };
    }

    /// Open the first collapsed fold at or below the top of the screen.
    pub fn expand_next_fold(&mut self) -> bool {
        let from = self.scroll.min(self.rows.len());
        let fold = self.rows[from..].iter().find_map(|r| match r {
            DisplayRow::Fold { fold, .. } => Some(*fold),
            _ => None,
        });
        match fold {
            Some(fold) => {
                self.folds.toggle(fold);
                self.relayout();
                true
            }
            None => false,
        }
    }

    /// The lines a row shows: (left or only, right); none for a fold.
    pub fn row_lines(row: &DisplayRow) -> (Option<usize>, Option<usize>) {
        match *row {
            DisplayRow::Line(i) => (Some(i), None),
            DisplayRow::Pair(l, r) => (l, r),
            DisplayRow::Fold { .. } => (None, None),
        }
    }

    fn first_line(&self, row: &DisplayRow) -> usize {
        match *row {
            DisplayRow::Line(i) => i,
            DisplayRow::Pair(l, r) => l.or(r).unwrap_or(0),
            DisplayRow::Fold { fold, .. } => self.folds.folds.get(fold).map_or(0, |f| f.start),
        }
    }
}

fn is_change(t: &TextDiff, row: &DisplayRow) -> bool {
    let changed = |i: Option<usize>| {
        i.and_then(|i| t.lines.get(i))
            .is_some_and(|l| l.kind != LineKind::Context)
    };
    match *row {
        DisplayRow::Line(i) => changed(Some(i)),
        DisplayRow::Pair(l, r) => changed(l) || changed(r),
        DisplayRow::Fold { .. } => false,
    }
}

fn hunk_starts(t: &TextDiff, rows: &[DisplayRow]) -> Vec<usize> {
    let mut starts = Vec::new();
    let mut prev = false;
    for (n, row) in rows.iter().enumerate() {
        let change = is_change(t, row);
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
    use crate::diff::{DiffLimits, diff_text};

    fn sample() -> DiffState {
        let old: String = (0..20).map(|n| format!("c{n}\n")).collect();
        let new = old.replace("c10\n", "changed\n") + "tail\n";
        let mut d = DiffState::loading("t".into(), "f.yaml".into());
        d.set(FileDiff::Text(diff_text(&old, &new, &DiffLimits::default())));
        d
    }

    #[test]
    fn long_context_folds_and_expands() {
        let mut d = sample();
        assert!(
            matches!(d.rows[0], DisplayRow::Fold { len: 7, .. }),
            "{:?}",
            d.rows
        );
        assert_eq!(d.hunks.len(), 2);
        assert!(d.expand_next_fold());
        assert_eq!(d.rows[0], DisplayRow::Line(0));
    }

    #[test]
    fn split_pairs_removed_with_added() {
        let mut d = sample();
        d.split = true;
        d.relayout();
        let t = d.text().unwrap();
        let removed = t.lines.iter().position(|l| l.kind == LineKind::Removed).unwrap();
        let added = t.lines.iter().position(|l| l.kind == LineKind::Added).unwrap();
        assert!(
            d.rows.contains(&DisplayRow::Pair(Some(removed), Some(added))),
            "{:?}",
            d.rows
        );
        assert_eq!(d.hunks.len(), 2);
    }
}
