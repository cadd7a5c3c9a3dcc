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
    let full = inner.width as usize;
    // Notes go in a column at the right edge, as wide as the widest note (at most a third of
    // the screen). On a narrow screen a column would starve every row: unified, a note covers
    // the end of its own row instead; side by side (where that would hide the desired value),
    // the column shrinks to a quarter.
    let (gutter, overlay) = match deco {
        Some(x) if x.widest_note > 0 => {
            let column = x.widest_note + 3;
            match (full >= WIDE_NOTES, d.split) {
                (true, _) => (column.min(full / 3), false),
                (false, true) => (column.min(full / 4), false),
                (false, false) => (0, true),
            }
        }
        _ => (0, false),
    };
    let code = Code {
        lines: &text.lines,
        path: d.path.as_str(),
        skip: d.hscroll,
        width: full - gutter,
    };
    let rows = d.rows.iter().skip(d.scroll).take(inner.height as usize);
    let out: Vec<Line> = rows
        .map(|row| {
            let header = match (DiffState::row_lines(row), deco) {
                ((Some(i), _), Some(x)) if (x.is_header)(i) => Some(i),
                _ => None,
            };
            if let Some(i) = header {
                return header_line(&code.lines[i].text, full, theme);
            }
            let note = deco.and_then(|x| (x.note)(row)).map(|n| format!(" ← {n}"));
            let note = match (&note, overlay) {
                (Some(n), true) => fit(n, full / 3),
                (Some(n), false) => pad(&fit(n, gutter), gutter),
                (None, _) => " ".repeat(gutter),
            };
            let cut = if overlay { note.chars().count() } else { 0 };
            let mut line = code.row(row, cut, theme);
            if !note.is_empty() {
                line.spans.push(Span::styled(note, theme.accent()));
            }
            line
        })
        .collect();
    frame.render_widget(Paragraph::new(out), inner);
}

/// Below this many columns, notes cover the end of their row instead of taking a column.
const WIDE_NOTES: usize = 120;

/// The code rows of one diff.
struct Code<'a> {
    lines: &'a [DiffLine],
    path: &'a str,
    /// Columns scrolled off to the left.
    skip: usize,
    width: usize,
}

impl Code<'_> {
    /// One row, its last `cut` columns left free for a note.
    fn row<'b>(&self, row: &DisplayRow, cut: usize, theme: &Theme) -> Line<'b> {
        let width = self.width.saturating_sub(cut);
        match *row {
            DisplayRow::Fold { len, .. } => fold_line(len, width, theme),
            DisplayRow::Line(i) => unified_line(&self.lines[i], self.path, self.skip, width, theme),
            DisplayRow::Pair(l, r) => {
                let half = self.width.saturating_sub(1) / 2;
                let line = |i: Option<usize>| i.and_then(|i| self.lines.get(i));
                let mut spans = side(line(l), true, self.path, self.skip, half, theme);
                spans.push(Span::styled("│", theme.border(false)));
                let right = width.saturating_sub(half + 1);
                spans.extend(side(line(r), false, self.path, self.skip, right, theme));
                Line::from(spans)
            }
        }
    }
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
