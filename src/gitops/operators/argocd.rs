//! Argo CD `Application` (and `AppProject`) objects as typed views: the source (repo URL,
//! path, target revision), the destination, the sync policy, `ignoreDifferences`, and what
//! the application controller reports in `status` (sync, health, operation state). Fields
//! as the Application CRD in `tests/fixtures/operators/argocd` defines them.

use super::{
    AppOrigin, AppSource, Automated, Evaluation, IgnoredDifference, OperationView, OperatorApp, OperatorRef,
    OperatorStatus, SourceKind,
};
use serde_json::Value;

/// The server name Argo CD uses for the cluster it runs in.
pub const IN_CLUSTER_SERVER: &str = "https://kubernetes.default.svc";
/// The destination name Argo CD gives that cluster.
pub const IN_CLUSTER_NAME: &str = "in-cluster";
/// The annotation that asks the controller to compare again (`normal` or `hard`).
pub const REFRESH_ANNOTATION: &str = "argocd.argoproj.io/refresh";

/// An Application's destination as written.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ArgoDestination {
    pub server: String,
    pub name: String,
    pub namespace: String,
}

fn s<'a>(v: &'a Value, pointer: &str) -> &'a str {
    v.pointer(pointer).and_then(Value::as_str).unwrap_or_default()
}

fn b(v: &Value, pointer: &str) -> bool {
    v.pointer(pointer).and_then(Value::as_bool).unwrap_or(false)
}

fn opt(v: &Value, pointer: &str) -> Option<String> {
    Some(s(v, pointer)).filter(|x| !x.is_empty()).map(str::to_string)
}

/// The destination of an Application.
pub fn destination(app: &Value) -> ArgoDestination {
    ArgoDestination {
        server: s(app, "/spec/destination/server").to_string(),
        name: s(app, "/spec/destination/name").to_string(),
        namespace: s(app, "/spec/destination/namespace").to_string(),
    }
}

/// The app's one source, or why Sextant cannot read it.
fn origin(app: &Value) -> (AppOrigin, Option<String>) {
    let sources = app.pointer("/spec/sources").and_then(Value::as_array);
    let source = match sources {
        Some(list) if list.len() > 1 => {
            let first = origin_of(&list[0]);
            let why = format!(
                "it has {} sources (spec.sources): Sextant renders one source per app, so it shows \
                 Argo CD's view only",
                list.len()
            );
            return (first, Some(why));
        }
        Some(list) if list.len() == 1 => &list[0],
        _ => app.pointer("/spec/source").unwrap_or(&Value::Null),
    };
    let origin = origin_of(source);
    let why = match origin.kind {
        _ if origin.repo_url.is_empty() => Some("it names no source repository (spec.source.repoURL)".into()),
        SourceKind::Helm => Some(format!(
            "its source is the Helm chart {} from the chart repository {}: Sextant renders Git \
             directories, so it shows Argo CD's view only",
            origin.chart.as_deref().unwrap_or("?"),
            origin.repo_url
        )),
        SourceKind::Oci => Some(format!(
            "its source is the OCI artifact {}: Sextant renders Git directories, so it shows \
             Argo CD's view only",
            origin.repo_url
        )),
        SourceKind::Git => None,
    };
    (origin, why)
}

fn origin_of(source: &Value) -> AppOrigin {
    // Credentials in a URL are never kept, shown or logged.
    let repo_url = super::repos::without_credentials(s(source, "/repoURL"));
    let chart = opt(source, "/chart");
    let kind = if repo_url.starts_with("oci://") {
        SourceKind::Oci
    } else if chart.is_some() {
        SourceKind::Helm
    } else {
        SourceKind::Git
    };
    let revision = match s(source, "/targetRevision") {
        "" => "HEAD".to_string(),
        r => r.to_string(),
    };
    AppOrigin {
        repo_url,
        path: clean_path(s(source, "/path")),
        revision,
        kind,
        chart,
    }
}

/// `./apps/web/` → `apps/web`; `.` → empty.
pub fn clean_path(path: &str) -> String {
    let p = path.trim().trim_start_matches("./").trim_end_matches('/');
    if p == "." { String::new() } else { p.to_string() }
}

/// Argo CD's automated policy, if on. `enabled: false` turns it off in Argo CD 3.
pub fn automated(app: &Value) -> Option<Automated> {
    let auto = app.pointer("/spec/syncPolicy/automated")?;
    if !auto.is_object() || auto.get("enabled").and_then(Value::as_bool) == Some(false) {
        return None;
    }
    Some(Automated {
        prune: b(auto, "/prune"),
        self_heal: b(auto, "/selfHeal"),
    })
}

fn ignored(app: &Value) -> Vec<IgnoredDifference> {
    let strings = |v: &Value, key: &str| -> Vec<String> {
        v.get(key)
            .and_then(Value::as_array)
            .map(|a| a.iter().filter_map(Value::as_str).map(str::to_string).collect())
            .unwrap_or_default()
    };
    app.pointer("/spec/ignoreDifferences")
        .and_then(Value::as_array)
        .map(|list| {
            list.iter()
                .map(|d| IgnoredDifference {
                    group: s(d, "/group").to_string(),
                    kind: s(d, "/kind").to_string(),
                    name: s(d, "/name").to_string(),
                    namespace: s(d, "/namespace").to_string(),
                    json_pointers: strings(d, "jsonPointers"),
                    jq_paths: strings(d, "jqPathExpressions"),
                    managers: strings(d, "managedFieldsManagers"),
                })
                .collect()
        })
        .unwrap_or_default()
}

/// The last or running operation: `status.operationState`, or a requested `operation` the
/// controller has not picked up yet.
pub fn operation(app: &Value) -> Option<OperationView> {
    let requested = app.get("operation").filter(|o| o.is_object());
    let state = app.pointer("/status/operationState").filter(|o| o.is_object());
    let initiator = |op: &Value| {
        if b(op, "/initiatedBy/automated") {
            "automated".to_string()
        } else {
            s(op, "/initiatedBy/username").to_string()
        }
    };
    let running = state.is_some_and(|st| s(st, "/phase") == "Running");
    match (requested, state) {
        (Some(op), _) if !running => Some(OperationView {
            phase: "Requested".into(),
            message: "waiting for the application controller to start it".into(),
            revision: s(op, "/sync/revision").to_string(),
            initiated_by: initiator(op),
            ..OperationView::default()
        }),
        (_, Some(st)) => {
            let revision = opt(st, "/syncResult/revision")
                .or_else(|| opt(st, "/operation/sync/revision"))
                .unwrap_or_default();
            Some(OperationView {
                phase: s(st, "/phase").to_string(),
                message: s(st, "/message").to_string(),
                revision,
                started_at: s(st, "/startedAt").to_string(),
                finished_at: s(st, "/finishedAt").to_string(),
                initiated_by: st.get("operation").map(initiator).unwrap_or_default(),
            })
        }
        (_, None) => None,
    }
}

/// What the controller reports.
pub fn status(app: &Value) -> OperatorStatus {
    let automated = automated(app);
    OperatorStatus {
        sync: match s(app, "/status/sync/status") {
            "" => "Unknown".into(),
            other => other.to_string(),
        },
        health: Some(match s(app, "/status/health/status") {
            "" => "Unknown".to_string(),
            other => other.to_string(),
        }),
        message: opt(app, "/status/health/message"),
        revision: opt(app, "/status/sync/revision"),
        attempted_revision: None,
        reconciled_at: opt(app, "/status/reconciledAt"),
        operation: operation(app),
        suspended: automated.is_none(),
        automated,
        reason: None,
        stale: false,
    }
}

/// The ApplicationSet that generated the Application, from its owner references.
fn generated_by(app: &Value) -> Option<String> {
    app.pointer("/metadata/ownerReferences")
        .and_then(Value::as_array)?
        .iter()
        .find(|o| s(o, "/kind") == "ApplicationSet")
        .map(|o| format!("ApplicationSet {}", s(o, "/name")))
}

/// An Application as a discovered app on the cluster `home` (context and name). The
/// destination is left unmapped (see [`super::destination`]); `evaluation` is settled once
/// the repo is matched.
pub fn application(app: &Value, home_context: &str, home_cluster: &str) -> OperatorApp {
    let name = s(app, "/metadata/name").to_string();
    let (origin, unreadable) = origin(app);
    let project = match s(app, "/spec/project") {
        "" => "default".to_string(),
        p => p.to_string(),
    };
    OperatorApp {
        name: name.clone(),
        source: AppSource::Argocd,
        object: OperatorRef {
            context: home_context.to_string(),
            cluster: home_cluster.to_string(),
            group: super::kinds::ARGO_GROUP.into(),
            version: super::kinds::APPLICATION.version.into(),
            kind: "Application".into(),
            namespace: s(app, "/metadata/namespace").to_string(),
            name,
        },
        origin,
        cluster: String::new(),
        context: String::new(),
        namespace: s(app, "/spec/destination/namespace").to_string(),
        status: status(app),
        ignored: ignored(app),
        generated_by: generated_by(app),
        project,
        evaluation: match unreadable {
            Some(why) => Evaluation::Unreadable { why },
            None => Evaluation::RepoNotOpen { url: String::new() },
        },
        problems: Vec::new(),
        simulated: app
            .pointer("/metadata/annotations")
            .and_then(|a| a.get(super::SIMULATED_ANNOTATION))
            .is_some(),
    }
}

/// Why the project forbids the destination, if it does: Argo CD refuses to sync an app
/// whose project does not list its destination. `None` when allowed or when the project
/// cannot be judged (its object is not readable).
pub fn project_refusal(project: &Value, dest: &ArgoDestination) -> Option<String> {
    let allowed = project.pointer("/spec/destinations").and_then(Value::as_array);
    let list = allowed.map(Vec::as_slice).unwrap_or_default();
    let ok = list.iter().any(|d| {
        let ns_ok = glob(s(d, "/namespace"), &dest.namespace);
        let server_ok =
            !s(d, "/server").is_empty() && !dest.server.is_empty() && glob(s(d, "/server"), &dest.server);
        let name_ok = !s(d, "/name").is_empty() && !dest.name.is_empty() && glob(s(d, "/name"), &dest.name);
        ns_ok && (server_ok || name_ok)
    });
    (!ok).then(|| {
        let target = if dest.name.is_empty() {
            &dest.server
        } else {
            &dest.name
        };
        format!(
            "project {} does not allow the destination {target} namespace {}: Argo CD will not sync it",
            s(project, "/metadata/name"),
            if dest.namespace.is_empty() {
                "(none)"
            } else {
                &dest.namespace
            }
        )
    })
}

/// Argo CD's destination patterns: `*` matches any run of characters; `!` negation is
/// treated as not matching.
pub fn glob(pattern: &str, value: &str) -> bool {
    if pattern.starts_with('!') {
        return false;
    }
    let parts: Vec<&str> = pattern.split('*').collect();
    if parts.len() == 1 {
        return pattern == value;
    }
    let mut rest = value;
    for (i, part) in parts.iter().enumerate() {
        if i == 0 {
            match rest.strip_prefix(part) {
                Some(r) => rest = r,
                None => return false,
            }
        } else if i == parts.len() - 1 {
            return rest.ends_with(part);
        } else if let Some(at) = rest.find(part) {
            rest = &rest[at + part.len()..];
        } else {
            return false;
        }
    }
    true
}
