//! kube-rs (what Sextant's engine uses) against the sandbox, through the written kubeconfig:
//! discovery, server-side apply and dry-run, conflicts, label-selected lists, and a
//! runtime watcher seeing changes.

mod common;

use common::sandbox::{kube_client as client, start};
use futures::StreamExt;
use k8s_openapi::api::apps::v1::Deployment;
use k8s_openapi::api::core::v1::ConfigMap;
use kube::api::{Api, ListParams, Patch, PatchParams};
use kube::runtime::watcher;
use serde_json::json;
use std::time::Duration;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn kube_rs_applies_dry_runs_lists_and_watches() {
    let sandbox = start(&["staging", "prod-eu"], true).await;
    assert_eq!(sandbox.clusters().len(), 2);
    assert_ne!(sandbox.clusters()[0].server, sandbox.clusters()[1].server);
    let client = client(&sandbox, "prod-eu").await;

    let discovery = kube::discovery::Discovery::new(client.clone())
        .run()
        .await
        .expect("discovery");
    assert!(discovery.groups().any(|g| g.name() == "apps"));

    let deployments: Api<Deployment> = Api::namespaced(client.clone(), "default");
    let desired = json!({"apiVersion": "apps/v1", "kind": "Deployment",
        "metadata": {"name": "api", "labels": {"app": "api"}},
        "spec": {"replicas": 2, "selector": {"matchLabels": {"app": "api"}},
            "template": {"metadata": {"labels": {"app": "api"}},
                "spec": {"containers": [{"name": "api", "image": "ghcr.io/example/api:1.0"}]}}}});
    let pp = PatchParams::apply("sextant").force();
    let live = deployments
        .patch("api", &pp, &Patch::Apply(&desired))
        .await
        .expect("apply");
    assert_eq!(live.spec.as_ref().and_then(|s| s.replicas), Some(2));

    let mut changed = desired.clone();
    changed["spec"]["replicas"] = json!(4);
    let preview = deployments
        .patch("api", &pp.clone().dry_run(), &Patch::Apply(&changed))
        .await
        .expect("dry-run");
    assert_eq!(preview.spec.as_ref().and_then(|s| s.replicas), Some(4));
    let still = deployments.get("api").await.expect("get");
    assert_eq!(
        still.spec.as_ref().and_then(|s| s.replicas),
        Some(2),
        "dry-run stored nothing"
    );

    // Another applier owning replicas makes a non-forced apply conflict.
    let other = PatchParams::apply("hotfix").force();
    let hot = json!({"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "api"}, "spec": {"replicas": 7}});
    deployments
        .patch("api", &other, &Patch::Apply(&hot))
        .await
        .expect("hotfix apply");
    let err = deployments
        .patch("api", &PatchParams::apply("sextant"), &Patch::Apply(&desired))
        .await
        .unwrap_err();
    match err {
        kube::Error::Api(s) => assert_eq!(s.code, 409),
        other => panic!("expected a 409, got {other:?}"),
    }

    let cms: Api<ConfigMap> = Api::namespaced(client.clone(), "default");
    let mut events = watcher(cms.clone(), watcher::Config::default()).boxed();
    let init_done = tokio::time::timeout(Duration::from_secs(10), async {
        while let Some(ev) = events.next().await {
            if matches!(ev, Ok(watcher::Event::InitDone)) {
                return true;
            }
        }
        false
    });
    assert!(init_done.await.expect("watch starts"));
    for (name, team) in [("a", "x"), ("b", "y")] {
        let cm = json!({"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": name, "labels": {"team": team}}});
        cms.patch(name, &pp, &Patch::Apply(&cm))
            .await
            .expect("configmap applied");
    }
    let seen = tokio::time::timeout(Duration::from_secs(10), async {
        let mut names = Vec::new();
        while let Some(Ok(ev)) = events.next().await {
            if let watcher::Event::Apply(cm) = ev {
                names.push(cm.metadata.name.unwrap_or_default());
                if names.len() == 2 {
                    break;
                }
            }
        }
        names
    })
    .await
    .expect("events arrive");
    assert_eq!(seen, vec!["a", "b"]);
    let listed = cms
        .list(&ListParams::default().labels("team=y"))
        .await
        .expect("list");
    assert_eq!(listed.items.len(), 1);

    // The read-only context reads but cannot even dry-run.
    let ro = client_for_readonly(&sandbox).await;
    let ro_cms: Api<ConfigMap> = Api::namespaced(ro, "default");
    assert_eq!(
        ro_cms
            .list(&ListParams::default())
            .await
            .expect("viewer lists")
            .items
            .len(),
        2
    );
    let denied = ro_cms
        .patch(
            "a",
            &pp.clone().dry_run(),
            &Patch::Apply(&json!({"apiVersion": "v1", "kind": "ConfigMap",
        "metadata": {"name": "a"}})),
        )
        .await
        .unwrap_err();
    assert!(
        matches!(denied, kube::Error::Api(ref s) if s.code == 403),
        "{denied:?}"
    );
}

async fn client_for_readonly(sandbox: &sextant::sandbox::Sandbox) -> kube::Client {
    client(sandbox, "prod-eu-readonly").await
}
