//! The watch sample (`watch-sample.actions.txt`): a watch on the `corpus` ConfigMaps from
//! the list's resourceVersion with bookmarks, while a ConfigMap is created (SSA), updated
//! (SSA, then a merge patch with no fieldManager) and deleted; the stream is compared event
//! by event with `watch-sample.jsonl`.

use super::{CURL, Recorded, Report, replay};
use crate::common::sandbox::{Request, send};
use serde_json::Value;
use sextant::sandbox::ClusterEndpoint;
use std::path::Path;

const URL: &str = "/api/v1/namespaces/corpus/configmaps/watch-demo";

fn applied(color: &str) -> String {
    format!(
        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: watch-demo\n  namespace: corpus\ndata:\n  color: {color}\n"
    )
}

/// The events of a watch body, one JSON document a line, as a JSON array.
fn events(body: &str) -> Result<Value, String> {
    body.lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| serde_json::from_str(l).map_err(|e| format!("a watch line is not JSON ({e}): {l}")))
        .collect::<Result<Vec<Value>, String>>()
        .map(Value::Array)
}

pub async fn replay_sample(ep: &ClusterEndpoint, root: &Path, report: &mut Report) {
    let label = "watch-sample.jsonl";
    let list = replay(ep, Request::get(ep, "/api/v1/namespaces/corpus/configmaps")).await;
    let list: Value = serde_json::from_str(&list.body).unwrap_or_default();
    let rv = list["metadata"]["resourceVersion"]
        .as_str()
        .unwrap_or_default()
        .to_string();
    // The recorder's curl ran until --max-time; here the server ends the watch after 7 s,
    // enough for the sandbox's first bookmark (every 5 s; the real server's came at 60 s).
    let watch_url = format!(
        "/api/v1/namespaces/corpus/configmaps?watch=true&resourceVersion={rv}&allowWatchBookmarks=true&timeoutSeconds=7"
    );
    let ep2 = ep.clone();
    let watch = tokio::spawn(async move {
        let req = Request {
            user_agent: CURL,
            ..Request::get(&ep2, &watch_url)
        };
        send(&ep2, &req).await
    });
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    let ssa = |body: String| async move {
        let url = format!("{URL}?fieldManager=sextant&force=true");
        let r = Request {
            method: "PATCH",
            content_type: "application/apply-patch+yaml",
            body: &body,
            ..Request::get(ep, &url)
        };
        replay(ep, r).await.code
    };
    let mut codes = vec![ssa(applied("blue")).await, ssa(applied("green")).await];
    let merge = Request {
        method: "PATCH",
        content_type: "application/merge-patch+json",
        body: r#"{"metadata":{"labels":{"touched":"yes"}}}"#,
        ..Request::get(ep, URL)
    };
    codes.push(replay(ep, merge).await.code);
    let delete = Request {
        method: "DELETE",
        ..Request::get(ep, URL)
    };
    codes.push(replay(ep, delete).await.code);
    if codes != [201, 200, 200, 200] {
        report.fail(
            label,
            format!("actions answered {codes:?}, recorded [201, 200, 200, 200]"),
        );
    }
    let Ok((code, content_type, body)) = watch.await else {
        return report.fail(label, "the watch task failed");
    };
    let headers = std::fs::read_to_string(root.join("watch-sample.headers.txt")).expect("watch headers");
    let recorded_ct = headers
        .lines()
        .find_map(|l| l.strip_prefix("content-type: "))
        .unwrap_or("application/json");
    let want = std::fs::read_to_string(root.join("watch-sample.jsonl")).expect("watch sample");
    let (Ok(got_events), Ok(want_events)) = (events(&body), events(&want)) else {
        return report.fail(
            label,
            format!("the stream is not one JSON event a line: {body:?}"),
        );
    };
    if body.lines().any(|l| l.starts_with(' ')) {
        report.fail(label, "watch events are not compact JSON, one a line");
    }
    let as_json = |v: &Value| v.to_string();
    report.check(
        label,
        &super::Answer {
            code,
            content_type,
            body: as_json(&got_events),
        },
        &Recorded {
            code: 200,
            content_type: Some(recorded_ct),
            body: &as_json(&want_events),
        },
    );
}
