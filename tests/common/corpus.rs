//! Replaying the golden corpus against a sandbox: object URLs from manifests, recorded
//! files, server-side applies, settling like the recorder did, and the drift operations of
//! `drift-op.txt` run with the real kubectl.
#![allow(dead_code)]

use super::sandbox::{Kubectl, call};
use serde_json::Value;
use sextant::sandbox::ClusterEndpoint;
use std::path::{Path, PathBuf};
use std::time::Duration;

/// Every case directory of the corpus at `root`, in order.
pub fn case_dirs(root: &Path) -> Vec<PathBuf> {
    let mut cases: Vec<PathBuf> = std::fs::read_dir(root.join("cases"))
        .expect("cases dir")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.is_dir())
        .collect();
    cases.sort();
    cases
}

pub fn plural(kind: &str) -> String {
    let k = kind.to_lowercase();
    if let Some(stem) = k.strip_suffix('y') {
        format!("{stem}ies")
    } else if k.ends_with('s') {
        format!("{k}es")
    } else {
        format!("{k}s")
    }
}

/// The URL of the object a manifest describes.
pub fn object_path(manifest: &Value) -> String {
    let av = manifest["apiVersion"].as_str().unwrap_or_default();
    let kind = manifest["kind"].as_str().unwrap_or_default();
    let name = manifest["metadata"]["name"].as_str().unwrap_or_default();
    let base = if av.contains('/') {
        format!("/apis/{av}")
    } else {
        format!("/api/{av}")
    };
    match manifest["metadata"]["namespace"].as_str() {
        Some(ns) => format!("{base}/namespaces/{ns}/{}/{name}", plural(kind)),
        None => format!("{base}/{}/{name}", plural(kind)),
    }
}

pub fn read_yaml(path: &Path) -> (String, Value) {
    let text = std::fs::read_to_string(path).expect("manifest readable");
    let value: Value = sextant::yaml::from_str(&text).expect("manifest parses");
    (text, value)
}

pub fn read_json(path: &Path) -> Value {
    serde_json::from_str(&std::fs::read_to_string(path).expect("recorded file readable"))
        .expect("recorded JSON parses")
}

/// GET until the resourceVersion holds still, like the corpus' settling (shorter: the
/// simulated controllers act within a fraction of a second).
pub async fn settle(ep: &ClusterEndpoint, path: &str) -> Value {
    settle_for(ep, path, Duration::from_millis(600)).await
}

/// `settle`, until the resourceVersion has held still for `quiet`.
pub async fn settle_for(ep: &ClusterEndpoint, path: &str, quiet: Duration) -> Value {
    let mut last = call(ep, "GET", path, "", "").await.1;
    let mut stable_since = tokio::time::Instant::now();
    let started = tokio::time::Instant::now();
    loop {
        tokio::time::sleep(Duration::from_millis(100)).await;
        let now = call(ep, "GET", path, "", "").await.1;
        if now["metadata"]["resourceVersion"] != last["metadata"]["resourceVersion"] {
            stable_since = tokio::time::Instant::now();
        }
        last = now;
        if stable_since.elapsed() >= quiet || started.elapsed() > Duration::from_secs(10) {
            return last;
        }
    }
}

/// A server-side apply (`force=true`) of `yaml` at `path`.
pub async fn apply(
    ep: &ClusterEndpoint,
    path: &str,
    yaml: &str,
    manager: &str,
    dry_run: bool,
) -> (u16, Value) {
    let dry = if dry_run { "&dryRun=All" } else { "" };
    let url = format!("{path}?fieldManager={manager}&force=true{dry}");
    call(ep, "PATCH", &url, "application/apply-patch+yaml", yaml).await
}

/// The bash commands of a drift-op.txt (everything before the recorded kubectl output).
pub fn drift_commands(text: &str) -> String {
    let body = text.split("# kubectl output:").next().unwrap_or_default();
    body.lines()
        .filter(|l| !l.starts_with('#'))
        .collect::<Vec<_>>()
        .join("\n")
}

/// Run a drift-op.txt's commands with bash, `kubectl` being the real one on `kubectl`'s
/// kubeconfig.
pub async fn run_drift(kubectl: &Kubectl, commands: &str, home: &Path) -> Result<(), String> {
    let out = tokio::process::Command::new("bash")
        .arg("-c")
        .arg(commands)
        .env("KUBECONFIG", kubectl.kubeconfig())
        .env("HOME", home)
        .env("KUBECACHEDIR", home.join("cache"))
        .output()
        .await
        .map_err(|e| format!("bash: {e}"))?;
    if out.status.success() {
        Ok(())
    } else {
        Err(format!(
            "drift op failed: {}",
            String::from_utf8_lossy(&out.stderr)
        ))
    }
}
