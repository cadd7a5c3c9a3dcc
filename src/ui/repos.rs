//! The Repos pane: open repositories, their branch and state (opening, cloning, failed).

use super::theme::Theme;
use super::widgets::{fit, pane};
use crate::app::state::{Pane, State};
use crate::app::state_git::RepoStatus;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Gauge, Paragraph};

pub fn draw(frame: &mut Frame, area: Rect, state: &State, theme: &Theme) {
    let focused = state.focus == Pane::Repos && state.views.is_empty();
    let block = pane(" Repos ", focused, theme);
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let width = inner.width as usize;
    for (i, repo) in state.repos.iter().enumerate().take(inner.height as usize) {
        let row = Rect {
            y: inner.y + i as u16,
            height: 1,
            ..inner
        };
        let selected = i == state.repo;
        let marker = if selected { "▸ " } else { "  " };
        let name_style = if selected && focused {
            theme.selected()
        } else {
            theme.text()
        };
        let (detail, detail_style) = match &repo.status {
            RepoStatus::Opening => ("opening…".to_string(), theme.muted()),
            RepoStatus::Ready => (repo.rev_label(), theme.accent()),
            RepoStatus::Failed(_) => ("error".to_string(), theme.error()),
            RepoStatus::Cloning { phase, fraction } => {
                let label = format!("{} {}", repo.info.name, phase);
                let gauge = Gauge::default()
                    .gauge_style(theme.accent())
                    .ratio(fraction.unwrap_or(0.0).clamp(0.0, 1.0))
                    .label(fit(&label, width));
                frame.render_widget(gauge, row);
                continue;
            }
        };
        let name_width = width
            .saturating_sub(2)
            .saturating_sub(detail.chars().count() + 1)
            .max(4);
        let name = fit(&repo.info.name, name_width);
        let spare = width.saturating_sub(2 + name.chars().count() + detail.chars().count());
        let line = Line::from(vec![
            Span::styled(marker, theme.accent()),
            Span::styled(name, name_style),
            Span::raw(" ".repeat(spare.max(1))),
            Span::styled(fit(&detail, width.saturating_sub(3)), detail_style),
        ]);
        frame.render_widget(Paragraph::new(line), row);
    }
}
