//! App detail: one app on one cluster. A summary (revision, counts, the object that keeps
//! the app from Healthy and why, notes, errors), then every object (namespace, kind, name)
//! with its sync and health (and why it is not healthy), unmanaged changes flagged,
//! and below them the cluster's Events about the app's objects, newest first. `/` filters
//! the objects (kind, namespace, name, status, health).

use super::cockpit::{health_glyph, health_style, sync_glyph, sync_style};
use super::theme::Theme;
use super::widgets::{ago, fit, message, pad, pane, wrap};
use crate::app::cockpit::{
    ChangeText, latest_object_change, latest_unmanaged, object_changes_in_full, parse_rfc3339,
};
use crate::app::cockpit_events::EventsState;
use crate::app::cockpit_filter::object_rows;
use crate::app::nav::keep_visible;
use crate::app::state::State;
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

pub fn draw(
    frame: &mut Frame,
    area: Rect,
    state: &State,
    (app, cluster): (&str, &str),
    selected: usize,
    theme: &Theme,
) {
    let filter = &state.cockpit.filters.objects;
    let block = pane(
        format!(" App · {app} on {cluster}{} ", filter.label()),
        true,
        theme,
    );
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let events = state.cockpit.events.get(&(app.to_string(), cluster.to_string()));
    let inner = match events {
        Some(e) => {
            let wanted = match &e.result {
                Some(Ok(list)) => list.len().max(1) + 1,
                _ => 2,
            };
            let height = (wanted as u16).clamp(2, (inner.height / 3).max(2));
            let [top, bottom] =
                Layout::vertical([Constraint::Min(1), Constraint::Length(height)]).areas(inner);
            draw_events(frame, bottom, e, state.now, theme);
            top
        }
        None => inner,
    };
    let report = state.cockpit.report(app, cluster);
    // The selected object's changes in full, between the tree and the events.
    let changes = report
        .and_then(|r| r.objects.get(selected))
        .map(|o| {
            let when = |t: &str| parse_rfc3339(t).map(|then| ago(state.now, then));
            (o, object_changes_in_full(o, when))
        })
        .filter(|(_, changes)| !changes.is_empty());
    let inner = match changes {
        Some((o, changes)) => {
            let lines = change_lines(o, &changes, inner.width as usize, theme);
            let height = (lines.len() as u16).clamp(2, (inner.height / 3).max(2));
            let [top, bottom] =
                Layout::vertical([Constraint::Min(1), Constraint::Length(height)]).areas(inner);
            frame.render_widget(Paragraph::new(lines), bottom);
            top
        }
        None => inner,
    };
    let Some(report) = report else {
        message(
            frame,
            inner,
            vec![Line::styled("No report for this app yet", theme.muted())],
        );
        return;
    };
    let width = inner.width as usize;
    let (g, word) = sync_glyph(report.sync);
    let mut lines = vec![Line::from(vec![
        Span::styled(format!(" {g} {word} "), sync_style(report.sync, theme)),
        Span::styled(
            format!(
                " {} {} ",
                health_glyph(report.health_word()),
                report.health_word()
            ),
            health_style(report.health_word(), theme),
        ),
        Span::styled(format!(" @{} ", report.revision), theme.accent()),
        Span::styled(
            report
                .pinned
                .as_deref()
                .map(|p| format!("⚑ pinned @{} ", crate::git::short(p)))
                .unwrap_or_default(),
            theme.warning(),
        ),
        Span::styled(counts_text(report), theme.muted()),
    ])];
    // Which object keeps the app from Healthy, and why.
    if let Some(why) = report.health_reason() {
        let style = health_style(report.health_word(), theme);
        lines.push(Line::styled(fit(&format!(" health: {why}"), width), style));
    }
    // Why the cluster gives no state matters most here: it gets up to three lines.
    if let Some(err) = &report.cluster_error {
        for l in wrap(&format!("cluster: {err}"), width.saturating_sub(2), 3) {
            lines.push(Line::styled(format!(" {l}"), theme.error()));
        }
    }
    for e in &report.render_errors {
        lines.push(Line::styled(fit(&format!(" render: {e}"), width), theme.error()));
    }
    lines.extend(super::operator::detail_lines(report, width, theme));
    for n in &report.notes {
        lines.push(Line::styled(fit(&format!(" note: {n}"), width), theme.warning()));
    }
    lines.push(Line::from(""));
    let head = lines.len();
    let room = (inner.height as usize).saturating_sub(head);
    let visible = object_rows(filter, report);
    if visible.is_empty() && !report.objects.is_empty() {
        lines.push(Line::styled(" No object matches", theme.muted()));
    }
    let tree = tree_rows(report, &visible);
    let at = tree
        .iter()
        .position(|r| matches!(r, TreeRow::Object { index, .. } if *index == selected))
        .unwrap_or(0);
    let offset = keep_visible(0, at, room.max(1));
    // As wide as the longest kind/name, so the reason column gets the rest.
    let longest = visible
        .iter()
        .filter_map(|&i| report.objects.get(i))
        .map(|o| o.key.kind.chars().count() + o.key.name.chars().count() + 2)
        .max()
        .unwrap_or(0);
    let name_w = longest.clamp(20, (width / 2).clamp(20, 44));
    for row in tree.iter().skip(offset).take(room) {
        let (i, last) = match row {
            TreeRow::Namespace(ns) => {
                let label = if ns.is_empty() {
                    "cluster-scoped"
                } else {
                    ns.as_str()
                };
                lines.push(Line::styled(format!(" ▾ {label}"), theme.title()));
                continue;
            }
            TreeRow::Object { index, last } => (*index, *last),
        };
        let Some(o) = report.objects.get(i) else { continue };
        let (g, word) = sync_glyph(o.status);
        let unmanaged = o.comparison.as_ref().is_some_and(|c| !c.unmanaged.is_empty());
        let branch = if last { "└" } else { "├" };
        // Narrow: glyphs only, as in the Apps table, so why it drifted keeps the room (the
        // summary line above spells the app's status out).
        let (sync_text, health_text) = if width < 100 {
            (format!(" {g} "), format!("{} ", health_glyph(&o.health)))
        } else {
            (
                format!(" {g} {}", pad(word, 10)),
                format!("{} {}", health_glyph(&o.health), pad(&o.health, 12)),
            )
        };
        let mut spans = vec![
            Span::styled(format!("   {branch} "), theme.muted()),
            Span::raw(pad(&format!("{}/{}", o.key.kind, o.key.name), name_w)),
            Span::styled(sync_text, sync_style(o.status, theme)),
            Span::styled(health_text, health_style(&o.health, theme)),
        ];
        if unmanaged {
            // Narrow: the flag alone (the summary line names it).
            let flag = if width < 100 { "⚑ " } else { "⚑ unmanaged " };
            spans.push(Span::styled(flag, theme.warning()));
        }
        // Why it is not synced: the engine's reason, else the newest attributed change.
        // Then why it is not healthy; then, for a synced object, the newest field another
        // manager added.
        let when = |t: &str| parse_rfc3339(t).map(|then| ago(state.now, then));
        let used: usize = spans.iter().map(|s| s.content.chars().count()).sum();
        let room = width.saturating_sub(used);
        let unwell = !matches!(o.health.as_str(), "Healthy" | "Missing");
        let why = o
            .reason
            .clone()
            .or_else(|| latest_object_change(o, when).map(|t| t.shorten(room)))
            .map(|r| (r, theme.muted()))
            .or_else(|| {
                let message = o.health_message.clone().filter(|_| unwell)?;
                Some((message, health_style(&o.health, theme)))
            })
            .or_else(|| latest_unmanaged(o, when).map(|t| (t.shorten(room), theme.muted())));
        if let Some((r, style)) = why {
            spans.push(Span::styled(fit(&r, room), style));
        }
        let mut line = Line::from(spans);
        if i == selected {
            line = line.style(theme.selected());
        }
        lines.push(line);
    }
    frame.render_widget(Paragraph::new(lines), inner);
}

/// The selected object's changes, each whole: its path, then what and who (wrapped).
fn change_lines(
    o: &crate::gitops::engine::ObjectReport,
    changes: &[ChangeText],
    width: usize,
    theme: &Theme,
) -> Vec<Line<'static>> {
    let n = changes.len();
    let title = format!(
        " {}/{} · {n} change{}",
        o.key.kind,
        o.key.name,
        if n == 1 { "" } else { "s" }
    );
    let mut lines = vec![Line::styled(fit(&title, width), theme.title())];
    for c in changes {
        lines.push(Line::styled(fit(&format!("   {}", c.path), width), theme.text()));
        let what = format!("{}{}", c.what.trim_start(), c.when);
        for l in wrap(&what, width.saturating_sub(5), 3) {
            lines.push(Line::styled(format!("     {l}"), theme.muted()));
        }
    }
    lines
}

/// " 3 synced · 2 drifted", then unknown and unmanaged counts only when there are some.
fn counts_text(report: &crate::gitops::engine::AppReport) -> String {
    let c = &report.counts;
    let mut text = format!(" {} synced · {} drifted", c.synced, c.drifted());
    if c.unknown > 0 {
        text.push_str(&format!(" · {} unknown", c.unknown));
    }
    if c.unmanaged > 0 {
        text.push_str(&format!(" · {} ⚑ unmanaged", c.unmanaged));
    }
    text
}

/// The Events section: `2m ⚠ BackOff Pod/web-7d9c-x2 Back-off restarting failed container ×4`.
fn draw_events(frame: &mut Frame, area: Rect, e: &EventsState, now: i64, theme: &Theme) {
    let width = area.width as usize;
    let mut lines = vec![Line::styled(fit(" Events", width), theme.title())];
    match &e.result {
        None => lines.push(Line::styled(" fetching events from the cluster…", theme.muted())),
        Some(Err(err)) => lines.push(Line::styled(
            fit(&format!(" cannot list events: {err}"), width),
            theme.error(),
        )),
        Some(Ok(list)) if list.is_empty() => lines.push(Line::styled(
            " no events about these objects (the server keeps them for about an hour)",
            theme.muted(),
        )),
        Some(Ok(list)) => {
            for ev in list.iter().take(area.height.saturating_sub(1) as usize) {
                let when = ev
                    .time
                    .as_deref()
                    .and_then(parse_rfc3339)
                    .map(|t| ago(now, t))
                    .unwrap_or_else(|| "?".into());
                let (glyph, style) = if ev.is_warning() {
                    ("⚠", theme.warning())
                } else {
                    ("·", theme.muted())
                };
                let count = if ev.count > 1 {
                    format!(" ×{}", ev.count)
                } else {
                    String::new()
                };
                let (rw, ow) = if width < 100 { (14, 18) } else { (18, 28) };
                let head = format!(
                    " {when:>4} {glyph} {} {} ",
                    pad(&ev.reason, rw),
                    pad(&ev.object, ow)
                );
                let used = head.chars().count();
                lines.push(Line::from(vec![
                    Span::styled(head, style),
                    Span::styled(
                        fit(&format!("{}{count}", ev.message), width.saturating_sub(used)),
                        theme.text(),
                    ),
                ]));
            }
        }
    }
    frame.render_widget(Paragraph::new(lines), area);
}

/// One line of the resource tree.
enum TreeRow {
    /// A namespace heading (empty: cluster-scoped objects).
    Namespace(String),
    /// An object (index into the report's objects); `last` in its namespace.
    Object { index: usize, last: bool },
}

/// `visible` (already in tree order) with a heading before each namespace.
fn tree_rows(report: &crate::gitops::engine::AppReport, visible: &[usize]) -> Vec<TreeRow> {
    let ns_of = |i: usize| report.objects.get(i).map(|o| o.key.namespace.as_str());
    let mut rows = Vec::with_capacity(visible.len() + 4);
    for (n, &i) in visible.iter().enumerate() {
        let ns = ns_of(i);
        if n == 0 || ns != ns_of(visible[n - 1]) {
            rows.push(TreeRow::Namespace(ns.unwrap_or_default().to_string()));
        }
        let last = visible.get(n + 1).is_none_or(|&next| ns_of(next) != ns);
        rows.push(TreeRow::Object { index: i, last });
    }
    rows
}
