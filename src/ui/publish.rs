//! The revert / pull request view: the plan (branch, reverted commits, files), what the revert
//! does on each cluster, where it goes and what the gate says; then each step's result as it
//! lands (the branch, the pushed ref, the pull request's URL), kept on screen at the end.

use super::theme::Theme;
use super::widgets::{fit, message, pane, wrap};
use crate::app::cockpit_revert::{PublishKind, PublishView, Stage};
use crate::app::publish_data::StepDone;
use crate::app::state::State;
use crate::forge::ChangeAction;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

pub fn draw(frame: &mut Frame, area: Rect, state: &State, v: &PublishView, theme: &Theme) {
    let title = match &v.kind {
        PublishKind::Revert(_) => format!(" Revert · {} ", v.label),
        PublishKind::PullRequest => format!(" Pull request · {} ", v.label),
    };
    let block = pane(title, true, theme);
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let width = inner.width as usize;
    if let Some(e) = &v.error {
        let mut lines = vec![
            Line::styled("Nothing was written.", theme.muted()),
            Line::from(""),
        ];
        lines.extend(
            wrap(e, width.saturating_sub(2), 8)
                .into_iter()
                .map(|l| Line::styled(l, theme.error())),
        );
        message(frame, inner, lines);
        return;
    }
    let lines = match &v.stage {
        Stage::AskMainline { parents, selected } => mainline_lines(*parents, *selected, theme),
        Stage::Planning => {
            let text = match &v.kind {
                PublishKind::Revert(_) => format!("Planning the revert of {}…", v.label),
                PublishKind::PullRequest => format!("Planning the pull request of {}…", v.label),
            };
            message(frame, inner, vec![Line::styled(text, theme.muted())]);
            return;
        }
        _ => {
            let mut lines = plan_lines(v, width, theme);
            lines.extend(step_lines(v, state, width, theme));
            lines
        }
    };
    frame.render_widget(Paragraph::new(lines), inner);
}

fn mainline_lines<'a>(parents: usize, selected: usize, theme: &Theme) -> Vec<Line<'a>> {
    let mut lines = vec![
        Line::styled(
            " This is a merge: which parent is the mainline to keep? (as `git revert -m N`)",
            theme.warning(),
        ),
        Line::from(""),
    ];
    for n in 1..=parents {
        let what = if n == 1 {
            "undo what the merge brought into its first parent (the usual choice)".to_string()
        } else {
            format!("keep parent {n}'s side")
        };
        let style = if n == selected + 1 {
            theme.selected()
        } else {
            theme.text()
        };
        lines.push(Line::styled(format!("   {n}  {what}"), style));
    }
    lines.push(Line::from(""));
    lines.push(Line::styled(" Enter picks · Esc cancels", theme.muted()));
    lines
}

/// The plan, the per-cluster preview, the destination and the gate's word.
fn plan_lines<'a>(v: &PublishView, width: usize, theme: &Theme) -> Vec<Line<'a>> {
    let mut lines = Vec::new();
    if let Some(r) = &v.revert {
        let p = &r.plan;
        lines.push(Line::styled(
            fit(&format!(" {}", p.title()), width),
            theme.title(),
        ));
        lines.push(Line::from(fit(
            &format!(
                " branch {} from {} @{} · your worktree, index and branch stay as they are",
                p.branch,
                p.onto,
                crate::git::short(&p.head)
            ),
            width,
        )));
        for c in &p.reverted {
            lines.push(Line::styled(
                fit(
                    &format!(" reverts {} {} ({})", c.short_sha, c.summary, c.author.name),
                    width,
                ),
                theme.muted(),
            ));
        }
        lines.push(Line::from(""));
        for (i, f) in p.files.iter().enumerate() {
            let style = if i == v.selected && v.stage == Stage::Review {
                theme.selected()
            } else {
                theme.text()
            };
            lines.push(Line::from(vec![
                Span::styled(
                    fit(
                        &format!("  {} {}", f.kind.letter(), f.path),
                        width.saturating_sub(14),
                    ),
                    style,
                ),
                Span::styled(format!("  +{}", f.additions), theme.added()),
                Span::styled(format!(" -{}", f.deletions), theme.removed()),
            ]));
        }
        lines.push(Line::from(""));
        lines.extend(impact_lines(v, width, theme));
        let to = match (&r.remote, &r.pr) {
            (Ok(remote), Ok(pr)) => format!(
                " then: push to {} ({}), pull request into {} on {}",
                remote.name, remote.url, pr.pr.base, pr.repo_url
            ),
            (Ok(remote), Err(e)) => format!(" then: push to {}; {e}", remote.name),
            (Err(e), _) => format!(" then: no push ({e})"),
        };
        lines.push(Line::styled(fit(&to, width), theme.muted()));
    }
    if let Some(p) = &v.pr {
        lines.push(Line::styled(
            fit(&format!(" {}", p.target.pr.title), width),
            theme.title(),
        ));
        lines.push(Line::from(fit(
            &format!(
                " push {} to {} ({}), then a pull request into {} on {}",
                p.branch, p.remote.name, p.remote.url, p.target.pr.base, p.target.repo_url
            ),
            width,
        )));
    }
    if v.stage == Stage::Review {
        lines.push(Line::from(""));
        match v.refused() {
            Some(refusal) => {
                for l in wrap(refusal, width.saturating_sub(2), 4) {
                    lines.push(Line::styled(format!(" {l}"), theme.error()));
                }
            }
            None => lines.push(Line::styled(
                " y: go ahead · Enter: a file's diff · Esc: cancel (nothing is written until y)",
                theme.warning(),
            )),
        }
    }
    lines
}

/// What the revert does on each cluster.
fn impact_lines<'a>(v: &PublishView, width: usize, theme: &Theme) -> Vec<Line<'a>> {
    let mut lines = Vec::new();
    let Some(impacts) = &v.impacts else {
        let waiting: Vec<&str> = v.asked.values().map(String::as_str).collect();
        lines.push(Line::styled(
            fit(
                &format!(" previewing the revert on {}…", waiting.join(", ")),
                width,
            ),
            theme.muted(),
        ));
        return lines;
    };
    if impacts.is_empty() {
        lines.push(Line::styled(
            " no app of sextant.yaml renders differently: no cluster would change",
            theme.muted(),
        ));
    }
    for i in impacts {
        lines.push(Line::from(fit(
            &format!(" {} on {}: {}", i.app, i.cluster, i.counts_text()),
            width,
        )));
        for c in i.changes.iter().take(8) {
            let (sign, style) = match c.action {
                ChangeAction::Create => ("+", theme.added()),
                ChangeAction::Update => ("~", theme.warning()),
                ChangeAction::Delete => ("-", theme.removed()),
            };
            let ns = c
                .namespace
                .as_deref()
                .map(|n| format!(" -n {n}"))
                .unwrap_or_default();
            let detail = if c.kind == "Secret" {
                c.detail.split_whitespace().next().unwrap_or_default().to_string()
            } else {
                c.detail.clone()
            };
            let object = format!("   {sign} {}/{}{ns}", c.kind, c.name);
            // What changes goes under the object when both do not fit on one line.
            if object.chars().count() + 2 + detail.chars().count() <= width || detail.is_empty() {
                lines.push(Line::styled(fit(&format!("{object}  {detail}"), width), style));
            } else {
                lines.push(Line::styled(fit(&object, width), style));
                lines.push(Line::styled(fit(&format!("       {detail}"), width), style));
            }
        }
        if i.changes.len() > 8 {
            lines.push(Line::styled(
                format!("   … and {} more", i.changes.len() - 8),
                theme.muted(),
            ));
        }
        if let Some(note) = &i.note {
            lines.push(Line::styled(fit(&format!("   {note}"), width), theme.muted()));
        }
    }
    lines.push(Line::from(""));
    lines
}

/// Each step that ran, and the one running.
fn step_lines<'a>(v: &PublishView, state: &State, width: usize, theme: &Theme) -> Vec<Line<'a>> {
    let mut lines = Vec::new();
    if v.steps.is_empty() && !matches!(v.stage, Stage::Running { .. }) {
        return lines;
    }
    lines.push(Line::from(""));
    for step in &v.steps {
        let (mark, style, text) = match step {
            Ok(StepDone::Branch {
                branch,
                commit,
                reused,
            }) => (
                "✓",
                theme.ok(),
                format!(
                    "branch {branch} at {} ({})",
                    crate::git::short(commit),
                    if *reused { "reused" } else { "created" }
                ),
            ),
            Ok(StepDone::Pushed {
                remote,
                url,
                pushed_ref,
                how,
            }) => (
                "✓",
                theme.ok(),
                format!("pushed {pushed_ref} to {remote} ({url}): {how}"),
            ),
            Ok(StepDone::PullRequest {
                url,
                number: Some(n),
                existing,
                ..
            }) => (
                "✓",
                theme.ok(),
                format!(
                    "pull request #{n}{}: {url}",
                    if *existing { " (open already)" } else { "" }
                ),
            ),
            Ok(StepDone::PullRequest { url, manual, .. }) => (
                "!",
                theme.warning(),
                format!(
                    "open the pull request by hand: {url} — {}",
                    manual.as_deref().unwrap_or_default()
                ),
            ),
            Err(e) => ("✗", theme.error(), e.clone()),
        };
        for (i, l) in wrap(&text, width.saturating_sub(4), 6).into_iter().enumerate() {
            let lead = if i == 0 { mark } else { " " };
            lines.push(Line::styled(format!(" {lead} {l}"), style));
        }
    }
    match &v.stage {
        Stage::Running { step, progress } => {
            let p = progress.as_deref().map(|p| format!(": {p}")).unwrap_or_default();
            lines.push(Line::styled(
                fit(&format!(" … {step}{p}"), width),
                theme.warning(),
            ));
        }
        Stage::Done if v.link().is_some() => {
            let key = state.keymap.hint(crate::app::action::Action::OpenLink);
            lines.push(Line::styled(
                format!(" {key}: open it in the browser · Esc: back"),
                theme.muted(),
            ));
        }
        _ => {}
    }
    lines
}
