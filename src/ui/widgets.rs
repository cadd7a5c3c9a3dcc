//! Small shared pieces: pane blocks, text fitting, relative times, empty states.

use super::theme::Theme;
use ratatui::Frame;
use ratatui::layout::{Alignment, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, BorderType, Borders, Paragraph, Wrap};

/// A bordered pane with a title; the border shows focus.
pub fn pane<'a>(title: impl Into<Line<'a>>, focused: bool, theme: &Theme) -> Block<'a> {
    Block::default()
        .borders(Borders::ALL)
        .border_type(if focused {
            BorderType::Thick
        } else {
            BorderType::Rounded
        })
        .border_style(theme.border(focused))
        .title(title.into().style(theme.title()))
}

/// `s` cut to `width` characters, ending in `…` when cut.
pub fn fit(s: &str, width: usize) -> String {
    if s.chars().count() <= width {
        return s.to_string();
    }
    if width == 0 {
        return String::new();
    }
    let mut out: String = s.chars().take(width - 1).collect();
    out.push('…');
    out
}

/// `s` in lines of at most `width` characters, broken between words (a word longer than a
/// line is cut), at most `max` lines: the last one takes the rest, cut with `…` if it must be.
pub fn wrap(s: &str, width: usize, max: usize) -> Vec<String> {
    let mut lines: Vec<String> = Vec::new();
    let mut line = String::new();
    for word in s.split_whitespace() {
        let needed = line.chars().count() + usize::from(!line.is_empty()) + word.chars().count();
        if !line.is_empty() && needed > width && lines.len() + 1 < max {
            lines.push(std::mem::take(&mut line));
        }
        if !line.is_empty() {
            line.push(' ');
        }
        line.push_str(word);
    }
    if !line.is_empty() {
        lines.push(line);
    }
    lines.iter().map(|l| fit(l, width)).collect()
}

/// `s` padded or cut to exactly `width` characters.
pub fn pad(s: &str, width: usize) -> String {
    let f = fit(s, width);
    let n = f.chars().count();
    format!("{f}{}", " ".repeat(width.saturating_sub(n)))
}

/// "42s", "5m", "3h", "2d", "4mo", "1y" between `then` and `now` (seconds since the epoch).
pub fn ago(now: i64, then: i64) -> String {
    let d = (now - then).max(0);
    match d {
        0..60 => format!("{d}s"),
        60..3600 => format!("{}m", d / 60),
        3600..86_400 => format!("{}h", d / 3600),
        86_400..2_592_000 => format!("{}d", d / 86_400),
        2_592_000..31_536_000 => format!("{}mo", d / 2_592_000),
        _ => format!("{}y", d / 31_536_000),
    }
}

/// A UTC date-time like `2026-11-22 03:09` from seconds since the epoch.
pub fn date_time(t: i64) -> String {
    let (y, mo, d, h, mi, _) = crate::time::civil(t);
    format!("{y:04}-{mo:02}-{d:02} {h:02}:{mi:02} UTC")
}

/// A centred message inside `area` (empty states, loading, errors in a pane).
pub fn message(frame: &mut Frame, area: Rect, lines: Vec<Line<'_>>) {
    let top = area.height.saturating_sub(lines.len() as u16) / 2;
    let inner = Rect {
        y: area.y + top,
        height: area.height - top,
        ..area
    };
    frame.render_widget(
        Paragraph::new(lines)
            .alignment(Alignment::Center)
            .wrap(Wrap { trim: true }),
        inner,
    );
}

/// A key hint: the key in the key style, then its label.
pub fn hint<'a>(key: String, label: &'a str, theme: &Theme) -> Vec<Span<'a>> {
    vec![
        Span::styled(key, theme.key()),
        Span::styled(format!(" {label}  "), theme.muted()),
    ]
}

#[cfg(test)]
mod tests {
    #[test]
    fn wrap_breaks_between_words_and_cuts_the_last_line() {
        assert_eq!(wrap("a bb ccc dddd", 6, 5), ["a bb", "ccc", "dddd"]);
        // The last line takes the rest, cut where the room ends.
        assert_eq!(wrap("a bb ccc dddd", 6, 2), ["a bb", "ccc d…"]);
        assert_eq!(wrap("abcdefghij", 4, 2), ["abc…"]);
        assert!(wrap("", 10, 3).is_empty());
    }

    use super::*;

    #[test]
    fn fits_and_formats() {
        assert_eq!(fit("abcdef", 4), "abc…");
        assert_eq!(pad("ab", 4), "ab  ");
        assert_eq!(ago(1000, 1000 - 125), "2m");
        assert_eq!(ago(0, 10), "0s");
        assert_eq!(date_time(0), "1970-01-01 00:00 UTC");
        assert_eq!(date_time(1_795_403_397), "2026-11-23 03:09 UTC");
    }
}
