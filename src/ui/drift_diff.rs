//! The drift diff: live → desired, unified, with changed words emphasised and the manager
//! of each change beside its line. Values arrive masked for Secrets.

use super::theme::Theme;
use super::widgets::{fit, message, pane};
use crate::app::cockpit_diff::{DriftDiffState, DriftLine};
use crate::diff::LineKind;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

pub fn draw(frame: &mut Frame, area: Rect, d: &DriftDiffState, theme: &Theme) {
    let block = pane(format!(" Diff · {} ", d.title), true, theme);
    let inner = block.inner(area);
    frame.render_widget(block, area);
    if d.lines.is_empty() {
        message(
            frame,
            inner,
            vec![Line::styled("Nothing would change", theme.muted())],
        );
        return;
    }
    let width = inner.width as usize;
    let mut lines = Vec::with_capacity(inner.height as usize);
    for (i, l) in d
        .lines
        .iter()
        .enumerate()
        .skip(d.scroll)
        .take(inner.height as usize)
    {
        let note = d.notes.get(i).and_then(|n| n.as_deref());
        lines.push(match l {
            DriftLine::Header(h) => {
                let mut spans = vec![Span::styled(format!("── {h} "), theme.hunk())];
                if let Some(n) = note {
                    spans.push(Span::styled(n.to_string(), theme.muted()));
                }
                Line::from(spans)
            }
            DriftLine::Line(line) => {
                let (sign, base, emph) = match line.kind {
                    LineKind::Context => (" ", theme.text(), theme.text()),
                    LineKind::Added => ("+", theme.added_line(), theme.added_emph()),
                    LineKind::Removed => ("-", theme.removed_line(), theme.removed_emph()),
                };
                let note = note.map(|n| format!("  ← {n}")).unwrap_or_default();
                let room = width.saturating_sub(2 + note.chars().count());
                let text = fit(&line.text, room);
                let mut spans = vec![Span::styled(format!("{sign} "), base)];
                spans.extend(emphasised(&text, &line.emphasis, base, emph));
                let used = 2 + text.chars().count();
                let gap = width.saturating_sub(used + note.chars().count());
                spans.push(Span::styled(" ".repeat(gap), base));
                spans.push(Span::styled(note, theme.accent()));
                Line::from(spans)
            }
        });
    }
    frame.render_widget(Paragraph::new(lines), inner);
}

/// `text` split into plain and emphasised spans (ranges are byte ranges of the full line).
fn emphasised<'a>(
    text: &str,
    ranges: &[std::ops::Range<usize>],
    base: ratatui::style::Style,
    emph: ratatui::style::Style,
) -> Vec<Span<'a>> {
    let mut out = Vec::new();
    let mut at = 0;
    for r in ranges {
        let (start, end) = (r.start.min(text.len()), r.end.min(text.len()));
        if start < at || !text.is_char_boundary(start) || !text.is_char_boundary(end) {
            continue;
        }
        out.push(Span::styled(text[at..start].to_string(), base));
        out.push(Span::styled(text[start..end].to_string(), emph));
        at = end;
    }
    out.push(Span::styled(text[at..].to_string(), base));
    out
}
