//! Every resource type the sandbox's discovery lists with the full set of verbs is served:
//! server-side apply creates it, GET and LIST (also as a Table) find it, DELETE removes it.
//! Kinds whose validation wants more than a name get the least body that passes it.

mod common;

use common::sandbox::{Request, call, send, start};
use serde_json::{Value, json};

/// The least valid spec of kinds the sandbox validates (as the real server does).
fn body(group: &str, kind: &str) -> Value {
    let template = json!({"metadata": {"labels": {"app": "probe"}},
        "spec": {"containers": [{"name": "c", "image": "nginx"}]}});
    let selector = json!({"matchLabels": {"app": "probe"}});
    match (group, kind) {
        ("apps", "Deployment" | "StatefulSet" | "DaemonSet" | "ReplicaSet") => {
            json!({"spec": {"selector": selector, "template": template}})
        }
        ("batch", "Job") => {
            let mut t = template;
            t["spec"]["restartPolicy"] = json!("Never");
            json!({"spec": {"template": t}})
        }
        ("batch", "CronJob") => {
            let mut t = template;
            t["spec"]["restartPolicy"] = json!("Never");
            json!({"spec": {"schedule": "* * * * *", "jobTemplate": {"spec": {"template": t}}}})
        }
        ("rbac.authorization.k8s.io", "RoleBinding" | "ClusterRoleBinding") => {
            json!({"roleRef": {"apiGroup": "rbac.authorization.k8s.io", "kind": "ClusterRole", "name": "view"}})
        }
        ("apiextensions.k8s.io", _) => json!({"spec": {"group": "probe.example.com", "scope": "Namespaced",
            "names": {"plural": "probes", "kind": "Probe"},
            "versions": [{"name": "v1", "served": true, "storage": true,
                "schema": {"openAPIV3Schema": {"type": "object"}}}]}}),
        _ => json!({}),
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_listed_resource_type_is_served() {
    let sandbox = start(&["resources"], false).await;
    let ep = sandbox.clusters()[0].clone();
    let accept = "application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList";
    let mut failures = Vec::new();
    let mut served = 0;
    for root in ["/api", "/apis"] {
        let (_, _, text) = send(
            &ep,
            &Request {
                accept,
                ..Request::get(&ep, root)
            },
        )
        .await;
        let doc: Value = serde_json::from_str(&text).expect("aggregated discovery");
        for group in doc["items"].as_array().expect("groups") {
            let g = group["metadata"]["name"].as_str().unwrap_or_default();
            for version in group["versions"].as_array().expect("versions") {
                let v = version["version"].as_str().unwrap_or_default();
                for r in version["resources"].as_array().expect("resources") {
                    let verbs: Vec<&str> = r["verbs"]
                        .as_array()
                        .expect("verbs")
                        .iter()
                        .filter_map(Value::as_str)
                        .collect();
                    if !["create", "get", "list", "patch", "delete"]
                        .iter()
                        .all(|v| verbs.contains(v))
                    {
                        continue;
                    }
                    let (resource, kind) = (
                        r["resource"].as_str().unwrap_or_default(),
                        r["singularResource"].as_str(),
                    );
                    let kind = r["responseKind"]["kind"].as_str().or(kind).unwrap_or_default();
                    let base = if g.is_empty() {
                        format!("/api/{v}")
                    } else {
                        format!("/apis/{g}/{v}")
                    };
                    let namespaced = r["scope"] == "Namespaced";
                    let collection = if namespaced {
                        format!("{base}/namespaces/default/{resource}")
                    } else {
                        format!("{base}/{resource}")
                    };
                    let name = if g == "apiextensions.k8s.io" {
                        "probes.probe.example.com"
                    } else {
                        "probe"
                    };
                    let mut obj = body(g, kind);
                    obj["apiVersion"] = json!(if g.is_empty() {
                        v.to_string()
                    } else {
                        format!("{g}/{v}")
                    });
                    obj["kind"] = json!(kind);
                    obj["metadata"] = json!({"name": name});
                    let url = format!("{collection}/{name}");
                    let label = format!("{g}/{v} {resource}");
                    let apply = format!("{url}?fieldManager=probe&force=true");
                    let (code, got) = call(
                        &ep,
                        "PATCH",
                        &apply,
                        "application/apply-patch+yaml",
                        &obj.to_string(),
                    )
                    .await;
                    if code != 201 {
                        failures.push(format!("{label}: apply {code} {got}"));
                        continue;
                    }
                    let (code, got) = call(&ep, "GET", &url, "", "").await;
                    if code != 200 || got["kind"] != kind {
                        failures.push(format!("{label}: get {code} {got}"));
                    }
                    let (code, list) = call(&ep, "GET", &collection, "", "").await;
                    let names: Vec<&str> = list["items"]
                        .as_array()
                        .into_iter()
                        .flatten()
                        .filter_map(|i| i["metadata"]["name"].as_str())
                        .collect();
                    if code != 200 || !names.contains(&name) {
                        failures.push(format!("{label}: list {code} {names:?}"));
                    }
                    let table = Request {
                        accept: "application/json;as=Table;v=v1;g=meta.k8s.io",
                        ..Request::get(&ep, &collection)
                    };
                    let (code, _, text) = send(&ep, &table).await;
                    let t: Value = serde_json::from_str(&text).unwrap_or_default();
                    if code != 200 || t["kind"] != "Table" || t["rows"].as_array().map_or(0, Vec::len) == 0 {
                        failures.push(format!("{label}: table {code} {text}"));
                    }
                    let (code, got) = call(&ep, "DELETE", &url, "", "").await;
                    if code != 200 {
                        failures.push(format!("{label}: delete {code} {got}"));
                    }
                    served += 1;
                }
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} failure(s):\n{}",
        failures.len(),
        failures.join("\n")
    );
    assert!(served >= 50, "only {served} resource types tried");
}
