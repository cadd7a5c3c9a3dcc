//! Kubeconfig loading (like kubectl: `--kubeconfig`, else `KUBECONFIG` with several files
//! merged, else `~/.kube/config`), one client per context, and the state of each cluster.

use kube::config::{KubeConfigOptions, Kubeconfig};
use kube::{Client, Config};
use serde::Serialize;
use std::fmt;
use std::path::Path;
use std::time::Duration;

/// How long to wait for a cluster to answer before calling it unreachable.
pub const CONNECT_TIMEOUT: Duration = Duration::from_secs(8);

/// Where a cluster stands, as shown to the user.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "state", content = "reason", rename_all = "lowercase")]
pub enum ClusterState {
    Connecting,
    Ready,
    /// No answer, a TLS failure, or no such context.
    Unreachable(String),
    /// The server answered 401 (expired or bad credentials) or 403.
    Forbidden(String),
}

impl ClusterState {
    pub fn is_ready(&self) -> bool {
        matches!(self, ClusterState::Ready)
    }

    /// Unreachable or forbidden: the cluster gives no live state until it recovers.
    pub fn is_down(&self) -> bool {
        matches!(self, ClusterState::Unreachable(_) | ClusterState::Forbidden(_))
    }
}

impl fmt::Display for ClusterState {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ClusterState::Connecting => f.write_str("connecting"),
            ClusterState::Ready => f.write_str("ready"),
            ClusterState::Unreachable(r) => write!(f, "unreachable: {r}"),
            ClusterState::Forbidden(r) => write!(f, "forbidden: {r}"),
        }
    }
}

/// Load the kubeconfig like kubectl does. The error names the file(s) tried.
pub fn load_kubeconfig(explicit: Option<&Path>) -> Result<Kubeconfig, String> {
    match explicit {
        Some(path) if !path.exists() => Err(format!(
            "no kubeconfig: {} does not exist (pass --kubeconfig FILE)",
            path.display()
        )),
        Some(path) => {
            Kubeconfig::read_from(path).map_err(|e| format!("cannot load kubeconfig {}: {e}", path.display()))
        }
        // The usual first run without any cluster set up: say so plainly, and what to do.
        None if std::env::var_os("KUBECONFIG").is_none()
            && directories::BaseDirs::new().is_some_and(|d| !d.home_dir().join(".kube/config").exists()) =>
        {
            Err(
                "no kubeconfig: ~/.kube/config does not exist and KUBECONFIG is not set \
                 (pass --kubeconfig FILE, or try `sextant demo`)"
                    .to_string(),
            )
        }
        None => Kubeconfig::read().map_err(|e| {
            let from = std::env::var("KUBECONFIG").map(|v| format!("KUBECONFIG={v}"));
            let from = from.unwrap_or_else(|_| "~/.kube/config".to_string());
            format!("cannot load kubeconfig from {from}: {e} (pass --kubeconfig FILE)")
        }),
    }
}

/// The contexts a kubeconfig defines.
pub fn context_names(kubeconfig: &Kubeconfig) -> Vec<String> {
    kubeconfig.contexts.iter().map(|c| c.name.clone()).collect()
}

/// A client for one context, checked with `GET /api` within [`CONNECT_TIMEOUT`].
pub async fn connect(kubeconfig: &Kubeconfig, context: &str) -> Result<Client, ClusterState> {
    if !kubeconfig.contexts.iter().any(|c| c.name == context) {
        let known = context_names(kubeconfig).join(", ");
        return Err(ClusterState::Unreachable(format!(
            "no context `{context}` in the kubeconfig (contexts: {known}); add it or alias it in config.yaml"
        )));
    }
    let options = KubeConfigOptions {
        context: Some(context.to_string()),
        ..KubeConfigOptions::default()
    };
    let mut config = Config::from_custom_kubeconfig(kubeconfig.clone(), &options)
        .await
        .map_err(|e| ClusterState::Unreachable(format!("kubeconfig context `{context}`: {e}")))?;
    config.connect_timeout = Some(CONNECT_TIMEOUT);
    let client = Client::try_from(config)
        .map_err(|e| ClusterState::Unreachable(format!("cannot build a client for `{context}`: {e}")))?;
    // `/api` rather than `/version`: servers answer `/version` to anyone, so only an
    // authenticated request tells a rejected token apart from a working one.
    match tokio::time::timeout(CONNECT_TIMEOUT, client.list_core_api_versions()).await {
        Ok(Ok(_)) => Ok(client),
        Ok(Err(e)) => Err(classify(&e)),
        Err(_) => Err(ClusterState::Unreachable(format!(
            "no answer within {}s",
            CONNECT_TIMEOUT.as_secs()
        ))),
    }
}

/// Turn a client error into the cluster state it implies. Messages never include tokens.
pub fn classify(err: &kube::Error) -> ClusterState {
    match err {
        kube::Error::Api(status) if status.code == 401 => ClusterState::Forbidden(
            "the server rejected the credentials (401 Unauthorized): the token may have expired; log in again"
                .into(),
        ),
        kube::Error::Api(status) if status.code == 403 => ClusterState::Forbidden(format!(
            "403 Forbidden: {}",
            status.message
        )),
        other => ClusterState::Unreachable(describe(other)),
    }
}

/// A kube error in one readable line: `404 the server could not find...` for API errors
/// (not the Debug dump of the Status), the cause chain for transport errors.
pub fn describe(err: &kube::Error) -> String {
    match err {
        kube::Error::Api(status) => format!("{} {}", status.code, status.message),
        other => error_chain(other),
    }
}

/// An error and its causes on one line (`client error (Connect): Connection refused`): the
/// top-level message of a transport error rarely says what went wrong.
pub fn error_chain(err: &dyn std::error::Error) -> String {
    let mut parts = vec![err.to_string()];
    let mut source = err.source();
    while let Some(e) = source {
        let text = e.to_string();
        if !parts.iter().any(|p| p.contains(&text)) {
            parts.push(text);
        }
        source = e.source();
    }
    parts.join(": ")
}

#[cfg(test)]
mod tests {
    use super::*;

    const TWO: &str = "apiVersion: v1\nkind: Config\nclusters:\n- name: a\n  cluster: {server: 'http://127.0.0.1:9'}\ncontexts:\n- name: a\n  context: {cluster: a, user: u}\nusers:\n- name: u\n  user: {token: secret-token}\ncurrent-context: a\n";

    #[tokio::test]
    async fn unknown_context_and_dead_server_are_unreachable() {
        let kc = Kubeconfig::from_yaml(TWO).unwrap();
        let Err(err) = connect(&kc, "nope").await else {
            panic!("connected to a missing context")
        };
        assert!(
            matches!(&err, ClusterState::Unreachable(r) if r.contains("contexts: a")),
            "{err}"
        );
        let Err(err) = connect(&kc, "a").await else {
            panic!("connected to a dead server")
        };
        assert!(err.is_down(), "{err}");
        assert!(!err.to_string().contains("secret-token"));
    }

    #[test]
    fn missing_file_names_it() {
        let err = load_kubeconfig(Some(Path::new("/nonexistent/kc"))).unwrap_err();
        assert_eq!(
            err,
            "no kubeconfig: /nonexistent/kc does not exist (pass --kubeconfig FILE)"
        );
    }
}
