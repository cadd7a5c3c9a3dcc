//! Discovery per cluster, for the kinds in use only: one request per group-version, cached.
//! A kind the cluster does not serve (CRD not installed) resolves to a clear reason.

use kube::Client;
use kube::core::GroupVersion;
use kube::discovery::{ApiResource, Scope};
use std::collections::HashMap;

/// What the engine needs to know about a kind on one cluster.
#[derive(Debug, Clone)]
pub struct KindInfo {
    pub resource: ApiResource,
    pub namespaced: bool,
}

/// Resolves `(apiVersion, kind)` on one cluster, asking each group-version once.
pub struct KindResolver {
    client: Client,
    cluster: String,
    /// apiVersion -> (kind -> info), or why the group-version is not usable.
    groups: HashMap<String, Result<HashMap<String, KindInfo>, String>>,
}

impl KindResolver {
    pub fn new(client: Client, cluster: &str) -> KindResolver {
        KindResolver {
            client,
            cluster: cluster.to_string(),
            groups: HashMap::new(),
        }
    }

    /// Forget cached answers, so kinds whose CRD was installed since are found.
    pub fn forget_failures(&mut self) {
        self.groups.retain(|_, v| v.is_ok());
    }

    /// Resolve one kind; the error says what is missing and what to do.
    pub async fn resolve(&mut self, api_version: &str, kind: &str) -> Result<KindInfo, String> {
        if !self.groups.contains_key(api_version) {
            let answer = self.fetch(api_version).await;
            self.groups.insert(api_version.to_string(), answer);
        }
        match self.groups.get(api_version) {
            Some(Ok(kinds)) => kinds.get(kind).cloned().ok_or_else(|| {
                format!(
                    "kind {kind} is not served by cluster {} in {api_version}: is its CRD installed?",
                    self.cluster
                )
            }),
            Some(Err(e)) => Err(e.clone()),
            None => Err(format!("{api_version} was not discovered on {}", self.cluster)),
        }
    }

    /// Whether a resolved kind is namespaced (`None` when unknown or not yet resolved).
    pub fn namespaced(&self, api_version: &str, kind: &str) -> Option<bool> {
        match self.groups.get(api_version)? {
            Ok(kinds) => kinds.get(kind).map(|k| k.namespaced),
            Err(_) => None,
        }
    }

    async fn fetch(&self, api_version: &str) -> Result<HashMap<String, KindInfo>, String> {
        let gv: GroupVersion = api_version
            .parse()
            .map_err(|e| format!("apiVersion `{api_version}` is not valid: {e}"))?;
        let request = kube::discovery::pinned_group(&self.client, &gv);
        let group = match tokio::time::timeout(super::cluster::CONNECT_TIMEOUT, request).await {
            Ok(Ok(g)) => g,
            Ok(Err(kube::Error::Api(s))) if s.code == 404 => {
                return Err(format!(
                    "{api_version} is not served by cluster {}: is its CRD installed?",
                    self.cluster
                ));
            }
            Ok(Err(e)) => {
                return Err(format!(
                    "discovery of {api_version} on {} failed: {e}",
                    self.cluster
                ));
            }
            Err(_) => {
                return Err(format!(
                    "discovery of {api_version} on {} timed out",
                    self.cluster
                ));
            }
        };
        let mut kinds = HashMap::new();
        for (resource, caps) in group.versioned_resources(&gv.version) {
            let namespaced = matches!(caps.scope, Scope::Namespaced);
            kinds
                .entry(resource.kind.clone())
                .or_insert(KindInfo { resource, namespaced });
        }
        Ok(kinds)
    }
}

/// The kinds that hold at least one object carrying `label` (e.g. `sextant.dev/app`), found
/// with one label-selected `LIST ?limit=1` per listable kind. This finds Extra objects of
/// kinds no app renders any more. Failures and slow kinds are skipped, never fatal.
pub async fn kinds_with_label(client: &Client, label: &str) -> Vec<KindInfo> {
    use futures::StreamExt;
    let discovery = kube::Discovery::new(client.clone()).run();
    let Ok(Ok(discovery)) = tokio::time::timeout(super::cluster::CONNECT_TIMEOUT, discovery).await else {
        return Vec::new();
    };
    let candidates: Vec<KindInfo> = discovery
        .groups()
        .flat_map(|g| g.recommended_resources())
        .filter(|(_, caps)| caps.supports_operation(kube::discovery::verbs::LIST))
        .map(|(resource, caps)| KindInfo { resource, namespaced: matches!(caps.scope, Scope::Namespaced) })
        .collect();
    let params = kube::api::ListParams::default().labels(label).limit(1);
    futures::stream::iter(candidates)
        .map(|info| {
            let api: kube::Api<kube::api::DynamicObject> = kube::Api::all_with(client.clone(), &info.resource);
            let params = params.clone();
            async move {
                let list = tokio::time::timeout(super::cluster::CONNECT_TIMEOUT, api.list(&params)).await;
                matches!(list, Ok(Ok(l)) if !l.items.is_empty()).then_some(info)
            }
        })
        .buffer_unordered(8)
        .filter_map(|found| async move { found })
        .collect()
        .await
}
