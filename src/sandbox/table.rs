//! `meta.k8s.io/v1` Table responses (what plain `kubectl get` asks for): Name and Age
//! columns, plus a few kind-specific ones, with the object metadata kubectl needs.

use super::clock;
use super::kinds::ResourceType;
use serde_json::{Value, json};
use std::sync::Arc;

fn column(name: &str, kind: &str, format: &str) -> Value {
    json!({"name": name, "type": kind, "format": format, "description": name, "priority": 0})
}

fn extra_columns(rt: &ResourceType) -> Vec<(&'static str, &'static str)> {
    match (rt.builtin, rt.kind.as_str()) {
        (true, "Deployment") => vec![
            ("Ready", "string"),
            ("Up-to-date", "integer"),
            ("Available", "integer"),
        ],
        (true, "ConfigMap") | (true, "Secret") => vec![("Data", "integer")],
        (true, "Service") => vec![("Type", "string"), ("Cluster-IP", "string")],
        (true, "Namespace") => vec![("Status", "string")],
        _ => vec![],
    }
}

fn extra_cells(rt: &ResourceType, o: &Value) -> Vec<Value> {
    let n = |v: &Value| v.as_i64().unwrap_or(0);
    match (rt.builtin, rt.kind.as_str()) {
        (true, "Deployment") => {
            let s = &o["status"];
            let want = n(&o["spec"]["replicas"]);
            vec![
                json!(format!("{}/{want}", n(&s["readyReplicas"]))),
                json!(n(&s["updatedReplicas"])),
                json!(n(&s["availableReplicas"])),
            ]
        }
        (true, "ConfigMap") | (true, "Secret") => {
            let count = o["data"].as_object().map_or(0, |m| m.len())
                + o["binaryData"].as_object().map_or(0, |m| m.len());
            vec![json!(count)]
        }
        (true, "Service") => vec![o["spec"]["type"].clone(), o["spec"]["clusterIP"].clone()],
        (true, "Namespace") => vec![o["status"]["phase"].clone()],
        _ => vec![],
    }
}

/// One row per object, each carrying the object's metadata as `PartialObjectMetadata`.
pub fn table(rt: &ResourceType, items: &[Arc<Value>], list_meta: Option<Value>) -> Value {
    let mut cols = vec![column("Name", "string", "name")];
    cols.extend(extra_columns(rt).into_iter().map(|(n, t)| column(n, t, "")));
    cols.push(column("Age", "string", ""));
    let now = clock::unix_now();
    let rows: Vec<Value> = items
        .iter()
        .map(|o| {
            let meta = &o["metadata"];
            let created = meta["creationTimestamp"]
                .as_str()
                .and_then(clock::parse)
                .unwrap_or(now);
            let mut cells = vec![meta["name"].clone()];
            cells.extend(extra_cells(rt, o));
            cells.push(json!(clock::age(now - created)));
            json!({"cells": cells, "object": {"kind": "PartialObjectMetadata", "apiVersion": "meta.k8s.io/v1",
                "metadata": strip_managed(meta)}})
        })
        .collect();
    json!({"kind": "Table", "apiVersion": "meta.k8s.io/v1", "metadata": list_meta.unwrap_or(json!({})),
        "columnDefinitions": cols, "rows": rows})
}

fn strip_managed(meta: &Value) -> Value {
    let mut m = meta.clone();
    if let Some(o) = m.as_object_mut() {
        o.remove("managedFields");
    }
    m
}
