//! A sync that is cancelled, or whose cluster drops, part way: no write is issued after the
//! cancel, what was done and what was not is reported object by object, and the audit log
//! says how it ended. Driven through the engine's commands, on the sandbox.

mod engine_env;

use engine_env::Env;
use sextant::gitops::engine::{self, Engine, EngineCommand, EngineEvent, PlanRef, SyncScope};
use sextant::gitops::sync::plan::SyncPlan;
use sextant::gitops::sync::result::{Ending, Outcome, SyncResult};
use std::sync::Arc;
use std::time::Duration;

const OBJECTS: usize = 400;

/// An app of many ConfigMaps (and their Namespace), committed, nothing applied.
async fn many() -> Env {
    let env = Env::start(&["c1"]).await;
    let mut docs = String::from("apiVersion: v1\nkind: Namespace\nmetadata:\n  name: bulk\n");
    for i in 0..OBJECTS {
        docs.push_str(&format!(
            "---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cm-{i:04}\ndata:\n  n: \"{i}\"\n"
        ));
    }
    env.write("apps/bulk/all.yaml", &docs);
    env.write(
        "sextant.yaml",
        "apps:\n  - name: bulk\n    path: apps/bulk\n    namespace: bulk\n    clusters: [c1]\n",
    );
    env.commit("bulk");
    env
}

async fn next(engine: &mut Engine) -> EngineEvent {
    tokio::time::timeout(Duration::from_secs(60), engine.events.recv())
        .await
        .expect("an engine event in time")
        .expect("the engine runs")
}

/// Start the engine, wait for the app's report, and plan the sync.
async fn plan(env: &Env) -> (Engine, Arc<SyncPlan>) {
    let mut engine = engine::start(env.engine_config(false));
    loop {
        if let EngineEvent::AppReport(r) = next(&mut engine).await
            && r.cluster_error.is_none()
            && !r.objects.is_empty()
        {
            break;
        }
    }
    let command = EngineCommand::PlanSync {
        id: 1,
        revision: "HEAD".into(),
        cluster: "c1".into(),
        scope: SyncScope::default(),
    };
    engine.commands.send(command).await.expect("send");
    let preview = loop {
        if let EngineEvent::Preview(p) = next(&mut engine).await {
            break p;
        }
    };
    assert_eq!(preview.error, None);
    let plan = preview.plans[0].clone();
    assert_eq!(plan.apply.len(), OBJECTS + 1);
    (engine, plan)
}

/// Run the plan, doing `at_first` when the first object lands; returns the result.
async fn sync_and(
    engine: &mut Engine,
    plan: Arc<SyncPlan>,
    at_first: impl FnOnce(&mut Engine) -> Option<EngineCommand>,
) -> Arc<SyncResult> {
    let command = EngineCommand::Sync {
        id: 7,
        plan: PlanRef(plan),
        prune: false,
        typed: None,
    };
    engine.commands.send(command).await.expect("send");
    let mut at_first = Some(at_first);
    loop {
        match next(engine).await {
            EngineEvent::SyncProgress { id: 7, .. } => {
                if let Some(f) = at_first.take()
                    && let Some(c) = f(engine)
                {
                    engine.commands.send(c).await.expect("send");
                }
            }
            EngineEvent::SyncDone { id: 7, result } => return result,
            _ => {}
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_cancelled_sync_stops_writing_and_reports_what_it_did() {
    let env = many().await;
    let (mut engine, plan) = plan(&env).await;
    let result = sync_and(&mut engine, plan, |_| Some(EngineCommand::CancelSync { id: 7 })).await;
    assert_eq!(result.ending, Ending::Cancelled);
    let t = result.tally;
    assert!(t.applied >= 1 && t.skipped > 0, "{t:?}");
    assert_eq!(t.applied + t.failed + t.skipped, OBJECTS + 1);
    assert!(result.results.iter().all(|r| match &r.outcome {
        Outcome::Skipped { reason } => reason.contains("cancelled"),
        _ => true,
    }));
    // Only what was applied reached the server: nothing was sent after the cancel.
    let writes = env.sandbox.writes("c1").expect("cluster");
    assert_eq!(writes.len(), t.applied + t.failed, "{writes:?}");
    assert!(result.summary().contains("cancelled"), "{}", result.summary());
    let entry = env.audit_log().read().expect("log").0.pop().expect("an entry");
    assert_eq!(entry.outcome, "cancelled");
    assert_eq!(
        entry.objects.iter().filter(|o| o.result == "skipped").count(),
        t.skipped
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_cluster_dropping_mid_sync_stops_it_and_says_what_was_not_sent() {
    let env = many().await;
    let (mut engine, plan) = plan(&env).await;
    let sandbox = &env.sandbox;
    let result = sync_and(&mut engine, plan, |_| {
        sandbox.set_outage("c1", true);
        None
    })
    .await;
    assert_eq!(result.ending, Ending::ClusterLost, "{}", result.summary());
    let t = result.tally;
    assert!(t.skipped > 0, "{t:?}");
    assert!(
        result.summary().contains("c1 stopped answering"),
        "{}",
        result.summary()
    );
    let skipped = result
        .results
        .iter()
        .find_map(|r| match &r.outcome {
            Outcome::Skipped { reason } => Some(reason.clone()),
            _ => None,
        })
        .expect("a skipped object");
    assert!(skipped.contains("the cluster stopped answering"), "{skipped}");
    let entry = env.audit_log().read().expect("log").0.pop().expect("an entry");
    assert_eq!(entry.outcome, "cluster-lost");
}
