//! One line of code as styled spans: syntax colours, a line background, emphasised byte
//! ranges (changed words), then clipped to a horizontal window.

use super::theme::Theme;
use ratatui::style::Style;
use ratatui::text::Span;
use std::ops::Range;

/// How to draw one line.
pub struct CodeStyle<'a> {
    /// The path the line comes from (picks the syntax).
    pub path: &'a str,
    /// Applied under everything (e.g. the added-line background).
    pub base: Style,
    /// Applied over the emphasised ranges.
    pub emph: Style,
}

/// Spans for `text`, skipping `skip` characters and keeping at most `width`.
pub fn spans<'a>(
    text: &str,
    emph: &[Range<usize>],
    style: &CodeStyle<'_>,
    theme: &Theme,
    skip: usize,
    width: usize,
) -> Vec<Span<'a>> {
    // Tabs become one space: same byte length, so the ranges stay valid.
    let text = text.replace('\t', " ");
    let syntax = match theme.highlighting() {
        Some(s) => s.highlight(style.path, &text),
        None => vec![(theme.text(), 0..text.len())],
    };
    let mut cuts: Vec<usize> = vec![0, text.len()];
    cuts.extend(syntax.iter().map(|(_, r)| r.end));
    for r in emph {
        cuts.push(r.start.min(text.len()));
        cuts.push(r.end.min(text.len()));
    }
    cuts.retain(|&c| text.is_char_boundary(c));
    cuts.sort_unstable();
    cuts.dedup();
    let mut out = Vec::new();
    let (mut skipped, mut taken) = (0usize, 0usize);
    for pair in cuts.windows(2) {
        let (a, b) = (pair[0], pair[1]);
        if a >= b {
            continue;
        }
        let fg = syntax
            .iter()
            .find(|(_, r)| r.start <= a && a < r.end)
            .map(|(s, _)| *s)
            .unwrap_or_default();
        let mut s = style.base.patch(fg);
        if emph.iter().any(|r| r.start <= a && a < r.end) {
            s = s.patch(style.emph);
        }
        let mut piece: String = text[a..b].to_string();
        let n = piece.chars().count();
        if skipped < skip {
            let drop = (skip - skipped).min(n);
            skipped += drop;
            piece = piece.chars().skip(drop).collect();
        }
        let room = width.saturating_sub(taken);
        if room == 0 {
            break;
        }
        let piece: String = piece.chars().take(room).collect();
        taken += piece.chars().count();
        if !piece.is_empty() {
            out.push(Span::styled(piece, s));
        }
    }
    if taken < width {
        out.push(Span::styled(" ".repeat(width - taken), style.base));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn emphasis_splits_spans_and_clips() {
        let theme = Theme::no_color("t");
        let style = CodeStyle {
            path: "a.yaml",
            base: Style::new(),
            emph: theme.added_emph(),
        };
        let s = spans(
            "replicas: 3",
            std::slice::from_ref(&(10..11)),
            &style,
            &theme,
            0,
            20,
        );
        let text: String = s.iter().map(|s| s.content.to_string()).collect();
        assert_eq!(text, format!("replicas: 3{}", " ".repeat(9)));
        assert!(
            s.iter()
                .any(|sp| sp.content == "3" && sp.style == theme.added_emph())
        );
        let s = spans("replicas: 3", &[], &style, &theme, 4, 3);
        let text: String = s.iter().map(|s| s.content.to_string()).collect();
        assert_eq!(text, "ica");
    }
}
