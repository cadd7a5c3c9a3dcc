//! Editing a one-line text input (the palette, the `/` filters) the way a shell does:
//! characters add themselves, Backspace deletes one, Ctrl-W the last word, Ctrl-U the line.

use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

/// The typing keys of the palette and the filters, for the help overlay (fixed, like a
/// shell's; the keymap does not change them).
pub const HELP: &[(&str, &str)] = &[
    ("up down tab", "pick a suggestion (palette)"),
    ("enter", "run it / keep the filter"),
    ("esc", "close / clear the filter"),
    ("backspace", "delete a character"),
    ("ctrl-w", "delete a word"),
    ("ctrl-u", "clear the line"),
];

/// Apply `key` to `text`; false when the key is not a line edit (the caller handles it).
pub fn edit(text: &mut String, key: KeyEvent) -> bool {
    let ctrl = key.modifiers.contains(KeyModifiers::CONTROL);
    match key.code {
        KeyCode::Backspace if ctrl => delete_word(text),
        KeyCode::Backspace => {
            text.pop();
        }
        KeyCode::Char('u') if ctrl => text.clear(),
        KeyCode::Char('w') if ctrl => delete_word(text),
        KeyCode::Char(ch) if !ctrl => text.push(ch),
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
    fn edits_like_a_shell() {
        let none = KeyModifiers::NONE;
        let ctrl = KeyModifiers::CONTROL;
        assert_eq!(press("ap", KeyCode::Char('p'), none), ("app".into(), true));
        assert_eq!(press("app", KeyCode::Backspace, none), ("ap".into(), true));
        assert_eq!(press("app guest", KeyCode::Char('w'), ctrl).0, "app ");
        assert_eq!(press("app guest  ", KeyCode::Char('w'), ctrl).0, "app ");
        assert_eq!(press("app ", KeyCode::Backspace, ctrl).0, "");
        assert_eq!(press("app guest", KeyCode::Char('u'), ctrl).0, "");
        assert_eq!(press("", KeyCode::Char('w'), ctrl), (String::new(), true));
        assert_eq!(press("x", KeyCode::Char('r'), ctrl), ("x".into(), false));
        assert_eq!(press("x", KeyCode::Enter, none), ("x".into(), false));
    }
}
