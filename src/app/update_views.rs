//! Opening the full-screen views (commit detail, diff, tree, file) and their keys.

use super::action::Action;
use super::msg::Effect;
use super::nav;
use super::state::{DetailState, FileState, State, TreeState, View};
use super::state_diff::DiffState;
use super::state_git::EntryKind;
use crate::ui::layout;

pub fn open_detail(state: &mut State, repo: usize, id: String, base: Option<String>) -> Vec<Effect> {
    let req = state.request_id();
    state.views.push(View::Detail(DetailState {
        req,
        repo,
        id: id.clone(),
        base: base.clone(),
        detail: None,
        error: None,
        selected: 0,
    }));
    vec![Effect::LoadDetail { req, repo, id, base }]
}

pub fn open_tree(state: &mut State, repo: usize, rev: String) -> Vec<Effect> {
    let req = state.request_id();
    state.views.push(View::Tree(TreeState {
        req,
        repo,
        rev: rev.clone(),
        rows: None,
        error: None,
        selected: 0,
        collapsed: Default::default(),
    }));
    vec![Effect::LoadTree { req, repo, rev }]
}

fn short(id: &str) -> &str {
    crate::git::short(id)
}

/// Handle a movement or view action on the top view.
pub fn on_view_action(state: &mut State, action: Action) -> Vec<Effect> {
    if matches!(action, Action::Back) {
        state.views.pop();
        return Vec::new();
    }
    let page = layout::view_rows(state.size);
    let Some(view) = state.views.last_mut() else {
        return Vec::new();
    };
    match view {
        View::Detail(d) => {
            let len = d.detail.as_ref().map_or(0, |x| x.files.len());
            if let Some(pos) = nav::step(d.selected, len, action, page) {
                d.selected = pos;
                return Vec::new();
            }
            let (repo, id, base) = (d.repo, d.id.clone(), d.base.clone());
            let file = d.detail.as_ref().and_then(|x| x.files.get(d.selected)).cloned();
            match (action, file) {
                (Action::Open, Some(f)) => {
                    let req = state.request_id();
                    let title = match &base {
                        Some(b) => format!("{}..{} {}", short(b), short(&id), f.path),
                        None => format!("{} {}", short(&id), f.path),
                    };
                    state
                        .views
                        .push(View::Diff(DiffState::loading(title, f.path.clone()), req));
                    vec![Effect::LoadDiff { req, repo, file: f }]
                }
                (Action::Tree, _) => open_tree(state, repo, id),
                _ => Vec::new(),
            }
        }
        View::Diff(d, _) => {
            if matches!(action, Action::NextFile | Action::PrevFile) {
                return step_file(state, action);
            }
            d.on_action(action, page);
            Vec::new()
        }
        View::Tree(t) => {
            let len = t.visible().len();
            if let Some(pos) = nav::step(t.selected, len, action, page) {
                t.selected = pos;
                return Vec::new();
            }
            let row = t.selected_row().cloned();
            match (action, row) {
                (Action::Open | Action::Expand, Some(row)) if row.kind == EntryKind::Dir => {
                    if !t.collapsed.remove(&row.path) {
                        t.collapsed.insert(row.path);
                    }
                    Vec::new()
                }
                (Action::Open, Some(row)) if row.kind == EntryKind::File || row.kind == EntryKind::Link => {
                    let (repo, rev) = (t.repo, t.rev.clone());
                    let req = state.request_id();
                    state.views.push(View::File(FileState {
                        req,
                        rev: rev.clone(),
                        path: row.path.clone(),
                        content: None,
                        error: None,
                        scroll: 0,
                        hscroll: 0,
                    }));
                    vec![Effect::LoadBlob {
                        req,
                        repo,
                        rev,
                        path: row.path,
                    }]
                }
                _ => Vec::new(),
            }
        }
        View::File(f) => {
            let len = match &f.content {
                Some(super::state_git::BlobContent::Text { lines, .. }) => lines.len(),
                _ => 0,
            };
            let last = len.saturating_sub(page);
            match action {
                Action::Left => f.hscroll = f.hscroll.saturating_sub(8),
                Action::Right => f.hscroll += 8,
                a => {
                    if let Some(pos) = nav::step(f.scroll, last + 1, a, page) {
                        f.scroll = pos;
                    }
                }
            }
            Vec::new()
        }
        // Handled by `cockpit_keys` before this is reached.
        View::Cockpit(_) => Vec::new(),
    }
}

/// From a file's diff, open the next (or previous) changed file of the same commit.
fn step_file(state: &mut State, action: Action) -> Vec<Effect> {
    let n = state.views.len();
    let Some(View::Detail(d)) = n.checked_sub(2).and_then(|i| state.views.get_mut(i)) else {
        return Vec::new();
    };
    let len = d.detail.as_ref().map_or(0, |x| x.files.len());
    let next = match action {
        Action::NextFile if d.selected + 1 < len => d.selected + 1,
        Action::PrevFile if d.selected > 0 => d.selected - 1,
        _ => return Vec::new(),
    };
    d.selected = next;
    state.views.pop();
    on_view_action(state, Action::Open)
}
