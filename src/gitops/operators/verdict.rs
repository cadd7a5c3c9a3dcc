//! Two views of the truth: the operator's verdict beside Sextant's, and why they disagree
//! (a field Argo CD ignores through `ignoreDifferences`, a suspended Kustomization, an
//! operator that has not reconciled since the last commit, a failed reconcile).

use super::{AppSource, IgnoredDifference, OperatorApp, revision_sha};
use crate::gitops::engine::report::{ObjectReport, SyncStatus};
use crate::kube::key::ObjectKey;
use std::sync::Arc;

/// What Sextant found for the app, from its report.
pub struct SextantSide<'a> {
    pub sync: SyncStatus,
    /// The commit Sextant rendered (full id; empty when nothing was rendered).
    pub commit: &'a str,
    pub objects: &'a [Arc<ObjectReport>],
}

/// Whether the operator calls the app in sync (Argo CD `Synced`, Flux `Ready`).
pub fn operator_in_sync(app: &OperatorApp) -> Option<bool> {
    match app.status.sync.as_str() {
        "Synced" | "Ready" => Some(true),
        "OutOfSync" | "NotReady" => Some(false),
        _ => None,
    }
}

/// Why the operator and Sextant see the app differently, one sentence each; empty when
/// they agree and there is nothing to add.
pub fn disagreements(app: &OperatorApp, sextant: &SextantSide<'_>) -> Vec<String> {
    let op = app.source.operator_name();
    let mut out = Vec::new();
    let st = &app.status;
    if app.source == AppSource::Flux {
        if st.suspended {
            out.push(format!(
                "the {} is suspended (spec.suspend): Flux does not reconcile it, so drift stays until it is resumed",
                app.object.kind
            ));
        }
        if st.sync == "NotReady" {
            let reason = st.reason.as_deref().unwrap_or("NotReady");
            let message = st.message.as_deref().unwrap_or("no message");
            out.push(format!("Flux's last reconcile failed ({reason}): {message}"));
        }
        if st.stale {
            out.push("Flux has not yet seen the latest spec (observedGeneration is behind)".into());
        }
    }
    if let Some(o) = &st.operation
        && matches!(o.phase.as_str(), "Failed" | "Error")
    {
        out.push(format!("Argo CD's last sync ended {}: {}", o.phase, o.message));
    }
    let sextant_in_sync = match sextant.sync {
        SyncStatus::Synced => Some(true),
        SyncStatus::OutOfSync | SyncStatus::Missing | SyncStatus::Extra => Some(false),
        SyncStatus::Unknown => None,
    };
    // Behind Git: the operator's revision is another commit than the one Sextant renders.
    let op_rev = st.revision.as_deref().and_then(revision_sha);
    let behind = match op_rev {
        Some(rev) if !sextant.commit.is_empty() && !same_commit(rev, sextant.commit) => {
            let verb = if app.source == AppSource::Flux {
                "last applied"
            } else {
                "last compared at"
            };
            out.push(format!(
                "{op} {verb} {} but Git is at {}: it has not reconciled since the last commit",
                crate::git::short(rev),
                crate::git::short(sextant.commit)
            ));
            true
        }
        _ => false,
    };
    let ignored = ignored_drift(&app.ignored, sextant.objects);
    for (key, paths) in &ignored {
        out.push(format!(
            "Argo CD ignores {} of {} (spec.ignoreDifferences), so it does not count that drift",
            paths.join(", "),
            key.short()
        ));
    }
    match (operator_in_sync(app), sextant_in_sync) {
        (Some(true), Some(false)) if !behind && ignored.is_empty() => out.push(match app.source {
            AppSource::Flux => format!(
                "Flux reports Ready from its last apply{}; it does not watch for drift between \
                 reconciles, and reapplies at its next interval",
                st.reconciled_at
                    .as_deref()
                    .map(|t| format!(" ({t})"))
                    .unwrap_or_default()
            ),
            _ => format!(
                "Argo CD last compared{}: the drift came after, and it has not refreshed since",
                st.reconciled_at
                    .as_deref()
                    .map(|t| format!(" at {t}"))
                    .unwrap_or_default()
            ),
        }),
        (Some(false), Some(true)) if !behind => out.push(format!(
            "{op} reports out of sync while Sextant finds the cluster as Git says: {op} compares \
             what Sextant normalizes away, or has not refreshed since the cluster caught up"
        )),
        _ => {}
    }
    out
}

fn same_commit(a: &str, b: &str) -> bool {
    let n = a.len().min(b.len());
    n >= 7 && a[..n].eq_ignore_ascii_case(&b[..n])
}

/// The drifted paths of each object that Argo CD's `ignoreDifferences` covers entirely.
fn ignored_drift(
    rules: &[IgnoredDifference],
    objects: &[Arc<ObjectReport>],
) -> Vec<(ObjectKey, Vec<String>)> {
    if rules.is_empty() {
        return Vec::new();
    }
    let mut out = Vec::new();
    for o in objects.iter().filter(|o| o.status == SyncStatus::OutOfSync) {
        let Some(cmp) = &o.comparison else { continue };
        let applying: Vec<&IgnoredDifference> = rules.iter().filter(|r| covers_object(r, &o.key)).collect();
        if applying.is_empty() || cmp.changes.is_empty() {
            continue;
        }
        let ignored: Vec<String> = cmp
            .changes
            .iter()
            .filter(|c| {
                applying.iter().any(|r| {
                    r.json_pointers
                        .iter()
                        .any(|p| path_under(&c.path, &pointer_segments(p)))
                        || r.jq_paths.iter().any(|p| path_under(&c.path, &jq_segments(p)))
                        || c.manager.as_ref().is_some_and(|m| r.managers.contains(m))
                })
            })
            .map(|c| c.path.clone())
            .collect();
        if !ignored.is_empty() {
            out.push((o.key.clone(), ignored));
        }
    }
    out
}

fn covers_object(rule: &IgnoredDifference, key: &ObjectKey) -> bool {
    rule.group == key.group
        && rule.kind == key.kind
        && (rule.name.is_empty() || rule.name == key.name)
        && (rule.namespace.is_empty() || rule.namespace == key.namespace)
}

/// A change path (`.spec.template.spec.containers[name=web].image`) as segments.
fn change_segments(path: &str) -> Vec<String> {
    path.replace('[', ".[")
        .split('.')
        .filter(|s| !s.is_empty())
        .map(str::to_string)
        .collect()
}

/// `/spec/template/spec/containers/0/image` as segments (`~1` is `/`, `~0` is `~`).
fn pointer_segments(pointer: &str) -> Vec<String> {
    pointer
        .split('/')
        .filter(|s| !s.is_empty())
        .map(|s| s.replace("~1", "/").replace("~0", "~"))
        .collect()
}

/// `.spec.template.spec.containers[] | .image` as segments, loosely.
fn jq_segments(expr: &str) -> Vec<String> {
    let flat: String = expr.split('|').map(str::trim).collect::<Vec<_>>().join("");
    change_segments(&flat)
}

/// Whether the change path lies under the pattern: every pattern segment matches, a
/// numeric or `[]` pattern segment matching any list element.
fn path_under(path: &str, pattern: &[String]) -> bool {
    let segs = change_segments(path);
    if pattern.is_empty() || pattern.len() > segs.len() {
        return false;
    }
    pattern.iter().zip(&segs).all(|(p, s)| {
        let any_item = p == "[]" || p.chars().all(|c| c.is_ascii_digit());
        if any_item {
            s.starts_with('[')
        } else {
            p == s || p.trim_matches(['"', '[', ']']) == s.trim_matches(['"', '[', ']'])
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pointers_and_jq_paths_cover_change_paths() {
        let change = ".spec.template.spec.containers[name=web].image";
        assert!(path_under(
            change,
            &pointer_segments("/spec/template/spec/containers/0/image")
        ));
        assert!(path_under(
            change,
            &jq_segments(".spec.template.spec.containers[] | .image")
        ));
        assert!(path_under(change, &pointer_segments("/spec/template")));
        assert!(!path_under(change, &pointer_segments("/spec/replicas")));
        assert!(path_under(".spec.replicas", &pointer_segments("/spec/replicas")));
        assert!(!path_under(".spec", &pointer_segments("/spec/replicas")));
    }

    #[test]
    fn commits_match_by_prefix() {
        assert!(same_commit("9f2c1e1", "9f2c1e1aa0b"));
        assert!(!same_commit("9f2c1e1", "41aa0b2"));
    }
}
