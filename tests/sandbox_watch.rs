//! Watch semantics over raw HTTP: replay from a resourceVersion, compact one-event-per-line
//! JSON as in the corpus' watch-sample, label-selected streams, 410 Gone for versions that
//! left the window, and BOOKMARKs in the corpus' shape.

mod common;

use common::sandbox::{call, http, start};
use serde_json::{Value, json};

fn events(body: &str) -> Vec<Value> {
    body.lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| serde_json::from_str(l).expect("one JSON event per line"))
        .collect()
}

async fn create(ep: &sextant::sandbox::ClusterEndpoint, name: &str, team: &str) {
    let body = json!({"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": name, "labels": {"team": team}}});
    let (code, _) = call(
        ep,
        "POST",
        "/api/v1/namespaces/default/configmaps",
        "application/json",
        &body.to_string(),
    )
    .await;
    assert_eq!(code, 201);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn watch_replays_filters_expires_and_bookmarks() {
    let sandbox = start(&["watch"], false).await;
    let ep = sandbox.clusters()[0].clone();
    let (_, list) = call(&ep, "GET", "/api/v1/namespaces/default/configmaps", "", "").await;
    let rv0 = list["metadata"]["resourceVersion"]
        .as_str()
        .expect("list resourceVersion")
        .to_string();
    create(&ep, "a", "x").await;
    create(&ep, "b", "y").await;
    let (code, _) = call(&ep, "DELETE", "/api/v1/namespaces/default/configmaps/a", "", "").await;
    assert_eq!(code, 200);

    let url =
        format!("/api/v1/namespaces/default/configmaps?watch=true&resourceVersion={rv0}&timeoutSeconds=1");
    let (code, _, body) = http(&ep, &ep.admin_token, "GET", &url, "", "").await;
    assert_eq!(code, 200);
    assert!(body.lines().all(|l| !l.contains("\n  ")), "compact lines");
    let evs = events(&body);
    let seen: Vec<(String, String)> = evs
        .iter()
        .map(|e| {
            (
                e["type"].as_str().unwrap_or("").into(),
                e["object"]["metadata"]["name"].as_str().unwrap_or("").into(),
            )
        })
        .collect();
    let want = [("ADDED", "a"), ("ADDED", "b"), ("DELETED", "a")];
    assert_eq!(seen, want.map(|(t, n)| (t.to_string(), n.to_string())));
    let rvs: Vec<u64> = evs
        .iter()
        .filter_map(|e| e["object"]["metadata"]["resourceVersion"].as_str()?.parse().ok())
        .collect();
    assert!(
        rvs.windows(2).all(|w| w[0] < w[1]),
        "resourceVersions increase, the deletion has its own: {rvs:?}"
    );

    let url = format!(
        "/api/v1/namespaces/default/configmaps?watch=1&resourceVersion={rv0}&labelSelector=team%3Dy&timeoutSeconds=1"
    );
    let (_, _, body) = http(&ep, &ep.admin_token, "GET", &url, "", "").await;
    let names: Vec<String> = events(&body)
        .iter()
        .map(|e| e["object"]["metadata"]["name"].as_str().unwrap_or("").into())
        .collect();
    assert_eq!(names, vec!["b"]);

    let url = "/api/v1/namespaces/default/configmaps?watch=true&resourceVersion=1&timeoutSeconds=1";
    let (code, _, body) = http(&ep, &ep.admin_token, "GET", url, "", "").await;
    assert_eq!(code, 200);
    let evs = events(&body);
    assert_eq!(evs.len(), 1);
    assert_eq!(evs[0]["type"], "ERROR");
    assert_eq!(evs[0]["object"]["code"], 410);
    assert_eq!(evs[0]["object"]["reason"], "Expired");

    // No resourceVersion: the current state first, as ADDED events.
    let url = "/api/v1/namespaces/default/configmaps?watch=true&timeoutSeconds=1";
    let (_, _, body) = http(&ep, &ep.admin_token, "GET", url, "", "").await;
    let evs = events(&body);
    assert_eq!(evs.len(), 1);
    assert_eq!(
        (
            evs[0]["type"].as_str(),
            evs[0]["object"]["metadata"]["name"].as_str()
        ),
        (Some("ADDED"), Some("b"))
    );

    let url = format!(
        "/api/v1/namespaces/default/configmaps?watch=true&resourceVersion={rv0}&allowWatchBookmarks=true&timeoutSeconds=6"
    );
    let (_, _, body) = http(&ep, &ep.admin_token, "GET", &url, "", "").await;
    let bookmark = events(&body)
        .into_iter()
        .find(|e| e["type"] == "BOOKMARK")
        .expect("a bookmark within 6 s");
    let rv = bookmark["object"]["metadata"]["resourceVersion"]
        .as_str()
        .expect("bookmark rv")
        .to_string();
    assert_eq!(
        bookmark,
        json!({"type": "BOOKMARK", "object": {"kind": "ConfigMap", "apiVersion": "v1",
            "metadata": {"resourceVersion": rv, "creationTimestamp": null}}})
    );
}
