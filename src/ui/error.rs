//! The error panel: the newest undismissed error, what to do, and how many more wait.

use super::layout::popup;
use super::theme::Theme;
use super::widgets::hint;
use crate::app::action::Action;
use crate::app::state::State;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, BorderType, Borders, Clear, Paragraph, Wrap};

pub fn draw(frame: &mut Frame, area: Rect, state: &State, theme: &Theme) {
    let Some(message) = state.errors.last() else {
        return;
    };
    let inner_width = 70.min(area.width.saturating_sub(4)).max(1) as usize;
    let text_rows = message.chars().count().div_ceil(inner_width) as u16;
    // One spare row: word wrapping can need more rows than characters/width.
    let rect = popup(area, 72, text_rows + 6);
    frame.render_widget(Clear, rect);
    let more = state.errors.len() - 1;
    let title = if more > 0 {
        format!(" Error (+{more} more) ")
    } else {
        " Error ".to_string()
    };
    let block = Block::default()
        .borders(Borders::ALL)
        .border_type(BorderType::Double)
        .border_style(theme.error())
        .title(Span::styled(title, theme.error()));
    let mut dismiss = vec![Span::raw(" ")];
    dismiss.extend(hint(state.keymap.hint(Action::Back), "dismiss", theme));
    let lines = vec![
        Line::styled(message.clone(), theme.text()),
        Line::from(""),
        Line::from(dismiss),
    ];
    frame.render_widget(
        Paragraph::new(lines).block(block).wrap(Wrap { trim: false }),
        rect,
    );
}
