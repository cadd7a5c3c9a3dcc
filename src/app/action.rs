//! Named actions: what a key does, independent of which key it is. The keymap maps keys to
//! these names; `update` interprets them for the focused view; the help overlay lists them.

/// Every action a key can trigger.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Action {
    Quit,
    ForceQuit,
    Help,
    Palette,
    Filter,
    NextPane,
    PrevPane,
    Back,
    Open,
    Up,
    Down,
    PageUp,
    PageDown,
    Top,
    Bottom,
    Left,
    Right,
    Branches,
    Tree,
    Mark,
    Compare,
    ToggleSplit,
    NextHunk,
    PrevHunk,
    NextFile,
    PrevFile,
    Expand,
    Refresh,
    Matrix,
    Preview,
    Sync,
    Revert,
    PullRequest,
    Rollback,
    OpenLink,
    Confirm,
    /// Act through the operator (Argo CD, Flux) of the selected app.
    Operator,
}

/// A heading in the help overlay.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Section {
    Global,
    Navigation,
    Git,
    Diff,
}

impl Section {
    pub const ALL: [Section; 4] = [Section::Global, Section::Navigation, Section::Git, Section::Diff];

    pub fn title(self) -> &'static str {
        match self {
            Section::Global => "Global",
            Section::Navigation => "Navigation",
            Section::Git => "Git",
            Section::Diff => "Diff",
        }
    }
}

/// (action, config name, help section, help text), in help-overlay order.
const TABLE: &[(Action, &str, Section, &str)] = &[
    (Action::Quit, "quit", Section::Global, "quit Sextant"),
    (Action::ForceQuit, "force_quit", Section::Global, "quit now"),
    (Action::Help, "help", Section::Global, "show or hide this help"),
    (Action::Palette, "palette", Section::Global, "command palette"),
    (Action::Filter, "filter", Section::Global, "filter the list"),
    (
        Action::Refresh,
        "refresh",
        Section::Global,
        "reload: the repo, a preview, app events",
    ),
    (Action::NextPane, "next_pane", Section::Navigation, "next pane"),
    (
        Action::PrevPane,
        "prev_pane",
        Section::Navigation,
        "previous pane",
    ),
    (Action::Back, "back", Section::Navigation, "back / close"),
    (Action::Open, "open", Section::Navigation, "open the selection"),
    (Action::Up, "up", Section::Navigation, "move up"),
    (Action::Down, "down", Section::Navigation, "move down"),
    (Action::PageUp, "page_up", Section::Navigation, "page up"),
    (Action::PageDown, "page_down", Section::Navigation, "page down"),
    (Action::Top, "top", Section::Navigation, "go to the top"),
    (Action::Bottom, "bottom", Section::Navigation, "go to the bottom"),
    (Action::Left, "left", Section::Navigation, "scroll left"),
    (Action::Right, "right", Section::Navigation, "scroll right"),
    (Action::Branches, "branches", Section::Git, "pick a branch"),
    (
        Action::Tree,
        "tree",
        Section::Git,
        "browse the files of the commit",
    ),
    (Action::Mark, "mark", Section::Git, "mark a commit to compare"),
    (
        Action::Compare,
        "compare",
        Section::Git,
        "compare the marked commit with this one",
    ),
    (
        Action::ToggleSplit,
        "toggle_split",
        Section::Diff,
        "unified / side by side",
    ),
    (Action::NextHunk, "next_hunk", Section::Diff, "next hunk"),
    (Action::PrevHunk, "prev_hunk", Section::Diff, "previous hunk"),
    (Action::Expand, "expand", Section::Diff, "expand folded context"),
    (
        Action::Matrix,
        "matrix",
        Section::Global,
        "drift matrix: apps × clusters",
    ),
    (
        Action::Preview,
        "preview",
        Section::Git,
        "preview syncing this commit to a cluster",
    ),
    (
        Action::Sync,
        "sync",
        Section::Global,
        "sync the app (or object) to its cluster: preview, then confirm",
    ),
    (
        Action::Revert,
        "revert",
        Section::Git,
        "revert this commit: preview what it changes per cluster, then branch, push, pull request",
    ),
    (
        Action::PullRequest,
        "pull_request",
        Section::Git,
        "push the checked-out branch and open its pull request",
    ),
    (
        Action::Rollback,
        "rollback",
        Section::Global,
        "roll the app back: pick a revision, preview, then a revert PR or a pinned sync",
    ),
    (
        Action::OpenLink,
        "open_link",
        Section::Global,
        "open the pull request (or the page to open it) in the browser",
    ),
    (
        Action::Confirm,
        "confirm",
        Section::Global,
        "confirm (a sync's plan)",
    ),
    (
        Action::NextFile,
        "next_file",
        Section::Diff,
        "diff of the next changed file",
    ),
    (
        Action::PrevFile,
        "prev_file",
        Section::Diff,
        "diff of the previous changed file",
    ),
    (
        Action::Operator,
        "operator",
        Section::Global,
        "act through the app's Argo CD or Flux",
    ),
];

impl Action {
    /// Every action, in help order.
    pub fn all() -> impl Iterator<Item = Action> {
        TABLE.iter().map(|row| row.0)
    }

    /// The name used in `assets/keymap.yaml` and the user's config.
    pub fn name(self) -> &'static str {
        Self::row(self).1
    }

    pub fn section(self) -> Section {
        Self::row(self).2
    }

    pub fn help(self) -> &'static str {
        Self::row(self).3
    }

    pub fn from_name(name: &str) -> Option<Action> {
        TABLE.iter().find(|row| row.1 == name).map(|row| row.0)
    }

    fn row(self) -> &'static (Action, &'static str, Section, &'static str) {
        // Every variant has a row: `every_action_has_a_row` checks it.
        TABLE.iter().find(|row| row.0 == self).unwrap_or(&TABLE[0])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_action_has_a_row_and_round_trips() {
        for action in Action::all() {
            assert_eq!(Action::from_name(action.name()), Some(action));
        }
        assert_eq!(Action::all().count(), Action::Operator as usize + 1);
    }
}
