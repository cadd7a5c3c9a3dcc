//! App detail: one app on one cluster. A summary (revision, counts, notes, errors), then
//! every object (namespace, kind, name) with its sync and health, unmanaged changes flagged.

use super::cockpit::{health_glyph, health_style, report_health, sync_glyph, sync_style};
use super::theme::Theme;
use super::widgets::{fit, message, pad, pane};
use crate::app::nav::keep_visible;
use crate::app::state::State;
use ratatui::Frame;
use ratatui::layout::Rect;
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
    let block = pane(format!(" App · {app} on {cluster} "), true, theme);
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let Some(report) = state.cockpit.report(app, cluster) else {
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
                health_glyph(report_health(report)),
                report_health(report)
            ),
            health_style(report_health(report), theme),
        ),
        Span::styled(format!(" @{} ", report.revision), theme.accent()),
        Span::styled(
            format!(
                " {} synced · {} drifted · {} unknown · {} with unmanaged changes",
                report.counts.synced,
                report.counts.drifted(),
                report.counts.unknown,
                report.counts.unmanaged
            ),
            theme.muted(),
        ),
    ])];
    if let Some(err) = &report.cluster_error {
        lines.push(Line::styled(
            fit(&format!(" cluster: {err}"), width),
            theme.error(),
        ));
    }
    for e in &report.render_errors {
        lines.push(Line::styled(fit(&format!(" render: {e}"), width), theme.error()));
    }
    for n in &report.notes {
        lines.push(Line::styled(fit(&format!(" note: {n}"), width), theme.warning()));
    }
    lines.push(Line::from(""));
    let head = lines.len();
    let room = (inner.height as usize).saturating_sub(head);
    let offset = keep_visible(0, selected, room.max(1));
    for (i, o) in report.objects.iter().enumerate().skip(offset).take(room) {
        let (g, word) = sync_glyph(o.status);
        let unmanaged = o.comparison.as_ref().is_some_and(|c| !c.unmanaged.is_empty());
        let ns = if o.key.namespace.is_empty() {
            "(cluster)"
        } else {
            o.key.namespace.as_str()
        };
        let mut spans = vec![
            Span::styled(format!(" {} ", pad(ns, 14)), theme.muted()),
            Span::raw(pad(&format!("{}/{}", o.key.kind, o.key.name), 34)),
            Span::styled(format!(" {g} {}", pad(word, 10)), sync_style(o.status, theme)),
            Span::styled(
                format!("{} {}", health_glyph(&o.health), pad(&o.health, 12)),
                health_style(&o.health, theme),
            ),
        ];
        if unmanaged {
            spans.push(Span::styled("⚑ unmanaged ", theme.warning()));
        }
        if let Some(r) = &o.reason {
            let used: usize = spans.iter().map(|s| s.content.chars().count()).sum();
            spans.push(Span::styled(fit(r, width.saturating_sub(used)), theme.muted()));
        }
        let mut line = Line::from(spans);
        if i == selected {
            line = line.style(theme.selected());
        }
        lines.push(line);
    }
    frame.render_widget(Paragraph::new(lines), inner);
}
