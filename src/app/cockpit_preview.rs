//! "What would this revision do?": pick a commit and a cluster, ask the engine for the drift
//! that syncing that revision would produce, and browse the answer: every app the revision
//! targets at the cluster, then the objects that would change. Enter opens their drift diff.
//! It answers "what will this rollback change?" without touching the cluster.
//!
//! Plain data and key handling; the engine answers [`EngineCommand::Preview`] with
//! `EngineEvent::Preview`, folded in by [`on_preview`].

use super::action::Action;
use super::change_text::{ChangeText, readable_path, short_change};
use super::cockpit::CockpitView;
use super::cockpit_diff::DriftDiffState;
use super::list_filter::ListFilter;
use super::msg::Effect;
use super::nav;
use super::state::{State, View};
use crate::gitops::engine::{AppReport, EngineCommand, ObjectReport, PreviewReport, SyncStatus};
use crate::ui::layout;
use std::sync::Arc;

/// A preview answer, compared by identity (the engine sends a fresh one per request).
#[derive(Debug, Clone)]
pub struct SharedPreview(pub Arc<PreviewReport>);

impl PartialEq for SharedPreview {
    fn eq(&self, other: &Self) -> bool {
        Arc::ptr_eq(&self.0, &other.0)
    }
}

/// The preview view: what was asked, and the answer once it arrives.
#[derive(Debug, Clone, PartialEq)]
pub struct PreviewState {
    /// The request id; answers to older requests are dropped.
    pub id: u64,
    /// The revision asked for (a commit id, or any revspec typed in the palette).
    pub revision: String,
    /// The commit's first line, when it was picked from the log.
    pub summary: String,
    pub cluster: String,
    pub answer: Option<SharedPreview>,
    /// Selected row of [`PreviewState::rows`].
    pub selected: usize,
}

/// One row of the preview list.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PreviewRow {
    /// An app (index into the answer's apps).
    App(usize),
    /// An object of an app that would change: (app, object) indices.
    Object(usize, usize),
}

/// What the whole sync would do, counted over every app.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Totals {
    /// Objects that would be changed in place.
    pub update: usize,
    /// Objects that would be created (in Git at the revision, not live).
    pub create: usize,
    /// Objects that are prune candidates (tracked as the app's, not in the revision).
    pub prune: usize,
    /// Objects whose outcome cannot be told.
    pub unknown: usize,
    /// Apps that would not change at all.
    pub unchanged_apps: usize,
}

impl Totals {
    pub fn changes(&self) -> usize {
        self.update + self.create + self.prune
    }
}

impl PreviewState {
    pub fn report(&self) -> Option<&PreviewReport> {
        self.answer.as_ref().map(|a| a.0.as_ref())
    }

    /// Each app, followed by its objects that are not Synced; with a `/` filter, the objects
    /// it matches (by kind, namespace, name or outcome) under their app, and every object of
    /// an app whose name it matches.
    pub fn rows(&self, filter: &ListFilter) -> Vec<PreviewRow> {
        let Some(report) = self.report() else {
            return Vec::new();
        };
        let mut rows = Vec::new();
        for (a, app) in report.apps.iter().enumerate() {
            let whole = filter.matches([app.app.as_str()]);
            let objects: Vec<PreviewRow> = app
                .objects
                .iter()
                .enumerate()
                .filter(|(_, obj)| obj.status != SyncStatus::Synced)
                .filter(|(_, obj)| {
                    let k = &obj.key;
                    whole
                        || filter.matches([
                            k.kind.as_str(),
                            k.namespace.as_str(),
                            k.name.as_str(),
                            obj.status.as_str(),
                        ])
                })
                .map(|(o, _)| PreviewRow::Object(a, o))
                .collect();
            if whole || !objects.is_empty() {
                rows.push(PreviewRow::App(a));
                rows.extend(objects);
            }
        }
        rows
    }

    pub fn totals(&self) -> Totals {
        let mut t = Totals::default();
        for app in self.report().map(|r| r.apps.as_slice()).unwrap_or_default() {
            let c = &app.counts;
            t.update += c.out_of_sync;
            t.create += c.missing;
            t.prune += c.extra;
            t.unknown += c.unknown;
            if c.drifted() == 0 && c.unknown == 0 {
                t.unchanged_apps += 1;
            }
        }
        t
    }

    fn app(&self, idx: usize) -> Option<&AppReport> {
        self.report().and_then(|r| r.apps.get(idx)).map(AsRef::as_ref)
    }
}

/// Preview `revision` on `cluster`, or on the cluster the Apps table shows, or on the only
/// cluster; with several clusters and none chosen, ask which first.
pub fn start(state: &mut State, revision: String, summary: String, cluster: Option<String>) -> Vec<Effect> {
    if !state.cockpit.is_active() {
        state.notice = Some(
            "previews need the live engine: start Sextant in a repo with sextant.yaml and a kubeconfig"
                .into(),
        );
        return Vec::new();
    }
    let clusters: Vec<&String> = state.cockpit.clusters.keys().collect();
    let chosen = cluster
        .or_else(|| state.cockpit.cluster_filter.clone())
        .or_else(|| (clusters.len() == 1).then(|| clusters[0].clone()));
    match chosen {
        Some(cluster) => request(state, revision, summary, cluster),
        None => {
            state.views.push(View::Cockpit(CockpitView::PickCluster {
                revision,
                summary,
                selected: 0,
            }));
            Vec::new()
        }
    }
}

/// Preview the commit selected in the Commits pane (on `cluster`, or ask).
pub fn start_selected(state: &mut State, cluster: Option<String>) -> Vec<Effect> {
    let Some(commit) = state.current_repo().and_then(|r| r.commits.selected_row()) else {
        state.notice = Some("select a commit to preview first".into());
        return Vec::new();
    };
    let (id, summary) = (commit.id.clone(), commit.summary.clone());
    start(state, id, summary, cluster)
}

/// Open the preview view and ask the engine.
fn request(state: &mut State, revision: String, summary: String, cluster: String) -> Vec<Effect> {
    if !state.cockpit.clusters.contains_key(&cluster) {
        let known: Vec<&str> = state.cockpit.clusters.keys().map(String::as_str).collect();
        state.notice = Some(format!("no cluster {cluster}; known: {}", known.join(", ")));
        return Vec::new();
    }
    let id = state.request_id();
    state.cockpit.filters.preview = Default::default();
    let command = EngineCommand::Preview {
        id,
        revision: revision.clone(),
        cluster: cluster.clone(),
    };
    state.views.push(View::Cockpit(CockpitView::Preview(PreviewState {
        id,
        revision,
        summary,
        cluster,
        answer: None,
        selected: 0,
    })));
    vec![Effect::Engine(command)]
}

/// An answer from the engine: it lands in the view that asked, if still open.
pub fn on_preview(state: &mut State, report: Arc<PreviewReport>) {
    for view in state.views.iter_mut() {
        let p = match view {
            View::Cockpit(CockpitView::Preview(p)) => p,
            View::Cockpit(CockpitView::Sync(s)) => &mut s.preview,
            _ => continue,
        };
        if p.id == report.id {
            p.answer = Some(SharedPreview(report));
            // Start on the first object that would change.
            let rows = p.rows(&state.cockpit.filters.preview);
            p.selected = rows
                .iter()
                .position(|r| matches!(r, PreviewRow::Object(..)))
                .unwrap_or(0);
            return;
        }
    }
}

/// Keys of the cluster picker and the preview view. `None` when the top view is neither.
pub fn on_action(state: &mut State, action: Action) -> Option<Vec<Effect>> {
    let page = layout::view_rows(state.size);
    let clusters: Vec<String> = state.cockpit.clusters.keys().cloned().collect();
    match state.views.last_mut() {
        Some(View::Cockpit(CockpitView::PickCluster {
            revision,
            summary,
            selected,
        })) => {
            if let Some(p) = nav::step(*selected, clusters.len(), action, page) {
                *selected = p;
                return Some(Vec::new());
            }
            match action {
                Action::Back => {
                    state.views.pop();
                    Some(Vec::new())
                }
                Action::Open => {
                    let (revision, summary) = (revision.clone(), summary.clone());
                    let cluster = clusters.get(*selected).cloned()?;
                    state.views.pop();
                    Some(request(state, revision, summary, cluster))
                }
                _ => Some(Vec::new()),
            }
        }
        Some(View::Cockpit(CockpitView::Preview(p))) => {
            let rows = p.rows(&state.cockpit.filters.preview);
            if let Some(pos) = nav::step(p.selected, rows.len(), action, page) {
                p.selected = pos;
                return Some(Vec::new());
            }
            match action {
                Action::Back => {
                    state.views.pop();
                    Some(Vec::new())
                }
                // Ask again: the cluster may have changed since.
                Action::Refresh => {
                    let (revision, summary, cluster) =
                        (p.revision.clone(), p.summary.clone(), p.cluster.clone());
                    state.views.pop();
                    Some(request(state, revision, summary, cluster))
                }
                Action::Open | Action::Compare => {
                    let whole = action == Action::Compare;
                    if let Some(diff) = rows
                        .get(p.selected)
                        .and_then(|row| diff_for(p, *row, whole, page))
                    {
                        state.views.push(View::Cockpit(CockpitView::DriftDiff(diff)));
                    }
                    Some(Vec::new())
                }
                _ => Some(Vec::new()),
            }
        }
        _ => None,
    }
}

/// The drift diff of one object, or of every object of its app that would change.
pub(super) fn diff_for(
    p: &PreviewState,
    row: PreviewRow,
    whole: bool,
    page: usize,
) -> Option<DriftDiffState> {
    let (a, only) = match row {
        PreviewRow::App(a) => (a, None),
        PreviewRow::Object(a, o) => (a, (!whole).then_some(o)),
    };
    let app = p.app(a)?;
    let objects: Vec<&ObjectReport> = match only {
        Some(o) => app.objects.get(o).map(AsRef::as_ref).into_iter().collect(),
        None => app
            .objects
            .iter()
            .map(AsRef::as_ref)
            .filter(|o| o.status != SyncStatus::Synced)
            .collect(),
    };
    if objects.is_empty() {
        return None;
    }
    let title = format!(
        "{} on {} · live → {} (preview, nothing applied)",
        app.app, p.cluster, app.revision
    );
    let mut diff = DriftDiffState::build(title, &objects);
    diff.diff.show_first_change(page);
    Some(diff)
}

/// What syncing would do to one object, in a few words: `spec.replicas 5 → 3 (+2 more)`,
/// `would be created`, `prune candidate` (a path, then the rest, for the view to shorten).
pub fn object_outcome(o: &ObjectReport) -> ChangeText {
    let words = ChangeText::words;
    match o.status {
        SyncStatus::Missing => words("would be created".into()),
        SyncStatus::Extra => {
            words("prune candidate: not in this revision (pruned only if you confirm)".into())
        }
        SyncStatus::Unknown => words(o.reason.clone().unwrap_or_else(|| "cannot tell".into())),
        SyncStatus::Synced => words("unchanged".into()),
        SyncStatus::OutOfSync => {
            let changes = o
                .comparison
                .as_ref()
                .map(|c| c.changes.as_slice())
                .unwrap_or_default();
            let Some(first) = changes.first() else {
                return words(o.reason.clone().unwrap_or_else(|| "would change".into()));
            };
            let values = match (&first.live, &first.desired) {
                (Some(l), Some(d)) => {
                    let (l, d) = short_change(l, d);
                    format!(" {l} → {d}")
                }
                (None, Some(_)) => " (added)".into(),
                (Some(_), None) => " (removed)".into(),
                (None, None) => String::new(),
            };
            let more = match changes.len() {
                1 => String::new(),
                n => format!(" (+{} more)", n - 1),
            };
            let (scope, path) = readable_path(first.path.trim_start_matches('.'));
            ChangeText {
                scope,
                path,
                what: values,
                when: more,
            }
        }
    }
}
