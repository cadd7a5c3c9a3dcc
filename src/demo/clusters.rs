//! The demo's clusters: each app applied with server-side apply as `sextant` at the commit the
//! scenario says (stamped with its tracking id and deployed revision, as a sync would), then
//! the out-of-band changes an SRE meets on a normal day, each made by its own field manager so
//! the cockpit can name who did it.

use super::scenario::{self, CLUSTERS};
use crate::gitops::engine::desired::{DesiredApp, DesiredRequest, render_all};
use crate::gitops::tracking;
use crate::kube::cluster::connect;
use crate::kube::discovery::KindResolver;
use color_eyre::eyre::{WrapErr, eyre};
use kube::Client;
use kube::api::{Api, DynamicObject, Patch, PatchParams};
use kube::config::Kubeconfig;
use serde_json::{Value, json};
use std::path::Path;

/// A client per demo cluster.
pub async fn clients(kubeconfig: &Kubeconfig) -> color_eyre::Result<Vec<(String, Client)>> {
    let mut out = Vec::new();
    for name in CLUSTERS {
        let client = connect(kubeconfig, name)
            .await
            .map_err(|state| eyre!("demo cluster {name} is {state}"))?;
        out.push((name.to_string(), client));
    }
    Ok(out)
}

/// Apply every app to every cluster at the commit the scenario gives it.
pub async fn deploy(repo: &Path, commits: &[String], clients: &[(String, Client)]) -> color_eyre::Result<()> {
    let tip = commits.len() - 1;
    for (cluster, client) in clients {
        let mut resolver = KindResolver::new(client.clone(), cluster);
        // Render the cluster's apps at each commit it runs some app at.
        for (step, commit) in commits.iter().enumerate() {
            let apps = render(repo, commit, cluster)?;
            for app in apps
                .iter()
                .filter(|a| scenario::deployed_step(cluster, &a.target.app.name, tip) == step)
            {
                apply_app(client, &mut resolver, app, commit).await?;
            }
        }
    }
    Ok(())
}

/// What the CD pipeline of `cluster` does on a push: apply `app` at `commit`, stamped as a
/// sync would stamp it.
pub async fn deploy_app(
    repo: &Path,
    commit: &str,
    cluster: &str,
    client: &Client,
    app: &str,
) -> color_eyre::Result<()> {
    let mut resolver = KindResolver::new(client.clone(), cluster);
    for desired in render(repo, commit, cluster)?
        .iter()
        .filter(|a| a.target.app.name == app)
    {
        apply_app(client, &mut resolver, desired, commit).await?;
    }
    Ok(())
}

fn render(repo: &Path, commit: &str, cluster: &str) -> color_eyre::Result<Vec<DesiredApp>> {
    let request = DesiredRequest {
        repo: repo.to_path_buf(),
        revision: commit.to_string(),
        user: Default::default(),
        only_app: None,
        only_cluster: Some(cluster.to_string()),
        contexts: Vec::new(),
    };
    let apps = render_all(&request).map_err(|e| eyre!("rendering the demo repo: {e}"))?;
    if let Some(err) = apps.iter().flat_map(|a| &a.rendered.errors).next() {
        return Err(eyre!("rendering the demo repo: {}: {}", err.source, err.message));
    }
    Ok(apps)
}

/// Namespaces first, then the rest, each stamped as a sync of `commit` would stamp it.
async fn apply_app(
    client: &Client,
    resolver: &mut KindResolver,
    app: &DesiredApp,
    commit: &str,
) -> color_eyre::Result<()> {
    let mut objects: Vec<Value> = app.rendered.objects.iter().map(|o| o.object.clone()).collect();
    objects.sort_by_key(|o| o.get("kind").and_then(Value::as_str) != Some("Namespace"));
    for mut obj in objects {
        tracking::stamp(&mut obj, &app.target.app.name).map_err(|e| eyre!("stamping a demo object: {e}"))?;
        tracking::stamp_revision(&mut obj, commit).map_err(|e| eyre!("stamping a demo object: {e}"))?;
        apply(client, resolver, &obj, "sextant").await?;
    }
    Ok(())
}

/// Server-side apply `obj` as `manager`.
pub(super) async fn apply(
    client: &Client,
    resolver: &mut KindResolver,
    obj: &Value,
    manager: &str,
) -> color_eyre::Result<()> {
    let (api, name) = api_for(client, resolver, obj).await?;
    api.patch(&name, &PatchParams::apply(manager).force(), &Patch::Apply(obj))
        .await
        .wrap_err_with(|| format!("applying {name} to the demo cluster"))?;
    Ok(())
}

async fn api_for(
    client: &Client,
    resolver: &mut KindResolver,
    obj: &Value,
) -> color_eyre::Result<(Api<DynamicObject>, String)> {
    let s = |p: &str| obj.pointer(p).and_then(Value::as_str).unwrap_or_default();
    let info = resolver
        .resolve(s("/apiVersion"), s("/kind"))
        .await
        .map_err(|e| eyre!("demo object {}: {e}", s("/metadata/name")))?;
    let api = if info.namespaced {
        Api::namespaced_with(client.clone(), s("/metadata/namespace"), &info.resource)
    } else {
        Api::all_with(client.clone(), &info.resource)
    };
    Ok((api, s("/metadata/name").to_string()))
}

pub(super) fn client_of<'a>(clients: &'a [(String, Client)], name: &str) -> color_eyre::Result<&'a Client> {
    clients
        .iter()
        .find(|(n, _)| n == name)
        .map(|(_, c)| c)
        .ok_or_else(|| eyre!("no demo cluster {name}"))
}

fn params(manager: &str) -> PatchParams {
    PatchParams {
        field_manager: Some(manager.to_string()),
        ..PatchParams::default()
    }
}

/// The day's out-of-band changes, each by its own manager:
/// - prod-us: someone ran `kubectl scale` on the guestbook UI during a traffic spike;
/// - prod-us: a ConfigMap the guestbook app no longer has in Git is still there (prune candidate);
/// - staging: the payments DB password was edited by hand (its value is never shown).
pub async fn drift(clients: &[(String, Client)], tip_commit: &str) -> color_eyre::Result<()> {
    let prod_us = client_of(clients, "prod-us")?;
    let deployments: Api<k8s_openapi::api::apps::v1::Deployment> =
        Api::namespaced(prod_us.clone(), "guestbook");
    deployments
        .patch_scale(
            "guestbook-ui",
            &params("kubectl"),
            &Patch::Merge(json!({"spec": {"replicas": 5}})),
        )
        .await
        .wrap_err("scaling the demo guestbook")?;
    let mut legacy = json!({
        "apiVersion": "v1", "kind": "ConfigMap",
        "metadata": {"name": "guestbook-legacy", "namespace": "guestbook",
                     "annotations": {tracking::REVISION_ANNOTATION: tip_commit}},
        "data": {"GUESTBOOK_BANNER": "old banner"}
    });
    tracking::stamp(&mut legacy, "guestbook").map_err(|e| eyre!("stamping the demo ConfigMap: {e}"))?;
    let mut resolver = KindResolver::new(prod_us.clone(), "prod-us");
    apply(prod_us, &mut resolver, &legacy, "sextant").await?;

    let staging = client_of(clients, "staging")?;
    let secrets: Api<k8s_openapi::api::core::v1::Secret> = Api::namespaced(staging.clone(), "payments");
    let password = base64::Engine::encode(&base64::engine::general_purpose::STANDARD, "rotated-by-hand");
    secrets
        .patch(
            "payments-db",
            &params("kubectl-edit"),
            &Patch::Merge(json!({"data": {"password": password}})),
        )
        .await
        .wrap_err("editing the demo Secret")?;
    Ok(())
}

/// A change that arrives while you watch: the on-call raises redis's memory limit on
/// prod-eu with a hotfix, and the cockpit shows the drift appear.
pub async fn live_hotfix(clients: &[(String, Client)]) -> color_eyre::Result<()> {
    let prod_eu = client_of(clients, "prod-eu")?;
    let api: Api<k8s_openapi::api::apps::v1::Deployment> = Api::namespaced(prod_eu.clone(), "cache");
    let patch = json!({"spec": {"template": {"spec": {"containers": [
        {"name": "redis", "resources": {"limits": {"memory": "1Gi"}}}
    ]}}}});
    api.patch("redis", &params("hotfix"), &Patch::Strategic(patch))
        .await
        .wrap_err("the demo hotfix")?;
    Ok(())
}
