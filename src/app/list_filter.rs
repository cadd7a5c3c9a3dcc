//! The `/` filter every cockpit list shares: the text typed and whether keys go to it, how
//! typing changes it (Enter keeps, Esc clears), what matches, how a pane title shows it, and
//! how a selection moves among (and stays on) the rows the filter lets through.

use super::action::Action;
use super::nav;
use ratatui::crossterm::event::{KeyCode, KeyEvent};

/// One list's filter.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ListFilter {
    pub text: String,
    /// Keys go to `text` while this is set.
    pub typing: bool,
}

impl ListFilter {
    /// `/`: start typing (the text typed before is kept, to refine it).
    pub fn start(&mut self) {
        self.typing = true;
    }

    /// A key while typing: Esc clears and stops, Enter (or a move away) keeps the text and
    /// stops, anything else edits the text (see [`super::line_edit`]).
    pub fn on_key(&mut self, key: KeyEvent) {
        match key.code {
            KeyCode::Esc => {
                self.text.clear();
                self.typing = false;
            }
            KeyCode::Enter | KeyCode::Down | KeyCode::Up | KeyCode::Tab => self.typing = false,
            _ => {
                super::line_edit::edit(&mut self.text, key);
            }
        }
    }

    /// Pasted text goes in as typed, without line breaks or control characters.
    pub fn paste(&mut self, text: &str) {
        self.text.extend(text.chars().filter(|c| !c.is_control()));
    }

    /// Esc on the list: clear a kept filter. False when there was none (Esc means back then).
    pub fn clear(&mut self) -> bool {
        let had = !self.text.is_empty();
        self.text.clear();
        had
    }

    /// Whether any of `fields` contains the text, ignoring case; everything matches no text.
    pub fn matches<'a>(&self, fields: impl IntoIterator<Item = &'a str>) -> bool {
        if self.text.is_empty() {
            return true;
        }
        let needle = self.text.to_lowercase();
        fields.into_iter().any(|f| f.to_lowercase().contains(&needle))
    }

    /// What a pane title adds: ` · /text▏` while typing, ` · /text` once kept, nothing without.
    pub fn label(&self) -> String {
        match (self.typing, self.text.is_empty()) {
            (true, _) => format!(" · /{}▏", self.text),
            (false, true) => String::new(),
            (false, false) => format!(" · /{}", self.text),
        }
    }
}

/// Where `selected` (an index into the whole list) sits among `visible` (sorted indices of
/// the rows shown): its position, or 0 when the filter hides it.
pub fn position(selected: usize, visible: &[usize]) -> usize {
    visible.iter().position(|&i| i == selected).unwrap_or(0)
}

/// A selection kept on a shown row: itself when shown, else the first row shown (or itself
/// when nothing is shown, so clearing the filter brings it back).
pub fn keep_on_visible(selected: usize, visible: &[usize]) -> usize {
    if visible.contains(&selected) {
        selected
    } else {
        visible.first().copied().unwrap_or(selected)
    }
}

/// A movement action among the shown rows; `None` when `action` is not a movement.
pub fn step(selected: usize, visible: &[usize], action: Action, page: usize) -> Option<usize> {
    let at = nav::step(position(selected, visible), visible.len(), action, page)?;
    Some(visible.get(at).copied().unwrap_or(selected))
}

#[cfg(test)]
mod tests {
    use super::*;
    use ratatui::crossterm::event::KeyModifiers;

    fn typed(f: &mut ListFilter, text: &str) {
        for c in text.chars() {
            f.on_key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE));
        }
    }

    #[test]
    fn typing_enter_keeps_and_esc_clears() {
        let mut f = ListFilter::default();
        f.start();
        typed(&mut f, "Prod");
        assert_eq!(f.label(), " · /Prod▏");
        f.on_key(KeyEvent::new(KeyCode::Enter, KeyModifiers::NONE));
        assert_eq!((f.typing, f.label().as_str()), (false, " · /Prod"));
        assert!(f.matches(["staging", "prod-eu"]) && !f.matches(["staging"]));
        f.start();
        f.on_key(KeyEvent::new(KeyCode::Esc, KeyModifiers::NONE));
        assert_eq!((f.typing, f.text.as_str(), f.label().as_str()), (false, "", ""));
        assert!(!f.clear(), "nothing left to clear: Esc goes back");
        f.paste("a\nb");
        assert_eq!(f.text, "ab");
    }

    #[test]
    fn selection_stays_on_a_visible_row() {
        // Rows 0..6; the filter shows 1, 3 and 4.
        let visible = [1, 3, 4];
        assert_eq!(keep_on_visible(3, &visible), 3, "a shown row keeps the selection");
        assert_eq!(
            keep_on_visible(5, &visible),
            1,
            "a hidden one moves to the first shown"
        );
        assert_eq!(
            keep_on_visible(5, &[]),
            5,
            "nothing shown: kept for when the filter clears"
        );
        assert_eq!(step(1, &visible, Action::Down, 5), Some(3));
        assert_eq!(step(4, &visible, Action::Down, 5), Some(4));
        assert_eq!(step(3, &visible, Action::Up, 5), Some(1));
        assert_eq!(step(3, &visible, Action::Bottom, 5), Some(4));
        assert_eq!(
            step(0, &visible, Action::Down, 5),
            Some(3),
            "from a hidden row: first, then on"
        );
        assert_eq!(step(3, &visible, Action::Open, 5), None);
        assert_eq!(position(4, &visible), 2);
    }
}
