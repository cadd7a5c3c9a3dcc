//! ANSI colours for plain command-line output (`sextant diff`, `sextant status`): used only
//! when stdout is a terminal and `NO_COLOR` is unset, so pipes and CI logs stay plain.

use std::io::IsTerminal;

/// Colours for one output stream; `plain()` paints nothing.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AnsiTheme {
    enabled: bool,
}

impl AnsiTheme {
    /// Colour when stdout is a TTY and `NO_COLOR` is unset or empty.
    pub fn for_stdout() -> AnsiTheme {
        let no_color = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
        AnsiTheme {
            enabled: !no_color && std::io::stdout().is_terminal(),
        }
    }

    pub fn plain() -> AnsiTheme {
        AnsiTheme { enabled: false }
    }

    fn paint(&self, code: &str, text: &str) -> String {
        if self.enabled {
            format!("\x1b[{code}m{text}\x1b[0m")
        } else {
            text.to_string()
        }
    }

    /// A line desired adds.
    pub fn added(&self, text: &str) -> String {
        self.paint("32", text)
    }

    /// A line applying would remove.
    pub fn removed(&self, text: &str) -> String {
        self.paint("31", text)
    }

    /// `@@` hunk headers.
    pub fn hunk(&self, text: &str) -> String {
        self.paint("36", text)
    }

    /// File headers and section titles.
    pub fn header(&self, text: &str) -> String {
        self.paint("1", text)
    }

    /// Attribution and other comments.
    pub fn comment(&self, text: &str) -> String {
        self.paint("33", text)
    }

    /// Errors and warnings.
    pub fn error(&self, text: &str) -> String {
        self.paint("1;31", text)
    }

    /// A field that changes in place.
    pub fn changed(&self, text: &str) -> String {
        self.paint("33", text)
    }

    /// What was not done (skipped, kept).
    pub fn dim(&self, text: &str) -> String {
        self.paint("2", text)
    }
}
