//! Screen geometry, shared by rendering and by `update` (which needs page sizes). Pure.

use ratatui::layout::{Constraint, Layout, Rect};

/// The areas of the main screen.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MainAreas {
    pub repos: Rect,
    pub commits: Rect,
    pub clusters: Rect,
    pub status: Rect,
}

/// Split the screen into body and status bar.
pub fn body_and_status(area: Rect) -> (Rect, Rect) {
    let [body, status] = Layout::vertical([Constraint::Min(1), Constraint::Length(1)]).areas(area);
    (body, status)
}

/// The main screen: Repos above Clusters on the left, Commits on the right.
pub fn main_areas(area: Rect, repo_count: usize) -> MainAreas {
    let (body, status) = body_and_status(area);
    let left_width = if area.width >= 120 { 34 } else { 24 };
    let [left, commits] =
        Layout::horizontal([Constraint::Length(left_width), Constraint::Min(20)]).areas(body);
    let repos_height = (repo_count as u16 + 2).clamp(3, (left.height / 2).max(3));
    let [repos, clusters] =
        Layout::vertical([Constraint::Length(repos_height), Constraint::Min(3)]).areas(left);
    MainAreas {
        repos,
        commits,
        clusters,
        status,
    }
}

/// Rows of commits visible in the Commits pane for a terminal of `size` (columns, rows).
pub fn commit_rows(size: (u16, u16)) -> usize {
    size.1.saturating_sub(3) as usize
}

/// Rows of content visible in a full-screen view.
pub fn view_rows(size: (u16, u16)) -> usize {
    size.1.saturating_sub(3) as usize
}

/// A centred popup of at most `width` x `height` inside `area`.
pub fn popup(area: Rect, width: u16, height: u16) -> Rect {
    let w = width.min(area.width.saturating_sub(2)).max(1).min(area.width);
    let h = height.min(area.height.saturating_sub(2)).max(1).min(area.height);
    Rect {
        x: area.x + (area.width - w) / 2,
        y: area.y + (area.height - h) / 2,
        width: w,
        height: h,
    }
}
