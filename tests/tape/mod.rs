//! A VHS tape (`demo.tape`), read as a test script. This parses the VHS commands a tape may use
//! (Type, the keys, Ctrl/Alt/Shift, Sleep, Wait, Hide/Show, Set, Output, Require, Env, Source,
//! Screenshot) and the checks written beside them as comments, which VHS ignores:
//!
//! - `# expect: TEXT` — some row of the screen contains TEXT, once the commands above it ran;
//! - `# expect: /REGEX/` — the screen (its rows joined by newlines) matches REGEX;
//! - `# expect-not: TEXT` or `/REGEX/` — right then, the screen does not show it;
//! - `# size: COLSxROWS` — the terminal the tape plays in. VHS sizes its terminal in pixels
//!   (`Set Width/Height`); [`Tape::size`] checks that the declared size is what those pixels
//!   give with VHS's cell metrics, so the test, the recording and `vhs` all see one layout.
//!
//! `play` drives the real binary through a tape in a PTY; `tests/demo_tape.rs` and
//! `examples/tape_cast.rs` (the recording) share both.
#![allow(dead_code)]

pub mod play;
#[path = "../pty_cockpit_support/session.rs"]
pub mod session;
mod syntax;

pub use syntax::{Key, Setting};

use regex::Regex;
use std::fmt;
use std::path::Path;
use std::time::Duration;

/// Where a command stands: the tape's file and the line number.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Line {
    pub file: String,
    pub number: usize,
}

impl fmt::Display for Line {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}", self.file, self.number)
    }
}

/// What a screen must (or must not) show.
#[derive(Debug, Clone)]
pub enum Pattern {
    /// Some row contains this text.
    Text(String),
    /// The rows, joined by newlines, match.
    Regex(Regex),
}

impl Pattern {
    pub fn matches(&self, screen: &str) -> bool {
        match self {
            Pattern::Text(text) => screen.lines().any(|row| row.contains(text.as_str())),
            Pattern::Regex(re) => re.is_match(screen),
        }
    }
}

impl fmt::Display for Pattern {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Pattern::Text(text) => write!(f, "`{text}`"),
            Pattern::Regex(re) => write!(f, "/{}/", re.as_str()),
        }
    }
}

/// Where VHS's `Wait` looks: the cursor's row (the default) or the whole screen.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    Line,
    Screen,
}

#[derive(Debug, Clone)]
pub enum Action {
    /// Type the text, one character per `speed` (the tape's TypingSpeed when `None`).
    Type {
        text: String,
        speed: Option<Duration>,
    },
    /// Press a key `count` times.
    Key {
        key: Key,
        count: u32,
        speed: Option<Duration>,
    },
    Sleep(Duration),
    /// Wait until the pattern shows (VHS `Wait[+Line|+Screen][@timeout] /regex/`).
    Wait {
        scope: Scope,
        timeout: Option<Duration>,
        pattern: Regex,
    },
    Hide,
    Show,
    Screenshot(String),
    /// `# expect:` (`present`) or `# expect-not:`.
    Expect {
        pattern: Pattern,
        present: bool,
    },
}

#[derive(Debug, Clone)]
pub struct Step {
    pub line: Line,
    pub action: Action,
}

/// A parsed tape: its steps in order, and what it declares.
#[derive(Debug, Clone, Default)]
pub struct Tape {
    pub steps: Vec<Step>,
    pub settings: Vec<(Line, Setting)>,
    pub outputs: Vec<String>,
    pub requires: Vec<(Line, String)>,
    pub env: Vec<(String, String)>,
    /// `# size: COLSxROWS`, where it was declared.
    pub declared_size: Option<(Line, u16, u16)>,
}

/// A tape that cannot be read, naming the line.
#[derive(Debug)]
pub struct ParseError {
    pub line: Line,
    pub message: String,
}

impl fmt::Display for ParseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.line, self.message)
    }
}

impl Tape {
    /// Read the tape at `path` (and the tapes it `Source`s, relative to it).
    pub fn load(path: &Path) -> Result<Tape, ParseError> {
        let mut tape = Tape::default();
        tape.include(path, 0, None)?;
        Ok(tape)
    }

    /// Parse tape text; `Source` is resolved relative to `dir`.
    pub fn parse(file: &str, text: &str, dir: &Path) -> Result<Tape, ParseError> {
        let mut tape = Tape::default();
        tape.parse_into(file, text, dir, 0)?;
        Ok(tape)
    }

    fn include(&mut self, path: &Path, depth: usize, from: Option<&Line>) -> Result<(), ParseError> {
        let name = path.file_name().map(|n| n.to_string_lossy().into_owned());
        let file = name.unwrap_or_else(|| path.display().to_string());
        let text = std::fs::read_to_string(path).map_err(|e| ParseError {
            line: from.cloned().unwrap_or(Line {
                file: file.clone(),
                number: 0,
            }),
            message: format!("reading {}: {e}", path.display()),
        })?;
        let dir = path.parent().map(Path::to_path_buf).unwrap_or_default();
        self.parse_into(&file, &text, &dir, depth)
    }

    fn parse_into(&mut self, file: &str, text: &str, dir: &Path, depth: usize) -> Result<(), ParseError> {
        for (i, raw) in text.lines().enumerate() {
            let line = Line {
                file: file.to_string(),
                number: i + 1,
            };
            let fail = |message: String| ParseError {
                line: line.clone(),
                message,
            };
            let trimmed = raw.trim();
            if trimmed.is_empty() {
                continue;
            }
            if let Some(comment) = trimmed.strip_prefix('#') {
                self.comment(&line, comment.trim()).map_err(fail)?;
                continue;
            }
            let (word, rest) = split_word(trimmed);
            match word {
                "Output" => self.outputs.push(syntax::string_arg(rest).map_err(fail)?),
                "Require" => self
                    .requires
                    .push((line.clone(), syntax::string_arg(rest).map_err(fail)?)),
                "Set" => {
                    let setting = Setting::parse(rest).map_err(fail)?;
                    self.settings.push((line.clone(), setting));
                }
                "Env" => {
                    let (key, value) = split_word(rest);
                    let value = syntax::string_arg(value).map_err(fail)?;
                    self.env.push((key.to_string(), value));
                }
                "Source" => {
                    if depth > 8 {
                        return Err(fail("Source nests too deep".into()));
                    }
                    let path = dir.join(syntax::string_arg(rest).map_err(fail)?);
                    self.include(&path, depth + 1, Some(&line))?;
                }
                _ => {
                    let action = syntax::action(word, rest).map_err(fail)?;
                    self.steps.push(Step { line, action });
                }
            }
        }
        Ok(())
    }

    /// A comment: a check (`expect:`, `expect-not:`), the size, or prose.
    fn comment(&mut self, line: &Line, comment: &str) -> Result<(), String> {
        let (present, spec) = if let Some(spec) = comment.strip_prefix("expect:") {
            (true, spec)
        } else if let Some(spec) = comment.strip_prefix("expect-not:") {
            (false, spec)
        } else if let Some(spec) = comment.strip_prefix("size:") {
            if self.declared_size.is_some() {
                return Err("a second `# size:`".into());
            }
            let (cols, rows) = parse_size(spec.trim())?;
            self.declared_size = Some((line.clone(), cols, rows));
            return Ok(());
        } else {
            if comment.starts_with("expect") {
                return Err(format!(
                    "`# {comment}`: write `# expect: TEXT` or `# expect-not: TEXT`"
                ));
            }
            return Ok(());
        };
        let pattern = parse_pattern(spec.trim())?;
        let line = line.clone();
        self.steps.push(Step {
            line,
            action: Action::Expect { pattern, present },
        });
        Ok(())
    }

    /// The last value of a setting, by name.
    pub fn setting(&self, name: &str) -> Option<&Setting> {
        self.settings
            .iter()
            .rev()
            .map(|(_, s)| s)
            .find(|s| s.name() == name)
    }

    fn number(&self, name: &str, default: f64) -> f64 {
        match self.setting(name) {
            Some(Setting::Number(_, n)) => *n,
            _ => default,
        }
    }

    /// The tape's TypingSpeed (VHS's default: 50 ms).
    pub fn typing_speed(&self) -> Duration {
        match self.setting("TypingSpeed") {
            Some(Setting::Time(_, t)) => *t,
            _ => Duration::from_millis(50),
        }
    }

    /// VHS's defaults, as `vhs` documents them.
    pub fn font_size(&self) -> f64 {
        self.number("FontSize", 22.0)
    }

    pub fn line_height(&self) -> f64 {
        self.number("LineHeight", 1.0)
    }

    /// The terminal the tape plays in, in columns and rows: the `# size:` it declares, which
    /// must be what VHS's window (Width, Height, Padding, FontSize, LetterSpacing, LineHeight)
    /// holds, give or take a few percent; see [`vhs_cells`].
    pub fn size(&self) -> Result<(u16, u16), String> {
        let Some((line, cols, rows)) = self.declared_size.clone() else {
            return Err(
                "the tape declares no `# size: COLSxROWS` (the test and the recording play at it)".into(),
            );
        };
        let (vcols, vrows) = vhs_cells(
            self.number("Width", 1200.0),
            self.number("Height", 600.0),
            self.number("Padding", 60.0),
            self.font_size(),
            self.number("LetterSpacing", 1.0),
            self.line_height(),
        );
        let near = |declared: u16, vhs: f64| (f64::from(declared) - vhs).abs() <= (vhs * 0.05).max(1.0);
        if near(cols, vcols) && near(rows, vrows) {
            Ok((cols, rows))
        } else {
            Err(format!(
                "{line}: `# size: {cols}x{rows}` but VHS would open about {vcols:.0}x{vrows:.0} with these \
                 settings; change the size or the Set lines so that they agree"
            ))
        }
    }
}

/// The cells VHS's terminal holds: xterm.js cells of the default font (JetBrains Mono: 0.6 em
/// wide, 1.32 em high) plus LetterSpacing pixels, times LineHeight, inside the padding.
pub fn vhs_cells(
    width: f64,
    height: f64,
    padding: f64,
    font: f64,
    spacing: f64,
    line_height: f64,
) -> (f64, f64) {
    let cell_w = 0.6 * font + spacing;
    let cell_h = 1.32 * font * line_height;
    (
        ((width - 2.0 * padding) / cell_w).floor(),
        ((height - 2.0 * padding) / cell_h).floor(),
    )
}

fn parse_size(spec: &str) -> Result<(u16, u16), String> {
    let bad = || format!("`# size: {spec}`: write `# size: COLSxROWS`, e.g. `# size: 150x42`");
    let (c, r) = spec.split_once('x').ok_or_else(bad)?;
    Ok((
        c.trim().parse().map_err(|_| bad())?,
        r.trim().parse().map_err(|_| bad())?,
    ))
}

fn parse_pattern(spec: &str) -> Result<Pattern, String> {
    if spec.is_empty() {
        return Err("an empty expectation".into());
    }
    let Some(body) = spec.strip_prefix('/') else {
        return Ok(Pattern::Text(spec.to_string()));
    };
    match body.strip_suffix('/') {
        Some(re) if !re.is_empty() => Regex::new(re)
            .map(Pattern::Regex)
            .map_err(|e| format!("/{re}/ is not a regex: {e}")),
        _ => Err(format!(
            "`{spec}`: a regex is written /REGEX/, with flags inside it: /(?m)^> $/"
        )),
    }
}

/// The first word and the rest, trimmed.
fn split_word(s: &str) -> (&str, &str) {
    match s.split_once(char::is_whitespace) {
        Some((word, rest)) => (word, rest.trim()),
        None => (s, ""),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Result<Tape, ParseError> {
        Tape::parse("t.tape", text, Path::new("."))
    }

    #[test]
    fn an_unknown_command_names_its_line() {
        let err = parse("Output x.gif\n\nType \"a\"\nFrobnicate 3\n").unwrap_err();
        assert_eq!(err.line.number, 4);
        assert!(err.to_string().starts_with("t.tape:4: "), "{err}");
        assert!(err.message.contains("Frobnicate"), "{err}");
    }

    #[test]
    fn keys_counts_speeds_and_expectations() {
        let tape = parse(
            "Set TypingSpeed 40ms\nTab 2\nDown@100ms 3\nCtrl+C\nSleep 1.5\n# prose\n\
             # expect: live 3/3\n# expect: /guestbook +prod-us/\n# expect-not: secret\n",
        )
        .unwrap();
        assert_eq!(tape.typing_speed(), Duration::from_millis(40));
        let actions: Vec<String> = tape.steps.iter().map(|s| format!("{:?}", s.action)).collect();
        assert_eq!(actions.len(), 7, "{actions:#?}");
        assert!(matches!(
            tape.steps[0].action,
            Action::Key {
                key: Key::Tab,
                count: 2,
                speed: None
            }
        ));
        assert!(matches!(
            tape.steps[1].action,
            Action::Key {
                key: Key::Down,
                count: 3,
                speed: Some(_)
            }
        ));
        let Action::Key { key, .. } = tape.steps[2].action else {
            panic!()
        };
        assert_eq!(key.bytes(), vec![3]);
        assert!(matches!(tape.steps[3].action, Action::Sleep(d) if d == Duration::from_millis(1500)));
        let Action::Expect {
            pattern,
            present: true,
        } = &tape.steps[5].action
        else {
            panic!()
        };
        assert!(pattern.matches("x\n guestbook   prod-us ✗\n"));
        assert!(!pattern.matches("guestbook\nprod-us"));
        assert!(matches!(
            tape.steps[6].action,
            Action::Expect { present: false, .. }
        ));
    }

    #[test]
    fn the_size_must_agree_with_the_pixels() {
        let tape = parse("Set FontSize 14\nSet Width 1440\nSet Height 800\nSet Padding 10\n# size: 151x42\n")
            .unwrap();
        assert_eq!(tape.size(), Ok((151, 42)));
        let tape = parse("Set FontSize 20\nSet Width 1440\nSet Height 800\nSet Padding 10\n# size: 151x42\n")
            .unwrap();
        let err = tape.size().unwrap_err();
        assert!(
            err.contains("t.tape:5") && err.contains("VHS would open about"),
            "{err}"
        );
        assert!(parse("Set FontSize 14\n").unwrap().size().is_err());
    }

    #[test]
    fn a_misspelt_check_is_an_error() {
        let err = parse("# expects: live\n").unwrap_err();
        assert_eq!(err.line.number, 1);
        assert!(parse("# expect: /unclosed(/\n").is_err());
        assert!(parse("# expect: /^> $/m\n").is_err());
        assert!(parse("Set Colour red\n").is_err());
    }
}
