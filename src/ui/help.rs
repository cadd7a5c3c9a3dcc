//! The `?` overlay, generated from the keymap: every action, its keys and what it does.

use super::layout::popup;
use super::theme::Theme;
use super::widgets::pane;
use crate::app::action::Section;
use crate::app::keymap::Keymap;
use crate::app::state::HELP_SIZE;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Clear, Paragraph};

/// The help lines for `keymap`, grouped by section.
pub fn lines<'a>(keymap: &Keymap, theme: &Theme) -> Vec<Line<'a>> {
    let mut out = Vec::new();
    for section in Section::ALL {
        out.push(Line::styled(section.title().to_string(), theme.title()));
        for (action, keys) in keymap.bindings().iter().filter(|(a, _)| a.section() == section) {
            let keys = if keys.is_empty() {
                "unbound".to_string()
            } else {
                keys.iter().map(ToString::to_string).collect::<Vec<_>>().join(" ")
            };
            out.push(Line::from(vec![
                Span::styled(format!("  {keys:<16}"), theme.key()),
                Span::styled(action.help().to_string(), theme.text()),
            ]));
        }
        out.push(Line::from(""));
    }
    out.push(Line::styled("Commands (after :)".to_string(), theme.title()));
    for (name, arg, help) in crate::app::palette::COMMANDS {
        let usage = if arg.is_empty() {
            name.to_string()
        } else {
            format!("{name} {arg}")
        };
        out.push(Line::from(vec![
            Span::styled(format!("  {usage:<16}"), theme.key()),
            Span::styled(help.to_string(), theme.text()),
        ]));
    }
    out.push(Line::from(""));
    out.push(Line::styled("Typing (after : or /)".to_string(), theme.title()));
    for (keys, help) in crate::app::line_edit::help() {
        out.push(Line::from(vec![
            Span::styled(format!("  {keys:<16}"), theme.key()),
            Span::styled(help.to_string(), theme.text()),
        ]));
    }
    out
}

pub fn draw(frame: &mut Frame, area: Rect, scroll: usize, keymap: &Keymap, theme: &Theme) {
    let rect = popup(area, HELP_SIZE.0, HELP_SIZE.1);
    frame.render_widget(Clear, rect);
    let text = lines(keymap, theme);
    let title = if text.len() + 2 > rect.height as usize {
        " Help · j/k scroll · keys from keymap.yaml + config.yaml "
    } else {
        " Help · keys from keymap.yaml + config.yaml "
    };
    let block = pane(title, true, theme);
    // The last line stays at the bottom (the keymap decides how many lines there are).
    let rows = rect.height.saturating_sub(2) as usize;
    let scroll = scroll.min(text.len().saturating_sub(rows)) as u16;
    frame.render_widget(
        Paragraph::new(text)
            .block(block)
            .scroll((scroll, 0))
            .style(theme.text()),
        rect,
    );
}
