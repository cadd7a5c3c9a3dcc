//! The tree view (files of a revision) and the file view (one highlighted file).

use super::code::{CodeStyle, spans};
use super::theme::Theme;
use super::widgets::{fit, message, pane};
use crate::app::state::{FileState, TreeState};
use crate::app::state_git::{BlobContent, EntryKind};
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

pub fn draw_tree(frame: &mut Frame, area: Rect, t: &TreeState, theme: &Theme) {
    let block = pane(format!(" Tree · {} ", &t.rev[..7.min(t.rev.len())]), true, theme);
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let Some(rows) = &t.rows else {
        let text = match &t.error {
            Some(e) => Line::styled(format!("Cannot read this tree: {e}"), theme.error()),
            None => Line::styled("Loading…", theme.muted()),
        };
        message(frame, inner, vec![text]);
        return;
    };
    if rows.is_empty() {
        message(
            frame,
            inner,
            vec![Line::styled("This revision has no files", theme.muted())],
        );
        return;
    }
    let height = inner.height as usize;
    let width = inner.width as usize;
    let start = t.selected.saturating_sub(height.saturating_sub(1));
    let lines: Vec<Line> = rows
        .iter()
        .enumerate()
        .skip(start)
        .take(height)
        .map(|(i, r)| {
            let name = r.path.rsplit('/').next().unwrap_or(&r.path);
            let (glyph, style) = match r.kind {
                EntryKind::Dir => ("▾ ", theme.accent()),
                EntryKind::File => ("  ", theme.text()),
                EntryKind::Link => ("↪ ", theme.text()),
                EntryKind::Submodule => ("⊞ ", theme.muted()),
            };
            let size = r.size.map(|s| format!("{s:>9}")).unwrap_or_default();
            let indent = "  ".repeat(r.depth);
            let room = width.saturating_sub(indent.len() + 2 + size.len() + 1);
            let label = format!("{:<room$}", fit(name, room));
            let mut line = Line::from(vec![
                Span::raw(indent),
                Span::styled(glyph, theme.accent()),
                Span::styled(label, style),
                Span::styled(format!(" {size}"), theme.muted()),
            ]);
            if i == t.selected {
                line.spans.iter_mut().for_each(|s| s.style = theme.selected());
            }
            line
        })
        .collect();
    frame.render_widget(Paragraph::new(lines), inner);
}

pub fn draw_file(frame: &mut Frame, area: Rect, f: &FileState, theme: &Theme) {
    let block = pane(
        format!(" {} @ {} ", f.path, &f.rev[..7.min(f.rev.len())]),
        true,
        theme,
    );
    let mut inner = block.inner(area);
    frame.render_widget(block, area);
    let (lines, truncated) = match (&f.content, &f.error) {
        (Some(BlobContent::Text { lines, truncated }), _) => (lines, *truncated),
        (Some(BlobContent::Binary { size }), _) => {
            message(
                frame,
                inner,
                vec![Line::styled(format!("binary, {size} bytes"), theme.muted())],
            );
            return;
        }
        (None, Some(e)) => {
            message(
                frame,
                inner,
                vec![Line::styled(format!("Cannot read this file: {e}"), theme.error())],
            );
            return;
        }
        (None, None) => {
            message(frame, inner, vec![Line::styled("Loading…", theme.muted())]);
            return;
        }
    };
    if truncated && inner.height > 1 {
        let notice = format!("⚠ large file: showing the first {} lines", lines.len());
        frame.render_widget(
            Paragraph::new(Line::styled(notice, theme.warning())),
            Rect { height: 1, ..inner },
        );
        inner.y += 1;
        inner.height -= 1;
    }
    let width = inner.width as usize;
    let style = CodeStyle {
        path: &f.path,
        base: Style::new(),
        emph: Style::new(),
    };
    let out: Vec<Line> = lines
        .iter()
        .enumerate()
        .skip(f.scroll)
        .take(inner.height as usize)
        .map(|(n, text)| {
            let mut s = vec![Span::styled(format!("{:>5} ", n + 1), theme.muted())];
            s.extend(spans(
                text,
                &[],
                &style,
                theme,
                f.hscroll,
                width.saturating_sub(6),
            ));
            Line::from(s)
        })
        .collect();
    frame.render_widget(Paragraph::new(out), inner);
}
