//! Cluster Events for the app detail view. Whenever app detail is on top and the events of
//! its app are not loaded, or are older than the app's latest report, and none are being
//! fetched, [`wanted`] asks the engine for them (so every way of opening app detail, keys,
//! matrix or palette, gets them, and they follow the app live: a rollout that fails while you
//! look brings its events); `ctrl-r` there asks again.

use super::cockpit::{CockpitState, CockpitView};
use super::msg::Effect;
use super::state::{State, View};
use crate::gitops::engine::EngineCommand;
use crate::kube::events::ClusterEvent;

/// The events of one (app, cluster): the request in flight, then its answer.
#[derive(Debug, Clone, PartialEq)]
pub struct EventsState {
    pub id: u64,
    pub result: Option<Result<Vec<ClusterEvent>, String>>,
    /// A request is in flight.
    pub pending: bool,
    /// The app's sync, drift or health changed since they were asked for: ask again when shown.
    pub stale: bool,
}

/// The (app, cluster) whose app detail is on top.
fn shown(state: &State) -> Option<(String, String)> {
    match state.views.last() {
        Some(View::Cockpit(CockpitView::AppDetail { app, cluster, .. })) => {
            Some((app.clone(), cluster.clone()))
        }
        _ => None,
    }
}

/// The request for the shown app's events, unless they are being fetched, or loaded and the
/// app has not changed since.
pub fn wanted(state: &mut State) -> Option<Effect> {
    let key = shown(state)?;
    if let Some(e) = state.cockpit.events.get(&key)
        && (e.pending || !e.stale)
    {
        return None;
    }
    request(state, key)
}

/// The app's sync, drift or health changed: its events may have moved on too.
pub fn app_changed(c: &mut CockpitState, key: &(String, String)) {
    if let Some(e) = c.events.get_mut(key) {
        e.stale = true;
    }
}

/// Fetch the shown app's events again (`ctrl-r` in app detail).
pub fn refresh(state: &mut State) -> Option<Effect> {
    let key = shown(state)?;
    request(state, key)
}

fn request(state: &mut State, key: (String, String)) -> Option<Effect> {
    let report = state.cockpit.report(&key.0, &key.1)?;
    let context = report.context.clone();
    let keys = report.objects.iter().map(|o| o.key.clone()).collect();
    let id = state.request_id();
    // A new request replaces the old answer only when it arrives.
    let previous = state.cockpit.events.get(&key).and_then(|e| e.result.clone());
    state.cockpit.events.insert(
        key,
        EventsState {
            id,
            result: previous,
            pending: true,
            stale: false,
        },
    );
    Some(Effect::Engine(EngineCommand::Events { id, context, keys }))
}

/// The engine's answer.
pub fn on_events(c: &mut CockpitState, id: u64, result: Result<Vec<ClusterEvent>, String>) {
    if let Some(e) = c.events.values_mut().find(|e| e.id == id) {
        e.result = Some(result);
        e.pending = false;
    }
}
