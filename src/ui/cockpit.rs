//! The cockpit screen: Git panes beside Clusters, Apps and Activity, or tabs on a small
//! terminal; the full-screen cockpit views; and the glyphs and styles of sync and health.

use super::theme::Theme;
use crate::app::cockpit::CockpitView;
use crate::app::state::{Pane, State};
use crate::gitops::engine::SyncStatus;
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

/// Below this size the panes become tabs.
pub const COMPACT_WIDTH: u16 = 100;
pub const COMPACT_HEIGHT: u16 = 30;

/// The main screen while the engine reports: `area` includes the status row.
pub fn draw_main(frame: &mut Frame, area: Rect, state: &State, theme: &Theme) {
    let (body, _) = super::layout::body_and_status(area);
    if area.width < COMPACT_WIDTH || area.height < COMPACT_HEIGHT {
        return draw_tabs(frame, body, state, theme);
    }
    let [top, bottom] = Layout::vertical([Constraint::Percentage(40), Constraint::Min(6)]).areas(body);
    draw_git(frame, top, state, theme);
    let [apps, activity] =
        Layout::horizontal([Constraint::Percentage(70), Constraint::Min(20)]).areas(bottom);
    super::apps::draw(frame, apps, state, theme);
    super::activity::draw(frame, activity, state, theme);
}

/// Repos, Commits and Clusters in `body` (the Git layout, its status row dropped).
fn draw_git(frame: &mut Frame, body: Rect, state: &State, theme: &Theme) {
    let with_status = Rect {
        height: body.height + 1,
        ..body
    };
    let areas = super::layout::main_areas(with_status, state.repos.len());
    super::repos::draw(frame, areas.repos, state, theme);
    super::commits::draw(frame, areas.commits, state, theme);
    super::cluster_list::draw(frame, areas.clusters, state, theme);
}

const TABS: [(&str, &[Pane]); 4] = [
    ("Git", &[Pane::Repos, Pane::Commits]),
    ("Clusters", &[Pane::Clusters]),
    ("Apps", &[Pane::Apps]),
    ("Activity", &[Pane::Activity]),
];

/// One pane at a time under a tab bar; Tab moves between them.
fn draw_tabs(frame: &mut Frame, body: Rect, state: &State, theme: &Theme) {
    let [bar, rest] = Layout::vertical([Constraint::Length(1), Constraint::Min(1)]).areas(body);
    let mut spans = vec![Span::raw(" ")];
    for (name, panes) in TABS {
        let style = if panes.contains(&state.focus) {
            theme.selected()
        } else {
            theme.muted()
        };
        spans.push(Span::styled(format!(" {name} "), style));
        spans.push(Span::raw(" "));
    }
    spans.push(Span::styled(live_indicator(state), theme.accent()));
    frame.render_widget(Paragraph::new(Line::from(spans)), bar);
    match state.focus {
        Pane::Repos | Pane::Commits => draw_git(frame, rest, state, theme),
        Pane::Clusters => super::cluster_list::draw(frame, rest, state, theme),
        Pane::Apps => super::apps::draw(frame, rest, state, theme),
        Pane::Activity => super::activity::draw(frame, rest, state, theme),
    }
}

/// A full-screen cockpit view.
pub fn draw_view(frame: &mut Frame, area: Rect, state: &State, view: &CockpitView, theme: &Theme) {
    match view {
        CockpitView::Matrix { row, col } => super::matrix::draw(frame, area, state, (*row, *col), theme),
        CockpitView::AppDetail {
            app,
            cluster,
            selected,
        } => super::app_detail::draw(frame, area, state, (app, cluster), *selected, theme),
        CockpitView::DriftDiff(d) => super::drift_diff::draw(frame, area, d, state.now, theme),
        CockpitView::PickCluster {
            revision, selected, ..
        } => super::preview::draw_pick(frame, area, state, (revision, *selected), theme),
        CockpitView::Preview(p) => {
            super::preview::draw(frame, area, p, &state.cockpit.filters.preview, theme)
        }
        CockpitView::Sync(s) => super::sync::draw(frame, area, s, &state.cockpit.filters.preview, theme),
        CockpitView::Publish(p) => super::publish::draw(frame, area, state, p, theme),
        CockpitView::Rollback(r) => super::rollback::draw(frame, area, state, r, theme),
        CockpitView::Audit {
            entries, selected, ..
        } => super::audit::draw(frame, area, entries.as_ref(), *selected, state.now, theme),
        CockpitView::Operator(o) => super::operator::draw(frame, area, state, o, theme),
    }
}

/// `● live 2/3`: clusters connected of those configured.
pub fn live_indicator(state: &State) -> String {
    let c = &state.cockpit.clusters;
    let ready = c.values().filter(|r| r.state.is_ready()).count();
    format!("● live {ready}/{}", c.len())
}

/// The cluster of `r`, when it is down and `r` is what it last showed (not when the cluster
/// was never reached: then there is no last known state).
pub fn down_since_known<'a>(
    c: &'a crate::app::cockpit::CockpitState,
    r: &crate::gitops::engine::AppReport,
) -> Option<&'a crate::app::cockpit::ClusterRow> {
    c.clusters
        .get(&r.cluster)
        .filter(|row| row.state.is_down())
        .filter(|_| r.cluster_error.is_none() || r.sync != SyncStatus::Unknown)
}

/// Why `r` shows no live state, in a few words: "last known state: prod-us unreachable for
/// 2m", or the cluster's state when it was never reached ("unreachable: connection
/// refused"; the row names the cluster already), or the engine's error. None when it is live.
pub fn cluster_problem(
    c: &crate::app::cockpit::CockpitState,
    r: &crate::gitops::engine::AppReport,
    now: i64,
) -> Option<String> {
    if let Some(row) = down_since_known(c, r) {
        let word = match row.state {
            crate::kube::cluster::ClusterState::Forbidden(_) => "forbidden",
            _ => "unreachable",
        };
        let since = super::widgets::ago(now, row.since);
        return Some(format!("last known state: {} {word} for {since}", row.name));
    }
    let err = r.cluster_error.as_ref()?;
    let down = c.clusters.get(&r.cluster).filter(|row| row.state.is_down());
    Some(down.map_or_else(|| err.clone(), |row| row.state.to_string()))
}

/// Glyph and word of a sync status.
pub fn sync_glyph(s: SyncStatus) -> (&'static str, &'static str) {
    let glyph = match s {
        SyncStatus::Synced => "✓",
        SyncStatus::OutOfSync => "✗",
        SyncStatus::Missing => "○",
        SyncStatus::Extra => "+",
        SyncStatus::Unknown => "?",
    };
    (glyph, s.as_str())
}

pub fn sync_style(s: SyncStatus, theme: &Theme) -> Style {
    match s {
        SyncStatus::Synced => theme.ok(),
        SyncStatus::Unknown => theme.muted(),
        _ => theme.warning(),
    }
}

/// Glyph of a health word.
pub fn health_glyph(h: &str) -> &'static str {
    match h {
        "Healthy" => "♥",
        "Progressing" => "◐",
        "Degraded" => "✖",
        "Suspended" => "‖",
        "Missing" => "○",
        _ => "?",
    }
}

pub fn health_style(h: &str, theme: &Theme) -> Style {
    match h {
        "Healthy" => theme.ok(),
        "Degraded" | "Missing" => theme.error(),
        "Progressing" | "Suspended" => theme.warning(),
        _ => theme.muted(),
    }
}

/// Glyph and style of a cluster's connection state.
pub fn cluster_dot(s: &crate::kube::cluster::ClusterState, theme: &Theme) -> (&'static str, Style) {
    use crate::kube::cluster::ClusterState;
    match s {
        ClusterState::Ready => ("●", theme.ok()),
        ClusterState::Connecting => ("◌", theme.muted()),
        ClusterState::Unreachable(_) => ("✖", theme.error()),
        ClusterState::Forbidden(_) => ("⊘", theme.error()),
    }
}
