//! Cluster Events for app detail, end to end on the sandbox: Events created with the real
//! `kubectl` about a Deployment and one of its Pods come back through
//! `EngineCommand::Events`; an event about another object does not; an unreachable context
//! is answered with an error, never silence.

mod engine_env;

use engine_env::{Env, have_kubectl};
use sextant::gitops::engine::{self, EngineCommand, EngineEvent};
use sextant::kube::key::ObjectKey;
use std::time::Duration;

fn event_yaml(name: &str, kind: &str, object: &str, kind_word: &str, reason: &str, at: &str) -> String {
    format!(
        "apiVersion: v1\nkind: Event\nmetadata:\n  name: {name}\n  namespace: shop\n\
         involvedObject:\n  apiVersion: v1\n  kind: {kind}\n  name: {object}\n  namespace: shop\n\
         type: {kind_word}\nreason: {reason}\nmessage: {reason} happened to {object}\ncount: 3\n\
         firstTimestamp: \"{at}\"\nlastTimestamp: \"{at}\"\nsource:\n  component: kubelet\n"
    )
}

fn key(kind: &str, name: &str) -> ObjectKey {
    ObjectKey {
        group: if kind == "Deployment" {
            "apps".into()
        } else {
            String::new()
        },
        kind: kind.into(),
        namespace: "shop".into(),
        name: name.into(),
    }
}

async fn answer(
    engine: &mut engine::Engine,
    id: u64,
) -> Result<Vec<sextant::kube::events::ClusterEvent>, String> {
    let deadline = tokio::time::Instant::now() + Duration::from_secs(30);
    loop {
        match tokio::time::timeout_at(deadline, engine.events.recv()).await {
            Ok(Some(EngineEvent::Events { id: got, result })) if got == id => return result,
            Ok(Some(_)) => {}
            other => panic!("no answer to events request {id}: {other:?}"),
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn events_about_the_apps_objects_and_their_pods_come_back_newest_first() {
    if !have_kubectl() {
        eprintln!("kubectl not installed: skipped");
        return;
    }
    let env = Env::start(&["c1"]).await;
    env.write(
        "apps/web/cm.yaml",
        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: web\ndata:\n  a: \"1\"\n",
    );
    env.write(
        "sextant.yaml",
        "apps:\n  - name: web\n    path: apps/web\n    namespace: shop\n    clusters: [c1]\n",
    );
    env.commit("web");
    env.kubectl_ok("c1", &["create", "namespace", "shop"]).await;
    let events = [
        event_yaml(
            "ev-deploy",
            "Deployment",
            "web",
            "Normal",
            "ScalingReplicaSet",
            "2026-11-22T08:00:00Z",
        ),
        event_yaml(
            "ev-pod",
            "Pod",
            "web-7d9c-x2",
            "Warning",
            "BackOff",
            "2026-11-22T08:05:00Z",
        ),
        event_yaml(
            "ev-other",
            "Pod",
            "api-1",
            "Warning",
            "Failed",
            "2026-11-22T08:06:00Z",
        ),
    ];
    env.write("events.yaml", &events.join("---\n"));
    env.kubectl_ok("c1", &["create", "-f", "events.yaml"]).await;

    let mut engine = engine::start(env.engine_config(false));
    let keys = vec![key("Deployment", "web"), key("ConfigMap", "web")];
    engine
        .commands
        .send(EngineCommand::Events {
            id: 7,
            context: "c1".into(),
            keys: keys.clone(),
        })
        .await
        .expect("send");
    let got = answer(&mut engine, 7).await.expect("events");
    let seen: Vec<(&str, &str, &str)> = got
        .iter()
        .map(|e| (e.reason.as_str(), e.object.as_str(), e.kind.as_str()))
        .collect();
    assert_eq!(
        seen,
        [
            ("BackOff", "Pod/web-7d9c-x2", "Warning"),
            ("ScalingReplicaSet", "Deployment/web", "Normal")
        ]
    );
    assert_eq!(got[0].count, 3);
    assert_eq!(got[0].message, "BackOff happened to web-7d9c-x2");

    engine
        .commands
        .send(EngineCommand::Events {
            id: 8,
            context: "nowhere".into(),
            keys,
        })
        .await
        .expect("send");
    let err = answer(&mut engine, 8).await.expect_err("unknown context");
    assert!(err.contains("no context `nowhere`"), "{err}");
}
