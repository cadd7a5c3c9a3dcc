//! `sextant demo`: the whole product on one machine, with no cluster and no setup. It starts
//! three sandbox clusters in process (staging, prod-eu, prod-us), builds a config repo with a
//! few days of history, deploys it the way a sync would, adds the out-of-band changes of a
//! normal day, and opens the cockpit on it. A hotfix lands a few seconds in, live; on request
//! (`--outage-after`), prod-us drops off the network for a while and comes back.
//!
//! Everything lives in a temporary directory removed on exit (`--dir` keeps it).

mod clusters;
mod repo;
pub mod scenario;

use crate::cli::GlobalArgs;
use crate::logging::Dirs;
use crate::sandbox::{Sandbox, SandboxOptions};
use clap::Args;
use color_eyre::eyre::{WrapErr, eyre};
use std::path::PathBuf;
use std::time::Duration;

#[derive(Debug, Clone, Args)]
pub struct DemoArgs {
    /// Build the demo in this directory and keep it (default: a temporary one, removed on exit).
    #[arg(long, value_name = "DIR")]
    pub dir: Option<PathBuf>,
    /// Set everything up, print how to use it with kubectl and sextant, and serve until Ctrl-C
    /// instead of opening the cockpit.
    #[arg(long)]
    pub no_tui: bool,
    /// Seconds before the live hotfix lands on prod-eu (0: never).
    #[arg(long, default_value_t = 8, value_name = "SECS")]
    pub hotfix_after: u64,
    /// Seconds before prod-us drops off the network, to see an outage and the reconnect
    /// (0: never).
    #[arg(long, default_value_t = 0, value_name = "SECS")]
    pub outage_after: u64,
    /// How long the prod-us outage lasts, in seconds.
    #[arg(long, default_value_t = 10, value_name = "SECS")]
    pub outage_for: u64,
}

/// Where the demo's files are.
struct Layout {
    repo: PathBuf,
    kubeconfig: PathBuf,
    /// Removed on drop when the demo made it.
    _temp: Option<tempfile::TempDir>,
}

fn layout(args: &DemoArgs) -> color_eyre::Result<Layout> {
    let (root, temp) = match &args.dir {
        Some(dir) => {
            if dir.join("platform-config").exists() {
                return Err(eyre!(
                    "{} already holds a demo; remove it or pick another --dir",
                    dir.display()
                ));
            }
            (dir.clone(), None)
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
        kubeconfig: root.join("kubeconfig"),
        _temp: temp,
    })
}

pub fn run(args: &DemoArgs, global: &GlobalArgs, dirs: &Dirs) -> color_eyre::Result<i32> {
    let files = layout(args)?;
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or(0);
    let history = scenario::history();
    let commits = repo::build(&files.repo, &history, now)?;
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
    sandbox
        .write_kubeconfig(&files.kubeconfig)
        .wrap_err_with(|| format!("writing {}", files.kubeconfig.display()))?;
    let kubeconfig = crate::kube::cluster::load_kubeconfig(Some(&files.kubeconfig)).map_err(|e| eyre!(e))?;
    let clients = runtime.block_on(async {
        let clients = clusters::clients(&kubeconfig).await?;
        clusters::deploy(&files.repo, &commits, &clients).await?;
        let tip = commits.last().map(String::as_str).unwrap_or_default();
        clusters::drift(&clients, tip).await?;
        Ok::<_, color_eyre::Report>(clients)
    })?;
    if args.hotfix_after > 0 {
        let delay = Duration::from_secs(args.hotfix_after);
        runtime.spawn(async move {
            tokio::time::sleep(delay).await;
            if let Err(e) = clusters::live_hotfix(&clients).await {
                tracing::warn!("demo hotfix: {e:#}");
            }
        });
    }
    let sandbox = std::sync::Arc::new(sandbox);
    if args.outage_after > 0 {
        let (after, lasts) = (
            Duration::from_secs(args.outage_after),
            Duration::from_secs(args.outage_for),
        );
        let sandbox = sandbox.clone();
        runtime.spawn(async move {
            tokio::time::sleep(after).await;
            sandbox.set_outage(scenario::OUTAGE_CLUSTER, true);
            tokio::time::sleep(lasts).await;
            sandbox.set_outage(scenario::OUTAGE_CLUSTER, false);
        });
    }
    let code = if args.no_tui {
        print_usage(&files);
        runtime.block_on(async {
            let _ = tokio::signal::ctrl_c().await;
        });
        0
    } else {
        let cockpit = GlobalArgs {
            repos: vec![files.repo.display().to_string()],
            kubeconfig: Some(files.kubeconfig.clone()),
            ..global.clone()
        };
        crate::app::run(&cockpit, dirs)?
    };
    // The outage task may still hold the sandbox; otherwise shut it down cleanly.
    if let Ok(sandbox) = std::sync::Arc::try_unwrap(sandbox) {
        runtime.block_on(sandbox.shutdown());
    }
    runtime.shutdown_timeout(Duration::from_millis(300));
    Ok(code)
}

fn print_usage(files: &Layout) {
    let (repo, kc) = (files.repo.display(), files.kubeconfig.display());
    println!("Sextant demo: clusters staging, prod-eu and prod-us are serving on 127.0.0.1.");
    println!("  config repo  {repo}");
    println!("  kubeconfig   {kc}");
    println!();
    println!("Try:");
    println!("  export KUBECONFIG={kc}");
    println!("  kubectl --context prod-us get deploy -A");
    println!("  sextant --repo {repo} status");
    println!("  sextant --repo {repo} diff guestbook --cluster prod-us");
    println!("  sextant --repo {repo}");
    println!();
    println!("Serving until Ctrl-C.");
}
