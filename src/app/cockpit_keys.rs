//! Keys for the cockpit: the Clusters, Apps and Activity panes, the drift matrix, app detail
//! and the drift diff. Returns `None` for actions it leaves to the Git panes and views.

use super::action::Action;
use super::cockpit::CockpitView;
use super::cockpit_diff::DriftDiffState;
use super::cockpit_filter::{self, object_rows};
use super::list_filter;
use super::msg::Effect;
use super::nav;
use super::state::{Pane, State, View};
use crate::gitops::engine::{ObjectReport, SyncStatus};
use crate::ui::layout;

/// Handle `action` if it is the cockpit's; `None` lets the caller handle it.
pub fn on_action(state: &mut State, action: Action) -> Option<Vec<Effect>> {
    if matches!(action, Action::Quit | Action::Help | Action::Palette) {
        return None;
    }
    if let Some(effects) = on_filter_action(state, action) {
        return Some(effects);
    }
    if let Some(effects) = super::cockpit_sync::on_action(state, action) {
        return Some(effects);
    }
    if let Some(effects) = super::cockpit_revert::on_action(state, action) {
        return Some(effects);
    }
    if let Some(effects) = super::cockpit_rollback::on_action(state, action) {
        return Some(effects);
    }
    if let Some(effects) = git_action(state, action) {
        return Some(effects);
    }
    if let Some(effects) = super::cockpit_preview::on_action(state, action) {
        return Some(effects);
    }
    if let Some(effects) = super::cockpit_operator::on_action(state, action) {
        return Some(effects);
    }
    if action == Action::Sync
        && let Some(effects) = sync_here(state)
    {
        return Some(effects);
    }
    if action == Action::Refresh
        && let Some(View::Cockpit(CockpitView::AppDetail { .. })) = state.views.last()
    {
        return Some(super::cockpit_events::refresh(state).into_iter().collect());
    }
    if let Some(View::Cockpit(_)) = state.views.last() {
        on_view_action(state, action);
        return Some(Vec::new());
    }
    if !state.views.is_empty() {
        return None;
    }
    if action == Action::Preview && state.focus == Pane::Commits {
        return Some(super::cockpit_preview::start_selected(state, None));
    }
    if action == Action::Matrix {
        open_matrix(state);
        return Some(Vec::new());
    }
    if !state.cockpit.is_active() {
        return None;
    }
    match (state.focus, action) {
        (Pane::Clusters, _) => on_clusters(state, action),
        (Pane::Apps, _) => on_apps(state, action),
        (Pane::Activity, _) => None,
        _ => None,
    }
}

/// `/` starts the filter of the list in front; Esc clears it once it is kept.
fn on_filter_action(state: &mut State, action: Action) -> Option<Vec<Effect>> {
    let filter = cockpit_filter::in_front(state)?;
    match action {
        Action::Filter => filter.start(),
        Action::Back if filter.clear() => cockpit_filter::settle(state),
        _ => return None,
    }
    Some(Vec::new())
}

/// Open the drift matrix.
pub fn open_matrix(state: &mut State) {
    state.cockpit.filters.matrix = Default::default();
    state
        .views
        .push(View::Cockpit(CockpitView::Matrix { row: 0, col: 0 }));
}

/// Show only the apps of `cluster` (`None` = every cluster).
pub fn select_cluster(state: &mut State, cluster: Option<String>) -> Result<(), String> {
    if let Some(c) = &cluster
        && !state.cockpit.clusters.contains_key(c)
    {
        let known: Vec<&str> = state.cockpit.clusters.keys().map(String::as_str).collect();
        return Err(format!("no cluster {c}; known: {}", known.join(", ")));
    }
    state.cockpit.cluster_filter = cluster;
    state.focus = Pane::Apps;
    Ok(())
}

/// Open app `name` on the filtered cluster, or its first cluster.
pub fn open_app_named(state: &mut State, name: &str) -> Result<(), String> {
    let c = &state.cockpit;
    let mut words = name.split_whitespace();
    let (name, cluster) = (words.next().unwrap_or_default(), words.next());
    if let Some(extra) = words.next() {
        return Err(format!(
            ":app takes an app and a cluster; `{extra}` is one word too many"
        ));
    }
    let key = match cluster {
        Some(cluster) => c
            .reports
            .keys()
            .find(|(a, cl)| a == name && cl == cluster)
            .ok_or_else(|| match c.reports.keys().any(|(a, _)| a == name) {
                true => format!("{name} does not run on {cluster}"),
                false => format!("no app {name}"),
            })?,
        None => c
            .reports
            .keys()
            .filter(|(a, _)| a == name)
            .find(|(_, cl)| c.cluster_filter.as_ref().is_none_or(|f| f == cl))
            .or_else(|| c.reports.keys().find(|(a, _)| a == name))
            .ok_or_else(|| format!("no app {name}"))?,
    }
    .clone();
    open_app(state, &key.0, &key.1);
    Ok(())
}

fn on_clusters(state: &mut State, action: Action) -> Option<Vec<Effect>> {
    let names: Vec<String> = state.cockpit.clusters.keys().cloned().collect();
    let visible = state.cockpit.cluster_rows();
    let c = &mut state.cockpit;
    if let Some(pos) = list_filter::step(c.cluster_selected, &visible, action, 5) {
        c.cluster_selected = pos;
        return Some(Vec::new());
    }
    if action == Action::Open {
        let picked = visible
            .contains(&c.cluster_selected)
            .then(|| names.get(c.cluster_selected).cloned())
            .flatten();
        let next = if picked == c.cluster_filter { None } else { picked };
        let _ = select_cluster(state, next);
        return Some(Vec::new());
    }
    None
}

fn on_apps(state: &mut State, action: Action) -> Option<Vec<Effect>> {
    let page = layout::view_rows(state.size) / 2;
    let rows: Vec<(String, String)> = state.cockpit.app_rows().into_iter().cloned().collect();
    let at = state.cockpit.app_index();
    if let Some(pos) = nav::step(at, rows.len(), action, page.max(1)) {
        state.cockpit.app_selected = rows.get(pos).cloned();
        return Some(Vec::new());
    }
    match action {
        Action::Open => {
            if let Some((app, cluster)) = rows.get(at) {
                open_app(state, app, cluster);
            }
            Some(Vec::new())
        }
        Action::Back if state.cockpit.cluster_filter.is_some() => {
            state.cockpit.cluster_filter = None;
            Some(Vec::new())
        }
        _ => None,
    }
}

/// Open app detail, the first drifted object of its resource tree selected.
pub fn open_app(state: &mut State, app: &str, cluster: &str) {
    state.cockpit.filters.objects = Default::default();
    let selected = state
        .cockpit
        .report(app, cluster)
        .and_then(|r| {
            let tree = object_rows(&state.cockpit.filters.objects, r);
            let first = tree.iter().find(|&&i| r.objects[i].status.is_drift());
            first.or(tree.first()).copied()
        })
        .unwrap_or(0);
    state.views.push(View::Cockpit(CockpitView::AppDetail {
        app: app.to_string(),
        cluster: cluster.to_string(),
        selected,
    }));
}

fn on_view_action(state: &mut State, action: Action) {
    let page = layout::view_rows(state.size);
    let (apps, clusters) = state.cockpit.matrix_axes();
    let matrix_rows = state.cockpit.matrix_rows(&apps);
    let Some(View::Cockpit(view)) = state.views.last_mut() else {
        return;
    };
    if action == Action::Back {
        state.views.pop();
        return;
    }
    match view {
        CockpitView::Matrix { row, col } => {
            if let Some(p) = list_filter::step(*row, &matrix_rows, action, page) {
                *row = p;
            } else if action == Action::Left {
                *col = col.saturating_sub(1);
            } else if action == Action::Right {
                *col = (*col + 1).min(clusters.len().saturating_sub(1));
            } else if action == Action::Open
                && matrix_rows.contains(row)
                && let (Some(a), Some(c)) = (apps.get(*row), clusters.get(*col))
            {
                let (a, c) = (a.clone(), c.clone());
                open_app(state, &a, &c);
            }
        }
        CockpitView::AppDetail {
            app,
            cluster,
            selected,
        } => {
            let Some(report) = state.cockpit.report(app, cluster) else {
                return;
            };
            let visible = object_rows(&state.cockpit.filters.objects, report);
            if let Some(p) = list_filter::step(*selected, &visible, action, page) {
                *selected = p;
                return;
            }
            let title = format!("{app} on {cluster} · live → desired@{}", report.revision);
            let objects: Vec<_> = match action {
                Action::Open if visible.contains(selected) => report
                    .objects
                    .get(*selected)
                    .map(AsRef::as_ref)
                    .into_iter()
                    .collect(),
                // The whole app: every object that would change.
                Action::Compare => report
                    .objects
                    .iter()
                    .map(AsRef::as_ref)
                    .filter(|o: &&ObjectReport| o.status != SyncStatus::Synced)
                    .collect(),
                _ => return,
            };
            if objects.is_empty() {
                return;
            }
            let mut diff = DriftDiffState::build(title, &objects);
            diff.diff.show_first_change(page);
            // `s` in the diff syncs what it shows: the one object, or the whole app.
            let only = match action {
                Action::Open => objects.iter().map(|o| o.key.clone()).collect(),
                _ => Vec::new(),
            };
            diff.sync_target = Some((app.clone(), cluster.clone(), only));
            state.views.push(View::Cockpit(CockpitView::DriftDiff(diff)));
        }
        // Handled by `cockpit_preview::on_action` and `cockpit_sync::on_action` before this.
        CockpitView::PickCluster { .. }
        | CockpitView::Preview(_)
        | CockpitView::Sync(_)
        | CockpitView::Operator(_)
        | CockpitView::Publish(_)
        | CockpitView::Rollback(_) => {}
        CockpitView::Audit {
            entries, selected, ..
        } => {
            let len = entries.as_ref().and_then(|e| e.as_ref().ok()).map_or(0, Vec::len);
            if let Some(p) = nav::step(*selected, len, action, page) {
                *selected = p;
            }
        }
        // The Git diff view's keys: split, hunks, folds, sideways.
        CockpitView::DriftDiff(d) => {
            d.diff.on_action(action, page);
        }
    }
}

/// `s`: sync what is in front: the selected app row, the app in detail, the matrix cell, or
/// what a drift diff shows. `None` when nothing there can be synced.
/// `r` on a commit (the Commits pane, or a commit's detail), `P` on the main screen, `R` on
/// an app: the revert, pull request and rollback views.
fn git_action(state: &mut State, action: Action) -> Option<Vec<Effect>> {
    match action {
        Action::Revert => {
            let (repo, id, parents) = match state.views.last() {
                None if state.focus == Pane::Commits => {
                    let row = state.current_repo().and_then(|r| r.commits.selected_row())?;
                    (state.repo, row.id.clone(), row.parents)
                }
                Some(View::Detail(d)) if d.base.is_none() => {
                    let parents = d.detail.as_ref()?.parents.len();
                    (d.repo, d.id.clone(), parents)
                }
                _ => return None,
            };
            Some(super::cockpit_revert::start_revert(state, repo, &id, parents))
        }
        Action::PullRequest if state.views.is_empty() => {
            Some(super::cockpit_revert::start_pr(state, state.repo))
        }
        Action::Rollback => {
            let (app, cluster, _) = app_here(state)?;
            Some(super::cockpit_rollback::start(state, &app, &cluster))
        }
        _ => None,
    }
}

fn sync_here(state: &mut State) -> Option<Vec<Effect>> {
    let (app, cluster, only) = app_here(state)?;
    if super::cockpit_operator::sync_through_operator(state, &app, &cluster) {
        return Some(Vec::new());
    }
    Some(super::cockpit_sync::start(state, &app, &cluster, only))
}

/// The app (and cluster, and objects) the screen is on: an Apps row, app detail, a matrix
/// cell, an object's drift diff.
fn app_here(state: &State) -> Option<(String, String, Vec<crate::kube::key::ObjectKey>)> {
    Some(match state.views.last() {
        None if state.focus == Pane::Apps && state.cockpit.is_active() => {
            let rows = state.cockpit.app_rows();
            let (a, c) = rows.get(state.cockpit.app_index())?;
            ((*a).clone(), (*c).clone(), Vec::new())
        }
        Some(View::Cockpit(CockpitView::AppDetail { app, cluster, .. })) => {
            (app.clone(), cluster.clone(), Vec::new())
        }
        Some(View::Cockpit(CockpitView::Matrix { row, col })) => {
            let (apps, clusters) = state.cockpit.matrix_axes();
            let (a, c) = (apps.get(*row)?, clusters.get(*col)?);
            state.cockpit.report(a, c)?;
            (a.clone(), c.clone(), Vec::new())
        }
        Some(View::Cockpit(CockpitView::DriftDiff(d))) => d.sync_target.clone()?,
        _ => return None,
    })
}

/// `:matrix`, `:ctx [NAME]` and `:app NAME`. Mistakes go to the status bar.
pub fn run_command(state: &mut State, cmd: super::palette::Command) {
    use super::palette::Command;
    state.views.clear();
    let result = match cmd {
        Command::Matrix => {
            open_matrix(state);
            Ok(())
        }
        Command::Ctx(name) if name.is_empty() => select_cluster(state, None),
        Command::Ctx(name) => select_cluster(state, Some(name)),
        Command::App(name) => open_app_named(state, &name),
        _ => Ok(()),
    };
    if let Err(e) = result {
        state.notice = Some(e);
    }
}
