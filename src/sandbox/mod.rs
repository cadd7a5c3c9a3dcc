//! The in-process Kubernetes API server used by tests, `sextant sandbox` and the demo.
//!
//! Each cluster is one listener on 127.0.0.1 with its own store. It serves discovery,
//! CRUD, list/watch, server-side apply with managedFields and conflicts, merge/JSON/
//! strategic patches, `dryRun=All`, defaulting as recorded in the golden corpus, real
//! Status errors, an admin and a read-only token, and (optionally) simulated controllers.

mod accept;
pub mod admission;
mod api;
mod auth;
mod bootstrap;
mod catalog;
mod clock;
mod cluster;
mod controller_events;
mod controllers;
mod defaults;
mod discovery;
mod http;
mod kinds;
mod last_applied;
mod managed;
mod metrics;
mod openapi;
mod paging;
mod patch;
mod quantity;
mod read;
mod replicaset;
mod reviews;
mod route;
mod schema;
mod selector;
mod status;
mod store;
mod strategy;
mod table;
mod tls;
mod typecheck;
mod typed;
mod verbs;
mod watch;
mod write;

use cluster::Cluster;
use serde_json::json;
use std::path::Path;
use std::sync::Arc;
use tokio::net::TcpListener;
use tokio::task::JoinHandle;

/// What to start.
#[derive(Debug, Clone)]
pub struct SandboxOptions {
    /// One cluster per name (kubeconfig context names).
    pub cluster_names: Vec<String>,
    /// First port; cluster i listens on `port + i`. 0 picks free ports.
    pub port: u16,
    /// Run simulated controllers (Deployment/StatefulSet/Job status, revisions).
    pub simulate_controllers: bool,
}

impl Default for SandboxOptions {
    fn default() -> Self {
        SandboxOptions {
            cluster_names: vec!["sandbox".into()],
            port: 0,
            simulate_controllers: false,
        }
    }
}

/// Where one cluster listens and how to authenticate to it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClusterEndpoint {
    pub name: String,
    /// `https://127.0.0.1:PORT`
    pub server: String,
    pub admin_token: String,
    pub readonly_token: String,
    /// PEM of the CA that signed the server certificate (also in the kubeconfig).
    pub certificate_authority: String,
}

#[derive(Debug, thiserror::Error)]
pub enum SandboxError {
    #[error("no cluster names given: pass at least one (for example `sandbox`)")]
    NoClusters,
    #[error(
        "cluster name {0:?} is not usable as a kubeconfig context: use lowercase letters, digits, '-' and '.'"
    )]
    BadName(String),
    #[error("cluster name {0:?} is given twice: names must be unique")]
    DuplicateName(String),
    #[error("{0}")]
    Tls(String),
    #[error(
        "cannot listen on 127.0.0.1:{port} for cluster {name:?}: {source} (pick another --port, or 0 for free ports)"
    )]
    Bind {
        name: String,
        port: u16,
        #[source]
        source: std::io::Error,
    },
}

/// Running sandbox clusters; dropping it (or `shutdown`) stops every server.
pub struct Sandbox {
    endpoints: Vec<ClusterEndpoint>,
    clusters: Vec<Arc<Cluster>>,
    stop: tokio::sync::watch::Sender<bool>,
    tasks: Vec<JoinHandle<()>>,
}

fn valid_name(name: &str) -> bool {
    !name.is_empty()
        && name.len() <= 63
        && name
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || c == '.')
}

impl Sandbox {
    /// Bind every cluster's listener and start serving. Must run inside a tokio runtime.
    pub async fn start(opts: SandboxOptions) -> Result<Sandbox, SandboxError> {
        if opts.cluster_names.is_empty() {
            return Err(SandboxError::NoClusters);
        }
        for (i, name) in opts.cluster_names.iter().enumerate() {
            if !valid_name(name) {
                return Err(SandboxError::BadName(name.clone()));
            }
            if opts.cluster_names[..i].contains(name) {
                return Err(SandboxError::DuplicateName(name.clone()));
            }
        }
        let tls = tls::generate().map_err(SandboxError::Tls)?;
        let (stop, stop_rx) = tokio::sync::watch::channel(false);
        let mut endpoints = Vec::new();
        let mut clusters = Vec::new();
        let mut tasks = Vec::new();
        for (i, name) in opts.cluster_names.iter().enumerate() {
            let port = if opts.port == 0 {
                0
            } else {
                opts.port.saturating_add(i as u16)
            };
            let listener =
                TcpListener::bind(("127.0.0.1", port))
                    .await
                    .map_err(|source| SandboxError::Bind {
                        name: name.clone(),
                        port,
                        source,
                    })?;
            let addr = listener.local_addr().map_err(|source| SandboxError::Bind {
                name: name.clone(),
                port,
                source,
            })?;
            let (kicks, kick_rx) = tokio::sync::mpsc::unbounded_channel();
            let kicks = opts.simulate_controllers.then_some(kicks);
            let cluster = Arc::new(Cluster::new(name, addr.to_string(), kicks));
            clusters.push(cluster.clone());
            endpoints.push(ClusterEndpoint {
                name: name.clone(),
                server: format!("https://{addr}"),
                admin_token: cluster.admin_token.clone(),
                readonly_token: cluster.readonly_token.clone(),
                certificate_authority: tls.ca_pem.clone(),
            });
            if opts.simulate_controllers {
                tasks.push(tokio::spawn(controllers::run(
                    cluster.clone(),
                    kick_rx,
                    stop_rx.clone(),
                )));
            }
            tasks.push(tokio::spawn(http::serve(
                listener,
                tls.acceptor.clone(),
                cluster,
                stop_rx.clone(),
            )));
        }
        Ok(Sandbox {
            endpoints,
            clusters,
            stop,
            tasks,
        })
    }

    pub fn clusters(&self) -> &[ClusterEndpoint] {
        &self.endpoints
    }

    pub fn cluster(&self, name: &str) -> Option<&ClusterEndpoint> {
        self.endpoints.iter().find(|c| c.name == name)
    }

    /// Compact cluster `name`'s event history, as etcd does: open watches end with 410
    /// Expired and clients list again. Returns false for an unknown name.
    pub fn compact(&self, name: &str) -> bool {
        self.with_cluster(name, |c| c.compact())
    }

    /// Simulate a network outage of cluster `name` (`down`), or end it: during one, every
    /// connection to it is closed, watches included, and new ones are closed on accept. Its
    /// objects are kept. Returns false for an unknown name.
    pub fn set_outage(&self, name: &str, down: bool) -> bool {
        self.with_cluster(name, |c| c.set_outage(down))
    }

    /// The simulated registry of cluster `name` lacks `image` from now on: workloads that use
    /// it never become ready (their Pods wait on the image). Returns false for an unknown name.
    pub fn lack_image(&self, name: &str, image: &str) -> bool {
        self.with_cluster(name, |c| c.lack_image(image))
    }

    /// How many watches are open on cluster `name` (tests wait on it to know a client is
    /// streaming); `None` for an unknown name.
    pub fn open_watches(&self, name: &str) -> Option<usize> {
        let c = self.clusters.iter().find(|c| c.name == name)?;
        Some(c.lock().open_watches())
    }

    /// Every write request (method and path) that reached cluster `name`, dry-runs aside,
    /// whether the server allowed it or not; `None` for an unknown name.
    pub fn writes(&self, name: &str) -> Option<Vec<String>> {
        let c = self.clusters.iter().find(|c| c.name == name)?;
        Some(c.admission.writes())
    }

    /// Install a stand-in validating webhook on cluster `name` that denies writes to the
    /// object `denial.object`. Returns false for an unknown name.
    pub fn deny(&self, name: &str, denial: admission::Denial) -> bool {
        self.with_cluster(name, |c| c.admission.deny(denial))
    }

    /// Run `f` on cluster `name`; false when there is no such cluster.
    fn with_cluster(&self, name: &str, f: impl FnOnce(&Cluster)) -> bool {
        self.clusters
            .iter()
            .find(|c| c.name == name)
            .map(|c| f(c))
            .is_some()
    }

    /// The kubeconfig text: contexts `<name>` (admin) and `<name>-readonly` (view-only);
    /// current-context is the first admin context.
    pub fn kubeconfig(&self) -> String {
        use base64::Engine;
        let clusters: Vec<_> = self
            .endpoints
            .iter()
            .map(|e| {
                let ca = base64::engine::general_purpose::STANDARD.encode(e.certificate_authority.as_bytes());
                json!({"name": e.name, "cluster": {"server": e.server, "certificate-authority-data": ca}})
            })
            .collect();
        let mut users = Vec::new();
        let mut contexts = Vec::new();
        for e in &self.endpoints {
            users.push(json!({"name": format!("{}-admin", e.name), "user": {"token": e.admin_token}}));
            users.push(json!({"name": format!("{}-readonly", e.name), "user": {"token": e.readonly_token}}));
            contexts.push(
                json!({"name": e.name, "context": {"cluster": e.name, "user": format!("{}-admin", e.name)}}),
            );
            contexts.push(json!({"name": format!("{}-readonly", e.name),
                "context": {"cluster": e.name, "user": format!("{}-readonly", e.name)}}));
        }
        let current = self.endpoints.first().map(|e| e.name.clone()).unwrap_or_default();
        let doc = json!({"apiVersion": "v1", "kind": "Config", "preferences": {}, "clusters": clusters,
            "users": users, "contexts": contexts, "current-context": current});
        crate::yaml::to_string(&doc).unwrap_or_default()
    }

    /// Write the kubeconfig (mode 0600: it holds tokens).
    pub fn write_kubeconfig(&self, path: &Path) -> std::io::Result<()> {
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir)?;
        }
        std::fs::write(path, self.kubeconfig())?;
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o600))?;
        }
        Ok(())
    }

    /// Stop every server and controller.
    pub async fn shutdown(mut self) {
        let _ = self.stop.send(true);
        for t in self.tasks.drain(..) {
            let _ = t.await;
        }
    }
}

impl Drop for Sandbox {
    fn drop(&mut self) {
        let _ = self.stop.send(true);
        for t in &self.tasks {
            t.abort();
        }
    }
}
