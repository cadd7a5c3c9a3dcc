//! Editing a one-line text input (the palette, the `/` filters) the way a shell does:
//! characters add themselves, Backspace deletes one, Ctrl-W the last word, Ctrl-U the line.

use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

/// What an editing key does.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Edit {
    DeleteChar,
    DeleteWord,
    ClearLine,
}

/// The editing keys, fixed like a shell's: this table drives [`edit`] and the help overlay
/// lists it (key, modifiers, how help names the key, the edit, what help says it does).
const KEYS: &[(KeyCode, KeyModifiers, &str, Edit, &str)] = &[
    (
        KeyCode::Backspace,
        KeyModifiers::NONE,
        "backspace",
        Edit::DeleteChar,
        "delete a character",
    ),
    (
        KeyCode::Char('w'),
        KeyModifiers::CONTROL,
        "ctrl-w",
        Edit::DeleteWord,
        "delete a word",
    ),
    (
        KeyCode::Backspace,
        KeyModifiers::CONTROL,
        "ctrl-backspace",
        Edit::DeleteWord,
        "delete a word",
    ),
    (
        KeyCode::Char('u'),
        KeyModifiers::CONTROL,
        "ctrl-u",
        Edit::ClearLine,
        "clear the line",
    ),
];

/// The editing keys for the help overlay: (key, what it does).
pub fn help() -> impl Iterator<Item = (&'static str, &'static str)> {
    KEYS.iter().map(|(_, _, name, _, help)| (*name, *help))
}

/// Apply `key` to `text`; false when the key is not a line edit (the caller handles it).
pub fn edit(text: &mut String, key: KeyEvent) -> bool {
    let bound = KEYS
        .iter()
        .find(|(code, mods, ..)| *code == key.code && *mods == key.modifiers);
    match (bound, key.code) {
        (Some((_, _, _, Edit::DeleteChar, _)), _) => {
            text.pop();
        }
        (Some((_, _, _, Edit::DeleteWord, _)), _) => delete_word(text),
        (Some((_, _, _, Edit::ClearLine, _)), _) => text.clear(),
        (None, KeyCode::Char(ch)) if !key.modifiers.contains(KeyModifiers::CONTROL) => text.push(ch),
        _ => return false,
    }
    true
}

/// Remove the last word and the spaces after it.
fn delete_word(text: &mut String) {
    let kept = text.trim_end().trim_end_matches(|c: char| !c.is_whitespace());
    text.truncate(kept.len());
}

#[cfg(test)]
mod tests {
    use super::*;

    fn press(text: &str, code: KeyCode, modifiers: KeyModifiers) -> (String, bool) {
        let mut t = text.to_string();
        let handled = edit(&mut t, KeyEvent::new(code, modifiers));
        (t, handled)
    }

    #[test]
    fn help_lists_every_editing_key() {
        let names: Vec<&str> = help().map(|(k, _)| k).collect();
        assert_eq!(names, ["backspace", "ctrl-w", "ctrl-backspace", "ctrl-u"]);
    }

    #[test]
    fn edits_like_a_shell() {
        let none = KeyModifiers::NONE;
        let ctrl = KeyModifiers::CONTROL;
        assert_eq!(press("ap", KeyCode::Char('p'), none), ("app".into(), true));
        assert_eq!(press("app", KeyCode::Backspace, none), ("ap".into(), true));
        assert_eq!(press("app guest", KeyCode::Char('w'), ctrl).0, "app ");
        assert_eq!(press("app guest  ", KeyCode::Char('w'), ctrl).0, "app ");
        assert_eq!(press("app ", KeyCode::Backspace, ctrl).0, "");
        // Shifted characters type themselves.
        assert_eq!(press("a", KeyCode::Char('B'), KeyModifiers::SHIFT).0, "aB");
        assert_eq!(press("app guest", KeyCode::Char('u'), ctrl).0, "");
        assert_eq!(press("", KeyCode::Char('w'), ctrl), (String::new(), true));
        assert_eq!(press("x", KeyCode::Char('r'), ctrl), ("x".into(), false));
        assert_eq!(press("x", KeyCode::Enter, none), ("x".into(), false));
    }
}
