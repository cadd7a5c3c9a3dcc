//! The Apps table: one row per (app, cluster) with sync and health glyphs, the revision
//! deployed and how far it is behind the branch (`↓3`), the drift count and the latest
//! attributed change, or, when nothing drifted, the object that keeps the app from Healthy and
//! why. Rows are keyed, so the selection stays on its row while reports arrive.

use super::cockpit::{health_glyph, health_style, sync_glyph, sync_style};
use super::theme::Theme;
use super::widgets::{ago, fit, message, pad, pane};
use crate::app::cockpit::{ChangeText, latest_change, parse_rfc3339};
use crate::app::cockpit_distance::marker;
use crate::app::nav::keep_visible;
use crate::app::state::{Pane, State};
use crate::git::short;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

/// The columns the latest change keeps before app and cluster names may widen into it.
const CHANGE_MIN: usize = 32;

/// What a row's last column says.
enum Last {
    /// Why the app's cluster gives no live state.
    Problem(String),
    /// The latest attributed change, if any.
    Change(Option<ChangeText>),
    /// Nothing drifted, and an object keeps the app from Healthy: why.
    Health(String),
    /// An app only its operator judges: the operator's verdict.
    Operator(String),
}

impl Last {
    fn width(&self) -> usize {
        match self {
            Last::Problem(p) | Last::Operator(p) => p.chars().count(),
            Last::Health(h) => h.chars().count() + 2,
            Last::Change(c) => c.as_ref().map_or(0, |c| c.to_string().chars().count()),
        }
    }
}

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
    let widest = |f: &dyn Fn(&(String, String)) -> usize| visible().map(|k| f(k)).max().unwrap_or(0);
    let markers: Vec<String> = visible()
        .map(|(a, cl)| c.report(a, cl).map(|r| marker(c, r)).unwrap_or_default())
        .collect();
    // The last column of each visible row: a cluster's problem, else the latest change.
    let lasts: Vec<Last> = visible()
        .map(|(a, cl)| match c.report(a, cl) {
            Some(r) => match super::cockpit::cluster_problem(c, r, state.now) {
                Some(problem) => Last::Problem(problem),
                None if r.operator.as_ref().is_some_and(|o| !o.is_evaluated()) => {
                    Last::Operator(super::operator::operator_only_summary(r).unwrap_or_default())
                }
                None => match (
                    latest_change(r, |t| parse_rfc3339(t).map(|then| ago(state.now, then))),
                    r.health_reason(),
                ) {
                    (None, Some(why)) => Last::Health(why),
                    (change, _) => Last::Change(change),
                },
            },
            None => Last::Change(None),
        })
        .collect();
    let last_need = lasts.iter().map(Last::width).max().unwrap_or(0);
    let marker_w = markers.iter().map(|m| m.chars().count()).max().unwrap_or(0);
    let (sync_w, health_w) = if width < 96 { (2, 2) } else { (12, 14) };
    // Apps from Argo CD or Flux beside sextant.yaml's: say where each comes from.
    // Only where it leaves the latest change its room (app detail and the matrix say it too).
    let show_source = super::operator::any_operator(c) && width >= 120;
    let source_w = if show_source { 8 } else { 0 };
    // Everything but the names and the change: margin, sync, health, running, marker, drift.
    let fixed = 2 + source_w + sync_w + health_w + 8 + if marker_w > 0 { marker_w + 1 } else { 0 } + 7;
    // Names take what they need while the latest change keeps what it needs, up to
    // CHANGE_MIN columns; with less room they are cut at a floor (at least as wide as the
    // header's words).
    let spare = width.saturating_sub(fixed + last_need.min(CHANGE_MIN));
    let cluster_w = if show_cluster {
        widest(&|(_, cl)| cl.chars().count())
            .min(12.max(spare / 3))
            .max(7)
    } else {
        0
    };
    let name_floor = if width < 96 { 12 } else { 18 };
    let name_room = spare.saturating_sub(if show_cluster { cluster_w + 1 } else { 0 });
    let name_w = widest(&|(a, _)| a.chars().count())
        .min(name_floor.max(name_room))
        .max(3);
    let mut lines = Vec::with_capacity(height + 1);
    if header {
        let mut h = format!(" {} ", pad("APP", name_w));
        if show_cluster {
            h.push_str(&format!("{} ", pad("CLUSTER", cluster_w)));
        }
        if show_source {
            h.push_str(&format!("{} ", pad("SOURCE", source_w - 1)));
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
    let visible_rows = rows.iter().enumerate().skip(offset).take(height);
    for (((i, (app, cluster)), marker), last) in visible_rows.zip(&markers).zip(lasts) {
        let Some(report) = c.report(app, cluster) else {
            continue;
        };
        let (sg, sw) = sync_glyph(report.sync);
        let mut spans = vec![Span::raw(" "), Span::raw(pad(app, name_w)), Span::raw(" ")];
        if show_cluster {
            spans.push(Span::styled(pad(cluster, cluster_w), theme.muted()));
            spans.push(Span::raw(" "));
        }
        if show_source {
            let label = super::operator::source_label(report);
            spans.push(Span::styled(
                format!("{} ", pad(label, source_w - 1)),
                theme.muted(),
            ));
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
        let last = match last {
            Last::Problem(problem) => Span::styled(problem, theme.error()),
            Last::Operator(verdict) => Span::styled(verdict, theme.accent()),
            Last::Change(text) => {
                Span::styled(text.map(|t| t.shorten(room)).unwrap_or_default(), theme.text())
            }
            // Nothing drifted: which object keeps the app from Healthy, and why.
            Last::Health(why) => Span::styled(
                format!("{} {why}", health_glyph(health)),
                health_style(health, theme),
            ),
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
