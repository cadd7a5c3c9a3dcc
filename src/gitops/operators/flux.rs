//! Flux `Kustomization` and `HelmRelease` objects, with the sources they name
//! (`GitRepository`, `OCIRepository`, `HelmRepository`), as typed views: the repo URL, path
//! and ref, and what the controllers report (the Ready condition, the last applied and
//! attempted revisions, suspended). Fields as the CRDs in `tests/fixtures/operators/flux`.

use super::argocd::clean_path;
use super::{AppOrigin, AppSource, Evaluation, OperatorApp, OperatorRef, OperatorStatus, SourceKind};
use serde_json::Value;

/// The annotation that asks a Flux controller to reconcile now (any new value).
pub const REQUESTED_AT: &str = "reconcile.fluxcd.io/requestedAt";

fn s<'a>(v: &'a Value, pointer: &str) -> &'a str {
    v.pointer(pointer).and_then(Value::as_str).unwrap_or_default()
}

fn opt(v: &Value, pointer: &str) -> Option<String> {
    Some(s(v, pointer)).filter(|x| !x.is_empty()).map(str::to_string)
}

/// A Flux source object, found by kind, namespace and name.
pub trait SourceLookup {
    fn source(&self, kind: &str, namespace: &str, name: &str) -> Option<&Value>;
}

/// The Ready condition, if any.
pub fn ready(obj: &Value) -> Option<&Value> {
    obj.pointer("/status/conditions")
        .and_then(Value::as_array)?
        .iter()
        .find(|c| s(c, "/type") == "Ready")
}

/// What a Flux object's controller reports, from its Ready (and Reconciling) conditions.
pub fn status(obj: &Value) -> OperatorStatus {
    let ready = ready(obj);
    let reconciling = obj
        .pointer("/status/conditions")
        .and_then(Value::as_array)
        .is_some_and(|cs| {
            cs.iter()
                .any(|c| s(c, "/type") == "Reconciling" && s(c, "/status") == "True")
        });
    let generation = obj.pointer("/metadata/generation").and_then(Value::as_i64);
    let observed = obj.pointer("/status/observedGeneration").and_then(Value::as_i64);
    let stale = matches!((generation, observed), (Some(g), Some(o)) if o < g);
    let sync = match ready.map(|c| s(c, "/status")) {
        _ if reconciling => "Reconciling",
        Some("True") => "Ready",
        Some("False") => "NotReady",
        _ => "Unknown",
    };
    OperatorStatus {
        sync: sync.into(),
        health: None,
        message: ready.and_then(|c| opt(c, "/message")),
        revision: opt(obj, "/status/lastAppliedRevision"),
        attempted_revision: opt(obj, "/status/lastAttemptedRevision"),
        reconciled_at: ready.and_then(|c| opt(c, "/lastTransitionTime")),
        operation: None,
        suspended: obj.pointer("/spec/suspend").and_then(Value::as_bool) == Some(true),
        automated: None,
        reason: ready.and_then(|c| opt(c, "/reason")),
        stale,
    }
}

/// The Git ref a GitRepository follows, most specific first, as Sextant can resolve it.
fn git_ref(repo: &Value) -> String {
    for (p, prefix) in [
        ("/spec/ref/commit", ""),
        ("/spec/ref/name", ""),
        ("/spec/ref/tag", ""),
        ("/spec/ref/branch", ""),
    ] {
        if let Some(v) = opt(repo, p) {
            return format!("{prefix}{v}");
        }
    }
    if let Some(semver) = opt(repo, "/spec/ref/semver") {
        // Sextant cannot pick the tag a range selects; the artifact says which one Flux did.
        return s(repo, "/status/artifact/revision")
            .split('@')
            .next()
            .filter(|t| !t.is_empty())
            .map(str::to_string)
            .unwrap_or(semver);
    }
    "HEAD".into()
}

/// The origin a source reference gives, or why Sextant cannot read it.
fn source_origin(
    sources: &dyn SourceLookup,
    kind: &str,
    namespace: &str,
    name: &str,
    path: &str,
) -> (AppOrigin, Option<String>) {
    let Some(src) = sources.source(kind, namespace, name) else {
        return (
            AppOrigin::default(),
            Some(format!(
                "its source {kind} {namespace}/{name} is not on the cluster (or not readable)"
            )),
        );
    };
    // Credentials in a URL are never kept, shown or logged.
    let url = super::repos::without_credentials(s(src, "/spec/url"));
    match kind {
        "GitRepository" => {
            let origin = AppOrigin {
                repo_url: url,
                path: clean_path(path),
                revision: git_ref(src),
                kind: SourceKind::Git,
                chart: None,
            };
            (origin, None)
        }
        "OCIRepository" => {
            let why = format!(
                "its source is the OCI artifact {url}: Sextant renders Git directories, so it shows \
                 Flux's view only"
            );
            let origin = AppOrigin {
                repo_url: url,
                path: clean_path(path),
                revision: opt(src, "/spec/ref/tag").unwrap_or_else(|| "latest".into()),
                kind: SourceKind::Oci,
                chart: None,
            };
            (origin, Some(why))
        }
        other => (
            AppOrigin {
                repo_url: url,
                ..AppOrigin::default()
            },
            Some(format!("its source is a {other}, which Sextant cannot read")),
        ),
    }
}

fn reference(
    obj: &Value,
    kind: &'static str,
    version: &str,
    home_context: &str,
    home_cluster: &str,
) -> OperatorRef {
    let group = match kind {
        "HelmRelease" => super::kinds::HELM_GROUP,
        _ => super::kinds::KUSTOMIZE_GROUP,
    };
    OperatorRef {
        context: home_context.to_string(),
        cluster: home_cluster.to_string(),
        group: group.into(),
        version: version.into(),
        kind: kind.into(),
        namespace: s(obj, "/metadata/namespace").to_string(),
        name: s(obj, "/metadata/name").to_string(),
    }
}

fn app(obj: &Value, object: OperatorRef, origin: AppOrigin, unreadable: Option<String>) -> OperatorApp {
    let mut problems = Vec::new();
    let remote = obj
        .pointer("/spec/kubeConfig")
        .filter(|k| k.is_object())
        .is_some();
    if remote {
        problems.push(
            "it applies to another cluster through spec.kubeConfig: Sextant cannot tell which \
             kubeconfig context that is, so it shows Flux's view only"
                .to_string(),
        );
    }
    let namespace = opt(obj, "/spec/targetNamespace").unwrap_or_else(|| object.namespace.clone());
    let (cluster, context) = if remote {
        (String::new(), String::new())
    } else {
        (object.cluster.clone(), object.context.clone())
    };
    OperatorApp {
        name: object.name.clone(),
        source: AppSource::Flux,
        origin,
        cluster,
        context,
        namespace,
        status: status(obj),
        ignored: Vec::new(),
        generated_by: None,
        project: String::new(),
        evaluation: match unreadable {
            Some(why) => Evaluation::Unreadable { why },
            None => Evaluation::RepoNotOpen { url: String::new() },
        },
        problems,
        simulated: obj
            .pointer("/metadata/annotations")
            .and_then(|a| a.get(super::SIMULATED_ANNOTATION))
            .is_some(),
        object,
    }
}

/// A Kustomization as a discovered app on the cluster it lives on.
pub fn kustomization(
    obj: &Value,
    sources: &dyn SourceLookup,
    home_context: &str,
    home_cluster: &str,
) -> OperatorApp {
    let object = reference(obj, "Kustomization", "v1", home_context, home_cluster);
    let kind = match s(obj, "/spec/sourceRef/kind") {
        "" => "GitRepository",
        k => k,
    };
    let ns = opt(obj, "/spec/sourceRef/namespace").unwrap_or_else(|| object.namespace.clone());
    let name = s(obj, "/spec/sourceRef/name");
    let (origin, unreadable) = source_origin(sources, kind, &ns, name, s(obj, "/spec/path"));
    app(obj, object, origin, unreadable)
}

/// A HelmRelease as a discovered app: its chart comes from a Helm or OCI repository (or a
/// chart in Git), which Sextant does not render, so it always shows Flux's view only.
pub fn helm_release(
    obj: &Value,
    sources: &dyn SourceLookup,
    home_context: &str,
    home_cluster: &str,
) -> OperatorApp {
    let object = reference(obj, "HelmRelease", "v2", home_context, home_cluster);
    let chart = opt(obj, "/spec/chart/spec/chart");
    let (src_kind, src_ns, src_name) = if obj.pointer("/spec/chartRef").is_some() {
        (
            s(obj, "/spec/chartRef/kind"),
            opt(obj, "/spec/chartRef/namespace"),
            s(obj, "/spec/chartRef/name"),
        )
    } else {
        (
            s(obj, "/spec/chart/spec/sourceRef/kind"),
            opt(obj, "/spec/chart/spec/sourceRef/namespace"),
            s(obj, "/spec/chart/spec/sourceRef/name"),
        )
    };
    let ns = src_ns.unwrap_or_else(|| object.namespace.clone());
    let src = sources.source(src_kind, &ns, src_name);
    let url = src
        .map(|v| super::repos::without_credentials(s(v, "/spec/url")))
        .unwrap_or_default();
    let kind = match (src_kind, src.map(|v| s(v, "/spec/type"))) {
        ("OCIRepository", _) | (_, Some("oci")) => SourceKind::Oci,
        ("GitRepository", _) => SourceKind::Git,
        _ => SourceKind::Helm,
    };
    let version = opt(obj, "/spec/chart/spec/version").unwrap_or_else(|| "*".into());
    let what = match &chart {
        Some(c) => format!("the Helm chart {c} ({version})"),
        None => format!("the chart of {src_kind} {ns}/{src_name}"),
    };
    let from = if url.is_empty() {
        format!("{src_kind} {ns}/{src_name}")
    } else {
        url.clone()
    };
    let why = format!(
        "it installs {what} from {from}: Sextant does not render Helm releases, so it shows \
         Flux's view only"
    );
    let origin = AppOrigin {
        repo_url: url,
        path: String::new(),
        revision: version,
        kind,
        chart,
    };
    app(obj, object, origin, Some(why))
}

/// The time Flux last handled a reconcile request (`status.lastHandledReconcileAt`).
pub fn last_handled(obj: &Value) -> Option<String> {
    opt(obj, "/status/lastHandledReconcileAt")
}
