//! Replaying every request the golden corpus recorded against one sandbox, and comparing
//! each answer with the recording: status code, content type and (for JSON) the shape and
//! values as `shape` compares them, less the differences the allow-list explains.

pub mod allow;
pub mod cases;
pub mod discovery;
pub mod errors;
pub mod lists;
pub mod shape;
pub mod watch;

use crate::common::sandbox::{Request, send};
use serde_json::Value;
use sextant::sandbox::ClusterEndpoint;

/// The User-Agent of the recorder (curl): the sandbox pretty-prints for it, as the real
/// server did, and names an unnamed field manager after it (`curl`).
pub const CURL: &str = "curl/8.5.0";

/// What the sandbox answered.
pub struct Answer {
    pub code: u16,
    pub content_type: String,
    pub body: String,
}

/// What the real server answered (`content_type: None` where the recording does not say:
/// plain `application/json` then, the type every recorded JSON file was served with).
pub struct Recorded<'a> {
    pub code: u16,
    pub content_type: Option<&'a str>,
    pub body: &'a str,
}

/// Send one request as the recorder did (curl's User-Agent, admin token unless given).
pub async fn replay(ep: &ClusterEndpoint, req: Request<'_>) -> Answer {
    let req = Request {
        user_agent: CURL,
        ..req
    };
    let (code, content_type, body) = send(ep, &req).await;
    Answer {
        code,
        content_type,
        body,
    }
}

/// Failures so far, and which allow-list entries explained something.
#[derive(Default)]
pub struct Report {
    pub failures: Vec<String>,
    pub allowed_used: Vec<bool>,
    pub checked: usize,
}

fn media_type(ct: &str) -> String {
    ct.split(';')
        .map(|p| p.trim().to_ascii_lowercase())
        .collect::<Vec<_>>()
        .join(";")
}

impl Report {
    pub fn new() -> Report {
        Report {
            allowed_used: vec![false; allow::ALLOWED.len()],
            ..Report::default()
        }
    }

    pub fn fail(&mut self, label: &str, what: impl std::fmt::Display) {
        self.failures.push(format!("{label}: {what}"));
    }

    /// Compare one answer with its recording; `label` names the recorded file.
    pub fn check(&mut self, label: &str, got: &Answer, want: &Recorded) {
        self.checked += 1;
        if got.code != want.code {
            let body: String = got.body.chars().take(300).collect();
            return self.fail(label, format!("status {} != {} ({body})", got.code, want.code));
        }
        let want_ct = want.content_type.unwrap_or("application/json");
        if media_type(&got.content_type) != media_type(want_ct) {
            self.fail(
                label,
                format!("content type {:?} != {want_ct:?}", got.content_type),
            );
        }
        let (Ok(w), g) = (
            serde_json::from_str::<Value>(want.body),
            serde_json::from_str::<Value>(&got.body),
        ) else {
            if got.body != want.body {
                self.fail(label, format!("body {:?} != {:?}", got.body, want.body));
            }
            return;
        };
        let Ok(g) = g else {
            return self.fail(label, format!("body is not JSON: {:?}", got.body));
        };
        self.check_json(label, &g, &w);
    }

    /// Compare two JSON documents (the sandbox's first).
    pub fn check_json(&mut self, label: &str, got: &Value, want: &Value) {
        let kind = want["kind"].as_str().unwrap_or_default();
        for d in shape::compare(got, want) {
            match allow::explained(label, kind, &d.path) {
                Some(i) => self.allowed_used[i] = true,
                None => self.fail(label, format!("{}: {}", d.path, d.what)),
            }
        }
    }

    /// Fail on allow-list entries that explained nothing: they are stale.
    pub fn finish(mut self) -> Vec<String> {
        for (i, used) in self.allowed_used.iter().enumerate() {
            if !used {
                let a = &allow::ALLOWED[i];
                self.failures.push(format!(
                    "allow-list entry ({}, {}) matched no difference: remove it",
                    a.file, a.path
                ));
            }
        }
        self.failures
    }
}
