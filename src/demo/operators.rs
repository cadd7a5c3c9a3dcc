//! The demo's Argo CD and Flux: stand-in CRDs (the real ones' groups, versions and kinds,
//! with open schemas), an Argo CD `Application` deploying `apps/catalog` to prod-eu and a
//! Flux `Kustomization` deploying `apps/search` to staging, both from the demo repo, with
//! the status their operators would have written. No operator runs here: the simulated
//! controllers in `operator_controllers.rs` write their status as they would, and every
//! object says so (`sextant.dev/simulated-operator`), so the cockpit can tell the user.

use super::clusters::{apply, client_of};
use super::scenario::{ARGO_CLUSTER, FLUX_CLUSTER, REPO_URL};
use crate::gitops::operators::SIMULATED_ANNOTATION;
use crate::gitops::operators::kinds::{APPLICATION, GIT_REPOSITORY, KUSTOMIZATION, OperatorKind};
use crate::kube::discovery::KindResolver;
use color_eyre::eyre::{WrapErr, eyre};
use kube::Client;
use kube::api::{Api, DynamicObject, Patch, PatchParams};
use serde_json::{Value, json};
use std::path::Path;
use std::time::Duration;

/// The field managers the simulated operators write as.
pub const ARGO_MANAGER: &str = "argocd-controller";
pub const FLUX_MANAGER: &str = "kustomize-controller";

fn crd(kind: &OperatorKind, status_subresource: bool) -> Value {
    let mut version = json!({
        "name": kind.version, "served": true, "storage": true,
        "schema": {"openAPIV3Schema": {"type": "object", "x-kubernetes-preserve-unknown-fields": true}}
    });
    if status_subresource {
        version["subresources"] = json!({"status": {}});
    }
    json!({
        "apiVersion": "apiextensions.k8s.io/v1", "kind": "CustomResourceDefinition",
        "metadata": {"name": format!("{}.{}", kind.plural, kind.group)},
        "spec": {
            "group": kind.group, "scope": "Namespaced",
            "names": {"kind": kind.kind, "plural": kind.plural,
                      "singular": kind.kind.to_ascii_lowercase(), "listKind": format!("{}List", kind.kind)},
            "versions": [version]
        }
    })
}

fn namespace(name: &str) -> Value {
    json!({"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": name}})
}

fn simulated() -> Value {
    json!({ SIMULATED_ANNOTATION: "the Sextant demo's simulated controller writes this object's status" })
}

/// The Application `catalog` as `argocd app create` would make it.
pub fn catalog_application() -> Value {
    json!({
        "apiVersion": "argoproj.io/v1alpha1", "kind": "Application",
        "metadata": {"name": "catalog", "namespace": "argocd", "annotations": simulated()},
        "spec": {
            "project": "default",
            "source": {"repoURL": REPO_URL, "path": "apps/catalog", "targetRevision": "HEAD"},
            "destination": {"server": "https://kubernetes.default.svc", "namespace": "catalog"},
            "syncPolicy": {"automated": {"prune": true}}
        }
    })
}

fn search_objects() -> (Value, Value) {
    let repo = json!({
        "apiVersion": "source.toolkit.fluxcd.io/v1", "kind": "GitRepository",
        "metadata": {"name": "platform-config", "namespace": "flux-system"},
        "spec": {"url": REPO_URL, "ref": {"branch": "main"}, "interval": "1m"}
    });
    let ks = json!({
        "apiVersion": "kustomize.toolkit.fluxcd.io/v1", "kind": "Kustomization",
        "metadata": {"name": "search", "namespace": "flux-system", "annotations": simulated()},
        "spec": {"interval": "10m", "path": "./apps/search", "prune": true, "targetNamespace": "search",
                 "sourceRef": {"kind": "GitRepository", "name": "platform-config"}}
    });
    (repo, ks)
}

async fn install(client: &Client, cluster: &str, objects: &[Value]) -> color_eyre::Result<()> {
    let mut resolver = KindResolver::new(client.clone(), cluster);
    for obj in objects
        .iter()
        .filter(|o| o["kind"] == "CustomResourceDefinition" || o["kind"] == "Namespace")
    {
        apply(client, &mut resolver, obj, "kubectl").await?;
    }
    for obj in objects.iter().filter(|o| o["kind"] == "CustomResourceDefinition") {
        let name = obj["metadata"]["name"].as_str().unwrap_or_default();
        crate::kube::write::wait_established(client, name, Duration::from_secs(10))
            .await
            .map_err(|e| eyre!("demo CRD on {cluster}: {e}"))?;
    }
    // Kinds the CRDs just added: a fresh resolver finds them.
    let mut resolver = KindResolver::new(client.clone(), cluster);
    for obj in objects
        .iter()
        .filter(|o| o["kind"] != "CustomResourceDefinition" && o["kind"] != "Namespace")
    {
        apply(client, &mut resolver, obj, "kubectl").await?;
    }
    Ok(())
}

/// Install the operators' CRDs and objects, deploy their apps at `tip` as the operators
/// would have, write the status they would report, and leave one drift Argo CD has not
/// seen yet (catalog scaled by hand on prod-eu).
pub async fn setup(repo: &Path, tip: &str, clients: &[(String, Client)]) -> color_eyre::Result<()> {
    let argo = client_of(clients, ARGO_CLUSTER)?;
    install(
        argo,
        ARGO_CLUSTER,
        &[
            crd(&APPLICATION, false),
            namespace("argocd"),
            catalog_application(),
        ],
    )
    .await?;
    let flux = client_of(clients, FLUX_CLUSTER)?;
    let (git_repo, ks) = search_objects();
    install(
        flux,
        FLUX_CLUSTER,
        &[
            crd(&GIT_REPOSITORY, true),
            crd(&KUSTOMIZATION, true),
            namespace("flux-system"),
            namespace("search"),
            git_repo,
            ks,
        ],
    )
    .await?;
    let now = crate::time::now_secs();
    super::operator_controllers::deploy_catalog(argo, repo, tip).await?;
    argo_status(argo, tip, now - 600, "automated").await?;
    super::operator_controllers::deploy_search(flux, repo, tip).await?;
    flux_status(flux, tip, now - 300, None).await?;
    // Someone scales the catalog by hand; Argo CD (without self-heal) last compared before.
    let deployments: Api<k8s_openapi::api::apps::v1::Deployment> = Api::namespaced(argo.clone(), "catalog");
    let params = PatchParams {
        field_manager: Some("kubectl".into()),
        ..PatchParams::default()
    };
    deployments
        .patch_scale(
            "catalog-api",
            &params,
            &Patch::Merge(json!({"spec": {"replicas": 4}})),
        )
        .await
        .wrap_err("scaling the demo catalog")?;
    Ok(())
}

fn params() -> PatchParams {
    PatchParams {
        field_manager: Some("argocd-application-controller".into()),
        ..PatchParams::default()
    }
}

/// Write what Argo CD's controller reports after a sync of `commit` by `who`.
pub async fn argo_status(client: &Client, commit: &str, at: i64, who: &str) -> color_eyre::Result<()> {
    let time = crate::time::format_rfc3339(at);
    let initiated = if who == "automated" {
        json!({"automated": true})
    } else {
        json!({"username": who})
    };
    let patch = json!({
        "operation": null,
        "status": {
            "sync": {"status": "Synced", "revision": commit},
            "health": {"status": "Healthy"},
            "reconciledAt": time,
            "operationState": {
                "phase": "Succeeded", "message": "successfully synced (all tasks run)",
                "startedAt": time, "finishedAt": time,
                "operation": {"sync": {"revision": commit}, "initiatedBy": initiated},
                "syncResult": {"revision": commit}
            }
        }
    });
    let api: Api<DynamicObject> = Api::namespaced_with(client.clone(), "argocd", &APPLICATION.resource());
    api.patch("catalog", &params(), &Patch::Merge(&patch))
        .await
        .wrap_err("writing the demo Application's status")?;
    Ok(())
}

/// Write what kustomize-controller reports after applying `commit` (having handled the
/// reconcile request `handled`, if any).
pub async fn flux_status(
    client: &Client,
    commit: &str,
    at: i64,
    handled: Option<&str>,
) -> color_eyre::Result<()> {
    let revision = format!("main@sha1:{commit}");
    let mut status = json!({
        "observedGeneration": 1,
        "lastAppliedRevision": revision,
        "lastAttemptedRevision": revision,
        "conditions": [{"type": "Ready", "status": "True", "reason": "ReconciliationSucceeded",
                        "message": format!("Applied revision: {revision}"),
                        "lastTransitionTime": crate::time::format_rfc3339(at)}]
    });
    if let Some(h) = handled {
        status["lastHandledReconcileAt"] = json!(h);
    }
    let api: Api<DynamicObject> =
        Api::namespaced_with(client.clone(), "flux-system", &KUSTOMIZATION.resource());
    let params = PatchParams {
        field_manager: Some(FLUX_MANAGER.into()),
        ..PatchParams::default()
    };
    api.patch_status("search", &params, &Patch::Merge(json!({ "status": status })))
        .await
        .wrap_err("writing the demo Kustomization's status")?;
    Ok(())
}
