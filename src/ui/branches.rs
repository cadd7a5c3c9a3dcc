//! The branch picker popup.

use super::layout::popup;
use super::theme::Theme;
use super::widgets::{fit, pane};
use crate::app::state::State;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Clear, Paragraph};

pub fn draw(frame: &mut Frame, area: Rect, selected: usize, state: &State, theme: &Theme) {
    let Some(repo) = state.current_repo() else { return };
    let rect = popup(area, 48, (repo.branches.len() as u16 + 2).max(4));
    frame.render_widget(Clear, rect);
    let block = pane(format!(" Branches · {} ", repo.info.name), true, theme);
    let inner = block.inner(rect);
    frame.render_widget(block, rect);
    if repo.branches.is_empty() {
        frame.render_widget(Paragraph::new(Line::styled("no branches", theme.muted())), inner);
        return;
    }
    let height = inner.height as usize;
    let start = selected.saturating_sub(height.saturating_sub(1));
    let lines: Vec<Line> = repo
        .branches
        .iter()
        .enumerate()
        .skip(start)
        .take(height)
        .map(|(i, b)| {
            let glyph = if b.is_head { "* " } else { "  " };
            let style = if i == selected {
                theme.selected()
            } else if b.is_remote {
                theme.muted()
            } else {
                theme.text()
            };
            Line::from(vec![
                Span::styled(glyph, theme.accent()),
                Span::styled(fit(&b.name, (inner.width as usize).saturating_sub(2)), style),
            ])
        })
        .collect();
    frame.render_widget(Paragraph::new(lines), inner);
}
