//! `kubectl get` across kinds, printed from the sandbox's Table answers, by every kubectl
//! from 1.27 to 1.33 (the versioned binaries the kubectl dispatcher picks from): plain,
//! `-A` over several kinds, `all`, `-o wide`, `-o name`, `-o yaml`, a new resource type
//! (PriorityClass) and `auth can-i`.

mod common;

use common::sandbox::{Kubectl, call, start};
use serde_json::Value;
use std::time::Duration;

const VERSIONS: &[&str] = &["1.27", "1.28", "1.29", "1.30", "1.31", "1.32", "1.33"];

/// Only these objects carry the label, not their pod template: whatever controllers make
/// from the Deployment (ReplicaSets, Pods) stays out of the selected output.
const OBJECTS: &str = "apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  namespace: shop
  labels: {tier: frontend}
spec:
  replicas: 2
  selector:
    matchLabels: {app: web}
  template:
    metadata:
      labels: {app: web}
    spec:
      containers:
      - name: web
        image: nginx:1.25
---
apiVersion: v1
kind: Service
metadata:
  name: web
  namespace: shop
  labels: {tier: frontend}
spec:
  selector: {app: web}
  ports:
  - port: 80
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: settings
  namespace: shop
  labels: {tier: frontend}
data:
  a: '1'
  b: '2'
";

/// One printed table: its rows of cells (split where kubectl's tabwriter put two or more
/// spaces), after checking that every row's cells start where the header's do.
fn blocks(output: &str) -> Result<Vec<Vec<Vec<String>>>, String> {
    let mut out = Vec::new();
    for block in output.split("\n\n").filter(|b| !b.trim().is_empty()) {
        let lines: Vec<&str> = block.lines().collect();
        let starts = |line: &str| -> Vec<usize> {
            let mut v = vec![0];
            let b = line.as_bytes();
            for i in 2..b.len() {
                if b[i] != b' ' && b[i - 1] == b' ' && b[i - 2] == b' ' {
                    v.push(i);
                }
            }
            v
        };
        let header = starts(lines[0]);
        let mut rows = Vec::new();
        for line in &lines {
            if starts(line) != header {
                return Err(format!("columns not aligned with the header:\n{block}"));
            }
            rows.push(
                line.split("  ")
                    .map(str::trim)
                    .filter(|c| !c.is_empty())
                    .map(str::to_string)
                    .collect(),
            );
        }
        out.push(rows);
    }
    Ok(out)
}

/// `5s`, `3m12s`, `4d2h`: digits and unit letters, alternating, ending in a unit.
fn is_age(cell: &str) -> bool {
    let mut digits = 0;
    for c in cell.chars() {
        match c {
            '0'..='9' => digits += 1,
            's' | 'm' | 'h' | 'd' | 'y' if digits > 0 => digits = 0,
            _ => return false,
        }
    }
    !cell.is_empty() && digits == 0
}

/// Compare printed tables with the expected ones (`<age>` matches any age).
fn expect_tables(what: &str, output: &str, want: &[&[&[&str]]]) {
    let got = blocks(output).unwrap_or_else(|e| panic!("{what}: {e}"));
    let matches = got.len() == want.len()
        && got.iter().zip(want).all(|(g, w)| {
            g.len() == w.len()
                && g.iter().zip(w.iter()).all(|(gr, wr)| {
                    gr.len() == wr.len()
                        && gr
                            .iter()
                            .zip(wr.iter())
                            .all(|(gc, wc)| gc == wc || (*wc == "<age>" && is_age(gc)))
                })
        });
    assert!(matches, "{what} printed:\n{output}\nwant: {want:?}");
}

async fn wait_available(ep: &sextant::sandbox::ClusterEndpoint) {
    for _ in 0..100 {
        let (_, d) = call(ep, "GET", "/apis/apps/v1/namespaces/shop/deployments/web", "", "").await;
        if d["status"]["availableReplicas"] == 2 {
            return;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("the Deployment never became available");
}

async fn check_version(k: &Kubectl, version: &str, cluster_ip: &str) {
    let sel = ["-l", "tier=frontend"];
    let get = |args: &'static [&'static str]| {
        let mut all: Vec<&str> = args.to_vec();
        all.extend(sel);
        all
    };
    let v = |what: &str| format!("kubectl {version} {what}");

    let out = k.ok(&get(&["get", "cm", "-n", "shop"]), None).await;
    let cm: &[&[&str]] = &[&["NAME", "DATA", "AGE"], &["settings", "2", "<age>"]];
    expect_tables(&v("get cm"), &out, &[cm]);
    let out = k.ok(&get(&["get", "cm", "-n", "shop", "-o", "wide"]), None).await;
    expect_tables(&v("get cm -o wide"), &out, &[cm]);
    let out = k.ok(&get(&["get", "cm", "-n", "shop", "-o", "name"]), None).await;
    assert_eq!(out, "configmap/settings\n", "{}", v("get cm -o name"));

    let out = k.ok(&get(&["get", "cm", "-n", "shop", "-o", "yaml"]), None).await;
    let list: Value = sextant::yaml::from_str(&out).expect("kubectl printed YAML");
    assert_eq!(list["kind"], "List", "{}", v("get cm -o yaml"));
    let item = &list["items"][0];
    assert_eq!(
        (
            &item["apiVersion"],
            &item["kind"],
            &item["metadata"]["name"],
            &item["data"]["b"]
        ),
        (&"v1".into(), &"ConfigMap".into(), &"settings".into(), &"2".into()),
        "{}: {out}",
        v("get cm -o yaml")
    );

    let out = k.ok(&get(&["get", "deploy,svc,cm", "-A"]), None).await;
    let deploy: &[&[&str]] = &[
        &["NAMESPACE", "NAME", "READY", "UP-TO-DATE", "AVAILABLE", "AGE"],
        &["shop", "deployment.apps/web", "2/2", "2", "2", "<age>"],
    ];
    let svc: &[&[&str]] = &[
        &[
            "NAMESPACE",
            "NAME",
            "TYPE",
            "CLUSTER-IP",
            "EXTERNAL-IP",
            "PORT(S)",
            "AGE",
        ],
        &[
            "shop",
            "service/web",
            "ClusterIP",
            cluster_ip,
            "<none>",
            "80/TCP",
            "<age>",
        ],
    ];
    let cms: &[&[&str]] = &[
        &["NAMESPACE", "NAME", "DATA", "AGE"],
        &["shop", "configmap/settings", "2", "<age>"],
    ];
    expect_tables(&v("get deploy,svc,cm -A"), &out, &[deploy, svc, cms]);

    let out = k.ok(&get(&["get", "all", "-n", "shop"]), None).await;
    let svc: &[&[&str]] = &[
        &["NAME", "TYPE", "CLUSTER-IP", "EXTERNAL-IP", "PORT(S)", "AGE"],
        &[
            "service/web",
            "ClusterIP",
            cluster_ip,
            "<none>",
            "80/TCP",
            "<age>",
        ],
    ];
    let deploy: &[&[&str]] = &[
        &["NAME", "READY", "UP-TO-DATE", "AVAILABLE", "AGE"],
        &["deployment.apps/web", "2/2", "2", "2", "<age>"],
    ];
    expect_tables(&v("get all"), &out, &[svc, deploy]);

    let out = k
        .ok(&get(&["get", "deploy", "-n", "shop", "-o", "wide"]), None)
        .await;
    let wide: &[&[&str]] = &[
        &[
            "NAME",
            "READY",
            "UP-TO-DATE",
            "AVAILABLE",
            "AGE",
            "CONTAINERS",
            "IMAGES",
            "SELECTOR",
        ],
        &["web", "2/2", "2", "2", "<age>", "web", "nginx:1.25", "app=web"],
    ];
    expect_tables(&v("get deploy -o wide"), &out, &[wide]);

    let out = k.ok(&["get", "priorityclass", "high"], None).await;
    let pc: &[&[&str]] = &[
        &["NAME", "VALUE", "GLOBAL-DEFAULT", "AGE"],
        &["high", "1000", "false", "<age>"],
    ];
    expect_tables(&v("get priorityclass"), &out, &[pc]);

    // kubectl 1.32 and later send built-in kinds' request bodies as protobuf, which the
    // sandbox cannot decode: their creates (a review included) are not tested here.
    if matches!(version, "1.32" | "1.33") {
        return;
    }
    let out = k
        .run(&["auth", "can-i", "create", "deployments", "-n", "shop"], None)
        .await;
    assert_eq!(
        String::from_utf8_lossy(&out.stdout),
        "yes\n",
        "{}",
        v("auth can-i")
    );
    let out = k
        .run(
            &[
                "--context",
                "kubectl-get-readonly",
                "auth",
                "can-i",
                "create",
                "deployments",
            ],
            None,
        )
        .await;
    assert_eq!(
        String::from_utf8_lossy(&out.stdout),
        "no\n",
        "{}",
        v("auth can-i (read-only)")
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn kubectl_get_prints_what_a_real_server_would() {
    let sandbox = start(&["kubectl-get"], true).await;
    let Some(k) = Kubectl::new(&sandbox) else {
        return;
    };
    let ep = sandbox.clusters()[0].clone();
    k.ok(&["create", "namespace", "shop"], None).await;
    k.ok(&["apply", "--server-side", "-f", "-"], Some(OBJECTS)).await;
    k.ok(&["create", "priorityclass", "high", "--value=1000"], None)
        .await;
    wait_available(&ep).await;
    let (_, svc) = call(&ep, "GET", "/api/v1/namespaces/shop/services/web", "", "").await;
    let ip = svc["spec"]["clusterIP"]
        .as_str()
        .expect("a cluster IP")
        .to_string();
    let mut tested = Vec::new();
    for version in VERSIONS {
        let Some(kv) = Kubectl::version(&sandbox, version) else {
            continue;
        };
        check_version(&kv, version, &ip).await;
        tested.push(*version);
    }
    println!("kubectl versions tested: {tested:?}");
}

#[test]
fn tables_are_split_into_aligned_cells() {
    let out = "NAME       DATA   AGE\nsettings   2      5s\n\nNAME   X\na      b\n";
    let got = blocks(out).expect("aligned");
    assert_eq!(got[0][1], vec!["settings", "2", "5s"]);
    assert_eq!(got[1][0], vec!["NAME", "X"]);
    assert!(blocks("NAME   DATA\nsettings  2\n").is_err());
    assert!(is_age("5s") && is_age("3m12s") && !is_age("2") && !is_age("s"));
}
