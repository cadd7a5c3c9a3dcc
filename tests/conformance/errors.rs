//! Error responses (`errors/index.yaml`): each recorded request with its identity and
//! setup, replayed after the cases (whose objects the errors were recorded against).

use super::{Recorded, Report, replay};
use crate::common::corpus::run_drift;
use crate::common::sandbox::{Kubectl, Request};
use serde_json::Value;
use sextant::sandbox::ClusterEndpoint;
use std::path::Path;

/// The setup an entry describes: an apply by `other-team` of the same object ("PATCH same
/// URL with ?fieldManager=other-team …", "as above"), then the kubectl command after "then:".
async fn setup(ep: &ClusterEndpoint, kubectl: &Kubectl, home: &Path, e: &Value) -> Result<(), String> {
    let Some(setup) = e["setup"].as_str() else {
        return Ok(());
    };
    let path = e["path"].as_str().unwrap_or_default();
    if setup.contains("fieldManager=other-team") || setup.starts_with("as above") {
        let url = path.replace("fieldManager=sextant", "fieldManager=other-team");
        let body = e["request_body"]
            .as_str()
            .unwrap_or_default()
            .replace("owner: sextant", "owner: other-team")
            .replace("  note: from-git\n", "");
        let got = replay(
            ep,
            Request {
                method: "PATCH",
                content_type: "application/apply-patch+yaml",
                body: &body,
                ..Request::get(ep, &url)
            },
        )
        .await;
        if got.code >= 300 {
            return Err(format!("setup apply: {} {}", got.code, got.body));
        }
    }
    if let Some((_, command)) = setup.split_once("then: ") {
        let ns = path
            .split("/namespaces/")
            .nth(1)
            .and_then(|r| r.split('/').next());
        let command = match ns {
            Some(ns) => format!("{command} -n {ns}"),
            None => command.to_string(),
        };
        run_drift(kubectl, &command, home).await?;
    }
    Ok(())
}

pub async fn replay_all(
    ep: &ClusterEndpoint,
    kubectl: &Kubectl,
    root: &Path,
    home: &Path,
    report: &mut Report,
) -> usize {
    let dir = root.join("errors");
    let index = std::fs::read_to_string(dir.join("index.yaml")).expect("errors index");
    let index: Value = sextant::yaml::from_str(&index).expect("errors index parses");
    let entries = index.as_array().expect("a list");
    for e in entries {
        let file = e["file"].as_str().unwrap_or_default();
        let label = format!("errors/{file}");
        if let Err(err) = setup(ep, kubectl, home, e).await {
            report.fail(&label, err);
            continue;
        }
        let identity = e["identity"].as_str().unwrap_or_default();
        let token = if identity == "viewer" {
            ep.readonly_token.as_str()
        } else if identity.contains("not-a-valid-token") {
            "not-a-valid-token"
        } else {
            ep.admin_token.as_str()
        };
        let got = replay(
            ep,
            Request {
                method: e["method"].as_str().unwrap_or("GET"),
                token,
                content_type: e["request_content_type"].as_str().unwrap_or("application/json"),
                body: e["request_body"].as_str().unwrap_or_default(),
                ..Request::get(ep, e["path"].as_str().unwrap_or_default())
            },
        )
        .await;
        let want = std::fs::read_to_string(dir.join(file)).expect("recorded error");
        report.check(
            &label,
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
