use super::{Case, check, fixtures};
use crate::gitops::health::{Health, Health::*, assess};
use serde_json::{Value, json};

pub const MALFORMED: &[Case] = &[
    ("replicas-as-words", Unknown, "/status/replicas is not an integer"),
    (
        "container-statuses-not-a-list",
        Unknown,
        "/status/containerStatuses is not a list",
    ),
    (
        "container-status-not-an-object",
        Unknown,
        "/status/containerStatuses/0 is not an object",
    ),
    (
        "exit-code-as-text",
        Unknown,
        "/status/containerStatuses/0/state/terminated/exitCode is not an integer",
    ),
    (
        "conditions-not-a-list",
        Unknown,
        "/status/conditions is not a list",
    ),
    (
        "condition-status-not-a-string",
        Unknown,
        "/status/conditions/0/status is not a string",
    ),
    ("phase-as-number", Unknown, "/status/phase is not a string"),
    ("suspend-as-text", Unknown, "/spec/suspend is not a boolean"),
    ("type-as-number", Unknown, "/spec/type is not a string"),
    ("conditions-annotation-not-a-list", Unknown, "not a list"),
];

#[test]
fn a_field_of_the_wrong_type_is_unknown_and_named() {
    check("malformed", MALFORMED);
}

#[test]
fn values_that_are_not_objects_are_unknown() {
    for v in [
        json!(null),
        json!("Deployment"),
        json!(3),
        json!([{"kind": "Pod"}]),
    ] {
        let h = assess(Some(&v));
        assert_eq!(h.status, Unknown, "{v}");
        assert!(!h.message.is_empty(), "{v}");
    }
}

/// Every fixture object, with each of its fields in turn replaced by a value of every other
/// type: health never panics, and an Unknown verdict always says why.
#[test]
fn odd_values_anywhere_never_crash_and_unknown_says_why() {
    let odd = [
        json!(null),
        json!(7),
        json!(-1.5),
        json!("x"),
        json!(true),
        json!([]),
        json!({}),
        json!([1, "a"]),
    ];
    let files = [
        "workloads",
        "pods",
        "batch",
        "network",
        "hpa",
        "apiservice",
        "argo",
        "kstatus",
    ];
    let mut checked = 0;
    for file in files {
        for obj in fixtures(file) {
            for path in leaf_paths(&obj, String::new()) {
                for value in &odd {
                    let mut changed = obj.clone();
                    if let Some(slot) = changed.pointer_mut(&path) {
                        *slot = value.clone();
                    }
                    let h = assess(Some(&changed));
                    assert!(
                        h.status != Unknown || !h.message.is_empty(),
                        "{file}: {path} = {value}: Unknown without a reason"
                    );
                    checked += 1;
                }
            }
        }
    }
    assert!(checked > 10_000, "only {checked} variants checked");
}

/// The JSON pointer of every field (objects' members and lists' items, at any depth).
fn leaf_paths(v: &Value, at: String) -> Vec<String> {
    let children: Vec<(String, &Value)> = match v {
        Value::Object(m) => m
            .iter()
            .map(|(k, c)| (format!("{at}/{}", k.replace('~', "~0").replace('/', "~1")), c))
            .collect(),
        Value::Array(a) => a
            .iter()
            .enumerate()
            .map(|(i, c)| (format!("{at}/{i}"), c))
            .collect(),
        _ => Vec::new(),
    };
    let mut out = Vec::new();
    for (path, child) in children {
        out.push(path.clone());
        out.extend(leaf_paths(child, path));
    }
    out
}

#[test]
fn a_malformed_object_still_counts_as_unknown() {
    let h = assess(Some(&super::object("malformed", "replicas-as-words")));
    assert_eq!(h.counts_as(), Health::Unknown);
}
