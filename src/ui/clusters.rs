//! The Clusters pane. Until apps name clusters it shows how to add them.

use super::theme::Theme;
use super::widgets::{message, pane};
use crate::app::state::{Pane, State};
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};

pub fn draw(frame: &mut Frame, area: Rect, state: &State, theme: &Theme) {
    let focused = state.focus == Pane::Clusters && state.views.is_empty();
    let block = pane(" Clusters ", focused, theme);
    let inner = block.inner(area);
    frame.render_widget(block, area);
    message(
        frame,
        inner,
        vec![
            Line::styled("No clusters yet", theme.title()),
            Line::from(""),
            Line::styled("Add apps in sextant.yaml at the repo root:", theme.muted()),
            Line::from(vec![Span::styled("apps: [{name, path, clusters}]", theme.accent())]),
        ],
    );
}
