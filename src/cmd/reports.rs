//! What the one-shot commands (`status`, `diff`, `sync`) share: the engine's config from the
//! shared flags, and running it until every (app, cluster) has a report (or a timeout).

use super::args::GlobalArgs;
use crate::config::UserConfig;
use crate::gitops::engine::{self, AppReport, DesiredRequest, Engine, EngineConfig, EngineEvent};
use crate::logging::Dirs;
use color_eyre::eyre::{WrapErr, eyre};
use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;
use std::time::Duration;

/// How long a one-shot command waits for every cluster before printing what it has.
const COLLECT_TIMEOUT: Duration = Duration::from_secs(90);

pub fn print_json(reports: &[AppReport]) -> color_eyre::Result<()> {
    let text = serde_json::to_string_pretty(&serde_json::json!({ "apps": reports }))?;
    println!("{text}");
    Ok(())
}

/// The repository to read apps from: `--repo PATH`, a URL (cloned into the cache dir, or
/// fetched when already there, as the TUI does), else the current directory.
fn repo_path(global: &GlobalArgs, dirs: &Dirs) -> color_eyre::Result<PathBuf> {
    match global.repos.as_slice() {
        [] => std::env::current_dir().wrap_err("reading the current directory"),
        [url] if crate::git::is_url(url) => {
            let shown = crate::git::redact_url(url);
            eprintln!("fetching {shown}…");
            let repo =
                crate::git::open_spec(url, dirs, &|_| {}).wrap_err_with(|| format!("--repo {shown}"))?;
            if let Some(why) = repo.stale() {
                eprintln!("warning: using the cached clone of {shown}: {why}");
            }
            Ok(repo.git_dir().to_path_buf())
        }
        [one] => Ok(PathBuf::from(one)),
        _ => Err(eyre!("this command reads one repository: pass a single --repo")),
    }
}

/// The engine's config for a one-shot command: the repo and contexts the shared flags name,
/// the gate from `--readonly` and config.yaml, the audit log in the data dir.
pub fn engine_config(
    global: &GlobalArgs,
    dirs: &Dirs,
    only_app: Option<String>,
    only_cluster: Option<String>,
    revision: Option<String>,
) -> color_eyre::Result<EngineConfig> {
    let user = UserConfig::load(dirs).wrap_err("loading the user config")?;
    Ok(EngineConfig {
        gate: crate::gate::Gate::new(user.gate_rules(global.readonly)),
        audit: Some(crate::gitops::audit::AuditLog::in_dir(&dirs.data)),
        desired: DesiredRequest {
            repo: repo_path(global, dirs)?,
            revision: revision.unwrap_or_else(|| "HEAD".into()),
            user,
            only_app,
            only_cluster,
            contexts: global.contexts.clone(),
        },
        kubeconfig: global.kubeconfig.clone(),
        dry_run: true,
        follow: false,
    })
}

/// The runtime a one-shot command runs the engine on.
pub fn runtime() -> color_eyre::Result<tokio::runtime::Runtime> {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .wrap_err("starting the async runtime")
}

/// Run the engine until every planned (app, cluster) has reported, or the timeout.
pub fn collect(
    global: &GlobalArgs,
    dirs: &Dirs,
    only_app: Option<String>,
    only_cluster: Option<String>,
    revision: Option<String>,
) -> color_eyre::Result<Vec<AppReport>> {
    Ok(collect_all(global, dirs, only_app, only_cluster, revision)?.reports)
}

/// What a one-shot command settled on: the reports, and what went wrong reading Argo CD
/// and Flux on some cluster (a version Sextant does not read, a kind it may not list).
pub struct Settled {
    pub reports: Vec<AppReport>,
    pub operator_problems: Vec<String>,
}

/// [`collect`], with the operators' problems.
pub fn collect_all(
    global: &GlobalArgs,
    dirs: &Dirs,
    only_app: Option<String>,
    only_cluster: Option<String>,
    revision: Option<String>,
) -> color_eyre::Result<Settled> {
    let config = engine_config(global, dirs, only_app.clone(), only_cluster.clone(), revision)?;
    let settled = runtime()?.block_on(async {
        let mut engine = engine::start(config);
        settle_all(&mut engine).await
    })?;
    if settled.reports.is_empty() {
        if let Some(app) = only_app {
            return Err(eyre!(
                "no app `{app}`: sextant.yaml names none, and Argo CD and Flux manage none by that name here"
            ));
        }
        if let Some(cluster) = only_cluster {
            return Err(eyre!(
                "no app targets cluster `{cluster}` (in sextant.yaml, or managed by Argo CD or Flux)"
            ));
        }
    }
    Ok(settled)
}

/// Wait until every (app, cluster) the engine planned has a report; see [`settle_all`].
pub async fn settle(engine: &mut Engine) -> color_eyre::Result<Vec<AppReport>> {
    Ok(settle_all(engine).await?.reports)
}

/// Wait until every (app, cluster) the engine planned has a report and every cluster's
/// Argo CD and Flux apps are listed, or the timeout; pairs that never answered are reports
/// with an error. The engine keeps running.
pub async fn settle_all(engine: &mut Engine) -> color_eyre::Result<Settled> {
    let mut planned: Option<BTreeSet<(String, String)>> = None;
    let mut reports: BTreeMap<(String, String), AppReport> = BTreeMap::new();
    // Contexts whose Argo CD and Flux apps are not listed yet.
    let mut discovering: BTreeSet<String> = BTreeSet::new();
    let mut scanned: BTreeSet<String> = BTreeSet::new();
    let mut operator_problems: BTreeSet<String> = BTreeSet::new();
    let deadline = tokio::time::Instant::now() + COLLECT_TIMEOUT;
    loop {
        if let Some(p) = &planned
            && p.iter().all(|k| reports.contains_key(k))
            && discovering.iter().all(|c| scanned.contains(c))
        {
            break;
        }
        let event = match tokio::time::timeout_at(deadline, engine.events.recv()).await {
            Ok(Some(ev)) => ev,
            Ok(None) => break,
            Err(_) => break,
        };
        match event {
            EngineEvent::Planned(list) => {
                planned = Some(list.into_iter().map(|p| (p.app, p.cluster)).collect());
            }
            EngineEvent::AppReport(r) => {
                reports.insert((r.app.clone(), r.cluster.clone()), (*r).clone());
            }
            EngineEvent::Fatal(message) => return Err(eyre!(message)),
            EngineEvent::ClusterState {
                cluster,
                context,
                state,
            } => {
                tracing::info!(%cluster, %context, %state, "cluster state");
            }
            EngineEvent::Discovering(contexts) => discovering.extend(contexts),
            EngineEvent::Operators(scan) => {
                for problem in &scan.problems {
                    tracing::warn!("{problem}");
                }
                scanned.insert(scan.context.clone());
                operator_problems.extend(scan.problems.iter().cloned());
            }
            // One-shot commands neither follow the branch nor ask for previews here.
            EngineEvent::OperatorPreview { .. }
            | EngineEvent::OperatorProgress { .. }
            | EngineEvent::OperatorDone { .. }
            | EngineEvent::Preview(_)
            | EngineEvent::NewCommit(_)
            | EngineEvent::Events { .. }
            | EngineEvent::SyncProgress { .. }
            | EngineEvent::SyncDone { .. } => {}
        }
    }
    let mut out: Vec<AppReport> = reports.into_values().collect();
    // Pairs that never answered within the timeout still appear, as errors.
    for (app, cluster) in planned.unwrap_or_default() {
        if !out.iter().any(|r| r.app == app && r.cluster == cluster) {
            out.push(timed_out(app, cluster));
        }
    }
    out.sort_by(|a, b| (&a.app, &a.cluster).cmp(&(&b.app, &b.cluster)));
    Ok(Settled {
        reports: out,
        operator_problems: operator_problems.into_iter().collect(),
    })
}

fn timed_out(app: String, cluster: String) -> AppReport {
    let mut r = AppReport {
        app,
        context: cluster.clone(),
        cluster,
        revision: String::new(),
        commit: String::new(),
        deployed: None,
        pinned: None,
        sync: engine::SyncStatus::Unknown,
        health: "Unknown".into(),
        health_culprit: None,
        counts: Default::default(),
        objects: Vec::new(),
        render_errors: Vec::new(),
        notes: Vec::new(),
        cluster_error: Some(format!("no report within {}s", COLLECT_TIMEOUT.as_secs())),
        source: Default::default(),
        operator: None,
        disagreements: Vec::new(),
    };
    r.summarize();
    r
}

/// Send one command per cluster (made by `command` from an id and the cluster) and wait for
/// every [`EngineEvent::Preview`] answer; answers in cluster order.
pub async fn ask_each_cluster(
    engine: &mut Engine,
    clusters: &[String],
    command: impl Fn(u64, &str) -> engine::EngineCommand,
) -> color_eyre::Result<Vec<(String, std::sync::Arc<engine::PreviewReport>)>> {
    let mut asked: BTreeMap<u64, String> = BTreeMap::new();
    for (i, cluster) in clusters.iter().enumerate() {
        let id = i as u64 + 1;
        engine
            .commands
            .send(command(id, cluster))
            .await
            .wrap_err("the engine stopped")?;
        asked.insert(id, cluster.clone());
    }
    let mut answers = BTreeMap::new();
    while answers.len() < asked.len() {
        match engine.events.recv().await {
            Some(EngineEvent::Preview(p)) => {
                if let Some(cluster) = asked.get(&p.id) {
                    answers.insert(cluster.clone(), p);
                }
            }
            Some(EngineEvent::Fatal(message)) => return Err(eyre!(message)),
            Some(_) => {}
            None => return Err(eyre!("the engine stopped before every cluster answered")),
        }
    }
    Ok(answers.into_iter().collect())
}
