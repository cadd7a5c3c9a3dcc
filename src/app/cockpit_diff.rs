//! The drift diff view's data: live → desired for one object or every drifted object of an
//! app, as lines of the shared `crate::diff` model, with the manager that made each change
//! noted beside its line. Values come from the engine already masked for Secrets.

use crate::diff::{DiffLimits, DiffLine, LineKind, diff_text};
use crate::gitops::engine::ObjectReport;
use crate::gitops::engine::compare::FieldChange;

/// One line on screen.
#[derive(Debug, Clone, PartialEq)]
pub enum DriftLine {
    /// An object's header: `Deployment guestbook/web · OutOfSync`.
    Header(String),
    Line(DiffLine),
}

/// The drift diff view.
#[derive(Debug, Clone, PartialEq)]
pub struct DriftDiffState {
    pub title: String,
    pub lines: Vec<DriftLine>,
    /// Per line: the manager (and when) to show beside it.
    pub notes: Vec<Option<String>>,
    /// Lines where a run of changes begins.
    pub hunks: Vec<usize>,
    pub scroll: usize,
}

impl DriftDiffState {
    /// The diff of `objects` (each with a comparison, or a status line when there is none).
    pub fn build(title: String, objects: &[&ObjectReport]) -> DriftDiffState {
        let mut lines = Vec::new();
        let mut notes = Vec::new();
        for o in objects {
            lines.push(DriftLine::Header(format!("{} · {:?}", o.key.short(), o.status)));
            notes.push(o.reason.clone());
            let Some(cmp) = &o.comparison else { continue };
            if cmp.live_yaml.is_empty() && cmp.desired_yaml.is_empty() {
                continue;
            }
            let diff = diff_text(&cmp.live_yaml, &cmp.desired_yaml, &DiffLimits::default());
            for line in diff.lines {
                let note = note_for(&line, &cmp.changes);
                // A replaced line's pair carries the note once, beside the live line.
                let repeat = line.kind == LineKind::Added && note.is_some() && notes.last() == Some(&note);
                notes.push(if repeat { None } else { note });
                lines.push(DriftLine::Line(line));
            }
        }
        let hunks = hunk_starts(&lines);
        DriftDiffState {
            title,
            lines,
            notes,
            hunks,
            scroll: 0,
        }
    }

    /// Scroll so the first change is near the top.
    pub fn first_change(&self) -> usize {
        self.hunks.first().map(|h| h.saturating_sub(2)).unwrap_or(0)
    }
}

fn hunk_starts(lines: &[DriftLine]) -> Vec<usize> {
    let mut out = Vec::new();
    let mut in_run = false;
    for (i, l) in lines.iter().enumerate() {
        let changed = matches!(l, DriftLine::Line(d) if d.kind != LineKind::Context);
        if changed && !in_run {
            out.push(i);
        }
        in_run = changed;
    }
    out
}

/// The manager of the change whose last path segment names this changed line's key.
fn note_for(line: &DiffLine, changes: &[FieldChange]) -> Option<String> {
    if line.kind == LineKind::Context {
        return None;
    }
    let key = line
        .text
        .trim_start()
        .trim_start_matches("- ")
        .split(':')
        .next()?
        .trim();
    if key.is_empty() {
        return None;
    }
    changes.iter().find_map(|c| {
        let last = last_segment(&c.path);
        (last == key).then(|| {
            let who = c.manager.clone().unwrap_or_else(|| "unknown manager".into());
            match &c.operation {
                Some(op) => format!("{who} ({op})"),
                None => who,
            }
        })
    })
}

/// `replicas` of `.spec.replicas`, `image` of `.containers[name=web].image`.
fn last_segment(path: &str) -> &str {
    let tail = path.rsplit('.').next().unwrap_or(path);
    tail.split('[').next().unwrap_or(tail)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn last_segment_drops_selectors() {
        assert_eq!(last_segment(".spec.replicas"), "replicas");
        assert_eq!(last_segment(".spec.containers[name=web]"), "containers");
    }
}
