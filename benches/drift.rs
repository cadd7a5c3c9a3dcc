//! Drift engine figures, printed with their targets (no assertions: timings vary by machine).
//! Same sandbox, same run:
//! 1. cold drift of 1,000 ConfigMaps: `sextant diff` vs `kubectl diff --server-side` (>= 5x faster)
//! 2. watch event -> updated report, p50 (< 50 ms)
//! 3. RSS of the engine while watching 10,000 objects (< 100 MB): the peak RSS of a separate
//!    `sextant status` process that lists, watches and evaluates them (the kernel's own figure,
//!    `ru_maxrss`), so the in-process sandbox serving the list is not counted.

#[path = "../tests/engine_env/mod.rs"]
mod engine_env;

use engine_env::{Env, have_kubectl, rss_bytes};
use k8s_openapi::api::core::v1::ConfigMap;
use kube::api::{Api, Patch, PatchParams, PostParams};
use sextant::gitops::engine::{self, DesiredRequest, EngineConfig, EngineEvent};
use std::time::{Duration, Instant};

fn configmaps(prefix: &str, from: usize, to: usize) -> String {
    let mut text = String::new();
    for i in from..to {
        text.push_str(&format!(
            "---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {prefix}-{i:05}\ndata:\n  index: \"{i}\"\n  mode: fast\n"
        ));
    }
    text
}

fn main() {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("runtime");
    runtime.block_on(run());
}

async fn run() {
    if !have_kubectl() {
        println!("SKIP: kubectl not found");
        return;
    }
    let env = Env::start(&["bench"]).await;
    env.write("apps/cold/cms.yaml", &configmaps("cold", 0, 1000));
    for part in 0..10 {
        env.write(
            &format!("apps/watch/part{part}.yaml"),
            &configmaps("w", part * 1000, (part + 1) * 1000),
        );
    }
    env.write(
        "sextant.yaml",
        "apps:\n  - name: cold\n    path: apps/cold\n    namespace: cold\n    clusters: [bench]\n  - name: watch\n    path: apps/watch\n    namespace: watch\n    clusters: [bench]\n",
    );
    env.commit("bench apps");
    env.kubectl_ok("bench", &["create", "namespace", "cold"]).await;
    env.kubectl_ok("bench", &["create", "namespace", "watch"]).await;
    env.kubectl_ok(
        "bench",
        &["apply", "--server-side", "-n", "cold", "-f", "apps/cold"],
    )
    .await;

    // 1. Cold drift of 1,000 objects.
    let t = Instant::now();
    let out = env
        .kubectl(
            "bench",
            &["diff", "--server-side", "-n", "cold", "-f", "apps/cold"],
        )
        .await;
    let kubectl_s = t.elapsed().as_secs_f64();
    let t = Instant::now();
    let run = env.sextant(&["diff", "cold"]).await;
    let sextant_s = t.elapsed().as_secs_f64();
    println!(
        "cold drift, 1,000 ConfigMaps: sextant diff {sextant_s:.2}s (exit {}), kubectl diff --server-side {kubectl_s:.2}s (exit {:?}): {:.1}x faster (target >= 5x)",
        run.code,
        out.status.code(),
        kubectl_s / sextant_s.max(1e-9)
    );

    // 10,000 watched objects, created through the API (faster than kubectl for setup).
    let client = engine_env::client(&env, "bench").await;
    let api: Api<ConfigMap> = Api::namespaced(client.clone(), "watch");
    create_many(&api, 10_000).await;

    // 3. Memory: the peak RSS of the real binary watching the 10,000 objects until its report.
    let (code, peak_kib) = peak_rss_of_status(&env).await;
    println!(
        "RSS while watching 10,000 objects: peak {:.1} MB for `sextant status watch` (exit {code}) (target < 100 MB)",
        peak_kib as f64 / 1024.0
    );

    // The same engine in this process, for the cold-start time (its RSS gain also counts the
    // in-process sandbox serving the list, so it is printed for reference only).
    let before = rss_bytes();
    let mut engine = engine::start(EngineConfig {
        gate: Default::default(),
        audit: None,
        desired: DesiredRequest {
            repo: env.repo.clone(),
            revision: "HEAD".into(),
            user: Default::default(),
            only_app: Some("watch".into()),
            only_cluster: None,
            contexts: Vec::new(),
        },
        kubeconfig: Some(env.kubeconfig.clone()),
        dry_run: true,
        follow: false,
    });
    let t = Instant::now();
    let first = next_report(&mut engine).await;
    let after = rss_bytes();
    println!(
        "engine cold start on 10,000 objects: first report in {:.2}s ({} objects, sync {:?})",
        t.elapsed().as_secs_f64(),
        first.as_ref().map(|r| r.objects.len()).unwrap_or(0),
        first.as_ref().map(|r| r.sync)
    );
    println!(
        "in-process engine start: process RSS grew {:.1} MB (to {:.1} MB, sandbox included)",
        after.saturating_sub(before) as f64 / 1e6,
        after as f64 / 1e6
    );

    // 2. Watch event -> updated report.
    let mut samples = Vec::new();
    for i in 0..40 {
        let patch = serde_json::json!({"data": {"mode": format!("slow-{i}")}});
        let name = format!("w-{:05}", i * 37);
        // From sending the change: the API round trip, the watch delivery and the engine.
        let t = Instant::now();
        api.patch(&name, &PatchParams::default(), &Patch::Merge(&patch))
            .await
            .expect("patch");
        loop {
            match tokio::time::timeout(Duration::from_secs(10), engine.events.recv()).await {
                Ok(Some(EngineEvent::AppReport(r)))
                    if r.objects
                        .iter()
                        .any(|o| o.key.name == name && o.status.is_drift()) =>
                {
                    samples.push(t.elapsed());
                    break;
                }
                Ok(Some(_)) => continue,
                _ => break,
            }
        }
    }
    samples.sort();
    let p50 = samples.get(samples.len() / 2).copied().unwrap_or_default();
    let p90 = samples.get(samples.len() * 9 / 10).copied().unwrap_or_default();
    println!(
        "change -> watch event -> updated report: p50 {:.1} ms, p90 {:.1} ms over {} events (target p50 < 50 ms)",
        p50.as_secs_f64() * 1e3,
        p90.as_secs_f64() * 1e3,
        samples.len()
    );
}

/// Run `sextant status watch` and return its exit code and peak resident set (KiB) from `wait4`.
async fn peak_rss_of_status(env: &Env) -> (i32, i64) {
    let child = std::process::Command::new(env!("CARGO_BIN_EXE_sextant"))
        .arg("--repo")
        .arg(&env.repo)
        .arg("--kubeconfig")
        .arg(&env.kubeconfig)
        .args(["status", "watch"])
        .env("SEXTANT_HOME", env.tmp.path().join("home"))
        .env("NO_COLOR", "1")
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .expect("sextant runs");
    let pid = child.id() as libc::pid_t;
    tokio::task::spawn_blocking(move || {
        let mut status = 0;
        // SAFETY: an all-zero rusage is a valid value for wait4 to fill in.
        let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
        // SAFETY: pid is our own child, not yet reaped; both pointers outlive the call.
        let reaped = unsafe { libc::wait4(pid, &mut status, 0, &mut usage) };
        drop(child);
        let code = if reaped == pid && libc::WIFEXITED(status) {
            libc::WEXITSTATUS(status)
        } else {
            -1
        };
        (code, usage.ru_maxrss)
    })
    .await
    .expect("wait4")
}

async fn next_report(engine: &mut engine::Engine) -> Option<std::sync::Arc<engine::AppReport>> {
    loop {
        match tokio::time::timeout(Duration::from_secs(120), engine.events.recv()).await {
            Ok(Some(EngineEvent::AppReport(r))) => return Some(r),
            Ok(Some(EngineEvent::Fatal(e))) => {
                println!("engine failed: {e}");
                return None;
            }
            Ok(Some(_)) => continue,
            _ => return None,
        }
    }
}

async fn create_many(api: &Api<ConfigMap>, n: usize) {
    use futures::StreamExt;
    futures::stream::iter(0..n)
        .map(|i| {
            let api = api.clone();
            async move {
                let cm: ConfigMap = serde_json::from_value(serde_json::json!({
                    "metadata": {"name": format!("w-{i:05}")},
                    "data": {"index": i.to_string(), "mode": "fast"}
                }))
                .expect("configmap");
                let _ = api.create(&PostParams::default(), &cm).await;
            }
        })
        .buffer_unordered(32)
        .collect::<Vec<_>>()
        .await;
}
