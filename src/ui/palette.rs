//! The `:` command palette popup: the input line and the matching commands.

use super::layout::popup;
use super::theme::Theme;
use super::widgets::{fit, pad, pane};
use crate::app::palette::{Candidate, PaletteState};
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Clear, Paragraph};

pub fn draw(frame: &mut Frame, area: Rect, p: &PaletteState, cands: &[Candidate], theme: &Theme) {
    let rect = popup(area, 60, 14);
    let rect = Rect {
        y: area.y + area.height / 6,
        ..rect
    };
    frame.render_widget(Clear, rect);
    let block = pane(" Command ", true, theme);
    let inner = block.inner(rect);
    frame.render_widget(block, rect);
    let width = inner.width as usize;
    let mut lines = vec![Line::from(vec![
        Span::styled(":", theme.key()),
        Span::styled(p.input.clone(), theme.text()),
        Span::styled("▏", theme.accent()),
    ])];
    let room = (inner.height as usize).saturating_sub(1);
    let start = p.selected.saturating_sub(room.saturating_sub(1));
    for (i, c) in cands.iter().enumerate().skip(start).take(room) {
        let left = pad(&c.text, 22.min(width));
        let help = fit(&c.help, width.saturating_sub(left.chars().count() + 1));
        let mut line = Line::from(vec![
            Span::styled(left, theme.accent()),
            Span::raw(" "),
            Span::styled(help, theme.muted()),
        ]);
        if i == p.selected {
            line.spans.iter_mut().for_each(|s| s.style = theme.selected());
        }
        lines.push(line);
    }
    if cands.is_empty() {
        lines.push(Line::styled(
            "no matching command: Enter runs the text as typed",
            theme.muted(),
        ));
    }
    frame.render_widget(Paragraph::new(lines), inner);
}
