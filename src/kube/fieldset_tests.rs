use super::*;
use serde_json::json;
use std::path::PathBuf;

/// The golden corpus, copied into `tests/fixtures`.
fn corpus() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/apiserver-corpus/cases")
}

fn read_json(p: &std::path::Path) -> Value {
    serde_json::from_str(&std::fs::read_to_string(p).unwrap()).unwrap()
}

#[test]
fn fields_v1_round_trips() {
    let v = json!({"f:metadata":{"f:labels":{"f:app":{}}},"f:spec":{"f:containers":{"k:{\"name\":\"web\"}":{".":{},"f:image":{},"f:ports":{"k:{\"containerPort\":80,\"protocol\":\"TCP\"}":{".":{},"f:containerPort":{}}}}},"f:finalizers":{"v:\"a\"":{}}}});
    let set = FieldSet::from_fields_v1(&v).unwrap();
    assert_eq!(set.to_fields_v1(), v);
    let paths: Vec<String> = set.paths().iter().map(|p| p.to_string()).collect();
    assert!(
        paths.contains(&".spec.containers[name=web].image".to_string()),
        "{paths:?}"
    );
    assert!(paths.contains(&".spec.containers[name=web].ports[containerPort=80,protocol=TCP]".to_string()));
    assert!(paths.contains(&".spec.finalizers[=\"a\"]".to_string()));
    assert!(!paths.contains(&".spec.containers".to_string()));
}

#[test]
fn malformed_keys_are_errors_not_panics() {
    for bad in [
        json!({"x:y":{}}),
        json!({"k:notjson":{}}),
        json!({"f:a":"str"}),
        json!({"i:z":{}}),
        json!({"":{}}),
    ] {
        assert!(FieldSet::from_fields_v1(&bad).is_err(), "{bad}");
    }
}

#[test]
fn set_operations() {
    let mut a = FieldSet::new();
    a.insert(&FieldPath::fields(&["spec", "replicas"]));
    a.insert(&FieldPath::fields(&["spec", "paused"]));
    let mut b = FieldSet::new();
    b.insert(&FieldPath::fields(&["spec", "replicas"]));
    assert_eq!(
        a.difference(&b).paths(),
        vec![FieldPath::fields(&["spec", "paused"])]
    );
    assert_eq!(
        a.intersection(&b).paths(),
        vec![FieldPath::fields(&["spec", "replicas"])]
    );
    assert_eq!(b.union(&a), a);
    assert!(a.touches(&FieldPath::fields(&["spec"])));
    assert!(!a.touches(&FieldPath::fields(&["metadata"])));
    // An atomic leaf owns what lies beneath it.
    let mut sel = FieldSet::new();
    sel.insert(&FieldPath::fields(&["spec", "selector"]));
    assert!(sel.touches(&FieldPath::fields(&["spec", "selector", "matchLabels", "app"])));
}

#[test]
fn resolve_matches_list_map_keys_with_default_protocol() {
    let obj = json!({"spec":{"ports":[{"port":80,"name":"http"},{"port":443,"protocol":"UDP"}]}});
    let p = FieldPath(vec![
        PathElement::Field("spec".into()),
        PathElement::Field("ports".into()),
        PathElement::Key(vec![
            ("port".into(), KeyValue::Int(80)),
            ("protocol".into(), KeyValue::Str("TCP".into())),
        ]),
        PathElement::Field("name".into()),
    ]);
    assert_eq!(p.resolve(&obj), Some(&json!("http")));
    assert_eq!(p.to_string(), ".spec.ports[port=80,protocol=TCP].name");
}

/// The set the server recorded for `sextant`'s apply equals the set computed from the
/// manifest, for every corpus case: the list and map semantics here match the real server.
#[test]
fn fields_of_manifest_match_the_recorded_apply_for_every_case() {
    let mut checked = 0;
    for entry in std::fs::read_dir(corpus()).unwrap() {
        let dir = entry.unwrap().path();
        let manifest: Value =
            crate::yaml::from_str(&std::fs::read_to_string(dir.join("manifest.yaml")).unwrap()).unwrap();
        let applied = read_json(&dir.join("apply-response.json"));
        let (entries, errors) = managed_entries(&applied);
        assert!(errors.is_empty(), "{}: {errors:?}", dir.display());
        let recorded = entries
            .iter()
            .find(|e| e.manager == "sextant")
            .expect("sextant entry");
        let schema = Schema::for_api_version(manifest["apiVersion"].as_str().unwrap());
        let computed = fields_of_object(&manifest, schema);
        assert_eq!(
            computed.to_fields_v1(),
            recorded.fields.to_fields_v1(),
            "{}: computed vs recorded",
            dir.display()
        );
        checked += 1;
    }
    assert_eq!(checked, 27);
}

#[test]
fn owners_name_the_out_of_band_manager() {
    let live = read_json(&corpus().join("01-deployment-defaults/live-after-drift.json"));
    let (entries, _) = managed_entries(&live);
    let owners = owners_of(&entries, &FieldPath::fields(&["spec", "replicas"]));
    let names: Vec<&str> = owners.iter().map(|e| e.manager.as_str()).collect();
    assert_eq!(names, vec!["kubectl"]);
    assert_eq!(owners[0].subresource.as_deref(), Some("scale"));
    assert_eq!(owners[0].time, None);
}

/// Every managedFields entry the real server wrote decodes and encodes back unchanged.
#[test]
fn every_recorded_entry_round_trips() {
    let mut entries_seen = 0;
    for entry in std::fs::read_dir(corpus()).unwrap() {
        for file in std::fs::read_dir(entry.unwrap().path()).unwrap() {
            let path = file.unwrap().path();
            if path.extension().is_none_or(|e| e != "json") {
                continue;
            }
            let obj = read_json(&path);
            let Some(list) = obj.pointer("/metadata/managedFields").and_then(Value::as_array) else {
                continue;
            };
            for e in list {
                let set = FieldSet::from_fields_v1(&e["fieldsV1"]).unwrap();
                assert_eq!(set.to_fields_v1(), e["fieldsV1"], "{}", path.display());
                entries_seen += 1;
            }
        }
    }
    assert!(entries_seen > 100, "only {entries_seen} entries");
}

fn decode(v: Value) -> FieldSet {
    FieldSet::from_fields_v1(&v).unwrap()
}

#[test]
fn trie_set_operations_keep_dot_members() {
    let a = decode(json!({"f:metadata":{"f:labels":{".":{},"f:a":{},"f:b":{}}}}));
    let b = decode(json!({"f:metadata":{"f:labels":{"f:b":{}}}}));
    assert_eq!(
        a.difference(&b).to_fields_v1(),
        json!({"f:metadata":{"f:labels":{".":{},"f:a":{}}}})
    );
    assert_eq!(a.intersection(&b).to_fields_v1(), b.to_fields_v1());
    assert!(b.difference(&a).is_empty());
    let mut u = b.clone();
    u.union_in(&a);
    assert_eq!(u, a.union(&b));
    assert_eq!(u.to_fields_v1(), a.to_fields_v1());
}

#[test]
fn sets_built_node_by_node_encode_without_empty_nodes() {
    let mut set = FieldSet::new();
    let spec = set.child_mut(PathElement::Field("spec".into()));
    spec.child_mut(PathElement::Field("replicas".into()))
        .set_member(true);
    // Touched but never made a member: not part of the set.
    spec.child_mut(PathElement::Field("paused".into()));
    let node = set.node_mut(&[PathElement::Field("data".into())]);
    assert!(!node.is_member() && !node.has_children());
    node.set_member(true);
    assert_eq!(
        set.to_fields_v1(),
        json!({"f:data":{},"f:spec":{"f:replicas":{}}})
    );
    assert!(
        set.node(&FieldPath::fields(&["spec"]))
            .is_some_and(FieldSet::has_children)
    );
    assert!(set.node(&FieldPath::fields(&["status"])).is_none());
}

#[test]
fn paths_print_like_the_api_server_in_conflicts() {
    let p = FieldPath(vec![
        PathElement::Field("spec".into()),
        PathElement::Field("containers".into()),
        PathElement::Key(vec![("name".into(), KeyValue::Str("web".into()))]),
        PathElement::Field("ports".into()),
        PathElement::Key(vec![
            ("containerPort".into(), KeyValue::Int(80)),
            ("protocol".into(), KeyValue::Str("TCP".into())),
        ]),
        PathElement::Field("finalizers".into()),
        PathElement::Value("\"a\"".into()),
    ]);
    assert_eq!(
        p.to_apiserver_string(),
        r#".spec.containers[name="web"].ports[containerPort=80,protocol="TCP"].finalizers[="a"]"#
    );
}

#[test]
fn remove_from_finds_keyed_items_and_set_values() {
    let mut v = json!({"ports":[{"containerPort":80,"protocol":"TCP"},{"containerPort":90}],
        "finalizers":["a","b"],"spec":{"x":1,"y":2}});
    let ports = FieldPath::fields(&["ports"]);
    let key = list_map_key(&json!({"containerPort": 90}), &["containerPort", "protocol"]).unwrap();
    ports.child(key).remove_from(&mut v);
    FieldPath::fields(&["finalizers"])
        .child(PathElement::Value("\"a\"".into()))
        .remove_from(&mut v);
    FieldPath::fields(&["spec", "x"]).remove_from(&mut v);
    // Paths that are not there change nothing.
    FieldPath::fields(&["spec", "x", "deeper"]).remove_from(&mut v);
    FieldPath::fields(&["nothing", "here"]).remove_from(&mut v);
    assert_eq!(
        v,
        json!({"ports":[{"containerPort":80,"protocol":"TCP"}],"finalizers":["b"],"spec":{"y":2}})
    );
}

#[test]
fn list_map_keys_sort_by_name_and_skip_nulls() {
    let item = json!({"whenUnsatisfiable":"DoNotSchedule","topologyKey":"zone"});
    let key = list_map_key(&item, &["whenUnsatisfiable", "topologyKey"]).unwrap();
    let parsed = PathElement::parse(&key.to_key()).unwrap();
    assert_eq!(key, parsed);
    assert_eq!(
        list_map_key(
            &json!({"containerPort":80,"protocol":null}),
            &["containerPort", "protocol"]
        )
        .map(|k| k.to_key()),
        Some(r#"k:{"containerPort":80,"protocol":"TCP"}"#.to_string())
    );
    assert_eq!(list_map_key(&json!({"name":null}), &["name"]), None);
}

#[test]
fn list_types_follow_where_the_list_sits() {
    let s = Schema::BuiltIn;
    let c = ["spec", "template", "spec", "containers"];
    let at = |tail: &'static str| [&c[..], &[tail]].concat();
    assert_eq!(s.list_type_at(&at("env")), ListType::Map(&["name"]));
    assert_eq!(
        s.list_type_at(&at("resizePolicy")),
        ListType::Map(&["resourceName"])
    );
    assert_eq!(s.list_type_at(&["spec", "env"]), ListType::Atomic);
    assert_eq!(
        s.list_type_at(&["status", "conditions"]),
        ListType::Map(&["type"])
    );
    assert_eq!(s.list_type_at(&["spec", "conditions"]), ListType::Atomic);
    assert_eq!(s.list_type_at(&["metadata", "finalizers"]), ListType::Set);
    assert_eq!(s.list_type_at(&["spec", "finalizers"]), ListType::Atomic);
    assert_eq!(s.list_type_at(&["volumes"]), ListType::Atomic);
    assert_eq!(s.list_type_at(&["spec", "volumes"]), ListType::Map(&["name"]));
    assert_eq!(Schema::Custom.list_type_at(&at("env")), ListType::Atomic);
    assert_eq!(
        Schema::Custom.list_type_at(&["metadata", "finalizers"]),
        ListType::Set
    );
    // The trie form and the field-name form agree.
    let parent = FieldPath::fields(&["spec", "containers"]).child(PathElement::Key(vec![(
        "name".into(),
        KeyValue::Str("web".into()),
    )]));
    assert_eq!(
        s.list_type(&parent, "ports"),
        ListType::Map(&["containerPort", "protocol"])
    );
    assert!(s.is_atomic_map_at(&["spec", "selector"]));
    assert!(!s.is_atomic_map_at(&["metadata", "labels"]));
    assert!(!Schema::Custom.is_atomic_map_at(&["spec", "selector"]));
}

#[test]
fn written_fields_leave_out_nulls_and_untracked_fields() {
    let obj = json!({"apiVersion":"v1","kind":"Service","metadata":{"name":"web","uid":"u",
        "deletionTimestamp":"t","labels":{"a":"b","gone":null}},"spec":{"clusterIP":null,"selector":{"x":"y"},
        "ports":[{"name":"http","port":80}],"sessionAffinityConfig":{}},"status":{"loadBalancer":{}}});
    let main = fields_of_write(
        &obj,
        Schema::BuiltIn,
        Scope::Main {
            status_separate: true,
        },
    );
    assert_eq!(
        main.to_fields_v1(),
        json!({"f:metadata":{"f:labels":{"f:a":{}}},"f:spec":{"f:ports":{
            "k:{\"port\":80,\"protocol\":\"TCP\"}":{".":{},"f:name":{},"f:port":{}}},
            "f:selector":{},"f:sessionAffinityConfig":{}}})
    );
    assert_eq!(fields_of_object(&obj, Schema::BuiltIn), main);
    let with_status = fields_of_write(
        &obj,
        Schema::BuiltIn,
        Scope::Main {
            status_separate: false,
        },
    );
    assert!(with_status.contains(&FieldPath::fields(&["status", "loadBalancer"])));
    let status = fields_of_write(&obj, Schema::BuiltIn, Scope::Status);
    assert_eq!(
        status.to_fields_v1(),
        json!({"f:metadata":{"f:labels":{"f:a":{}}},"f:status":{"f:loadBalancer":{}}})
    );
}

#[test]
fn a_list_map_item_without_its_key_makes_the_list_one_leaf() {
    let obj = json!({"spec":{"containers":[{"name":"a","image":"x"},{"image":"y"}],"finalizers":["f"]},
        "metadata":{"finalizers":["kubernetes"]}});
    let set = fields_of_write(
        &obj,
        Schema::BuiltIn,
        Scope::Main {
            status_separate: true,
        },
    );
    assert_eq!(
        set.to_fields_v1(),
        json!({"f:metadata":{"f:finalizers":{"v:\"kubernetes\"":{}}},"f:spec":{"f:containers":{
            ".":{},"k:{\"name\":\"a\"}":{".":{},"f:image":{},"f:name":{}}},"f:finalizers":{}}})
    );
}
