//! OpenAPI: `kubectl explain` of built-in kinds and custom resources, and kubectl's
//! validation before it writes (kubectl 1.28 and older read `/openapi/v2` as protobuf, later
//! ones `/openapi/v3`), with kubectl 1.27, 1.28, 1.29 and 1.33.

use crate::common::sandbox::corpus_dir;
use crate::support::setup;

const VERSIONS: [&str; 4] = ["1.27", "1.28", "1.29", "1.33"];

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn explain_and_validated_writes_work_for_every_kubectl() {
    let crd = std::fs::read_to_string(corpus_dir().join("cases/23-crd-schema-default/manifest.yaml"))
        .expect("CRD manifest");
    for version in VERSIONS {
        let Some((_sandbox, k)) = setup(version, false).await else {
            continue;
        };
        let pods = k.ok(&["explain", "pods"], None).await;
        assert!(pods.contains("KIND:       Pod"), "{version}: {pods}");
        assert!(
            pods.contains("Pod is a collection of containers that can run on a host."),
            "{version}: {pods}"
        );
        assert!(
            pods.contains("spec\t<PodSpec>") || pods.contains("spec\t<Object>"),
            "{version}: {pods}"
        );
        let replicas = k.ok(&["explain", "deployment.spec.replicas"], None).await;
        assert!(
            replicas.contains("FIELD: replicas <integer>"),
            "{version}: {replicas}"
        );
        assert!(
            replicas.contains("Number of desired pods."),
            "{version}: {replicas}"
        );

        // Client-side apply with validation on (kubectl's default), then a change that a
        // strategic merge patch computed from the OpenAPI patch strategies must merge.
        let deploy = "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\n  namespace: shop\nspec:\n  selector:\n    matchLabels: {app: web}\n  template:\n    metadata:\n      labels: {app: web}\n    spec:\n      containers:\n        - name: web\n          image: nginx:1.25.3\n        - name: sidecar\n          image: busybox:1.36\n";
        k.ok(&["apply", "--validate=true", "-f", "-"], Some(deploy)).await;
        let edited = deploy.replace("nginx:1.25.3", "nginx:1.25.4");
        k.ok(&["apply", "-f", "-"], Some(&edited)).await;
        let d = k.json(&["-n", "shop", "get", "deployment", "web"]).await;
        let containers = &d["spec"]["template"]["spec"]["containers"];
        assert_eq!(containers[0]["image"], "nginx:1.25.4", "{version}");
        assert_eq!(containers[1]["name"], "sidecar", "{version}");
        assert_eq!(
            containers[0]["imagePullPolicy"], "IfNotPresent",
            "{version}: merged, not replaced"
        );
        let cm = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\n  namespace: shop\ndata:\n  a: \"1\"\n";
        k.ok(&["create", "-f", "-"], Some(cm)).await;

        // A custom resource's schema comes from its CRD.
        k.ok(&["apply", "-f", "-"], Some(&crd)).await;
        let spec = k.ok(&["explain", "widgets.spec"], None).await;
        assert!(spec.contains("KIND:       Widget"), "{version}: {spec}");
        assert!(spec.contains("mode\t<string>"), "{version}: {spec}");
        let widget = "apiVersion: corpus.example.com/v1\nkind: Widget\nmetadata:\n  name: blue\n  namespace: shop\nspec:\n  size: medium\n";
        k.ok(&["apply", "-f", "-"], Some(widget)).await;
    }
}
