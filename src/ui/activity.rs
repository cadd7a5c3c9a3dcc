//! The Activity pane: what happened and when, newest first (connects, disconnects, drift
//! appearing and clearing, engine errors); `/` filters it by text.

use super::theme::Theme;
use super::widgets::{ago, fit, message, pane};
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
    let lines: Vec<Line> = log
        .take(inner.height as usize)
        .map(|e| {
            let style = match e.kind {
                ActivityKind::Connected | ActivityKind::DriftCleared => theme.ok(),
                ActivityKind::DriftAppeared => theme.warning(),
                ActivityKind::NewCommit => theme.accent(),
                ActivityKind::Disconnected | ActivityKind::Error => theme.error(),
            };
            let when = format!("{:>4} ", ago(state.now, e.at));
            let rest = width.saturating_sub(when.chars().count());
            Line::from(vec![
                Span::styled(when, theme.muted()),
                Span::styled(fit(&e.text, rest), style),
            ])
        })
        .collect();
    frame.render_widget(Paragraph::new(lines), inner);
}
