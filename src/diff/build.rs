//! The line diff: similar's ops turned into tagged, numbered lines and hunks.

use super::{DiffLimits, DiffLine, Hunk, LineKind, TextDiff, words};
use similar::{Algorithm, DiffOp, capture_diff_slices_deadline};
use std::time::Instant;

/// Split into lines without their `\n` (and a `\r` before it); a final line break adds no empty line.
pub(super) fn split_lines(text: &str) -> Vec<&str> {
    text.split_terminator('\n')
        .map(|l| l.strip_suffix('\r').unwrap_or(l))
        .collect()
}

fn ops(old: &[&str], new: &[&str], limits: &DiffLimits) -> Vec<DiffOp> {
    let deadline = Instant::now().checked_add(limits.timeout);
    capture_diff_slices_deadline(Algorithm::Myers, old, new, deadline)
}

pub(super) fn count_lines(old: &[u8], new: &[u8], limits: &DiffLimits) -> (usize, usize) {
    let (old, new) = (String::from_utf8_lossy(old), String::from_utf8_lossy(new));
    let (old, new) = (split_lines(&old), split_lines(&new));
    let mut counts = (0, 0);
    for op in ops(&old, &new, limits) {
        let (_, o, n) = op.as_tag_tuple();
        if !matches!(op, DiffOp::Equal { .. }) {
            counts.0 += n.len();
            counts.1 += o.len();
        }
    }
    counts
}

pub(super) fn line_diff(old_text: &str, new_text: &str, limits: &DiffLimits) -> TextDiff {
    let (old, new) = (split_lines(old_text), split_lines(new_text));
    let mut out = TextDiff::default();
    let line = |kind, old_no: Option<usize>, new_no: Option<usize>, text: &str| DiffLine {
        kind,
        old_no: old_no.map(|n| n + 1),
        new_no: new_no.map(|n| n + 1),
        text: text.to_owned(),
        emphasis: Vec::new(),
    };
    for op in ops(&old, &new, limits) {
        let (_, o, n) = op.as_tag_tuple();
        match op {
            DiffOp::Equal {
                old_index,
                new_index,
                len,
            } => {
                for i in 0..len {
                    out.lines.push(line(
                        LineKind::Context,
                        Some(old_index + i),
                        Some(new_index + i),
                        old[old_index + i],
                    ));
                }
            }
            _ => {
                let removed_at = out.lines.len();
                out.lines
                    .extend(o.clone().map(|i| line(LineKind::Removed, Some(i), None, old[i])));
                let added_at = out.lines.len();
                out.lines
                    .extend(n.clone().map(|i| line(LineKind::Added, None, Some(i), new[i])));
                // Pair the k-th removed line with the k-th added line for word emphasis.
                for k in 0..o.len().min(n.len()) {
                    let (left, right) = out.lines.split_at_mut(added_at);
                    let (removed, added) = (&mut left[removed_at + k], &mut right[k]);
                    if let Some((old_ranges, new_ranges)) = words::changed_ranges(&removed.text, &added.text)
                    {
                        removed.emphasis = old_ranges;
                        added.emphasis = new_ranges;
                    }
                }
                out.deletions += o.len();
                out.additions += n.len();
            }
        }
    }
    out.hunks = hunks(&out.lines, limits.context);
    out
}

/// Group changed lines with `context` lines around them; groups closer than `2 * context` merge.
fn hunks(lines: &[DiffLine], context: usize) -> Vec<Hunk> {
    let mut spans: Vec<(usize, usize)> = Vec::new();
    for (i, l) in lines.iter().enumerate() {
        if l.kind == LineKind::Context {
            continue;
        }
        let start = i.saturating_sub(context);
        let end = (i + 1 + context).min(lines.len());
        match spans.last_mut() {
            Some(last) if start <= last.1 => last.1 = end,
            _ => spans.push((start, end)),
        }
    }
    spans
        .into_iter()
        .map(|(start, end)| hunk(lines, start, end))
        .collect()
}

fn hunk(lines: &[DiffLine], start: usize, end: usize) -> Hunk {
    let span = &lines[start..end];
    let old_len = span.iter().filter(|l| l.kind != LineKind::Added).count();
    let new_len = span.iter().filter(|l| l.kind != LineKind::Removed).count();
    // For an empty side, git names the line before the hunk (0 at the top of the file).
    let first_no = |pick: fn(&DiffLine) -> Option<usize>| {
        span.iter()
            .find_map(pick)
            .or_else(|| lines[..start].iter().rev().find_map(pick))
            .unwrap_or(0)
    };
    Hunk {
        start,
        end,
        old_start: first_no(|l| l.old_no),
        old_len,
        new_start: first_no(|l| l.new_no),
        new_len,
    }
}
