//! The demo's simulated Argo CD and Flux controllers. They watch the demo's `Application`
//! and `Kustomization` and do, in miniature, what the real ones do when Sextant acts
//! through them: an Application's `operation` is run (its `status.operationState` goes
//! Running, the app's manifests at the revision are applied, then Succeeded, and the
//! `operation` is cleared); a refresh annotation is handled and removed; a Kustomization's
//! `reconcile.fluxcd.io/requestedAt` is handled (applied, `lastHandledReconcileAt` and the
//! Ready condition written) unless it is suspended. Demo only: never part of the engine.

use super::clusters::apply;
use super::operators::{ARGO_MANAGER, FLUX_MANAGER, argo_status, flux_status};
use crate::git::snapshot::Snapshot;
use crate::gitops::apps::{AppSpec, Renderer};
use crate::gitops::operators::kinds::{APPLICATION, KUSTOMIZATION};
use crate::gitops::operators::{argocd, flux};
use crate::kube::discovery::KindResolver;
use color_eyre::eyre::eyre;
use futures::StreamExt;
use kube::Client;
use kube::api::{Api, DynamicObject, Patch, PatchParams};
use kube::runtime::watcher;
use serde_json::{Value, json};
use std::path::{Path, PathBuf};
use std::time::Duration;

/// Render `path` of the demo repo at `revision` into objects, in `namespace` when they name
/// none; returns the commit rendered.
fn render(
    repo: &Path,
    revision: &str,
    path: &str,
    namespace: &str,
) -> color_eyre::Result<(String, Vec<Value>)> {
    let rev = if revision.is_empty() { "HEAD" } else { revision };
    let snapshot = Snapshot::open(repo, rev).map_err(|e| eyre!("{e}"))?;
    let spec = AppSpec {
        name: path.rsplit('/').next().unwrap_or(path).to_string(),
        path: path.to_string(),
        namespace: Some(namespace.to_string()),
        clusters: Vec::new(),
        renderer: Renderer::Auto,
        line: None,
    };
    let rendered = crate::gitops::render::render_app(&snapshot, &spec, "");
    if let Some(e) = rendered.errors.first() {
        return Err(eyre!("{}: {}", e.source, e.message));
    }
    let objects = rendered
        .objects
        .into_iter()
        .map(|o| {
            let mut v = o.object;
            if v["kind"] != "Namespace" && v["metadata"]["namespace"].is_null() {
                v["metadata"]["namespace"] = json!(namespace);
            }
            v
        })
        .collect();
    Ok((snapshot.commit, objects))
}

async fn deploy(client: &Client, objects: &[Value], manager: &str) -> color_eyre::Result<()> {
    let mut resolver = KindResolver::new(client.clone(), "demo");
    let mut sorted: Vec<&Value> = objects.iter().collect();
    sorted.sort_by_key(|o| o["kind"] != "Namespace");
    for obj in sorted {
        apply(client, &mut resolver, obj, manager).await?;
    }
    Ok(())
}

/// Apply `apps/catalog` at `revision` as Argo CD's controller would; returns the commit.
pub async fn deploy_catalog(client: &Client, repo: &Path, revision: &str) -> color_eyre::Result<String> {
    let (commit, objects) = render(repo, revision, "apps/catalog", "catalog")?;
    deploy(client, &objects, ARGO_MANAGER).await?;
    Ok(commit)
}

/// Apply `apps/search` at `revision` into `search`, as kustomize-controller would.
pub async fn deploy_search(client: &Client, repo: &Path, revision: &str) -> color_eyre::Result<String> {
    let (commit, mut objects) = render(repo, revision, "apps/search", "search")?;
    for o in objects.iter_mut().filter(|o| o["kind"] != "Namespace") {
        o["metadata"]["namespace"] = json!("search");
    }
    deploy(client, &objects, FLUX_MANAGER).await?;
    Ok(commit)
}

/// Run the simulated Argo CD controller on `client` until the runtime stops.
pub async fn run_argocd(client: Client, repo: PathBuf) {
    let api: Api<DynamicObject> = Api::all_with(client.clone(), &APPLICATION.resource());
    let mut stream = watcher(api, watcher::Config::default()).boxed();
    while let Some(event) = stream.next().await {
        let Ok(watcher::Event::Apply(obj) | watcher::Event::InitApply(obj)) = event else {
            continue;
        };
        let Ok(obj) = serde_json::to_value(obj) else {
            continue;
        };
        let result = if obj.get("operation").is_some_and(Value::is_object) {
            argo_sync(&client, &repo, &obj).await
        } else if obj
            .pointer("/metadata/annotations")
            .and_then(|a| a.get(argocd::REFRESH_ANNOTATION))
            .is_some()
        {
            argo_refresh(&client, &obj).await
        } else {
            Ok(())
        };
        if let Err(e) = result {
            tracing::warn!("demo Argo CD controller: {e:#}");
        }
    }
}

fn app_api(client: &Client) -> Api<DynamicObject> {
    Api::namespaced_with(client.clone(), "argocd", &APPLICATION.resource())
}

fn controller_params() -> PatchParams {
    PatchParams {
        field_manager: Some("argocd-application-controller".into()),
        ..PatchParams::default()
    }
}

async fn argo_sync(client: &Client, repo: &Path, obj: &Value) -> color_eyre::Result<()> {
    let name = obj["metadata"]["name"].as_str().unwrap_or_default();
    let op = obj["operation"].clone();
    let revision = op
        .pointer("/sync/revision")
        .and_then(Value::as_str)
        .unwrap_or("HEAD");
    let started = crate::time::format_rfc3339(crate::time::now_secs());
    let running = json!({"status": {"operationState": {
        "phase": "Running", "message": "one or more tasks are running", "startedAt": started, "operation": op
    }}});
    app_api(client)
        .patch(name, &controller_params(), &Patch::Merge(&running))
        .await?;
    tokio::time::sleep(Duration::from_millis(700)).await;
    let who = op
        .pointer("/initiatedBy/username")
        .and_then(Value::as_str)
        .unwrap_or("automated")
        .to_string();
    match deploy_catalog(client, repo, revision).await {
        Ok(commit) => argo_status(client, &commit, crate::time::now_secs(), &who).await,
        Err(e) => {
            let failed = json!({"operation": null, "status": {"operationState": {
                "phase": "Failed", "message": format!("{e:#}"), "startedAt": started, "operation": op,
                "finishedAt": crate::time::format_rfc3339(crate::time::now_secs())
            }}});
            app_api(client)
                .patch(name, &controller_params(), &Patch::Merge(&failed))
                .await?;
            Ok(())
        }
    }
}

async fn argo_refresh(client: &Client, obj: &Value) -> color_eyre::Result<()> {
    let name = obj["metadata"]["name"].as_str().unwrap_or_default();
    let patch = json!({
        "metadata": {"annotations": {argocd::REFRESH_ANNOTATION: null}},
        "status": {"reconciledAt": crate::time::format_rfc3339(crate::time::now_secs())}
    });
    app_api(client)
        .patch(name, &controller_params(), &Patch::Merge(&patch))
        .await?;
    Ok(())
}

/// Run the simulated kustomize-controller on `client` until the runtime stops.
pub async fn run_flux(client: Client, repo: PathBuf) {
    let api: Api<DynamicObject> = Api::all_with(client.clone(), &KUSTOMIZATION.resource());
    let mut stream = watcher(api, watcher::Config::default()).boxed();
    while let Some(event) = stream.next().await {
        let Ok(watcher::Event::Apply(obj) | watcher::Event::InitApply(obj)) = event else {
            continue;
        };
        let Ok(obj) = serde_json::to_value(obj) else {
            continue;
        };
        let requested = obj
            .pointer("/metadata/annotations")
            .and_then(|a| a.get(flux::REQUESTED_AT))
            .and_then(Value::as_str)
            .map(str::to_string);
        let suspended = obj.pointer("/spec/suspend").and_then(Value::as_bool) == Some(true);
        let Some(requested) =
            requested.filter(|r| !suspended && flux::last_handled(&obj).as_ref() != Some(r))
        else {
            continue;
        };
        tokio::time::sleep(Duration::from_millis(500)).await;
        let result = match deploy_search(&client, &repo, "main").await {
            Ok(commit) => flux_status(&client, &commit, crate::time::now_secs(), Some(&requested)).await,
            Err(e) => Err(e),
        };
        if let Err(e) = result {
            tracing::warn!("demo Flux controller: {e:#}");
        }
    }
}
