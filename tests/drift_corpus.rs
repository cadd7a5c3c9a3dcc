//! The drift core against the golden corpus recorded from a real kube-apiserver
//! (`tests/fixtures/apiserver-corpus`): for every case, no drift right after apply on
//! both paths; after the out-of-band change the verdict, the changed paths and the
//! manager match `expected.yaml`; unmanaged changes are reported apart; the preview and
//! local paths agree, also on every edited manifest; Secrets never show a value.

#[path = "drift_corpus/support.rs"]
mod support;

use serde_json::Value;
use sextant::gitops::drift::{self, ApplyRejection, SyncState, diff_text_local, diff_text_preview};
use std::collections::BTreeSet;
use support::*;

#[test]
fn no_drift_right_after_apply_on_both_paths() {
    for case in cases() {
        let manifest = case.yaml("manifest.yaml");
        let live = case
            .json("live-after-apply.json")
            .unwrap_or_else(|| panic!("{}: no live", case.id));
        let same = case
            .json("dryrun-same.json")
            .unwrap_or_else(|| panic!("{}: no dry-run", case.id));
        assert_eq!(case.exp("drift_after_apply"), &Value::Bool(false));
        for (how, d) in [
            ("preview", preview(&case, &manifest, &live, &same)),
            ("local", local(&case, &manifest, &live)),
        ] {
            assert_eq!(
                d.state,
                SyncState::Synced,
                "{} {how}: false drift {:#?}",
                case.id,
                d.changes
            );
            assert!(
                d.unmanaged.is_empty(),
                "{} {how}: unexpected unmanaged {:#?}",
                case.id,
                d.unmanaged
            );
            assert_eq!(d.error, None, "{} {how}", case.id);
        }
    }
}

#[test]
fn out_of_band_changes_are_found_with_their_manager_on_both_paths() {
    let mut checked = 0;
    for case in cases() {
        let (Some(live), Some(dry)) = (
            case.json("live-after-drift.json"),
            case.json("dryrun-after-drift.json"),
        ) else {
            continue;
        };
        checked += 1;
        let manifest = case.yaml("manifest.yaml");
        let want_drift = case
            .exp("drift")
            .as_bool()
            .unwrap_or_else(|| panic!("{}: drift", case.id));
        let want_paths = expected_paths(case.exp_list("drift_paths"));
        let managers: BTreeSet<String> = case.exp_list("drift_manager").into_iter().collect();
        for (how, d) in [
            ("preview", preview(&case, &manifest, &live, &dry)),
            ("local", local(&case, &manifest, &live)),
        ] {
            let want_state = if want_drift {
                SyncState::OutOfSync
            } else {
                SyncState::Synced
            };
            assert_eq!(d.state, want_state, "{} {how}: {:#?}", case.id, d.changes);
            assert_eq!(paths(&d), want_paths, "{} {how}", case.id);
            let culprits: BTreeSet<String> = d
                .changes
                .iter()
                .filter_map(|c| c.culprit())
                .map(|o| o.manager.clone())
                .collect();
            if want_drift {
                assert_eq!(culprits, managers, "{} {how}: drift manager", case.id);
            }
            // Attribution carries the manager's entry as recorded (no time for kubectl scale).
            for entry in case.exp("drift_manager_entries").as_array().into_iter().flatten() {
                let m = entry["manager"].as_str().unwrap_or_default();
                for c in d
                    .changes
                    .iter()
                    .filter(|c| c.culprit().is_some_and(|o| o.manager == m))
                {
                    let o = c.culprit().unwrap_or_else(|| unreachable!());
                    assert_eq!(
                        o.time.as_deref(),
                        entry["time"].as_str(),
                        "{} {how}: time of {m}",
                        case.id
                    );
                    assert_eq!(
                        o.subresource.as_deref(),
                        entry["subresource"].as_str(),
                        "{} {how}",
                        case.id
                    );
                    assert_eq!(
                        o.operation,
                        entry["operation"].as_str().unwrap_or_default(),
                        "{} {how}",
                        case.id
                    );
                }
            }
        }
    }
    assert_eq!(checked, 23, "23 cases have an out-of-band change");
}

#[test]
fn unmanaged_changes_are_reported_apart_with_their_manager() {
    for case in cases() {
        let Some(live) = case.json("live-after-drift.json") else {
            continue;
        };
        let manifest = case.yaml("manifest.yaml");
        let managers: BTreeSet<String> = case.exp_list("drift_manager").into_iter().collect();
        let d = local(&case, &manifest, &live);
        let drift_paths = paths(&d);
        // What the operation changed and applying keeps must be listed, with the manager.
        for p in expected_paths(case.exp_list("drift_not_restored_paths")) {
            let hit = d
                .unmanaged
                .iter()
                .find(|u| u.path_text == p || u.path_text.starts_with(&p));
            let hit = hit
                .unwrap_or_else(|| panic!("{}: {p} not reported as unmanaged: {:#?}", case.id, d.unmanaged));
            assert!(
                managers.contains(&hit.owner.manager),
                "{}: {p} owned by {}",
                case.id,
                hit.owner.manager
            );
        }
        // Unmanaged changes are never drift, and drift is never unmanaged.
        for u in &d.unmanaged {
            assert!(
                !drift_paths.contains(&u.path_text),
                "{}: {} both",
                case.id,
                u.path_text
            );
        }
    }
    // The four cases where SSA cannot see the change at all.
    for (id, want) in [
        ("05-service-nodeport", ".spec.externalTrafficPolicy"),
        ("11-cronjob", ".spec.suspend"),
        (
            "22-persistentvolumeclaim",
            ".metadata.labels[\"backup.example.com/policy\"]",
        ),
        (
            "26-unmanaged-field-added",
            ".spec.template.spec.containers[name=storefront].ports[containerPort=9090,protocol=TCP]",
        ),
    ] {
        let case = cases()
            .into_iter()
            .find(|c| c.id == id)
            .unwrap_or_else(|| panic!("{id} missing"));
        let live = case.json("live-after-drift.json").unwrap_or_default();
        let d = local(&case, &case.yaml("manifest.yaml"), &live);
        assert_eq!(d.state, SyncState::Synced, "{id}");
        assert!(
            d.unmanaged.iter().any(|u| u.path_text == want),
            "{id}: {want} in {:#?}",
            d.unmanaged
        );
    }
}

#[test]
fn edited_manifests_agree_on_both_paths() {
    for case in cases() {
        for entry in case.exp("manifest_changed").as_array().into_iter().flatten() {
            let file = entry["manifest"].as_str().unwrap_or_default();
            let desired = case.yaml(file);
            let live = case.json("live-after-apply.json").unwrap_or_default();
            let response = case
                .json(entry["response"].as_str().unwrap_or_default())
                .unwrap_or_default();
            let want: BTreeSet<String> = entry["paths"]
                .as_array()
                .into_iter()
                .flatten()
                .filter_map(|p| p.as_str().map(str::to_string))
                .filter(|p| !is_noise(p))
                .collect();
            if entry["http_status"].as_u64() == Some(200) {
                let p = preview(&case, &desired, &live, &response);
                assert_eq!(paths(&p), want, "{} {file} preview", case.id);
                let l = local(&case, &desired, &live);
                assert_eq!(paths(&l), want, "{} {file} local", case.id);
                assert_eq!(l.state, SyncState::OutOfSync, "{} {file}", case.id);
                assert!(
                    l.needs_replace.is_empty() && p.needs_replace.is_empty(),
                    "{} {file}",
                    case.id
                );
            } else {
                let rejection = ApplyRejection {
                    code: response["code"].as_u64().unwrap_or_default() as u16,
                    reason: response["reason"].as_str().unwrap_or_default().into(),
                    message: response["message"].as_str().unwrap_or_default().into(),
                };
                let d = drift::compare_rejected(&desired, &live, rejection, &opts())
                    .unwrap_or_else(|e| panic!("{}: {e}", case.id));
                assert_eq!(d.state, SyncState::OutOfSync, "{} {file}", case.id);
                let r = d.rejection.unwrap_or_else(|| panic!("{}: no rejection", case.id));
                assert_eq!(r.code, 422);
                assert!(
                    !r.message.contains('\n') && r.message.chars().count() <= 241,
                    "{}",
                    case.id
                );
                assert!(
                    !d.changes.is_empty(),
                    "{} {file}: the local path sees the edit",
                    case.id
                );
                assert!(
                    !d.needs_replace.is_empty(),
                    "{} {file}: the immutable field is predicted",
                    case.id
                );
            }
        }
    }
}

#[test]
fn a_removed_managed_field_is_drift_on_both_paths() {
    let case = cases()
        .into_iter()
        .find(|c| c.id == "27-removed-managed-field")
        .unwrap_or_else(|| panic!("27"));
    let desired = case.yaml("manifest-changed.yaml");
    let live = case.json("live-after-apply.json").unwrap_or_default();
    let dry = case.json("dryrun-changed.json").unwrap_or_default();
    for d in [
        preview(&case, &desired, &live, &dry),
        local(&case, &desired, &live),
    ] {
        assert_eq!(d.state, SyncState::OutOfSync);
        let replicas = d
            .changes
            .iter()
            .find(|c| c.path_text == ".spec.replicas")
            .unwrap_or_else(|| panic!("{d:#?}"));
        assert_eq!(
            (replicas.live.clone(), replicas.desired.clone()),
            (Some(4.into()), Some(1.into())),
            "{:?}",
            d.method
        );
        assert_eq!(replicas.culprit(), None, "sextant itself owns it");
    }
}

/// Every secret value in a case, as written, decoded and encoded.
fn secret_values(case: &Case) -> Vec<String> {
    let mut out = Vec::new();
    let mut docs = vec![case.yaml("manifest.yaml"), case.yaml("manifest-changed.yaml")];
    docs.extend(
        [
            "live-after-apply.json",
            "live-after-drift.json",
            "dryrun-after-drift.json",
        ]
        .iter()
        .filter_map(|f| case.json(f)),
    );
    for doc in docs {
        for field in ["data", "stringData"] {
            for v in doc[field].as_object().into_iter().flat_map(|m| m.values()) {
                let s = v.as_str().unwrap_or_default().to_string();
                if let Some(bytes) = drift::decode_base64(&s) {
                    out.push(
                        String::from_utf8_lossy(&bytes)
                            .lines()
                            .nth(1)
                            .unwrap_or(&String::from_utf8_lossy(&bytes))
                            .to_string(),
                    );
                }
                out.push(s.lines().next().unwrap_or_default().to_string());
            }
        }
    }
    out.retain(|s| s.len() >= 6);
    out
}

#[test]
fn secrets_never_show_a_value() {
    for id in ["07-secret-stringdata", "08-secret-data"] {
        let case = cases()
            .into_iter()
            .find(|c| c.id == id)
            .unwrap_or_else(|| panic!("{id}"));
        let values = secret_values(&case);
        assert!(values.len() >= 4, "{id}: {values:?}");
        let manifest = case.yaml("manifest.yaml");
        let live = case.json("live-after-drift.json").unwrap_or_default();
        let dry = case.json("dryrun-after-drift.json").unwrap_or_default();
        let p = preview(&case, &manifest, &live, &dry);
        let l = local(&case, &manifest, &live);
        let rejected = drift::compare_rejected(
            &manifest,
            &live,
            ApplyRejection {
                code: 422,
                reason: "Invalid".into(),
                message: format!("bad {values:?}"),
            },
            &opts(),
        )
        .unwrap_or_else(|e| panic!("{e}"));
        let texts = [
            diff_text_preview(&live, &dry, &p),
            diff_text_local(&manifest, Some(&live), &l, &opts()),
        ];
        let mut dump = format!("{p:?}{l:?}{rejected:?}{texts:?}");
        dump.push_str(&serde_json::to_string(&(&p, &l, &rejected, &texts)).unwrap_or_default());
        for v in &values {
            assert!(!dump.contains(v.as_str()), "{id}: a secret value leaked: {v}");
        }
        assert_eq!(p.changes.len(), 1, "{id}");
        assert_eq!(p.changes[0].live, Some("*** (before)".into()));
        assert_eq!(p.changes[0].desired, Some("*** (after)".into()));
        assert!(texts[0].live.contains("*** (before)") && texts[0].desired.contains("*** (after)"));
    }
}

#[test]
fn diff_text_puts_the_manager_beside_the_changed_line() {
    let case = cases()
        .into_iter()
        .find(|c| c.id == "01-deployment-defaults")
        .unwrap_or_else(|| panic!("01"));
    let manifest = case.yaml("manifest.yaml");
    let live = case.json("live-after-drift.json").unwrap_or_default();
    let dry = case.json("dryrun-after-drift.json").unwrap_or_default();
    let d = preview(&case, &manifest, &live, &dry);
    let t = diff_text_preview(&live, &dry, &d);
    assert_eq!(t.anchors.len(), 1);
    let line = &t.anchors[0];
    let live_line = line
        .live_line
        .and_then(|n| t.live.lines().nth(n))
        .unwrap_or_default();
    let desired_line = line
        .desired_line
        .and_then(|n| t.desired.lines().nth(n))
        .unwrap_or_default();
    assert_eq!((live_line, desired_line), ("  replicas: 5", "  replicas: 3"));
    let owner = line.owner.clone().unwrap_or_else(|| panic!("no owner"));
    assert_eq!(owner.describe(0), "kubectl via scale, time not recorded");
    assert_eq!(
        d.headline(0),
        "spec.replicas 3→5 by kubectl via scale, time not recorded"
    );
    assert!(!t.live.contains("managedFields") && !t.live.contains("resourceVersion"));
}

#[test]
fn health_of_every_recorded_object() {
    use sextant::gitops::health::{Health, assess};
    // A control plane without nodes: workloads never become available. The claim (22) is
    // Pending with no provisioner at work, which Argo CD reads as waiting for a consumer:
    // Healthy.
    let want = |id: &str| match &id[..2] {
        "01" | "02" | "03" | "09" | "12" | "13" | "14" | "25" | "26" | "27" => Health::Progressing,
        _ => Health::Healthy,
    };
    for case in cases() {
        let live = case.json("live-after-apply.json").unwrap_or_default();
        let got = assess(Some(&live));
        assert_eq!(got.status, want(&case.id), "{}: {got:?}", case.id);
    }
    let suspended = cases()
        .into_iter()
        .find(|c| c.id == "11-cronjob")
        .and_then(|c| c.json("live-after-drift.json"));
    assert_eq!(assess(suspended.as_ref()).status, Health::Suspended);
}

#[test]
fn unified_diff_lines_carry_the_manager() {
    use sextant::diff::{DiffLimits, LineKind};
    for (id, file_line, manager) in [
        ("01-deployment-defaults", "  replicas: 5", "kubectl"),
        (
            "25-labels-annotations-drift",
            "    app.kubernetes.io/version: 1.4.0-hotfix1",
            "kubectl-label",
        ),
        (
            "07-secret-stringdata",
            "  password: \"*** (before)\"",
            "kubectl-edit",
        ),
    ] {
        let case = cases()
            .into_iter()
            .find(|c| c.id == id)
            .unwrap_or_else(|| panic!("{id}"));
        let manifest = case.yaml("manifest.yaml");
        let live = case.json("live-after-drift.json").unwrap_or_default();
        let dry = case.json("dryrun-after-drift.json").unwrap_or_default();
        for (how, d) in [
            ("preview", preview(&case, &manifest, &live, &dry)),
            ("local", local(&case, &manifest, &live)),
        ] {
            let t = match how {
                "preview" => diff_text_preview(&live, &dry, &d),
                _ => diff_text_local(&manifest, Some(&live), &d, &opts()),
            };
            let diff = t.text_diff(&DiffLimits::default());
            let notes = t.line_notes(&diff);
            assert_eq!(notes.len(), d.changes.len(), "{id} {how}");
            let hit = notes.iter().find(|n| diff.lines[n.line].text == file_line);
            let hit =
                hit.unwrap_or_else(|| panic!("{id} {how}: no note on {file_line:?}: {notes:#?}\n{diff:#?}"));
            assert_eq!(diff.lines[hit.line].kind, LineKind::Removed, "{id} {how}");
            assert_eq!(
                hit.owner.as_ref().map(|o| o.manager.as_str()),
                Some(manager),
                "{id} {how}"
            );
        }
    }
}

#[test]
fn a_dry_run_of_another_live_version_is_refused_not_compared() {
    let case = cases()
        .into_iter()
        .find(|c| c.id == "01-deployment-defaults")
        .unwrap_or_else(|| panic!("01"));
    let manifest = case.yaml("manifest.yaml");
    let live = case.json("live-after-apply.json").unwrap_or_default();
    let dry = case.json("dryrun-after-drift.json").unwrap_or_default();
    let err = drift::compare_preview(&manifest, &live, &dry, &opts()).err();
    assert_eq!(
        err.map(|e| e.to_string()).as_deref(),
        Some(
            "the dry-run was computed against resourceVersion 336 but live is at 323; \
             the object changed meanwhile, compare again"
        )
    );
}

#[test]
fn malformed_input_anywhere_never_panics() {
    let junk = [
        Value::Null,
        Value::from(-1),
        Value::from(0.5),
        Value::from("x"),
        Value::from("1e-2147483648"),
        serde_json::json!([]),
        serde_json::json!({}),
        serde_json::json!([{"name": 1}]),
    ];
    let mut runs = 0;
    for case in cases() {
        let manifest = case.yaml("manifest.yaml");
        let live = case
            .json("live-after-drift.json")
            .or_else(|| case.json("live-after-apply.json"))
            .unwrap_or_default();
        for (which, doc) in [("desired", &manifest), ("live", &live)] {
            let mut paths = Vec::new();
            pointers(doc, String::new(), &mut paths);
            // Every path of the manifest; a spread of live's (managedFields included).
            let step = if which == "desired" { 4 } else { 23 };
            for p in paths.iter().step_by(step) {
                for j in &junk {
                    let mut bad = doc.clone();
                    if let Some(slot) = bad.pointer_mut(p) {
                        *slot = j.clone();
                    }
                    let (d, l) = if which == "desired" {
                        (&bad, &live)
                    } else {
                        (&manifest, &bad)
                    };
                    if let Ok(v) = drift::compare_local(d, l, &opts()) {
                        let _ = diff_text_local(d, Some(l), &v, &opts());
                        let _ = v.headline(0);
                    }
                    if let Ok(v) = drift::compare_preview(d, l, l, &opts()) {
                        let _ = diff_text_preview(l, l, &v);
                    }
                    let _ = sextant::gitops::health::assess(Some(l));
                    runs += 1;
                }
            }
        }
    }
    assert!(runs > 1500, "{runs} mutations tried");
}
