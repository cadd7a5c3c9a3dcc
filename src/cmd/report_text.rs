//! Text for `sextant status` and `sextant diff`: a pure function of the engine's reports.

use super::style::AnsiTheme;
use crate::gitops::engine::compare::FieldChange;
use crate::gitops::engine::{AppReport, ObjectReport, SyncStatus};
use std::fmt::Write;

/// The apps x clusters table.
pub fn status_table(reports: &[AppReport]) -> String {
    let header = [
        "APP",
        "CLUSTER",
        "SOURCE",
        "SYNC",
        "HEALTH",
        "OUT-OF-SYNC",
        "MISSING",
        "EXTRA",
        "UNKNOWN",
        "UNMANAGED",
        "REVISION",
        "RUNNING",
        "OPERATOR",
    ];
    let mut rows: Vec<Vec<String>> = vec![header.iter().map(|h| h.to_string()).collect()];
    for r in reports {
        let c = r.counts;
        rows.push(vec![
            r.app.clone(),
            r.cluster.clone(),
            r.source.as_str().to_string(),
            match &r.pinned {
                Some(pin) => format!("{:?}, pinned @{}", r.sync, crate::git::short(pin)),
                None => format!("{:?}", r.sync),
            },
            r.health.clone(),
            c.out_of_sync.to_string(),
            c.missing.to_string(),
            c.extra.to_string(),
            c.unknown.to_string(),
            c.unmanaged.to_string(),
            r.revision.clone(),
            // The commit the cluster runs, when the engine can tell (see AppReport::deployed).
            r.deployed
                .as_deref()
                .map_or_else(|| "-".to_string(), |d| crate::git::short(d).to_string()),
            // The operator's own verdict, beside Sextant's.
            r.operator
                .as_ref()
                .map_or_else(|| "-".to_string(), |o| o.status_line()),
        ]);
    }
    let widths: Vec<usize> = (0..header.len())
        .map(|i| rows.iter().map(|r| r[i].chars().count()).max().unwrap_or(0))
        .collect();
    let mut out = String::new();
    for row in &rows {
        let cells: Vec<String> = row.iter().zip(&widths).map(|(c, w)| format!("{c:<w$}")).collect();
        let _ = writeln!(out, "{}", cells.join("  ").trim_end());
    }
    for r in reports {
        if let Some(why) = r.health_reason() {
            let _ = writeln!(out, "{}/{}: {}: {why}", r.app, r.cluster, r.health_word());
        }
    }
    for r in reports {
        for why in &r.disagreements {
            let _ = writeln!(out, "{}/{}: {why}", r.app, r.cluster);
        }
    }
    for r in reports {
        for line in problems(r) {
            let _ = writeln!(out, "{}/{}: {line}", r.app, r.cluster);
        }
    }
    out
}

/// Everything wrong with a report, one line each: cluster down, render errors, unknown objects, notes.
pub fn problems(r: &AppReport) -> Vec<String> {
    let mut out = Vec::new();
    if let Some(e) = &r.cluster_error {
        out.push(e.clone());
    }
    out.extend(r.render_errors.iter().map(|e| format!("render error: {e}")));
    for o in r.objects.iter().filter(|o| o.status == SyncStatus::Unknown) {
        let reason = o.reason.as_deref().unwrap_or("unknown");
        out.push(format!("{} is Unknown: {reason}", o.key.short()));
    }
    out.extend(r.notes.iter().cloned());
    out
}

/// The unified diff of every drifted object, attributed, then unmanaged changes apart.
pub fn diff_text(reports: &[AppReport], theme: AnsiTheme, now: Option<i64>) -> String {
    let mut out = String::new();
    let mut unmanaged = String::new();
    for r in reports {
        for o in &r.objects {
            write_object_diff(&mut out, r, o, theme, now);
            if let Some(cmp) = &o.comparison {
                for u in &cmp.unmanaged {
                    let value = u.live.as_ref().map(short_value).unwrap_or_default();
                    let _ = writeln!(
                        unmanaged,
                        "  {}/{} {} {}: {value} {}",
                        r.app,
                        r.cluster,
                        o.key.short(),
                        u.path,
                        attribution(u, now)
                    );
                }
            }
        }
    }
    if !unmanaged.is_empty() {
        let _ = writeln!(
            out,
            "{}",
            theme.header("# Unmanaged changes (set by other managers, never in Git; applying keeps them)")
        );
        out.push_str(&theme.comment(unmanaged.trim_end()));
        out.push('\n');
    }
    out
}

fn write_object_diff(out: &mut String, r: &AppReport, o: &ObjectReport, theme: AnsiTheme, now: Option<i64>) {
    let title = format!("{} {} on {} ({})", o.api_version, o.key.short(), r.cluster, r.app);
    match o.status {
        SyncStatus::OutOfSync => {
            let _ = writeln!(out, "{}", theme.header(&format!("# OutOfSync: {title}")));
            if let Some(cmp) = &o.comparison {
                for c in &cmp.changes {
                    let _ = writeln!(out, "{}", theme.comment(&format!("# {}", change_line(c, now))));
                }
                if let Some(reason) = &o.reason {
                    let _ = writeln!(out, "{}", theme.comment(&format!("# note: {reason}")));
                }
                let live = format!("live/{}", o.key);
                let desired = format!("desired@{}/{}", r.revision, o.key);
                write_unified(out, &cmp.live_yaml, &cmp.desired_yaml, &live, &desired, theme);
            }
        }
        SyncStatus::Missing => {
            let from = o.source.as_deref().unwrap_or("Git");
            let _ = writeln!(
                out,
                "{}",
                theme.header(&format!(
                    "# Missing: {title}: in Git ({from}), not on the cluster"
                ))
            );
            // What a sync would create, all added, as `kubectl diff` shows a new object.
            if let Some(cmp) = &o.comparison {
                let desired = format!("desired@{}/{}", r.revision, o.key);
                write_unified(out, "", &cmp.desired_yaml, "/dev/null", &desired, theme);
            }
        }
        SyncStatus::Extra => {
            let _ = writeln!(
                out,
                "{}",
                theme.header(&format!(
                    "# Extra: {title}: tracked as {}'s on the cluster, no longer in Git",
                    r.app
                ))
            );
            // What a prune would delete, all removed.
            if let Some(cmp) = &o.comparison {
                let live = format!("live/{}", o.key);
                write_unified(out, &cmp.live_yaml, "", &live, "/dev/null", theme);
            }
        }
        SyncStatus::Synced | SyncStatus::Unknown => {}
    }
}

fn write_unified(out: &mut String, old: &str, new: &str, old_name: &str, new_name: &str, theme: AnsiTheme) {
    let diff = similar::TextDiff::from_lines(old, new);
    let text = diff
        .unified_diff()
        .context_radius(3)
        .header(old_name, new_name)
        .to_string();
    for line in text.lines() {
        let painted = if line.starts_with("+++") || line.starts_with("---") {
            theme.header(line)
        } else if line.starts_with('+') {
            theme.added(line)
        } else if line.starts_with('-') {
            theme.removed(line)
        } else if line.starts_with("@@") {
            theme.hunk(line)
        } else {
            line.to_string()
        };
        out.push_str(&painted);
        out.push('\n');
    }
}

/// `.spec.replicas 5 → 3 (changed by kubectl, Update/scale, 2m ago)`
pub fn change_line(c: &FieldChange, now: Option<i64>) -> String {
    let live = c
        .live
        .as_ref()
        .map(short_value)
        .unwrap_or_else(|| "(absent)".into());
    let desired = c
        .desired
        .as_ref()
        .map(short_value)
        .unwrap_or_else(|| "(absent)".into());
    format!("{} {live} → {desired} {}", c.path, attribution(c, now))
        .trim_end()
        .to_string()
}

fn attribution(c: &FieldChange, now: Option<i64>) -> String {
    let Some(manager) = &c.manager else {
        return String::new();
    };
    let mut parts = vec![format!("by {manager}")];
    if let Some(op) = &c.operation {
        parts.push(op.clone());
    }
    match (&c.time, now) {
        (Some(t), Some(now)) => parts.push(ago(t, now)),
        (Some(t), None) => parts.push(t.clone()),
        (None, _) => parts.push("time not recorded".into()),
    }
    format!("({})", parts.join(", "))
}

fn short_value(v: &serde_json::Value) -> String {
    let s = match v {
        serde_json::Value::String(s) => s.clone(),
        other => other.to_string(),
    };
    if s.chars().count() > 80 {
        format!("{}…", s.chars().take(80).collect::<String>())
    } else {
        s
    }
}

/// `2m ago`, `3h ago`, from an RFC 3339 time; the time itself when it does not parse.
pub fn ago(time: &str, now_secs: i64) -> String {
    match crate::gitops::drift::parse_rfc3339(time) {
        Some(t) => crate::gitops::drift::age_text(now_secs - t),
        None => time.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn change(time: Option<&str>) -> FieldChange {
        crate::gitops::engine::compare::scale_change(time, None)
    }

    /// shop on prod-eu: a Service and a Deployment of `health` saying `why`.
    fn report(health: &str, why: &str) -> AppReport {
        use crate::gitops::engine::VerdictPath;
        use std::sync::Arc;
        let object = |kind: &str, health: &str, why: &str| ObjectReport {
            key: crate::kube::key::ObjectKey {
                group: String::new(),
                kind: kind.into(),
                namespace: "shop".into(),
                name: "web".into(),
            },
            api_version: "v1".into(),
            status: SyncStatus::Synced,
            health: health.into(),
            health_message: Some(why.into()).filter(|w: &String| !w.is_empty()),
            health_counts_as: None,
            reason: None,
            source: None,
            path: VerdictPath::Local,
            comparison: None,
        };
        let mut r = AppReport {
            app: "shop".into(),
            cluster: "prod-eu".into(),
            context: "prod-eu".into(),
            revision: "9f2c1e0".into(),
            commit: String::new(),
            deployed: None,
            pinned: None,
            sync: SyncStatus::Unknown,
            health: String::new(),
            health_culprit: None,
            counts: Default::default(),
            objects: vec![
                Arc::new(object("Service", "Healthy", "")),
                Arc::new(object("Deployment", health, why)),
            ],
            render_errors: Vec::new(),
            notes: Vec::new(),
            cluster_error: None,
            source: Default::default(),
            operator: None,
            disagreements: Vec::new(),
        };
        r.summarize();
        r
    }

    #[test]
    fn status_says_which_object_keeps_an_app_from_healthy() {
        let why = "0/3 replicas available (ProgressDeadlineExceeded)";
        let text = status_table(&[report("Degraded", why)]);
        assert!(
            text.contains(&format!("shop/prod-eu: Degraded: Deployment/web: {why}\n")),
            "{text}"
        );
        let healthy = status_table(&[report("Healthy", "3/3 replicas available")]);
        assert_eq!(healthy.lines().count(), 2, "{healthy}");
    }

    #[test]
    fn change_lines_name_manager_and_age() {
        let now = crate::gitops::drift::parse_rfc3339("2026-11-22T10:02:00Z");
        assert_eq!(
            change_line(&change(Some("2026-11-22T10:00:00Z")), now),
            ".spec.replicas 5 → 3 (by kubectl, Update/scale, 2m ago)"
        );
        assert_eq!(
            change_line(&change(None), now),
            ".spec.replicas 5 → 3 (by kubectl, Update/scale, time not recorded)"
        );
    }
}
