//! For the operator tests: the real Argo CD and Flux CRDs installed in a sandbox cluster,
//! objects shaped as the operators' docs describe, and — since no operator can run here —
//! `play_*_controller` helpers that write `status` and `operationState` the way the
//! application controller and kustomize-controller would. Test-only, by design.
#![allow(dead_code)]

use crate::engine_env::Env;
use serde_json::{Value, json};
use std::path::Path;

/// The remote URL the test repo claims, and that the operators' objects name.
pub const REPO_URL: &str = "https://github.com/example/platform.git";

fn fixture(rel: &str) -> String {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/operators")
        .join(rel)
        .display()
        .to_string()
}

/// Install the CRDs Sextant reads (not the 1.4 MB ApplicationSet one unless asked).
pub async fn install_crds(env: &Env, context: &str, with_applicationset: bool) {
    let mut files = vec![
        "argocd/application-crd.yaml",
        "argocd/appproject-crd.yaml",
        "flux/kustomize.toolkit.fluxcd.io_kustomizations.yaml",
        "flux/source.toolkit.fluxcd.io_gitrepositories.yaml",
        "flux/source.toolkit.fluxcd.io_ocirepositories.yaml",
        "flux/source.toolkit.fluxcd.io_helmrepositories.yaml",
        "flux/helm.toolkit.fluxcd.io_helmreleases.yaml",
    ];
    if with_applicationset {
        files.push("argocd/applicationset-crd.yaml");
    }
    for f in files {
        env.kubectl_ok(context, &["apply", "--server-side", "-f", &fixture(f)])
            .await;
    }
    for crd in [
        "applications.argoproj.io",
        "kustomizations.kustomize.toolkit.fluxcd.io",
        "gitrepositories.source.toolkit.fluxcd.io",
    ] {
        env.kubectl_ok(
            context,
            &[
                "wait",
                "--for=condition=Established",
                "--timeout=30s",
                &format!("crd/{crd}"),
            ],
        )
        .await;
    }
}

/// Apply a JSON object with kubectl (server-side, as its owner would).
pub async fn apply(env: &Env, context: &str, obj: &Value, manager: &str) {
    let path = env.tmp.path().join(format!("obj-{}.json", rand_name(obj)));
    std::fs::write(&path, obj.to_string()).expect("write object");
    env.kubectl_ok(
        context,
        &[
            "apply",
            "--server-side",
            "--field-manager",
            manager,
            "-f",
            &path.display().to_string(),
        ],
    )
    .await;
}

fn rand_name(obj: &Value) -> String {
    format!(
        "{}-{}-{}",
        obj["kind"].as_str().unwrap_or("x"),
        obj["metadata"]["namespace"].as_str().unwrap_or(""),
        obj["metadata"]["name"].as_str().unwrap_or("x")
    )
}

/// An Argo CD Application as `argocd app create` makes it.
pub fn application(name: &str, path: &str, dest: Value, automated: bool) -> Value {
    let mut app = json!({
        "apiVersion": "argoproj.io/v1alpha1",
        "kind": "Application",
        "metadata": {"name": name, "namespace": "argocd"},
        "spec": {
            "project": "default",
            "source": {"repoURL": REPO_URL, "path": path, "targetRevision": "HEAD"},
            "destination": dest,
        }
    });
    if automated {
        app["spec"]["syncPolicy"] = json!({"automated": {"prune": true, "selfHeal": true}});
    }
    app
}

/// Flux's GitRepository `platform` and a Kustomization `name` of `path` from it.
pub fn flux_pair(name: &str, path: &str, target_ns: &str) -> (Value, Value) {
    let repo = json!({
        "apiVersion": "source.toolkit.fluxcd.io/v1", "kind": "GitRepository",
        "metadata": {"name": "platform", "namespace": "flux-system"},
        "spec": {"url": "ssh://git@github.com/example/platform", "ref": {"branch": "main"}, "interval": "1m"}
    });
    let ks = json!({
        "apiVersion": "kustomize.toolkit.fluxcd.io/v1", "kind": "Kustomization",
        "metadata": {"name": name, "namespace": "flux-system"},
        "spec": {"interval": "10m", "path": path, "prune": true, "targetNamespace": target_ns,
                 "sourceRef": {"kind": "GitRepository", "name": "platform"}}
    });
    (repo, ks)
}

/// Play Argo CD's application controller: write `status` (sync, health, reconciledAt) the
/// way it does after comparing (the Application CRD has no status subresource).
pub async fn play_argocd_controller_status(env: &Env, context: &str, app: &str, sync: &str, revision: &str) {
    let patch = json!({"status": {
        "sync": {"status": sync, "revision": revision},
        "health": {"status": "Healthy"},
        "reconciledAt": "2026-12-04T10:00:00Z"
    }});
    patch_application(env, context, app, &patch).await;
}

/// Play Argo CD's application controller finishing a requested operation: clear
/// `operation`, write `status.operationState` with `phase` and the revision synced.
pub async fn play_argocd_controller_finish(env: &Env, context: &str, app: &str, phase: &str, revision: &str) {
    let live: Value = serde_json::from_str(
        &env.kubectl_ok(
            context,
            &["-n", "argocd", "get", "application", app, "-o", "json"],
        )
        .await,
    )
    .expect("json");
    let patch = json!({
        "operation": null,
        "status": {"operationState": {
            "operation": live["operation"].clone(),
            "phase": phase,
            "message": if phase == "Succeeded" { "successfully synced (all tasks run)" } else { "one or more objects failed to apply" },
            "startedAt": "2026-12-04T10:00:01Z",
            "finishedAt": "2026-12-04T10:00:05Z",
            "syncResult": {"revision": revision, "resources": []}
        }}
    });
    patch_application(env, context, app, &patch).await;
}

/// Play kustomize-controller: handle the last reconcile request and report Ready with the
/// applied revision, through the status subresource.
pub async fn play_flux_controller_ready(
    env: &Env,
    context: &str,
    ks: &str,
    revision: &str,
    handled: Option<&str>,
) {
    let mut status = json!({
        "observedGeneration": 1,
        "lastAppliedRevision": revision,
        "lastAttemptedRevision": revision,
        "conditions": [{"type": "Ready", "status": "True", "reason": "ReconciliationSucceeded",
                        "message": format!("Applied revision: {revision}"),
                        "lastTransitionTime": "2026-12-04T10:00:00Z", "observedGeneration": 1}]
    });
    if let Some(h) = handled {
        status["lastHandledReconcileAt"] = json!(h);
    }
    env.kubectl_ok(
        context,
        &[
            "-n",
            "flux-system",
            "patch",
            "kustomization",
            ks,
            "--subresource=status",
            "--type",
            "merge",
            "-p",
            &json!({ "status": status }).to_string(),
        ],
    )
    .await;
}

/// `kubectl patch --type merge` an Application (no status subresource: status is patched
/// on the object itself, as Argo CD's controller does).
pub async fn patch_application(env: &Env, context: &str, app: &str, patch: &Value) {
    let patch = patch.to_string();
    let args = [
        "-n",
        "argocd",
        "patch",
        "application",
        app,
        "--type",
        "merge",
        "-p",
        &patch,
    ];
    env.kubectl_ok(context, &args).await;
}

/// The object as kubectl reads it back.
pub async fn get(env: &Env, context: &str, namespace: &str, resource: &str, name: &str) -> Value {
    let text = env
        .kubectl_ok(context, &["-n", namespace, "get", resource, name, "-o", "json"])
        .await;
    serde_json::from_str(&text).expect("kubectl json")
}
