//! The engine as the TUI uses it: a stream of events. Watch events update reports without
//! polling, a dead cluster never holds up a live one, and a refresh re-renders a revision.

mod engine_env;

use engine_env::{Env, SETTINGS_CM, have_kubectl};
use k8s_openapi::api::core::v1::ConfigMap;
use kube::api::{Api, DeleteParams, Patch, PatchParams};
use sextant::gitops::engine::{self, AppReport, EngineCommand, EngineEvent, SyncStatus};
use sextant::kube::cluster::ClusterState;
use std::sync::Arc;
use std::time::Duration;

async fn report_where(
    engine: &mut engine::Engine,
    what: &str,
    pred: impl Fn(&AppReport) -> bool,
) -> Arc<AppReport> {
    event_where(engine, what, |ev| match ev {
        EngineEvent::AppReport(r) if pred(&r) => Some(r),
        _ => None,
    })
    .await
}

/// The next `ClusterState` of `cluster` matching `pred`.
async fn state_where(
    engine: &mut engine::Engine,
    cluster: &str,
    what: &str,
    pred: impl Fn(&ClusterState) -> bool,
) -> ClusterState {
    event_where(engine, what, |ev| match ev {
        EngineEvent::ClusterState {
            cluster: c, state, ..
        } if c == cluster && pred(&state) => Some(state),
        _ => None,
    })
    .await
}

/// The first engine event `pick` takes, within 60 s; the rest are skipped (a `Fatal` one
/// fails the test unless `pick` takes it).
async fn event_where<T>(
    engine: &mut engine::Engine,
    what: &str,
    mut pick: impl FnMut(EngineEvent) -> Option<T>,
) -> T {
    let deadline = tokio::time::Instant::now() + Duration::from_secs(60);
    loop {
        match tokio::time::timeout_at(deadline, engine.events.recv()).await {
            Ok(Some(ev)) => {
                let fatal = match &ev {
                    EngineEvent::Fatal(e) => Some(e.clone()),
                    _ => None,
                };
                if let Some(found) = pick(ev) {
                    return found;
                }
                if let Some(e) = fatal {
                    panic!("engine failed: {e}");
                }
            }
            Ok(None) => panic!("engine stopped while waiting for {what}"),
            Err(_) => panic!("nothing {what} within 60s"),
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn watch_events_update_reports_and_dead_clusters_do_not_block() {
    if !have_kubectl() {
        println!("SKIP: kubectl not found");
        return;
    }
    let env = Env::start(&["c1"]).await;
    engine_env::add_dead_context(&env);
    env.deploy_settings("[c1, dead]", "c1").await;

    let mut engine = engine::start(env.engine_config(false));
    let mut dead_state = None;
    let mut live_report = None;
    let deadline = tokio::time::Instant::now() + Duration::from_secs(30);
    while dead_state.is_none() || live_report.is_none() {
        match tokio::time::timeout_at(deadline, engine.events.recv()).await {
            Ok(Some(EngineEvent::ClusterState { context, state, .. }))
                if context == "dead" && state.is_down() =>
            {
                dead_state = Some(state)
            }
            Ok(Some(EngineEvent::AppReport(r))) if r.cluster == "c1" => live_report = Some(r),
            Ok(Some(_)) => {}
            other => panic!("events stopped early: {other:?}"),
        }
    }
    assert!(matches!(dead_state, Some(ClusterState::Unreachable(_))));
    let first = live_report.expect("report");
    assert_eq!(first.sync, SyncStatus::Synced, "{first:?}");

    // An out-of-band edit reaches the engine through its watch, with the manager named.
    let client = engine_env::client(&env, "c1").await;
    let api: Api<ConfigMap> = Api::namespaced(client, "team");
    let patch = serde_json::json!({"data": {"mode": "slow"}});
    let params = PatchParams {
        field_manager: Some("hotfix".into()),
        ..Default::default()
    };
    api.patch("settings", &params, &Patch::Merge(&patch))
        .await
        .expect("patch");
    let r = report_where(&mut engine, "OutOfSync on c1", |r| {
        r.cluster == "c1" && r.sync == SyncStatus::OutOfSync
    })
    .await;
    let change = &r.objects[0].comparison.as_ref().expect("comparison").changes[0];
    assert_eq!(change.path, ".data.mode");
    assert_eq!(change.manager.as_deref(), Some("hotfix"));

    // Deleted: Missing.
    api.delete("settings", &DeleteParams::default())
        .await
        .expect("delete");
    let r = report_where(&mut engine, "Missing", |r| {
        r.cluster == "c1" && r.counts.missing == 1
    })
    .await;
    assert_eq!(r.objects[0].status, SyncStatus::Missing);

    // A new commit, then a refresh: the engine re-renders and reports the new revision.
    env.write("apps/settings/cm.yaml", &SETTINGS_CM.replace("fast", "faster"));
    env.commit("faster");
    engine
        .commands
        .send(EngineCommand::Refresh { revision: None })
        .await
        .expect("command");
    let before = first.revision.clone();
    let r = report_where(&mut engine, "at the new revision", |r| {
        r.cluster == "c1" && r.revision != before
    })
    .await;
    assert_eq!(r.counts.missing, 1, "{r:?}");
}

/// The drift `edit_settings` makes: the settings ConfigMap's `data.mode`.
fn mode_change(r: &AppReport) -> Option<sextant::gitops::engine::compare::FieldChange> {
    r.objects
        .iter()
        .flat_map(|o| o.comparison.iter().flat_map(|c| c.changes.iter()))
        .find(|c| c.path.contains("mode"))
        .cloned()
}

/// A sandbox with one cluster `c1` running the settings app, and an engine that has
/// reported it Synced.
async fn synced_on_c1() -> (Env, engine::Engine) {
    let env = Env::start(&["c1"]).await;
    env.deploy_settings("[c1]", "c1").await;
    let mut engine = engine::start(env.engine_config(false));
    report_where(&mut engine, "Synced", |r| r.sync == SyncStatus::Synced).await;
    (env, engine)
}

/// A cluster that drops out mid-stream is reported unreachable; when it comes back the
/// engine reconnects by itself (no restart, no key) and its watches stream again.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_cluster_that_drops_out_is_reported_and_reconnects_by_itself() {
    if !have_kubectl() {
        println!("SKIP: kubectl not found");
        return;
    }
    let (env, mut engine) = synced_on_c1().await;

    assert!(env.sandbox.set_outage("c1", true));
    let down = state_where(&mut engine, "c1", "unreachable", ClusterState::is_down).await;
    assert!(matches!(down, ClusterState::Unreachable(_)), "{down:?}");

    assert!(env.sandbox.set_outage("c1", false));
    state_where(&mut engine, "c1", "ready again", |s| *s == ClusterState::Ready).await;
    // The watches are back: a change made now reaches a report.
    env.edit_settings("c1").await;
    let r = report_where(&mut engine, "OutOfSync after the outage", |r| {
        r.sync == SyncStatus::OutOfSync
    })
    .await;
    let change = mode_change(&r).expect("the edit is the drift");
    assert_eq!(change.manager.as_deref(), Some("kubectl-patch"));
    assert!(
        change.seen.is_some(),
        "a change made while the engine watches is stamped with when it was seen: {change:?}"
    );
}

/// A `sextant.yaml` that cannot be read is reported with its line, and the engine keeps
/// following the branch: the commit that fixes it brings the apps live without a restart.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_broken_apps_file_is_reported_and_a_fixing_commit_brings_the_apps_back() {
    if !have_kubectl() {
        println!("SKIP: kubectl not found");
        return;
    }
    let env = Env::start(&["c1"]).await;
    env.deploy_settings("[c1]", "c1").await;
    env.write(
        "sextant.yaml",
        "apps:\n  - name: settings\n    pth: apps/settings\n    clusters: [c1]\n",
    );
    env.commit("typo");
    let mut engine = engine::start(env.engine_config(true));
    let problem = event_where(&mut engine, "about the broken file", |ev| match ev {
        EngineEvent::Fatal(message) => Some(message),
        _ => None,
    })
    .await;
    assert!(problem.contains("line 3") && problem.contains("pth"), "{problem}");

    env.write(
        "sextant.yaml",
        "apps:\n  - name: settings\n    path: apps/settings\n    namespace: team\n    clusters: [c1]\n",
    );
    env.commit("fix the typo");
    let r = report_where(&mut engine, "after the fix", |r| r.app == "settings").await;
    assert_eq!(r.sync, SyncStatus::Synced, "{r:?}");
}

/// A watch that expires (410 Gone after a compaction, routine on a real cluster) is listed
/// again quietly: the cluster is never reported down, and changes keep streaming.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_expired_watch_lists_again_without_reporting_the_cluster_down() {
    if !have_kubectl() {
        println!("SKIP: kubectl not found");
        return;
    }
    let (env, mut engine) = synced_on_c1().await;

    // Compact once the engine's watch is open, so that the watch is the one that expires.
    let deadline = tokio::time::Instant::now() + Duration::from_secs(30);
    while env.sandbox.open_watches("c1") == Some(0) {
        assert!(
            tokio::time::Instant::now() < deadline,
            "the engine never opened a watch"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    assert!(env.sandbox.compact("c1"));
    env.edit_settings("c1").await;
    let mut states = Vec::new();
    event_where(&mut engine, "OutOfSync after the compaction", |ev| match ev {
        EngineEvent::ClusterState { state, .. } => {
            states.push(state);
            None
        }
        EngineEvent::AppReport(r) if r.sync == SyncStatus::OutOfSync => Some(r),
        _ => None,
    })
    .await;
    assert!(
        states.iter().all(|s| !s.is_down()),
        "an expired watch is not an outage: {states:?}"
    );
}

/// When a change was first seen survives a new commit: the re-render evaluates every object
/// again, and a change it already knew keeps its time (one it finds only now gets none).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn when_a_change_was_seen_survives_a_new_commit() {
    if !have_kubectl() {
        println!("SKIP: kubectl not found");
        return;
    }
    let (env, mut engine) = synced_on_c1().await;
    env.edit_settings("c1").await;
    let r = report_where(&mut engine, "OutOfSync", |r| r.sync == SyncStatus::OutOfSync).await;
    let seen = mode_change(&r).and_then(|c| c.seen).expect("seen while watching");

    env.write("apps/settings/cm.yaml", &format!("{SETTINGS_CM}  extra: x\n"));
    env.commit("add extra");
    engine
        .commands
        .send(EngineCommand::Refresh { revision: None })
        .await
        .expect("command");
    let before = r.revision.clone();
    let r = report_where(&mut engine, "at the new revision", |r| r.revision != before).await;
    let change = mode_change(&r).expect("the edit is still drift");
    assert_eq!(change.seen.as_deref(), Some(seen.as_str()), "{change:?}");
}
