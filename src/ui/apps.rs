//! The Apps table: one row per (app, cluster) with sync and health glyphs, the revision
//! deployed and how far it is behind the branch (`↓3`), the drift count and the latest
//! attributed change, or, when nothing drifted, the object that keeps the app from Healthy and
//! why. Rows are keyed, so the selection stays on its row while reports arrive.

use super::cockpit::{health_glyph, health_style, sync_glyph, sync_style};
use super::theme::Theme;
use super::widgets::{ago, fit, message, pad, pane};
use crate::app::cockpit::{latest_change, parse_rfc3339};
use crate::app::cockpit_distance::marker;
use crate::app::nav::keep_visible;
use crate::app::state::{Pane, State};
use crate::git::short;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

pub fn draw(frame: &mut Frame, area: Rect, state: &State, theme: &Theme) {
    let focused = state.focus == Pane::Apps && state.views.is_empty();
    let c = &state.cockpit;
    let scope = c.cluster_filter.as_deref().unwrap_or("all clusters");
    let filter = c.filters.apps.label();
    let block = pane(format!(" Apps · {scope}{filter} "), focused, theme);
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let rows = c.app_rows();
    if rows.is_empty() {
        let text = if c.reports.is_empty() {
            "Waiting for the first drift reports…"
        } else {
            "No app matches"
        };
        message(frame, inner, vec![Line::styled(text, theme.muted())]);
        return;
    }
    // A header row when there is room for it and a row.
    let header = inner.height >= 3;
    let height = inner.height as usize - usize::from(header);
    let selected = c.app_index();
    let offset = keep_visible(0, selected, height);
    let width = inner.width as usize;
    let show_cluster = c.cluster_filter.is_none();
    let visible = || rows.iter().skip(offset).take(height);
    // Columns as wide as what they hold on screen, so the latest change gets the rest.
    let widest = |f: &dyn Fn(&(String, String)) -> usize, cap: usize| {
        visible().map(|k| f(k)).max().unwrap_or(0).min(cap)
    };
    // At least as wide as the header's words.
    let name_w = widest(&|(a, _)| a.chars().count(), if width < 96 { 12 } else { 18 }).max(3);
    let cluster_w = widest(&|(_, cl)| cl.chars().count(), 12).max(7);
    let markers: Vec<String> = visible()
        .map(|(a, cl)| c.report(a, cl).map(|r| marker(c, r)).unwrap_or_default())
        .collect();
    let marker_w = markers.iter().map(|m| m.chars().count()).max().unwrap_or(0);
    let mut lines = Vec::with_capacity(height + 1);
    if header {
        let (sync_w, health_w) = if width < 96 { (2, 2) } else { (12, 14) };
        let mut h = format!(" {} ", pad("APP", name_w));
        if show_cluster {
            h.push_str(&format!("{} ", pad("CLUSTER", cluster_w)));
        }
        let (sync, health) = if width < 96 { ("", "") } else { ("SYNC", "HEALTH") };
        h.push_str(&format!(
            "{}{}{} ",
            pad(sync, sync_w),
            pad(health, health_w),
            pad("RUNNING", 7)
        ));
        if marker_w > 0 {
            h.push_str(&format!("{} ", pad("", marker_w)));
        }
        h.push_str("DRIFT  LATEST CHANGE");
        lines.push(Line::styled(fit(&h, width), theme.muted()));
    }
    for ((i, (app, cluster)), marker) in rows.iter().enumerate().skip(offset).take(height).zip(&markers) {
        let Some(report) = c.report(app, cluster) else {
            continue;
        };
        let (sg, sw) = sync_glyph(report.sync);
        let mut spans = vec![Span::raw(" "), Span::raw(pad(app, name_w)), Span::raw(" ")];
        if show_cluster {
            spans.push(Span::styled(pad(cluster, cluster_w), theme.muted()));
            spans.push(Span::raw(" "));
        }
        let health = report.health_word();
        let (sync_text, health_text) = if width < 96 {
            (format!("{sg} "), format!("{} ", health_glyph(health)))
        } else {
            (
                format!("{sg} {}", pad(sw, 10)),
                format!("{} {}", health_glyph(health), pad(health, 12)),
            )
        };
        spans.push(Span::styled(sync_text, sync_style(report.sync, theme)));
        spans.push(Span::styled(health_text, health_style(health, theme)));
        let deployed = report.deployed.as_deref().map_or("–", short);
        spans.push(Span::styled(format!("{} ", pad(deployed, 7)), theme.accent()));
        if marker_w > 0 {
            spans.push(Span::styled(
                format!("{} ", pad(marker, marker_w)),
                theme.warning(),
            ));
        }
        let drifted = report.counts.drifted();
        let count = if drifted > 0 {
            format!("{drifted:>5}  ")
        } else {
            "    –  ".into()
        };
        spans.push(Span::styled(count, sync_style(report.sync, theme)));
        let used: usize = spans.iter().map(|s| s.content.chars().count()).sum();
        let room = width.saturating_sub(used);
        // A cluster that dropped out: what is shown is its last known state, and says so.
        if super::cockpit::down_since_known(c, report).is_some() {
            for s in spans.iter_mut().skip(1) {
                s.style = theme.muted();
            }
        }
        let last = if let Some(problem) = super::cockpit::cluster_problem(c, report, state.now) {
            Span::styled(problem, theme.error())
        } else {
            let now = state.now;
            let text = latest_change(report, |t| parse_rfc3339(t).map(|then| ago(now, then)));
            match (text, report.health_reason()) {
                (Some(t), _) => Span::styled(t.shorten(room), theme.text()),
                // Nothing drifted: say which object keeps the app from Healthy, and why.
                (None, Some(why)) => Span::styled(
                    format!("{} {why}", health_glyph(health)),
                    health_style(health, theme),
                ),
                (None, None) => Span::raw(""),
            }
        };
        spans.push(Span::styled(fit(&last.content, room), last.style));
        let mut line = Line::from(spans);
        if i == selected {
            line = line.style(if focused {
                theme.selected()
            } else {
                theme.selected_unfocused()
            });
        }
        lines.push(line);
    }
    frame.render_widget(Paragraph::new(lines), inner);
}
