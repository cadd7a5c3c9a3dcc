//! The `/` filters of the cockpit lists (Clusters, Apps, Activity, the drift matrix's app
//! rows, app detail's objects, a preview's apps and objects): which rows each lets through,
//! which filter `/` and Esc act on, where typed keys go, and keeping every selection on a
//! row that is shown. Each list uses the one [`ListFilter`].

use super::cockpit::{ActivityEntry, CockpitState, CockpitView};
use super::list_filter::{ListFilter, keep_on_visible};
use super::state::{Pane, State, View};
use crate::gitops::engine::AppReport;
use ratatui::crossterm::event::KeyEvent;

/// One filter per cockpit list.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct CockpitFilters {
    /// Clusters pane: name or context.
    pub clusters: ListFilter,
    /// Apps table: app or cluster.
    pub apps: ListFilter,
    /// Activity pane: the entry's text.
    pub activity: ListFilter,
    /// Drift matrix: app rows.
    pub matrix: ListFilter,
    /// App detail: objects by kind, namespace, name, sync status or health.
    pub objects: ListFilter,
    /// A preview: apps by name, objects by kind, namespace, name or outcome.
    pub preview: ListFilter,
}

impl CockpitFilters {
    fn all_mut(&mut self) -> [&mut ListFilter; 6] {
        [
            &mut self.clusters,
            &mut self.apps,
            &mut self.activity,
            &mut self.matrix,
            &mut self.objects,
            &mut self.preview,
        ]
    }

    /// Whether keys go to one of the filters.
    pub fn is_typing(&self) -> bool {
        [
            &self.clusters,
            &self.apps,
            &self.activity,
            &self.matrix,
            &self.objects,
            &self.preview,
        ]
        .iter()
        .any(|f| f.typing)
    }

    fn typing_mut(&mut self) -> Option<&mut ListFilter> {
        self.all_mut().into_iter().find(|f| f.typing)
    }
}

impl CockpitState {
    /// Indices (in name order) of the clusters the Clusters pane shows.
    pub fn cluster_rows(&self) -> Vec<usize> {
        let f = &self.filters.clusters;
        self.clusters
            .values()
            .enumerate()
            .filter(|(_, c)| f.matches([c.name.as_str(), c.context.as_str()]))
            .map(|(i, _)| i)
            .collect()
    }

    /// The activity entries shown, oldest first.
    pub fn activity_rows(&self) -> impl DoubleEndedIterator<Item = &ActivityEntry> {
        let f = &self.filters.activity;
        self.activity
            .iter()
            .filter(move |e| f.matches([e.words().as_str()]))
    }

    /// Indices into `apps` (the matrix's app axis) of the rows the matrix shows.
    pub fn matrix_rows(&self, apps: &[String]) -> Vec<usize> {
        let f = &self.filters.matrix;
        (0..apps.len())
            .filter(|&i| f.matches([apps[i].as_str()]))
            .collect()
    }
}

/// Indices of the objects of `report` that app detail shows.
pub fn object_rows(filter: &ListFilter, report: &AppReport) -> Vec<usize> {
    let rows = report.objects.iter().enumerate();
    let mut shown: Vec<usize> = rows
        .filter(|(_, o)| {
            let k = &o.key;
            filter.matches([
                k.kind.as_str(),
                k.namespace.as_str(),
                k.name.as_str(),
                o.status.as_str(),
                o.health.as_str(),
            ])
        })
        .map(|(i, _)| i)
        .collect();
    // As a resource tree: cluster-scoped objects first, then each namespace, and within it
    // in the order a sync applies kinds.
    // Borrowed keys: this runs every frame, on apps of thousands of objects.
    let tree_key = |i: usize| {
        let k = &report.objects[i].key;
        (
            k.namespace.as_str(),
            kind_rank(&k.kind),
            k.kind.as_str(),
            k.name.as_str(),
        )
    };
    shown.sort_by(|&a, &b| tree_key(a).cmp(&tree_key(b)));
    shown
}

/// Where a kind sits in the resource tree: what others depend on first (as a sync applies).
fn kind_rank(kind: &str) -> u8 {
    match kind {
        "Namespace" => 0,
        "CustomResourceDefinition" => 1,
        "ServiceAccount" | "Role" | "ClusterRole" | "RoleBinding" | "ClusterRoleBinding" => 2,
        "ConfigMap" | "Secret" => 3,
        "PersistentVolumeClaim" | "PersistentVolume" | "StorageClass" => 4,
        "Service" => 5,
        "Deployment" | "StatefulSet" | "DaemonSet" | "ReplicaSet" | "Pod" => 6,
        "Job" | "CronJob" => 7,
        "Ingress" | "NetworkPolicy" => 8,
        "HorizontalPodAutoscaler" | "PodDisruptionBudget" => 9,
        _ => 10,
    }
}

/// The filter of the list in front: the top cockpit view's, else the focused cockpit pane's.
/// `None` where `/` means something else (the Git panes, the diff).
pub fn in_front(state: &mut State) -> Option<&mut ListFilter> {
    let active = state.cockpit.is_active();
    let f = &mut state.cockpit.filters;
    match state.views.last() {
        Some(View::Cockpit(CockpitView::Matrix { .. })) => Some(&mut f.matrix),
        Some(View::Cockpit(CockpitView::AppDetail { .. })) => Some(&mut f.objects),
        Some(View::Cockpit(CockpitView::Preview(_))) => Some(&mut f.preview),
        Some(_) => None,
        None if !active => None,
        None => match state.focus {
            Pane::Clusters => Some(&mut f.clusters),
            Pane::Apps => Some(&mut f.apps),
            Pane::Activity => Some(&mut f.activity),
            Pane::Repos | Pane::Commits => None,
        },
    }
}

/// A key while a filter is typed into; then every selection is kept on a shown row.
pub fn on_filter_key(state: &mut State, key: KeyEvent) {
    if let Some(f) = state.cockpit.filters.typing_mut() {
        f.on_key(key);
    }
    settle(state);
}

/// Pasted text into the filter being typed; false when none is.
pub fn on_paste(state: &mut State, text: &str) -> bool {
    let Some(f) = state.cockpit.filters.typing_mut() else {
        return false;
    };
    f.paste(text);
    settle(state);
    true
}

/// Keep every cockpit selection on a row its filter shows.
pub fn settle(state: &mut State) {
    let c = &mut state.cockpit;
    c.cluster_selected = keep_on_visible(c.cluster_selected, &c.cluster_rows());
    let rows = c.app_rows();
    if !rows.is_empty() {
        c.app_selected = rows.get(c.app_index()).map(|k| (*k).clone());
    }
    let (apps, _) = c.matrix_axes();
    let matrix_rows = c.matrix_rows(&apps);
    for view in &mut state.views {
        match view {
            View::Cockpit(CockpitView::Matrix { row, .. }) => *row = keep_on_visible(*row, &matrix_rows),
            View::Cockpit(CockpitView::AppDetail {
                app,
                cluster,
                selected,
            }) => {
                if let Some(report) = c.report(app, cluster) {
                    *selected = keep_on_visible(*selected, &object_rows(&c.filters.objects, report));
                }
            }
            View::Cockpit(CockpitView::Preview(p)) => {
                let shown = p.rows(&c.filters.preview).len();
                p.selected = p.selected.min(shown.saturating_sub(1));
            }
            _ => {}
        }
    }
}
