//! `sextant demo`: start the demo's clusters and repo, then open the cockpit on them (or print
//! how to use them with kubectl and serve until Ctrl-C).

use super::args::GlobalArgs;
use crate::demo::{Demo, DemoOptions};
use crate::logging::Dirs;
use clap::Args;
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
    /// Seconds before the incident: a bad commit to payments is pushed and prod-eu's pipeline
    /// deploys it (0: never).
    #[arg(long, default_value_t = 20, value_name = "SECS")]
    pub bad_commit_after: u64,
    /// Seconds before prod-us drops off the network, to see an outage and the reconnect
    /// (0: never).
    #[arg(long, default_value_t = 0, value_name = "SECS")]
    pub outage_after: u64,
    /// How long the prod-us outage lasts, in seconds.
    #[arg(long, default_value_t = 10, value_name = "SECS")]
    pub outage_for: u64,
}

impl DemoArgs {
    fn options(&self) -> DemoOptions {
        let secs = |s: u64| (s > 0).then(|| Duration::from_secs(s));
        DemoOptions {
            dir: self.dir.clone(),
            hotfix_after: secs(self.hotfix_after),
            bad_commit_after: secs(self.bad_commit_after),
            outage: secs(self.outage_after).map(|after| (after, Duration::from_secs(self.outage_for))),
        }
    }
}

pub fn run(args: &DemoArgs, global: &GlobalArgs, dirs: &Dirs) -> color_eyre::Result<i32> {
    let demo = Demo::start(&args.options())?;
    // What the demo writes stays in its directory, removed with it (or kept with --dir): the
    // log, the audit of what is done in the demo, any cache. The user's config still applies.
    let dirs = Dirs {
        config: dirs.config.clone(),
        data: demo.dir().join("data"),
        cache: demo.dir().join("cache"),
    };
    let _log_guard = crate::logging::init(&dirs);
    let code = if args.no_tui {
        print_usage(&demo, args);
        demo.serve_until_interrupted();
        Ok(0)
    } else {
        let mut launch = global.launch();
        launch.repos = vec![demo.repo().display().to_string()];
        launch.kubeconfig = Some(demo.kubeconfig().to_path_buf());
        // origin names the team's forge, which does not exist: its pull requests are left to
        // open by hand (no token is looked for), and the branch is pushed to the local origin.
        let pretend = crate::config::ForgeHostSettings {
            kind: Some(crate::forge::ForgeKind::Gitea),
            pretend: true,
            ..Default::default()
        };
        launch
            .forges
            .insert(crate::demo::scenario::FORGE_HOST.to_string(), pretend);
        crate::app::run(&launch, &dirs)
    };
    demo.shutdown();
    code
}

fn print_usage(demo: &Demo, args: &DemoArgs) {
    let (repo, kc) = (demo.repo().display(), demo.kubeconfig().display());
    println!("Sextant demo: clusters staging, prod-eu and prod-us are serving on 127.0.0.1.");
    println!("  config repo  {repo}");
    println!("  its origin   {} (where pushes go)", demo.origin().display());
    println!("  kubeconfig   {kc}");
    if args.bad_commit_after > 0 {
        println!(
            "  in {}s, a bad commit to payments is pushed and prod-eu's pipeline deploys it",
            args.bad_commit_after
        );
    }
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
