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

/// Seconds since the Unix epoch of an RFC 3339 time as Kubernetes writes it
/// (`2026-11-22T02:01:42Z`, optionally with fractional seconds or an offset).
pub fn parse_rfc3339(s: &str) -> Option<i64> {
    let b = s.as_bytes();
    if b.len() < 20 || b[4] != b'-' || b[7] != b'-' || !matches!(b[10], b'T' | b't' | b' ') {
        return None;
    }
    let num = |r: std::ops::Range<usize>| s.get(r)?.parse::<i64>().ok();
    let (y, mo, d) = (num(0..4)?, num(5..7)?, num(8..10)?);
    let (h, mi, sec) = (num(11..13)?, num(14..16)?, num(17..19)?);
    if !(1..=12).contains(&mo) || !(1..=31).contains(&d) || h > 23 || mi > 59 || sec > 60 {
        return None;
    }
    let mut rest = &s[19..];
    if let Some(frac) = rest.strip_prefix('.') {
        let digits = frac.find(|c: char| !c.is_ascii_digit()).unwrap_or(frac.len());
        rest = &frac[digits..];
    }
    let offset = match rest {
        "Z" | "z" => 0,
        _ => {
            let sign = match rest.as_bytes().first()? {
                b'+' => 1,
                b'-' => -1,
                _ => return None,
            };
            let (oh, om) = (
                rest.get(1..3)?.parse::<i64>().ok()?,
                rest.get(4..6)?.parse::<i64>().ok()?,
            );
            sign * (oh * 3600 + om * 60)
        }
    };
    Some(days_from_civil(y, mo, d) * 86_400 + h * 3600 + mi * 60 + sec - offset)
}

/// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm).
fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rfc3339_parses_kubernetes_times() {
        assert_eq!(parse_rfc3339("1970-01-01T00:00:00Z"), Some(0));
        assert_eq!(parse_rfc3339("2026-11-22T02:01:42Z"), Some(1_795_312_902));
        assert_eq!(parse_rfc3339("2026-11-22T03:01:42+01:00"), Some(1_795_312_902));
        assert_eq!(parse_rfc3339("2026-11-22T02:01:42.123456Z"), Some(1_795_312_902));
        assert_eq!(parse_rfc3339("yesterday"), None);
        assert_eq!(parse_rfc3339("2026-13-22T02:01:42Z"), None);
    }

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
