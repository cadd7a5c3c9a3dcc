//! The Clusters pane while the engine reports: every cluster with its connection state and
//! how many of its apps are synced, drifted or unknown; `/` filters it by name or context.

use super::cockpit::live_indicator;
use super::theme::Theme;
use super::widgets::{fit, message, pane};
use crate::app::list_filter::position;
use crate::app::nav::keep_visible;
use crate::app::state::{Pane, State};
use crate::kube::cluster::ClusterState;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

pub fn draw(frame: &mut Frame, area: Rect, state: &State, theme: &Theme) {
    let focused = state.focus == Pane::Clusters && state.views.is_empty();
    let c = &state.cockpit;
    let title = format!(
        " Clusters · {}{} ",
        live_indicator(state),
        c.filters.clusters.label()
    );
    let block = pane(title, focused, theme);
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let visible = c.cluster_rows();
    if visible.is_empty() {
        message(
            frame,
            inner,
            vec![Line::styled("No cluster matches", theme.muted())],
        );
        return;
    }
    let width = inner.width as usize;
    let height = inner.height as usize;
    let offset = keep_visible(0, position(c.cluster_selected, &visible), height);
    let rows: Vec<_> = c.clusters.values().enumerate().collect();
    let mut lines = Vec::new();
    for &(i, row) in visible
        .iter()
        .skip(offset)
        .take(height)
        .filter_map(|&i| rows.get(i))
    {
        let (dot, style) = match &row.state {
            ClusterState::Ready => ("●", theme.ok()),
            ClusterState::Connecting => ("◌", theme.muted()),
            ClusterState::Unreachable(_) => ("✖", theme.error()),
            ClusterState::Forbidden(_) => ("⊘", theme.error()),
        };
        let (synced, drifted, unknown) = c.cluster_counts(&row.name);
        let (progressing, degraded) = c.cluster_health(&row.name);
        let mut detail = match &row.state {
            ClusterState::Unreachable(_) => "unreachable".to_string(),
            ClusterState::Forbidden(_) => "forbidden".to_string(),
            ClusterState::Connecting => "connecting…".to_string(),
            ClusterState::Ready if drifted > 0 => format!("✗ {drifted} drift  ✓ {synced}"),
            ClusterState::Ready if unknown > 0 => format!("✓ {synced}  ? {unknown}"),
            ClusterState::Ready => format!("✓ {synced} Synced"),
        };
        // Health beside sync: only what needs a look.
        if row.state.is_ready() {
            if degraded > 0 {
                detail.push_str(&format!("  ✖ {degraded}"));
            }
            if progressing > 0 {
                detail.push_str(&format!("  ◐ {progressing}"));
            }
            if degraded + progressing == 0 && synced + drifted > 0 {
                detail.push_str("  ♥");
            }
        }
        let filtered = c.cluster_filter.as_deref() == Some(row.name.as_str());
        let name_w = 12.min(width.saturating_sub(4));
        let mut spans = vec![
            Span::styled(format!("{dot} "), style),
            Span::raw(format!("{:<name_w$} ", fit(&row.name, name_w))),
        ];
        let rest = width.saturating_sub(name_w + 3);
        let detail_style = if row.state.is_down() || drifted > 0 || degraded > 0 {
            if row.state.is_down() || degraded > 0 {
                theme.error()
            } else {
                theme.warning()
            }
        } else {
            theme.muted()
        };
        spans.push(Span::styled(fit(&detail, rest), detail_style));
        let mut line = Line::from(spans);
        if focused && i == c.cluster_selected {
            line = line.style(theme.selected());
        } else if filtered {
            line = line.style(theme.selected_unfocused());
        }
        lines.push(line);
    }
    frame.render_widget(Paragraph::new(lines), inner);
}
