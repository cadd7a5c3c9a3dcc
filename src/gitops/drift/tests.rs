use super::*;
use serde_json::{Value, json};

fn mf(manager: &str, operation: &str, fields: Value) -> Value {
    json!({"manager": manager, "operation": operation, "apiVersion": "v1", "time": "2026-11-22T02:00:00Z",
        "fieldsType": "FieldsV1", "fieldsV1": fields})
}

fn cm(data: Value, managed: Vec<Value>) -> Value {
    json!({"apiVersion": "v1", "kind": "ConfigMap",
        "metadata": {"name": "c", "namespace": "ns", "resourceVersion": "9", "managedFields": managed},
        "data": data})
}

fn local(desired: &Value, live: &Value) -> ObjectDrift {
    compare_local(desired, live, &CompareOptions::default()).unwrap_or_else(|e| panic!("{e}"))
}

fn paths(d: &ObjectDrift) -> Vec<&str> {
    d.changes.iter().map(|c| c.path_text.as_str()).collect()
}

#[test]
fn identity_errors_name_the_problem() {
    let live = cm(json!({}), vec![]);
    let nameless = json!({"apiVersion": "v1", "kind": "ConfigMap", "metadata": {}});
    assert_eq!(
        compare_local(&nameless, &live, &CompareOptions::default()),
        Err(DriftError::MissingField("metadata.name"))
    );
    let other =
        json!({"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "other", "namespace": "ns"}});
    let err = compare_local(&other, &live, &CompareOptions::default())
        .err()
        .map(|e| e.to_string());
    assert_eq!(
        err.as_deref(),
        Some("desired v1 ConfigMap ns/other and live v1 ConfigMap ns/c are not the same object")
    );
}

#[test]
fn desired_without_namespace_takes_lives() {
    let live = cm(
        json!({"a": "1"}),
        vec![mf("sextant", "Apply", json!({"f:data": {"f:a": {}}}))],
    );
    let d = json!({"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "c"}, "data": {"a": "1"}});
    assert_eq!(local(&d, &live).state, SyncState::Synced);
}

#[test]
fn a_changed_value_names_its_owner() {
    let live = cm(
        json!({"a": "2"}),
        vec![
            mf("sextant", "Apply", json!({})),
            mf("hotfix", "Update", json!({"f:data": {"f:a": {}}})),
        ],
    );
    let d = local(&cm(json!({"a": "1"}), vec![]), &live);
    assert_eq!(d.state, SyncState::OutOfSync);
    assert_eq!(d.method, CompareMethod::Local);
    assert_eq!(paths(&d), [".data.a"]);
    let c = &d.changes[0];
    assert_eq!(
        (c.op, c.live.clone(), c.desired.clone()),
        (ChangeOp::Replace, Some("2".into()), Some("1".into()))
    );
    assert_eq!(c.culprit().map(|o| o.manager.as_str()), Some("hotfix"));
}

#[test]
fn a_dropped_field_sextant_shares_with_another_manager_stays() {
    let fields = json!({"f:data": {"f:a": {}, "f:b": {}}});
    let live = cm(
        json!({"a": "1", "b": "2"}),
        vec![
            mf("sextant", "Apply", fields),
            mf("other", "Apply", json!({"f:data": {"f:b": {}}})),
        ],
    );
    let d = local(&cm(json!({"a": "1"}), vec![]), &live);
    assert_eq!(d.state, SyncState::Synced, "{:#?}", d.changes);
    // …but a field only Sextant owned goes.
    let live = cm(
        json!({"a": "1", "b": "2"}),
        vec![mf("sextant", "Apply", json!({"f:data": {"f:a": {}, "f:b": {}}}))],
    );
    let d = local(&cm(json!({"a": "1"}), vec![]), &live);
    assert_eq!(paths(&d), [".data.b"]);
    assert_eq!(d.changes[0].op, ChangeOp::Remove);
    assert_eq!(d.changes[0].culprit(), None);
}

#[test]
fn controllers_and_status_writers_are_not_unmanaged_changes() {
    let live = cm(
        json!({"a": "1", "b": "x", "c": "y"}),
        vec![
            mf("sextant", "Apply", json!({"f:data": {"f:a": {}}})),
            mf(
                "kube-controller-manager",
                "Update",
                json!({"f:data": {"f:b": {}}}),
            ),
            mf("someone", "Update", json!({"f:data": {"f:c": {}}})),
        ],
    );
    let d = local(&cm(json!({"a": "1"}), vec![]), &live);
    assert_eq!(d.state, SyncState::Synced);
    let u: Vec<(&str, &str)> = d
        .unmanaged
        .iter()
        .map(|u| (u.path_text.as_str(), u.owner.manager.as_str()))
        .collect();
    assert_eq!(u, [(".data.c", "someone")]);
    assert_eq!(d.unmanaged[0].value, Some(json!("y")));
}

#[test]
fn keyed_lists_report_one_change_per_item() {
    let live = json!({"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "d", "namespace": "ns"},
        "spec": {"template": {"spec": {"containers": [{"name": "app", "image": "a:1", "env": [
            {"name": "A", "value": "1"}, {"name": "B", "value": "2"}]}]}}}});
    let desired = json!({"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "d", "namespace": "ns"},
        "spec": {"template": {"spec": {"containers": [{"name": "app", "image": "a:2", "env": [
            {"name": "A", "value": "1"}, {"name": "NEW", "value": "x"}, {"name": "B", "value": "2"}]}]}}}});
    let d = local(&desired, &live);
    assert_eq!(
        paths(&d),
        [
            ".spec.template.spec.containers[name=app].env[name=NEW]",
            ".spec.template.spec.containers[name=app].image"
        ]
    );
}

#[test]
fn custom_resources_compare_lists_as_atomic() {
    let obj = |tags: Value| {
        json!({"apiVersion": "example.com/v1", "kind": "Widget", "metadata": {"name": "w", "namespace": "ns"},
            "spec": {"tags": tags, "replicas": 1}})
    };
    let d = local(
        &json!({"apiVersion": "example.com/v1", "kind": "Widget", "metadata": {"name": "w"},
        "spec": {"tags": ["a", "b"]}}),
        &obj(json!(["b", "a"])),
    );
    assert_eq!(paths(&d), [".spec.tags[0]", ".spec.tags[1]"]);
}

#[test]
fn secrets_are_masked_on_the_local_path_and_in_rejections() {
    let live = json!({"apiVersion": "v1", "kind": "Secret", "metadata": {"name": "s", "namespace": "ns",
        "managedFields": [mf("sextant", "Apply", json!({"f:stringData": {"f:password": {}}})),
                          mf("kubectl-edit", "Update", json!({"f:data": {"f:password": {}, "f:extra": {}}}))]},
        "type": "Opaque", "data": {"password": "aHVudGVyMg==", "extra": "ZXh0cmEtdmFsdWU="}});
    let desired = json!({"apiVersion": "v1", "kind": "Secret", "metadata": {"name": "s", "namespace": "ns"},
        "stringData": {"password": "correct-horse"}});
    let d = local(&desired, &live);
    assert_eq!(paths(&d), [".data.password"]);
    assert_eq!(d.changes[0].live, Some(json!("*** (before)")));
    assert_eq!(d.changes[0].desired, Some(json!("*** (after)")));
    assert_eq!(
        d.changes[0].culprit().map(|o| o.manager.as_str()),
        Some("kubectl-edit")
    );
    assert_eq!(d.unmanaged.len(), 1);
    assert_eq!(d.unmanaged[0].value, Some(json!("***")));
    let rejected = compare_rejected(
        &desired,
        &live,
        ApplyRejection {
            code: 422,
            reason: "Invalid".into(),
            message: "data: correct-horse hunter2".into(),
        },
        &CompareOptions::default(),
    )
    .unwrap_or_else(|e| panic!("{e}"));
    let text = diff_text_local(&desired, Some(&live), &d, &CompareOptions::default());
    let dump = format!("{d:?}{rejected:?}{text:?}");
    for secret in [
        "hunter2",
        "aHVudGVyMg",
        "correct-horse",
        "Y29ycmVjdC1ob3Jz",
        "extra-value",
        "ZXh0cmEtdmFsdWU",
    ] {
        assert!(!dump.contains(secret), "{secret} leaked");
    }
    let missing = diff_text_local(&desired, None, &d, &CompareOptions::default());
    assert!(!format!("{missing:?}").contains("Y29ycmVjdC1ob3Jz") && missing.desired.contains("***"));
}

#[test]
fn long_rejection_messages_keep_their_first_line() {
    let live = cm(json!({"a": "1"}), vec![]);
    let long = format!("{}\nsecond line", "x".repeat(500));
    let d = compare_rejected(
        &cm(json!({"a": "1"}), vec![]),
        &live,
        ApplyRejection {
            code: 422,
            reason: "Invalid".into(),
            message: long,
        },
        &CompareOptions::default(),
    )
    .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(d.state, SyncState::OutOfSync);
    let msg = d.rejection.map(|r| r.message).unwrap_or_default();
    assert_eq!(msg.chars().count(), 241);
    assert!(msg.ends_with('…'));
}

#[test]
fn missing_and_extra_states() {
    let obj = cm(json!({}), vec![]);
    assert_eq!(missing(&obj).map(|d| d.state), Ok(SyncState::Missing));
    assert_eq!(extra(&obj).map(|d| d.state), Ok(SyncState::Extra));
    let u = ObjectDrift::unknown(
        ObjectRef::from_object(&obj).unwrap_or_else(|e| panic!("{e}")),
        "no CRD for Widget",
    );
    assert_eq!(
        (u.state, u.error.as_deref()),
        (SyncState::Unknown, Some("no CRD for Widget"))
    );
}

#[test]
fn malformed_managed_fields_make_attribution_partial_not_fatal() {
    let live = cm(json!({"a": "2"}), vec![mf("x", "Update", json!({"bogus": {}}))]);
    let d = local(&cm(json!({"a": "1"}), vec![]), &live);
    assert_eq!(d.state, SyncState::OutOfSync);
    assert!(
        d.error
            .as_deref()
            .is_some_and(|e| e.contains("attribution is partial")),
        "{:?}",
        d.error
    );
}

#[test]
fn reports_serialize_with_text_paths() {
    let live = cm(json!({"a": "2"}), vec![]);
    let d = local(&cm(json!({"a": "1"}), vec![]), &live);
    let v = serde_json::to_value(&d).unwrap_or_default();
    assert_eq!(v["state"], "OutOfSync");
    assert_eq!(v["changes"][0]["path"], ".data.a");
    assert_eq!(v["changes"][0]["op"], "replace");
    assert_eq!(v["object"]["kind"], "ConfigMap");
}

#[test]
fn custom_resource_list_maps_learned_from_managed_fields_match_by_key() {
    let entry = |m: &str, name: &str| {
        mf(
            m,
            "Apply",
            json!({"f:spec": {"f:listeners": {format!("k:{{\"name\":\"{name}\"}}"): {".": {}, "f:name": {}, "f:port": {}}}}}),
        )
    };
    let live = json!({"apiVersion": "gateway.example.com/v1", "kind": "Gateway",
        "metadata": {"name": "g", "namespace": "ns", "managedFields": [entry("sextant", "http"), entry("ops", "debug")]},
        "spec": {"listeners": [{"name": "debug", "port": 9000}, {"name": "http", "port": 80}]}});
    let desired = json!({"apiVersion": "gateway.example.com/v1", "kind": "Gateway", "metadata": {"name": "g"},
        "spec": {"listeners": [{"name": "http", "port": 80}]}});
    let d = local(&desired, &live);
    assert_eq!(d.state, SyncState::Synced, "{:#?}", d.changes);
    let u: Vec<&str> = d.unmanaged.iter().map(|u| u.path_text.as_str()).collect();
    assert_eq!(u, [".spec.listeners[name=debug]"]);
}
