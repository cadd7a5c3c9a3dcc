//! List movement shared by every list and scrolling view.

use super::action::Action;

/// The new position after a movement action in a list of `len` rows with `page` rows on
/// screen; None when `action` is not a movement.
pub fn step(pos: usize, len: usize, action: Action, page: usize) -> Option<usize> {
    let last = len.saturating_sub(1);
    let page = page.max(1);
    Some(match action {
        Action::Up => pos.saturating_sub(1),
        Action::Down => (pos + 1).min(last),
        Action::PageUp => pos.saturating_sub(page),
        Action::PageDown => (pos + page).min(last),
        Action::Top => 0,
        Action::Bottom => last,
        _ => return None,
    })
}

/// The first visible row so that `selected` stays within `height` rows of `offset`.
pub fn keep_visible(offset: usize, selected: usize, height: usize) -> usize {
    let height = height.max(1);
    if selected < offset {
        selected
    } else if selected >= offset + height {
        selected + 1 - height
    } else {
        offset
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn steps_clamp_to_the_list() {
        assert_eq!(step(0, 10, Action::Up, 5), Some(0));
        assert_eq!(step(9, 10, Action::Down, 5), Some(9));
        assert_eq!(step(2, 10, Action::PageDown, 5), Some(7));
        assert_eq!(step(2, 10, Action::Bottom, 5), Some(9));
        assert_eq!(step(2, 0, Action::Down, 5), Some(0));
        assert_eq!(step(2, 10, Action::Open, 5), None);
    }

    #[test]
    fn keeps_selection_on_screen() {
        assert_eq!(keep_visible(0, 3, 5), 0);
        assert_eq!(keep_visible(0, 7, 5), 3);
        assert_eq!(keep_visible(6, 2, 5), 2);
    }
}
