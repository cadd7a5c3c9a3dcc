//! Revert and pull request from the cockpit. `r` on a commit plans its revert (a merge asks
//! which parent is the mainline first), shows the files it changes and, from the live
//! engine's preview of the revert commit on each cluster its apps run on, what it changes
//! there; `y` then creates the branch, pushes it and opens the pull request, each step's
//! result staying on screen (the branch, the pushed ref, the PR's URL, or the page to open it
//! by hand: `o` opens it). `P` does the push and pull request for the checked-out branch. A
//! rollback's "revert the app's commits since" is the same view.
//!
//! Plain data and key handling; the Git work runs in `engine_actions` through the gate.

use super::action::Action;
use super::cockpit::CockpitView;
use super::cockpit_preview::SharedPreview;
use super::msg::{Effect, RollbackRecord};
use super::nav;
use super::publish_data::{PrPreview, RevertPreview, StepDone};
use super::state::{State, View};
use crate::forge::{ClusterImpact, revert_pr_body};
use crate::git::RevertSpec;
use crate::gitops::actions::impact;
use crate::gitops::engine::{EngineCommand, PreviewReport};
use crate::ui::layout;
use std::collections::BTreeMap;
use std::sync::Arc;

/// What the view publishes.
#[derive(Debug, Clone, PartialEq)]
pub enum PublishKind {
    /// A revert (of one commit, or of everything since one).
    Revert(RevertSpec),
    /// The checked-out branch, as it is.
    PullRequest,
}

/// A rollback that led here: recorded in the audit log once the pull request step ends.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RollbackOrigin {
    pub app: String,
    pub cluster: String,
    pub revision: String,
}

/// Where the view is.
#[derive(Debug, Clone, PartialEq)]
pub enum Stage {
    /// A merge commit: which parent is the mainline (`git revert -m`)?
    AskMainline { parents: usize, selected: usize },
    /// Waiting for the plan.
    Planning,
    /// The plan (and its preview) is shown; `y` goes on.
    Review,
    /// A step runs: `branch`, `push` or `pull request`, with git's last progress line.
    Running {
        step: &'static str,
        progress: Option<String>,
    },
    /// Everything ran (or a step failed); the results stay.
    Done,
}

/// The revert / pull request view.
#[derive(Debug, Clone, PartialEq)]
pub struct PublishView {
    /// The id the worker's answers carry.
    pub req: u64,
    pub repo: usize,
    pub kind: PublishKind,
    /// The commit reverted, or the branch, for the title.
    pub label: String,
    pub stage: Stage,
    pub revert: Option<RevertPreview>,
    pub pr: Option<PrPreview>,
    /// Why nothing could be planned.
    pub error: Option<String>,
    /// Previews asked of the live engine: request id → cluster.
    pub asked: BTreeMap<u64, String>,
    pub answers: Vec<SharedPreview>,
    /// What the revert does on each cluster, once every preview answered.
    pub impacts: Option<Vec<ClusterImpact>>,
    /// Each step's result, in order.
    pub steps: Vec<Result<StepDone, String>>,
    /// Selected changed file.
    pub selected: usize,
    pub rollback: Option<RollbackOrigin>,
}

impl PublishView {
    fn new(req: u64, repo: usize, kind: PublishKind, label: String, stage: Stage) -> PublishView {
        PublishView {
            req,
            repo,
            kind,
            label,
            stage,
            revert: None,
            pr: None,
            error: None,
            asked: BTreeMap::new(),
            answers: Vec::new(),
            impacts: None,
            steps: Vec::new(),
            selected: 0,
            rollback: None,
        }
    }

    /// The page to open: the pull request's, or the one to open it by hand.
    pub fn link(&self) -> Option<&str> {
        self.steps.iter().rev().find_map(|s| match s {
            Ok(StepDone::PullRequest { url, .. }) => Some(url.as_str()),
            _ => None,
        })
    }

    /// The gate's refusal, said before anyone confirms.
    pub fn refused(&self) -> Option<&str> {
        match (&self.revert, &self.pr) {
            (Some(r), _) => r.refused.as_deref(),
            (_, Some(p)) => p.refused.as_deref(),
            _ => None,
        }
    }
}

/// `r` on commit `id` of `repo` (`parents`: how many it has).
pub fn start_revert(state: &mut State, repo: usize, id: &str, parents: usize) -> Vec<Effect> {
    let label = crate::git::short(id).to_string();
    if parents > 1 {
        let req = state.request_id();
        let spec = RevertSpec::commit(id);
        let stage = Stage::AskMainline { parents, selected: 0 };
        push_view(
            state,
            PublishView::new(req, repo, PublishKind::Revert(spec), label, stage),
        );
        return Vec::new();
    }
    plan(state, repo, RevertSpec::commit(id), label, None)
}

/// A rollback's pull request: revert the app's own commits since `origin.revision` (`revs`,
/// newest first: its history entries newer than that revision); other apps' commits stay.
pub fn start_app_since(
    state: &mut State,
    repo: usize,
    origin: RollbackOrigin,
    revs: Vec<String>,
) -> Vec<Effect> {
    let label = format!("{} since {}", origin.app, crate::git::short(&origin.revision));
    let spec = RevertSpec::app_since(&origin.app, &origin.revision, revs);
    plan(state, repo, spec, label, Some(origin))
}

/// `P`: the pull request of the checked-out branch of `repo`.
pub fn start_pr(state: &mut State, repo: usize) -> Vec<Effect> {
    let req = state.request_id();
    let label = state
        .repos
        .get(repo)
        .and_then(|r| r.info.branch.clone())
        .unwrap_or_else(|| "HEAD".into());
    push_view(
        state,
        PublishView::new(req, repo, PublishKind::PullRequest, label, Stage::Planning),
    );
    vec![Effect::PlanPr { req, repo }]
}

fn plan(
    state: &mut State,
    repo: usize,
    spec: RevertSpec,
    label: String,
    rollback: Option<RollbackOrigin>,
) -> Vec<Effect> {
    let req = state.request_id();
    let mut view = PublishView::new(
        req,
        repo,
        PublishKind::Revert(spec.clone()),
        label,
        Stage::Planning,
    );
    view.rollback = rollback;
    push_view(state, view);
    vec![Effect::PlanRevert { req, repo, spec }]
}

fn push_view(state: &mut State, view: PublishView) {
    state
        .views
        .push(View::Cockpit(CockpitView::Publish(Box::new(view))));
}

fn view_mut(state: &mut State, req: u64) -> Option<&mut PublishView> {
    state.views.iter_mut().find_map(|v| match v {
        View::Cockpit(CockpitView::Publish(p)) if p.req == req => Some(&mut **p),
        _ => None,
    })
}

fn top(state: &mut State) -> Option<&mut PublishView> {
    match state.views.last_mut() {
        Some(View::Cockpit(CockpitView::Publish(p))) => Some(p),
        _ => None,
    }
}

/// The revert is planned: show it and ask the live engine to preview its commit on each
/// cluster whose apps it changes.
pub fn on_revert_planned(
    state: &mut State,
    req: u64,
    result: Result<Box<RevertPreview>, String>,
) -> Vec<Effect> {
    let live = state.cockpit.is_active();
    let known: Vec<String> = state.cockpit.clusters.keys().cloned().collect();
    let Some(view) = view_mut(state, req) else {
        return Vec::new();
    };
    let preview = match result {
        Ok(p) => *p,
        Err(e) => {
            view.error = Some(e);
            view.stage = Stage::Done;
            return Vec::new();
        }
    };
    view.stage = Stage::Review;
    let clusters: Vec<String> = impact::clusters_to_preview(&preview.affected)
        .into_iter()
        .filter(|c| live && known.contains(c))
        .collect();
    let commit = preview.commit.clone();
    view.revert = Some(preview);
    if clusters.is_empty() {
        finish_impacts(view, live);
        return Vec::new();
    }
    let mut effects = Vec::new();
    for cluster in clusters {
        let id = state.request_id();
        if let Some(view) = view_mut(state, req) {
            view.asked.insert(id, cluster.clone());
        }
        effects.push(Effect::Engine(EngineCommand::Preview {
            id,
            revision: commit.clone(),
            cluster,
        }));
    }
    effects
}

/// Every preview is in (or none could be asked): the per-cluster rows.
fn finish_impacts(view: &mut PublishView, live: bool) {
    let Some(revert) = &view.revert else { return };
    let previews: Vec<&PreviewReport> = view.answers.iter().map(|a| a.0.as_ref()).collect();
    let mut rows = impact::impacts(&revert.affected, &previews);
    if !live {
        for row in rows
            .iter_mut()
            .filter(|r| r.note.is_none() && r.changes.is_empty())
        {
            row.note = Some("not previewed: the live engine is not running".into());
        }
    }
    view.impacts = Some(rows);
}

/// A preview answer from the live engine: `true` when a revert view asked for it.
pub fn on_preview(state: &mut State, report: &Arc<PreviewReport>) -> bool {
    for v in state.views.iter_mut() {
        let View::Cockpit(CockpitView::Publish(view)) = v else {
            continue;
        };
        if view.asked.contains_key(&report.id) {
            view.answers.push(SharedPreview(report.clone()));
            if view.answers.len() == view.asked.len() {
                finish_impacts(view, true);
            }
            return true;
        }
    }
    false
}

/// The pull request is planned.
pub fn on_pr_planned(state: &mut State, req: u64, result: Result<Box<PrPreview>, String>) {
    if let Some(view) = view_mut(state, req) {
        match result {
            Ok(p) => {
                view.pr = Some(*p);
                view.stage = Stage::Review;
            }
            Err(e) => {
                view.error = Some(e);
                view.stage = Stage::Done;
            }
        }
    }
}

/// Git's progress while pushing.
pub fn on_progress(state: &mut State, req: u64, line: String) {
    if let Some(PublishView {
        stage: Stage::Running { progress, .. },
        ..
    }) = view_mut(state, req)
    {
        *progress = Some(line);
    }
}

/// A step ended: show it and start the next one.
pub fn on_step(state: &mut State, req: u64, result: Result<StepDone, String>) -> Vec<Effect> {
    let Some(view) = view_mut(state, req) else {
        return Vec::new();
    };
    let ok = result.clone().ok();
    view.steps.push(result);
    let next = match ok {
        Some(StepDone::Branch { branch, .. }) => match view.revert.as_ref().map(|r| &r.remote) {
            Some(Ok(remote)) => Some(("push", push(view, branch, remote.name.clone()))),
            Some(Err(e)) => {
                view.steps.push(Err(format!("not pushed: {e}")));
                None
            }
            None => None,
        },
        Some(StepDone::Pushed { remote, .. }) => open_pr(view, remote),
        _ => None,
    };
    match next {
        Some((step, effect)) => {
            view.stage = Stage::Running { step, progress: None };
            vec![effect]
        }
        None => {
            view.stage = Stage::Done;
            record(view).into_iter().collect()
        }
    }
}

fn push(view: &PublishView, branch: String, remote: String) -> Effect {
    Effect::Push {
        req: view.req,
        repo: view.repo,
        branch,
        remote,
    }
}

/// The pull request step, with the revert's body written from the per-cluster preview.
fn open_pr(view: &mut PublishView, remote: String) -> Option<(&'static str, Effect)> {
    let target = match (&view.revert, &view.pr) {
        (Some(r), _) => r.pr.clone(),
        (_, Some(p)) => Ok(p.target.clone()),
        _ => return None,
    };
    let mut target = match target {
        Ok(t) => t,
        Err(e) => {
            view.steps.push(Err(e));
            return None;
        }
    };
    if let Some(r) = &view.revert {
        target.pr.body = revert_pr_body(view.impacts.as_deref().unwrap_or_default(), &r.plan.reverted);
    }
    let effect = Effect::OpenPr {
        req: view.req,
        repo: view.repo,
        remote,
        pr: target.pr,
    };
    Some(("pull request", effect))
}

/// A rollback's audit entry once its pull request step ended.
fn record(view: &PublishView) -> Option<Effect> {
    let origin = view.rollback.as_ref()?;
    let mut details = Vec::new();
    let mut failure = None;
    for step in &view.steps {
        match step {
            Ok(StepDone::Branch { branch, .. }) => details.push(("branch".to_string(), branch.clone())),
            Ok(StepDone::PullRequest { url, .. }) => details.push(("pull request".to_string(), url.clone())),
            Ok(_) => {}
            Err(e) => failure = Some(e.clone()),
        }
    }
    let (outcome, summary) = match failure {
        Some(e) => ("failed", e),
        None => (
            "finished",
            format!(
                "revert of the commits of {} since {} proposed",
                origin.app,
                crate::git::short(&origin.revision)
            ),
        ),
    };
    Some(Effect::RecordRollback {
        repo: view.repo,
        record: RollbackRecord {
            app: origin.app.clone(),
            cluster: origin.cluster.clone(),
            revision: origin.revision.clone(),
            sync: false,
            outcome: outcome.into(),
            summary,
            details,
        },
    })
}

/// Keys of the view. `None` when the top view is not one.
pub fn on_action(state: &mut State, action: Action) -> Option<Vec<Effect>> {
    let page = layout::view_rows(state.size);
    let view = top(state)?;
    match &mut view.stage {
        Stage::AskMainline { parents, selected } => {
            if let Some(pos) = nav::step(*selected, *parents, action, page) {
                *selected = pos;
                return Some(Vec::new());
            }
            match action {
                Action::Open | Action::Confirm => {
                    let mainline = *selected + 1;
                    let PublishKind::Revert(RevertSpec::Commit { rev, .. }) = &view.kind else {
                        return Some(Vec::new());
                    };
                    let spec = RevertSpec::merge(rev.clone(), mainline);
                    let (req, repo) = (view.req, view.repo);
                    view.kind = PublishKind::Revert(spec.clone());
                    view.stage = Stage::Planning;
                    Some(vec![Effect::PlanRevert { req, repo, spec }])
                }
                Action::Back => close(state),
                _ => Some(Vec::new()),
            }
        }
        Stage::Review => {
            let files = view.revert.as_ref().map_or(0, |r| r.plan.files.len());
            if let Some(pos) = nav::step(view.selected, files, action, page) {
                view.selected = pos;
                return Some(Vec::new());
            }
            match action {
                Action::Confirm => Some(confirm(state)),
                Action::Open => Some(open_file(state)),
                Action::Back => close(state),
                _ => Some(Vec::new()),
            }
        }
        Stage::Planning => match action {
            Action::Back => close(state),
            _ => Some(Vec::new()),
        },
        Stage::Running { .. } => {
            if action == Action::Back {
                state.notice = Some("a step is running: it ends on its own, and its result is shown".into());
            }
            Some(Vec::new())
        }
        Stage::Done => match action {
            Action::OpenLink => Some(
                view.link()
                    .map(|u| Effect::OpenUrl(u.to_string()))
                    .into_iter()
                    .collect(),
            ),
            Action::Back | Action::Open => close(state),
            _ => Some(Vec::new()),
        },
    }
}

fn close(state: &mut State) -> Option<Vec<Effect>> {
    state.views.pop();
    Some(Vec::new())
}

/// `y` on the review: run the first step (the gate in the worker decides and records).
fn confirm(state: &mut State) -> Vec<Effect> {
    let Some(view) = top(state) else {
        return Vec::new();
    };
    if view.revert.is_some() && view.impacts.is_none() {
        state.notice = Some("still previewing the revert on the clusters; a moment".into());
        return Vec::new();
    }
    let (req, repo) = (view.req, view.repo);
    let effect = match (&view.revert, &view.pr) {
        (Some(r), _) => Effect::CreateRevert {
            req,
            repo,
            plan: r.plan.clone(),
        },
        (_, Some(p)) => Effect::Push {
            req,
            repo,
            branch: p.branch.clone(),
            remote: p.remote.name.clone(),
        },
        _ => return Vec::new(),
    };
    let step = if view.revert.is_some() { "branch" } else { "push" };
    view.stage = Stage::Running { step, progress: None };
    vec![effect]
}

/// Enter on a changed file: its diff (the revert commit's objects are on disk since planning).
fn open_file(state: &mut State) -> Vec<Effect> {
    let Some(view) = top(state) else {
        return Vec::new();
    };
    let Some(file) = view
        .revert
        .as_ref()
        .and_then(|r| r.plan.files.get(view.selected))
        .cloned()
    else {
        return Vec::new();
    };
    let repo = view.repo;
    let title = format!("revert {} {}", view.label, file.path);
    let req = state.request_id();
    let file = super::engine::file_change(file);
    state.views.push(View::Diff(
        super::state_diff::DiffState::loading(title, file.path.clone()),
        req,
    ));
    vec![Effect::LoadDiff { req, repo, file }]
}
