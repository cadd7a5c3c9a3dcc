//! Kubernetes Events about an app's objects, for the app detail view: listed per namespace
//! (core/v1 `events`), matched on `involvedObject`, newest first, as plain data. Events about
//! the Pods and ReplicaSets a Deployment, StatefulSet, DaemonSet or Job owns are matched by
//! name prefix (`web-7d9c...`), since that is where CrashLoopBackOff and FailedScheduling land.

use super::key::ObjectKey;
use kube::Client;
use kube::api::{Api, ListParams};
use serde::Serialize;
use serde_json::Value;
use std::collections::BTreeSet;

/// Events listed per namespace at most (the newest are kept).
const LIST_LIMIT: u32 = 500;

/// One event, ready to show.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ClusterEvent {
    /// When it last happened (RFC 3339), if the server said.
    pub time: Option<String>,
    /// `Normal` or `Warning`.
    pub kind: String,
    pub reason: String,
    /// `Deployment/web`, `Pod/web-7d9c-x2` (the object it is about).
    pub object: String,
    pub message: String,
    /// How many times it happened.
    pub count: u64,
}

impl ClusterEvent {
    pub fn is_warning(&self) -> bool {
        self.kind == "Warning"
    }
}

/// Kinds whose Pods (and ReplicaSets) are named after them.
const WORKLOADS: [&str; 5] = ["Deployment", "StatefulSet", "DaemonSet", "Job", "CronJob"];

/// Whether event `ev` is about one of `keys` (or a Pod/ReplicaSet one of them owns).
pub fn is_about(ev: &Value, keys: &[ObjectKey]) -> bool {
    let Some(obj) = ev.get("involvedObject").or_else(|| ev.get("regarding")) else {
        return false;
    };
    let field = |k: &str| obj.get(k).and_then(Value::as_str).unwrap_or_default();
    let (kind, name) = (field("kind"), field("name"));
    let namespace = match field("namespace") {
        "" => ev
            .pointer("/metadata/namespace")
            .and_then(Value::as_str)
            .unwrap_or_default(),
        ns => ns,
    };
    keys.iter().any(|k| {
        let same_ns = k.namespace.is_empty() || k.namespace == namespace;
        if !same_ns {
            return false;
        }
        if k.kind == kind && k.name == name {
            return true;
        }
        WORKLOADS.contains(&k.kind.as_str())
            && matches!(kind, "Pod" | "ReplicaSet" | "Job")
            && name
                .strip_prefix(k.name.as_str())
                .is_some_and(|rest| rest.starts_with('-'))
    })
}

/// One event object as plain data.
pub fn describe(ev: &Value) -> ClusterEvent {
    let s = |p: &str| ev.pointer(p).and_then(Value::as_str).map(str::to_string);
    let time = s("/lastTimestamp")
        .or_else(|| s("/eventTime"))
        .or_else(|| s("/series/lastObservedTime"))
        .or_else(|| s("/firstTimestamp"))
        .or_else(|| s("/metadata/creationTimestamp"));
    let obj = ev.get("involvedObject").or_else(|| ev.get("regarding"));
    let of = |k: &str| obj.and_then(|o| o.get(k)).and_then(Value::as_str).unwrap_or("?");
    ClusterEvent {
        time,
        kind: s("/type").unwrap_or_else(|| "Normal".into()),
        reason: s("/reason").unwrap_or_default(),
        object: format!("{}/{}", of("kind"), of("name")),
        message: s("/message").unwrap_or_default().trim().to_string(),
        count: ev
            .get("count")
            .and_then(Value::as_u64)
            .or_else(|| ev.pointer("/series/count").and_then(Value::as_u64))
            .unwrap_or(1),
    }
}

/// The newest `cap` events about `keys`, listed from their namespaces (`default` for
/// cluster-scoped objects, where the server files their events).
pub async fn events_for(
    client: &Client,
    keys: &[ObjectKey],
    cap: usize,
) -> Result<Vec<ClusterEvent>, String> {
    let namespaces: BTreeSet<&str> = keys
        .iter()
        .map(|k| {
            if k.namespace.is_empty() {
                "default"
            } else {
                k.namespace.as_str()
            }
        })
        .collect();
    let mut found: Vec<ClusterEvent> = Vec::new();
    for ns in namespaces {
        let resource = kube::discovery::ApiResource::erase::<k8s_openapi::api::core::v1::Event>(&());
        let api: Api<kube::api::DynamicObject> = Api::namespaced_with(client.clone(), ns, &resource);
        let list = api
            .list(&ListParams::default().limit(LIST_LIMIT))
            .await
            .map_err(|e| format!("listing events in {ns}: {}", super::cluster::describe(&e)))?;
        for item in list.items {
            let item = super::typed::with_type(&resource, item);
            let Ok(ev) = serde_json::to_value(&item) else {
                continue;
            };
            if is_about(&ev, keys) {
                found.push(describe(&ev));
            }
        }
    }
    // RFC 3339 times in UTC sort as text; events without a time go last.
    found.sort_by(|a, b| b.time.cmp(&a.time));
    found.truncate(cap);
    Ok(found)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn key(kind: &str, ns: &str, name: &str) -> ObjectKey {
        ObjectKey {
            group: String::new(),
            kind: kind.into(),
            namespace: ns.into(),
            name: name.into(),
        }
    }

    fn event(kind: &str, name: &str, ns: &str) -> Value {
        json!({
            "metadata": {"name": "e1", "namespace": ns},
            "involvedObject": {"kind": kind, "name": name, "namespace": ns},
            "type": "Warning", "reason": "BackOff", "message": " Back-off restarting ",
            "count": 4, "lastTimestamp": "2026-11-22T08:00:00Z"
        })
    }

    #[test]
    fn matches_the_object_and_the_pods_it_owns_only() {
        let keys = [key("Deployment", "shop", "web"), key("Service", "shop", "web")];
        assert!(is_about(&event("Deployment", "web", "shop"), &keys));
        assert!(is_about(&event("Pod", "web-7d9c-x2", "shop"), &keys));
        assert!(is_about(&event("ReplicaSet", "web-7d9c", "shop"), &keys));
        assert!(!is_about(&event("Pod", "webhook-1", "shop"), &keys));
        assert!(!is_about(&event("Pod", "web-7d9c-x2", "other"), &keys));
        assert!(!is_about(&event("Deployment", "api", "shop"), &keys));
        // A Service does not own Pods.
        assert!(!is_about(
            &event("Pod", "web-1", "shop"),
            &[key("Service", "shop", "web")]
        ));
    }

    #[test]
    fn describes_core_and_series_events() {
        let e = describe(&event("Pod", "web-1", "shop"));
        assert_eq!(
            (e.kind.as_str(), e.reason.as_str(), e.object.as_str()),
            ("Warning", "BackOff", "Pod/web-1")
        );
        assert_eq!((e.message.as_str(), e.count), ("Back-off restarting", 4));
        assert_eq!(e.time.as_deref(), Some("2026-11-22T08:00:00Z"));
        let series = json!({"eventTime": "2026-11-22T07:00:00.000000Z", "series": {"count": 9},
            "regarding": {"kind": "Node", "name": "n1"}, "type": "Normal", "reason": "Ready"});
        let e = describe(&series);
        assert_eq!((e.count, e.object.as_str()), (9, "Node/n1"));
        assert!(!e.is_warning());
    }
}
