//! "What would this revision do?": the cluster picker, then the preview of syncing one
//! revision to one cluster: a one-line verdict, the apps the revision targets, and under each
//! the objects that would be updated, created or pruned. Nothing here is applied.

use super::cockpit::{cluster_dot, sync_glyph, sync_style};
use super::theme::Theme;
use super::widgets::{fit, message, pad, pane};
use crate::app::cockpit::cluster_runs;
use crate::app::cockpit_preview::{PreviewRow, PreviewState, object_outcome};
use crate::app::list_filter::ListFilter;
use crate::app::nav::keep_visible;
use crate::app::state::State;
use crate::git::short;
use crate::gitops::engine::PreviewReport;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

/// Which cluster to preview `revision` against.
pub fn draw_pick(
    frame: &mut Frame,
    area: Rect,
    state: &State,
    (revision, selected): (&str, usize),
    theme: &Theme,
) {
    let title = format!(" Preview {} · on which cluster? ", short(revision));
    let block = pane(title, true, theme);
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let mut lines = vec![
        Line::styled(
            " Pick the cluster to compare with (Enter); nothing is applied.",
            theme.muted(),
        ),
        Line::from(""),
    ];
    let room = (inner.height as usize).saturating_sub(lines.len());
    let offset = keep_visible(0, selected, room.max(1));
    for (i, row) in state
        .cockpit
        .clusters
        .values()
        .enumerate()
        .skip(offset)
        .take(room)
    {
        let (dot, style) = cluster_dot(&row.state, theme);
        // What it runs now, so the preview's "from" side is known before picking.
        let runs = cluster_runs(&state.cockpit, &row.name);
        let now = match runs.as_slice() {
            [] => String::new(),
            [one] if one.starts_with(revision) || revision.starts_with(one.as_str()) => {
                format!("runs {} (this commit)", short(one))
            }
            many => {
                let shorts: Vec<&str> = many.iter().map(|id| short(id)).collect();
                format!("runs {}", shorts.join(", "))
            }
        };
        let mut line = Line::from(vec![
            Span::styled(format!(" {dot} "), style),
            Span::raw(pad(&row.name, 20)),
            Span::styled(
                if now.is_empty() {
                    format!(" {}", row.state)
                } else {
                    format!(" {}", pad(&row.state.to_string(), 14))
                },
                theme.muted(),
            ),
            Span::styled(now, theme.accent()),
        ]);
        if i == selected {
            line = line.style(theme.selected());
        }
        lines.push(line);
    }
    frame.render_widget(Paragraph::new(lines), inner);
}

/// The preview of syncing `p.revision` to `p.cluster`.
pub fn draw(frame: &mut Frame, area: Rect, p: &PreviewState, filter: &ListFilter, theme: &Theme) {
    let subject = match p.summary.as_str() {
        "" => short(&p.revision).to_string(),
        s => format!("{} {s}", short(&p.revision)),
    };
    // The commit's subject gives way first, so the cluster and the filter stay in view.
    let label = filter.label();
    let fixed = " Preview · sync  →  · nothing applied  ".chars().count()
        + p.cluster.chars().count()
        + label.chars().count();
    let room = (area.width as usize).saturating_sub(fixed).clamp(7, 48);
    let title = format!(
        " Preview · sync {} → {} · nothing applied{label} ",
        fit(&subject, room),
        p.cluster,
    );
    let block = pane(title, true, theme);
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let Some(report) = p.report() else {
        let text = format!(
            "Asking {} what syncing {} would change…",
            p.cluster,
            short(&p.revision)
        );
        message(frame, inner, vec![Line::styled(text, theme.muted())]);
        return;
    };
    if let Some(err) = &report.error {
        message(
            frame,
            inner,
            vec![Line::styled(format!("Cannot preview: {err}"), theme.error())],
        );
        return;
    }
    let width = inner.width as usize;
    let mut lines = vec![verdict(p, &report.short, width, theme)];
    if !report.absent.is_empty() {
        let text = format!(
            " Not in {}: {} (left as they are)",
            report.short,
            report.absent.join(", ")
        );
        lines.push(Line::styled(fit(&text, width), theme.muted()));
    }
    lines.push(Line::from(""));
    let head = lines.len();
    let rows = p.rows(filter);
    if rows.is_empty() && !filter.text.is_empty() {
        let text = format!(" no app or object matches /{} (Esc clears it)", filter.text);
        lines.push(Line::styled(fit(&text, width), theme.muted()));
    }
    let room = (inner.height as usize).saturating_sub(head);
    let offset = keep_visible(0, p.selected, room.max(1));
    for (i, row) in rows.iter().enumerate().skip(offset).take(room) {
        let mut line = row_line(report, *row, width, theme);
        if i == p.selected {
            line = line.style(theme.selected());
        }
        lines.push(line);
    }
    frame.render_widget(Paragraph::new(lines), inner);
}

/// One row of a preview: an app, or one of its objects that would change.
pub fn row_line<'a>(report: &PreviewReport, row: PreviewRow, width: usize, theme: &Theme) -> Line<'a> {
    match row {
        PreviewRow::App(a) => app_line(&report.apps[a], width, theme),
        PreviewRow::Object(a, o) => object_line(&report.apps[a].objects[o], width, theme),
    }
}

/// ` Sync 41aa0b → prod-eu: update 2, create 1, prune 1 (2 of 5 apps change)`
fn verdict<'a>(p: &PreviewState, short: &str, width: usize, theme: &Theme) -> Line<'a> {
    let t = p.totals();
    let apps = p.report().map_or(0, |r| r.apps.len());
    if apps == 0 {
        return Line::styled(
            format!(" {short} defines no app for {}", p.cluster),
            theme.muted(),
        );
    }
    if t.changes() == 0 && t.unknown == 0 {
        return Line::styled(
            format!(" ✓ Nothing would change: {} already matches {short}", p.cluster),
            theme.ok(),
        );
    }
    let mut parts = Vec::new();
    for (n, verb) in [(t.update, "update"), (t.create, "create"), (t.prune, "prune")] {
        if n > 0 {
            parts.push(format!("{verb} {n}"));
        }
    }
    let changed = apps - t.unchanged_apps;
    let mut text = format!(
        " Sync {short} → {}: {} ({changed} of {apps} apps change)",
        p.cluster,
        parts.join(", ")
    );
    if t.unknown > 0 {
        text.push_str(&format!("; {} unknown", t.unknown));
    }
    Line::styled(fit(&text, width), theme.warning())
}

fn app_line<'a>(app: &crate::gitops::engine::AppReport, width: usize, theme: &Theme) -> Line<'a> {
    let (g, word) = sync_glyph(app.sync);
    let c = &app.counts;
    let mut detail = Vec::new();
    for (n, what) in [
        (c.out_of_sync, "to update"),
        (c.missing, "to create"),
        (c.extra, "to prune"),
        (c.unknown, "unknown"),
    ] {
        if n > 0 {
            detail.push(format!("{n} {what}"));
        }
    }
    let mut notes: Vec<String> = app.render_errors.iter().map(|e| format!("render: {e}")).collect();
    notes.extend(app.cluster_error.iter().cloned());
    let tail = if notes.is_empty() {
        detail.join(", ")
    } else {
        notes.join("; ")
    };
    let used = 2 + 22 + 12;
    Line::from(vec![
        Span::styled(format!(" {g} "), sync_style(app.sync, theme)),
        Span::styled(pad(&app.app, 22), theme.title()),
        Span::styled(pad(word, 12), sync_style(app.sync, theme)),
        Span::styled(fit(&tail, width.saturating_sub(used)), theme.muted()),
    ])
}

fn object_line<'a>(o: &crate::gitops::engine::ObjectReport, width: usize, theme: &Theme) -> Line<'a> {
    let (g, word) = sync_glyph(o.status);
    let name = match o.key.namespace.as_str() {
        "" => format!("{}/{}", o.key.kind, o.key.name),
        ns => format!("{}/{} ({ns})", o.key.kind, o.key.name),
    };
    let name_w = (width / 2).saturating_sub(12).clamp(16, 40);
    let used = 5 + name_w + 1 + 12;
    Line::from(vec![
        Span::raw("     "),
        Span::raw(format!("{} ", pad(&name, name_w))),
        Span::styled(pad(&format!("{g} {word}"), 12), sync_style(o.status, theme)),
        Span::styled(
            fit(
                &object_outcome(o).shorten(width.saturating_sub(used)),
                width.saturating_sub(used),
            ),
            theme.text(),
        ),
    ])
}
