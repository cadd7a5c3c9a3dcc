//! The objects a kube-apiserver keeps in every cluster by itself: the Service `kubernetes`
//! in namespace `default` (component=apiserver, provider=kubernetes, 443/https to the
//! server's own port) and its Endpoints, both written by `kube-apiserver`. The EndpointSlice
//! a real cluster also has waits for the sandbox to serve `discovery.k8s.io`.

use super::store::Store;
use super::write::{self, Op, Target};
use serde_json::json;

/// The first address of the sandbox's service range (10.0.0.0/16, as the corpus cluster).
pub const KUBERNETES_CLUSTER_IP: &str = "10.0.0.1";

/// Create the Service and Endpoints `kubernetes` for a server listening on `address`
/// (`127.0.0.1:PORT`).
pub fn seed(store: &mut Store, address: &str) {
    let (ip, port) = address.rsplit_once(':').unwrap_or(("127.0.0.1", "6443"));
    let port: u16 = port.parse().unwrap_or(6443);
    let service = json!({"apiVersion": "v1", "kind": "Service",
        "metadata": {"name": "kubernetes", "namespace": "default",
            "labels": {"component": "apiserver", "provider": "kubernetes"}},
        "spec": {"type": "ClusterIP", "clusterIP": KUBERNETES_CLUSTER_IP, "clusterIPs": [KUBERNETES_CLUSTER_IP],
            "sessionAffinity": "None",
            "ports": [{"name": "https", "port": 443, "protocol": "TCP", "targetPort": port}]}});
    let endpoints = json!({"apiVersion": "v1", "kind": "Endpoints",
        "metadata": {"name": "kubernetes", "namespace": "default",
            "labels": {"endpointslice.kubernetes.io/skip-mirror": "true"}},
        "subsets": [{"addresses": [{"ip": ip}], "ports": [{"name": "https", "port": port, "protocol": "TCP"}]}]});
    for (resource, body) in [("services", service), ("endpoints", endpoints)] {
        let Some(rt) = store
            .types
            .iter()
            .find(|t| t.builtin && t.group.is_empty() && t.resource == resource)
            .cloned()
        else {
            continue;
        };
        let t = Target {
            rt: &rt,
            namespace: "default",
            name: "kubernetes",
            dry_run: false,
            manager: "kube-apiserver",
            subresource: "",
        };
        if let Err(e) = write::write(store, &t, Op::Create(body)) {
            tracing::warn!(?e, "the kubernetes {resource} could not be created");
        }
    }
}
