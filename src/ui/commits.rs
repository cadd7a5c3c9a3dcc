//! The Commits pane: the lazily loaded log of the selected repo. Only visible rows are built,
//! so a 100k-commit history costs the same per frame as a 100-commit one.

use super::theme::Theme;
use super::widgets::{ago, fit, message, pad, pane};
use crate::app::state::{Pane, State};
use crate::app::state_git::{RepoStatus, RepoView};
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

pub fn draw(frame: &mut Frame, area: Rect, state: &State, theme: &Theme) {
    let focused = state.focus == Pane::Commits && state.views.is_empty();
    let Some(repo) = state.current_repo() else {
        let block = pane(" Commits ", focused, theme);
        let inner = block.inner(area);
        frame.render_widget(block, area);
        message(
            frame,
            inner,
            vec![Line::styled(
                "No repository open: start with --repo PATH_OR_URL",
                theme.muted(),
            )],
        );
        return;
    };
    let block = pane(title(repo), focused, theme);
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let list = &repo.commits;
    if list.is_empty() {
        let text = match &repo.status {
            RepoStatus::Failed(e) => Line::styled(format!("Cannot open this repo: {e}"), theme.error()),
            RepoStatus::Opening | RepoStatus::Cloning { .. } => Line::styled("Opening…", theme.muted()),
            RepoStatus::Ready if repo.info.head.is_none() => Line::styled("No commits yet", theme.muted()),
            RepoStatus::Ready if list.loading || !list.exhausted => {
                Line::styled("Loading commits…", theme.muted())
            }
            RepoStatus::Ready if !list.filter.text.is_empty() => {
                Line::styled(format!("No commit matches “{}”", list.filter.text), theme.muted())
            }
            RepoStatus::Ready => Line::styled("No commits", theme.muted()),
        };
        message(frame, inner, vec![text]);
        return;
    }
    let width = inner.width as usize;
    let height = inner.height as usize;
    let mark = state
        .mark
        .as_ref()
        .filter(|m| m.repo == state.repo)
        .map(|m| m.id.as_str());
    let deployed = crate::app::cockpit::deployed(&state.cockpit);
    let mut lines = Vec::with_capacity(height);
    for i in list.offset..(list.offset + height).min(list.len()) {
        let Some(c) = list.get(i) else { break };
        let selected = i == list.selected;
        let glyph = if Some(c.id.as_str()) == mark {
            "◆ "
        } else if c.parents > 1 {
            "⑂ "
        } else {
            "● "
        };
        let when = ago(state.now, c.time);
        // Where this commit runs (clusters whose apps are all Synced at it).
        let budget = width / 3;
        let marker = fit(
            &crate::app::cockpit::commit_marker_within(&deployed, &c.id, budget),
            budget,
        );
        let author_width = (width / 5).clamp(6, 18);
        let summary_width = width.saturating_sub(2 + 8 + author_width + 1 + 5);
        let row = vec![
            Span::styled(
                glyph,
                if Some(c.id.as_str()) == mark {
                    theme.warning()
                } else {
                    theme.accent()
                },
            ),
            Span::styled(format!("{} ", c.short), theme.warning()),
            Span::styled(
                pad(&c.summary, summary_width.saturating_sub(marker.chars().count())),
                theme.text(),
            ),
            Span::styled(marker, theme.ok()),
            Span::styled(format!(" {}", pad(&c.author, author_width)), theme.muted()),
            Span::styled(format!("{when:>4}"), theme.muted()),
        ];
        let mut line = Line::from(row);
        if selected {
            let style = if focused {
                theme.selected()
            } else {
                theme.selected_unfocused()
            };
            line.spans.iter_mut().for_each(|s| s.style = s.style.patch(style));
        }
        lines.push(line);
    }
    frame.render_widget(Paragraph::new(lines), inner);
}

fn title<'a>(repo: &RepoView) -> Line<'a> {
    let list = &repo.commits;
    let mut spans = vec![Span::raw(format!(" Commits · {} ", repo.rev_label()))];
    let count = if list.exhausted {
        format!("{}", list.rows.len())
    } else {
        format!("{}+", list.rows.len())
    };
    if !list.filter.text.is_empty() || list.filter.typing {
        let cursor = if list.filter.typing { "▏" } else { "" };
        spans.push(Span::raw(format!("/{}{cursor} ", fit(&list.filter.text, 30))));
        spans.push(Span::raw(format!("{} of {count} ", list.matches.len())));
    } else if !list.rows.is_empty() {
        spans.push(Span::raw(format!("{}/{count} ", list.selected + 1)));
    }
    if list.loading {
        spans.push(Span::raw("loading… "));
    }
    Line::from(spans)
}
