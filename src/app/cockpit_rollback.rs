//! Rollback from the cockpit: `R` on an app (its row, its detail, its matrix cell) lists the
//! app's history (the commits that changed what it renders, each marked where it runs and
//! where it was synced); Enter previews the selected revision against live (the preview view);
//! `P` opens a revert pull request of the app's commits since it (the GitOps way; other apps'
//! commits stay); `s` syncs it now,
//! an emergency that pins the app (the sync view, started at that revision).
//!
//! Plain data and key handling; the history is read by `engine_actions` off the UI thread.

use super::action::Action;
use super::cockpit::CockpitView;
use super::cockpit_revert::RollbackOrigin;
use super::msg::Effect;
use super::nav;
use super::state::{State, View};
use crate::gitops::actions::history::{History, HistoryEntry};
use crate::ui::layout;

/// The rollback view: the app, where, and its history once read.
#[derive(Debug, Clone, PartialEq)]
pub struct RollbackView {
    pub req: u64,
    pub app: String,
    /// The cluster it was opened on (a sync goes there; a pull request reaches every one).
    pub cluster: String,
    pub history: Option<Result<History, String>>,
    pub selected: usize,
}

impl RollbackView {
    pub fn selected_entry(&self) -> Option<&HistoryEntry> {
        match &self.history {
            Some(Ok(h)) => h.entries.get(self.selected),
            _ => None,
        }
    }

    fn len(&self) -> usize {
        match &self.history {
            Some(Ok(h)) => h.entries.len(),
            _ => 0,
        }
    }
}

/// `R` on `app` as it runs on `cluster`.
pub fn start(state: &mut State, app: &str, cluster: &str) -> Vec<Effect> {
    if !state.cockpit.is_active() {
        state.notice =
            Some("rollback needs the live engine: start Sextant in a repo with sextant.yaml".into());
        return Vec::new();
    }
    let deployed: Vec<(String, String)> = state
        .cockpit
        .reports
        .iter()
        .filter(|((a, _), _)| a == app)
        .filter_map(|((_, c), r)| r.0.deployed.clone().map(|d| (c.clone(), d)))
        .collect();
    let req = state.request_id();
    state
        .views
        .push(View::Cockpit(CockpitView::Rollback(RollbackView {
            req,
            app: app.to_string(),
            cluster: cluster.to_string(),
            history: None,
            selected: 0,
        })));
    vec![Effect::LoadHistory {
        req,
        repo: 0,
        app: app.to_string(),
        deployed,
    }]
}

/// The history arrived: select the newest revision before the one the cluster runs (the
/// likely target of a rollback), else the second entry.
pub fn on_history(state: &mut State, req: u64, result: Result<History, String>) {
    for v in state.views.iter_mut() {
        if let View::Cockpit(CockpitView::Rollback(r)) = v
            && r.req == req
        {
            if let Ok(h) = &result {
                let running = h.entries.iter().position(|e| e.running.contains(&r.cluster));
                r.selected = running
                    .map_or(1, |i| i + 1)
                    .min(h.entries.len().saturating_sub(1));
            }
            r.history = Some(result);
            return;
        }
    }
}

/// Keys of the view. `None` when the top view is not one.
pub fn on_action(state: &mut State, action: Action) -> Option<Vec<Effect>> {
    let page = layout::view_rows(state.size);
    let Some(View::Cockpit(CockpitView::Rollback(view))) = state.views.last_mut() else {
        return None;
    };
    if let Some(pos) = nav::step(view.selected, view.len(), action, page) {
        view.selected = pos;
        return Some(Vec::new());
    }
    if action == Action::Back {
        state.views.pop();
        return Some(Vec::new());
    }
    let Some(entry) = view.selected_entry() else {
        return Some(Vec::new());
    };
    let origin = RollbackOrigin {
        app: view.app.clone(),
        cluster: view.cluster.clone(),
        revision: entry.commit.sha.clone(),
    };
    let summary = entry.commit.summary.clone();
    let current = entry.current;
    // The app's own commits newer than the selected revision, newest first.
    let newer: Vec<String> = match &view.history {
        Some(Ok(h)) => h.entries[..view.selected]
            .iter()
            .map(|e| e.commit.sha.clone())
            .collect(),
        _ => Vec::new(),
    };
    Some(match action {
        Action::Open | Action::Preview => {
            super::cockpit_preview::start(state, origin.revision, summary, Some(origin.cluster))
        }
        Action::PullRequest | Action::Confirm if current => {
            state.notice = Some("that is what the branch renders now: pick an older revision".into());
            Vec::new()
        }
        Action::PullRequest | Action::Confirm => {
            super::cockpit_revert::start_app_since(state, 0, origin, newer)
        }
        Action::Sync => {
            let (app, cluster) = (origin.app.clone(), origin.cluster.clone());
            // An operator's app is rolled back through its operator, never behind its back.
            match super::cockpit_operator::rollback_sync(state, &app, &cluster, &origin.revision) {
                Some(effects) => effects,
                None => super::cockpit_sync::start_at(state, &app, &cluster, Vec::new(), Some(origin)),
            }
        }
        _ => Vec::new(),
    })
}
