//! The words of a VHS tape: keys and what they send, settings, times and strings.

use super::{Action, Scope};
use regex::Regex;
use std::time::Duration;

/// A key VHS can press, and the bytes an xterm sends for it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Key {
    Enter,
    Tab,
    Escape,
    Backspace,
    Delete,
    Space,
    Up,
    Down,
    Left,
    Right,
    PageUp,
    PageDown,
    Home,
    End,
    Insert,
    /// Ctrl+ a letter or one of `@[\]^_`.
    Ctrl(char),
    /// Alt+ a character (ESC then it).
    Alt(char),
    ShiftTab,
}

impl Key {
    pub fn bytes(self) -> Vec<u8> {
        let s: &[u8] = match self {
            Key::Enter => b"\r",
            Key::Tab => b"\t",
            Key::Escape => b"\x1b",
            Key::Backspace => b"\x7f",
            Key::Delete => b"\x1b[3~",
            Key::Space => b" ",
            Key::Up => b"\x1b[A",
            Key::Down => b"\x1b[B",
            Key::Right => b"\x1b[C",
            Key::Left => b"\x1b[D",
            Key::PageUp => b"\x1b[5~",
            Key::PageDown => b"\x1b[6~",
            Key::Home => b"\x1b[H",
            Key::End => b"\x1b[F",
            Key::Insert => b"\x1b[2~",
            Key::ShiftTab => b"\x1b[Z",
            Key::Ctrl(c) => return vec![(c.to_ascii_uppercase() as u8) & 0x1f],
            Key::Alt(c) => {
                let mut out = vec![0x1b];
                out.extend(c.to_string().as_bytes());
                return out;
            }
        };
        s.to_vec()
    }

    fn named(word: &str) -> Option<Key> {
        Some(match word {
            "Enter" => Key::Enter,
            "Tab" => Key::Tab,
            "Escape" => Key::Escape,
            "Backspace" => Key::Backspace,
            "Delete" => Key::Delete,
            "Space" => Key::Space,
            "Up" => Key::Up,
            "Down" => Key::Down,
            "Left" => Key::Left,
            "Right" => Key::Right,
            "PageUp" => Key::PageUp,
            "PageDown" => Key::PageDown,
            "Home" => Key::Home,
            "End" => Key::End,
            "Insert" => Key::Insert,
            _ => return None,
        })
    }

    /// `Ctrl+C`, `Alt+x`, `Shift+Tab`.
    fn chord(word: &str) -> Result<Key, String> {
        let bad = || format!("`{word}`: the harness knows Ctrl+KEY, Alt+KEY and Shift+Tab");
        let (modifier, key) = word.split_once('+').ok_or_else(bad)?;
        let single = {
            let mut chars = key.chars();
            match (chars.next(), chars.next()) {
                (Some(c), None) => Some(c),
                _ if key == "Space" => Some(' '),
                _ => None,
            }
        };
        match (modifier, single) {
            ("Ctrl", Some(c)) if c.is_ascii_alphabetic() || "@[\\]^_ ".contains(c) => Ok(Key::Ctrl(c)),
            ("Alt", Some(c)) => Ok(Key::Alt(c)),
            ("Shift", None) if key == "Tab" => Ok(Key::ShiftTab),
            _ => Err(bad()),
        }
    }
}

/// A `Set NAME VALUE` line.
#[derive(Debug, Clone, PartialEq)]
pub enum Setting {
    Number(String, f64),
    Time(String, Duration),
    Text(String, String),
}

/// VHS's settings, by the kind of value each takes.
const NUMBERS: &[&str] = &[
    "FontSize",
    "Width",
    "Height",
    "Padding",
    "LetterSpacing",
    "LineHeight",
    "Framerate",
    "PlaybackSpeed",
    "BorderRadius",
    "Margin",
    "WindowBarSize",
];
const TIMES: &[&str] = &["TypingSpeed", "WaitTimeout"];
const TEXTS: &[&str] = &[
    "Shell",
    "FontFamily",
    "Theme",
    "MarginFill",
    "WindowBar",
    "CursorBlink",
    "LoopOffset",
    "WaitPattern",
];

impl Setting {
    pub fn name(&self) -> &str {
        match self {
            Setting::Number(n, _) | Setting::Time(n, _) | Setting::Text(n, _) => n,
        }
    }

    pub fn parse(rest: &str) -> Result<Setting, String> {
        let (name, value) = rest.split_once(char::is_whitespace).unwrap_or((rest, ""));
        let value = value.trim();
        let name_s = name.to_string();
        if NUMBERS.contains(&name) {
            let n = value
                .parse()
                .map_err(|_| format!("Set {name}: `{value}` is not a number"))?;
            Ok(Setting::Number(name_s, n))
        } else if TIMES.contains(&name) {
            Ok(Setting::Time(name_s, time(value)?))
        } else if TEXTS.contains(&name) {
            // A theme may be JSON, and a loop offset a percentage: keep them as written.
            let text = string_arg(value).unwrap_or_else(|_| value.to_string());
            Ok(Setting::Text(name_s, text))
        } else {
            Err(format!("unknown VHS setting `Set {name}`"))
        }
    }
}

/// A VHS time: `500ms`, `2s`, `1m`, or a bare number of seconds (`0.5`, `.5`).
pub fn time(s: &str) -> Result<Duration, String> {
    let bad = || format!("`{s}` is not a time (500ms, 2s, 0.5)");
    let (number, unit) = match s.find(|c: char| c.is_ascii_alphabetic()) {
        Some(i) => s.split_at(i),
        None => (s, "s"),
    };
    let n: f64 = number.parse().map_err(|_| bad())?;
    let secs = match unit {
        "ms" => n / 1000.0,
        "s" => n,
        "m" => n * 60.0,
        _ => return Err(bad()),
    };
    if !(secs.is_finite() && secs >= 0.0) {
        return Err(bad());
    }
    Ok(Duration::from_secs_f64(secs))
}

/// One string argument: `"..."`, `'...'`, `` `...` `` or a bare word.
pub fn string_arg(s: &str) -> Result<String, String> {
    let s = s.trim();
    if s.is_empty() {
        return Err("a value is missing".into());
    }
    let first = s.chars().next().expect("not empty");
    if "\"'`".contains(first) {
        let inner = &s[1..];
        return match inner.find(first) {
            Some(end) if inner[end + 1..].trim().is_empty() => Ok(inner[..end].to_string()),
            Some(_) => Err(format!("one string expected, found `{s}`")),
            None => Err(format!("unclosed string `{s}`")),
        };
    }
    if s.contains(char::is_whitespace) {
        return Err(format!("`{s}`: quote a value that has spaces"));
    }
    Ok(s.to_string())
}

/// `Word[@speed]` -> (word, speed); `Wait+Screen@10s` -> ("Wait+Screen", 10s).
fn speed_suffix(word: &str) -> Result<(&str, Option<Duration>), String> {
    match word.split_once('@') {
        Some((w, t)) => Ok((w, Some(time(t)?))),
        None => Ok((word, None)),
    }
}

/// A command line that is a step: `word` is its first word, `rest` what follows.
pub fn action(word: &str, rest: &str) -> Result<Action, String> {
    let (name, speed) = speed_suffix(word)?;
    if let Some(key) = Key::named(name) {
        let count = if rest.is_empty() {
            1
        } else {
            rest.parse()
                .map_err(|_| format!("{name}: `{rest}` is not a count"))?
        };
        return Ok(Action::Key { key, count, speed });
    }
    if name.contains('+') && !name.starts_with("Wait") {
        let key = Key::chord(name)?;
        return Ok(Action::Key { key, count: 1, speed });
    }
    let no_args = |action: Action| {
        if rest.is_empty() {
            Ok(action)
        } else {
            Err(format!("{name} takes no argument"))
        }
    };
    match name {
        "Type" => Ok(Action::Type {
            text: string_arg(rest)?,
            speed,
        }),
        "Sleep" => Ok(Action::Sleep(time(rest)?)),
        "Hide" => no_args(Action::Hide),
        "Show" => no_args(Action::Show),
        "Screenshot" => Ok(Action::Screenshot(string_arg(rest)?)),
        "Wait" | "Wait+Line" | "Wait+Screen" => {
            let scope = if name == "Wait+Screen" {
                Scope::Screen
            } else {
                Scope::Line
            };
            // VHS waits for its prompt when no pattern is given.
            let re = match rest {
                "" => ">$",
                r => r
                    .strip_prefix('/')
                    .and_then(|r| r.strip_suffix('/'))
                    .ok_or_else(|| format!("Wait takes /regex/, found `{r}`"))?,
            };
            let pattern = Regex::new(re).map_err(|e| format!("/{re}/ is not a regex: {e}"))?;
            Ok(Action::Wait {
                scope,
                timeout: speed,
                pattern,
            })
        }
        _ => Err(format!(
            "unknown VHS command `{word}` (the harness in tests/tape plays Type, Enter, Tab, Escape, \
             Up/Down/Left/Right, Backspace, Space, Ctrl+KEY, Sleep, Wait, Hide, Show, Set, Output, \
             Require, Env, Source and Screenshot)"
        )),
    }
}
