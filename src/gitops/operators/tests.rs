//! The operators' objects as their docs describe them, read into views, verdicts and writes.

use super::actions::{OperatorAction, SAVED_AUTOMATED, plan_write};
use super::destination::ClusterMap;
use super::discovery::{ObjectStore, build_apps};
use super::follow::{Progress, progress};
use super::verdict::{SextantSide, disagreements};
use super::*;
use crate::gitops::engine::compare::{Comparison, FieldChange};
use crate::gitops::engine::report::{ObjectReport, SyncStatus, VerdictPath};
use serde_json::{Value, json};
use std::sync::Arc;

const SHA_OLD: &str = "41aa0b2c9d8e7f6a5b4c3d2e1f0a9b8c7d6e5f40";
const SHA_NEW: &str = "9f2c1e1a2b3c4d5e6f708192a3b4c5d6e7f80910";

/// An Application as `argocd app create` makes it and the controller reports on it.
fn guestbook_app() -> Value {
    json!({
        "apiVersion": "argoproj.io/v1alpha1",
        "kind": "Application",
        "metadata": {"name": "guestbook", "namespace": "argocd", "resourceVersion": "42"},
        "spec": {
            "project": "default",
            "source": {
                "repoURL": "https://github.com/example/platform.git",
                "path": "./apps/guestbook",
                "targetRevision": "main"
            },
            "destination": {"server": "https://kubernetes.default.svc", "namespace": "guestbook"},
            "syncPolicy": {"automated": {"prune": true, "selfHeal": true}},
            "ignoreDifferences": [
                {"group": "apps", "kind": "Deployment", "jsonPointers": ["/spec/replicas"]}
            ]
        },
        "status": {
            "sync": {"status": "Synced", "revision": SHA_NEW,
                     "comparedTo": {"source": {"repoURL": "https://github.com/example/platform.git"}}},
            "health": {"status": "Healthy"},
            "reconciledAt": "2026-12-04T10:00:00Z",
            "operationState": {
                "phase": "Succeeded",
                "message": "successfully synced (all tasks run)",
                "startedAt": "2026-12-04T09:59:50Z",
                "finishedAt": "2026-12-04T09:59:58Z",
                "operation": {"sync": {"revision": SHA_NEW}, "initiatedBy": {"automated": true}},
                "syncResult": {"revision": SHA_NEW, "resources": []}
            }
        }
    })
}

fn flux_objects() -> ObjectStore {
    let mut store = ObjectStore::default();
    store.insert(
        "GitRepository",
        json!({
            "apiVersion": "source.toolkit.fluxcd.io/v1", "kind": "GitRepository",
            "metadata": {"name": "platform", "namespace": "flux-system"},
            "spec": {"url": "ssh://git@github.com/example/platform", "ref": {"branch": "main"}, "interval": "1m"},
            "status": {"artifact": {"revision": format!("main@sha1:{SHA_NEW}")}}
        }),
    );
    store.insert(
        "Kustomization",
        json!({
            "apiVersion": "kustomize.toolkit.fluxcd.io/v1", "kind": "Kustomization",
            "metadata": {"name": "payments", "namespace": "flux-system", "generation": 3},
            "spec": {"interval": "10m", "path": "./apps/payments", "prune": true,
                     "sourceRef": {"kind": "GitRepository", "name": "platform"},
                     "targetNamespace": "payments", "suspend": true},
            "status": {
                "observedGeneration": 3,
                "lastAppliedRevision": format!("main@sha1:{SHA_OLD}"),
                "lastAttemptedRevision": format!("main@sha1:{SHA_OLD}"),
                "conditions": [{"type": "Ready", "status": "True", "reason": "ReconciliationSucceeded",
                                "message": format!("Applied revision: main@sha1:{SHA_OLD}"),
                                "lastTransitionTime": "2026-12-04T08:00:00Z"}]
            }
        }),
    );
    store.insert(
        "HelmRepository",
        json!({"apiVersion": "source.toolkit.fluxcd.io/v1", "kind": "HelmRepository",
               "metadata": {"name": "bitnami", "namespace": "flux-system"},
               "spec": {"url": "https://charts.bitnami.com/bitnami"}}),
    );
    store.insert(
        "HelmRelease",
        json!({
            "apiVersion": "helm.toolkit.fluxcd.io/v2", "kind": "HelmRelease",
            "metadata": {"name": "redis", "namespace": "cache"},
            "spec": {"chart": {"spec": {"chart": "redis", "version": "18.x",
                     "sourceRef": {"kind": "HelmRepository", "name": "bitnami", "namespace": "flux-system"}}}},
            "status": {"conditions": [{"type": "Ready", "status": "False", "reason": "InstallFailed",
                                       "message": "install retries exhausted"}]}
        }),
    );
    store
}

fn map() -> ClusterMap {
    ClusterMap {
        contexts: vec![
            ("hub".into(), "https://10.0.0.1:6443".into()),
            ("gke-prod".into(), "https://34.1.2.3".into()),
        ],
        aliases: vec![("prod".into(), "gke-prod".into())],
    }
}

#[test]
fn an_application_reads_into_source_destination_and_status() {
    let mut store = ObjectStore::default();
    store.insert("Application", guestbook_app());
    let apps = build_apps(&store, "hub", "hub", &map());
    let app = &apps[0];
    assert_eq!(app.source, AppSource::Argocd);
    assert_eq!(app.origin.repo_url, "https://github.com/example/platform.git");
    assert_eq!(app.origin.path, "apps/guestbook");
    assert_eq!(app.origin.revision, "main");
    assert_eq!((app.cluster.as_str(), app.context.as_str()), ("hub", "hub"));
    assert_eq!(app.namespace, "guestbook");
    assert_eq!(app.status.sync, "Synced");
    assert_eq!(app.status.health.as_deref(), Some("Healthy"));
    assert_eq!(app.status.revision.as_deref(), Some(SHA_NEW));
    let op = app.status.operation.as_ref().expect("operation");
    assert_eq!(
        (op.phase.as_str(), op.initiated_by.as_str()),
        ("Succeeded", "automated")
    );
    assert!(!app.status.suspended);
    assert_eq!(
        app.status.automated,
        Some(Automated {
            prune: true,
            self_heal: true
        })
    );
    assert_eq!(app.ignored[0].json_pointers, vec!["/spec/replicas"]);
    assert!(app.problems.is_empty(), "{:?}", app.problems);
    assert_eq!(
        app.status_line(),
        "Argo CD: Synced · Healthy @9f2c1e1 · last operation Succeeded"
    );
}

#[test]
fn destinations_map_to_contexts_or_say_why_not() {
    let mut store = ObjectStore::default();
    let mut by_server = guestbook_app();
    by_server["metadata"]["name"] = json!("by-server");
    by_server["spec"]["destination"] = json!({"server": "https://34.1.2.3/", "namespace": "web"});
    let mut by_alias = guestbook_app();
    by_alias["metadata"]["name"] = json!("by-alias");
    by_alias["spec"]["destination"] = json!({"name": "prod", "namespace": "web"});
    let mut unknown = guestbook_app();
    unknown["metadata"]["name"] = json!("lost");
    unknown["spec"]["destination"] = json!({"name": "eu-west-9", "namespace": "web"});
    for a in [by_server, by_alias, unknown] {
        store.insert("Application", a);
    }
    let apps = build_apps(&store, "hub", "hub", &map());
    let find = |n: &str| apps.iter().find(|a| a.name == n).expect(n);
    assert_eq!(find("by-server").context, "gke-prod");
    assert_eq!(find("by-server").cluster, "prod");
    assert_eq!(find("by-alias").context, "gke-prod");
    let lost = find("lost");
    assert!(lost.context.is_empty());
    assert!(!lost.is_evaluated());
    assert!(
        lost.problems[0].contains("destination cluster `eu-west-9` has no kubeconfig context"),
        "{:?}",
        lost.problems
    );
}

#[test]
fn sources_sextant_cannot_read_say_so() {
    let mut multi = guestbook_app();
    multi["spec"]["sources"] = json!([
        {"repoURL": "https://github.com/example/platform.git", "path": "apps/a", "targetRevision": "main"},
        {"repoURL": "https://charts.example.com", "chart": "redis", "targetRevision": "18.1.0"}
    ]);
    let app = argocd::application(&multi, "hub", "hub");
    assert!(
        matches!(&app.evaluation, Evaluation::Unreadable { why } if why.contains("2 sources")),
        "{:?}",
        app.evaluation
    );
    let mut chart = guestbook_app();
    chart["spec"]["source"] =
        json!({"repoURL": "https://charts.example.com", "chart": "redis", "targetRevision": "18.1.0"});
    let app = argocd::application(&chart, "hub", "hub");
    assert_eq!(app.origin.kind, SourceKind::Helm);
    assert!(matches!(&app.evaluation, Evaluation::Unreadable { why } if why.contains("Helm chart redis")));
    let mut oci = guestbook_app();
    oci["spec"]["source"] =
        json!({"repoURL": "oci://ghcr.io/example/manifests", "path": ".", "targetRevision": "1.0"});
    assert_eq!(
        argocd::application(&oci, "hub", "hub").origin.kind,
        SourceKind::Oci
    );
}

#[test]
fn a_project_that_forbids_the_destination_is_named() {
    let mut store = ObjectStore::default();
    let mut app = guestbook_app();
    app["spec"]["project"] = json!("team-a");
    store.insert("Application", app);
    store.insert(
        "AppProject",
        json!({"metadata": {"name": "team-a", "namespace": "argocd"},
               "spec": {"destinations": [{"server": "https://kubernetes.default.svc", "namespace": "team-a-*"}]}}),
    );
    let apps = build_apps(&store, "hub", "hub", &map());
    assert!(
        apps[0].problems[0].contains("project team-a does not allow the destination"),
        "{:?}",
        apps[0].problems
    );
    assert!(argocd::glob("team-a-*", "team-a-web"));
    assert!(argocd::glob("*", "anything"));
    assert!(!argocd::glob("team-a-*", "team-b"));
}

#[test]
fn flux_kustomizations_and_helm_releases_read_with_their_sources() {
    let apps = build_apps(&flux_objects(), "prod-ctx", "prod", &map());
    let ks = apps.iter().find(|a| a.name == "payments").expect("kustomization");
    assert_eq!(ks.origin.repo_url, "ssh://git@github.com/example/platform");
    assert_eq!(
        (ks.origin.path.as_str(), ks.origin.revision.as_str()),
        ("apps/payments", "main")
    );
    assert_eq!((ks.cluster.as_str(), ks.context.as_str()), ("prod", "prod-ctx"));
    assert_eq!(ks.namespace, "payments");
    assert_eq!(ks.status.sync, "Ready");
    assert!(ks.status.suspended);
    assert_eq!(
        ks.status.revision.as_deref().and_then(revision_sha),
        Some(SHA_OLD)
    );
    assert!(matches!(ks.evaluation, Evaluation::RepoNotOpen { .. }));
    let hr = apps.iter().find(|a| a.name == "redis").expect("helm release");
    assert_eq!(hr.status.sync, "NotReady");
    assert_eq!(hr.status.reason.as_deref(), Some("InstallFailed"));
    assert!(
        matches!(&hr.evaluation, Evaluation::Unreadable { why } if why.contains("https://charts.bitnami.com/bitnami")),
        "{:?}",
        hr.evaluation
    );
}

#[test]
fn credentials_in_a_repo_url_are_never_kept() {
    let mut app = guestbook_app();
    app["spec"]["source"]["repoURL"] = json!("https://bot:s3cr3t-token@github.com/example/platform.git");
    let view = argocd::application(&app, "hub", "hub");
    assert_eq!(view.origin.repo_url, "https://github.com/example/platform.git");
    assert!(!serde_json::to_string(&view).unwrap().contains("s3cr3t"));
}

#[test]
fn revisions_give_their_commit() {
    assert_eq!(revision_sha(&format!("main@sha1:{SHA_NEW}")), Some(SHA_NEW));
    assert_eq!(revision_sha(&format!("main/{SHA_NEW}")), Some(SHA_NEW));
    assert_eq!(revision_sha(SHA_NEW), Some(SHA_NEW));
    assert_eq!(revision_sha("v1.2.3"), None);
}

fn drifted_deployment(path: &str, manager: &str) -> Arc<ObjectReport> {
    Arc::new(ObjectReport {
        key: crate::kube::key::ObjectKey {
            group: "apps".into(),
            kind: "Deployment".into(),
            namespace: "guestbook".into(),
            name: "guestbook-ui".into(),
        },
        api_version: "apps/v1".into(),
        status: SyncStatus::OutOfSync,
        health: "Healthy".into(),
        health_message: None,
        health_counts_as: None,
        reason: None,
        source: None,
        path: VerdictPath::Local,
        comparison: Some(Comparison {
            drift: true,
            changes: vec![FieldChange {
                path: path.into(),
                op: "replace".into(),
                live: Some(json!(5)),
                desired: Some(json!(1)),
                manager: Some(manager.into()),
                operation: None,
                time: None,
                seen: None,
                lines: (None, None),
            }],
            unmanaged: Vec::new(),
            live_yaml: String::new(),
            desired_yaml: String::new(),
            note: None,
        }),
    })
}

#[test]
fn ignored_differences_explain_a_synced_argo_app_that_sextant_finds_drifted() {
    let app = argocd::application(&guestbook_app(), "hub", "hub");
    let objects = vec![drifted_deployment(".spec.replicas", "kubectl-scale")];
    let why = disagreements(
        &app,
        &SextantSide {
            sync: SyncStatus::OutOfSync,
            commit: SHA_NEW,
            objects: &objects,
        },
    );
    assert_eq!(
        why,
        vec![
            "Argo CD ignores .spec.replicas of Deployment/guestbook-ui -n guestbook (spec.ignoreDifferences), \
             so it does not count that drift"
        ]
    );
    // A field it does not ignore: Argo CD has not compared since.
    let objects = vec![drifted_deployment(
        ".spec.template.spec.containers[name=web].image",
        "kubectl-set",
    )];
    let why = disagreements(
        &app,
        &SextantSide {
            sync: SyncStatus::OutOfSync,
            commit: SHA_NEW,
            objects: &objects,
        },
    );
    assert_eq!(why.len(), 1);
    assert!(
        why[0].starts_with("Argo CD last compared at 2026-12-04T10:00:00Z"),
        "{why:?}"
    );
}

#[test]
fn a_suspended_kustomization_behind_git_says_both() {
    let apps = build_apps(&flux_objects(), "prod", "prod", &map());
    let ks = apps.iter().find(|a| a.name == "payments").expect("ks");
    let why = disagreements(
        ks,
        &SextantSide {
            sync: SyncStatus::OutOfSync,
            commit: SHA_NEW,
            objects: &[],
        },
    );
    assert!(why[0].starts_with("the Kustomization is suspended"), "{why:?}");
    assert_eq!(
        why[1],
        "Flux last applied 41aa0b2 but Git is at 9f2c1e1: it has not reconciled since the last commit"
    );
    // Agreeing verdicts at the same commit have nothing to explain.
    let app = argocd::application(&guestbook_app(), "hub", "hub");
    let side = SextantSide {
        sync: SyncStatus::Synced,
        commit: SHA_NEW,
        objects: &[],
    };
    assert!(disagreements(&app, &side).is_empty());
}

#[test]
fn an_argo_sync_writes_the_operation_argocd_app_sync_writes() {
    let live = guestbook_app();
    let app = argocd::application(&live, "hub", "hub");
    let action = OperatorAction::Sync {
        revision: None,
        prune: true,
        resources: vec![crate::kube::key::ObjectKey {
            group: "apps".into(),
            kind: "Deployment".into(),
            namespace: "guestbook".into(),
            name: "guestbook-ui".into(),
        }],
    };
    let w = plan_write(&app, &live, &action, "ada", "2026-12-04T10:00:00Z").expect("write");
    assert_eq!(
        w.patch,
        json!({
            "metadata": {"resourceVersion": "42"},
            "operation": {
                "sync": {"revision": "main", "prune": true, "syncStrategy": {"hook": {}},
                         "resources": [{"group": "apps", "kind": "Deployment", "name": "guestbook-ui", "namespace": "guestbook"}]},
                "initiatedBy": {"username": "ada"},
                "info": [{"name": "Reason", "value": "sextant"}]
            },
            "status": {"operationState": null}
        })
    );
    assert!(w.warnings.is_empty());
    // An earlier revision with automated sync on: allowed, with the warning.
    let back = OperatorAction::Sync {
        revision: Some(SHA_OLD.into()),
        prune: false,
        resources: Vec::new(),
    };
    let w = plan_write(&app, &live, &back, "ada", "now").expect("write");
    assert_eq!(w.patch["operation"]["sync"]["revision"], SHA_OLD);
    assert!(
        w.warnings[0].contains("automated sync is on with self-heal"),
        "{:?}",
        w.warnings
    );
    // An operation already running is refused, as Argo CD's API server refuses it.
    let mut busy = live.clone();
    busy["operation"] = json!({"sync": {"revision": "main"}});
    let err = plan_write(&app, &busy, &action, "ada", "now").unwrap_err();
    assert!(err.contains("another operation is already in progress"), "{err}");
}

#[test]
fn argo_suspend_keeps_the_policy_and_resume_restores_it() {
    let live = guestbook_app();
    let app = argocd::application(&live, "hub", "hub");
    let w = plan_write(&app, &live, &OperatorAction::Suspend, "ada", "now").expect("suspend");
    assert_eq!(w.patch["spec"]["syncPolicy"]["automated"], Value::Null);
    let saved = w.patch["metadata"]["annotations"][SAVED_AUTOMATED]
        .as_str()
        .expect("saved");
    let mut suspended = live.clone();
    suspended["spec"]["syncPolicy"] = json!({});
    suspended["metadata"]["annotations"] = json!({SAVED_AUTOMATED: saved});
    let app = argocd::application(&suspended, "hub", "hub");
    assert!(app.status.suspended);
    let w = plan_write(&app, &suspended, &OperatorAction::Resume, "ada", "now").expect("resume");
    assert_eq!(
        w.patch["spec"]["syncPolicy"]["automated"],
        json!({"prune": true, "selfHeal": true})
    );
    assert_eq!(w.patch["metadata"]["annotations"][SAVED_AUTOMATED], Value::Null);
    let refresh = plan_write(
        &app,
        &live,
        &OperatorAction::Refresh { hard: false },
        "ada",
        "now",
    )
    .expect("refresh");
    assert_eq!(
        refresh.patch,
        json!({"metadata": {"annotations": {"argocd.argoproj.io/refresh": "normal"}}})
    );
}

#[test]
fn flux_writes_the_request_annotation_and_suspend() {
    let store = flux_objects();
    let apps = build_apps(&store, "prod", "prod", &map());
    let ks = apps.iter().find(|a| a.name == "payments").expect("ks");
    let live = store
        .source("Kustomization", "flux-system", "payments")
        .expect("live")
        .clone();
    use super::flux::SourceLookup;
    let sync = OperatorAction::Sync {
        revision: None,
        prune: false,
        resources: Vec::new(),
    };
    let err = plan_write(ks, &live, &sync, "ada", "2026-12-04T10:00:00.5Z").unwrap_err();
    assert!(err.contains("suspended"), "{err}");
    let w = plan_write(ks, &live, &OperatorAction::Resume, "ada", "now").expect("resume");
    assert_eq!(w.patch, json!({"spec": {"suspend": false}}));
    let mut resumed = live.clone();
    resumed["spec"]["suspend"] = json!(false);
    let w = plan_write(ks, &resumed, &sync, "ada", "2026-12-04T10:00:00.5Z").expect("reconcile");
    assert_eq!(
        w.patch,
        json!({"metadata": {"annotations": {"reconcile.fluxcd.io/requestedAt": "2026-12-04T10:00:00.5Z"}}})
    );
    let err = plan_write(
        ks,
        &resumed,
        &OperatorAction::Sync {
            revision: Some(SHA_OLD.into()),
            prune: false,
            resources: Vec::new(),
        },
        "ada",
        "now",
    )
    .unwrap_err();
    assert!(err.contains("revert in Git"), "{err}");
    // Followed: waiting until the controller handled this request, then Ready.
    assert!(matches!(
        progress(AppSource::Flux, &sync, &w, &resumed),
        Progress::Waiting(_)
    ));
    resumed["status"]["lastHandledReconcileAt"] = json!("2026-12-04T10:00:00.5Z");
    resumed["status"]["lastAppliedRevision"] = json!(format!("main@sha1:{SHA_NEW}"));
    match progress(AppSource::Flux, &sync, &w, &resumed) {
        Progress::Done { ok: true, message } => assert!(message.contains(SHA_NEW), "{message}"),
        other => panic!("{other:?}"),
    }
}

#[test]
fn an_argo_operation_is_followed_to_its_phase() {
    let live = guestbook_app();
    let app = argocd::application(&live, "hub", "hub");
    let sync = OperatorAction::Sync {
        revision: None,
        prune: false,
        resources: Vec::new(),
    };
    let w = plan_write(&app, &live, &sync, "ada", "now").expect("write");
    let mut obj = live.clone();
    obj["operation"] = w.patch["operation"].clone();
    obj["status"]["operationState"] = Value::Null;
    assert!(matches!(
        progress(AppSource::Argocd, &sync, &w, &obj),
        Progress::Waiting(_)
    ));
    assert_eq!(app_phase(&obj), None);
    obj["status"]["operationState"] = json!({"phase": "Running", "message": "one pending"});
    assert!(
        matches!(progress(AppSource::Argocd, &sync, &w, &obj), Progress::Waiting(m) if m.contains("Running"))
    );
    obj["status"]["operationState"] = json!({"phase": "Failed", "message": "one or more objects failed to apply",
                                             "syncResult": {"revision": SHA_NEW}});
    assert_eq!(
        progress(AppSource::Argocd, &sync, &w, &obj),
        Progress::Done {
            ok: false,
            message: "Failed at 9f2c1e1: one or more objects failed to apply".into()
        }
    );
}

fn app_phase(obj: &Value) -> Option<String> {
    argocd::operation(obj)
        .filter(|o| o.phase != "Requested")
        .map(|o| o.phase)
}

#[test]
fn kinds_at_other_versions_are_named() {
    use super::kinds::{KUSTOMIZATION, Served, served, version_message};
    let v = |list: &[(&str, &[&str])]| -> Vec<(String, Vec<String>)> {
        list.iter()
            .map(|(v, ks)| (v.to_string(), ks.iter().map(|k| k.to_string()).collect()))
            .collect()
    };
    assert_eq!(served(&KUSTOMIZATION, &[]), Served::NoGroup);
    assert_eq!(
        served(&KUSTOMIZATION, &v(&[("v1", &["Kustomization"])])),
        Served::Yes
    );
    let old = served(&KUSTOMIZATION, &v(&[("v1beta2", &["Kustomization"])]));
    assert_eq!(old, Served::OtherVersions(vec!["v1beta2".into()]));
    let msg = version_message(&KUSTOMIZATION, &["v1beta2".into()], "prod");
    assert!(
        msg.contains("serves Kustomization only as kustomize.toolkit.fluxcd.io/v1beta2"),
        "{msg}"
    );
}
