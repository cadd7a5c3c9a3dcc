//! The rollback view: an app's history (the commits that changed what it renders, newest
//! first), each marked where it runs (`⚑cluster`) and where it was synced, and the choices.

use super::theme::Theme;
use super::widgets::{fit, message, pane};
use crate::app::action::Action;
use crate::app::cockpit_rollback::RollbackView;
use crate::app::nav::keep_visible;
use crate::app::state::State;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

pub fn draw(frame: &mut Frame, area: Rect, state: &State, v: &RollbackView, theme: &Theme) {
    let title = format!(" Rollback · {} (on {}) ", v.app, v.cluster);
    let block = pane(title, true, theme);
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let width = inner.width as usize;
    let history = match &v.history {
        None => {
            let text = format!("Reading the history of {}…", v.app);
            message(frame, inner, vec![Line::styled(text, theme.muted())]);
            return;
        }
        Some(Err(e)) => {
            message(frame, inner, vec![Line::styled(e.clone(), theme.error())]);
            return;
        }
        Some(Ok(h)) => h,
    };
    let keys = |a: Action| state.keymap.hint(a);
    let mut lines = vec![
        Line::styled(
            fit(
                &format!(" The commits that changed what {} renders, newest first.", v.app),
                width,
            ),
            theme.muted(),
        ),
        Line::styled(
            fit(
                &format!(
                    " {} preview against live · {} revert PR of its commits since · {} sync it now (an emergency: pins it)",
                    keys(Action::Open),
                    keys(Action::PullRequest),
                    keys(Action::Sync),
                ),
                width,
            ),
            theme.muted(),
        ),
        Line::from(""),
    ];
    let height = (inner.height as usize).saturating_sub(lines.len() + 1);
    let offset = keep_visible(0, v.selected, height.max(1));
    // The author column fits the longest name shown, up to 20.
    let author_width = history
        .entries
        .iter()
        .map(|e| e.commit.author.name.chars().count())
        .max()
        .unwrap_or(0)
        .clamp(6, 20);
    for (i, e) in history.entries.iter().enumerate().skip(offset).take(height) {
        let style = if i == v.selected {
            theme.selected()
        } else {
            theme.text()
        };
        let mut marks: Vec<String> = Vec::new();
        if e.current {
            marks.push("head".into());
        }
        marks.extend(e.running.iter().map(|c| format!("⚑{c}")));
        if let Some((cluster, time)) = e.synced.first() {
            let when = time.get(5..16).unwrap_or(time).replace('T', " ");
            marks.push(format!("synced to {cluster} {when}"));
        }
        let head = format!(
            " {} {} {:<author_width$} {}",
            e.commit.short_sha,
            e.commit.author.short_date(),
            fit(&e.commit.author.name, author_width),
            e.commit.summary
        );
        let marks = if marks.is_empty() {
            String::new()
        } else {
            fit(&format!("  {}", marks.join(" · ")), (width / 2).max(20))
        };
        let room = width.saturating_sub(marks.chars().count());
        lines.push(Line::from(vec![
            Span::styled(fit(&head, room), style),
            Span::styled(marks, theme.accent()),
        ]));
    }
    if history.entries.is_empty() {
        lines.push(Line::styled(
            " no commit among the last 50 changed what it renders",
            theme.muted(),
        ));
    }
    for (cluster, commit) in &history.older {
        lines.push(Line::styled(
            format!(
                " {cluster} runs {}, older than the commits shown",
                crate::git::short(commit)
            ),
            theme.muted(),
        ));
    }
    frame.render_widget(Paragraph::new(lines), inner);
}
