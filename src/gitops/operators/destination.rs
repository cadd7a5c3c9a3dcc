//! Argo CD destinations mapped to kubeconfig contexts: `destination.name` matches a
//! config.yaml cluster alias or a kubeconfig context (`in-cluster` is the Application's own
//! cluster); `destination.server` matches the server URL of a kubeconfig cluster
//! (`https://kubernetes.default.svc` is the Application's own cluster).

use super::argocd::{ArgoDestination, IN_CLUSTER_NAME, IN_CLUSTER_SERVER};
use crate::config::UserConfig;
use kube::config::Kubeconfig;

/// The clusters Sextant knows: kubeconfig contexts with their servers, and aliases.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ClusterMap {
    /// (context, server URL), in kubeconfig order.
    pub contexts: Vec<(String, String)>,
    /// (alias, context) from config.yaml.
    pub aliases: Vec<(String, String)>,
}

impl ClusterMap {
    pub fn new(kubeconfig: &Kubeconfig, user: &UserConfig) -> ClusterMap {
        let server_of = |cluster: &str| {
            kubeconfig
                .clusters
                .iter()
                .find(|c| c.name == cluster)
                .and_then(|c| c.cluster.as_ref())
                .and_then(|c| c.server.clone())
                .unwrap_or_default()
        };
        let contexts = kubeconfig
            .contexts
            .iter()
            .map(|c| {
                let cluster = c.context.as_ref().map(|x| x.cluster.clone()).unwrap_or_default();
                (c.name.clone(), server_of(&cluster))
            })
            .collect();
        let aliases = user
            .clusters
            .keys()
            .map(|alias| (alias.clone(), user.context_for(alias).to_string()))
            .collect();
        ClusterMap { contexts, aliases }
    }

    /// The name Sextant shows for a context: its alias when config.yaml gives one.
    pub fn cluster_name(&self, context: &str) -> String {
        self.aliases
            .iter()
            .find(|(alias, ctx)| ctx == context && alias != context)
            .map(|(alias, _)| alias.clone())
            .unwrap_or_else(|| context.to_string())
    }

    /// The (cluster name, context) an Argo CD destination names, for an Application living
    /// on `home` (a context), or why it cannot be told.
    pub fn resolve(&self, dest: &ArgoDestination, home: &str) -> Result<(String, String), String> {
        let home_pair = || (self.cluster_name(home), home.to_string());
        if !dest.name.is_empty() {
            if dest.name == IN_CLUSTER_NAME {
                return Ok(home_pair());
            }
            if let Some((alias, ctx)) = self.aliases.iter().find(|(a, _)| *a == dest.name) {
                return Ok((alias.clone(), ctx.clone()));
            }
            if self.contexts.iter().any(|(c, _)| *c == dest.name) {
                return Ok((self.cluster_name(&dest.name), dest.name.clone()));
            }
            return Err(format!(
                "its destination cluster `{}` has no kubeconfig context: add a context named `{}`, \
                 or an alias `{}` in config.yaml",
                dest.name, dest.name, dest.name
            ));
        }
        let server = dest.server.trim_end_matches('/');
        if server.is_empty() {
            return Err("it names no destination cluster (spec.destination.server or name)".into());
        }
        if server == IN_CLUSTER_SERVER {
            return Ok(home_pair());
        }
        // Prefer the home context when it points at that server, then kubeconfig order.
        let matching: Vec<&String> = self
            .contexts
            .iter()
            .filter(|(_, s)| s.trim_end_matches('/') == server)
            .map(|(c, _)| c)
            .collect();
        let chosen = matching
            .iter()
            .find(|c| c.as_str() == home)
            .or_else(|| matching.first())
            .copied();
        match chosen {
            Some(ctx) => Ok((self.cluster_name(ctx), ctx.clone())),
            None => Err(format!(
                "its destination cluster {server} has no kubeconfig context: add a context whose \
                 cluster server is {server}"
            )),
        }
    }
}
