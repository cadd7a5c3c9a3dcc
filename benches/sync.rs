//! Sync speed, printed with its target (no assertions: timings vary by machine). Same
//! sandbox, same manifests, same run: 1,000 ConfigMaps that all changed in Git since they
//! were applied, synced by `sextant sync --yes` and by `kubectl apply --server-side`
//! (target: sextant at least 5x faster). Each tool gets its own namespace of the same
//! objects so neither finds the other's work done.
//!
//! Run: `cargo bench --bench sync`

#[path = "../tests/engine_env/mod.rs"]
mod engine_env;

use engine_env::{Env, have_kubectl};
use std::time::Instant;

const OBJECTS: usize = 1000;

fn configmaps(mode: &str) -> String {
    let mut text = String::new();
    for i in 0..OBJECTS {
        text.push_str(&format!(
            "---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cm-{i:05}\ndata:\n  index: \"{i}\"\n  mode: {mode}\n"
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
    env.write("apps/bulk/cms.yaml", &configmaps("slow"));
    env.write(
        "sextant.yaml",
        "apps:\n  - name: bulk\n    path: apps/bulk\n    namespace: by-sextant\n    clusters: [bench]\n",
    );
    env.commit("bulk, slow");
    for ns in ["by-sextant", "by-kubectl"] {
        env.kubectl_ok("bench", &["create", "namespace", ns]).await;
    }
    // The old state, applied by each tool, then Git changes every object.
    let first = env.sextant(&["sync", "--yes"]).await;
    assert_eq!(first.code, 0, "{}", first.all());
    env.kubectl_ok(
        "bench",
        &["apply", "--server-side", "-n", "by-kubectl", "-f", "apps/bulk"],
    )
    .await;
    env.write("apps/bulk/cms.yaml", &configmaps("fast"));
    env.commit("bulk, fast");

    let t = Instant::now();
    let out = env
        .kubectl(
            "bench",
            &["apply", "--server-side", "-n", "by-kubectl", "-f", "apps/bulk"],
        )
        .await;
    let kubectl_s = t.elapsed().as_secs_f64();
    let t = Instant::now();
    let run = env.sextant(&["sync", "--yes"]).await;
    let sextant_s = t.elapsed().as_secs_f64();
    let applied = run
        .stdout
        .contains(&format!("{OBJECTS} applied, 0 pruned, 0 failed"));
    println!(
        "sync of {OBJECTS} changed ConfigMaps: sextant sync {sextant_s:.2}s (exit {}, all applied: {applied}), \
         kubectl apply --server-side {kubectl_s:.2}s (exit {:?}): {:.1}x faster (target >= 5x)",
        run.code,
        out.status.code(),
        kubectl_s / sextant_s.max(1e-9)
    );
    // Both tools left the cluster as Git says.
    let check = env.sextant(&["diff"]).await;
    println!("sextant diff after both: exit {} (0: in sync)", check.code);
}
