//! Client-side `kubectl apply` sends strategic merge patches with directives: `$retainKeys`
//! when a volume changes its source or a Deployment its strategy, `$setElementOrder` and
//! `$deleteFromPrimitiveList`; `kubectl patch` can send `$patch: replace/delete`.

use crate::common::sandbox::KUBECTL_VERSIONS;
use crate::support::setup;
use serde_json::json;

const V1: &str = "apiVersion: apps/v1
kind: Deployment
metadata:
  name: worker
  namespace: shop
spec:
  replicas: 1
  selector:
    matchLabels:
      app: worker
  template:
    metadata:
      labels:
        app: worker
    spec:
      containers:
        - name: worker
          image: busybox:1.36
          volumeMounts:
            - name: data
              mountPath: /data
      volumes:
        - name: data
          emptyDir: {}
";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn apply_replaces_a_volume_source_and_the_strategy() {
    for version in KUBECTL_VERSIONS {
        let Some((_sandbox, k)) = setup(version, false).await else {
            continue;
        };
        k.ok(&["apply", "-f", "-"], Some(V1)).await;
        let v2 = V1
            .replace(
                "          emptyDir: {}\n",
                "          configMap:\n            name: settings\n",
            )
            .replace(
                "  replicas: 1\n",
                "  replicas: 1\n  strategy:\n    type: Recreate\n",
            );
        k.ok(&["apply", "-f", "-"], Some(&v2)).await;
        let d = k.json(&["-n", "shop", "get", "deployment", "worker"]).await;
        let volume = &d["spec"]["template"]["spec"]["volumes"][0];
        assert!(volume.get("emptyDir").is_none(), "{version}: {volume}");
        assert_eq!(volume["configMap"]["name"], "settings", "{version}");
        assert_eq!(d["spec"]["strategy"], json!({"type": "Recreate"}), "{version}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn patch_directives_replace_delete_and_order() {
    let Some((_sandbox, k)) = setup("1.29", false).await else {
        return;
    };
    k.ok(&["apply", "-f", "-"], Some(V1)).await;
    let ns = ["-n", "shop"];
    let patch = |p: serde_json::Value| p.to_string();
    let replace = patch(
        json!({"spec": {"template": {"spec": {"containers": [{"$patch": "replace"},
        {"name": "other", "image": "busybox:1.37"}]}}}}),
    );
    k.ok(
        &[ns[0], ns[1], "patch", "deployment/worker", "-p", &replace],
        None,
    )
    .await;
    let finalizers = patch(json!({"metadata": {"finalizers": ["a.example/x", "b.example/y"]}}));
    k.ok(
        &[ns[0], ns[1], "patch", "deployment/worker", "-p", &finalizers],
        None,
    )
    .await;
    let drop = patch(
        json!({"metadata": {"$deleteFromPrimitiveList/finalizers": ["a.example/x"]},
        "spec": {"template": {"spec": {"volumes": [{"name": "data", "$patch": "delete"}]}}}}),
    );
    k.ok(&[ns[0], ns[1], "patch", "deployment/worker", "-p", &drop], None)
        .await;
    let d = k.json(&["-n", "shop", "get", "deployment", "worker"]).await;
    let spec = &d["spec"]["template"]["spec"];
    assert_eq!(spec["containers"].as_array().map(Vec::len), Some(1));
    assert_eq!(spec["containers"][0]["name"], "other");
    assert!(spec.get("volumes").is_none_or(|v| v == &json!([])), "{spec}");
    assert_eq!(d["metadata"]["finalizers"], json!(["b.example/y"]));
}
