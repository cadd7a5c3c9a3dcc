//! Pure rendering from state: one file per pane or view, plus the theme.
pub mod theme_ansi;
