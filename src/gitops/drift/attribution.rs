//! Attribution from live's `managedFields`: who owns each differing path and since when,
//! and which fields other managers set that desired never mentions (unmanaged changes).

use super::diff::path_text;
use super::normalize::NOISE_ANNOTATIONS;
use super::types::{Owner, UnmanagedChange};
use crate::kube::fieldset::{FieldPath, FieldSet, ManagedEntry, PathElement, owners_of};

/// Managers that are the cluster itself: their writes are expected, not someone's change.
pub const CONTROLLERS: [&str; 5] = [
    "kube-controller-manager",
    "kube-apiserver",
    "kube-scheduler",
    "clusterrole-aggregation-controller",
    "kubelet",
];

impl Owner {
    pub fn from_entry(e: &ManagedEntry) -> Owner {
        Owner {
            manager: e.manager.clone(),
            operation: e.operation.clone(),
            subresource: e.subresource.clone(),
            time: e.time.clone(),
        }
    }

    /// `kubectl-edit, 2m ago`; `kubectl via scale, time not recorded`.
    pub fn describe(&self, now_unix: i64) -> String {
        let mut s = self.manager.clone();
        if let Some(sub) = &self.subresource {
            s.push_str(&format!(" via {sub}"));
        }
        let when = match self.time.as_deref().and_then(parse_rfc3339) {
            Some(t) => age_text(now_unix - t),
            None => "time not recorded".into(),
        };
        format!("{s}, {when}")
    }
}

/// The owners of `path` in live, Sextant's own entry last so the culprit comes first.
pub fn owners(entries: &[ManagedEntry], path: &FieldPath, field_manager: &str) -> Vec<Owner> {
    let mut found: Vec<Owner> = owners_of(entries, path)
        .into_iter()
        .map(Owner::from_entry)
        .collect();
    found.sort_by_key(|o| o.manager == field_manager);
    found
}

/// Fields owned by managers other than Sextant and the cluster's controllers that desired
/// (`wanted`, the field set of the prepared desired object) never mentions. List-map items
/// are reported whole; map and struct fields by their leaves.
pub fn unmanaged_changes(
    entries: &[ManagedEntry],
    wanted: &FieldSet,
    live: &serde_json::Value,
    field_manager: &str,
) -> Vec<UnmanagedChange> {
    let mut out: Vec<UnmanagedChange> = Vec::new();
    for e in entries {
        if e.manager == field_manager
            || CONTROLLERS.contains(&e.manager.as_str())
            || e.subresource.as_deref() == Some("status")
        {
            continue;
        }
        let mut reported: Vec<FieldPath> = Vec::new();
        let all = e.fields.paths();
        for (i, path) in all.iter().enumerate() {
            // `paths()` is depth-first, so members below a path come right after it.
            let has_members_below = all.get(i + 1).is_some_and(|next| next.starts_with(path));
            if reported.iter().any(|p| path.starts_with(p)) || wanted.touches(path) || is_noise(path) {
                continue;
            }
            let is_item = matches!(path.0.last(), Some(PathElement::Key(_) | PathElement::Value(_)));
            if !is_item && has_members_below {
                continue;
            }
            reported.push(path.clone());
            if out.iter().any(|u| u.path == *path) {
                continue;
            }
            out.push(UnmanagedChange {
                path_text: path_text(path),
                value: path.resolve(live).cloned(),
                path: path.clone(),
                owner: Owner::from_entry(e),
            });
        }
    }
    out
}

/// Paths under `status` or a noise annotation are never anyone's change to report.
fn is_noise(path: &FieldPath) -> bool {
    let f = |i: usize| match path.0.get(i) {
        Some(PathElement::Field(s)) => Some(s.as_str()),
        _ => None,
    };
    f(0) == Some("status")
        || (f(0) == Some("metadata")
            && f(1) == Some("annotations")
            && f(2).is_some_and(|a| NOISE_ANNOTATIONS.contains(&a)))
}

/// `42s ago`, `2m ago`, `3h ago`, `5d ago`; `just now` for clocks slightly ahead.
pub fn age_text(secs: i64) -> String {
    match secs {
        s if s < 0 => "just now".into(),
        s if s < 60 => format!("{s}s ago"),
        s if s < 3600 => format!("{}m ago", s / 60),
        s if s < 86_400 => format!("{}h ago", s / 3600),
        s => format!("{}d ago", s / 86_400),
    }
}

pub use crate::time::parse_rfc3339;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn owner_descriptions() {
        let now = 1_795_312_902 + 125;
        let edit = Owner {
            manager: "kubectl-edit".into(),
            operation: "Update".into(),
            subresource: None,
            time: Some("2026-11-22T02:01:42Z".into()),
        };
        assert_eq!(edit.describe(now), "kubectl-edit, 2m ago");
        let scale = Owner {
            manager: "kubectl".into(),
            subresource: Some("scale".into()),
            time: None,
            ..edit
        };
        assert_eq!(scale.describe(now), "kubectl via scale, time not recorded");
    }

    #[test]
    fn ages() {
        assert_eq!(age_text(5), "5s ago");
        assert_eq!(age_text(7200), "2h ago");
        assert_eq!(age_text(3 * 86_400), "3d ago");
        assert_eq!(age_text(-3), "just now");
    }
}
