//! The drift diff view's data: live → desired for one object or every drifted object of an
//! app, as one [`DiffState`] (the Git diff view's model, so highlighting, side by side, folds,
//! hunk jumps and keys are the same code), with a header line per object that no fold ever
//! hides, and the manager that made each change noted beside its line. Values come from the
//! engine already masked for Secrets.

use super::state_diff::{DiffState, DisplayRow};
use crate::diff::{DiffLimits, FileDiff, FoldState, LineKind, TextDiff, diff_text};
use crate::gitops::engine::compare::FieldChange;
use crate::gitops::engine::{ObjectReport, SyncStatus};
use std::collections::BTreeMap;
use std::ops::Range;

/// Who made a change, to show beside its line: `kubectl (Update/scale) · 2m ago`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChangeNote {
    pub manager: String,
    /// `Update/scale`, `Apply`...
    pub operation: Option<String>,
    /// When the manager wrote the field (RFC 3339), if the server recorded it.
    pub time: Option<String>,
    /// When Sextant saw the change happen, for writes the server puts no time on.
    pub seen: Option<String>,
}

/// The drift diff view.
#[derive(Debug, Clone, PartialEq)]
pub struct DriftDiffState {
    /// The objects' diffs one after another; the title says what is compared. Boxed: the
    /// other cockpit views are small.
    pub diff: Box<DiffState>,
    /// Lines of the diff that are object headers (`Deployment/web -n guestbook · OutOfSync`), sorted.
    pub headers: Vec<usize>,
    /// Attribution by line of the diff (the live line of a replaced field, else the desired one).
    pub notes: BTreeMap<usize, ChangeNote>,
    /// What `s` syncs from here: (app, cluster, only these objects; empty = the whole app).
    pub sync_target: Option<(String, String, Vec<crate::kube::key::ObjectKey>)>,
}

impl DriftDiffState {
    /// The diff of `objects` (each with a comparison, or only its header when there is none).
    pub fn build(title: String, objects: &[&ObjectReport]) -> DriftDiffState {
        let mut text = TextDiff::default();
        let mut headers = Vec::new();
        let mut notes = BTreeMap::new();
        for o in objects {
            headers.push(text.push_caption(header(o)));
            let texts = o
                .comparison
                .as_ref()
                .filter(|c| !(c.live_yaml.is_empty() && c.desired_yaml.is_empty()));
            let Some(cmp) = texts else {
                // Nothing to compare line by line: say why, rather than show nothing.
                if let Some(why) = no_diff_because(o) {
                    text.push_caption(format!("# {why}"));
                }
                continue;
            };
            let at = text.lines.len();
            text.append(diff_text(
                &cmp.live_yaml,
                &cmp.desired_yaml,
                &DiffLimits::default(),
            ));
            place_notes(&text, at..text.lines.len(), &cmp.changes, &mut notes);
        }
        let mut diff = DiffState::loading(title, "drift.yaml".into());
        let folds = FoldState::with_pinned(&text, &headers);
        diff.show(FileDiff::Text(text), folds);
        DriftDiffState {
            diff: Box::new(diff),
            headers,
            notes,
            sync_target: None,
        }
    }

    /// The note to show on a screen row: its left (live) line's, else its right line's.
    pub fn note_at(&self, row: &DisplayRow) -> Option<&ChangeNote> {
        let (left, right) = DiffState::row_lines(row);
        [left, right]
            .into_iter()
            .flatten()
            .find_map(|i| self.notes.get(&i))
    }

    /// Whether line `line` of the diff is an object header.
    pub fn is_header(&self, line: usize) -> bool {
        self.headers.binary_search(&line).is_ok()
    }
}

/// Why an object has no line-by-line diff, in words; None when the header says it all.
fn no_diff_because(o: &ObjectReport) -> Option<&'static str> {
    match o.status {
        SyncStatus::Synced => Some("live matches Git at this revision: a sync would change nothing"),
        SyncStatus::Missing => Some("in Git, not on the cluster: a sync would create it"),
        SyncStatus::Extra => Some(
            "on the cluster as this app's, not in Git at this revision: a sync with prune would delete it",
        ),
        SyncStatus::OutOfSync | SyncStatus::Unknown => None,
    }
}

/// `Deployment/web -n guestbook · OutOfSync`, with why when the engine says.
fn header(o: &ObjectReport) -> String {
    let mut h = format!("{} · {:?}", o.key.short(), o.status);
    let note = o.comparison.as_ref().and_then(|c| c.note.as_ref());
    for why in [o.reason.as_ref(), note].into_iter().flatten() {
        h.push_str(" · ");
        h.push_str(why);
    }
    h
}

/// One note per attributed change: on the changed line the engine anchored it to (its live
/// line, else its desired one) when that line is a change; otherwise on the first unused
/// changed line of this object (within `span`) whose key is the field's name, the live
/// (removed) line first. A change ending in a list item (`[name=web]`) goes on its first
/// changed line.
fn place_notes(
    text: &TextDiff,
    span: Range<usize>,
    changes: &[FieldChange],
    notes: &mut BTreeMap<usize, ChangeNote>,
) {
    for c in changes {
        let Some(manager) = &c.manager else { continue };
        let name = last_field(&c.path);
        let anchored = span.clone().find(|&i| {
            let l = &text.lines[i];
            !notes.contains_key(&i)
                && match l.kind {
                    LineKind::Removed => c.lines.0.is_some_and(|n| l.old_no == Some(n + 1)),
                    LineKind::Added => c.lines.1.is_some_and(|n| l.new_no == Some(n + 1)),
                    LineKind::Context => false,
                }
        });
        let line = anchored.or_else(|| {
            [LineKind::Removed, LineKind::Added].into_iter().find_map(|kind| {
                span.clone().find(|&i| {
                    let l = &text.lines[i];
                    l.kind == kind
                        && !notes.contains_key(&i)
                        && name.as_deref().is_none_or(|n| yaml_key(&l.text) == Some(n))
                })
            })
        });
        if let Some(line) = line {
            notes.insert(
                line,
                ChangeNote {
                    manager: manager.clone(),
                    operation: c.operation.clone(),
                    time: c.time.clone(),
                    seen: c.seen.clone(),
                },
            );
        }
    }
}

/// `replicas` of `  replicas: 5`, `image` of `  - image: nginx`.
fn yaml_key(line: &str) -> Option<&str> {
    let t = line.trim_start();
    let t = t.strip_prefix("- ").unwrap_or(t).trim_start();
    let (key, _) = t
        .split_once(": ")
        .or_else(|| t.strip_suffix(':').map(|k| (k, "")))?;
    let key = key.trim().trim_matches(|c| c == '"' || c == '\'');
    (!key.is_empty()).then_some(key)
}

/// The field a change path ends in, as the engine writes paths: `replicas` of `.spec.replicas`,
/// `app.kubernetes.io/version` of `.metadata.labels["app.kubernetes.io/version"]`; `None` when
/// it ends in a list item (`[name=web]`, `[0]`, `[=x]`).
fn last_field(path: &str) -> Option<String> {
    let mut last = None;
    let mut rest = path;
    while let Some(c) = rest.chars().next() {
        if c == '.' {
            let end = rest[1..].find(['.', '[']).map_or(rest.len(), |e| e + 1);
            last = Some(rest[1..end].to_string());
            rest = &rest[end..];
        } else if let Some(quoted) = rest.strip_prefix("[\"") {
            // A JSON string: find its closing quote, skipping escaped characters.
            let mut escaped = false;
            let close = quoted.char_indices().find_map(|(i, ch)| {
                let done = ch == '"' && !escaped;
                escaped = ch == '\\' && !escaped;
                done.then_some(i)
            })?;
            last = serde_json::from_str(&rest[1..close + 3]).ok();
            rest = rest.get(close + 4..)?;
        } else if c == '[' {
            let close = rest.find(']')?;
            last = None;
            rest = &rest[close + 1..];
        } else {
            return None;
        }
    }
    last
}

#[cfg(test)]
mod tests;
