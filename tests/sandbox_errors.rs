//! The sandbox's error responses against the corpus' `errors/`: each recorded request
//! (with its setup and identity) must give the same HTTP status and the same body.

mod common;

use common::sandbox::{corpus_dir, http, start};
use serde_json::Value;
use sextant::sandbox::ClusterEndpoint;

/// Recorded errors the sandbox does not reproduce yet: the typed-schema checks of built-in kinds.
const NOT_REPRODUCED: &[&str] = &[];

async fn send(
    ep: &ClusterEndpoint,
    token: &str,
    method: &str,
    path: &str,
    ct: &str,
    body: &str,
) -> (u16, String, String) {
    http(ep, token, method, path, ct, body).await
}

async fn setup(ep: &ClusterEndpoint, corpus: &std::path::Path) {
    let admin = ep.admin_token.clone();
    let ns = r#"{"apiVersion":"v1","kind":"Namespace","metadata":{"name":"corpus"}}"#;
    assert_eq!(
        send(ep, &admin, "POST", "/api/v1/namespaces", "application/json", ns)
            .await
            .0,
        201
    );
    for case in [
        "06-configmap",
        "07-secret-stringdata",
        "01-deployment-defaults",
        "23-crd-schema-default",
    ] {
        let text =
            std::fs::read_to_string(corpus.join("cases").join(case).join("manifest.yaml")).expect("manifest");
        let m: Value = sextant::yaml::from_str(&text).expect("yaml");
        let name = m["metadata"]["name"].as_str().unwrap_or_default();
        let path = match (case, m["kind"].as_str()) {
            (_, Some("ConfigMap")) => format!("/api/v1/namespaces/corpus/configmaps/{name}"),
            (_, Some("Secret")) => format!("/api/v1/namespaces/corpus/secrets/{name}"),
            (_, Some("Deployment")) => format!("/apis/apps/v1/namespaces/corpus/deployments/{name}"),
            _ => format!("/apis/apiextensions.k8s.io/v1/customresourcedefinitions/{name}"),
        };
        let url = format!("{path}?fieldManager=sextant&force=true");
        let (code, _, body) = send(ep, &admin, "PATCH", &url, "application/apply-patch+yaml", &text).await;
        assert!(code < 300, "{case}: {code} {body}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn recorded_errors_are_reproduced() {
    let corpus = corpus_dir();
    let sandbox = start(&["errors"], false).await;
    let ep = sandbox.clusters()[0].clone();
    setup(&ep, &corpus).await;
    let index: Value = sextant::yaml::from_str(
        &std::fs::read_to_string(corpus.join("errors/index.yaml")).expect("errors index"),
    )
    .expect("index parses");
    let entries = index.as_array().expect("a list");
    assert!(entries.len() >= 25);
    let mut failures = Vec::new();
    let mut checked = 0;
    for e in entries {
        let file = e["file"].as_str().unwrap_or_default();
        if NOT_REPRODUCED.contains(&file) {
            continue;
        }
        let method = e["method"].as_str().unwrap_or_default();
        let path = e["path"].as_str().unwrap_or_default();
        let ct = e["request_content_type"].as_str().unwrap_or("application/json");
        let body = e["request_body"].as_str().unwrap_or_default();
        let identity = e["identity"].as_str().unwrap_or_default();
        let token = if identity == "viewer" {
            ep.readonly_token.clone()
        } else if identity.contains("not-a-valid-token") {
            "not-a-valid-token".to_string()
        } else {
            ep.admin_token.clone()
        };
        if file.starts_with("409-apply-conflict") {
            let setup = path.replace("fieldManager=sextant", "fieldManager=other-team");
            let other = body
                .replace("owner: sextant", "owner: other-team")
                .replace("  note: from-git\n", "");
            send(
                &ep,
                &ep.admin_token,
                "PATCH",
                &setup,
                "application/apply-patch+yaml",
                &other,
            )
            .await;
            if file.contains("two-managers") {
                let edit =
                    path.split('?').next().unwrap_or_default().to_string() + "?fieldManager=kubectl-edit";
                let patch = r#"{"data":{"note":"edited"}}"#;
                send(
                    &ep,
                    &ep.admin_token,
                    "PATCH",
                    &edit,
                    "application/merge-patch+json",
                    patch,
                )
                .await;
            }
        }
        let (code, got_ct, got) = send(&ep, &token, method, path, ct, body).await;
        let want_code = e["status"].as_u64().unwrap_or_default() as u16;
        let want = std::fs::read_to_string(corpus.join("errors").join(file)).expect("recorded body");
        checked += 1;
        if code != want_code {
            failures.push(format!("{file}: status {code}, want {want_code}: {got}"));
            continue;
        }
        if file.ends_with(".txt") {
            if got != want || !got_ct.starts_with("text/plain") {
                failures.push(format!("{file}: body {got:?} ({got_ct}), want {want:?}"));
            }
            continue;
        }
        let want: Value = serde_json::from_str(&want).expect("recorded JSON");
        let got: Value = serde_json::from_str(&got).unwrap_or(Value::Null);
        // YAML parser messages differ between Go and Rust; the rest of that body must match.
        let (want, got) = if file == "400-apply-malformed-yaml.json" {
            (without_message(&want), without_message(&got))
        } else {
            (want, got)
        };
        if want != got {
            failures.push(format!("{file}:\n  want {want}\n  got  {got}"));
        }
    }
    assert!(checked >= 23, "only {checked} errors checked");
    assert!(
        failures.is_empty(),
        "{} error bodies differ:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

fn without_message(v: &Value) -> Value {
    let mut v = v.clone();
    if let Some(o) = v.as_object_mut() {
        o.remove("message");
    }
    v
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bad_input_gets_clear_errors_not_crashes() {
    let sandbox = start(&["bad-input"], false).await;
    let ep = sandbox.clusters()[0].clone();
    let t = ep.admin_token.clone();
    let (code, _, body) = send(
        &ep,
        &t,
        "POST",
        "/api/v1/namespaces",
        "application/json",
        "{not json",
    )
    .await;
    assert_eq!(code, 400, "{body}");
    let big = format!(
        "{{\"metadata\":{{\"name\":\"x\"}},\"data\":{{\"k\":\"{}\"}}}}",
        "a".repeat(4 * 1024 * 1024)
    );
    let (code, _, _) = send(
        &ep,
        &t,
        "POST",
        "/api/v1/namespaces/default/configmaps",
        "application/json",
        &big,
    )
    .await;
    assert_eq!(code, 413);
    let (code, _, body) = send(
        &ep,
        &t,
        "PATCH",
        "/api/v1/namespaces/default/configmaps/x",
        "application/json-patch+json",
        "[]",
    )
    .await;
    assert_eq!(code, 404, "{body}");
    let (code, _, body) = send(
        &ep,
        &t,
        "GET",
        "/api/v1/namespaces/default/configmaps?labelSelector=a%20in%20b",
        "",
        "",
    )
    .await;
    assert_eq!(code, 400, "{body}");
    let labels_not_a_map = r#"{"metadata":{"name":"y","labels":"oops"}}"#;
    let (code, _, body) = send(
        &ep,
        &t,
        "POST",
        "/api/v1/namespaces/default/configmaps",
        "application/json",
        labels_not_a_map,
    )
    .await;
    assert_eq!(code, 400, "{body}");
    assert!(body.contains("metadata.labels"), "{body}");
    let ok = r#"{"metadata":{"name":"z"}}"#;
    assert_eq!(
        send(
            &ep,
            &t,
            "POST",
            "/api/v1/namespaces/default/configmaps",
            "application/json",
            ok
        )
        .await
        .0,
        201
    );
    let ct = "application/strategic-merge-patch+json";
    let (code, _, body) = send(
        &ep,
        &t,
        "PATCH",
        "/api/v1/namespaces/default/configmaps/z",
        ct,
        "[1,2]",
    )
    .await;
    assert_eq!(code, 400, "{body}");
    let apply = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: z\n  annotations: [a]\n";
    let url = "/api/v1/namespaces/default/configmaps/z?fieldManager=t";
    let (code, _, body) = send(&ep, &t, "PATCH", url, "application/apply-patch+yaml", apply).await;
    assert_eq!(code, 400, "{body}");
    // The server still answers after all that.
    assert_eq!(send(&ep, &t, "GET", "/api/v1/namespaces", "", "").await.0, 200);
}
