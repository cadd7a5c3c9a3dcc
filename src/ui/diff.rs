//! The diff view: unified or side by side, syntax-highlighted, changed words emphasised,
//! unchanged runs folded, with truncation and binary notices.

use super::code::{CodeStyle, spans};
use super::theme::Theme;
use super::widgets::{message, pane};
use crate::app::state_diff::{DiffBody, DiffLine, DiffState, DisplayRow, LineKind};
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

pub fn draw(frame: &mut Frame, area: Rect, d: &DiffState, theme: &Theme) {
    let mode = if d.split { "side by side" } else { "unified" };
    let hunks = if d.hunks.is_empty() {
        String::new()
    } else {
        format!(" · {} hunks", d.hunks.len())
    };
    let block = pane(format!(" Diff · {} · {mode}{hunks} ", d.title), true, theme);
    let mut inner = block.inner(area);
    frame.render_widget(block, area);
    let Some(file) = &d.file else {
        let text = match &d.error {
            Some(e) => Line::styled(format!("Cannot diff this file: {e}"), theme.error()),
            None => Line::styled("Loading…", theme.muted()),
        };
        message(frame, inner, vec![text]);
        return;
    };
    let lines = match &file.body {
        DiffBody::Binary { old_size, new_size } => {
            let size = |s: &Option<u64>| s.map_or("none".to_string(), |n| format!("{n} bytes"));
            let text = match (old_size, new_size) {
                (Some(_), Some(n)) => format!("binary, {} → {n} bytes", size(old_size)),
                (None, Some(n)) | (Some(n), None) => format!("binary, {n} bytes"),
                (None, None) => "binary".to_string(),
            };
            message(frame, inner, vec![Line::styled(text, theme.muted())]);
            return;
        }
        DiffBody::Text(lines) => lines,
    };
    if file.truncated && inner.height > 1 {
        let notice = format!("⚠ large file: diff truncated to the first {} lines", lines.len());
        frame.render_widget(
            Paragraph::new(Line::styled(notice, theme.warning())),
            Rect { height: 1, ..inner },
        );
        inner.y += 1;
        inner.height -= 1;
    }
    if lines.is_empty() || d.hunks.is_empty() {
        let why = if file.old_path.is_some() {
            "renamed without changes"
        } else {
            "no textual changes"
        };
        message(frame, inner, vec![Line::styled(why, theme.muted())]);
        return;
    }
    let width = inner.width as usize;
    let rows = d.rows.iter().skip(d.scroll).take(inner.height as usize);
    let out: Vec<Line> = rows
        .map(|row| match *row {
            DisplayRow::Fold { len, .. } => fold_line(len, width, theme),
            DisplayRow::Line(i) => unified_line(&lines[i], &file.path, d.hscroll, width, theme),
            DisplayRow::Pair(l, r) => {
                let half = width.saturating_sub(1) / 2;
                let mut spans = side(l.map(|i| &lines[i]), true, &file.path, d.hscroll, half, theme);
                spans.push(Span::styled("│", theme.border(false)));
                spans.extend(side(
                    r.map(|i| &lines[i]),
                    false,
                    &file.path,
                    d.hscroll,
                    width.saturating_sub(half + 1),
                    theme,
                ));
                Line::from(spans)
            }
        })
        .collect();
    frame.render_widget(Paragraph::new(out), inner);
}

fn fold_line<'a>(len: usize, width: usize, theme: &Theme) -> Line<'a> {
    let text = format!("⋯ {len} unchanged lines (z to unfold) ⋯");
    Line::styled(format!("{text:^width$}"), theme.hunk())
}

fn line_styles(kind: LineKind, theme: &Theme) -> (Style, Style, &'static str, Style) {
    match kind {
        LineKind::Context => (Style::new(), Style::new(), " ", theme.muted()),
        LineKind::Added => (theme.added_line(), theme.added_emph(), "+", theme.added()),
        LineKind::Removed => (theme.removed_line(), theme.removed_emph(), "-", theme.removed()),
    }
}

fn number(n: Option<usize>) -> String {
    n.map_or("    ".to_string(), |n| format!("{n:>4}"))
}

fn unified_line<'a>(l: &DiffLine, path: &str, skip: usize, width: usize, theme: &Theme) -> Line<'a> {
    let (base, emph, sign, sign_style) = line_styles(l.kind, theme);
    let mut out = vec![
        Span::styled(
            format!("{} {} ", number(l.old_no), number(l.new_no)),
            theme.muted(),
        ),
        Span::styled(format!("{sign} "), sign_style.patch(base)),
    ];
    let style = CodeStyle { path, base, emph };
    out.extend(spans(
        &l.text,
        &l.emph,
        &style,
        theme,
        skip,
        width.saturating_sub(12),
    ));
    Line::from(out)
}

fn side<'a>(
    l: Option<&DiffLine>,
    old: bool,
    path: &str,
    skip: usize,
    width: usize,
    theme: &Theme,
) -> Vec<Span<'a>> {
    let Some(l) = l else {
        return vec![Span::raw(" ".repeat(width))];
    };
    let (base, emph, sign, sign_style) = line_styles(l.kind, theme);
    let no = if old { l.old_no } else { l.new_no };
    let mut out = vec![
        Span::styled(format!("{} ", number(no)), theme.muted()),
        Span::styled(sign, sign_style.patch(base)),
    ];
    let style = CodeStyle { path, base, emph };
    out.extend(spans(
        &l.text,
        &l.emph,
        &style,
        theme,
        skip,
        width.saturating_sub(6),
    ));
    out
}
