//! Apps discovered from Argo CD and Flux, as the engine handles them: which ones Sextant
//! evaluates itself (their repo is open), rendered at the revision the operator follows;
//! and the report of the ones it cannot evaluate, which carries the operator's view alone.

use super::desired::{DesiredApp, DesiredRequest};
use super::report::{AppReport, SyncStatus};
use crate::git::snapshot::Snapshot;
use crate::gitops::apps::{AppSpec, Renderer, Target};
use crate::gitops::operators::repos::RepoIndex;
use crate::gitops::operators::{Evaluation, OperatorApp, SourceKind};
use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::Arc;

/// Settle whether Sextant evaluates `app`: a Git source whose repo is open is evaluated.
pub fn settle_evaluation(app: &mut OperatorApp, index: &RepoIndex) {
    if matches!(app.evaluation, Evaluation::Unreadable { .. }) || app.origin.kind != SourceKind::Git {
        return;
    }
    app.evaluation = match index.path_for(&app.origin.repo_url) {
        Some(path) => Evaluation::Evaluated {
            repo: path.display().to_string(),
        },
        None => Evaluation::RepoNotOpen {
            url: crate::git::redact_url(&app.origin.repo_url),
        },
    };
}

/// Whether the request's filters (`APP`, `--cluster`, `--context`) keep this app.
pub fn selected(app: &OperatorApp, req: &DesiredRequest) -> bool {
    let cluster_ok = |c: &str| {
        req.only_cluster
            .as_deref()
            .is_none_or(|want| want == c || (want == app.context && !app.context.is_empty()))
    };
    let contexts_ok = req.contexts.is_empty()
        || req
            .contexts
            .iter()
            .any(|c| *c == app.context || *c == app.object.context || *c == app.cluster);
    req.only_app.as_deref().is_none_or(|n| n == app.name) && cluster_ok(shown_cluster(app)) && contexts_ok
}

/// The cluster an app is shown on: its destination, else the cluster its object lives on.
pub fn shown_cluster(app: &OperatorApp) -> &str {
    if app.cluster.is_empty() {
        &app.object.cluster
    } else {
        &app.cluster
    }
}

/// What makes two sets of discovered apps render differently (to re-render only then).
pub fn render_signature(apps: &[Arc<OperatorApp>]) -> Vec<String> {
    let mut sig: Vec<String> = apps
        .iter()
        .filter(|a| a.is_evaluated())
        .map(|a| {
            format!(
                "{}|{}|{}|{}|{}|{}|{:?}",
                a.name,
                a.context,
                a.origin.repo_url,
                a.origin.path,
                a.origin.revision,
                a.namespace,
                a.evaluation
            )
        })
        .collect();
    sig.sort();
    sig
}

/// Render every evaluated app from its repo at the revision its operator follows (`HEAD`
/// means the revision the engine follows). Blocking: run it on a blocking thread.
pub fn render(apps: &[Arc<OperatorApp>], req: &DesiredRequest) -> Vec<DesiredApp> {
    let mut snapshots: HashMap<(PathBuf, String), Result<Snapshot, String>> = HashMap::new();
    let mut out = Vec::new();
    for app in apps.iter().filter(|a| a.is_evaluated()) {
        let Evaluation::Evaluated { repo } = &app.evaluation else {
            continue;
        };
        let repo = PathBuf::from(repo);
        let rev = match app.origin.revision.as_str() {
            "" | "HEAD" => req.revision.clone(),
            r => r.to_string(),
        };
        let snapshot = snapshots
            .entry((repo.clone(), rev.clone()))
            .or_insert_with(|| open_revision(&repo, &rev));
        let spec = AppSpec {
            name: app.name.clone(),
            path: if app.origin.path.is_empty() {
                ".".into()
            } else {
                app.origin.path.clone()
            },
            namespace: Some(app.namespace.clone()).filter(|n| !n.is_empty()),
            clusters: vec![app.cluster.clone()],
            renderer: Renderer::Auto,
            line: None,
        };
        let target = Target {
            readonly: req.user.is_readonly(&app.cluster) || req.user.is_readonly(&app.context),
            app: spec,
            cluster: app.cluster.clone(),
            context: app.context.clone(),
            source: app.source,
        };
        let desired = match snapshot {
            Ok(snap) => DesiredApp {
                rendered: crate::gitops::render::render_app(snap, &target.app, &target.cluster),
                revision: snap.short.clone(),
                commit: snap.commit.clone(),
                target,
                operator: Some(app.clone()),
            },
            Err(e) => DesiredApp {
                rendered: crate::gitops::render::Rendered::failed(
                    format!("{} {}", app.object.kind, app.object.name),
                    e.clone(),
                ),
                revision: String::new(),
                commit: String::new(),
                target,
                operator: Some(app.clone()),
            },
        };
        out.push(desired);
    }
    out
}

/// The revision as written, else the remote-tracking branch of that name.
fn open_revision(repo: &std::path::Path, rev: &str) -> Result<Snapshot, String> {
    match Snapshot::open(repo, rev) {
        Ok(s) => Ok(s),
        Err(first) => Snapshot::open(repo, &format!("origin/{rev}"))
            .map_err(|_| format!("{first}: fetch the repository, or check the operator's target revision")),
    }
}

/// The report of a discovered app Sextant does not evaluate: the operator's view, and why
/// Sextant has none of its own.
pub fn operator_only_report(app: &Arc<OperatorApp>) -> AppReport {
    let mut notes = Vec::new();
    match &app.evaluation {
        Evaluation::RepoNotOpen { url } => notes.push(format!(
            "{url} is not open, so Sextant shows {}'s view only: open it (--repo {url}, or map it to a \
             local clone under `repos:` in config.yaml) to compare it with Git too",
            app.source.operator_name()
        )),
        Evaluation::Unreadable { why } => notes.push(format!("not evaluated by Sextant: {why}")),
        Evaluation::Evaluated { .. } => {}
    }
    notes.extend(
        app.problems
            .iter()
            .map(|p| format!("{}: {p}", app.object.describe())),
    );
    AppReport {
        app: app.name.clone(),
        cluster: shown_cluster(app).to_string(),
        context: if app.context.is_empty() {
            app.object.context.clone()
        } else {
            app.context.clone()
        },
        revision: String::new(),
        commit: String::new(),
        deployed: app
            .status
            .revision
            .as_deref()
            .and_then(crate::gitops::operators::revision_sha)
            .map(str::to_string),
        pinned: None,
        sync: SyncStatus::Unknown,
        health: "Unknown".into(),
        health_culprit: None,
        counts: Default::default(),
        objects: Vec::new(),
        render_errors: Vec::new(),
        notes,
        cluster_error: None,
        source: app.source,
        operator: Some(app.clone()),
        disagreements: Vec::new(),
    }
}
