//! Key handling for the main screen, the overlays (error panel, help, palette, branch
//! picker) and the commit filter. Full-screen views are handled in `update_views`.

use super::action::Action;
use super::msg::Effect;
use super::nav;
use super::palette::{self, Command, PaletteState, Suggestions};
use super::state::{Mark, Overlay, Pane, State};
use super::update::{more_commits, reset_commits};
use crate::ui::layout;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyEventKind};

pub fn on_key(state: &mut State, key: KeyEvent) -> Vec<Effect> {
    if key.kind == KeyEventKind::Release {
        return Vec::new();
    }
    let action = state.keymap.action(&key);
    if matches!(action, Some(Action::ForceQuit | Action::Quit))
        && let Some(effects) = super::cockpit_sync::on_quit(state)
    {
        return effects;
    }
    if action == Some(Action::ForceQuit) {
        state.quit = true;
        return Vec::new();
    }
    if !state.errors.is_empty() {
        // The error panel is modal: it must be read and dismissed.
        if matches!(action, Some(Action::Back | Action::Open | Action::Quit)) {
            state.errors.pop();
        }
        return Vec::new();
    }
    if let Some(overlay) = state.overlay.take() {
        return on_overlay_key(state, overlay, key, action);
    }
    if super::cockpit_sync::is_asking(state) {
        return super::cockpit_sync::on_prompt_key(state, key);
    }
    if state.cockpit.filters.is_typing() {
        super::cockpit_filter::on_filter_key(state, key);
        return Vec::new();
    }
    if state.commits_typing() {
        on_filter_key(state, key);
        return more_commits(state, state.repo).into_iter().collect();
    }
    let Some(action) = action else { return Vec::new() };
    if let Some(effects) = super::cockpit_keys::on_action(state, action) {
        return effects;
    }
    match action {
        Action::Quit => {
            state.quit = true;
            Vec::new()
        }
        Action::Help => {
            state.overlay = Some(Overlay::Help { scroll: 0 });
            Vec::new()
        }
        Action::Palette => {
            state.overlay = Some(Overlay::Palette(PaletteState::default()));
            Vec::new()
        }
        _ if !state.views.is_empty() => super::update_views::on_view_action(state, action),
        _ => on_main_action(state, action),
    }
}

pub fn on_paste(state: &mut State, text: &str) -> Vec<Effect> {
    if super::cockpit_filter::on_paste(state, text) {
        return Vec::new();
    }
    let typing = state.commits_typing();
    match &mut state.overlay {
        Some(Overlay::Palette(p)) => {
            p.input.extend(text.chars().filter(|c| !c.is_control()));
            p.selected = 0;
        }
        None if typing => {
            if let Some(r) = state.current_repo_mut() {
                r.commits.filter.paste(text);
                r.commits.refilter();
            }
        }
        _ => {}
    }
    Vec::new()
}

fn on_main_action(state: &mut State, action: Action) -> Vec<Effect> {
    match action {
        Action::NextPane | Action::PrevPane => {
            let order: &[Pane] = if state.cockpit.is_active() {
                &Pane::COCKPIT_ORDER
            } else {
                &Pane::ORDER
            };
            let at = order.iter().position(|p| *p == state.focus).unwrap_or(0);
            let next = if action == Action::NextPane {
                at + 1
            } else {
                at + order.len() - 1
            };
            state.focus = order[next % order.len()];
            Vec::new()
        }
        Action::Back => {
            if let Some(r) = state.current_repo_mut()
                && r.commits.filter.clear()
            {
                r.commits.refilter();
            } else {
                state.mark = None;
                state.notice = None;
            }
            Vec::new()
        }
        Action::Refresh => refresh(state),
        Action::Branches => open_branches(state),
        _ => match state.focus {
            Pane::Repos => on_repos_action(state, action),
            Pane::Commits => on_commits_action(state, action),
            Pane::Clusters | Pane::Apps | Pane::Activity => Vec::new(),
        },
    }
}

fn on_repos_action(state: &mut State, action: Action) -> Vec<Effect> {
    if let Some(pos) = nav::step(state.repo, state.repos.len(), action, 5) {
        state.repo = pos;
        return more_commits(state, pos).into_iter().collect();
    }
    if action == Action::Open {
        state.focus = Pane::Commits;
    }
    Vec::new()
}

fn on_commits_action(state: &mut State, action: Action) -> Vec<Effect> {
    let height = layout::commit_rows(state.size);
    let repo = state.repo;
    let Some(r) = state.repos.get_mut(repo) else {
        return Vec::new();
    };
    let c = &mut r.commits;
    if let Some(pos) = nav::step(c.selected, c.len(), action, height) {
        c.selected = pos;
        c.offset = nav::keep_visible(c.offset, c.selected, height);
        return more_commits(state, repo).into_iter().collect();
    }
    let selected = c.selected_row().map(|row| row.id.clone());
    match (action, selected) {
        (Action::Filter, _) => {
            c.filter.start();
            Vec::new()
        }
        (Action::Open, Some(id)) => super::update_views::open_detail(state, repo, id, None),
        (Action::Tree, Some(id)) => super::update_views::open_tree(state, repo, id),
        (Action::Mark, Some(id)) => {
            if state.mark.as_ref().is_some_and(|m| m.repo == repo && m.id == id) {
                state.mark = None;
                state.notice = None;
            } else {
                let hint = state.keymap.hint(Action::Compare);
                state.notice = Some(format!(
                    "marked {}: select another commit and press {hint}",
                    crate::git::short(&id)
                ));
                state.mark = Some(Mark { repo, id });
            }
            Vec::new()
        }
        (Action::Compare, Some(id)) => match state.mark.clone() {
            Some(mark) if mark.repo == repo && mark.id != id => {
                super::update_views::open_detail(state, repo, id, Some(mark.id))
            }
            _ => {
                let hint = state.keymap.hint(Action::Mark);
                state.notice = Some(format!("mark a commit with {hint} first, then select another"));
                Vec::new()
            }
        },
        _ => Vec::new(),
    }
}

fn on_filter_key(state: &mut State, key: KeyEvent) {
    let Some(r) = state.current_repo_mut() else {
        return;
    };
    let c = &mut r.commits;
    let before = c.filter.text.clone();
    c.filter.on_key(key);
    if c.filter.text != before {
        // A new needle starts from the newest match.
        if c.filter.text.len() > before.len() {
            c.selected = 0;
            c.offset = 0;
        }
        c.refilter();
    }
}

fn on_overlay_key(state: &mut State, overlay: Overlay, key: KeyEvent, action: Option<Action>) -> Vec<Effect> {
    match overlay {
        Overlay::Help { scroll } => {
            let close = matches!(action, Some(Action::Help | Action::Back | Action::Quit));
            if !close {
                let last = super::state::help_max_scroll(&state.keymap, state.size);
                let pos = action
                    .and_then(|a| nav::step(scroll, last + 1, a, 10))
                    .unwrap_or(scroll);
                state.overlay = Some(Overlay::Help { scroll: pos });
            }
            Vec::new()
        }
        Overlay::Branches { selected } => {
            let len = state.current_repo().map_or(0, |r| r.branches.len());
            match action {
                Some(Action::Back | Action::Quit | Action::Branches) => Vec::new(),
                Some(Action::Open) => {
                    let name = state
                        .current_repo()
                        .and_then(|r| r.branches.get(selected))
                        .map(|b| b.name.clone());
                    match name {
                        Some(name) => switch_branch(state, name),
                        None => Vec::new(),
                    }
                }
                Some(a) => {
                    let pos = nav::step(selected, len, a, 10).unwrap_or(selected);
                    state.overlay = Some(Overlay::Branches { selected: pos });
                    Vec::new()
                }
                None => {
                    state.overlay = Some(Overlay::Branches { selected });
                    Vec::new()
                }
            }
        }
        Overlay::Palette(mut p) => match key.code {
            KeyCode::Esc => Vec::new(),
            KeyCode::Enter => {
                let cands = palette_candidates(state, &p.input);
                let line = match cands.get(p.selected) {
                    Some(c) if p.picked || palette::completes(&p.input, &c.text) => c.text.clone(),
                    _ => p.input,
                };
                run_command(state, &line)
            }
            KeyCode::Up => {
                p.selected = p.selected.saturating_sub(1);
                p.picked = true;
                state.overlay = Some(Overlay::Palette(p));
                Vec::new()
            }
            KeyCode::Down | KeyCode::Tab => {
                let len = palette_candidates(state, &p.input).len();
                p.selected = (p.selected + 1).min(len.saturating_sub(1));
                p.picked = true;
                state.overlay = Some(Overlay::Palette(p));
                Vec::new()
            }
            _ if super::line_edit::edit(&mut p.input, key) => {
                p.selected = 0;
                p.picked = false;
                state.overlay = Some(Overlay::Palette(p));
                Vec::new()
            }
            _ => {
                state.overlay = Some(Overlay::Palette(p));
                Vec::new()
            }
        },
    }
}

/// The palette's suggestions for `input` given the current state.
pub fn palette_candidates(state: &State, input: &str) -> Vec<palette::Candidate> {
    let branches: Vec<String> = state
        .current_repo()
        .map(|r| r.branches.iter().map(|b| b.name.clone()).collect())
        .unwrap_or_default();
    let repos: Vec<String> = state.repos.iter().map(|r| r.info.name.clone()).collect();
    palette::candidates(
        input,
        Suggestions {
            themes: crate::ui::theme::NAMES,
            branches: &branches,
            repos: &repos,
            clusters: &state.cockpit.cluster_arguments(),
            apps: &state.cockpit.app_arguments(),
        },
    )
}

fn run_command(state: &mut State, line: &str) -> Vec<Effect> {
    match palette::parse(line) {
        Err(e) => {
            state.notice = Some(e);
            Vec::new()
        }
        Ok(Command::Quit) => {
            state.quit = true;
            Vec::new()
        }
        Ok(Command::Help) => {
            state.overlay = Some(Overlay::Help { scroll: 0 });
            Vec::new()
        }
        Ok(Command::Theme(name)) => vec![Effect::SetTheme(name)],
        Ok(Command::Branch(name)) => switch_branch(state, name),
        Ok(Command::Repo(name)) if name.is_empty() => {
            state.views.clear();
            state.focus = Pane::Repos;
            Vec::new()
        }
        Ok(Command::Repo(name)) => match state
            .repos
            .iter()
            .position(|r| r.info.name == name || r.spec == name)
        {
            Some(i) => {
                state.repo = i;
                state.views.clear();
                state.focus = Pane::Commits;
                more_commits(state, i).into_iter().collect()
            }
            None => {
                state.notice = Some(format!("no open repo named `{name}`"));
                Vec::new()
            }
        },
        Ok(Command::Tree) => {
            let repo = state.repo;
            match state
                .current_repo()
                .and_then(|r| r.commits.selected_row())
                .map(|c| c.id.clone())
            {
                Some(id) => super::update_views::open_tree(state, repo, id),
                None => Vec::new(),
            }
        }
        Ok(Command::Refresh) => refresh(state),
        Ok(Command::Clusters) => {
            state.views.clear();
            state.focus = Pane::Clusters;
            Vec::new()
        }
        Ok(Command::Preview { revision, cluster }) => {
            state.views.clear();
            match revision {
                Some(rev) => super::cockpit_preview::start(state, rev, String::new(), cluster),
                None => super::cockpit_preview::start_selected(state, cluster),
            }
        }
        Ok(Command::Audit) => {
            state.views.clear();
            let req = state.request_id();
            state
                .views
                .push(super::state::View::Cockpit(super::cockpit::CockpitView::Audit {
                    req,
                    entries: None,
                    selected: 0,
                }));
            vec![Effect::ReadAudit { req }]
        }
        Ok(cmd @ (Command::Matrix | Command::Ctx(_) | Command::App(_))) => {
            super::cockpit_keys::run_command(state, cmd);
            Vec::new()
        }
    }
}

fn open_branches(state: &mut State) -> Vec<Effect> {
    let Some(r) = state.current_repo() else {
        return Vec::new();
    };
    let current = r.rev.clone();
    let selected = r
        .branches
        .iter()
        .position(|b| Some(&b.name) == current.as_ref())
        .unwrap_or(0);
    state.overlay = Some(Overlay::Branches { selected });
    Vec::new()
}

fn switch_branch(state: &mut State, name: String) -> Vec<Effect> {
    let repo = state.repo;
    let Some(r) = state.repos.get_mut(repo) else {
        return Vec::new();
    };
    r.rev = Some(name);
    state.views.clear();
    state.focus = Pane::Commits;
    reset_commits(state, repo).into_iter().collect()
}

fn refresh(state: &mut State) -> Vec<Effect> {
    let repo = state.repo;
    let Some(r) = state.repos.get_mut(repo) else {
        return Vec::new();
    };
    r.status = super::state_git::RepoStatus::Opening;
    vec![Effect::OpenRepo {
        repo,
        spec: r.spec.clone(),
    }]
}
