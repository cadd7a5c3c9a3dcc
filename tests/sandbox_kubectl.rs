//! The real kubectl (a 1.29 client, picked by the dispatcher from the sandbox's /version)
//! against the sandbox: server-side apply, get, watch, scale, set image, label, patch,
//! delete, diff exit codes, the read-only context, namespace deletion and CRDs.

mod common;

use common::sandbox::{Kubectl, corpus_dir, start};
use serde_json::Value;
use std::time::Duration;
use tokio::io::{AsyncBufReadExt, BufReader};

const DEPLOYMENT: &str = "apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  namespace: shop
  labels:
    app.kubernetes.io/name: web
spec:
  replicas: 3
  selector:
    matchLabels:
      app.kubernetes.io/name: web
  template:
    metadata:
      labels:
        app.kubernetes.io/name: web
    spec:
      containers:
        - name: web
          image: nginx:1.25.3
          ports:
            - containerPort: 80
";

fn managers(obj: &Value) -> Vec<(String, String, String)> {
    obj["metadata"]["managedFields"]
        .as_array()
        .map(|mf| {
            mf.iter()
                .map(|e| {
                    let s = |k: &str| e[k].as_str().unwrap_or_default().to_string();
                    (s("manager"), s("operation"), s("subresource"))
                })
                .collect()
        })
        .unwrap_or_default()
}

fn has_manager(obj: &Value, manager: &str, operation: &str, subresource: &str) -> bool {
    managers(obj).contains(&(
        manager.to_string(),
        operation.to_string(),
        subresource.to_string(),
    ))
}

async fn setup() -> Option<(sextant::sandbox::Sandbox, Kubectl)> {
    let sandbox = start(&["kubectl-test"], false).await;
    let kubectl = Kubectl::new(&sandbox)?;
    kubectl.ok(&["create", "namespace", "shop"], None).await;
    Some((sandbox, kubectl))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn apply_get_scale_set_image_label_patch_delete() {
    let Some((_sandbox, k)) = setup().await else {
        return;
    };
    let out = k
        .ok(&["apply", "--server-side", "-f", "-"], Some(DEPLOYMENT))
        .await;
    assert_eq!(out.trim(), "deployment.apps/web serverside-applied");

    let d = k
        .json(&["-n", "shop", "get", "deployment", "web", "--show-managed-fields"])
        .await;
    assert_eq!(d["spec"]["replicas"], 3);
    assert_eq!(
        d["spec"]["template"]["spec"]["containers"][0]["imagePullPolicy"],
        "IfNotPresent"
    );
    assert_eq!(d["spec"]["strategy"]["rollingUpdate"]["maxSurge"], "25%");
    assert!(has_manager(&d, "kubectl", "Apply", ""), "{:?}", managers(&d));

    let out = k
        .ok(&["-n", "shop", "scale", "deployment/web", "--replicas=5"], None)
        .await;
    assert_eq!(out.trim(), "deployment.apps/web scaled");
    k.ok(
        &["-n", "shop", "set", "image", "deployment/web", "web=nginx:1.25.4"],
        None,
    )
    .await;
    k.ok(&["-n", "shop", "label", "deployment/web", "tier=frontend"], None)
        .await;
    k.ok(
        &[
            "-n",
            "shop",
            "patch",
            "deployment/web",
            "--type",
            "merge",
            "-p",
            r#"{"metadata":{"annotations":{"a":"b"}}}"#,
        ],
        None,
    )
    .await;
    let json_patch = r#"[{"op":"add","path":"/metadata/labels/team","value":"payments"}]"#;
    k.ok(
        &[
            "-n",
            "shop",
            "patch",
            "deployment/web",
            "--type",
            "json",
            "-p",
            json_patch,
        ],
        None,
    )
    .await;
    let strategic = r#"{"spec":{"template":{"spec":{"containers":[{"name":"web","env":[{"name":"MODE","value":"x"}]}]}}}}"#;
    k.ok(&["-n", "shop", "patch", "deployment/web", "-p", strategic], None)
        .await;

    let d = k
        .json(&["-n", "shop", "get", "deployment", "web", "--show-managed-fields"])
        .await;
    assert_eq!(d["spec"]["replicas"], 5);
    let c = &d["spec"]["template"]["spec"]["containers"][0];
    assert_eq!(c["image"], "nginx:1.25.4");
    assert_eq!(
        c["ports"][0]["containerPort"], 80,
        "strategic patch kept the ports"
    );
    assert_eq!(c["env"][0]["name"], "MODE");
    assert_eq!(d["metadata"]["labels"]["tier"], "frontend");
    assert_eq!(d["metadata"]["labels"]["team"], "payments");
    assert_eq!(d["metadata"]["annotations"]["a"], "b");
    for (m, sub) in [
        ("kubectl", "scale"),
        ("kubectl-set", ""),
        ("kubectl-label", ""),
        ("kubectl-patch", ""),
    ] {
        assert!(
            has_manager(&d, m, "Update", sub),
            "missing {m}: {:?}",
            managers(&d)
        );
    }

    let out = k.ok(&["-n", "shop", "delete", "deployment", "web"], None).await;
    assert_eq!(out.trim(), "deployment.apps \"web\" deleted");
    let gone = k.run(&["-n", "shop", "get", "deployment", "web"], None).await;
    assert!(!gone.status.success());
    let err = String::from_utf8_lossy(&gone.stderr);
    assert!(
        err.contains("NotFound") && err.contains("\"web\" not found"),
        "{err}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn diff_exit_codes_follow_kubectl() {
    let Some((_sandbox, k)) = setup().await else {
        return;
    };
    k.ok(&["apply", "--server-side", "-f", "-"], Some(DEPLOYMENT))
        .await;
    let same = k
        .run(
            &["diff", "--server-side", "--force-conflicts", "-f", "-"],
            Some(DEPLOYMENT),
        )
        .await;
    assert_eq!(
        same.status.code(),
        Some(0),
        "unchanged: {}",
        String::from_utf8_lossy(&same.stderr)
    );
    let changed = DEPLOYMENT.replace("nginx:1.25.3", "nginx:1.25.4");
    let out = k
        .run(
            &["diff", "--server-side", "--force-conflicts", "-f", "-"],
            Some(&changed),
        )
        .await;
    assert_eq!(
        out.status.code(),
        Some(1),
        "changed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains("-      - image: nginx:1.25.3") && text.contains("+      - image: nginx:1.25.4"),
        "{text}"
    );

    // Client-side apply and diff (strategic merge patches with last-applied-configuration).
    let cm = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\n  namespace: shop\ndata:\n  LEVEL: info\n";
    k.ok(&["apply", "-f", "-"], Some(cm)).await;
    assert_eq!(k.run(&["diff", "-f", "-"], Some(cm)).await.status.code(), Some(0));
    let edited = cm.replace("info", "debug");
    assert_eq!(
        k.run(&["diff", "-f", "-"], Some(&edited)).await.status.code(),
        Some(1)
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn get_watch_streams_events() {
    let Some((_sandbox, k)) = setup().await else {
        return;
    };
    let mut cmd = k.command(&[
        "-n",
        "shop",
        "get",
        "configmaps",
        "-w",
        "--output-watch-events",
        "-o",
        "json",
    ]);
    cmd.stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::null());
    let mut child = cmd.spawn().expect("kubectl get -w runs");
    let stdout = child.stdout.take().expect("stdout");
    let reader = tokio::spawn(async move {
        let mut lines = BufReader::new(stdout).lines();
        let mut seen = Vec::new();
        while let Ok(Some(line)) = lines.next_line().await {
            // One compact JSON event per line.
            if let Ok(ev) = serde_json::from_str::<Value>(&line) {
                seen.push(ev["type"].as_str().unwrap_or_default().to_string());
                if seen.len() == 3 {
                    break;
                }
            }
        }
        seen
    });
    tokio::time::sleep(Duration::from_millis(1500)).await;
    k.ok(
        &["-n", "shop", "create", "configmap", "live", "--from-literal=a=1"],
        None,
    )
    .await;
    k.ok(&["-n", "shop", "label", "configmap", "live", "x=y"], None)
        .await;
    k.ok(&["-n", "shop", "delete", "configmap", "live"], None).await;
    let seen = tokio::time::timeout(Duration::from_secs(20), reader)
        .await
        .expect("events arrive")
        .expect("reader");
    let _ = child.kill().await;
    assert_eq!(seen, vec!["ADDED", "MODIFIED", "DELETED"]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn readonly_context_reads_but_never_writes() {
    let Some((_sandbox, k)) = setup().await else {
        return;
    };
    let cm = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\n  namespace: shop\ndata:\n  LEVEL: info\n";
    k.ok(&["apply", "--server-side", "-f", "-"], Some(cm)).await;
    let ro = "--context=kubectl-test-readonly";
    let out = k
        .ok(
            &[ro, "-n", "shop", "get", "configmap", "settings", "-o", "name"],
            None,
        )
        .await;
    assert_eq!(out.trim(), "configmap/settings");
    for args in [
        vec![ro, "apply", "--server-side", "-f", "-"],
        vec![ro, "apply", "--server-side", "--dry-run=server", "-f", "-"],
    ] {
        let out = k.run(&args, Some(cm)).await;
        assert!(!out.status.success());
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(
            err.contains("User \"viewer\" cannot patch resource \"configmaps\""),
            "{err}"
        );
    }
    let out = k.run(&[ro, "-n", "shop", "get", "secrets"], None).await;
    assert!(String::from_utf8_lossy(&out.stderr).contains("cannot list resource \"secrets\""));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn namespace_deletion_and_custom_resources() {
    let Some((_sandbox, k)) = setup().await else {
        return;
    };
    let corpus = corpus_dir();
    let crd = std::fs::read_to_string(corpus.join("cases/23-crd-schema-default/manifest.yaml"))
        .expect("CRD manifest");
    k.ok(&["apply", "--server-side", "-f", "-"], Some(&crd)).await;
    let widget = "apiVersion: corpus.example.com/v1\nkind: Widget\nmetadata:\n  name: blue\n  namespace: shop\nspec:\n  size: medium\n";
    // A fresh kubectl cache dir per test means the new kind is discovered right away.
    k.ok(&["apply", "--server-side", "-f", "-"], Some(widget)).await;
    let w = k.json(&["-n", "shop", "get", "widgets", "blue"]).await;
    assert_eq!(w["spec"]["replicas"], 1, "schema default applied");
    assert_eq!(w["spec"]["mode"], "standard");
    let bad = widget.replace("medium", "huge");
    let out = k.run(&["apply", "--server-side", "-f", "-"], Some(&bad)).await;
    assert!(String::from_utf8_lossy(&out.stderr).contains("Unsupported value: \"huge\""));

    k.ok(
        &["-n", "shop", "create", "configmap", "c", "--from-literal=a=1"],
        None,
    )
    .await;
    k.ok(&["delete", "namespace", "shop"], None).await;
    let out = k.run(&["-n", "shop", "get", "configmap", "c"], None).await;
    assert!(!out.status.success(), "the namespace's contents went with it");
}
