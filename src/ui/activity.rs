//! The Activity pane: what happened and when, newest first (connects, disconnects, drift
//! appearing and clearing, engine errors), each entry over up to two lines; `/` filters it.

use super::theme::Theme;
use super::widgets::{ago, message, pane, wrap};
use crate::app::cockpit::ActivityKind;
use crate::app::state::{Pane, State};
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

pub fn draw(frame: &mut Frame, area: Rect, state: &State, theme: &Theme) {
    let focused = state.focus == Pane::Activity && state.views.is_empty();
    let c = &state.cockpit;
    let block = pane(
        format!(" Activity{} ", c.filters.activity.label()),
        focused,
        theme,
    );
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let mut log = c.activity_rows().rev().peekable();
    if log.peek().is_none() {
        let text = if c.activity.is_empty() {
            "Nothing yet"
        } else {
            "No activity matches"
        };
        message(frame, inner, vec![Line::styled(text, theme.muted())]);
        return;
    }
    let width = inner.width as usize;
    let height = inner.height as usize;
    let mut lines: Vec<Line> = Vec::new();
    // Each entry over up to two lines, so who did what is not cut off in a narrow pane.
    for e in log {
        if lines.len() >= height {
            break;
        }
        let style = match e.kind {
            ActivityKind::Connected
            | ActivityKind::DriftCleared
            | ActivityKind::Synced
            | ActivityKind::Recovered => theme.ok(),
            ActivityKind::DriftAppeared => theme.warning(),
            ActivityKind::NewCommit => theme.accent(),
            ActivityKind::Disconnected | ActivityKind::Error | ActivityKind::Unhealthy => theme.error(),
        };
        let when = format!("{:>4} ", ago(state.now, e.at));
        let lead = when.chars().count();
        // The change gets what room two lines leave, so its path gives way before who did it.
        let room = width.saturating_sub(lead);
        let text = match &e.change {
            Some(c) => {
                let left = (2 * room).saturating_sub(e.text.chars().count() + 2 + 2);
                format!("{}: {}", e.text, c.shorten(left))
            }
            None => e.text.clone(),
        };
        for (i, part) in wrap(&text, room, 2).into_iter().enumerate() {
            let first = if i == 0 { when.clone() } else { " ".repeat(lead) };
            lines.push(Line::from(vec![
                Span::styled(first, theme.muted()),
                Span::styled(part, style),
            ]));
        }
    }
    lines.truncate(height);
    frame.render_widget(Paragraph::new(lines), inner);
}
