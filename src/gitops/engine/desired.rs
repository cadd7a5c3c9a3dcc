//! Desired state for the engine: load `sextant.yaml` and render every (app, cluster) target
//! at one revision, on a blocking thread (gix and the render tools are synchronous).

use crate::config::UserConfig;
use crate::git::snapshot::Snapshot;
use crate::gitops::apps::{self, APPS_FILE, AppsError, Target};
use crate::gitops::render::{self, Rendered};
use std::path::{Path, PathBuf};

/// One app rendered for one cluster.
#[derive(Debug, Clone)]
pub struct DesiredApp {
    pub target: Target,
    pub rendered: Rendered,
    /// Abbreviated commit id of the revision rendered.
    pub revision: String,
    /// Full commit id of the revision rendered.
    pub commit: String,
    /// For an app Argo CD or Flux manages: the operator's view when it was rendered (later
    /// views reach the cluster task as they change).
    pub operator: Option<std::sync::Arc<crate::gitops::operators::OperatorApp>>,
}

/// What to render, and for whom.
#[derive(Debug, Clone)]
pub struct DesiredRequest {
    pub repo: PathBuf,
    pub revision: String,
    pub user: UserConfig,
    pub only_app: Option<String>,
    pub only_cluster: Option<String>,
    /// `--context`: keep only these contexts (empty = all).
    pub contexts: Vec<String>,
}

/// Load the apps at the revision and render every target. An `Err` means nothing can be
/// evaluated (no repository, no `sextant.yaml`, invalid file, unknown app filter).
pub fn render_all(req: &DesiredRequest) -> Result<Vec<DesiredApp>, String> {
    render_snapshot(&open(req)?, req)
}

/// Resolve the request's revision to a commit tree.
pub fn open(req: &DesiredRequest) -> Result<Snapshot, String> {
    Snapshot::open(&req.repo, &req.revision).map_err(|e| e.to_string())
}

/// Load the apps at an opened revision and render every target the request selects.
pub fn render_snapshot(snapshot: &Snapshot, req: &DesiredRequest) -> Result<Vec<DesiredApp>, String> {
    render_apps(snapshot, req, false)
}

/// [`render_snapshot`]; with `operators_only`, a revision without `sextant.yaml` renders no
/// app (the engine then shows the Argo CD and Flux apps of the contexts named).
fn render_apps(
    snapshot: &Snapshot,
    req: &DesiredRequest,
    operators_only: bool,
) -> Result<Vec<DesiredApp>, String> {
    let apps = match load_apps(snapshot, &req.repo) {
        Ok(apps) => apps,
        Err(_) if operators_only && matches!(snapshot.read(APPS_FILE), Ok(None)) => Vec::new(),
        Err(e) => return Err(e),
    };
    // An app or cluster sextant.yaml does not name may be one Argo CD or Flux manages: the
    // engine finds those later, and a name nobody knows is an error once they are known.
    let mut targets = apps::targets(
        &apps,
        &req.user,
        req.only_app.as_deref(),
        req.only_cluster.as_deref(),
    )
    .unwrap_or_default();
    if !req.contexts.is_empty() {
        targets.retain(|t| req.contexts.iter().any(|c| *c == t.context || *c == t.cluster));
    }
    Ok(targets
        .into_iter()
        .map(|target| {
            let rendered = render::render_app(snapshot, &target.app, &target.cluster);
            DesiredApp {
                target,
                rendered,
                revision: snapshot.short.clone(),
                commit: snapshot.commit.clone(),
                operator: None,
            }
        })
        .collect())
}

/// A render and the commit it was made at.
pub enum Rendering {
    /// The revision did not resolve (unknown name, unreadable repository).
    Unresolved(String),
    /// The commit the revision resolved to, and its apps or why they could not be loaded.
    At {
        commit: String,
        short: String,
        apps: Result<Vec<DesiredApp>, String>,
        /// Every context sextant.yaml targets (whatever the app and cluster filters; within
        /// `--context`), to discover Argo CD and Flux apps on.
        contexts: Vec<String>,
    },
}

/// [`render_all`], also saying which commit the revision resolved to, so that a followed
/// branch can be compared with exactly what was rendered.
pub fn render_at(req: &DesiredRequest) -> Rendering {
    render_revision(req, false)
}

/// [`render_at`] for the live engine: without `sextant.yaml` but with `--context`, the
/// clusters named still show their Argo CD and Flux apps.
pub fn render_live(req: &DesiredRequest) -> Rendering {
    render_revision(req, !req.contexts.is_empty())
}

fn render_revision(req: &DesiredRequest, operators_only: bool) -> Rendering {
    match open(req) {
        Ok(snapshot) => Rendering::At {
            apps: render_apps(&snapshot, req, operators_only),
            contexts: all_contexts(&snapshot, req),
            commit: snapshot.commit.clone(),
            short: snapshot.short.clone(),
        },
        Err(e) => Rendering::Unresolved(e),
    }
}

/// Read and validate `sextant.yaml` at the snapshot's revision.
pub fn load_apps(snapshot: &Snapshot, repo: &Path) -> Result<Vec<apps::AppSpec>, String> {
    let bytes = snapshot
        .read(APPS_FILE)
        .map_err(|e| e.to_string())?
        .ok_or_else(|| {
            AppsError::Missing {
                repo: repo.display().to_string(),
                rev: snapshot.short.clone(),
            }
            .to_string()
        })?;
    let text = String::from_utf8(bytes).map_err(|_| format!("{APPS_FILE} is not UTF-8 text"))?;
    apps::parse_apps(&text).map_err(|e| e.to_string())
}

/// Every context sextant.yaml targets at the snapshot, within `--context` when given.
fn all_contexts(snapshot: &Snapshot, req: &DesiredRequest) -> Vec<String> {
    let Ok(apps) = load_apps(snapshot, &req.repo) else {
        return req.contexts.clone();
    };
    let mut out: Vec<String> = apps::targets(&apps, &req.user, None, None)
        .unwrap_or_default()
        .into_iter()
        .filter(|t| {
            req.contexts.is_empty() || req.contexts.iter().any(|c| *c == t.context || *c == t.cluster)
        })
        .map(|t| t.context)
        .collect();
    out.extend(req.contexts.iter().cloned());
    out.sort();
    out.dedup();
    out
}
