//! Health in the engine's reports: each object's health and why, from its live state, and
//! the app's health with the object that makes it so.

use super::evaluate::{Evaluator, Pending};
use super::report::{AppReport, ObjectReport, SyncStatus};
use crate::gitops::render::DesiredObject;
use crate::kube::discovery::KindInfo;
use crate::kube::key::ObjectKey;
use kube::discovery::ApiResource;
use serde_json::Value;
use std::sync::Arc;

/// An object of `tests/fixtures/health/<file>.yaml`, found by name.
fn fixture(file: &str, name: &str) -> Value {
    let path = format!("{}/tests/fixtures/health/{file}.yaml", env!("CARGO_MANIFEST_DIR"));
    let text = std::fs::read_to_string(&path).expect("fixture");
    crate::gitops::render::split_documents(&text)
        .into_iter()
        .map(|(_, doc)| crate::yaml::from_str::<Value>(doc).expect("fixture yaml"))
        .find(|o| o["metadata"]["name"] == name)
        .unwrap_or_else(|| panic!("no {name} in {file}.yaml"))
}

/// The engine's verdict on `live`, desired being `live` without its status (so no drift).
async fn evaluated(live: Option<&Value>, desired: &Value) -> ObjectReport {
    let mut object = desired.clone();
    if let Some(o) = object.as_object_mut() {
        o.remove("status");
    }
    let d = DesiredObject {
        key: ObjectKey::of(&object).expect("key"),
        object,
        source: "apps/shop/web.yaml:1".into(),
    };
    let kind = KindInfo {
        resource: ApiResource::erase::<k8s_openapi::api::apps::v1::Deployment>(&()),
        namespaced: true,
    };
    let pending = Pending {
        app: "shop",
        key: d.key.clone(),
        desired: Some(&d),
        live,
        kind: Ok(&kind),
    };
    Evaluator::new(None).evaluate(vec![pending]).await.remove(0)
}

fn app(objects: Vec<ObjectReport>) -> AppReport {
    let mut r = AppReport {
        app: "shop".into(),
        cluster: "prod-eu".into(),
        context: "prod-eu".into(),
        revision: "9f2c1e0".into(),
        commit: String::new(),
        deployed: None,
        pinned: None,
        sync: SyncStatus::Unknown,
        health: String::new(),
        health_culprit: None,
        counts: Default::default(),
        objects: objects.into_iter().map(Arc::new).collect(),
        render_errors: Vec::new(),
        notes: Vec::new(),
        cluster_error: None,
        source: Default::default(),
        operator: None,
        disagreements: Vec::new(),
    };
    r.summarize();
    r
}

#[tokio::test]
async fn an_object_report_says_why_its_object_is_unhealthy() {
    let live = fixture("workloads", "web-deadline-exceeded");
    let r = evaluated(Some(&live), &live).await;
    assert_eq!(r.status, SyncStatus::Synced);
    assert_eq!(r.health, "Degraded");
    assert_eq!(
        r.health_message.as_deref(),
        Some("0/3 replicas available (ProgressDeadlineExceeded)")
    );
}

#[tokio::test]
async fn the_app_names_the_object_that_makes_it_unhealthy() {
    let bad = fixture("workloads", "web-deadline-exceeded");
    let good = fixture("workloads", "web-available");
    let report = app(vec![
        evaluated(Some(&good), &good).await,
        evaluated(Some(&bad), &bad).await,
    ]);
    assert_eq!(report.health_word(), "Degraded");
    assert_eq!(
        report.health_reason().as_deref(),
        Some("Deployment/web-deadline-exceeded: 0/3 replicas available (ProgressDeadlineExceeded)")
    );
    let json = serde_json::to_value(&report).expect("json");
    assert_eq!(
        json["health_culprit"]["object"],
        "Deployment/web-deadline-exceeded"
    );
    assert_eq!(json["health_culprit"]["health"], "Degraded");
    assert_eq!(
        json["objects"][1]["health_message"],
        "0/3 replicas available (ProgressDeadlineExceeded)"
    );
}

#[tokio::test]
async fn a_healthy_app_names_nothing_and_a_down_cluster_says_nothing_of_health() {
    let good = fixture("workloads", "web-available");
    let mut report = app(vec![evaluated(Some(&good), &good).await]);
    assert_eq!((report.health_word(), report.health_reason()), ("Healthy", None));
    assert!(
        serde_json::to_value(&report)
            .expect("json")
            .get("health_culprit")
            .is_none()
    );
    let bad = fixture("workloads", "web-deadline-exceeded");
    report = app(vec![evaluated(Some(&bad), &bad).await]);
    report.cluster_error = Some("cluster prod-eu (prod-eu) is unreachable".into());
    assert_eq!((report.health_word(), report.health_reason()), ("Unknown", None));
}

#[tokio::test]
async fn an_app_with_nothing_live_is_missing() {
    let desired = fixture("workloads", "web-available");
    let missing = evaluated(None, &desired).await;
    assert_eq!(missing.status, SyncStatus::Missing);
    let report = app(vec![missing]);
    assert_eq!(report.health_word(), "Missing");
    assert_eq!(
        report.health_reason().as_deref(),
        Some("Deployment/web-available: not on the cluster")
    );
}

#[tokio::test]
async fn an_object_the_engine_cannot_judge_makes_the_app_unknown_and_says_why() {
    let good = fixture("workloads", "web-available");
    let mut odd = evaluated(Some(&good), &good).await;
    odd.key.kind = "Widget".into();
    odd.key.name = "gizmo".into();
    odd.status = SyncStatus::Unknown;
    odd.set_health(&crate::gitops::health::HealthStatus::new(
        crate::gitops::health::Health::Unknown,
        "",
    ));
    odd.reason = Some("kind example.com/v1 Widget is not served by the cluster".into());
    let bad = fixture("workloads", "web-deadline-exceeded");
    let report = app(vec![evaluated(Some(&bad), &bad).await, odd]);
    assert_eq!(report.health_word(), "Unknown");
    assert_eq!(
        report.health_reason().as_deref(),
        Some("Widget/gizmo: kind example.com/v1 Widget is not served by the cluster")
    );
}
