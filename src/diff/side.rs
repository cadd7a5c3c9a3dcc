//! Side-by-side pairing: removed lines on the left beside the added lines that replaced them.

use super::{FoldState, LineKind, Row, TextDiff};
use serde::Serialize;

/// One screen row of a two-column diff. Indexes point into [`TextDiff::lines`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum SideRow {
    /// `left` is a context or removed line, `right` a context or added line; a context line fills both.
    Pair {
        left: Option<usize>,
        right: Option<usize>,
    },
    /// A collapsed fold hiding `lines` unchanged lines.
    Folded { fold: usize, lines: usize },
}

/// Pair the rows of a (possibly folded) diff into two columns: within each change, the k-th
/// removed line sits beside the k-th added line, and the longer side runs on alone.
pub fn side_by_side(diff: &TextDiff, folds: &FoldState) -> Vec<SideRow> {
    let mut out = Vec::new();
    let (mut removed, mut added): (Vec<usize>, Vec<usize>) = (Vec::new(), Vec::new());
    let flush = |out: &mut Vec<SideRow>, removed: &mut Vec<usize>, added: &mut Vec<usize>| {
        for k in 0..removed.len().max(added.len()) {
            out.push(SideRow::Pair {
                left: removed.get(k).copied(),
                right: added.get(k).copied(),
            });
        }
        removed.clear();
        added.clear();
    };
    for row in folds.rows(diff) {
        match row {
            Row::Line(i) => match diff.lines[i].kind {
                LineKind::Removed if added.is_empty() => removed.push(i),
                LineKind::Removed => {
                    flush(&mut out, &mut removed, &mut added);
                    removed.push(i);
                }
                LineKind::Added => added.push(i),
                LineKind::Context => {
                    flush(&mut out, &mut removed, &mut added);
                    out.push(SideRow::Pair {
                        left: Some(i),
                        right: Some(i),
                    });
                }
            },
            Row::Folded { fold, lines } => {
                flush(&mut out, &mut removed, &mut added);
                out.push(SideRow::Folded { fold, lines });
            }
        }
    }
    flush(&mut out, &mut removed, &mut added);
    out
}
