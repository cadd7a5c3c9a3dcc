//! The `:audit` view: what Sextant did, newest first: when, the action and where, how it
//! ended, who did it, and the summary. The selected entry lists its details (branch, pushed
//! ref, pull request) and its objects.

use super::theme::Theme;
use super::widgets::{ago, fit, message, pane};
use crate::app::nav::keep_visible;
use crate::gitops::audit::AuditEntry;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

pub fn draw(
    frame: &mut Frame,
    area: Rect,
    entries: Option<&Result<Vec<AuditEntry>, String>>,
    selected: usize,
    now: i64,
    theme: &Theme,
) {
    let block = pane(" Audit · what Sextant did, newest first ", true, theme);
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let entries = match entries {
        None => {
            message(
                frame,
                inner,
                vec![Line::styled("Reading the audit log…", theme.muted())],
            );
            return;
        }
        Some(Err(e)) => {
            message(
                frame,
                inner,
                vec![Line::styled(
                    format!("Cannot read the audit log: {e}"),
                    theme.error(),
                )],
            );
            return;
        }
        Some(Ok(e)) if e.is_empty() => {
            let text = "Nothing recorded yet: syncs, refusals, reverts and pull requests appear here.";
            message(frame, inner, vec![Line::styled(text, theme.muted())]);
            return;
        }
        Some(Ok(e)) => e,
    };
    let width = inner.width as usize;
    let height = inner.height as usize;
    // Each entry takes two lines; the selected one also lists its objects below the list.
    let detail = entries
        .get(selected)
        .map_or(0, |e| e.details.len() + e.objects.len().min(8) + 1);
    let room = (height.saturating_sub(detail) / 2).max(1);
    let offset = keep_visible(0, selected, room);
    let mut lines = Vec::new();
    for (i, e) in entries.iter().enumerate().skip(offset).take(room) {
        let when = crate::time::parse_rfc3339(&e.time)
            .map_or_else(|| e.time.clone(), |t| format!("{} ago", ago(now, t)));
        let style = match e.outcome.as_str() {
            "finished" => theme.ok(),
            "refused" | "failed" | "cluster-lost" => theme.error(),
            _ => theme.warning(),
        };
        let mut head = Line::from(vec![
            Span::styled(format!(" {when:>8}  "), theme.muted()),
            Span::styled(fit(&e.heading(), width.saturating_sub(24)), theme.title()),
            Span::styled(format!("  {}", e.outcome), style),
        ]);
        if i == selected {
            head = head.style(theme.selected());
        }
        lines.push(head);
        let who = format!("           {} · {}", e.who.os_user, e.summary);
        lines.push(Line::styled(fit(&who, width), theme.muted()));
    }
    if let Some(e) = entries.get(selected) {
        lines.push(Line::from(""));
        // The branch, the pushed ref, the pull request's URL, ...
        for (k, v) in &e.details {
            lines.push(Line::styled(fit(&format!("   {k}: {v}"), width), theme.text()));
        }
        for o in e.objects.iter().take(8) {
            let result = if o.result.is_empty() { "planned" } else { &o.result };
            let msg = if o.message.is_empty() {
                String::new()
            } else {
                format!(": {}", o.message)
            };
            let text = format!("   {result:<8} {} {}{msg}", o.change, o.object);
            lines.push(Line::styled(fit(&text, width), theme.text()));
        }
    }
    frame.render_widget(Paragraph::new(lines), inner);
}
