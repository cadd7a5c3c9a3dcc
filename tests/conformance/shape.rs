//! Compare a sandbox answer with the recorded one: the same keys at every level, the same
//! JSON types, lists of the same length, and the same values, except values that differ
//! between two servers by nature (see `Ignored`). Every difference names its JSON path.

use serde_json::Value;
use std::collections::BTreeSet;

/// One difference: where, and what (`sandbox != recorded`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diff {
    pub path: String,
    pub what: String,
}

/// Values that differ between two servers by nature, and so are compared by type only.
/// - `uid`, UUID-shaped strings and keys (`k:{"uid":…}` in managedFields): random per object.
/// - `resourceVersion`: the position in one server's etcd history.
/// - RFC 3339 timestamps (creation, managedFields `time`, conditions): the clock.
/// - `continue`: an opaque token encoding the other server's resourceVersion.
/// - `clusterIP(s)`, `nodePort`, `serverAddress`: allocated from, or naming, one server's
///   address ranges.
/// - generated names: the `pod-template-hash` / `controller-revision-hash` suffixes, hashes of
///   the Go structs of a template, wherever they appear (names, labels, selectors, messages).
/// - the `Age` cells of a Table: relative to the moment of the request.
///
/// `managedFields` entries are matched by manager, operation and subresource rather than by
/// position: the server orders them by the second they were written in, and two writes
/// within one second on one server can fall in two seconds on another.
struct Ignored {
    hashes: Vec<String>,
    age_columns: Vec<usize>,
}

const BY_KEY: &[&str] = &[
    "uid",
    "resourceVersion",
    "continue",
    "clusterIP",
    "clusterIPs",
    "nodePort",
    "serverAddress",
];

fn is_uuid(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() == 36
        && b.iter().enumerate().all(|(i, c)| match i {
            8 | 13 | 18 | 23 => *c == b'-',
            _ => c.is_ascii_hexdigit(),
        })
}

fn is_timestamp(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() >= 20
        && b[4] == b'-'
        && b[7] == b'-'
        && b[10] == b'T'
        && b[13] == b':'
        && s.ends_with('Z')
        && b[..4].iter().all(u8::is_ascii_digit)
}

/// Replace every UUID inside `s` with `<uid>`.
fn without_uuids(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut i = 0;
    while i < s.len() {
        if s.is_char_boundary(i) && s.get(i..i + 36).is_some_and(is_uuid) {
            out.push_str("<uid>");
            i += 36;
        } else {
            let c = s[i..].chars().next().unwrap_or(' ');
            out.push(c);
            i += c.len_utf8();
        }
    }
    out
}

/// The generated hashes a document carries (label values, revision suffixes).
fn hashes(v: &Value, out: &mut Vec<String>) {
    match v {
        Value::Object(m) => {
            for (k, c) in m {
                match (k.as_str(), c) {
                    ("pod-template-hash" | "controller-revision-hash", Value::String(h)) => {
                        out.push(h.clone());
                    }
                    ("currentRevision" | "updateRevision", Value::String(r)) => {
                        if let Some((_, h)) = r.rsplit_once('-') {
                            out.push(h.to_string());
                        }
                    }
                    _ => hashes(c, out),
                }
            }
        }
        Value::Array(a) => a.iter().for_each(|c| hashes(c, out)),
        _ => {}
    }
}

fn age_columns(v: &Value) -> Vec<usize> {
    v["columnDefinitions"]
        .as_array()
        .map(|cols| {
            cols.iter()
                .enumerate()
                .filter(|(_, c)| c["name"] == "Age")
                .map(|(i, _)| i)
                .collect()
        })
        .unwrap_or_default()
}

fn type_name(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "boolean",
        Value::Number(n) if n.is_f64() => "float",
        Value::Number(_) => "integer",
        Value::String(_) => "string",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
    }
}

fn key_path(path: &str, key: &str) -> String {
    let simple = key
        .chars()
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && key
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-');
    if simple {
        format!("{path}.{key}")
    } else {
        format!("{path}[{key:?}]")
    }
}

fn short(v: &Value) -> String {
    let s = v.to_string();
    if s.chars().count() > 80 {
        format!("{}…", s.chars().take(80).collect::<String>())
    } else {
        s
    }
}

/// Differences of `got` (the sandbox) from `want` (the recording).
pub fn compare(got: &Value, want: &Value) -> Vec<Diff> {
    let mut hs = Vec::new();
    hashes(got, &mut hs);
    hashes(want, &mut hs);
    hs.retain(|h| h.len() >= 5);
    let ignored = Ignored {
        hashes: hs,
        age_columns: age_columns(want),
    };
    let mut out = Vec::new();
    walk(&ignored, "$", None, got, want, &mut out);
    out
}

fn normal_string(ig: &Ignored, s: &str) -> String {
    let mut s = without_uuids(s);
    for h in &ig.hashes {
        s = s.replace(h.as_str(), "<hash>");
    }
    without_generated_suffixes(&s)
}

/// `ReplicaSet "web-6ff8f678b7" is progressing` -> `ReplicaSet "web-<hash>" is progressing`:
/// a generated name's suffix (8 to 10 lowercase letters and digits, at least one digit).
fn without_generated_suffixes(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(at) = rest.find('-') {
        out.push_str(&rest[..=at]);
        rest = &rest[at + 1..];
        let len = rest
            .find(|c: char| !(c.is_ascii_lowercase() || c.is_ascii_digit()))
            .unwrap_or(rest.len());
        let word = &rest[..len];
        if (8..=10).contains(&len) && word.chars().any(|c| c.is_ascii_digit()) {
            out.push_str("<hash>");
            rest = &rest[len..];
        }
    }
    out.push_str(rest);
    out
}

/// The identity of a managedFields entry.
fn entry_key(e: &Value) -> String {
    let s = |k: &str| e[k].as_str().unwrap_or_default().to_string();
    format!("{}/{}/{}", s("manager"), s("operation"), s("subresource"))
}

fn managed_fields(ig: &Ignored, path: &str, got: &[Value], want: &[Value], out: &mut Vec<Diff>) {
    for w in want {
        let key = entry_key(w);
        let here = format!("{path}[{key}]");
        match got.iter().find(|g| entry_key(g) == key) {
            Some(g) => walk(ig, &here, None, g, w, out),
            None => out.push(Diff {
                path: path.to_string(),
                what: format!("missing entry {key}"),
            }),
        }
    }
    for g in got
        .iter()
        .filter(|g| !want.iter().any(|w| entry_key(w) == entry_key(g)))
    {
        out.push(Diff {
            path: path.to_string(),
            what: format!("unexpected entry {}", entry_key(g)),
        });
    }
}

fn walk(ig: &Ignored, path: &str, key: Option<&str>, got: &Value, want: &Value, out: &mut Vec<Diff>) {
    let diff = |out: &mut Vec<Diff>, what: String| {
        out.push(Diff {
            path: path.to_string(),
            what,
        })
    };
    if type_name(got) != type_name(want) {
        return diff(
            out,
            format!(
                "type {} != {} ({} != {})",
                type_name(got),
                type_name(want),
                short(got),
                short(want)
            ),
        );
    }
    let by_key = key.is_some_and(|k| BY_KEY.contains(&k));
    match (got, want) {
        (Value::Object(g), Value::Object(w)) => {
            let norm = |k: &String| normal_string(ig, k);
            let gk: BTreeSet<String> = g.keys().map(norm).collect();
            let wk: BTreeSet<String> = w.keys().map(norm).collect();
            for k in wk.difference(&gk) {
                diff(out, format!("missing key {k:?}"));
            }
            for k in gk.difference(&wk) {
                diff(out, format!("unexpected key {k:?}"));
            }
            for (k, wv) in w {
                let nk = norm(k);
                if let Some((gk, gv)) = g.iter().find(|(gk, _)| norm(gk) == nk) {
                    walk(ig, &key_path(path, gk), Some(k), gv, wv, out);
                }
            }
        }
        (Value::Array(g), Value::Array(w)) if key == Some("managedFields") => {
            managed_fields(ig, path, g, w, out);
        }
        (Value::Array(g), Value::Array(w)) => {
            if g.len() != w.len() {
                diff(out, format!("length {} != {}", g.len(), w.len()));
            }
            let cells = key == Some("cells");
            for (i, (gv, wv)) in g.iter().zip(w).enumerate() {
                let item_key = if cells && ig.age_columns.contains(&i) {
                    Some("Age")
                } else if by_key {
                    key
                } else {
                    None
                };
                if item_key == Some("Age") && gv.is_string() && wv.is_string() {
                    continue;
                }
                walk(ig, &format!("{path}[{i}]"), item_key, gv, wv, out);
            }
        }
        (Value::String(g), Value::String(w)) => {
            let same = by_key
                || g == w
                || (is_timestamp(g) && is_timestamp(w))
                || normal_string(ig, g) == normal_string(ig, w);
            if !same {
                diff(out, format!("{} != {}", short(got), short(want)));
            }
        }
        _ if by_key || got == want => {}
        _ => diff(out, format!("{} != {}", short(got), short(want))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn paths(got: Value, want: Value) -> Vec<String> {
        compare(&got, &want)
            .into_iter()
            .map(|d| format!("{}: {}", d.path, d.what))
            .collect()
    }

    #[test]
    fn names_the_path_of_each_difference() {
        let want = json!({"rows": [{"cells": ["a", 1, "5s", "x"]}], "kind": "Table"});
        let got = json!({"rows": [{"cells": ["a", 1, "7s"]}], "kind": "Table", "extra": 1});
        assert_eq!(
            paths(got, want),
            vec![
                "$: unexpected key \"extra\"",
                "$.rows[0].cells: length 3 != 4",
                "$.rows[0].cells[2]: \"7s\" != \"5s\""
            ]
        );
        let got = json!({"a": {"f:x.y": "1"}});
        let want = json!({"a": {"f:x.y": 1}});
        assert_eq!(
            paths(got, want),
            vec!["$.a[\"f:x.y\"]: type string != integer (\"1\" != 1)"]
        );
    }

    #[test]
    fn ignores_only_values_that_differ_by_nature() {
        let want = json!({"metadata": {"uid": "41a5a908-62d5-42e9-aebb-da0a929ec084", "resourceVersion": "6753",
            "creationTimestamp": "2026-12-04T14:57:43Z", "name": "web-6ff8f678b7",
            "labels": {"pod-template-hash": "6ff8f678b7"}},
            "spec": {"clusterIPs": ["10.96.0.1"]},
            "f": {"k:{\"uid\":\"41a5a908-62d5-42e9-aebb-da0a929ec084\"}": {}}});
        let got = json!({"metadata": {"uid": "0b5c1e7a-1111-4222-8333-444455556666", "resourceVersion": "101",
            "creationTimestamp": "2030-01-01T00:00:00Z", "name": "web-0123456789",
            "labels": {"pod-template-hash": "0123456789"}},
            "spec": {"clusterIPs": ["10.0.0.11"]},
            "f": {"k:{\"uid\":\"0b5c1e7a-1111-4222-8333-444455556666\"}": {}}});
        assert_eq!(paths(got.clone(), want.clone()), Vec::<String>::new());
        assert_eq!(
            paths(
                json!("ReplicaSet \"web-0123abcd9\" is progressing."),
                json!("ReplicaSet \"web-6ff8f678b7\" is progressing.")
            ),
            Vec::<String>::new()
        );
        let mut other = got;
        other["metadata"]["name"] = json!("api-0123456789");
        other["metadata"]["resourceVersion"] = json!(101);
        assert_eq!(
            paths(other, want),
            vec![
                "$.metadata.name: \"api-0123456789\" != \"web-6ff8f678b7\"",
                "$.metadata.resourceVersion: type integer != string (101 != \"6753\")"
            ]
        );
    }

    #[test]
    fn managed_fields_entries_match_by_manager_not_position() {
        let a = json!({"manager": "a", "operation": "Apply", "fieldsV1": {"f:x": {}}});
        let b = json!({"manager": "b", "operation": "Update", "fieldsV1": {"f:y": {}}});
        let c = json!({"manager": "c", "operation": "Update", "fieldsV1": {}});
        let want = json!({"managedFields": [a, b]});
        assert!(paths(json!({"managedFields": [b, a]}), want.clone()).is_empty());
        assert_eq!(
            paths(json!({"managedFields": [c, a]}), want),
            vec![
                "$.managedFields: missing entry b/Update/",
                "$.managedFields: unexpected entry c/Update/"
            ]
        );
    }

    #[test]
    fn age_cells_are_ignored_only_in_age_columns() {
        let cols = json!([{"name": "Name"}, {"name": "Age"}]);
        let want = json!({"columnDefinitions": cols, "rows": [{"cells": ["a", "5s"]}]});
        let got = json!({"columnDefinitions": cols, "rows": [{"cells": ["b", "9m"]}]});
        assert_eq!(paths(got, want), vec!["$.rows[0].cells[0]: \"b\" != \"a\""]);
    }
}
