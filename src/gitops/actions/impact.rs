//! What a revert does on each cluster. Two halves: which (app, cluster) pairs the revert
//! touches at all (their rendered manifests differ between the branch head and the revert
//! commit: rendering only, no cluster), and, from the engine's preview of the revert commit on
//! each of those clusters, the objects that syncing it would create, update or delete, as the
//! [`ClusterImpact`] rows of the pull request's body.

use crate::config::UserConfig;
use crate::forge::{ChangeAction, ClusterImpact, ObjectChange};
use crate::gitops::engine::desired::{self, DesiredApp, DesiredRequest};
use crate::gitops::engine::{AppReport, ObjectReport, PreviewReport, SyncStatus};
use std::collections::BTreeMap;
use std::path::Path;

/// One (app, cluster) pair a revert changes, and why it may not be previewable.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Affected {
    pub app: String,
    /// The name the app uses for the cluster (an alias or a context).
    pub cluster: String,
    /// Said instead of a preview: the revert removes the app from sextant.yaml, or it does
    /// not render.
    pub note: Option<String>,
}

/// One pair's rendering: objects (canonical JSON text by key) and render errors.
type Rendering = (BTreeMap<String, String>, Vec<String>);
/// Every (app, cluster) pair's rendering.
type Renders = BTreeMap<(String, String), Rendering>;

fn renders(repo: &Path, user: &UserConfig, contexts: &[String], revision: &str) -> Result<Renders, String> {
    let request = DesiredRequest {
        repo: repo.to_path_buf(),
        revision: revision.to_string(),
        user: user.clone(),
        only_app: None,
        only_cluster: None,
        contexts: contexts.to_vec(),
    };
    let apps = desired::render_all(&request)?;
    Ok(apps.into_iter().map(render_entry).collect())
}

fn render_entry(d: DesiredApp) -> ((String, String), Rendering) {
    let objects = d
        .rendered
        .objects
        .iter()
        .map(|o| (o.key.to_string(), o.object.to_string()))
        .collect();
    let errors = d.rendered.errors.iter().map(ToString::to_string).collect();
    ((d.target.app.name, d.target.cluster), (objects, errors))
}

/// The (app, cluster) pairs whose rendered manifests differ between `head` and `reverted`
/// (commit ids or revspecs of `repo`), in app then cluster order. An error when `head` has no
/// valid sextant.yaml; a revert commit without one leaves every app with a note.
pub fn affected(
    repo: &Path,
    user: &UserConfig,
    contexts: &[String],
    head: &str,
    reverted: &str,
) -> Result<Vec<Affected>, String> {
    let before = renders(repo, user, contexts, head)?;
    let after = match renders(repo, user, contexts, reverted) {
        Ok(r) => r,
        Err(e) => {
            let note = format!("the revert leaves no app list Sextant can read: {e}");
            return Ok(before
                .into_keys()
                .map(|(app, cluster)| Affected {
                    app,
                    cluster,
                    note: Some(note.clone()),
                })
                .collect());
        }
    };
    let mut out = Vec::new();
    let keys: std::collections::BTreeSet<&(String, String)> = before.keys().chain(after.keys()).collect();
    for key in keys {
        let note = match (before.get(key), after.get(key)) {
            (Some(b), Some(a)) if a == b => continue,
            (_, Some((_, errors))) if !errors.is_empty() => {
                Some(format!("the revert does not render here: {}", errors.join("; ")))
            }
            (_, Some(_)) => None,
            (Some(_), None) => Some(
                "the revert removes this app from sextant.yaml: Sextant stops managing it and its \
                 objects stay on the cluster"
                    .to_string(),
            ),
            (None, None) => continue,
        };
        out.push(Affected {
            app: key.0.clone(),
            cluster: key.1.clone(),
            note,
        });
    }
    Ok(out)
}

/// The clusters to preview the revert on: those of the affected pairs that can be previewed.
pub fn clusters_to_preview(affected: &[Affected]) -> Vec<String> {
    let mut clusters: Vec<String> = affected
        .iter()
        .filter(|a| a.note.is_none())
        .map(|a| a.cluster.clone())
        .collect();
    clusters.sort();
    clusters.dedup();
    clusters
}

/// The rows of the pull request's body: for each affected pair, what the preview of the revert
/// commit on its cluster says would change (or why it cannot say).
pub fn impacts(affected: &[Affected], previews: &[&PreviewReport]) -> Vec<ClusterImpact> {
    affected
        .iter()
        .map(|a| {
            let blank = |note: String| ClusterImpact {
                app: a.app.clone(),
                cluster: a.cluster.clone(),
                changes: Vec::new(),
                note: Some(note),
            };
            if let Some(note) = &a.note {
                return blank(note.clone());
            }
            let Some(preview) = previews.iter().find(|p| p.cluster == a.cluster) else {
                return blank("could not preview: the cluster was not asked".into());
            };
            if let Some(error) = &preview.error {
                return blank(format!("could not preview: {error}"));
            }
            match preview.apps.iter().find(|r| r.app == a.app) {
                Some(report) => app_impact(a, report),
                None => blank("could not preview: the revert does not target this app here".into()),
            }
        })
        .collect()
}

fn app_impact(a: &Affected, report: &AppReport) -> ClusterImpact {
    let changes: Vec<ObjectChange> = report.objects.iter().filter_map(|o| object_change(o)).collect();
    let unknown: Vec<String> = report
        .objects
        .iter()
        .filter(|o| o.status == SyncStatus::Unknown)
        .map(|o| format!("{}: {}", o.key, o.reason.as_deref().unwrap_or("cannot tell")))
        .collect();
    let mut notes = Vec::new();
    if let Some(e) = &report.cluster_error {
        notes.push(format!("could not preview: {e}"));
    }
    if !report.render_errors.is_empty() {
        let errors: Vec<String> = report.render_errors.iter().map(ToString::to_string).collect();
        notes.push(format!("render errors: {}", errors.join("; ")));
    }
    if !unknown.is_empty() {
        notes.push(format!("cannot tell for {}", unknown.join("; ")));
    }
    ClusterImpact {
        app: a.app.clone(),
        cluster: a.cluster.clone(),
        changes,
        note: (!notes.is_empty()).then(|| notes.join(" · ")),
    }
}

/// One object's row: created, updated (with its first change), or deleted (a prune candidate).
fn object_change(o: &ObjectReport) -> Option<ObjectChange> {
    let action = match o.status {
        SyncStatus::Missing => ChangeAction::Create,
        SyncStatus::OutOfSync => ChangeAction::Update,
        SyncStatus::Extra => ChangeAction::Delete,
        SyncStatus::Synced | SyncStatus::Unknown => return None,
    };
    let detail = match (&o.comparison, action) {
        (Some(c), ChangeAction::Update) => update_detail(&o.key.kind, c),
        (_, ChangeAction::Delete) => "if pruned".into(),
        _ => String::new(),
    };
    Some(ObjectChange {
        kind: o.key.kind.clone(),
        namespace: (!o.key.namespace.is_empty()).then(|| o.key.namespace.clone()),
        name: o.key.name.clone(),
        action,
        detail,
    })
}

/// `spec.replicas 5→3 (+1 more)`, `container api image payments-api:2.4.0→2.3.0`; for a
/// Secret only the path.
fn update_detail(kind: &str, c: &crate::gitops::engine::compare::Comparison) -> String {
    use crate::gitops::words::{readable_path, short_change, short_value};
    let Some(first) = c.changes.first() else {
        return String::new();
    };
    let (scope, field) = readable_path(first.path.trim_start_matches('.'));
    let path = if scope.is_empty() {
        field
    } else {
        format!("{scope} {field}")
    };
    let values = match (kind, &first.live, &first.desired) {
        ("Secret", _, _) => String::new(),
        (_, Some(l), Some(d)) => {
            let (l, d) = short_change(l, d);
            format!(" {l}→{d}")
        }
        (_, None, Some(d)) => format!(" set to {}", short_value(d)),
        (_, Some(_), None) => " removed".into(),
        (_, None, None) => String::new(),
    };
    let more = match c.changes.len() {
        0 | 1 => String::new(),
        n => format!(" (+{} more)", n - 1),
    };
    format!("{path}{values}{more}")
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::Value;

    #[test]
    fn changes_read_as_an_sre_says_them() {
        use crate::gitops::engine::compare::{Comparison, FieldChange};
        let change = |path: &str, live: Value, desired: Value| FieldChange {
            path: path.into(),
            live: Some(live),
            desired: Some(desired),
            ..Default::default()
        };
        let cmp = |changes: Vec<FieldChange>| Comparison {
            changes,
            ..Default::default()
        };
        let image = change(
            ".spec.template.spec.containers[name=api].image",
            Value::from("ghcr.io/example/payments-api:2.4.0"),
            Value::from("ghcr.io/example/payments-api:2.3.0"),
        );
        assert_eq!(
            update_detail("Deployment", &cmp(vec![image.clone()])),
            "container api image payments-api:2.4.0→2.3.0"
        );
        let replicas = change(".spec.replicas", Value::from(5), Value::from(3));
        assert_eq!(
            update_detail("Deployment", &cmp(vec![replicas, image])),
            "spec.replicas 5→3 (+1 more)"
        );
        let password = change(".data.password", Value::from("***a"), Value::from("***b"));
        assert_eq!(update_detail("Secret", &cmp(vec![password])), "data.password");
    }

    #[test]
    fn a_pair_with_a_note_keeps_it_and_unasked_clusters_say_so() {
        let affected = vec![
            Affected {
                app: "web".into(),
                cluster: "prod".into(),
                note: Some("the revert removes this app".into()),
            },
            Affected {
                app: "api".into(),
                cluster: "staging".into(),
                note: None,
            },
        ];
        assert_eq!(clusters_to_preview(&affected), vec!["staging".to_string()]);
        let rows = impacts(&affected, &[]);
        assert_eq!(rows[0].note.as_deref(), Some("the revert removes this app"));
        assert!(rows[1].note.as_deref().is_some_and(|n| n.contains("not asked")));
    }
}
