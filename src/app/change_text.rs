//! One attributed change in words, for the Apps table, app detail and Activity:
//! "spec.replicas 3→5 by kubectl, 2m ago", "data.password changed by kubectl-edit",
//! "spec.replicas 2→3 in Git, not synced yet". Long paths give way from the left so what
//! changed, and who changed it, stay readable in a narrow column.

use crate::gitops::engine::compare::FieldChange;
use crate::gitops::engine::{AppReport, ObjectReport};
use std::fmt;

pub use crate::gitops::words::{plain, readable_path, short_change, short_pair, short_value};

/// A change worded: the field's path, then its values, who and when.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChangeText {
    /// What the path is inside, said the way an SRE reads it (`container web`); empty for
    /// full paths. Always kept when shortening: it says which container.
    pub scope: String,
    /// `spec.template.spec.containers[name=web].image`, or `image` under a scope
    pub path: String,
    /// ` 1.25→1.27 by kubectl-set` (or ` in Git, not synced yet`)
    pub what: String,
    /// `, 2m ago` when the server recorded a time, `, seen 2m ago` when Sextant saw it happen
    pub when: String,
}

impl fmt::Display for ChangeText {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let lead = self.leads().into_iter().next().unwrap_or_default();
        write!(f, "{lead}{}{}{}", self.path, self.what, self.when)
    }
}

impl ChangeText {
    /// Just the words, with no path (a preview's outcome, "would be created").
    pub fn words(what: String) -> ChangeText {
        ChangeText {
            scope: String::new(),
            path: String::new(),
            what,
            when: String::new(),
        }
    }

    /// The scope's leads, longest first: `container web `, `web `, or nothing.
    fn leads(&self) -> Vec<String> {
        match self.scope.rsplit_once(' ') {
            _ if self.scope.is_empty() => vec![String::new()],
            Some((_, name)) => vec![format!("{} ", self.scope), format!("{name} ")],
            None => vec![format!("{} ", self.scope)],
        }
    }

    /// The text for `width` characters. What gives way first is what matters least: the
    /// time's " ago", then leading path segments down to the last two
    /// (`…containers[name=web].image 1.25→1.27 by kubectl-set, 2m`), then the time, then
    /// more of the path, then the scope's words (`container web` → `web`); otherwise the view
    /// cuts the end.
    pub fn shorten(&self, width: usize) -> String {
        let leads = self.leads();
        leads
            .iter()
            .find_map(|lead| self.fitted(lead, width))
            .unwrap_or_else(|| self.narrowest(leads.last().map(String::as_str).unwrap_or_default()))
    }

    /// The longest form with `lead` before the path that fits `width`, if any.
    fn fitted(&self, lead: &str, width: usize) -> Option<String> {
        let fits = |s: &String| s.chars().count() <= width;
        let full = format!("{lead}{}{}{}", self.path, self.what, self.when);
        if fits(&full) {
            return Some(full);
        }
        let when = self.when.strip_suffix(" ago").unwrap_or(&self.when);
        let segments = path_segments(&self.path);
        // The time may push out leading segments, but not the last two (which container,
        // which field): below that, the path is worth more than the time.
        let keep = segments.len().saturating_sub(2);
        let with_time = std::iter::once(format!("{lead}{}{}{when}", self.path, self.what)).chain(
            segments
                .iter()
                .take(keep + 1)
                .skip(1)
                .map(|&at| format!("{lead}…{}{}{when}", &self.path[at..], self.what)),
        );
        if let Some(found) = with_time.filter(|_| !when.is_empty()).find(fits) {
            return Some(found);
        }
        let without_time = std::iter::once(format!("{lead}{}{}", self.path, self.what)).chain(
            segments
                .iter()
                .skip(1)
                .map(|&at| format!("{lead}…{}{}", &self.path[at..], self.what)),
        );
        without_time.into_iter().find(fits)
    }

    /// Nothing fits whole: a long path keeps only its last segment, a short one stays, and
    /// the view cuts the end.
    fn narrowest(&self, lead: &str) -> String {
        let segments = path_segments(&self.path);
        match segments.last() {
            Some(&at) if segments.len() > 2 => format!("{lead}…{}{}", &self.path[at..], self.what),
            _ => format!("{lead}{}{}", self.path, self.what),
        }
    }
}

/// Byte offsets where each segment of a dotted path starts (dots inside `[...]` do not split).
fn path_segments(path: &str) -> Vec<usize> {
    let mut starts = vec![0];
    let mut depth = 0usize;
    for (i, c) in path.char_indices() {
        match c {
            '[' => depth += 1,
            ']' => depth = depth.saturating_sub(1),
            '.' if depth == 0 && i + 1 < path.len() => starts.push(i + 1),
            _ => {}
        }
    }
    starts
}

/// The latest attributed change of a report, as "spec.replicas 3→5 by kubectl, 2m ago".
/// `ago` turns an RFC 3339 time into a relative one.
pub fn latest_change(report: &AppReport, ago: impl Fn(&str) -> Option<String>) -> Option<ChangeText> {
    newest(
        report.objects.iter().flat_map(|o| object_changes(o)),
        &ago,
        Wording::Compact,
    )
}

/// The newest out-of-band change in `now` that `before` did not have (another field, or the
/// same field set to another value), worded like [`latest_change`] without a time. None when
/// nothing is new, or when what is new is only Git moving (the new commit says that).
pub fn new_change(before: &AppReport, now: &AppReport) -> Option<ChangeText> {
    use std::collections::HashSet;
    let known: HashSet<(&crate::kube::key::ObjectKey, &str, Option<&serde_json::Value>)> = before
        .objects
        .iter()
        .flat_map(|o| object_changes(o).map(|c| (&o.key, c.path.as_str(), c.live.as_ref())))
        .collect();
    let fresh = now.objects.iter().flat_map(|o| {
        object_changes(o).filter(|c| {
            c.manager.as_deref() != Some(crate::kube::apply::FIELD_MANAGER)
                && !known.contains(&(&o.key, c.path.as_str(), c.live.as_ref()))
        })
    });
    newest(fresh, &|_| None, Wording::Compact)
}

/// The latest attributed change of one object in full: the whole path and both values, as
/// app detail shows it (`spec.template.spec.containers[name=web].image
/// ghcr.io/acme/web:6.0.0→ghcr.io/acme/web:6.14.1 by kubectl-set, 2m ago`).
pub fn latest_object_change(
    object: &ObjectReport,
    ago: impl Fn(&str) -> Option<String>,
) -> Option<ChangeText> {
    newest(object_changes(object), &ago, Wording::Full)
}

/// Every change of one object in full, drift first, then unmanaged fields, for app detail's
/// section on the selected object.
pub fn object_changes_in_full(
    object: &ObjectReport,
    ago: impl Fn(&str) -> Option<String>,
) -> Vec<ChangeText> {
    let unmanaged = object.comparison.iter().flat_map(|c| c.unmanaged.iter());
    object_changes(object)
        .chain(unmanaged)
        .map(|ch| describe(ch, &ago, Wording::Full))
        .collect()
}

/// The newest field another manager set that Git never mentions, as
/// "metadata.labels.team=oncall by kubectl-label, 2m ago" (not drift, but worth a look).
pub fn latest_unmanaged(object: &ObjectReport, ago: impl Fn(&str) -> Option<String>) -> Option<ChangeText> {
    newest(
        object.comparison.iter().flat_map(|c| c.unmanaged.iter()),
        &ago,
        Wording::Full,
    )
}

fn object_changes(object: &ObjectReport) -> impl Iterator<Item = &FieldChange> {
    object.comparison.iter().flat_map(|c| c.changes.iter())
}

/// The newest of `changes` (the first one wins a tie), worded.
fn newest<'a>(
    changes: impl Iterator<Item = &'a FieldChange>,
    ago: &impl Fn(&str) -> Option<String>,
    wording: Wording,
) -> Option<ChangeText> {
    let mut best: Option<&FieldChange> = None;
    let time = |ch: &FieldChange| ch.time.clone().or_else(|| ch.seen.clone()).unwrap_or_default();
    for ch in changes {
        if best.is_some_and(|b| time(b) >= time(ch)) {
            continue;
        }
        best = Some(ch);
    }
    best.map(|ch| describe(ch, ago, wording))
}

/// How much of a change to say.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Wording {
    /// For a column or a log line: which container, the field, and the part of each value
    /// that changed (`container web image web:6.0.0→6.14.1`).
    Compact,
    /// Everything: the whole path and both whole values.
    Full,
}

/// "spec.replicas 3→5 by kubectl, 2m ago" (or "… in Git, not synced yet").
fn describe(ch: &FieldChange, ago: &impl Fn(&str) -> Option<String>, wording: Wording) -> ChangeText {
    let path = ch.path.trim_start_matches('.');
    // Live still holds what Sextant last applied: Git moved, nobody touched the cluster.
    let git_moved = ch.manager.as_deref() == Some(crate::kube::apply::FIELD_MANAGER);
    let arrow = |before: &serde_json::Value, after: &serde_json::Value| match wording {
        Wording::Compact => {
            let (b, a) = short_change(before, after);
            format!(" {b}→{a}")
        }
        Wording::Full => format!(" {}→{}", plain(before), plain(after)),
    };
    let values = match (&ch.live, &ch.desired) {
        // Secret values arrive masked (`*** (before)`): say only that it changed.
        (Some(l), Some(d)) if is_masked(l) || is_masked(d) => " changed".to_string(),
        (Some(l), Some(d)) if git_moved => arrow(l, d),
        (Some(l), Some(d)) => arrow(d, l),
        (Some(l), None) if ch.op == "unmanaged" && is_masked(l) => " set".to_string(),
        (Some(l), None) if ch.op == "unmanaged" && wording == Wording::Full => format!("={}", plain(l)),
        (Some(l), None) if ch.op == "unmanaged" => format!("={}", short_value(l)),
        _ => String::new(),
    };
    let by = match &ch.manager {
        _ if git_moved => " in Git, not synced yet".to_string(),
        Some(m) => format!(" by {m}"),
        None => String::new(),
    };
    // The server's time, else when Sextant saw it happen (`kubectl scale` records none).
    let when = match (&ch.time, &ch.seen) {
        _ if git_moved => None,
        (Some(t), _) => ago(t).map(|a| format!(", {a} ago")),
        (None, Some(seen)) => ago(seen).map(|a| format!(", seen {a} ago")),
        (None, None) => None,
    }
    .unwrap_or_default();
    let (scope, path) = match wording {
        Wording::Compact => readable_path(path),
        Wording::Full => (String::new(), path.to_string()),
    };
    ChangeText {
        scope,
        path,
        what: format!("{values}{by}"),
        when,
    }
}

/// Whether a value is a Secret's masked placeholder.
fn is_masked(v: &serde_json::Value) -> bool {
    v.as_str().is_some_and(|s| s.starts_with("***"))
}

#[cfg(test)]
mod tests {
    use super::{ChangeText, Wording, describe, readable_path, short_change, short_pair};
    use crate::gitops::engine::compare::{FieldChange, scale_change as scale};
    use serde_json::json;

    #[test]
    fn a_change_without_a_server_time_says_when_it_was_seen() {
        let ago = |t: &str| Some(format!("<{t}>"));
        let said = |ch: &FieldChange| describe(ch, &ago, Wording::Compact).to_string();
        assert_eq!(
            said(&scale(None, Some("S"))),
            "spec.replicas 3→5 by kubectl, seen <S> ago"
        );
        // The server's time wins; neither: no time at all.
        assert_eq!(
            said(&scale(Some("T"), Some("S"))),
            "spec.replicas 3→5 by kubectl, <T> ago"
        );
        assert_eq!(said(&scale(None, None)), "spec.replicas 3→5 by kubectl");
    }

    #[test]
    fn long_values_keep_where_they_differ() {
        let (a, b) = short_pair(
            &json!("ghcr.io/example/payments-api:2.3.0"),
            &json!("ghcr.io/example/payments-api:2.2.1"),
        );
        assert_eq!(
            (a.as_str(), b.as_str()),
            ("…payments-api:2.3.0", "…payments-api:2.2.1")
        );
        // Short values, and values that differ early, are as they were.
        assert_eq!(short_pair(&json!(3), &json!(5)), ("3".into(), "5".into()));
        let (a, _) = short_pair(
            &json!("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"),
            &json!("bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb"),
        );
        assert_eq!(a, "aaaaaaaaaaaaaaaaaaaaaaa…");
        // A shared start with no separator close by gives way just as far as needed.
        let (a, b) = short_pair(
            &json!("abcdefghijklmnopqrstuvwxyz0123456789-x"),
            &json!("abcdefghijklmnopqrstuvwxyz0123456789-y"),
        );
        assert_eq!(a, "…pqrstuvwxyz0123456789-x");
        assert_eq!(b, "…pqrstuvwxyz0123456789-y");
    }

    fn text(path: &str, what: &str) -> ChangeText {
        ChangeText {
            scope: String::new(),
            path: path.into(),
            what: what.into(),
            when: ", 2m ago".into(),
        }
    }

    #[test]
    fn long_paths_give_way_from_the_left() {
        let t = text(
            "spec.template.spec.containers[name=redis].resources.limits.memory",
            " 512Mi→1Gi by kubectl-set",
        );
        assert_eq!(
            t.shorten(200),
            "spec.template.spec.containers[name=redis].resources.limits.memory 512Mi→1Gi by kubectl-set, 2m ago"
        );
        // " ago" goes first, then leading segments while the time still fits, then the time.
        assert_eq!(
            t.shorten(95),
            "spec.template.spec.containers[name=redis].resources.limits.memory 512Mi→1Gi by kubectl-set, 2m"
        );
        assert_eq!(
            t.shorten(90),
            "…template.spec.containers[name=redis].resources.limits.memory 512Mi→1Gi by kubectl-set, 2m"
        );
        assert_eq!(
            t.shorten(60),
            "…resources.limits.memory 512Mi→1Gi by kubectl-set, 2m"
        );
        assert_eq!(t.shorten(45), "…limits.memory 512Mi→1Gi by kubectl-set, 2m");
        // Too narrow for the time with the last two segments: the time goes.
        assert_eq!(t.shorten(40), "…limits.memory 512Mi→1Gi by kubectl-set");
        assert_eq!(t.shorten(34), "…memory 512Mi→1Gi by kubectl-set");
        // Narrower still: the last segment stays, the view cuts the end.
        assert_eq!(t.shorten(20), "…memory 512Mi→1Gi by kubectl-set");
        // Dots inside a selector do not split a segment.
        let t = text("spec.containers[name=a.b].image", " by kubectl");
        assert_eq!(t.shorten(38), "…containers[name=a.b].image by kubectl");
        assert_eq!(t.shorten(30), "…image by kubectl");
        // A short path is kept whole when shortening would not make it fit.
        assert_eq!(
            text("spec.replicas", " 3→4 in Git, not synced yet").shorten(33),
            "spec.replicas 3→4 in Git, not synced yet"
        );
        // A one-segment path is left alone.
        assert_eq!(text("data", " changed").shorten(3), "data changed");
        assert_eq!(
            text("data.password", " changed by kubectl-edit").shorten(33),
            "…password changed by kubectl-edit"
        );
    }

    #[test]
    fn an_image_change_says_which_container_and_which_tag() {
        let (a, b) = short_change(
            &json!("ghcr.io/stefanprodan/podinfo:6.0.0"),
            &json!("ghcr.io/stefanprodan/podinfo:6.14.1"),
        );
        assert_eq!((a.as_str(), b.as_str()), ("podinfo:6.0.0", "6.14.1"));
        let (a, b) = short_change(&json!("nginx:1.25.3"), &json!("nginx:1.27.0"));
        assert_eq!((a.as_str(), b.as_str()), ("nginx:1.25.3", "1.27.0"));
        // A digest is a tag too.
        let (a, b) = short_change(&json!("redis@sha256:aaaa"), &json!("redis@sha256:bbbb"));
        assert_eq!((a.as_str(), b.as_str()), ("redis@sha256:aaaa", "bbbb"));
        // Not an image: a port inside a URL, plain numbers, different images.
        assert_eq!(
            short_change(&json!("http://a:8080/x"), &json!("http://a:8080/y")),
            ("http://a:8080/x".into(), "http://a:8080/y".into())
        );
        assert_eq!(short_change(&json!(3), &json!(5)), ("3".into(), "5".into()));
        assert_eq!(
            short_change(&json!("nginx:1.25"), &json!("httpd:2.4")),
            ("nginx:1.25".into(), "httpd:2.4".into())
        );

        let (scope, path) = readable_path("spec.template.spec.containers[name=podinfod].image");
        assert_eq!((scope.as_str(), path.as_str()), ("container podinfod", "image"));
        let (scope, path) = readable_path(
            "spec.jobTemplate.spec.template.spec.initContainers[name=migrate].resources.limits.cpu",
        );
        assert_eq!(
            (scope.as_str(), path.as_str()),
            ("init container migrate", "resources.limits.cpu")
        );
        let (scope, path) =
            readable_path("spec.template.spec.containers[name=api].env[name=LOG_LEVEL].value");
        assert_eq!(
            (scope.as_str(), path.as_str()),
            ("container api", "env LOG_LEVEL")
        );
        assert_eq!(
            readable_path("spec.replicas"),
            (String::new(), "spec.replicas".into())
        );
    }

    #[test]
    fn a_compact_change_reads_like_an_sre_says_it_and_the_full_one_keeps_everything() {
        let ch = FieldChange {
            path: ".spec.template.spec.containers[name=podinfod].image".into(),
            live: Some(json!("ghcr.io/stefanprodan/podinfo:6.14.1")),
            desired: Some(json!("ghcr.io/stefanprodan/podinfo:6.0.0")),
            manager: Some("kubectl-set".into()),
            time: Some("T".into()),
            ..scale(None, None)
        };
        let ago = |_: &str| Some("2m".to_string());
        let compact = describe(&ch, &ago, Wording::Compact);
        assert_eq!(
            compact.to_string(),
            "container podinfod image podinfo:6.0.0→6.14.1 by kubectl-set, 2m ago"
        );
        // The container stays when the column is narrow; the time goes first.
        assert_eq!(
            compact.shorten(60),
            "container podinfod image podinfo:6.0.0→6.14.1 by kubectl-set"
        );
        assert_eq!(
            describe(&ch, &ago, Wording::Full).to_string(),
            "spec.template.spec.containers[name=podinfod].image ghcr.io/stefanprodan/podinfo:6.0.0→\
             ghcr.io/stefanprodan/podinfo:6.14.1 by kubectl-set, 2m ago"
        );
    }
}
