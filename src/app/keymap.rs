//! The keymap as data: `assets/keymap.yaml` (built in) merged with the user's overrides from
//! `config.yaml`, turning key presses into named [`Action`]s.

use super::action::Action;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use std::collections::BTreeMap;
use std::fmt;

const DEFAULT_KEYMAP: &str = include_str!("../../assets/keymap.yaml");

/// One key chord: a code plus ctrl/alt modifiers (shift is folded into the character).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Key {
    pub code: KeyCode,
    pub mods: KeyModifiers,
}

/// A keymap that could not be built; the message names the action and key at fault.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum KeymapError {
    #[error("keymap: unknown action `{0}` (known actions: {known})", known = known_actions())]
    UnknownAction(String),
    #[error("keymap.{action}: cannot read key `{key}` ({why}); use e.g. `q`, `ctrl-c`, `enter`, `pgdown`")]
    BadKey {
        action: String,
        key: String,
        why: &'static str,
    },
    #[error("built-in keymap: {0}")]
    Builtin(String),
}

fn known_actions() -> String {
    Action::all().map(Action::name).collect::<Vec<_>>().join(", ")
}

/// Keys to actions, and actions to keys (for the help overlay).
#[derive(Debug, Clone, PartialEq)]
pub struct Keymap {
    bindings: Vec<(Action, Vec<Key>)>,
}

impl Keymap {
    /// The built-in keymap merged with `overrides` (action name -> keys, replacing that
    /// action's default keys).
    pub fn load(overrides: &BTreeMap<String, Vec<String>>) -> Result<Keymap, KeymapError> {
        let defaults: BTreeMap<String, Vec<String>> =
            crate::yaml::from_str(DEFAULT_KEYMAP).map_err(|e| KeymapError::Builtin(e.to_string()))?;
        let mut names = defaults;
        for (action, keys) in overrides {
            if Action::from_name(action).is_none() {
                return Err(KeymapError::UnknownAction(action.clone()));
            }
            names.insert(action.clone(), keys.clone());
        }
        let mut bindings = Vec::new();
        for action in Action::all() {
            let specs = names.get(action.name()).cloned().unwrap_or_default();
            let mut keys = Vec::new();
            for spec in specs {
                let key = parse_key(&spec).map_err(|why| KeymapError::BadKey {
                    action: action.name().to_string(),
                    key: spec.clone(),
                    why,
                })?;
                keys.push(key);
            }
            bindings.push((action, keys));
        }
        if let Some(unknown) = names.keys().find(|n| Action::from_name(n).is_none()) {
            return Err(KeymapError::Builtin(format!("unknown action `{unknown}`")));
        }
        Ok(Keymap { bindings })
    }

    /// The built-in keymap alone.
    pub fn builtin() -> Keymap {
        Self::load(&BTreeMap::new()).unwrap_or(Keymap { bindings: Vec::new() })
    }

    /// The action bound to this key press, if any.
    pub fn action(&self, event: &KeyEvent) -> Option<Action> {
        let key = Key::from_event(event);
        self.bindings
            .iter()
            .find(|(_, keys)| keys.contains(&key))
            .map(|(a, _)| *a)
    }

    /// The keys bound to `action`, in configured order.
    pub fn keys(&self, action: Action) -> &[Key] {
        self.bindings
            .iter()
            .find(|(a, _)| *a == action)
            .map(|(_, k)| k.as_slice())
            .unwrap_or(&[])
    }

    /// The first key of `action` as text (for hints), or "unbound".
    pub fn hint(&self, action: Action) -> String {
        self.keys(action)
            .first()
            .map(Key::to_string)
            .unwrap_or_else(|| "unbound".into())
    }

    /// Every binding, in help order.
    pub fn bindings(&self) -> &[(Action, Vec<Key>)] {
        &self.bindings
    }
}

impl Key {
    pub fn from_event(event: &KeyEvent) -> Key {
        let mut mods = event.modifiers & (KeyModifiers::CONTROL | KeyModifiers::ALT);
        let code = match event.code {
            // Terminals report shift+tab as BackTab, sometimes with SHIFT set too.
            KeyCode::BackTab => KeyCode::BackTab,
            KeyCode::Char(c) if mods.contains(KeyModifiers::CONTROL) => KeyCode::Char(c.to_ascii_lowercase()),
            other => other,
        };
        if event.modifiers.contains(KeyModifiers::SHIFT)
            && !matches!(code, KeyCode::Char(_) | KeyCode::BackTab)
        {
            mods |= KeyModifiers::SHIFT;
        }
        Key { code, mods }
    }
}

/// Parse a key name such as `q`, `G`, `?`, `ctrl-c`, `enter`, `shift-up`, `f5`.
pub fn parse_key(spec: &str) -> Result<Key, &'static str> {
    let mut mods = KeyModifiers::NONE;
    let mut rest = spec;
    loop {
        let lower = rest.to_ascii_lowercase();
        let (prefix, m) = if lower.starts_with("ctrl-") {
            (5, KeyModifiers::CONTROL)
        } else if lower.starts_with("alt-") {
            (4, KeyModifiers::ALT)
        } else if lower.starts_with("shift-") {
            (6, KeyModifiers::SHIFT)
        } else {
            break;
        };
        if rest.len() == prefix {
            return Err("nothing after the modifier");
        }
        mods |= m;
        rest = &rest[prefix..];
    }
    let mut chars = rest.chars();
    let code = match (chars.next(), chars.next()) {
        (None, _) => return Err("empty key name"),
        (Some(c), None) => {
            if mods.contains(KeyModifiers::SHIFT) {
                mods.remove(KeyModifiers::SHIFT);
                KeyCode::Char(c.to_ascii_uppercase())
            } else if mods.contains(KeyModifiers::CONTROL) {
                KeyCode::Char(c.to_ascii_lowercase())
            } else {
                KeyCode::Char(c)
            }
        }
        _ => named_key(&rest.to_ascii_lowercase()).ok_or("unknown key name")?,
    };
    if code == KeyCode::BackTab {
        mods.remove(KeyModifiers::SHIFT);
    }
    if code == KeyCode::Tab && mods.contains(KeyModifiers::SHIFT) {
        return Ok(Key {
            code: KeyCode::BackTab,
            mods: mods - KeyModifiers::SHIFT,
        });
    }
    Ok(Key { code, mods })
}

fn named_key(name: &str) -> Option<KeyCode> {
    Some(match name {
        "enter" | "return" => KeyCode::Enter,
        "esc" | "escape" => KeyCode::Esc,
        "tab" => KeyCode::Tab,
        "backtab" => KeyCode::BackTab,
        "space" => KeyCode::Char(' '),
        "up" => KeyCode::Up,
        "down" => KeyCode::Down,
        "left" => KeyCode::Left,
        "right" => KeyCode::Right,
        "pgup" | "pageup" => KeyCode::PageUp,
        "pgdown" | "pagedown" => KeyCode::PageDown,
        "home" => KeyCode::Home,
        "end" => KeyCode::End,
        "backspace" => KeyCode::Backspace,
        "delete" | "del" => KeyCode::Delete,
        "insert" => KeyCode::Insert,
        f if f.starts_with('f') => KeyCode::F(f[1..].parse().ok().filter(|n| (1..=12).contains(n))?),
        _ => return None,
    })
}

impl fmt::Display for Key {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.mods.contains(KeyModifiers::CONTROL) {
            f.write_str("ctrl-")?;
        }
        if self.mods.contains(KeyModifiers::ALT) {
            f.write_str("alt-")?;
        }
        if self.mods.contains(KeyModifiers::SHIFT) {
            f.write_str("shift-")?;
        }
        match self.code {
            KeyCode::Char(' ') => f.write_str("space"),
            KeyCode::Char(c) => write!(f, "{c}"),
            KeyCode::Enter => f.write_str("enter"),
            KeyCode::Esc => f.write_str("esc"),
            KeyCode::Tab => f.write_str("tab"),
            KeyCode::BackTab => f.write_str("shift-tab"),
            KeyCode::Up => f.write_str("↑"),
            KeyCode::Down => f.write_str("↓"),
            KeyCode::Left => f.write_str("←"),
            KeyCode::Right => f.write_str("→"),
            KeyCode::PageUp => f.write_str("pgup"),
            KeyCode::PageDown => f.write_str("pgdown"),
            KeyCode::Home => f.write_str("home"),
            KeyCode::End => f.write_str("end"),
            KeyCode::Backspace => f.write_str("backspace"),
            KeyCode::Delete => f.write_str("delete"),
            KeyCode::F(n) => write!(f, "f{n}"),
            other => write!(f, "{other:?}"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn press(code: KeyCode, mods: KeyModifiers) -> KeyEvent {
        KeyEvent::new(code, mods)
    }

    /// Every built-in key does one thing: a key bound twice would reach only the first action.
    #[test]
    fn no_two_builtin_actions_share_a_key() {
        let km = Keymap::builtin();
        let mut seen: Vec<(Key, Action)> = Vec::new();
        for action in Action::all() {
            for key in km.keys(action) {
                if let Some((_, other)) = seen.iter().find(|(k, _)| k == key) {
                    panic!("{key:?} is bound to both {other:?} and {action:?}");
                }
                seen.push((*key, action));
            }
        }
    }

    #[test]
    fn builtin_maps_the_usual_keys() {
        let km = Keymap::builtin();
        assert_eq!(
            km.action(&press(KeyCode::Char('q'), KeyModifiers::NONE)),
            Some(Action::Quit)
        );
        assert_eq!(
            km.action(&press(KeyCode::Char('c'), KeyModifiers::CONTROL)),
            Some(Action::ForceQuit)
        );
        assert_eq!(
            km.action(&press(KeyCode::Char('G'), KeyModifiers::SHIFT)),
            Some(Action::Bottom)
        );
        assert_eq!(
            km.action(&press(KeyCode::BackTab, KeyModifiers::SHIFT)),
            Some(Action::PrevPane)
        );
        assert_eq!(
            km.action(&press(KeyCode::Char('?'), KeyModifiers::NONE)),
            Some(Action::Help)
        );
        assert_eq!(
            km.action(&press(KeyCode::Down, KeyModifiers::NONE)),
            Some(Action::Down)
        );
        assert_eq!(km.action(&press(KeyCode::Char('x'), KeyModifiers::NONE)), None);
    }

    #[test]
    fn overrides_replace_an_actions_keys() {
        let mut o = BTreeMap::new();
        o.insert("quit".to_string(), vec!["Q".to_string(), "ctrl-x".to_string()]);
        let km = Keymap::load(&o).unwrap();
        assert_eq!(km.action(&press(KeyCode::Char('q'), KeyModifiers::NONE)), None);
        assert_eq!(
            km.action(&press(KeyCode::Char('Q'), KeyModifiers::SHIFT)),
            Some(Action::Quit)
        );
        assert_eq!(
            km.action(&press(KeyCode::Char('x'), KeyModifiers::CONTROL)),
            Some(Action::Quit)
        );
        assert_eq!(km.hint(Action::Quit), "Q");
    }

    #[test]
    fn unknown_action_and_bad_key_are_named() {
        let mut o = BTreeMap::new();
        o.insert("quitt".to_string(), vec!["q".to_string()]);
        let err = Keymap::load(&o).unwrap_err().to_string();
        assert!(err.contains("unknown action `quitt`"), "{err}");
        assert!(err.contains("quit, force_quit"), "{err}");

        let mut o = BTreeMap::new();
        o.insert("help".to_string(), vec!["ctrl-".to_string()]);
        let err = Keymap::load(&o).unwrap_err().to_string();
        assert!(err.contains("keymap.help") && err.contains("`ctrl-`"), "{err}");

        let mut o = BTreeMap::new();
        o.insert("help".to_string(), vec!["hyper".to_string()]);
        assert!(Keymap::load(&o).is_err());
    }

    #[test]
    fn key_names_parse_and_print() {
        assert_eq!(parse_key("shift-tab").unwrap().code, KeyCode::BackTab);
        assert_eq!(parse_key("f5").unwrap().code, KeyCode::F(5));
        assert_eq!(parse_key("shift-g").unwrap().code, KeyCode::Char('G'));
        assert!(parse_key("f13").is_err());
        assert_eq!(parse_key("ctrl-d").unwrap().to_string(), "ctrl-d");
        assert_eq!(parse_key("space").unwrap().to_string(), "space");
    }
}
