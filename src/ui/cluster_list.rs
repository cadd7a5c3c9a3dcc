//! The Clusters pane while the engine reports: every cluster with its connection state and
//! how many of its apps are synced, drifted or unknown; `/` filters it by name or context.

use super::cockpit::live_indicator;
use super::theme::Theme;
use super::widgets::{ago, fit, message, pane};
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
        let name_w = 12.min(width.saturating_sub(4));
        let rest = width.saturating_sub(name_w + 3);
        let counts = Counts {
            synced,
            drifted,
            unknown,
            progressing,
            degraded,
        };
        let detail = match &row.state {
            // How long, so an outage reads as one: `unreachable 2m`.
            ClusterState::Unreachable(_) => format!("unreachable {}", ago(state.now, row.since)),
            ClusterState::Forbidden(_) => format!("forbidden {}", ago(state.now, row.since)),
            ClusterState::Connecting => "connecting…".to_string(),
            ClusterState::Ready => {
                let wide = counts.text(true);
                if wide.chars().count() <= rest {
                    wide
                } else {
                    counts.text(false)
                }
            }
        };
        let filtered = c.cluster_filter.as_deref() == Some(row.name.as_str());
        let mut spans = vec![
            Span::styled(format!("{dot} "), style),
            Span::raw(format!("{:<name_w$} ", fit(&row.name, name_w))),
        ];
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

/// A ready cluster's app counts, worded wide (`✗ 1 drift  ✓ 2  ♥`) or compact (`✗1 ✓2 ♥`).
struct Counts {
    synced: usize,
    drifted: usize,
    unknown: usize,
    progressing: usize,
    degraded: usize,
}

impl Counts {
    fn text(&self, wide: bool) -> String {
        let gap = if wide { "  " } else { " " };
        let n = |glyph: &str, n: usize, word: &str| {
            if wide {
                format!("{glyph} {n}{word}")
            } else {
                format!("{glyph}{n}")
            }
        };
        let mut parts = Vec::new();
        if self.drifted > 0 {
            parts.push(n("✗", self.drifted, " drift"));
            parts.push(n("✓", self.synced, ""));
        } else if self.unknown > 0 {
            parts.push(n("✓", self.synced, ""));
            parts.push(n("?", self.unknown, ""));
        } else {
            parts.push(n("✓", self.synced, " Synced"));
        }
        // Health beside sync: only what needs a look.
        if self.degraded > 0 {
            parts.push(n("✖", self.degraded, ""));
        }
        if self.progressing > 0 {
            parts.push(n("◐", self.progressing, ""));
        }
        if self.degraded + self.progressing == 0 && self.synced + self.drifted > 0 {
            parts.push("♥".to_string());
        }
        parts.join(gap)
    }
}
