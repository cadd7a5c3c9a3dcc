//! The bridge from the live drift engine to the event loop: builds the engine's config from
//! the command line and forwards every engine event as a [`Msg::Engine`]. The engine runs
//! on its own tasks; this only relays.

use super::Launch;
use super::cockpit::EngineMsg;
use super::msg::Msg;
use crate::config::UserConfig;
use crate::gitops::apps::APPS_FILE;
use crate::gitops::engine::{self, DesiredRequest, EngineCommand, EngineConfig};
use crate::logging::Dirs;
use std::path::PathBuf;
use tokio::sync::mpsc::{self, UnboundedSender};

/// The engine config for the first repo (a path, or a URL's clone in the cache dir), when its
/// HEAD lists apps (`sextant.yaml` is committed); `None` means there is nothing to watch and
/// the cockpit panes keep their hints. Call it once the repo has opened (a URL is cloned by
/// then).
pub fn config(global: &Launch, dirs: &Dirs, repos: &[String]) -> Option<EngineConfig> {
    let spec = repos.first()?;
    let repo = if crate::git::is_url(spec) {
        crate::git::cache_path(dirs, spec)
    } else {
        PathBuf::from(spec)
    };
    let snapshot = crate::git::snapshot::Snapshot::open(&repo, "HEAD").ok()?;
    // Without sextant.yaml, clusters named with --context still show their Argo CD and Flux apps.
    if !matches!(snapshot.read(APPS_FILE), Ok(Some(_))) && global.contexts.is_empty() {
        if repo.join(APPS_FILE).is_file() {
            tracing::info!("{APPS_FILE} is not committed yet: the live engine renders from HEAD");
        }
        return None;
    }
    let user = match UserConfig::load(dirs) {
        Ok(u) => u,
        Err(e) => {
            tracing::warn!("live engine not started: {e}");
            return None;
        }
    };
    Some(EngineConfig {
        gate: crate::gate::Gate::new(user.gate_rules(global.readonly)),
        audit: Some(crate::gitops::audit::AuditLog::in_dir(&dirs.data)),
        desired: DesiredRequest {
            repo,
            revision: "HEAD".into(),
            user,
            only_app: None,
            only_cluster: None,
            contexts: global.contexts.clone(),
        },
        kubeconfig: global.kubeconfig.clone(),
        dry_run: true,
        follow: true,
    })
}

/// Start the engine and relay its events until the UI goes away (then the engine stops).
/// Returns the engine's command channel.
pub fn spawn(config: EngineConfig, tx: UnboundedSender<Msg>) -> mpsc::Sender<EngineCommand> {
    let mut engine = engine::start(config);
    let commands = engine.commands.clone();
    tokio::spawn(async move {
        while let Some(event) = engine.events.recv().await {
            if tx.send(Msg::Engine(EngineMsg(event))).is_err() {
                break;
            }
        }
    });
    commands
}

/// Hand `command` to the engine without waiting; says why when it cannot be delivered.
pub fn forward(commands: Option<&mpsc::Sender<EngineCommand>>, command: EngineCommand) -> Result<(), String> {
    let Some(commands) = commands else {
        return Err("the live engine is not running (no sextant.yaml in the first local repo)".into());
    };
    commands.try_send(command).map_err(|e| match e {
        mpsc::error::TrySendError::Full(_) => "the live engine is busy; try again in a moment".to_string(),
        mpsc::error::TrySendError::Closed(_) => "the live engine has stopped (see the log)".to_string(),
    })
}
