use super::*;
use crate::gitops::engine::compare::Comparison;
use crate::gitops::engine::{SyncStatus, VerdictPath};
use crate::kube::key::ObjectKey;

/// A Deployment whose live replicas (5, set by kubectl scale) differ from desired (3), with
/// `extra` unchanged lines after the change so the tail folds.
fn drifted(name: &str, extra: usize) -> ObjectReport {
    let tail: String = (0..extra).map(|i| format!("    k{i}: v{i}\n")).collect();
    let yaml = |replicas: u32| {
        format!(
            "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: {name}\n  namespace: shop\nspec:\n  replicas: {replicas}\n  selector:\n{tail}"
        )
    };
    ObjectReport {
        key: ObjectKey {
            group: "apps".into(),
            kind: "Deployment".into(),
            namespace: "shop".into(),
            name: name.into(),
        },
        api_version: "apps/v1".into(),
        status: SyncStatus::OutOfSync,
        health: "Healthy".into(),
        health_message: None,
        health_counts_as: None,
        reason: None,
        source: None,
        path: VerdictPath::Preview,
        comparison: Some(Comparison {
            drift: true,
            changes: vec![FieldChange {
                path: ".spec.replicas".into(),
                op: "replace".into(),
                live: Some(5.into()),
                desired: Some(3.into()),
                manager: Some("kubectl".into()),
                operation: Some("Update/scale".into()),
                time: Some("2026-11-23T02:11:20Z".into()),
                seen: None,
                lines: (None, None),
            }],
            unmanaged: Vec::new(),
            live_yaml: yaml(5),
            desired_yaml: yaml(3),
            note: None,
        }),
    }
}

fn line_of(d: &DriftDiffState, text: &str, kind: LineKind) -> usize {
    let lines = &d.diff.text().map(|t| t.lines.clone()).unwrap_or_default();
    lines
        .iter()
        .position(|l| l.text == text && l.kind == kind)
        .unwrap_or_else(|| panic!("no {kind:?} line {text:?} in {lines:#?}"))
}

#[test]
fn headers_are_never_folded_away() {
    let (a, b) = (drifted("web", 12), drifted("api", 12));
    let mut d = DriftDiffState::build("t".into(), &[&a, &b]);
    assert_eq!(d.headers.len(), 2);
    assert!(!d.diff.folds.folds.is_empty(), "long unchanged runs still fold");
    for split in [false, true] {
        d.diff.split = split;
        d.diff.relayout();
        for &h in &d.headers {
            assert_eq!(d.diff.folds.fold_of_line(h), None, "header {h} is in a fold");
            let shown = d.diff.rows.iter().any(|r| DiffState::row_lines(r).0 == Some(h));
            assert!(
                shown,
                "header {h} not on a row (split {split}): {:?}",
                d.diff.rows
            );
        }
    }
    let t = d.diff.text().map(|t| t.lines[d.headers[1]].text.clone());
    assert_eq!(t.as_deref(), Some("Deployment/api -n shop · OutOfSync"));
    // Unfolding everything keeps the headers where they are.
    while d.diff.expand_next_fold() {}
    assert!(d.headers.iter().all(|h| d.is_header(*h)));
}

#[test]
fn notes_sit_on_the_changed_lines_in_both_modes() {
    let (a, b) = (drifted("web", 2), drifted("api", 2));
    let mut d = DriftDiffState::build("t".into(), &[&a, &b]);
    assert_eq!(d.notes.len(), 2, "one note per object's change: {:?}", d.notes);
    let first = line_of(&d, "  replicas: 5", LineKind::Removed);
    assert_eq!(d.notes.get(&first).map(|n| n.manager.as_str()), Some("kubectl"));
    for split in [false, true] {
        d.diff.split = split;
        d.diff.relayout();
        let noted: Vec<(Option<usize>, Option<usize>)> = d
            .diff
            .rows
            .iter()
            .filter(|r| d.note_at(r).is_some())
            .map(DiffState::row_lines)
            .collect();
        assert_eq!(noted.len(), 2, "split {split}: {noted:?}");
        for (left, right) in noted {
            let left = left.and_then(|i| d.diff.text().map(|t| t.lines[i].clone()));
            let left = left.unwrap_or_else(|| panic!("a note on a row without a live line"));
            assert_eq!(
                (left.kind, left.text.as_str()),
                (LineKind::Removed, "  replicas: 5")
            );
            if split {
                // The desired line sits beside it on the same row.
                let right = right.and_then(|i| d.diff.text().map(|t| t.lines[i].text.clone()));
                assert_eq!(right.as_deref(), Some("  replicas: 3"));
            }
        }
    }
}

#[test]
fn objects_without_a_comparison_show_their_header_and_why() {
    let mut missing = drifted("gone", 0);
    missing.status = SyncStatus::Unknown;
    missing.reason = Some("forbidden: cannot get".into());
    missing.comparison = None;
    let d = DriftDiffState::build("t".into(), &[&missing]);
    let lines: Vec<String> = d
        .diff
        .text()
        .map_or(Vec::new(), |t| t.lines.iter().map(|l| l.text.clone()).collect());
    assert_eq!(
        lines,
        ["Deployment/gone -n shop · Unknown · forbidden: cannot get"]
    );
    assert!(d.diff.hunks.is_empty());
}

#[test]
fn field_names_come_from_engine_paths() {
    assert_eq!(last_field(".spec.replicas").as_deref(), Some("replicas"));
    assert_eq!(
        last_field(".spec.template.spec.containers[name=web].image").as_deref(),
        Some("image")
    );
    assert_eq!(
        last_field(".metadata.labels[\"app.kubernetes.io/version\"]").as_deref(),
        Some("app.kubernetes.io/version")
    );
    assert_eq!(last_field(".spec.containers[name=web]"), None);
    assert_eq!(last_field(".spec.args[0]"), None);
    assert_eq!(last_field("[\"unterminated"), None);
    assert_eq!(yaml_key("  - image: nginx:1.27"), Some("image"));
    assert_eq!(
        yaml_key("    app.kubernetes.io/version: 1.4.0"),
        Some("app.kubernetes.io/version")
    );
    assert_eq!(yaml_key("  selector:"), Some("selector"));
    assert_eq!(yaml_key("  - --verbose"), None);
}

#[test]
fn engine_anchors_put_each_note_on_its_own_line_when_names_repeat() {
    let live = "spec:\n  containers:\n  - image: web:1\n    name: web\n  - image: side:1\n    name: side\n";
    let desired =
        "spec:\n  containers:\n  - image: web:2\n    name: web\n  - image: side:2\n    name: side\n";
    let change = |path: &str, manager: &str, line: usize| FieldChange {
        path: path.into(),
        op: "replace".into(),
        live: None,
        desired: None,
        manager: Some(manager.into()),
        operation: Some("Update".into()),
        time: None,
        seen: None,
        lines: (Some(line), Some(line)),
    };
    let mut o = drifted("web", 0);
    let cmp = o.comparison.as_mut().expect("comparison");
    cmp.live_yaml = live.into();
    cmp.desired_yaml = desired.into();
    // Listed side first: a guess by field name alone would put `side-bot` on web's image.
    cmp.changes = vec![
        change(".spec.containers[name=side].image", "side-bot", 4),
        change(".spec.containers[name=web].image", "web-bot", 2),
    ];
    let d = DriftDiffState::build("t".into(), &[&o]);
    let web = line_of(&d, "  - image: web:1", LineKind::Removed);
    let side = line_of(&d, "  - image: side:1", LineKind::Removed);
    assert_eq!(d.notes.get(&web).map(|n| n.manager.as_str()), Some("web-bot"));
    assert_eq!(d.notes.get(&side).map(|n| n.manager.as_str()), Some("side-bot"));
}

/// An object with no line-by-line diff says why under its header, instead of showing nothing.
#[test]
fn objects_without_a_diff_say_why() {
    let synced = ObjectReport {
        status: SyncStatus::Synced,
        comparison: None,
        ..drifted("web", 0)
    };
    let missing = ObjectReport {
        status: SyncStatus::Missing,
        comparison: None,
        ..drifted("api", 0)
    };
    let d = DriftDiffState::build("t".into(), &[&synced, &missing]);
    let lines: Vec<String> = d
        .diff
        .text()
        .map(|t| t.lines.iter().map(|l| l.text.clone()).collect())
        .unwrap_or_default();
    assert_eq!(
        lines,
        [
            "Deployment/web -n shop · Synced",
            "# live matches Git at this revision: a sync would change nothing",
            "Deployment/api -n shop · Missing",
            "# in Git, not on the cluster: a sync would create it",
        ]
    );
    assert_eq!(d.headers, [0, 2], "the explanations are not headers");
}
