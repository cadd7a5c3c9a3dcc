//! Drift texts through the shared text-diff model (`crate::diff`): the unified diff of
//! live -> desired YAML, with a note per changed path on the diff line that shows it, so a
//! viewer (or `sextant diff`) can print "by kubectl-edit, 2m ago" beside that line.

use super::text::DiffText;
use super::types::Owner;
use crate::diff::{DiffLimits, LineKind, TextDiff, diff_text};
use serde::Serialize;

/// One attribution note, anchored on a line of the unified diff.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LineNote {
    /// Index into `TextDiff::lines`.
    pub line: usize,
    /// `.spec.replicas`
    pub path: String,
    /// The manager to name (None when nobody else owns the path).
    pub owner: Option<Owner>,
}

impl DiffText {
    /// The unified line diff of the two texts.
    pub fn text_diff(&self, limits: &DiffLimits) -> TextDiff {
        diff_text(&self.live, &self.desired, limits)
    }

    /// One note per change, on the removed (live) line that shows it, else on the added
    /// (desired) line, else on the nearest context line of the field's ancestor.
    pub fn line_notes(&self, diff: &TextDiff) -> Vec<LineNote> {
        self.anchors
            .iter()
            .filter_map(|a| {
                let on_old = |kinds: &[LineKind]| {
                    let no = a.live_line? + 1;
                    diff.lines
                        .iter()
                        .position(|l| l.old_no == Some(no) && kinds.contains(&l.kind))
                };
                let on_new = |kinds: &[LineKind]| {
                    let no = a.desired_line? + 1;
                    diff.lines
                        .iter()
                        .position(|l| l.new_no == Some(no) && kinds.contains(&l.kind))
                };
                let line = on_old(&[LineKind::Removed])
                    .or_else(|| on_new(&[LineKind::Added]))
                    .or_else(|| on_old(&[LineKind::Context]))
                    .or_else(|| on_new(&[LineKind::Context]))?;
                Some(LineNote {
                    line,
                    path: a.path.clone(),
                    owner: a.owner.clone(),
                })
            })
            .collect()
    }
}
