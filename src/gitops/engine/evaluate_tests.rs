//! The evaluator on the golden corpus, local path only (no cluster): verdicts, attribution,
//! Missing, Extra, unmanaged changes, and Secret values that never appear in a report.

use super::evaluate::{Evaluator, Pending};
use super::report::{SyncStatus, VerdictPath};
use crate::gitops::render::DesiredObject;
use crate::kube::discovery::KindInfo;
use crate::kube::key::ObjectKey;
use kube::discovery::ApiResource;
use serde_json::Value;

/// The golden corpus, copied into `tests/fixtures`.
fn corpus() -> String {
    format!(
        "{}/tests/fixtures/apiserver-corpus/cases",
        env!("CARGO_MANIFEST_DIR")
    )
}

fn read_json(case: &str, file: &str) -> Value {
    let text = std::fs::read_to_string(format!("{}/{case}/{file}", corpus())).expect("corpus file");
    serde_json::from_str(&text).expect("corpus json")
}

fn desired(case: &str) -> DesiredObject {
    let text = std::fs::read_to_string(format!("{}/{case}/manifest.yaml", corpus())).expect("manifest");
    let object: Value = crate::yaml::from_str(&text).expect("manifest yaml");
    DesiredObject {
        key: ObjectKey::of(&object).expect("key"),
        object,
        source: format!("{case}/manifest.yaml:1"),
    }
}

fn kind() -> KindInfo {
    KindInfo {
        resource: ApiResource::erase::<k8s_openapi::api::core::v1::ConfigMap>(&()),
        namespaced: true,
    }
}

async fn verdict(case: &str, live_file: Option<&str>) -> super::report::ObjectReport {
    let d = desired(case);
    let live = live_file.map(|f| read_json(case, f));
    let k = kind();
    let pending = Pending {
        app: "app",
        key: d.key.clone(),
        desired: Some(&d),
        live: live.as_ref(),
        kind: Ok(&k),
    };
    let mut eval = Evaluator::new(None);
    eval.evaluate(vec![pending]).await.remove(0)
}

#[tokio::test]
async fn no_drift_right_after_apply_in_every_case() {
    let mut cases: Vec<_> = std::fs::read_dir(corpus())
        .expect("corpus")
        .flatten()
        .map(|e| e.file_name())
        .collect();
    cases.sort();
    for case in cases {
        let case = case.to_string_lossy().to_string();
        let r = verdict(&case, Some("live-after-apply.json")).await;
        assert_eq!(r.status, SyncStatus::Synced, "{case}: {r:?}");
        assert_eq!(r.path, VerdictPath::Local);
    }
}

#[tokio::test]
async fn scale_is_drift_attributed_to_kubectl() {
    let r = verdict("01-deployment-defaults", Some("live-after-drift.json")).await;
    assert_eq!(r.status, SyncStatus::OutOfSync);
    let cmp = r.comparison.expect("comparison");
    let change = cmp
        .changes
        .iter()
        .find(|c| c.path == ".spec.replicas")
        .expect("replicas change");
    assert_eq!(change.manager.as_deref(), Some("kubectl"));
    assert_eq!(change.operation.as_deref(), Some("Update/scale"));
    assert!(cmp.live_yaml.contains("replicas: 5") && cmp.desired_yaml.contains("replicas: 3"));
}

#[tokio::test]
async fn unmanaged_change_is_apart_from_drift() {
    let r = verdict("26-unmanaged-field-added", Some("live-after-drift.json")).await;
    assert_eq!(r.status, SyncStatus::Synced, "{r:?}");
    let cmp = r.comparison.expect("comparison");
    assert!(!cmp.unmanaged.is_empty());
    assert!(
        cmp.unmanaged
            .iter()
            .all(|u| u.manager.as_deref() == Some("kubectl-edit")),
        "{:?}",
        cmp.unmanaged
    );
}

#[tokio::test]
async fn secret_values_never_reach_the_report() {
    let r = verdict("07-secret-stringdata", Some("live-after-drift.json")).await;
    assert_eq!(r.status, SyncStatus::OutOfSync);
    let json = serde_json::to_string(&r).expect("report json");
    let live = read_json("07-secret-stringdata", "live-after-drift.json");
    for (_, v) in live["data"].as_object().expect("data") {
        let encoded = v.as_str().expect("base64");
        assert!(!json.contains(encoded), "secret value leaked: {json}");
    }
    assert!(json.contains("***"), "{json}");
}

#[tokio::test]
async fn missing_and_extra() {
    let r = verdict("06-configmap", None).await;
    assert_eq!(r.status, SyncStatus::Missing);
    // What a sync would create, as added lines.
    let cmp = r
        .comparison
        .as_ref()
        .expect("a Missing object shows its manifest");
    assert!(cmp.live_yaml.is_empty());
    assert!(
        cmp.desired_yaml.contains("kind: ConfigMap"),
        "{}",
        cmp.desired_yaml
    );
    // A Secret to create never shows its values.
    let s = verdict("07-secret-stringdata", None).await;
    let json = serde_json::to_string(&s).expect("report json");
    let manifest = desired("07-secret-stringdata").object;
    assert!(manifest["stringData"].as_object().is_some_and(|m| !m.is_empty()));
    for (_, v) in manifest["stringData"].as_object().into_iter().flatten() {
        let plain = v.as_str().expect("string");
        // Short values (`app`) could match any word; the corpus's passwords are long.
        if plain.len() >= 6 {
            assert!(!json.contains(plain), "secret value leaked: {json}");
        }
    }
    assert!(json.contains("***"), "{json}");

    let mut live = read_json("06-configmap", "live-after-apply.json");
    crate::gitops::tracking::stamp(&mut live, "app").expect("stamp");
    let key = ObjectKey::of(&live).expect("key");
    let k = kind();
    let mut eval = Evaluator::new(None);
    let extra = Pending {
        app: "app",
        key: key.clone(),
        desired: None,
        live: Some(&live),
        kind: Ok(&k),
    };
    let other = Pending {
        app: "other",
        key,
        desired: None,
        live: Some(&live),
        kind: Ok(&k),
    };
    let out = eval.evaluate(vec![extra, other]).await;
    assert_eq!(out[0].status, SyncStatus::Extra);
    // What a prune would delete, as removed lines.
    let cmp = out[0]
        .comparison
        .as_ref()
        .expect("an Extra object shows its live state");
    assert!(cmp.desired_yaml.is_empty() && cmp.live_yaml.contains("kind: ConfigMap"));
    assert!(!cmp.live_yaml.contains("managedFields"), "{}", cmp.live_yaml);
    assert_eq!(
        out[1].status,
        SyncStatus::Unknown,
        "another app's object is never Extra here"
    );
}

#[tokio::test]
async fn unknown_kind_carries_the_reason() {
    let d = desired("24-custom-resource-defaulted");
    let pending = Pending {
        app: "a",
        key: d.key.clone(),
        desired: Some(&d),
        live: None,
        kind: Err("CRD not installed".into()),
    };
    let r = Evaluator::new(None).evaluate(vec![pending]).await.remove(0);
    assert_eq!(r.status, SyncStatus::Unknown);
    assert_eq!(r.reason.as_deref(), Some("CRD not installed"));
}
