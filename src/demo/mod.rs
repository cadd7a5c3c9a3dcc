//! `sextant demo`: the whole product on one machine, with no cluster and no setup. It starts
//! three sandbox clusters in process (staging, prod-eu, prod-us), builds a config repo with a
//! few days of history, deploys it the way a sync would, adds the out-of-band changes of a
//! normal day, and serves it. A hotfix lands a few seconds in, live; then the incident: a bad
//! commit is pushed, prod-eu's delivery pipeline deploys it and payments turns Degraded there.
//! On request, prod-us drops off the network for a while and comes back. The command layer
//! opens the cockpit on
//! it (or serves it for kubectl).
//!
//! Everything lives in a temporary directory removed when the demo is dropped (`dir` keeps it).

mod clusters;
mod operator_controllers;
mod operators;
mod repo;
pub mod scenario;

use crate::sandbox::{Sandbox, SandboxOptions};
use color_eyre::eyre::{WrapErr, eyre};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

/// How to set the demo up.
#[derive(Debug, Clone, Default)]
pub struct DemoOptions {
    /// Build the demo in this directory and keep it (default: a temporary one).
    pub dir: Option<PathBuf>,
    /// Delay before the live hotfix lands on prod-eu (`None`: never).
    pub hotfix_after: Option<Duration>,
    /// Delay before the bad commit is pushed and deployed to prod-eu (`None`: never).
    pub bad_commit_after: Option<Duration>,
    /// Delay before prod-us drops off the network, and how long it stays off.
    pub outage: Option<(Duration, Duration)>,
}

/// Where the demo's files are.
struct Layout {
    root: PathBuf,
    repo: PathBuf,
    /// The bare repository the demo repo pushes to.
    origin: PathBuf,
    kubeconfig: PathBuf,
    /// Removed on drop when the demo made it.
    _temp: Option<tempfile::TempDir>,
}

/// A demo that is serving: its clusters run on their own runtime until [`Demo::shutdown`].
pub struct Demo {
    files: Layout,
    runtime: tokio::runtime::Runtime,
    sandbox: Arc<Sandbox>,
}

fn layout(dir: Option<&Path>) -> color_eyre::Result<Layout> {
    let (root, temp) = match dir {
        Some(dir) => {
            if dir.join("platform-config").exists() {
                return Err(eyre!(
                    "{} already holds a demo; remove it or pick another --dir",
                    dir.display()
                ));
            }
            (dir.to_path_buf(), None)
        }
        None => {
            let t = tempfile::Builder::new()
                .prefix("sextant-demo-")
                .tempdir()
                .wrap_err("creating a temporary directory for the demo")?;
            (t.path().to_path_buf(), Some(t))
        }
    };
    Ok(Layout {
        repo: root.join("platform-config"),
        origin: root.join("origin.git"),
        kubeconfig: root.join("kubeconfig"),
        root,
        _temp: temp,
    })
}

impl Demo {
    /// Build the repo, start the clusters, deploy and drift them, and schedule the live events.
    pub fn start(opts: &DemoOptions) -> color_eyre::Result<Demo> {
        let files = layout(opts.dir.as_deref())?;
        let now = crate::time::now_secs();
        let history = scenario::history();
        let commits = repo::build(&files.repo, &files.origin, &history, now)?;
        // The clusters run on their own runtime, beside the cockpit's.
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(1)
            .thread_name("sandbox")
            .enable_all()
            .build()
            .wrap_err("starting the sandbox runtime")?;
        let sandbox = runtime.block_on(async {
            let opts = SandboxOptions {
                cluster_names: scenario::CLUSTERS.iter().map(|c| c.to_string()).collect(),
                port: 0,
                simulate_controllers: true,
            };
            Sandbox::start(opts).await.wrap_err("starting the demo clusters")
        })?;
        // No cluster's registry has the bad commit's image.
        for cluster in scenario::CLUSTERS {
            sandbox.lack_image(cluster, scenario::BAD_IMAGE);
        }
        sandbox
            .write_kubeconfig(&files.kubeconfig)
            .wrap_err_with(|| format!("writing {}", files.kubeconfig.display()))?;
        let kubeconfig =
            crate::kube::cluster::load_kubeconfig(Some(&files.kubeconfig)).map_err(|e| eyre!(e))?;
        let clients = runtime.block_on(async {
            let clients = clusters::clients(&kubeconfig).await?;
            clusters::deploy(&files.repo, &commits, &clients).await?;
            let tip = commits.last().map(String::as_str).unwrap_or_default();
            clusters::drift(&clients, tip).await?;
            operators::setup(&files.repo, tip, &clients).await?;
            Ok::<_, color_eyre::Report>(clients)
        })?;
        // The simulated Argo CD and Flux controllers (the cockpit says they are simulated).
        for (cluster, client) in &clients {
            let repo = files.repo.clone();
            if cluster == scenario::ARGO_CLUSTER {
                runtime.spawn(operator_controllers::run_argocd(client.clone(), repo.clone()));
            }
            if cluster == scenario::FLUX_CLUSTER {
                runtime.spawn(operator_controllers::run_flux(client.clone(), repo));
            }
        }
        let clients = Arc::new(clients);
        if let Some(delay) = opts.hotfix_after {
            let clients = clients.clone();
            runtime.spawn(async move {
                tokio::time::sleep(delay).await;
                if let Err(e) = clusters::live_hotfix(&clients).await {
                    tracing::warn!("demo hotfix: {e:#}");
                }
            });
        }
        if let Some(delay) = opts.bad_commit_after {
            let repo = files.repo.clone();
            runtime.spawn(async move {
                tokio::time::sleep(delay).await;
                if let Err(e) = incident(&repo, &clients).await {
                    tracing::warn!("demo incident: {e:#}");
                }
            });
        }
        let sandbox = Arc::new(sandbox);
        if let Some((after, lasts)) = opts.outage {
            let sandbox = sandbox.clone();
            runtime.spawn(async move {
                tokio::time::sleep(after).await;
                sandbox.set_outage(scenario::OUTAGE_CLUSTER, true);
                tokio::time::sleep(lasts).await;
                sandbox.set_outage(scenario::OUTAGE_CLUSTER, false);
            });
        }
        Ok(Demo {
            files,
            runtime,
            sandbox,
        })
    }

    /// The bare repository the demo repo pushes to.
    pub fn origin(&self) -> &Path {
        &self.files.origin
    }

    /// The directory holding everything the demo made (a temporary one unless `dir` was given).
    pub fn dir(&self) -> &Path {
        &self.files.root
    }

    /// The demo's config repository.
    pub fn repo(&self) -> &Path {
        &self.files.repo
    }

    /// The kubeconfig with a context per demo cluster.
    pub fn kubeconfig(&self) -> &Path {
        &self.files.kubeconfig
    }

    /// Serve until Ctrl-C.
    pub fn serve_until_interrupted(&self) {
        self.runtime.block_on(async {
            let _ = tokio::signal::ctrl_c().await;
        });
    }

    /// Stop the clusters; the temporary directory goes with the demo.
    pub fn shutdown(self) {
        // The outage task may still hold the sandbox; otherwise shut it down cleanly.
        if let Ok(sandbox) = Arc::try_unwrap(self.sandbox) {
            self.runtime.block_on(sandbox.shutdown());
        }
        self.runtime.shutdown_timeout(Duration::from_millis(300));
    }
}

/// The incident: the bad commit is committed and pushed, and a moment later prod-eu's
/// pipeline deploys it. Skipped (and logged) when someone has uncommitted changes in the demo
/// repo.
async fn incident(repo: &Path, clients: &[(String, kube::Client)]) -> color_eyre::Result<()> {
    let dir = repo.to_path_buf();
    let commit = tokio::task::spawn_blocking(move || {
        if !repo::is_clean(&dir)? {
            return Err(eyre!(
                "the demo repo has uncommitted changes: the bad commit was not made"
            ));
        }
        let id = repo::commit(&dir, &scenario::bad_commit(), crate::time::now_secs())?;
        repo::push(&dir)?;
        Ok(id)
    })
    .await
    .wrap_err("the demo's bad commit")??;
    // The pipeline's run, as the cockpit sees it: the commit first, then prod-eu catching up.
    tokio::time::sleep(PIPELINE_TAKES).await;
    let client = clusters::client_of(clients, scenario::CD_CLUSTER)?;
    clusters::deploy_app(repo, &commit, scenario::CD_CLUSTER, client, "payments").await
}

/// How long prod-eu's pipeline takes to deploy a pushed commit.
const PIPELINE_TAKES: Duration = Duration::from_secs(2);
