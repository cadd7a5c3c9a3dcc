//! Discovery documents (`discovery/index.yaml`): /api, /api/v1, /apis, /apis/apps/v1, the
//! CRD group, /version and aggregated discovery, with the Accept header kubectl sends.

use super::{Recorded, Report, replay};
use crate::common::sandbox::Request;
use serde_json::Value;
use sextant::sandbox::ClusterEndpoint;
use std::path::Path;

pub async fn replay_all(ep: &ClusterEndpoint, root: &Path, report: &mut Report) -> usize {
    let dir = root.join("discovery");
    let index = std::fs::read_to_string(dir.join("index.yaml")).expect("discovery index");
    let index: Value = sextant::yaml::from_str(&index).expect("discovery index parses");
    let entries = index.as_array().expect("a list");
    for e in entries {
        let file = e["file"].as_str().unwrap_or_default();
        let got = replay(
            ep,
            Request {
                method: e["method"].as_str().unwrap_or("GET"),
                accept: e["accept"].as_str().unwrap_or("application/json"),
                ..Request::get(ep, e["path"].as_str().unwrap_or_default())
            },
        )
        .await;
        let want = std::fs::read_to_string(dir.join(file)).expect("recorded discovery");
        report.check(
            &format!("discovery/{file}"),
            &got,
            &Recorded {
                code: e["status"].as_u64().unwrap_or_default() as u16,
                content_type: e["response_content_type"].as_str(),
                body: &want,
            },
        );
    }
    entries.len()
}
