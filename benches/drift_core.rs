//! Throughput of the pure drift core on the golden corpus objects, repeated to 1,000
//! objects: the local path (the fast path over a watch cache), the preview path (given
//! dry-run results) and the diff texts. Prints figures; asserts nothing about time.
//!
//! Run: `cargo bench --bench drift_core`

use serde_json::Value;
use sextant::gitops::drift::{self, CompareOptions, SyncState};
use std::path::PathBuf;
use std::time::{Duration, Instant};

fn corpus() -> Option<PathBuf> {
    Some(PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/apiserver-corpus/cases"))
}

fn load() -> Vec<(Value, Value, Value)> {
    let Some(dir) = corpus() else {
        eprintln!("corpus not found; nothing to measure");
        return Vec::new();
    };
    let mut dirs: Vec<PathBuf> = std::fs::read_dir(dir)
        .into_iter()
        .flatten()
        .filter_map(|e| e.ok().map(|e| e.path()))
        .collect();
    dirs.sort();
    let read = |p: PathBuf| std::fs::read_to_string(p).unwrap_or_default();
    dirs.into_iter()
        .filter_map(|d| {
            let manifest: Value = sextant::yaml::from_str(&read(d.join("manifest.yaml"))).ok()?;
            let live: Value = serde_json::from_str(&read(d.join("live-after-apply.json"))).ok()?;
            let dry: Value = serde_json::from_str(&read(d.join("dryrun-same.json"))).ok()?;
            Some((manifest, live, dry))
        })
        .collect()
}

fn report(what: &str, n: usize, mut samples: Vec<Duration>) {
    samples.sort();
    let total: Duration = samples.iter().sum();
    let pct = |p: usize| samples[(samples.len() * p / 100).min(samples.len() - 1)];
    println!(
        "{what:<28} {n:>5} objects  total {:>8.2} ms  p50 {:>7.1} µs  p99 {:>7.1} µs",
        total.as_secs_f64() * 1e3,
        pct(50).as_secs_f64() * 1e6,
        pct(99).as_secs_f64() * 1e6
    );
}

fn main() {
    let base = load();
    if base.is_empty() {
        return;
    }
    let objects: Vec<&(Value, Value, Value)> = base.iter().cycle().take(1000).collect();
    let opts = CompareOptions::default();
    for round in 0..2 {
        let label = if round == 0 { "(warm-up) " } else { "" };
        let mut local = Vec::new();
        let mut preview = Vec::new();
        let mut text = Vec::new();
        for (manifest, live, dry) in &objects {
            let t = Instant::now();
            let d = drift::compare_local(manifest, live, &opts);
            local.push(t.elapsed());
            assert!(matches!(d.as_ref().map(|d| d.state), Ok(SyncState::Synced)));
            let t = Instant::now();
            let p = drift::compare_preview(manifest, live, dry, &opts);
            preview.push(t.elapsed());
            if let Ok(p) = p {
                let t = Instant::now();
                let _ = drift::diff_text_preview(live, dry, &p);
                text.push(t.elapsed());
            }
        }
        report(&format!("{label}compare_local"), objects.len(), local);
        report(&format!("{label}compare_preview"), objects.len(), preview);
        report(&format!("{label}diff_text_preview"), objects.len(), text);
    }
}
