//! `kubectl proxy --port=0` in front of the sandbox, read with plain HTTP as kubectl's own
//! proxy tests do: health, discovery, a list, a 404, and the server's `/metrics`.

use crate::common::sandbox::KUBECTL_VERSIONS;
use crate::support::setup;
use std::time::Duration;
use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader};

/// GET over plain HTTP/1.1: (status code, body).
async fn get(addr: &str, path: &str) -> (u16, String) {
    let mut s = tokio::net::TcpStream::connect(addr)
        .await
        .expect("proxy reachable");
    let req =
        format!("GET {path} HTTP/1.1\r\nHost: {addr}\r\nUser-Agent: peer-test\r\nConnection: close\r\n\r\n");
    s.write_all(req.as_bytes()).await.expect("request sent");
    let mut buf = Vec::new();
    let _ = s.read_to_end(&mut buf).await;
    let text = String::from_utf8_lossy(&buf).into_owned();
    let (head, body) = text.split_once("\r\n\r\n").unwrap_or((&text, ""));
    let code = head
        .split_whitespace()
        .nth(1)
        .and_then(|c| c.parse().ok())
        .unwrap_or(0);
    (code, body.to_string())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn kubectl_proxy_serves_the_api_over_plain_http() {
    for version in KUBECTL_VERSIONS {
        let Some((_sandbox, k)) = setup(version, false).await else {
            continue;
        };
        for prefix in ["", "/custom"] {
            let mut args = vec!["proxy", "--port=0"];
            let flag = format!("--api-prefix={prefix}/");
            if !prefix.is_empty() {
                args.push(&flag);
            }
            let mut cmd = k.command(&args);
            cmd.stdout(std::process::Stdio::piped())
                .stderr(std::process::Stdio::null());
            let mut child = cmd.spawn().expect("kubectl proxy runs");
            let mut lines = BufReader::new(child.stdout.take().expect("stdout")).lines();
            let first = tokio::time::timeout(Duration::from_secs(20), lines.next_line())
                .await
                .expect("proxy starts")
                .expect("stdout readable")
                .unwrap_or_default();
            let addr = first
                .strip_prefix("Starting to serve on ")
                .unwrap_or_else(|| panic!("{version}: {first}"))
                .to_string();

            let (code, body) = get(&addr, &format!("{prefix}/healthz")).await;
            assert_eq!((code, body.as_str()), (200, "ok"), "{version}{prefix}");
            let (code, body) = get(&addr, &format!("{prefix}/api/v1/namespaces")).await;
            assert_eq!(code, 200, "{version}{prefix}: {body}");
            let list: serde_json::Value = serde_json::from_str(&body).expect("JSON list");
            assert!(
                list["items"]
                    .as_array()
                    .is_some_and(|i| i.iter().any(|n| n["metadata"]["name"] == "shop")),
                "{body}"
            );
            assert_eq!(get(&addr, &format!("{prefix}/api/kubernetes")).await.0, 404);
            assert_eq!(get(&addr, &format!("{prefix}/apis/apps/")).await.0, 200);
            let (code, body) = get(&addr, &format!("{prefix}/metrics")).await;
            assert_eq!(code, 200, "{version}{prefix}: {body}");
            assert!(
                body.contains("apiserver_storage_objects{resource=\"namespaces\"} 5"),
                "{body}"
            );
            let _ = child.kill().await;
        }
    }
}
