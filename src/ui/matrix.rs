//! The drift matrix: apps × clusters, each cell with sync and health glyphs and the drift
//! count. Only the visible rows and columns are built. `/` filters the app rows. Below the
//! cells, the selected cell in words and what the glyphs mean.

use super::cockpit::{cluster_dot, health_glyph, sync_glyph, sync_style};
use super::theme::Theme;
use super::widgets::{ago, fit, message, pad, pane};
use crate::app::change_text::latest_change;
use crate::app::list_filter::position;
use crate::app::nav::keep_visible;
use crate::app::state::State;
use crate::time::parse_rfc3339;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

const NAME_W: usize = 16;
const CELL_W: usize = 12;

pub fn draw(frame: &mut Frame, area: Rect, state: &State, (row, col): (usize, usize), theme: &Theme) {
    let c = &state.cockpit;
    let title = format!(" Drift matrix · apps × clusters{} ", c.filters.matrix.label());
    let block = pane(title, true, theme);
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let (apps, clusters) = c.matrix_axes();
    let visible = c.matrix_rows(&apps);
    if visible.is_empty() {
        let text = if apps.is_empty() {
            "No apps reported yet"
        } else {
            "No app matches"
        };
        message(frame, inner, vec![Line::styled(text, theme.muted())]);
        return;
    }
    let width = inner.width as usize;
    let visible_cols = (width.saturating_sub(NAME_W) / CELL_W).max(1);
    let first_col = keep_visible(0, col, visible_cols);
    // The selected cell in words, and a legend, when there is room for them.
    let footer = if inner.height >= 8 { 3 } else { 0 };
    let body_rows = (inner.height as usize).saturating_sub(1 + footer);
    let first_row = keep_visible(0, position(row, &visible), body_rows.max(1));
    let mut header = vec![Span::raw(pad("", NAME_W))];
    // A cluster that is down is marked in the header; its cells are its last known state.
    let down = |name: &str| c.clusters.get(name).is_some_and(|r| r.state.is_down());
    for name in clusters.iter().skip(first_col).take(visible_cols) {
        let state = c.clusters.get(name).map(|r| &r.state);
        let (label, style) = match state.filter(|s| s.is_down()) {
            Some(s) => (format!("{} {name}", cluster_dot(s, theme).0), theme.error()),
            None => (name.to_string(), theme.title()),
        };
        header.push(Span::styled(pad(&fit(&label, CELL_W - 1), CELL_W), style));
    }
    let mut lines = vec![Line::from(header)];
    let shown = visible.iter().skip(first_row).take(body_rows);
    for (r, app) in shown.filter_map(|&r| apps.get(r).map(|a| (r, a))) {
        let label = super::operator::matrix_label(c, app);
        let mut spans = vec![Span::raw(pad(&label, NAME_W))];
        for (k, cluster) in clusters.iter().enumerate().skip(first_col).take(visible_cols) {
            let (text, style) = match c.report(app, cluster) {
                None => ("·".to_string(), theme.muted()),
                Some(rep) => {
                    let (g, _) = sync_glyph(rep.sync);
                    let n = rep.counts.drifted();
                    let count = if n > 0 { format!(" {n}") } else { String::new() };
                    let pin = if rep.pinned.is_some() { " ⚑" } else { "" };
                    (
                        format!("{g} {}{count}{pin}", health_glyph(rep.health_word())),
                        sync_style(rep.sync, theme),
                    )
                }
            };
            let style = if r == row && k == col {
                theme.selected()
            } else if down(cluster) {
                theme.muted()
            } else {
                style
            };
            spans.push(Span::styled(pad(&text, CELL_W - 1), style));
            spans.push(Span::raw(" "));
        }
        lines.push(Line::from(spans));
    }
    frame.render_widget(Paragraph::new(lines), inner);
    if footer > 0 {
        let at = Rect {
            y: inner.y + inner.height - 2,
            height: 2,
            ..inner
        };
        let cell = (apps.get(row), clusters.get(col));
        let about = match cell {
            (Some(app), Some(cluster)) => cell_words(state, app, cluster),
            _ => String::new(),
        };
        let footer = vec![
            Line::styled(fit(&about, width), theme.text()),
            Line::styled(fit(LEGEND, width), theme.muted()),
        ];
        frame.render_widget(Paragraph::new(footer), at);
    }
}

const LEGEND: &str = "✓ synced  ✗ out of sync  ? unknown  · not deployed there  ♥ healthy  ◐ progressing  ✖ degraded  n: objects drifted  ⚑ pinned";

/// "guestbook on prod-eu: OutOfSync, 1 drifted · Healthy · spec.replicas 3→5 by kubectl, 2m ago",
/// "payments on prod-eu: Synced · Degraded · Deployment/payments-api: 0/2 replicas available …"
fn cell_words(state: &State, app: &str, cluster: &str) -> String {
    let c = &state.cockpit;
    let Some(r) = c.report(app, cluster) else {
        return format!("{app} is not deployed to {cluster} (sextant.yaml)");
    };
    let now = state.now;
    // Why there is no live state, else what drifted, else what makes it unwell.
    let why = super::cockpit::cluster_problem(c, r, now)
        .or_else(|| latest_change(r, |t| parse_rfc3339(t).map(|then| ago(now, then))).map(|t| t.to_string()))
        .or_else(|| r.health_reason());
    let mut text = format!("{app} on {cluster}: {}", r.status_words());
    if let Some(why) = why {
        text.push_str(&format!(" · {why}"));
    }
    // The operator's verdict beside Sextant's, and the first reason they differ.
    if let Some(op) = &r.operator {
        text.push_str(&format!(" · {}", op.status_line()));
        if let Some(first) = r.disagreements.first() {
            text.push_str(&format!(" · {first}"));
        }
    }
    text
}
