//! `sextant sandbox`: serve sandbox clusters on 127.0.0.1, write their kubeconfig, and keep
//! serving until Ctrl-C or SIGTERM.

use super::args::GlobalArgs;
use crate::logging::Dirs;
use crate::sandbox::{Sandbox, SandboxOptions};
use clap::Args;
use color_eyre::eyre::WrapErr;
use std::path::PathBuf;

#[derive(Debug, Clone, Args)]
#[command(
    after_help = "For this command, the global --kubeconfig FILE is where the sandbox's kubeconfig is \
written (default ./sandbox.kubeconfig). Each cluster gets an admin context <name> and a view-only \
context <name>-readonly."
)]
pub struct SandboxArgs {
    /// First port to listen on; cluster i uses PORT+i (0 picks free ports).
    #[arg(long, default_value_t = 0)]
    pub port: u16,
    /// How many clusters to serve (named sandbox-1, sandbox-2, ...; a single one is `sandbox`).
    #[arg(long, default_value_t = 1)]
    pub clusters: usize,
    /// Cluster names instead of generated ones (repeatable), e.g. --name staging --name prod-eu.
    #[arg(long = "name", value_name = "NAME")]
    pub names: Vec<String>,
    /// Do not simulate controllers (workload status stays as created).
    #[arg(long)]
    pub no_controllers: bool,
}

fn names(args: &SandboxArgs) -> Vec<String> {
    if !args.names.is_empty() {
        return args.names.clone();
    }
    match args.clusters {
        1 => vec!["sandbox".to_string()],
        n => (1..=n).map(|i| format!("sandbox-{i}")).collect(),
    }
}

pub fn run(args: &SandboxArgs, global: &GlobalArgs, _dirs: &Dirs) -> color_eyre::Result<i32> {
    if args.clusters == 0 && args.names.is_empty() {
        color_eyre::eyre::bail!("--clusters must be at least 1");
    }
    let path = global
        .kubeconfig
        .clone()
        .unwrap_or_else(|| PathBuf::from("sandbox.kubeconfig"));
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .wrap_err("starting the async runtime")?;
    runtime.block_on(async {
        let opts = SandboxOptions {
            cluster_names: names(args),
            port: args.port,
            simulate_controllers: !args.no_controllers,
        };
        let sandbox = Sandbox::start(opts).await?;
        sandbox
            .write_kubeconfig(&path)
            .wrap_err_with(|| format!("writing the kubeconfig to {}", path.display()))?;
        println!(
            "Sextant sandbox: {} cluster(s) on 127.0.0.1",
            sandbox.clusters().len()
        );
        for c in sandbox.clusters() {
            println!(
                "  {:<16} {}   contexts: {} (admin), {}-readonly (view)",
                c.name, c.server, c.name, c.name
            );
        }
        println!("Kubeconfig written to {}", path.display());
        println!(
            "Use it with:  export KUBECONFIG={}   then   kubectl get ns",
            path.display()
        );
        println!("Serving until Ctrl-C.");
        wait_for_signal().await;
        println!("Stopping the sandbox.");
        sandbox.shutdown().await;
        Ok::<i32, color_eyre::Report>(0)
    })
}

async fn wait_for_signal() {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{SignalKind, signal};
        match signal(SignalKind::terminate()) {
            Ok(mut term) => {
                tokio::select! {
                    _ = tokio::signal::ctrl_c() => {}
                    _ = term.recv() => {}
                }
            }
            Err(_) => {
                let _ = tokio::signal::ctrl_c().await;
            }
        }
    }
    #[cfg(not(unix))]
    {
        let _ = tokio::signal::ctrl_c().await;
    }
}
