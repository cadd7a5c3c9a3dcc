//! Sync from the cockpit: `s` on an app row, in app detail, on a matrix cell or in one
//! object's drift diff asks the engine for a plan (a preview of the commit the app is
//! evaluated at, against live), shows it as the drift of exactly what will be applied and
//! pruned, and on Enter or `y` confirms: a second question lists what prune would delete,
//! a protected cluster wants its name typed, then each object's result streams in and the
//! rows turn Synced as the watches see it. Esc while it runs stops new writes; quitting
//! mid-sync stops it first, so it is reported and audited.
//!
//! The gate in the engine decides; this view only shows what it says and asks the user.

use super::action::Action;
use super::cockpit::CockpitView;
use super::cockpit_preview::{self, PreviewState};
use super::msg::Effect;
use super::nav;
use super::state::{State, View};
use crate::gitops::engine::{EngineCommand, GateVerdict, PlanRef, SyncScope};
use crate::gitops::sync::plan::SyncPlan;
use crate::gitops::sync::result::{ObjectResult, SyncResult};
use crate::kube::key::ObjectKey;
use crate::ui::layout;
use ratatui::crossterm::event::{KeyCode, KeyEvent};
use std::sync::Arc;

/// A finished sync, compared by identity.
#[derive(Debug, Clone)]
pub struct SharedResult(pub Arc<SyncResult>);

impl PartialEq for SharedResult {
    fn eq(&self, other: &Self) -> bool {
        Arc::ptr_eq(&self.0, &other.0)
    }
}

/// Where a sync is in its life.
#[derive(Debug, Clone, PartialEq)]
pub enum SyncStage {
    /// The plan is shown (or still being made); Enter or `y` goes on.
    Review,
    /// "Also delete these N objects?": `y` prunes too, `n` syncs without, Esc goes back.
    ConfirmPrune,
    /// A protected cluster: its name is typed, then Enter.
    TypeName { typed: String, prune: bool },
    /// Sent: results stream in.
    Running {
        id: u64,
        prune: bool,
        results: Vec<ObjectResult>,
        total: usize,
        cancelling: bool,
    },
    /// Finished (or refused): everything it did.
    Done(SharedResult),
}

/// The sync view: the plan as a preview, and the stage of the sync.
#[derive(Debug, Clone, PartialEq)]
pub struct SyncView {
    pub preview: PreviewState,
    pub app: String,
    /// A selective sync: only these objects.
    pub only: Vec<ObjectKey>,
    pub stage: SyncStage,
    /// Selected row of the results, once running.
    pub scroll: usize,
    /// The rollback that asked for this (emergency) sync: recorded when it ends.
    pub rollback: Option<super::cockpit_revert::RollbackOrigin>,
}

impl SyncView {
    /// The plan, once the engine answered.
    pub fn plan(&self) -> Option<&Arc<SyncPlan>> {
        self.preview.report().and_then(|r| r.plans.first())
    }

    /// What the gate said, once the engine answered.
    pub fn gate(&self) -> Option<&GateVerdict> {
        self.preview.report().map(|r| &r.gate)
    }

    pub fn is_running(&self) -> bool {
        matches!(self.stage, SyncStage::Running { .. })
    }
}

/// Open the sync of `app` on `cluster` (only `only`, when not empty), at the commit the
/// cockpit shows it evaluated at.
pub fn start(state: &mut State, app: &str, cluster: &str, only: Vec<ObjectKey>) -> Vec<Effect> {
    start_at(state, app, cluster, only, None)
}

/// [`start`] at another revision: a rollback's emergency sync (pinned, as the plan says).
pub fn start_at(
    state: &mut State,
    app: &str,
    cluster: &str,
    only: Vec<ObjectKey>,
    rollback: Option<super::cockpit_revert::RollbackOrigin>,
) -> Vec<Effect> {
    let Some(report) = state.cockpit.report(app, cluster) else {
        state.notice = Some(format!("no report for {app} on {cluster} yet"));
        return Vec::new();
    };
    let revision = match (&rollback, report.commit.is_empty()) {
        (Some(r), _) => r.revision.clone(),
        (None, true) => "HEAD".to_string(),
        (None, false) => report.commit.clone(),
    };
    let id = state.request_id();
    state.cockpit.filters.preview = Default::default();
    let command = EngineCommand::PlanSync {
        id,
        revision: revision.clone(),
        cluster: cluster.to_string(),
        scope: SyncScope {
            app: Some(app.to_string()),
            only: only.clone(),
        },
    };
    state
        .views
        .push(View::Cockpit(CockpitView::Sync(Box::new(SyncView {
            preview: PreviewState {
                id,
                revision,
                summary: String::new(),
                cluster: cluster.to_string(),
                answer: None,
                selected: 0,
            },
            app: app.to_string(),
            only,
            stage: SyncStage::Review,
            scroll: 0,
            rollback,
        }))));
    vec![Effect::Engine(command)]
}

fn top(state: &mut State) -> Option<&mut SyncView> {
    match state.views.last_mut() {
        Some(View::Cockpit(CockpitView::Sync(s))) => Some(s),
        _ => None,
    }
}

/// Whether the top view is a sync asking a question (its keys are read raw).
pub fn is_asking(state: &State) -> bool {
    matches!(
        state.views.last(),
        Some(View::Cockpit(CockpitView::Sync(s)))
            if matches!(s.stage, SyncStage::ConfirmPrune | SyncStage::TypeName { .. })
    )
}

/// A key while the sync asks a question: y/n for prune, the cluster's name for a protected one.
pub fn on_prompt_key(state: &mut State, key: KeyEvent) -> Vec<Effect> {
    let Some(view) = top(state) else {
        return Vec::new();
    };
    match &mut view.stage {
        SyncStage::ConfirmPrune => match key.code {
            KeyCode::Char('y' | 'Y') => proceed(state, true),
            KeyCode::Char('n' | 'N') => proceed(state, false),
            KeyCode::Esc => {
                view.stage = SyncStage::Review;
                Vec::new()
            }
            _ => Vec::new(),
        },
        SyncStage::TypeName { typed, prune } => match key.code {
            KeyCode::Enter => {
                let (typed, prune) = (typed.clone(), *prune);
                send(state, prune, Some(typed))
            }
            KeyCode::Esc => {
                view.stage = SyncStage::Review;
                Vec::new()
            }
            _ => {
                super::line_edit::edit(typed, key);
                Vec::new()
            }
        },
        _ => Vec::new(),
    }
}

/// After the plan was confirmed (and prune answered): ask for the name of a protected
/// cluster, or send.
fn proceed(state: &mut State, prune: bool) -> Vec<Effect> {
    let Some(view) = top(state) else {
        return Vec::new();
    };
    if view.gate() == Some(&GateVerdict::NeedsTypedName) {
        view.stage = SyncStage::TypeName {
            typed: String::new(),
            prune,
        };
        return Vec::new();
    }
    send(state, prune, None)
}

/// Send the sync to the engine (whose gate decides) and show it running.
fn send(state: &mut State, prune: bool, typed: Option<String>) -> Vec<Effect> {
    let id = state.request_id();
    let Some(view) = top(state) else {
        return Vec::new();
    };
    let Some(plan) = view.plan().cloned() else {
        return Vec::new();
    };
    let total = plan.apply.len() + if prune { plan.prune.len() } else { 0 };
    view.stage = SyncStage::Running {
        id,
        prune,
        results: Vec::new(),
        total,
        cancelling: false,
    };
    view.scroll = 0;
    vec![Effect::Engine(EngineCommand::Sync {
        id,
        plan: PlanRef(plan),
        prune,
        typed,
    })]
}

/// Keys of the sync view. `None` when the top view is not a sync.
pub fn on_action(state: &mut State, action: Action) -> Option<Vec<Effect>> {
    let page = layout::view_rows(state.size);
    let filter = state.cockpit.filters.preview.clone();
    let view = top(state)?;
    match &mut view.stage {
        SyncStage::Review => {
            let rows = view.preview.rows(&filter);
            if let Some(pos) = nav::step(view.preview.selected, rows.len(), action, page) {
                view.preview.selected = pos;
                return Some(Vec::new());
            }
            match action {
                Action::Back => {
                    state.views.pop();
                    Some(Vec::new())
                }
                Action::Open | Action::Confirm => {
                    let Some(plan) = view.plan() else {
                        return Some(Vec::new());
                    };
                    if plan.is_empty() {
                        state.notice = Some("nothing to sync: the cluster already runs this".into());
                        return Some(Vec::new());
                    }
                    if !plan.prune.is_empty() {
                        view.stage = SyncStage::ConfirmPrune;
                        return Some(Vec::new());
                    }
                    Some(proceed(state, false))
                }
                Action::Compare => {
                    if let Some(diff) = rows
                        .get(view.preview.selected)
                        .and_then(|row| cockpit_preview::diff_for(&view.preview, *row, false, page))
                    {
                        state.views.push(View::Cockpit(CockpitView::DriftDiff(diff)));
                    }
                    Some(Vec::new())
                }
                _ => Some(Vec::new()),
            }
        }
        SyncStage::Running {
            id,
            cancelling,
            results,
            ..
        } => {
            if let Some(pos) = nav::step(view.scroll, results.len(), action, page) {
                view.scroll = pos;
                return Some(Vec::new());
            }
            if action == Action::Back && !*cancelling {
                *cancelling = true;
                return Some(vec![Effect::Engine(EngineCommand::CancelSync { id: *id })]);
            }
            Some(Vec::new())
        }
        SyncStage::Done(result) => {
            let len = result.0.results.len();
            if let Some(pos) = nav::step(view.scroll, len, action, page) {
                view.scroll = pos;
                return Some(Vec::new());
            }
            if matches!(action, Action::Back | Action::Open) {
                state.views.pop();
            }
            Some(Vec::new())
        }
        SyncStage::ConfirmPrune | SyncStage::TypeName { .. } => Some(Vec::new()),
    }
}

/// The running sync with this id, wherever it is in the view stack.
fn running(state: &mut State, id: u64) -> Option<&mut SyncView> {
    state.views.iter_mut().find_map(|v| match v {
        View::Cockpit(CockpitView::Sync(s)) if matches!(&s.stage, SyncStage::Running { id: i, .. } if *i == id) => {
            Some(&mut **s)
        }
        _ => None,
    })
}

/// One object of sync `id` landed.
pub fn on_progress(state: &mut State, id: u64, result: ObjectResult) {
    if let Some(SyncView {
        stage: SyncStage::Running { results, .. },
        ..
    }) = running(state, id)
    {
        results.push(result);
    }
}

/// Sync `id` ended: show everything it did, log it (a rollback's too), and quit if that was
/// waiting for it.
pub fn on_done(state: &mut State, id: u64, result: Arc<SyncResult>) -> Vec<Effect> {
    let now = state.now;
    state.cockpit.log_sync(now, &result);
    let mut effects = Vec::new();
    if let Some(view) = running(state, id) {
        if let Some(origin) = view.rollback.take() {
            effects.push(rollback_record(&origin, &result));
        }
        view.stage = SyncStage::Done(SharedResult(result));
        view.scroll = 0;
    }
    if state.cockpit.quit_after_sync && !any_running(state) {
        state.quit = true;
    }
    effects
}

/// The audit entry of a rollback done as an emergency sync.
fn rollback_record(origin: &super::cockpit_revert::RollbackOrigin, result: &SyncResult) -> Effect {
    use crate::gitops::sync::result::Ending;
    let outcome = match result.ending {
        Ending::Finished if result.all_done() => "finished",
        Ending::Refused => "refused",
        Ending::Cancelled => "cancelled",
        _ => "failed",
    };
    Effect::RecordRollback {
        repo: 0,
        record: super::msg::RollbackRecord {
            app: origin.app.clone(),
            cluster: origin.cluster.clone(),
            revision: origin.revision.clone(),
            sync: true,
            outcome: outcome.into(),
            summary: result.summary(),
            details: Vec::new(),
        },
    }
}

fn any_running(state: &State) -> bool {
    state
        .views
        .iter()
        .any(|v| matches!(v, View::Cockpit(CockpitView::Sync(s)) if s.is_running()))
}

/// Quit asked while a sync runs: stop it first (no new writes), and quit once it has
/// reported. `None` when no sync runs (quit as usual).
pub fn on_quit(state: &mut State) -> Option<Vec<Effect>> {
    if state.cockpit.quit_after_sync {
        // Asked twice: quit now.
        return None;
    }
    let ids: Vec<u64> = state
        .views
        .iter()
        .filter_map(|v| match v {
            View::Cockpit(CockpitView::Sync(s)) => match &s.stage {
                SyncStage::Running { id, .. } => Some(*id),
                _ => None,
            },
            _ => None,
        })
        .collect();
    if ids.is_empty() {
        return None;
    }
    state.cockpit.quit_after_sync = true;
    state.notice = Some("stopping the sync before quitting (no new writes); press again to quit now".into());
    Some(
        ids.into_iter()
            .map(|id| Effect::Engine(EngineCommand::CancelSync { id }))
            .collect(),
    )
}
