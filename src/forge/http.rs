//! The one HTTP client the forges use: reqwest's blocking client (already in the tree through
//! gix's HTTP transport, with rustls on the project's aws-lc-rs provider). Blocking, so async
//! callers use `spawn_blocking`. Statuses are mapped to [`ForgeError`]s here, once for all forges,
//! and every text that leaves this module has the token scrubbed out.

use super::detect::Forge;
use super::error::ForgeError;
use super::token::ForgeToken;
use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};
use serde_json::Value;
use std::time::Duration;

/// Characters left as they are in a path segment or query value (RFC 3986 unreserved).
const UNRESERVED: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

/// Largest response body read (a PR answer is a few kB).
const MAX_BODY: u64 = 4 << 20;

/// `text` encoded as one path segment: `group/sub/repo` becomes `group%2Fsub%2Frepo`.
pub(crate) fn path_segment(text: &str) -> String {
    utf8_percent_encode(text, UNRESERVED).to_string()
}

/// `text` encoded as a query value.
pub(crate) fn query_value(text: &str) -> String {
    utf8_percent_encode(text, UNRESERVED).to_string()
}

/// How one forge sends its token.
pub(crate) enum Auth {
    /// `Authorization: Bearer <t>` (GitHub).
    Bearer,
    /// `Authorization: token <t>` (Gitea, Forgejo).
    TokenScheme,
    /// `PRIVATE-TOKEN: <t>` (GitLab).
    PrivateToken,
}

/// One call to a forge API.
pub(crate) struct Call<'a> {
    pub forge: &'a Forge,
    pub token: &'a ForgeToken,
    pub auth: Auth,
    /// Extra headers (GitHub's Accept and API version).
    pub headers: &'a [(&'a str, &'a str)],
}

/// A 2xx answer is its JSON body (`Null` when there is none).
/// A non-2xx answer that the caller may handle itself (422/409 "already exists").
pub(crate) struct Refusal {
    pub status: u16,
    /// The forge's own words, scrubbed.
    pub message: String,
}

impl Call<'_> {
    /// GET `path` (under the API base, query included).
    pub(crate) fn get(&self, path: &str) -> Result<Result<Value, Refusal>, ForgeError> {
        self.send(reqwest::Method::GET, path, None)
    }

    /// POST `body` as JSON to `path`.
    pub(crate) fn post(&self, path: &str, body: &Value) -> Result<Result<Value, Refusal>, ForgeError> {
        self.send(reqwest::Method::POST, path, Some(body))
    }

    /// Send a request. Transport failures, 401/403 and 404 are errors; any other refusal is
    /// handed back for the caller to read.
    fn send(
        &self,
        method: reqwest::Method,
        path: &str,
        body: Option<&Value>,
    ) -> Result<Result<Value, Refusal>, ForgeError> {
        let url = format!("{}{path}", self.forge.api);
        let client = reqwest::blocking::Client::builder()
            .user_agent(concat!("sextant/", env!("CARGO_PKG_VERSION")))
            .connect_timeout(Duration::from_secs(10))
            .timeout(Duration::from_secs(30))
            .build()
            .map_err(|e| self.unreachable(&e))?;
        let secret = self.token.token.expose();
        let mut request = client.request(method.clone(), &url);
        request = match self.auth {
            Auth::Bearer => request.header("Authorization", format!("Bearer {secret}")),
            Auth::TokenScheme => request.header("Authorization", format!("token {secret}")),
            Auth::PrivateToken => request.header("PRIVATE-TOKEN", secret),
        };
        for (name, value) in self.headers {
            request = request.header(*name, *value);
        }
        if let Some(body) = body {
            request = request
                .header("Content-Type", "application/json")
                .body(serde_json::to_vec(body).unwrap_or_default());
        }
        let response = request.send().map_err(|e| self.unreachable(&e))?;
        let status = response.status().as_u16();
        let mut text = String::new();
        use std::io::Read;
        let _ = response.take(MAX_BODY).read_to_string(&mut text);
        let json: Value = serde_json::from_str(&text).unwrap_or(Value::Null);
        tracing::debug!(forge = %self.forge.kind, %method, url = %url, status, "forge API call");
        if (200..300).contains(&status) {
            return Ok(Ok(json));
        }
        let message = self.scrub(&describe(&json, &text));
        match status {
            401 | 403 => Err(ForgeError::Unauthorized {
                kind: self.forge.kind,
                host: self.forge.host.clone(),
                token_from: self.token.source.clone(),
                status,
                message,
            }),
            404 => Err(ForgeError::NotFound {
                kind: self.forge.kind,
                host: self.forge.host.clone(),
                repo: self.forge.repo.clone(),
                token_from: self.token.source.clone(),
            }),
            _ => Ok(Err(Refusal { status, message })),
        }
    }

    /// A transport failure, said by its root cause ("Connection refused", "dns error: ...").
    fn unreachable(&self, err: &reqwest::Error) -> ForgeError {
        let mut root: &dyn std::error::Error = err;
        while let Some(s) = root.source() {
            root = s;
        }
        let message = if err.is_timeout() {
            "no answer in time".to_owned()
        } else {
            root.to_string()
        };
        ForgeError::Unreachable {
            api: self.forge.api.clone(),
            message: self.scrub(&crate::git::redact_urls_in(&message)),
        }
    }

    /// Remove the token from text a server or a library wrote.
    pub(crate) fn scrub(&self, text: &str) -> String {
        let secret = self.token.token.expose();
        if secret.is_empty() {
            text.to_owned()
        } else {
            text.replace(secret, "***")
        }
    }

    /// The error for a refusal nobody handled.
    pub(crate) fn api_error(&self, refusal: Refusal) -> ForgeError {
        ForgeError::Api {
            kind: self.forge.kind,
            host: self.forge.host.clone(),
            status: refusal.status,
            message: refusal.message,
        }
    }

    /// The error for a 2xx answer without the fields it should have.
    pub(crate) fn bad_response(&self, what: &str) -> ForgeError {
        ForgeError::BadResponse {
            kind: self.forge.kind,
            host: self.forge.host.clone(),
            message: what.to_owned(),
        }
    }
}

/// The forge's own words: `message` (a string, or GitLab's list), GitHub's `errors[].message`,
/// Gitea's `message`; else the start of the body.
fn describe(json: &Value, text: &str) -> String {
    let mut parts = Vec::new();
    match json.get("message") {
        Some(Value::String(s)) => parts.push(s.clone()),
        Some(Value::Array(items)) => parts.extend(items.iter().filter_map(Value::as_str).map(str::to_owned)),
        Some(Value::Object(map)) => parts.extend(map.iter().map(|(k, v)| format!("{k} {v}"))),
        _ => {}
    }
    if let Some(Value::Array(errors)) = json.get("errors") {
        parts.extend(
            errors
                .iter()
                .filter_map(|e| e.get("message").and_then(Value::as_str).map(str::to_owned)),
        );
    }
    if let Some(Value::String(s)) = json.get("error") {
        parts.push(s.clone());
    }
    if parts.is_empty() {
        let snippet: String = text.chars().take(200).collect();
        parts.push(if snippet.trim().is_empty() {
            "no message".into()
        } else {
            snippet.trim().to_owned()
        });
    }
    parts.join("; ")
}

/// A string field of a JSON object.
pub(crate) fn str_field<'a>(json: &'a Value, key: &str) -> Option<&'a str> {
    json.get(key).and_then(Value::as_str)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn encodes_paths_and_describes_errors() {
        assert_eq!(path_segment("group/sub/app"), "group%2Fsub%2Fapp");
        assert_eq!(query_value("o:sextant/revert-1"), "o%3Asextant%2Frevert-1");
        let gh = serde_json::json!({"message": "Validation Failed", "errors": [{"message": "A pull request already exists for o:b."}]});
        assert_eq!(
            describe(&gh, ""),
            "Validation Failed; A pull request already exists for o:b."
        );
        let gl = serde_json::json!({"message": ["Another open merge request already exists for this source branch: !7"]});
        assert_eq!(
            describe(&gl, ""),
            "Another open merge request already exists for this source branch: !7"
        );
        assert_eq!(
            describe(&Value::Null, "<html>bad gateway</html>"),
            "<html>bad gateway</html>"
        );
    }
}
