//! Acting through Argo CD or Flux from the cockpit: `o` on an app an operator manages opens
//! a menu (sync, sync and prune, refresh, hard refresh, suspend, resume, open the repo);
//! a choice asks the engine for a preview (the fields it would write, warnings, the gate's
//! verdict); Enter confirms, and the engine writes, follows the operator live (shown here)
//! and audits. Plain data and key handling; the view is drawn by `ui::operator`.

use super::action::Action;
use super::cockpit::{CockpitState, CockpitView};
use super::msg::Effect;
use super::state::{Pane, State, View};
use crate::gitops::engine::operator_run::{OperatorPreview, OperatorResult};
use crate::gitops::engine::{EngineCommand, GateVerdict};
use crate::gitops::operators::actions::OperatorAction;
use crate::gitops::operators::discovery::OperatorScan;
use crate::gitops::operators::{AppSource, Evaluation};
use std::sync::Arc;

/// How long the engine follows an operator for the cockpit.
const WAIT_SECS: u64 = 600;

/// One menu entry.
#[derive(Debug, Clone, PartialEq)]
pub enum Choice {
    Act(OperatorAction),
    /// Clone the app's repository and evaluate the app against Git too.
    OpenRepo(String),
}

impl Choice {
    pub fn label(&self) -> String {
        match self {
            Choice::Act(OperatorAction::Sync { prune: false, .. }) => "sync through the operator".into(),
            Choice::Act(OperatorAction::Sync { .. }) => "sync and prune".into(),
            Choice::Act(OperatorAction::Refresh { hard: false }) => "refresh (compare again)".into(),
            Choice::Act(OperatorAction::Refresh { hard: true }) => "hard refresh".into(),
            Choice::Act(OperatorAction::Suspend) => "suspend (stop reconciling on its own)".into(),
            Choice::Act(OperatorAction::Resume) => "resume".into(),
            Choice::OpenRepo(url) => format!("open {url} to compare with Git too"),
        }
    }
}

/// Where the flow stands.
#[derive(Debug, Clone, PartialEq)]
pub enum Stage {
    Menu {
        choices: Vec<Choice>,
        selected: usize,
    },
    /// Waiting for the engine's preview.
    Previewing {
        id: u64,
    },
    Preview(Arc<OperatorPreview>),
    /// Written; what the operator is doing.
    Running {
        id: u64,
        progress: Vec<String>,
    },
    Done(Arc<OperatorResult>),
    Failed(String),
}

/// The operator view's state.
#[derive(Debug, Clone, PartialEq)]
pub struct OperatorState {
    pub app: String,
    pub cluster: String,
    pub source: AppSource,
    pub stage: Stage,
}

/// Keep a cluster's latest scan.
pub fn on_scan(c: &mut CockpitState, scan: Arc<OperatorScan>) {
    c.operator_scans.insert(scan.context.clone(), scan);
}

/// The (app, cluster) the action applies to: app detail's app, else the selected row.
fn target(state: &State) -> Option<(String, String)> {
    match state.views.last() {
        Some(View::Cockpit(CockpitView::AppDetail { app, cluster, .. })) => {
            Some((app.clone(), cluster.clone()))
        }
        // The row shown selected: the filter may have hidden the remembered one.
        None if state.focus == Pane::Apps => {
            let c = &state.cockpit;
            c.app_rows().get(c.app_index()).map(|k| (*k).clone())
        }
        _ => None,
    }
}

fn menu(state: &State, app: &str, cluster: &str) -> Option<OperatorState> {
    let report = state.cockpit.report(app, cluster)?;
    let op = report.operator.as_ref()?;
    let mut choices = vec![
        Choice::Act(OperatorAction::Sync {
            revision: None,
            prune: false,
            resources: Vec::new(),
        }),
        Choice::Act(OperatorAction::Sync {
            revision: None,
            prune: true,
            resources: Vec::new(),
        }),
        Choice::Act(OperatorAction::Refresh { hard: false }),
    ];
    if op.source == AppSource::Argocd {
        choices.push(Choice::Act(OperatorAction::Refresh { hard: true }));
    }
    choices.push(if op.status.suspended {
        Choice::Act(OperatorAction::Resume)
    } else {
        Choice::Act(OperatorAction::Suspend)
    });
    if let Evaluation::RepoNotOpen { .. } = &op.evaluation {
        choices.push(Choice::OpenRepo(op.origin.repo_url.clone()));
    }
    Some(OperatorState {
        app: app.to_string(),
        cluster: cluster.to_string(),
        source: op.source,
        stage: Stage::Menu { choices, selected: 0 },
    })
}

fn next_id(state: &mut State) -> u64 {
    state.cockpit.operator_seq += 1;
    9_000_000 + state.cockpit.operator_seq
}

/// Handle `action` when the operator view is in front, or `o` on an operator's app.
pub fn on_action(state: &mut State, action: Action) -> Option<Vec<Effect>> {
    if let Some(View::Cockpit(CockpitView::Operator(_))) = state.views.last() {
        return Some(on_view(state, action));
    }
    if action != Action::Operator {
        return None;
    }
    let (app, cluster) = target(state)?;
    match menu(state, &app, &cluster) {
        Some(view) => state.views.push(View::Cockpit(CockpitView::Operator(view))),
        None => state.notice = Some(format!("{app} on {cluster} is not managed by Argo CD or Flux")),
    }
    Some(Vec::new())
}

/// `s` on an app Argo CD or Flux manages: a sync goes through its operator, never behind its
/// back (a direct sync would be undone by self-heal or the next reconcile), so this opens the
/// operator's menu. False when the app has no operator.
pub fn sync_through_operator(state: &mut State, app: &str, cluster: &str) -> bool {
    let managed = state
        .cockpit
        .report(app, cluster)
        .is_some_and(|r| r.operator.is_some());
    if !managed {
        return false;
    }
    if let Some(view) = menu(state, app, cluster) {
        state.views.push(View::Cockpit(CockpitView::Operator(view)));
        state.notice = Some(format!("{app} is synced through its operator: pick Sync"));
    }
    true
}

/// An emergency rollback of an app an operator manages: Argo CD syncs `revision` (its preview
/// warns when automated sync would undo it); Flux reconciles only what its source says, so it
/// is rolled back with a revert PR instead. `None` when the app has no operator.
pub fn rollback_sync(state: &mut State, app: &str, cluster: &str, revision: &str) -> Option<Vec<Effect>> {
    state.cockpit.report(app, cluster)?.operator.as_ref()?;
    let kind = state.cockpit.report(app, cluster).map(|r| r.source)?;
    if kind == AppSource::Flux {
        state.notice = Some(format!(
            "{app} is reconciled by Flux from its source: roll it back with a revert PR (P), not a sync"
        ));
        return Some(Vec::new());
    }
    let id = next_id(state);
    let action = OperatorAction::Sync {
        revision: Some(revision.to_string()),
        prune: false,
        resources: Vec::new(),
    };
    state
        .views
        .push(View::Cockpit(CockpitView::Operator(OperatorState {
            app: app.to_string(),
            cluster: cluster.to_string(),
            source: kind,
            stage: Stage::Previewing { id },
        })));
    Some(vec![Effect::Engine(EngineCommand::OperatorPreview {
        id,
        app: app.to_string(),
        cluster: cluster.to_string(),
        action,
    })])
}

fn on_view(state: &mut State, action: Action) -> Vec<Effect> {
    let id = next_id(state);
    let Some(View::Cockpit(CockpitView::Operator(view))) = state.views.last_mut() else {
        return Vec::new();
    };
    match (&mut view.stage, action) {
        (_, Action::Back) => {
            state.views.pop();
        }
        (Stage::Menu { choices, selected }, Action::Down) => {
            *selected = (*selected + 1).min(choices.len() - 1)
        }
        (Stage::Menu { selected, .. }, Action::Up) => *selected = selected.saturating_sub(1),
        (Stage::Menu { choices, selected }, Action::Open) => match choices[*selected].clone() {
            Choice::Act(act) => {
                let command = EngineCommand::OperatorPreview {
                    id,
                    app: view.app.clone(),
                    cluster: view.cluster.clone(),
                    action: act,
                };
                view.stage = Stage::Previewing { id };
                return vec![Effect::Engine(command)];
            }
            Choice::OpenRepo(url) => {
                state.views.pop();
                return open_repo(state, &url);
            }
        },
        (Stage::Preview(p), Action::Open) => {
            let blocked = p.error.clone().or(match &p.gate {
                GateVerdict::Refused(why) => Some(why.clone()),
                GateVerdict::NeedsTypedName => Some(format!(
                    "{} is protected: confirm with `sextant sync {} --cluster {}`, which asks for its name",
                    p.app.object.cluster, view.app, view.cluster
                )),
                GateVerdict::Allowed => None,
            });
            if let Some(why) = blocked {
                view.stage = Stage::Failed(why);
                return Vec::new();
            }
            let command = EngineCommand::Operator {
                id,
                app: view.app.clone(),
                cluster: view.cluster.clone(),
                action: p.action.clone(),
                typed: None,
                wait_secs: WAIT_SECS,
            };
            view.stage = Stage::Running {
                id,
                progress: Vec::new(),
            };
            return vec![Effect::Engine(command)];
        }
        _ => {}
    }
    Vec::new()
}

/// Clone (or open) the repository at `url` beside the others; once open, the engine
/// evaluates the apps whose source it is.
fn open_repo(state: &mut State, url: &str) -> Vec<Effect> {
    if let Some(i) = state.repos.iter().position(|r| r.spec == url) {
        state.notice = Some(format!("{url} is already open"));
        return vec![Effect::Engine(EngineCommand::OpenRepo {
            url: url.to_string(),
            path: state.repos[i].info.path.clone().into(),
        })];
    }
    state.repos.push(super::state_git::RepoView::new(url));
    state.notice = Some(format!("cloning {}…", crate::git::redact_url(url)));
    vec![Effect::OpenRepo {
        repo: state.repos.len() - 1,
        spec: url.to_string(),
    }]
}

/// A repository opened: if an operator's app names it, the engine evaluates that app too.
pub fn repo_opened(state: &State, repo: usize) -> Option<Effect> {
    let r = state.repos.get(repo)?;
    let named = state.cockpit.reports.values().any(|rep| {
        rep.0.operator.as_ref().is_some_and(|o| {
            crate::gitops::operators::repos::normalize_url(&o.origin.repo_url)
                == crate::gitops::operators::repos::normalize_url(&r.spec)
        })
    });
    named.then(|| {
        Effect::Engine(EngineCommand::OpenRepo {
            url: r.spec.clone(),
            path: r.info.path.clone().into(),
        })
    })
}

fn view_with(state: &mut State, id: u64) -> Option<&mut OperatorState> {
    state.views.iter_mut().rev().find_map(|v| match v {
        View::Cockpit(CockpitView::Operator(o)) => match &o.stage {
            Stage::Previewing { id: got } | Stage::Running { id: got, .. } if *got == id => Some(o),
            _ => None,
        },
        _ => None,
    })
}

/// The engine's preview arrived.
pub fn on_preview(state: &mut State, id: u64, result: Result<Arc<OperatorPreview>, String>) {
    if let Some(view) = view_with(state, id) {
        view.stage = match result {
            Ok(p) => Stage::Preview(p),
            Err(e) => Stage::Failed(e),
        };
    }
}

/// What the operator is doing.
pub fn on_progress(state: &mut State, id: u64, message: String) {
    if let Some(view) = view_with(state, id)
        && let Stage::Running { progress, .. } = &mut view.stage
    {
        progress.push(message);
    }
}

/// The action ended: shown in the view if open, and in the activity log either way.
pub fn on_done(state: &mut State, id: u64, result: Arc<OperatorResult>) {
    let line = format!(
        "{} {} on {}: {}",
        result.action.audit_name(result.source),
        result.app,
        result.cluster,
        result.message
    );
    let kind = if result.ok {
        super::cockpit::ActivityKind::Connected
    } else {
        super::cockpit::ActivityKind::Error
    };
    let now = state.now;
    state.cockpit.log(now, kind, line);
    if let Some(view) = view_with(state, id) {
        view.stage = Stage::Done(result);
    }
}
