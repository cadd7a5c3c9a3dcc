//! The sync view: the plan (what will be applied and pruned, as the preview's rows), what
//! the action gate says, the questions before writing (prune, a protected cluster's name),
//! then each object's result as it lands, and the end.

use super::theme::Theme;
use super::widgets::{fit, message, pane, wrap};
use crate::app::cockpit_sync::{SyncStage, SyncView};
use crate::app::list_filter::ListFilter;
use crate::app::nav::keep_visible;
use crate::gitops::engine::GateVerdict;
use crate::gitops::sync::plan::{Change, SyncPlan};
use crate::gitops::sync::result::{ObjectResult, Outcome, SyncResult};
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::Line;
use ratatui::widgets::Paragraph;

pub fn draw(frame: &mut Frame, area: Rect, s: &SyncView, filter: &ListFilter, theme: &Theme) {
    let plan = s.plan();
    let at = plan.map_or_else(
        || crate::git::short(&s.preview.revision).to_string(),
        |p| p.revision.clone(),
    );
    let pinned = if plan.is_some_and(|p| p.pinned) {
        " · pins"
    } else {
        ""
    };
    let what = if s.only.is_empty() {
        s.app.clone()
    } else {
        format!("{} ({} of its objects)", s.app, s.only.len())
    };
    let title = format!(
        " Sync · {what} → {} @{at}{pinned}{} ",
        s.preview.cluster,
        filter.label()
    );
    let block = pane(title, true, theme);
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let width = inner.width as usize;
    let lines = match &s.stage {
        SyncStage::Running {
            results,
            total,
            cancelling,
            ..
        } => {
            let head = if *cancelling {
                format!(" Stopping: no new writes; {}/{total} done…", results.len())
            } else {
                format!(
                    " Syncing {} → {}: {}/{total} (esc stops new writes)",
                    s.app,
                    s.preview.cluster,
                    results.len()
                )
            };
            let mut lines = vec![Line::styled(fit(&head, width), theme.warning()), Line::from("")];
            lines.extend(result_lines(
                results,
                s.scroll,
                inner.height as usize,
                width,
                theme,
            ));
            lines
        }
        SyncStage::Done(r) => done_lines(&r.0, s.scroll, inner.height as usize, width, theme),
        _ => {
            let Some(report) = s.preview.report() else {
                let text = format!("Planning the sync of {} on {}…", s.app, s.preview.cluster);
                message(frame, inner, vec![Line::styled(text, theme.muted())]);
                return;
            };
            if let Some(err) = &report.error {
                let lines = vec![Line::styled(
                    format!("Cannot plan the sync: {err}"),
                    theme.error(),
                )];
                message(frame, inner, lines);
                return;
            }
            let Some(plan) = plan else {
                let text = format!(
                    "{} defines no app {} for {}",
                    report.short, s.app, s.preview.cluster
                );
                message(frame, inner, vec![Line::styled(text, theme.muted())]);
                return;
            };
            match &s.stage {
                SyncStage::ConfirmPrune => prune_question(plan, width, theme),
                SyncStage::TypeName { typed, .. } => name_question(&s.preview.cluster, typed, theme),
                _ => review_lines(
                    s,
                    plan,
                    &report.gate,
                    filter,
                    (inner.height as usize, width),
                    theme,
                ),
            }
        }
    };
    frame.render_widget(Paragraph::new(lines), inner);
}

/// What the sync will do, what the gate says, then the objects (as the preview shows them).
fn review_lines<'a>(
    s: &SyncView,
    plan: &SyncPlan,
    gate: &GateVerdict,
    filter: &ListFilter,
    (height, width): (usize, usize),
    theme: &Theme,
) -> Vec<Line<'a>> {
    let mut lines = Vec::new();
    if plan.is_empty() {
        let text = format!(
            " ✓ Nothing to sync: {} already runs what {} says",
            plan.cluster, plan.revision
        );
        lines.push(Line::styled(fit(&text, width), theme.ok()));
    } else {
        let text = format!(" Will {}", plan_words(plan));
        lines.push(Line::styled(fit(&text, width), theme.warning()));
    }
    if plan.pinned {
        let text = format!(
            " ⚑ {} is not the branch head: {} will show as pinned @{} until a sync to the head",
            plan.revision, plan.app, plan.revision
        );
        lines.push(Line::styled(fit(&text, width), theme.warning()));
    }
    match gate {
        GateVerdict::Allowed => {}
        GateVerdict::NeedsTypedName => {
            let text = format!(
                " {} is protected: you will type its name to confirm",
                plan.cluster
            );
            lines.push(Line::styled(fit(&text, width), theme.warning()));
        }
        GateVerdict::Refused(why) => {
            for l in wrap(why, width.saturating_sub(3), 2) {
                lines.push(Line::styled(format!(" ✖ {l}"), theme.error()));
            }
        }
    }
    for b in plan.blocked.iter().take(3) {
        let text = format!(" ! {} is not synced: {}", b.key.short(), b.reason);
        lines.push(Line::styled(fit(&text, width), theme.error()));
    }
    lines.push(Line::from(""));
    let rows = s.preview.rows(filter);
    let room = height.saturating_sub(lines.len());
    let offset = keep_visible(0, s.preview.selected, room.max(1));
    let Some(report) = s.preview.report() else {
        return lines;
    };
    for (i, row) in rows.iter().enumerate().skip(offset).take(room) {
        let mut line = super::preview::row_line(report, *row, width, theme);
        if i == s.preview.selected {
            line = line.style(theme.selected());
        }
        lines.push(line);
    }
    lines
}

/// `update 2, create 1 · prune 1 (asks first) · 5 unchanged`
fn plan_words(plan: &SyncPlan) -> String {
    let count = |c: Change| plan.apply.iter().filter(|o| o.change == c).count();
    let mut parts = Vec::new();
    for (c, n) in [
        (Change::Update, count(Change::Update)),
        (Change::Create, count(Change::Create)),
    ] {
        if n > 0 {
            parts.push(format!("{} {n}", c.verb()));
        }
    }
    let mut text = parts.join(", ");
    let restamped = plan.restamped();
    if restamped > 0 {
        text.push_str(&format!(" ({restamped} only re-stamped with {})", plan.revision));
    }
    if !plan.prune.is_empty() {
        if !text.is_empty() {
            text.push_str(" · ");
        }
        text.push_str(&format!("prune {} (asks first)", plan.prune.len()));
    }
    format!("{text} · {} unchanged", plan.unchanged)
}

/// The second confirmation: exactly what prune would delete.
fn prune_question<'a>(plan: &SyncPlan, width: usize, theme: &Theme) -> Vec<Line<'a>> {
    let n = plan.prune.len();
    let mut lines = vec![
        Line::styled(
            fit(
                &format!(
                    " Also DELETE {n} object{} from {}?",
                    if n == 1 { "" } else { "s" },
                    plan.cluster
                ),
                width,
            ),
            theme.error(),
        ),
        Line::styled(
            fit(
                &format!(
                    " They are tracked as {}'s and are no longer in {}:",
                    plan.app, plan.revision
                ),
                width,
            ),
            theme.muted(),
        ),
        Line::from(""),
    ];
    for o in &plan.prune {
        lines.push(Line::styled(
            fit(&format!("   - {}", o.key.short()), width),
            theme.removed(),
        ));
    }
    lines.push(Line::from(""));
    lines.push(Line::styled(
        " y  prune them too    n  sync without pruning    esc  back to the plan",
        theme.title(),
    ));
    lines
}

fn name_question<'a>(cluster: &str, typed: &str, theme: &Theme) -> Vec<Line<'a>> {
    vec![
        Line::styled(
            format!(" {cluster} is protected: type its name to sync it."),
            theme.warning(),
        ),
        Line::from(""),
        Line::styled(format!(" > {typed}█"), theme.title()),
        Line::from(""),
        Line::styled(" enter  sync    esc  back to the plan", theme.muted()),
    ]
}

/// Each object's result; a failure wraps over up to three lines, so the server's message
/// (what to fix) is read whole.
fn result_lines<'a>(
    results: &[ObjectResult],
    scroll: usize,
    height: usize,
    width: usize,
    theme: &Theme,
) -> Vec<Line<'a>> {
    let room = height.saturating_sub(3).max(1);
    let offset = keep_visible(0, scroll, room);
    let mut lines = Vec::new();
    for r in results.iter().skip(offset) {
        let (style, max) = match r.outcome {
            Outcome::Applied | Outcome::Pruned => (theme.ok(), 1),
            Outcome::Failed { .. } => (theme.error(), 3),
            Outcome::Skipped { .. } => (theme.muted(), 1),
        };
        for (i, l) in wrap(&r.line(), width.saturating_sub(3), max)
            .into_iter()
            .enumerate()
        {
            let indent = if i == 0 { " " } else { "   " };
            lines.push(Line::styled(fit(&format!("{indent}{l}"), width), style));
        }
        if lines.len() >= room {
            lines.truncate(room);
            break;
        }
    }
    lines
}

fn done_lines<'a>(
    r: &SyncResult,
    scroll: usize,
    height: usize,
    width: usize,
    theme: &Theme,
) -> Vec<Line<'a>> {
    let style = if r.all_done() { theme.ok() } else { theme.error() };
    let mark = if r.all_done() { "✓" } else { "✖" };
    let mut lines = Vec::new();
    for l in wrap(&format!("{mark} {}", r.summary()), width.saturating_sub(1), 3) {
        lines.push(Line::styled(format!(" {l}"), style));
    }
    lines.push(Line::styled(
        " The rows turn Synced as the cluster's watches see it. Esc goes back.",
        theme.muted(),
    ));
    lines.push(Line::from(""));
    lines.extend(result_lines(
        &r.results,
        scroll,
        height.saturating_sub(lines.len()),
        width,
        theme,
    ));
    lines
}
