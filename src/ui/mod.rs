//! Pure rendering from state: one file per pane or view, plus the theme. `draw` reads the
//! state and writes the frame; it does no IO and changes nothing.

pub mod activity;
pub mod app_detail;
pub mod apps;
pub mod audit;
pub mod branches;
pub mod cluster_list;
pub mod clusters;
pub mod cockpit;
pub mod code;
pub mod commits;
pub mod detail;
pub mod diff;
pub mod drift_diff;
pub mod error;
pub mod help;
pub mod layout;
pub mod matrix;
pub mod operator;
pub mod palette;
pub mod preview;
pub mod publish;
pub mod repos;
pub mod rollback;
pub mod statusbar;
pub mod sync;
pub mod theme;
pub mod theme_syntax;
pub mod tree;
pub mod widgets;

use crate::app::state::{Overlay, State, View};
use ratatui::Frame;
use ratatui::widgets::Block;
use theme::Theme;

/// Draw the whole screen for `state`.
pub fn draw(frame: &mut Frame, state: &State, theme: &Theme) {
    let area = frame.area();
    frame.render_widget(Block::default().style(theme.text()), area);
    let (body, status) = layout::body_and_status(area);
    match state.views.last() {
        None if state.cockpit.is_active() => cockpit::draw_main(frame, area, state, theme),
        None => {
            let areas = layout::main_areas(area, state.repos.len());
            repos::draw(frame, areas.repos, state, theme);
            commits::draw(frame, areas.commits, state, theme);
            clusters::draw(frame, areas.clusters, state, theme);
        }
        Some(View::Detail(d)) => detail::draw(frame, body, d, theme),
        Some(View::Diff(d, _)) => diff::draw(frame, body, d, theme),
        Some(View::Tree(t)) => tree::draw_tree(frame, body, t, theme),
        Some(View::File(f)) => tree::draw_file(frame, body, f, theme),
        Some(View::Cockpit(v)) => cockpit::draw_view(frame, body, state, v, theme),
    }
    statusbar::draw(frame, status, state, theme);
    match &state.overlay {
        Some(Overlay::Help { scroll }) => help::draw(frame, body, *scroll, &state.keymap, theme),
        Some(Overlay::Palette(p)) => {
            let cands = crate::app::update_keys::palette_candidates(state, &p.input);
            palette::draw(frame, body, p, &cands, theme);
        }
        Some(Overlay::Branches { selected }) => branches::draw(frame, body, *selected, state, theme),
        None => {}
    }
    error::draw(frame, body, state, theme);
}
