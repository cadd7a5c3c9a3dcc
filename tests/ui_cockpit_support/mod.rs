//! Engine reports built from plain data for the cockpit tests: two apps on three clusters,
//! one drifted by `kubectl-scale`, one cluster unreachable and one forbidden.
#![allow(dead_code)]

use serde_json::json;
use sextant::app::cockpit::EngineMsg;
use sextant::app::msg::Msg;
use sextant::app::state::State;
use sextant::app::update::update;
use sextant::gitops::engine::compare::{Comparison, FieldChange};
use sextant::gitops::engine::{AppReport, Counts, EngineEvent, ObjectReport, SyncStatus, VerdictPath};
use sextant::kube::cluster::ClusterState;
use sextant::kube::key::ObjectKey;
use std::sync::Arc;

pub const LIVE: &str = "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\n  namespace: guestbook\nspec:\n  replicas: 5\n  template:\n    spec:\n      containers:\n      - image: nginx:1.27\n        name: web\n";
pub const DESIRED: &str = "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\n  namespace: guestbook\nspec:\n  replicas: 3\n  template:\n    spec:\n      containers:\n      - image: nginx:1.27\n        name: web\n";

/// The full id of the newest commit in `ui_support`'s log (`commit(0)`), rendered and deployed.
pub const HEAD: &str = "9f2c1e0000000000000000000000000000000000";

pub fn key(kind: &str, ns: &str, name: &str) -> ObjectKey {
    ObjectKey {
        group: if kind == "Deployment" {
            "apps".into()
        } else {
            String::new()
        },
        kind: kind.into(),
        namespace: ns.into(),
        name: name.into(),
    }
}

pub fn object(kind: &str, name: &str, status: SyncStatus) -> ObjectReport {
    let comparison = (status == SyncStatus::OutOfSync).then(|| Comparison {
        drift: true,
        changes: vec![FieldChange {
            path: ".spec.replicas".into(),
            op: "replace".into(),
            live: Some(json!(5)),
            desired: Some(json!(3)),
            manager: Some("kubectl".into()),
            operation: Some("Update/scale".into()),
            time: Some("2026-11-23T02:11:20Z".into()),
            seen: None,
            lines: (None, None),
        }],
        unmanaged: Vec::new(),
        live_yaml: LIVE.into(),
        desired_yaml: DESIRED.into(),
        note: None,
    });
    ObjectReport {
        key: key(kind, "guestbook", name),
        api_version: if kind == "Deployment" {
            "apps/v1".into()
        } else {
            "v1".into()
        },
        status,
        health: "Healthy".into(),
        health_message: None,
        health_counts_as: None,
        reason: None,
        source: Some(format!("apps/{name}.yaml:1")),
        path: VerdictPath::Preview,
        comparison,
    }
}

pub fn report(app: &str, cluster: &str, drift: bool) -> AppReport {
    let status = if drift {
        SyncStatus::OutOfSync
    } else {
        SyncStatus::Synced
    };
    let mut r = AppReport {
        app: app.into(),
        cluster: cluster.into(),
        context: cluster.into(),
        revision: "9f2c1e0".into(),
        commit: HEAD.into(),
        deployed: Some(HEAD.into()),
        pinned: None,
        sync: SyncStatus::Unknown,
        health: String::new(),
        health_culprit: None,
        counts: Counts::default(),
        objects: vec![
            Arc::new(object("Service", "web", SyncStatus::Synced)),
            Arc::new(object("Deployment", "web", status)),
        ],
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

pub fn down_report(app: &str, cluster: &str, why: &str) -> AppReport {
    let mut r = report(app, cluster, false);
    r.objects.clear();
    r.deployed = None;
    r.cluster_error = Some(why.into());
    r.summarize();
    r
}

pub fn send(s: &mut State, ev: EngineEvent) {
    update(s, Msg::Engine(EngineMsg(ev)));
}

pub fn cluster(s: &mut State, name: &str, state: ClusterState) {
    send(
        s,
        EngineEvent::ClusterState {
            cluster: name.into(),
            context: name.into(),
            state,
        },
    );
}

pub fn app(s: &mut State, r: AppReport) {
    send(s, EngineEvent::AppReport(Arc::new(r)));
}

/// prod-eu ready, staging ready, prod-us unreachable, audit forbidden; guestbook drifted on
/// prod-eu when `drift`.
pub fn fleet(s: &mut State, drift: bool) {
    cluster(s, "prod-eu", ClusterState::Ready);
    cluster(s, "staging", ClusterState::Ready);
    cluster(
        s,
        "prod-us",
        ClusterState::Unreachable("connection refused (127.0.0.1:1)".into()),
    );
    cluster(
        s,
        "audit",
        ClusterState::Forbidden("403: user view cannot list".into()),
    );
    app(s, report("guestbook", "prod-eu", drift));
    app(s, report("guestbook", "staging", false));
    app(s, report("payments", "prod-eu", false));
    app(
        s,
        down_report("guestbook", "prod-us", "unreachable: connection refused"),
    );
    app(s, down_report("payments", "audit", "forbidden: 403"));
}

/// A report with `objects` Deployments, every tenth one drifted: for the frame benchmark.
pub fn big_report(app: &str, cluster: &str, objects: usize) -> AppReport {
    let mut r = report(app, cluster, false);
    r.objects = (0..objects)
        .map(|i| {
            let status = if i % 10 == 0 {
                SyncStatus::OutOfSync
            } else {
                SyncStatus::Synced
            };
            Arc::new(object("Deployment", &format!("web-{i}"), status))
        })
        .collect();
    r.summarize();
    r
}

#[allow(dead_code)]
#[path = "../drift_corpus/support.rs"]
mod corpus;

/// The Secret of corpus case 07 (password overwritten with `kubectl edit`), compared by the
/// engine as the live drift path does: its YAML arrives masked.
pub fn secret_object() -> ObjectReport {
    let case = corpus::cases()
        .into_iter()
        .find(|c| c.id == "07-secret-stringdata")
        .unwrap_or_else(|| panic!("corpus case 07 is missing"));
    let desired = case.yaml("manifest.yaml");
    let live = case.json("live-after-drift.json").unwrap_or_default();
    let dry_run = case.json("dryrun-after-drift.json").unwrap_or_default();
    let comparison = sextant::gitops::engine::compare::compare_preview(&desired, &live, &dry_run)
        .unwrap_or_else(|e| panic!("comparing case 07: {e}"));
    ObjectReport {
        key: key("Secret", "corpus", "db-credentials"),
        api_version: "v1".into(),
        status: SyncStatus::OutOfSync,
        health: "Healthy".into(),
        health_message: None,
        health_counts_as: None,
        reason: None,
        source: Some("apps/guestbook/secret.yaml:1".into()),
        path: VerdictPath::Preview,
        comparison: Some(comparison),
    }
}

/// guestbook on prod-eu with its Deployment scaled and its Secret edited by hand.
pub fn report_with_secret() -> AppReport {
    let mut r = report("guestbook", "prod-eu", true);
    r.objects.push(Arc::new(secret_object()));
    r.summarize();
    r
}

/// Every plain value of the case 07 Secret, base64 and decoded: none may reach the screen.
pub const SECRET_VALUES: [&str; 8] = [
    "hunter2",
    "aHVudGVyMg",
    "s3cr3t",
    "czNjcjN0",
    "old-token",
    "b2xkLXRva2Vu",
    "YXBw",
    "username: app",
];

/// guestbook on prod-eu, drifted as in [`report`], whose Service also carries a label that
/// `kubectl-label` added and Git never mentions (an unmanaged change, not drift).
pub fn report_with_unmanaged_label() -> AppReport {
    let mut r = report("guestbook", "prod-eu", true);
    let service = r
        .objects
        .iter_mut()
        .find(|o| o.key.kind == "Service")
        .expect("the fixture has a Service");
    let mut with_label = (**service).clone();
    with_label.comparison = Some(Comparison {
        drift: false,
        changes: Vec::new(),
        unmanaged: vec![FieldChange {
            path: ".metadata.labels.team".into(),
            op: "unmanaged".into(),
            live: Some(json!("oncall")),
            desired: None,
            manager: Some("kubectl-label".into()),
            operation: Some("Update".into()),
            time: Some("2026-11-23T01:58:00Z".into()),
            seen: None,
            lines: (None, None),
        }],
        live_yaml: String::new(),
        desired_yaml: String::new(),
        note: None,
    });
    *service = Arc::new(with_label);
    r.counts.unmanaged = 1;
    r
}

/// `app` on `cluster` as [`report`] makes it, whose Deployment `web` missed its progress
/// deadline: Degraded, and why.
pub fn degraded_report(app: &str, cluster: &str, drift: bool) -> AppReport {
    let mut r = report(app, cluster, drift);
    r.objects = r
        .objects
        .iter()
        .map(|o| {
            let mut o = (**o).clone();
            if o.key.kind == "Deployment" {
                o.health = "Degraded".into();
                o.health_message = Some("0/3 replicas available (ProgressDeadlineExceeded)".into());
            }
            Arc::new(o)
        })
        .collect();
    r.summarize();
    r
}
