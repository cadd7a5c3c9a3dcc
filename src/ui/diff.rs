//! The diff view: unified or side by side, syntax-highlighted, changed words emphasised,
//! unchanged runs folded, with truncation and binary notices. Callers may decorate it
//! ([`Decorations`]): notes in a column at the right edge, and caption lines drawn as headers
//! (the drift diff's attribution and object headers).

use super::code::{CodeStyle, spans};
use super::theme::Theme;
use super::widgets::{fit, message, pad, pane};
use crate::app::state_diff::{DiffState, DisplayRow};
use crate::diff::{DiffLine, FileDiff, LineKind};
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

/// What a caller adds to a plain diff.
pub struct Decorations<'a> {
    /// The note beside a row, if any (e.g. `kubectl · 2m ago · Update/scale`).
    pub note: &'a dyn Fn(&DisplayRow) -> Option<String>,
    /// The widest note of the whole diff, so the notes column keeps its width while scrolling.
    pub widest_note: usize,
    /// Whether a line is a header, drawn across the width without line numbers.
    pub is_header: &'a dyn Fn(usize) -> bool,
}

pub fn draw(frame: &mut Frame, area: Rect, d: &DiffState, theme: &Theme) {
    draw_decorated(frame, area, d, None, theme);
}

/// The diff view, with the caller's notes and headers.
pub fn draw_decorated(
    frame: &mut Frame,
    area: Rect,
    d: &DiffState,
    deco: Option<&Decorations>,
    theme: &Theme,
) {
    let mode = if d.split { "side by side" } else { "unified" };
    let hunks = match d.hunks.len() {
        0 => String::new(),
        1 => " · 1 hunk".to_string(),
        n => format!(" · {n} hunks"),
    };
    let block = pane(format!(" Diff · {} · {mode}{hunks} ", d.title), true, theme);
    let mut inner = block.inner(area);
    frame.render_widget(block, area);
    let Some(diff) = &d.diff else {
        let text = match &d.error {
            Some(e) => Line::styled(format!("Cannot diff this file: {e}"), theme.error()),
            None => Line::styled("Loading…", theme.muted()),
        };
        message(frame, inner, vec![text]);
        return;
    };
    let notice = diff.notice();
    let text = match diff {
        FileDiff::Binary { .. } => {
            message(
                frame,
                inner,
                vec![Line::styled(notice.unwrap_or_default(), theme.muted())],
            );
            return;
        }
        FileDiff::Text(t) => t,
    };
    if let Some(notice) = notice
        && inner.height > 1
    {
        let notice = format!("⚠ {notice}");
        frame.render_widget(
            Paragraph::new(Line::styled(notice, theme.warning())),
            Rect { height: 1, ..inner },
        );
        inner.y += 1;
        inner.height -= 1;
    }
    if d.hunks.is_empty() && deco.is_none() {
        message(
            frame,
            inner,
            vec![Line::styled("no textual changes", theme.muted())],
        );
        return;
    }
    let lines = &text.lines;
    let path = d.path.as_str();
    let full = inner.width as usize;
    // The notes column: as wide as the widest note, but never more than a third of the screen.
    let gutter = match deco {
        Some(x) if x.widest_note > 0 => (x.widest_note + 3).min(full / 3),
        _ => 0,
    };
    let width = full - gutter;
    let rows = d.rows.iter().skip(d.scroll).take(inner.height as usize);
    let out: Vec<Line> = rows
        .map(|row| {
            let header = match (DiffState::row_lines(row), deco) {
                ((Some(i), _), Some(x)) if (x.is_header)(i) => Some(i),
                _ => None,
            };
            let mut line = match *row {
                _ if header.is_some() => {
                    let text = header.map_or("", |i| lines[i].text.as_str());
                    return header_line(text, full, theme);
                }
                DisplayRow::Fold { len, .. } => fold_line(len, width, theme),
                DisplayRow::Line(i) => unified_line(&lines[i], path, d.hscroll, width, theme),
                DisplayRow::Pair(l, r) => {
                    let half = width.saturating_sub(1) / 2;
                    let mut spans = side(l.map(|i| &lines[i]), true, path, d.hscroll, half, theme);
                    spans.push(Span::styled("│", theme.border(false)));
                    spans.extend(side(
                        r.map(|i| &lines[i]),
                        false,
                        path,
                        d.hscroll,
                        width.saturating_sub(half + 1),
                        theme,
                    ));
                    Line::from(spans)
                }
            };
            if gutter > 0 {
                let note = deco.and_then(|x| (x.note)(row)).map(|n| format!(" ← {n}"));
                let note = note.map(|n| fit(&n, gutter)).unwrap_or_default();
                line.spans.push(Span::styled(pad(&note, gutter), theme.accent()));
            }
            line
        })
        .collect();
    frame.render_widget(Paragraph::new(out), inner);
}

/// `── Deployment/web -n guestbook · OutOfSync ─────`
fn header_line<'a>(text: &str, width: usize, theme: &Theme) -> Line<'a> {
    let head = fit(&format!("── {text} "), width);
    let rule = "─".repeat(width.saturating_sub(head.chars().count()));
    Line::styled(format!("{head}{rule}"), theme.hunk())
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
        &l.emphasis,
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
        &l.emphasis,
        &style,
        theme,
        skip,
        width.saturating_sub(6),
    ));
    out
}
