//! Discovery documents built from the served resource types: `/version`, `/api`, `/apis`,
//! per group-version resource lists, and the aggregated discovery kubectl asks for first.

use super::kinds::ResourceType;
use serde_json::{Value, json};
use std::sync::Arc;

/// `/version`: minor 29, like the server the corpus was recorded from, so the kubectl
/// dispatcher picks kubectl 1.29.
pub fn version() -> Value {
    json!({
        "major": "1", "minor": "29+", "gitVersion": "v1.29.0-alpha.0+sextant.sandbox",
        "gitCommit": "0000000000000000000000000000000000000000", "gitTreeState": "archive",
        "buildDate": "2026-11-22T01:44:17Z", "goVersion": "go1.27.3", "compiler": "gc", "platform": "linux/amd64"
    })
}

pub fn core_versions(server: &str) -> Value {
    json!({"kind": "APIVersions", "versions": ["v1"],
        "serverAddressByClientCIDRs": [{"clientCIDR": "0.0.0.0/0", "serverAddress": server}]})
}

/// Groups other than core, in first-seen order, with their versions.
fn groups(types: &[Arc<ResourceType>]) -> Vec<(String, Vec<String>)> {
    let mut out: Vec<(String, Vec<String>)> = Vec::new();
    for t in types.iter().filter(|t| !t.group.is_empty()) {
        match out.iter_mut().find(|(g, _)| *g == t.group) {
            Some((_, vs)) if !vs.contains(&t.version) => vs.push(t.version.clone()),
            Some(_) => {}
            None => out.push((t.group.clone(), vec![t.version.clone()])),
        }
    }
    out
}

fn group_entry(group: &str, versions: &[String]) -> Value {
    let vs: Vec<Value> = versions
        .iter()
        .map(|v| json!({"groupVersion": format!("{group}/{v}"), "version": v}))
        .collect();
    json!({"name": group, "versions": vs, "preferredVersion": vs[0]})
}

pub fn group_list(types: &[Arc<ResourceType>]) -> Value {
    let gs: Vec<Value> = groups(types).iter().map(|(g, vs)| group_entry(g, vs)).collect();
    json!({"kind": "APIGroupList", "apiVersion": "v1", "groups": gs})
}

pub fn group(types: &[Arc<ResourceType>], name: &str) -> Option<Value> {
    let (g, vs) = groups(types).into_iter().find(|(g, _)| g == name)?;
    let mut e = group_entry(&g, &vs);
    e["kind"] = json!("APIGroup");
    e["apiVersion"] = json!("v1");
    Some(e)
}

/// A subresource's kind `group/version`, when discovery names it: another group's kind, or
/// (in aggregated discovery) a custom resource's own.
fn split_gv(gv: &str) -> (&str, &str) {
    gv.split_once('/').unwrap_or(("", gv))
}

/// `/api/v1`, `/apis/{group}/{version}` (the core one has no `apiVersion`, as recorded).
pub fn resource_list(types: &[Arc<ResourceType>], group: &str, version: &str) -> Value {
    let mut resources = Vec::new();
    for t in types.iter().filter(|t| t.group == group && t.version == version) {
        let mut r = json!({"name": t.resource, "singularName": t.singular, "namespaced": t.namespaced,
            "kind": t.kind, "verbs": t.verbs});
        if !t.short_names.is_empty() {
            r["shortNames"] = json!(t.short_names);
        }
        if !t.categories.is_empty() {
            r["categories"] = json!(t.categories);
        }
        if let Some(h) = &t.storage_version_hash {
            r["storageVersionHash"] = json!(h);
        }
        resources.push(r);
        for sub in &t.subresources {
            let mut s = json!({"name": format!("{}/{}", t.resource, sub.name), "singularName": "",
                "namespaced": t.namespaced});
            if let Some(gv) = sub.group_version.as_deref().filter(|gv| *gv != t.api_version()) {
                let (g, v) = split_gv(gv);
                s["group"] = json!(g);
                s["version"] = json!(v);
            }
            s["kind"] = json!(sub.kind);
            s["verbs"] = json!(sub.verbs);
            resources.push(s);
        }
    }
    let gv = if group.is_empty() {
        version.to_string()
    } else {
        format!("{group}/{version}")
    };
    let mut doc = json!({"kind": "APIResourceList", "groupVersion": gv, "resources": resources});
    if !group.is_empty() {
        doc["apiVersion"] = json!("v1");
    }
    doc
}

fn aggregated_resource(t: &ResourceType) -> Value {
    let (g, v) = if t.builtin {
        ("", "")
    } else {
        (t.group.as_str(), t.version.as_str())
    };
    let mut r = json!({"resource": t.resource, "responseKind": {"group": g, "version": v, "kind": t.kind},
        "scope": if t.namespaced { "Namespaced" } else { "Cluster" }, "singularResource": t.singular,
        "verbs": t.verbs});
    if !t.short_names.is_empty() {
        r["shortNames"] = json!(t.short_names);
    }
    if !t.categories.is_empty() {
        r["categories"] = json!(t.categories);
    }
    let subs: Vec<Value> = t
        .subresources
        .iter()
        .map(|sub| {
            let (g, v) = sub.group_version.as_deref().map(split_gv).unwrap_or(("", ""));
            json!({"subresource": sub.name, "responseKind": {"group": g, "version": v, "kind": sub.kind},
                "verbs": sub.verbs})
        })
        .collect();
    if !subs.is_empty() {
        r["subresources"] = json!(subs);
    }
    r
}

/// Aggregated discovery (`apidiscovery.k8s.io`, `v2beta1` or `v2`) for `/api` (core) or `/apis`.
pub fn aggregated(types: &[Arc<ResourceType>], core: bool, api_version: &str) -> Value {
    let entries: Vec<(String, Vec<String>)> = if core {
        vec![(String::new(), vec!["v1".to_string()])]
    } else {
        groups(types)
    };
    let items: Vec<Value> = entries
        .iter()
        .map(|(g, vs)| {
            let versions: Vec<Value> = vs
                .iter()
                .map(|v| {
                    let rs: Vec<Value> = types
                        .iter()
                        .filter(|t| &t.group == g && &t.version == v)
                        .map(|t| aggregated_resource(t))
                        .collect();
                    json!({"version": v, "resources": rs, "freshness": "Current"})
                })
                .collect();
            let mut meta = json!({"creationTimestamp": null});
            if !g.is_empty() {
                meta["name"] = json!(g);
            }
            json!({"metadata": meta, "versions": versions})
        })
        .collect();
    json!({"kind": "APIGroupDiscoveryList", "apiVersion": format!("apidiscovery.k8s.io/{api_version}"),
        "metadata": {}, "items": items})
}
