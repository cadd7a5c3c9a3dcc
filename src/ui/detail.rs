//! Commit detail: metadata, message, and the changed files with +/- counts. A comparison of
//! two commits uses the same view with both ids in the title.

use super::theme::Theme;
use super::widgets::{date_time, fit, message, pad, pane};
use crate::app::state::DetailState;
use crate::app::state_git::{ChangeKind, CommitDetail};
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

fn short(id: &str) -> &str {
    &id[..7.min(id.len())]
}

pub fn draw(frame: &mut Frame, area: Rect, d: &DetailState, theme: &Theme) {
    let title = match &d.base {
        Some(base) => format!(" Compare {}..{} ", short(base), short(&d.id)),
        None => format!(" Commit {} ", short(&d.id)),
    };
    let Some(detail) = &d.detail else {
        let block = pane(title, true, theme);
        let inner = block.inner(area);
        frame.render_widget(block, area);
        let text = match &d.error {
            Some(e) => Line::styled(format!("Cannot read this commit: {e}"), theme.error()),
            None => Line::styled("Loading…", theme.muted()),
        };
        message(frame, inner, vec![text]);
        return;
    };
    let header = header_lines(detail, d.base.is_some(), theme);
    let header_height = (header.len() as u16 + 2).min(area.height / 2);
    let [top, files] = Layout::vertical([Constraint::Length(header_height), Constraint::Min(3)]).areas(area);
    frame.render_widget(Paragraph::new(header).block(pane(title, false, theme)), top);

    let (added, removed) = detail
        .files
        .iter()
        .fold((0, 0), |(a, r), f| (a + f.added, r + f.removed));
    let files_title = format!(" {} files changed  +{added} −{removed} ", detail.files.len());
    let block = pane(files_title, true, theme);
    let inner = block.inner(files);
    frame.render_widget(block, files);
    if detail.files.is_empty() {
        message(frame, inner, vec![Line::styled("No file changes", theme.muted())]);
        return;
    }
    let height = inner.height as usize;
    let width = inner.width as usize;
    let start = d.selected.saturating_sub(height.saturating_sub(1));
    let max = detail
        .files
        .iter()
        .map(|f| f.added + f.removed)
        .max()
        .unwrap_or(1)
        .max(1);
    let mut lines = Vec::new();
    for (i, f) in detail.files.iter().enumerate().skip(start).take(height) {
        let kind_style = match f.kind {
            ChangeKind::Added => theme.added(),
            ChangeKind::Deleted => theme.removed(),
            ChangeKind::Modified | ChangeKind::Renamed | ChangeKind::Copied => theme.accent(),
        };
        let name = match &f.old_path {
            Some(old) => format!("{old} → {}", f.path),
            None => f.path.clone(),
        };
        let name_width = width.saturating_sub(3 + 22);
        let mut spans = vec![
            Span::styled(format!("{}  ", f.kind.letter()), kind_style),
            Span::styled(pad(&name, name_width), theme.text()),
        ];
        if f.binary {
            spans.push(Span::styled(" binary", theme.muted()));
        } else {
            let bar = 10usize;
            let plus = (f.added * bar).div_ceil(max).min(bar);
            let minus = (f.removed * bar).div_ceil(max).min(bar - plus);
            spans.push(Span::styled(
                format!(" {:>5}", format!("+{}", f.added)),
                theme.added(),
            ));
            spans.push(Span::styled(
                format!(" {:>5} ", format!("−{}", f.removed)),
                theme.removed(),
            ));
            spans.push(Span::styled("■".repeat(plus), theme.added()));
            spans.push(Span::styled("■".repeat(minus), theme.removed()));
        }
        let mut line = Line::from(spans);
        if i == d.selected {
            line.spans.iter_mut().for_each(|s| s.style = theme.selected());
        }
        lines.push(line);
    }
    frame.render_widget(Paragraph::new(lines), inner);
}

fn header_lines<'a>(c: &CommitDetail, compare: bool, theme: &Theme) -> Vec<Line<'a>> {
    let field = |name: &str, value: String| {
        Line::from(vec![
            Span::styled(format!("{name:<9}"), theme.muted()),
            Span::styled(value, theme.text()),
        ])
    };
    let mut lines = vec![Line::from(vec![
        Span::styled(format!("{:<9}", "commit"), theme.muted()),
        Span::styled(c.id.clone(), theme.warning()),
    ])];
    if let Some(base) = &c.base {
        lines.push(field("base", base.clone()));
    }
    lines.push(field("author", format!("{} <{}>", c.author, c.email)));
    lines.push(field("date", date_time(c.time)));
    if c.committer != c.author && !c.committer.is_empty() {
        lines.push(field("commit by", c.committer.clone()));
    }
    if !c.parents.is_empty() && !compare {
        let parents: Vec<&str> = c.parents.iter().map(|p| short(p)).collect();
        lines.push(field("parents", parents.join(" ")));
    }
    lines.push(Line::from(""));
    for l in c.message.lines().take(12) {
        lines.push(Line::styled(format!("  {}", fit(l, 200)), theme.text()));
    }
    lines
}
