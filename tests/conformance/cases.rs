//! The 27 cases: every request of each `http.yaml`, in order (apply, settled GET, dry-runs,
//! the kubectl drift operation of `drift-op.txt`, GET, dry-run), answered by the sandbox.

use super::{Recorded, Report, replay};
use crate::common::corpus::{apply, drift_commands, object_path, read_yaml, run_drift, settle};
use crate::common::sandbox::{Kubectl, Request};
use serde_json::Value;
use sextant::sandbox::ClusterEndpoint;
use std::path::Path;

/// The manifest a recorded request sent (apply and dry-runs), by the file it produced.
fn body_for(file: &str) -> Option<&'static str> {
    match file {
        "apply-response.json" | "dryrun-same.json" | "dryrun-after-drift.json" => Some("manifest.yaml"),
        "dryrun-changed.json" => Some("manifest-changed.yaml"),
        "dryrun-changed-2.json" => Some("manifest-changed-2.yaml"),
        _ => None,
    }
}

pub async fn replay_case(
    ep: &ClusterEndpoint,
    kubectl: &Kubectl,
    dir: &Path,
    home: &Path,
    report: &mut Report,
) {
    let case = dir.file_name().and_then(|n| n.to_str()).unwrap_or_default();
    if dir.join("support.yaml").exists() {
        let (text, value) = read_yaml(&dir.join("support.yaml"));
        let (code, body) = apply(ep, &object_path(&value), &text, "corpus-setup", false).await;
        assert!(code < 300, "{case}: support.yaml apply failed: {body}");
    }
    let index = std::fs::read_to_string(dir.join("http.yaml")).expect("http.yaml");
    let index: Value = sextant::yaml::from_str(&index).expect("http.yaml parses");
    let mut drifted = false;
    for e in index.as_array().expect("http.yaml is a list") {
        let file = e["file"].as_str().unwrap_or_default();
        let method = e["method"].as_str().unwrap_or_default();
        let path = e["path"].as_str().unwrap_or_default();
        let label = format!("cases/{case}/{file}");
        if file == "live-after-drift.json" && !drifted {
            drifted = true;
            let text = std::fs::read_to_string(dir.join("drift-op.txt")).expect("drift-op.txt");
            if let Err(e) = run_drift(kubectl, &drift_commands(&text), home).await {
                report.fail(&label, e);
                return;
            }
        }
        let body = match body_for(file) {
            Some(m) => std::fs::read_to_string(dir.join(m)).expect("manifest"),
            None => String::new(),
        };
        if method == "GET" {
            // The recorder polled until controllers were done; so does the test.
            settle(ep, path).await;
        }
        let got = replay(
            ep,
            Request {
                method,
                content_type: e["content_type"].as_str().unwrap_or("application/json"),
                body: &body,
                ..Request::get(ep, path)
            },
        )
        .await;
        let want = std::fs::read_to_string(dir.join(file)).expect("recorded response");
        let want_code = e["status"].as_u64().unwrap_or_default() as u16;
        report.check(
            &label,
            &got,
            &Recorded {
                code: want_code,
                content_type: None,
                body: &want,
            },
        );
    }
}
