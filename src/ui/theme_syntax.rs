//! Syntax colours from syntect (pure-Rust regex engine), per line, for the diff and file views.
//! Lines are highlighted one at a time so only visible rows cost anything.

use ratatui::style::{Color, Modifier, Style};
use std::ops::Range;
use std::sync::OnceLock;
use syntect::easy::HighlightLines;
use syntect::highlighting::{FontStyle, ThemeSet};
use syntect::parsing::{SyntaxReference, SyntaxSet};

const FALLBACK_THEME: &str = "base16-ocean.dark";

fn syntaxes() -> &'static SyntaxSet {
    static SET: OnceLock<SyntaxSet> = OnceLock::new();
    SET.get_or_init(SyntaxSet::load_defaults_nonewlines)
}

fn themes() -> &'static ThemeSet {
    static SET: OnceLock<ThemeSet> = OnceLock::new();
    SET.get_or_init(ThemeSet::load_defaults)
}

/// A syntect theme, resolved once per UI theme.
#[derive(Debug)]
pub struct Syntax {
    theme: syntect::highlighting::Theme,
}

impl Syntax {
    /// The named syntect theme, or the fallback when the name is unknown.
    pub fn new(name: Option<&str>) -> Syntax {
        let set = themes();
        let theme = name
            .and_then(|n| set.themes.get(n))
            .or_else(|| set.themes.get(FALLBACK_THEME))
            .cloned()
            .unwrap_or_default();
        Syntax { theme }
    }

    /// The syntect theme names available for `syntax:` in a theme file.
    pub fn theme_names() -> Vec<String> {
        themes().themes.keys().cloned().collect()
    }

    fn syntax_for(path: &str) -> &'static SyntaxReference {
        let set = syntaxes();
        let ext = path.rsplit_once('.').map(|(_, e)| e).unwrap_or("");
        set.find_syntax_by_extension(ext)
            .unwrap_or_else(|| set.find_syntax_plain_text())
    }

    /// Foreground styles for the byte ranges of one line of the file at `path`.
    pub fn highlight(&self, path: &str, line: &str) -> Vec<(Style, Range<usize>)> {
        let syntax = Self::syntax_for(path);
        let mut h = HighlightLines::new(syntax, &self.theme);
        let Ok(regions) = h.highlight_line(line, syntaxes()) else {
            return vec![(Style::new(), 0..line.len())];
        };
        let mut out = Vec::with_capacity(regions.len());
        let mut at = 0;
        for (style, text) in regions {
            let c = style.foreground;
            let mut s = Style::new().fg(Color::Rgb(c.r, c.g, c.b));
            if style.font_style.contains(FontStyle::BOLD) {
                s = s.add_modifier(Modifier::BOLD);
            }
            if style.font_style.contains(FontStyle::ITALIC) {
                s = s.add_modifier(Modifier::ITALIC);
            }
            out.push((s, at..at + text.len()));
            at += text.len();
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn yaml_keys_and_values_get_different_colours() {
        let s = Syntax::new(Some("base16-ocean.dark"));
        let spans = s.highlight("deploy.yaml", "replicas: 3");
        assert!(spans.len() >= 2, "{spans:?}");
        assert_ne!(spans[0].0.fg, spans[spans.len() - 1].0.fg);
        assert_eq!(spans.last().unwrap().1.end, "replicas: 3".len());
        assert!(Syntax::theme_names().iter().any(|n| n == "InspiredGitHub"));
    }
}
