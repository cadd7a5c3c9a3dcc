//! The Clusters pane before any cluster reports. Until apps name clusters it shows how to add
//! them; when the apps cannot be rendered it says why, where the clusters would be.

use super::theme::Theme;
use super::widgets::{message, pane};
use crate::app::state::{Pane, State};
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

pub fn draw(frame: &mut Frame, area: Rect, state: &State, theme: &Theme) {
    let focused = state.focus == Pane::Clusters && state.views.is_empty();
    let block = pane(" Clusters ", focused, theme);
    let inner = block.inner(area);
    frame.render_widget(block, area);
    if let Some(problem) = &state.cockpit.fatal {
        let lines = vec![
            Line::styled("Cannot read the apps", theme.error()),
            Line::from(""),
            Line::styled(problem.clone(), theme.text()),
            Line::from(""),
            Line::styled(
                "Fix it and commit: Sextant follows the branch and tries again.",
                theme.muted(),
            ),
        ];
        let text = Paragraph::new(lines).wrap(ratatui::widgets::Wrap { trim: false });
        frame.render_widget(text, inner);
        return;
    }
    let yaml = [
        "apps:",
        "  - name: guestbook",
        "    path: apps/guestbook",
        "    clusters: [prod]",
    ];
    let top = inner.height.saturating_sub(9) / 2;
    let head = Rect {
        y: inner.y + top,
        height: inner.height.saturating_sub(top).min(4),
        ..inner
    };
    message(
        frame,
        head,
        vec![
            Line::styled("No clusters yet", theme.title()),
            Line::from(""),
            Line::styled("Add apps in", theme.muted()),
            Line::styled("sextant.yaml:", theme.muted()),
        ],
    );
    let width = yaml.iter().map(|l| l.len()).max().unwrap_or(0) as u16;
    let x = inner.x + inner.width.saturating_sub(width) / 2;
    let body = Rect {
        x,
        y: head.y + head.height + 1,
        width: width.min(inner.width),
        height: 4,
    }
    .intersection(inner);
    let lines: Vec<Line> = yaml
        .iter()
        .map(|l| Line::from(Span::styled(*l, theme.accent())))
        .collect();
    frame.render_widget(Paragraph::new(lines), body);
}
