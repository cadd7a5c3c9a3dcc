//! Sandbox throughput on loopback, printed beside each target: SSA dry-runs/s, GETs/s,
//! memory held for 10,000 ConfigMaps, and watch fan-out to 100 watchers. A bounded number
//! of requests each; the client (kube-rs) runs in the same process, so figures are lower
//! bounds for the server alone.

use futures::StreamExt;
use futures::stream::FuturesUnordered;
use k8s_openapi::api::core::v1::ConfigMap;
use kube::api::{Api, PostParams, WatchEvent, WatchParams};
use kube::config::{KubeConfigOptions, Kubeconfig};
use serde_json::json;
use sextant::sandbox::{Sandbox, SandboxOptions};
use std::time::{Duration, Instant};

const MANIFEST: &str = "apiVersion: apps/v1
kind: Deployment
metadata:
  name: web-timing
  namespace: default
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
const PATH: &str = "/apis/apps/v1/namespaces/default/deployments/web-timing";

fn rss_kib() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| s.lines().find(|l| l.starts_with("VmRSS:")).map(str::to_string))
        .and_then(|l| l.split_whitespace().nth(1).and_then(|n| n.parse().ok()))
        .unwrap_or(0)
}

/// Run `total` requests from `concurrency` tasks; returns requests per second.
async fn rate(
    client: &kube::Client,
    total: usize,
    concurrency: usize,
    make: impl Fn() -> hyper::Request<Vec<u8>>,
) -> f64 {
    let started = Instant::now();
    let mut pending = FuturesUnordered::new();
    let mut sent = 0;
    while sent < total || !pending.is_empty() {
        while sent < total && pending.len() < concurrency {
            let c = client.clone();
            let req = make();
            pending.push(async move { c.request_text(req).await });
            sent += 1;
        }
        if let Some(r) = pending.next().await
            && let Err(e) = r
        {
            panic!("request failed: {e}");
        }
    }
    total as f64 / started.elapsed().as_secs_f64()
}

async fn client(sandbox: &Sandbox) -> kube::Client {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("kubeconfig");
    sandbox.write_kubeconfig(&path).expect("kubeconfig");
    let kc = Kubeconfig::read_from(&path).expect("kubeconfig reads");
    let config = kube::Config::from_custom_kubeconfig(kc, &KubeConfigOptions::default())
        .await
        .expect("config");
    kube::Client::try_from(config).expect("client")
}

fn main() {
    sextant::install_crypto_provider();
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("runtime");
    rt.block_on(async {
        let opts = SandboxOptions { cluster_names: vec!["bench".into()], port: 0, simulate_controllers: false };
        let sandbox = Sandbox::start(opts).await.expect("sandbox");
        let client = client(&sandbox).await;
        // kubectl and kube-rs (so Sextant's own engine) send apply bodies as JSON; the
        // corpus' curl timings sent the YAML file. Measure both.
        let manifest_json = serde_json::to_vec(
            &sextant::yaml::from_str::<serde_json::Value>(MANIFEST).expect("manifest parses"),
        )
        .expect("manifest as JSON");
        let apply = |dry: bool, body: Vec<u8>| {
            let q = if dry { "&dryRun=All" } else { "" };
            hyper::Request::patch(format!("{PATH}?fieldManager=sextant&force=true{q}"))
                .header("Content-Type", "application/apply-patch+yaml")
                .body(body)
                .expect("request")
        };
        client.request_text(apply(false, MANIFEST.as_bytes().to_vec())).await.expect("first apply");

        let ssa = rate(&client, 5_000, 16, || apply(true, manifest_json.clone())).await;
        println!("ssa_dryrun_per_s      {ssa:>10.0}   (target >= 5000; JSON body, as kubectl and kube-rs send)");
        let ssa_yaml = rate(&client, 5_000, 16, || apply(true, MANIFEST.as_bytes().to_vec())).await;
        println!("ssa_dryrun_yaml_per_s {ssa_yaml:>10.0}   (the same apply sent as the YAML file)");
        let get = rate(&client, 20_000, 16, || hyper::Request::get(PATH).body(Vec::new()).expect("request")).await;
        println!("get_per_s             {get:>10.0}   (target >= 20000)");

        let before = rss_kib();
        let cms: Api<ConfigMap> = Api::namespaced(client.clone(), "default");
        let mut pending = FuturesUnordered::new();
        for i in 0..10_000 {
            let cms = cms.clone();
            pending.push(async move {
                let cm: ConfigMap = serde_json::from_value(json!({"metadata": {"name": format!("cm-{i:05}"),
                    "labels": {"app": "bench", "shard": (i % 10).to_string()}},
                    "data": {"LOG_LEVEL": "info", "FEATURE_FLAGS": "search,checkout", "index": i.to_string()}}))
                .expect("configmap");
                cms.create(&PostParams::default(), &cm).await.map(|_| ())
            });
            if pending.len() >= 32 {
                pending.next().await.expect("a create").expect("create ok");
            }
        }
        while let Some(r) = pending.next().await {
            r.expect("create ok");
        }
        let mib = rss_kib().saturating_sub(before) as f64 / 1024.0;
        println!("rss_10k_configmaps_mb {mib:>10.1}   (target < 50)");

        let watched: Api<ConfigMap> = Api::namespaced(client.clone(), "kube-public");
        let rv = watched.list_metadata(&Default::default()).await.expect("list").metadata.resource_version.unwrap_or_default();
        let (tx, mut rx) = tokio::sync::mpsc::unbounded_channel::<Instant>();
        let mut ready = Vec::new();
        for _ in 0..100 {
            let (api, tx, rv) = (watched.clone(), tx.clone(), rv.clone());
            let (ready_tx, ready_rx) = tokio::sync::oneshot::channel::<()>();
            ready.push(ready_rx);
            tokio::spawn(async move {
                let mut stream = api.watch(&WatchParams::default().timeout(60), &rv).await.expect("watch").boxed();
                let _ = ready_tx.send(());
                while let Some(ev) = stream.next().await {
                    if let Ok(WatchEvent::Added(_)) = ev {
                        let _ = tx.send(Instant::now());
                        return;
                    }
                }
            });
        }
        for r in ready {
            let _ = r.await;
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
        let started = Instant::now();
        let cm: ConfigMap = serde_json::from_value(json!({"metadata": {"name": "fanout"}})).expect("configmap");
        watched.create(&PostParams::default(), &cm).await.expect("create");
        let mut last = started;
        for _ in 0..100 {
            match tokio::time::timeout(Duration::from_secs(10), rx.recv()).await {
                Ok(Some(t)) => last = last.max(t),
                _ => break,
            }
        }
        let ms = last.duration_since(started).as_secs_f64() * 1000.0;
        println!("watch_fanout_100_ms   {ms:>10.1}   (one change reaching all 100 watchers; target < 100)");
        sandbox.shutdown().await;
    });
}
