//! What a kube-apiserver keeps in every cluster by itself: the Service `kubernetes` in
//! namespace `default` and its Endpoints, pointing at the server itself.

use crate::common::sandbox::http;
use crate::support::setup;
use serde_json::json;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_kubernetes_service_points_at_the_api_server() {
    let Some((sandbox, k)) = setup("1.29", false).await else {
        return;
    };
    let port: u16 = sandbox.clusters()[0]
        .server
        .rsplit(':')
        .next()
        .and_then(|p| p.parse().ok())
        .expect("port");
    let svc = k.json(&["-n", "default", "get", "service", "kubernetes"]).await;
    assert_eq!(
        svc["metadata"]["labels"],
        json!({"component": "apiserver", "provider": "kubernetes"})
    );
    assert_eq!(svc["spec"]["type"], "ClusterIP");
    assert_eq!(svc["spec"]["clusterIP"], "10.0.0.1");
    assert_eq!(
        svc["spec"]["ports"],
        json!([{"name": "https", "port": 443, "protocol": "TCP", "targetPort": port}])
    );
    let ep = k.json(&["-n", "default", "get", "endpoints", "kubernetes"]).await;
    assert_eq!(
        ep["subsets"],
        json!([{"addresses": [{"ip": "127.0.0.1"}], "ports": [{"name": "https", "port": port, "protocol": "TCP"}]}])
    );
    let text = k
        .ok(&["-n", "default", "describe", "service", "kubernetes"], None)
        .await;
    assert!(
        text.contains(&format!("Endpoints:         127.0.0.1:{port}")),
        "{text}"
    );
    // It is the API server's, never Sextant's: no tracking annotation.
    assert!(svc["metadata"]["annotations"].is_null());

    // The server's own metrics are for admins: the viewer is refused, as the view role is.
    let ep = &sandbox.clusters()[0];
    let (code, _, body) = http(ep, &ep.admin_token, "GET", "/metrics", "", "").await;
    assert_eq!(code, 200);
    assert!(
        body.contains("apiserver_storage_objects{resource=\"services\"} 1"),
        "{body}"
    );
    let (code, _, body) = http(ep, &ep.readonly_token, "GET", "/metrics", "", "").await;
    assert_eq!(code, 403, "{body}");
    assert!(body.contains("cannot get path \\\"/metrics\\\""), "{body}");
}
