//! A real kube-apiserver's LIST items of built-in kinds carry no `apiVersion` or `kind`
//! (tests/fixtures/apiserver-corpus/lists); the sandbox answers the same. Every way the
//! engine reads objects (the watchers' initial list, GETs, events) must take the type from
//! the resource it asked for. Each assertion here fails if an item is trusted for its type.

mod common;

use common::sandbox::{call, kube_client, start};
use kube::api::{Api, DynamicObject, Patch, PatchParams};
use kube::discovery::ApiResource;
use serde_json::{Value, json};
use sextant::kube::discovery::KindInfo;
use sextant::kube::key::ObjectKey;
use sextant::kube::watch::{WatchMsg, spawn_watcher};
use std::time::Duration;

fn config_map() -> Value {
    json!({"apiVersion": "v1", "kind": "ConfigMap",
        "metadata": {"name": "settings", "namespace": "default", "labels": {"app": "shop"}},
        "data": {"mode": "fast"}})
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn objects_read_through_lists_get_their_type_from_the_resource() {
    let sandbox = start(&["types"], false).await;
    let client = kube_client(&sandbox, "types").await;
    let resource = ApiResource::erase::<k8s_openapi::api::core::v1::ConfigMap>(&());
    let api: Api<DynamicObject> = Api::namespaced_with(client.clone(), "default", &resource);
    api.patch(
        "settings",
        &PatchParams::apply("test").force(),
        &Patch::Apply(config_map()),
    )
    .await
    .expect("apply");

    // The server side of the premise: a raw LIST leaves the type off each item.
    let ep = &sandbox.clusters()[0];
    let (code, list) = call(ep, "GET", "/api/v1/namespaces/default/configmaps", "", "").await;
    assert_eq!(code, 200);
    let item = &list["items"][0];
    assert_eq!(item["metadata"]["name"], "settings");
    assert!(
        item.get("apiVersion").is_none() && item.get("kind").is_none(),
        "{item}"
    );

    // The watcher's initial list.
    let (tx, mut rx) = tokio::sync::mpsc::channel(16);
    let task = spawn_watcher(client.clone(), resource.clone(), 0, tx);
    let listed = loop {
        match tokio::time::timeout(Duration::from_secs(10), rx.recv()).await {
            Ok(Some(WatchMsg::Applied { object, .. })) => break object,
            Ok(Some(_)) => continue,
            other => panic!("no object from the watcher: {other:?}"),
        }
    };
    task.abort();
    let listed: Value = serde_json::from_str(&listed.json).expect("live JSON");
    assert_eq!(
        (listed["apiVersion"].as_str(), listed["kind"].as_str()),
        (Some("v1"), Some("ConfigMap"))
    );
    assert_eq!(listed["data"]["mode"], "fast");

    // A GET of one object.
    let kind = KindInfo {
        resource: resource.clone(),
        namespaced: true,
    };
    let key = ObjectKey {
        group: String::new(),
        kind: "ConfigMap".into(),
        namespace: "default".into(),
        name: "settings".into(),
    };
    let got = sextant::kube::get::get_object(&client, &kind, &key)
        .await
        .expect("get")
        .expect("found");
    assert_eq!(
        (got["apiVersion"].as_str(), got["kind"].as_str()),
        (Some("v1"), Some("ConfigMap"))
    );
}
