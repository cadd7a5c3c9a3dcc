//! `update(state, msg) -> effects`: the pure core. Worker results are applied here; keys
//! are handed to `update_keys`.

use super::msg::{CommitPage, Effect, Msg, PAGE};
use super::state::{State, View};
use super::state_git::{CommitList, RepoStatus};
use crate::ui::layout;

/// Apply one message to the state and return the work it asks for.
pub fn update(state: &mut State, msg: Msg) -> Vec<Effect> {
    let mut effects = apply(state, msg);
    // Requests that follow from what is on screen, however it got there.
    effects.extend(super::cockpit_events::wanted(state));
    effects
}

fn apply(state: &mut State, msg: Msg) -> Vec<Effect> {
    match msg {
        Msg::Key(key) => super::update_keys::on_key(state, key),
        Msg::Paste(text) => super::update_keys::on_paste(state, &text),
        Msg::Resize(w, h) => {
            state.size = (w, h);
            let height = layout::commit_rows(state.size);
            if let Some(repo) = state.current_repo_mut() {
                let c = &mut repo.commits;
                c.offset = super::nav::keep_visible(c.offset, c.selected, height);
            }
            more_commits(state, state.repo).into_iter().collect()
        }
        Msg::RepoOpened { repo, result } => repo_opened(state, repo, result),
        Msg::CloneProgress {
            repo,
            phase,
            fraction,
        } => {
            if let Some(r) = state.repos.get_mut(repo) {
                r.status = RepoStatus::Cloning { phase, fraction };
            }
            Vec::new()
        }
        Msg::Branches { repo, result } => {
            match (state.repos.get_mut(repo), result) {
                (Some(r), Ok(branches)) => r.branches = branches,
                (Some(r), Err(e)) => {
                    let name = r.info.name.clone();
                    state.push_error(format!("{name}: cannot list branches: {e}"));
                }
                (None, _) => {}
            }
            Vec::new()
        }
        Msg::Commits {
            repo,
            generation,
            result,
        } => commits_page(state, repo, generation, result),
        Msg::Detail { req, result } => {
            if let Some(View::Detail(d)) = state.view_for(req) {
                match result {
                    Ok(detail) => d.detail = Some(detail),
                    Err(e) => d.error = Some(e),
                }
            }
            Vec::new()
        }
        Msg::Diff { req, result } => {
            let page = layout::view_rows(state.size);
            if let Some(View::Diff(d, _)) = state.view_for(req) {
                match result {
                    Ok(diff) => {
                        d.set(diff);
                        // Start at the top unless the first change is below the first screen.
                        let first = d.hunks.first().copied().unwrap_or(0);
                        d.scroll = if first + 2 < page {
                            0
                        } else {
                            first.saturating_sub(2)
                        };
                    }
                    Err(e) => d.error = Some(e),
                }
            }
            Vec::new()
        }
        Msg::Tree { req, result } => {
            if let Some(View::Tree(t)) = state.view_for(req) {
                match result {
                    Ok(rows) => t.rows = Some(rows),
                    Err(e) => t.error = Some(e),
                }
            }
            Vec::new()
        }
        Msg::Engine(ev) => super::cockpit::on_engine(state, ev),
        Msg::Audit { req, result } => {
            for view in state.views.iter_mut() {
                if let View::Cockpit(super::cockpit::CockpitView::Audit { req: r, entries, .. }) = view
                    && *r == req
                {
                    *entries = Some(result.clone());
                }
            }
            Vec::new()
        }
        Msg::Distance { base, target, result } => {
            super::cockpit_distance::on_distance(&mut state.cockpit, base, target, result);
            Vec::new()
        }
        Msg::RevertPlanned { req, result } => super::cockpit_revert::on_revert_planned(state, req, result),
        Msg::PrPlanned { req, result } => {
            super::cockpit_revert::on_pr_planned(state, req, result);
            Vec::new()
        }
        Msg::StepDone { req, result } => super::cockpit_revert::on_step(state, req, result),
        Msg::PushProgress { req, line } => {
            super::cockpit_revert::on_progress(state, req, line);
            Vec::new()
        }
        Msg::History { req, result } => {
            super::cockpit_rollback::on_history(state, req, result);
            Vec::new()
        }
        Msg::Blob { req, result } => {
            if let Some(View::File(f)) = state.view_for(req) {
                match result {
                    Ok(content) => f.content = Some(content),
                    Err(e) => f.error = Some(e),
                }
            }
            Vec::new()
        }
    }
}

/// The effects that open every repo at start.
pub fn start(state: &State) -> Vec<Effect> {
    state
        .repos
        .iter()
        .enumerate()
        .map(|(repo, r)| Effect::OpenRepo {
            repo,
            spec: r.spec.clone(),
        })
        .collect()
}

fn repo_opened(
    state: &mut State,
    repo: usize,
    result: Result<super::state_git::RepoInfo, String>,
) -> Vec<Effect> {
    let Some(r) = state.repos.get_mut(repo) else {
        return Vec::new();
    };
    match result {
        Err(e) => {
            r.status = RepoStatus::Failed(e.clone());
            // The engine's message already names the path or URL.
            state.push_error(e);
            Vec::new()
        }
        Ok(info) => {
            r.status = RepoStatus::Ready;
            r.rev = info.branch.clone().or_else(|| info.head.clone());
            let empty = info.head.is_none();
            let shallow = info.shallow;
            r.info = info;
            let name = r.info.name.clone();
            if empty {
                r.commits.exhausted = true;
                state.push_error(format!(
                    "{name} is an empty repository: it has no commits yet. Commit something, \
                     or open another repo with --repo."
                ));
                return vec![Effect::LoadBranches { repo }];
            }
            if shallow {
                state.notice = Some(format!(
                    "{name} is a shallow clone: history stops at the shallow boundary"
                ));
            }
            let mut effects = vec![Effect::LoadBranches { repo }];
            effects.extend(reset_commits(state, repo));
            // A repo an Argo CD or Flux app names: the engine evaluates that app too.
            effects.extend(super::cockpit_operator::repo_opened(state, repo));
            effects
        }
    }
}

/// Start the commit list of `repo` over (new branch, refresh) and ask for the first page.
pub fn reset_commits(state: &mut State, repo: usize) -> Option<Effect> {
    let r = state.repos.get_mut(repo)?;
    let generation = r.commits.generation + 1;
    let filter = std::mem::take(&mut r.commits.filter);
    r.commits = CommitList {
        generation,
        filter,
        ..CommitList::default()
    };
    more_commits(state, repo)
}

/// Ask for the next page when the selection (or the filter) is near the end of what is loaded.
pub fn more_commits(state: &mut State, repo: usize) -> Option<Effect> {
    let page = layout::commit_rows(state.size);
    let r = state.repos.get_mut(repo)?;
    if r.status != RepoStatus::Ready || r.info.head.is_none() {
        return None;
    }
    let c = &mut r.commits;
    if c.loading || c.exhausted {
        return None;
    }
    let wanted = c.selected + 2 * page.max(1);
    if c.len() >= wanted && !c.rows.is_empty() {
        return None;
    }
    c.loading = true;
    Some(Effect::LoadCommits {
        repo,
        rev: r.rev.clone(),
        skip: c.rows.len(),
        count: PAGE,
        generation: c.generation,
    })
}

fn commits_page(
    state: &mut State,
    repo: usize,
    generation: u64,
    result: Result<CommitPage, String>,
) -> Vec<Effect> {
    let Some(r) = state.repos.get_mut(repo) else {
        return Vec::new();
    };
    if r.commits.generation != generation {
        return Vec::new();
    }
    r.commits.loading = false;
    match result {
        Ok(page) => {
            r.commits.exhausted = page.exhausted || page.rows.is_empty();
            r.commits.append(page.rows);
            more_commits(state, repo).into_iter().collect()
        }
        Err(e) => {
            r.commits.exhausted = true;
            let name = r.info.name.clone();
            state.push_error(format!("{name}: cannot read the log: {e}"));
            Vec::new()
        }
    }
}
