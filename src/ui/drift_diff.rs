//! The drift diff: the Git diff view (`ui::diff`) decorated with the object headers and, at
//! the right edge, the manager of each change and how long ago it was made. Values arrive
//! masked for Secrets.

use super::diff::{Decorations, draw_decorated};
use super::theme::Theme;
use super::widgets::{ago, message, pane};
use crate::app::cockpit::parse_rfc3339;
use crate::app::cockpit_diff::{ChangeNote, DriftDiffState};
use crate::app::state_diff::DisplayRow;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::Line;

pub fn draw(frame: &mut Frame, area: Rect, d: &DriftDiffState, now: i64, theme: &Theme) {
    if d.headers.is_empty() {
        let block = pane(format!(" Diff · {} ", d.diff.title), true, theme);
        let inner = block.inner(area);
        frame.render_widget(block, area);
        let text = Line::styled("Nothing would change", theme.muted());
        message(frame, inner, vec![text]);
        return;
    }
    let widest_note = d
        .notes
        .values()
        .map(|n| note_text(n, now).chars().count())
        .max()
        .unwrap_or(0);
    let note = |row: &DisplayRow| d.note_at(row).map(|n| note_text(n, now));
    let is_header = |line: usize| d.is_header(line);
    let deco = Decorations {
        note: &note,
        widest_note,
        is_header: &is_header,
    };
    draw_decorated(frame, area, &d.diff, Some(&deco), theme);
}

/// `kubectl · 2m ago · Update/scale`: who and when first, as a narrow column cuts the end.
pub fn note_text(n: &ChangeNote, now: i64) -> String {
    let mut s = n.manager.clone();
    if let Some(then) = n.time.as_deref().and_then(parse_rfc3339) {
        s.push_str(&format!(" · {} ago", ago(now, then)));
    } else if let Some(then) = n.seen.as_deref().and_then(parse_rfc3339) {
        s.push_str(&format!(" · seen {} ago", ago(now, then)));
    }
    if let Some(op) = &n.operation {
        s.push_str(&format!(" · {op}"));
    }
    s
}
