//! Simulated controllers: workloads go Progressing then Available (or stall when their image
//! is `broken`), with the revision annotation and status written by kube-controller-manager
//! through the status subresource, as on a real cluster.

mod common;

use common::sandbox::{call, start};
use serde_json::{Value, json};
use std::time::Duration;

fn deployment(name: &str, image: &str) -> String {
    json!({"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": name},
        "spec": {"replicas": 2, "selector": {"matchLabels": {"app": name}},
            "template": {"metadata": {"labels": {"app": name}},
                "spec": {"containers": [{"name": "c", "image": image}]}}}})
    .to_string()
}

fn condition<'v>(obj: &'v Value, kind: &str) -> Option<&'v Value> {
    obj["status"]["conditions"]
        .as_array()?
        .iter()
        .find(|c| c["type"] == kind)
}

async fn wait_for(
    ep: &sextant::sandbox::ClusterEndpoint,
    path: &str,
    done: impl Fn(&Value) -> bool,
) -> Value {
    for _ in 0..100 {
        let (_, obj) = call(ep, "GET", path, "", "").await;
        if done(&obj) {
            return obj;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("{path} never reached the expected state");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn workloads_progress_then_become_healthy_or_degraded() {
    let sandbox = start(&["controllers"], true).await;
    let ep = sandbox.clusters()[0].clone();
    let base = "/apis/apps/v1/namespaces/default/deployments";
    for (name, image) in [("good", "nginx:1.25.3"), ("bad", "ghcr.io/example/broken:1.0")] {
        let url = format!("{base}/{name}?fieldManager=sextant&force=true");
        let (code, body) = call(
            &ep,
            "PATCH",
            &url,
            "application/apply-patch+yaml",
            &deployment(name, image),
        )
        .await;
        assert_eq!(code, 201, "{body}");
    }
    let good = wait_for(&ep, &format!("{base}/good"), |o| {
        condition(o, "Available").is_some_and(|c| c["status"] == "True")
    })
    .await;
    assert_eq!(good["status"]["availableReplicas"], 2);
    assert_eq!(
        good["metadata"]["annotations"]["deployment.kubernetes.io/revision"],
        "1"
    );
    let kcm = good["metadata"]["managedFields"]
        .as_array()
        .and_then(|m| m.iter().find(|e| e["manager"] == "kube-controller-manager"))
        .expect("controller entry");
    assert_eq!(
        (kcm["operation"].as_str(), kcm["subresource"].as_str()),
        (Some("Update"), Some("status"))
    );
    assert_eq!(
        good["metadata"]["generation"], 1,
        "status writes do not bump generation"
    );

    let bad = wait_for(&ep, &format!("{base}/bad"), |o| {
        condition(o, "Progressing").is_some_and(|c| c["status"] == "False")
    })
    .await;
    assert_eq!(
        condition(&bad, "Progressing").map(|c| c["reason"].clone()),
        Some(json!("ProgressDeadlineExceeded"))
    );
    assert_eq!(bad["status"]["unavailableReplicas"], 2);

    // A new template is a new revision.
    let url = format!("{base}/good?fieldManager=sextant&force=true");
    call(
        &ep,
        "PATCH",
        &url,
        "application/apply-patch+yaml",
        &deployment("good", "nginx:1.25.4"),
    )
    .await;
    wait_for(&ep, &format!("{base}/good"), |o| {
        o["metadata"]["annotations"]["deployment.kubernetes.io/revision"] == "2"
    })
    .await;

    let job = json!({"apiVersion": "batch/v1", "kind": "Job", "metadata": {"name": "migrate"},
        "spec": {"template": {"spec": {"restartPolicy": "Never", "containers": [{"name": "m", "image": "migrate:1"}]}}}});
    let url = "/apis/batch/v1/namespaces/default/jobs/migrate?fieldManager=sextant";
    assert_eq!(
        call(
            &ep,
            "PATCH",
            url,
            "application/apply-patch+yaml",
            &job.to_string()
        )
        .await
        .0,
        201
    );
    let done = wait_for(&ep, "/apis/batch/v1/namespaces/default/jobs/migrate", |o| {
        condition(o, "Complete").is_some()
    })
    .await;
    assert_eq!(done["status"]["succeeded"], 1);
}

/// (type, reason, involvedObject kind/name, message) of every Event in `default`.
async fn events(ep: &sextant::sandbox::ClusterEndpoint) -> Vec<(String, String, String, String)> {
    let (_, list) = call(ep, "GET", "/api/v1/namespaces/default/events", "", "").await;
    let s = |v: &Value| v.as_str().unwrap_or_default().to_string();
    list["items"]
        .as_array()
        .map(|items| {
            items
                .iter()
                .map(|e| {
                    (
                        s(&e["type"]),
                        s(&e["reason"]),
                        format!(
                            "{}/{}",
                            s(&e["involvedObject"]["kind"]),
                            s(&e["involvedObject"]["name"])
                        ),
                        s(&e["message"]),
                    )
                })
                .collect()
        })
        .unwrap_or_default()
}

async fn wait_for_event(
    ep: &sextant::sandbox::ClusterEndpoint,
    matches: impl Fn(&(String, String, String, String)) -> bool,
) -> (String, String, String, String) {
    for _ in 0..100 {
        if let Some(e) = events(ep).await.into_iter().find(&matches) {
            return e;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("no such event in {:#?}", events(ep).await);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn controllers_record_events_like_kube_controller_manager() {
    let sandbox = start(&["events"], true).await;
    let ep = sandbox.clusters()[0].clone();
    let base = "/apis/apps/v1/namespaces/default/deployments";
    for (name, image) in [("web", "nginx:1.25.3"), ("bad", "ghcr.io/example/broken:1.0")] {
        let url = format!("{base}/{name}?fieldManager=sextant&force=true");
        let body = deployment(name, image);
        let (code, _) = call(&ep, "PATCH", &url, "application/apply-patch+yaml", &body).await;
        assert_eq!(code, 201);
    }
    let created = wait_for_event(&ep, |e| e.2 == "Deployment/web").await;
    assert_eq!(
        (created.0.as_str(), created.1.as_str()),
        ("Normal", "ScalingReplicaSet")
    );
    assert!(
        created.3.starts_with("Scaled up replica set web-") && created.3.ends_with(" to 2"),
        "{created:?}"
    );

    // A scale says from how many to how many.
    let (code, _) = call(
        &ep,
        "PATCH",
        &format!("{base}/web/scale"),
        "application/merge-patch+json",
        r#"{"spec":{"replicas":5}}"#,
    )
    .await;
    assert_eq!(code, 200);
    let scaled = wait_for_event(&ep, |e| e.3.ends_with(" to 5 from 2")).await;
    assert_eq!(scaled.2, "Deployment/web");

    // A workload that never starts: the kubelet's warning about its Pod, once.
    let failed = wait_for_event(&ep, |e| e.1 == "Failed").await;
    assert_eq!(failed.0, "Warning");
    assert!(failed.2.starts_with("Pod/bad-"), "{failed:?}");
    assert!(failed.3.contains("ghcr.io/example/broken:1.0"), "{failed:?}");

    let job = json!({"apiVersion": "batch/v1", "kind": "Job", "metadata": {"name": "migrate"},
        "spec": {"template": {"spec": {"restartPolicy": "Never", "containers": [{"name": "m", "image": "migrate:1"}]}}}});
    let url = "/apis/batch/v1/namespaces/default/jobs/migrate?fieldManager=sextant";
    call(
        &ep,
        "PATCH",
        url,
        "application/apply-patch+yaml",
        &job.to_string(),
    )
    .await;
    wait_for_event(&ep, |e| e.2 == "Job/migrate" && e.1 == "Completed").await;
    let all = events(&ep).await;
    let job_reasons: Vec<&str> = all
        .iter()
        .filter(|e| e.2 == "Job/migrate")
        .map(|e| e.1.as_str())
        .collect();
    assert_eq!(job_reasons, ["SuccessfulCreate", "Completed"]);
    assert_eq!(
        all.iter().filter(|e| e.1 == "Failed").count(),
        1,
        "one warning per failure, not one per reconcile: {all:#?}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_image_the_registry_lacks_never_starts_on_that_cluster_only() {
    let sandbox = start(&["lacking", "other"], true).await;
    let image = "ghcr.io/example/payments-api:2.4.0";
    assert!(sandbox.lack_image("lacking", image));
    assert!(
        !sandbox.lack_image("nowhere", image),
        "an unknown cluster is said"
    );
    let url = "/apis/apps/v1/namespaces/default/deployments/api?fieldManager=sextant&force=true";
    let path = "/apis/apps/v1/namespaces/default/deployments/api";
    let [lacking, other] = [sandbox.clusters()[0].clone(), sandbox.clusters()[1].clone()];
    for ep in [&lacking, &other] {
        let body = deployment("api", image);
        let (code, body) = call(ep, "PATCH", url, "application/apply-patch+yaml", &body).await;
        assert_eq!(code, 201, "{body}");
    }
    let stuck = wait_for(&lacking, path, |o| {
        condition(o, "Progressing").is_some_and(|c| c["reason"] == "ProgressDeadlineExceeded")
    })
    .await;
    assert_eq!(stuck["status"]["availableReplicas"], Value::Null, "{stuck}");
    let fine = wait_for(&other, path, |o| {
        condition(o, "Available").is_some_and(|c| c["status"] == "True")
    })
    .await;
    assert_eq!(fine["status"]["availableReplicas"], 2);
}
