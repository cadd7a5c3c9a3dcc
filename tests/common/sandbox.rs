//! Shared helpers for sandbox tests: start a sandbox, run the real kubectl against it with
//! its own kubeconfig and cache dir, and make raw HTTP requests with a bearer token.
#![allow(dead_code)]

use serde_json::Value;
use sextant::sandbox::{ClusterEndpoint, Sandbox, SandboxOptions};
use std::path::{Path, PathBuf};
use std::process::Output;
use tempfile::TempDir;

/// The golden corpus recorded from a real kube-apiserver, copied into `tests/fixtures`.
pub fn corpus_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/apiserver-corpus")
}

/// A kube-rs client for one of the sandbox's contexts, through the kubeconfig it writes.
pub async fn kube_client(sandbox: &Sandbox, context: &str) -> kube::Client {
    use kube::config::{KubeConfigOptions, Kubeconfig};
    sextant::install_crypto_provider();
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("kubeconfig");
    sandbox.write_kubeconfig(&path).expect("kubeconfig written");
    let kc = Kubeconfig::read_from(&path).expect("kubeconfig reads");
    let opts = KubeConfigOptions {
        context: Some(context.to_string()),
        ..Default::default()
    };
    let config = kube::Config::from_custom_kubeconfig(kc, &opts)
        .await
        .expect("config");
    kube::Client::try_from(config).expect("client")
}

pub async fn start(names: &[&str], controllers: bool) -> Sandbox {
    let opts = SandboxOptions {
        cluster_names: names.iter().map(|s| s.to_string()).collect(),
        port: 0,
        simulate_controllers: controllers,
    };
    Sandbox::start(opts).await.expect("sandbox starts")
}

/// The real kubectl, isolated: its own kubeconfig and discovery cache per test.
pub struct Kubectl {
    dir: TempDir,
    kubeconfig: PathBuf,
    binary: PathBuf,
}

/// The kubectl minor versions the peer tests run with where they matter.
pub const KUBECTL_VERSIONS: [&str; 3] = ["1.28", "1.29", "1.33"];

pub fn kubectl_path() -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .map(|d| d.join("kubectl"))
        .find(|p| p.is_file())
}

/// `kubectl.1.NN` for `minor` ("1.28"): the versioned binaries the kubectl dispatcher picks
/// from, which sit next to the dispatcher (or next to gcloud, whose SDK ships them).
pub fn versioned_kubectl(minor: &str) -> Option<PathBuf> {
    let name = format!("kubectl.{minor}");
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .flat_map(|d| [d.join("kubectl"), d.join("gcloud")])
        .filter_map(|p| std::fs::canonicalize(p).ok())
        .filter_map(|p| p.parent().map(|d| d.join(&name)))
        .find(|p| p.is_file())
}

impl Kubectl {
    /// `None` (after printing a visible SKIP line) when kubectl is not installed.
    pub fn new(sandbox: &Sandbox) -> Option<Kubectl> {
        let Some(binary) = kubectl_path() else {
            println!("SKIP: kubectl not found on PATH");
            return None;
        };
        Some(Kubectl::with_binary(sandbox, binary))
    }

    /// kubectl of one minor version ("1.27" .. "1.33") rather than the one the dispatcher
    /// picks from the server's /version; `None` (after a visible SKIP line) when that
    /// binary is absent.
    pub fn version(sandbox: &Sandbox, minor: &str) -> Option<Kubectl> {
        let Some(binary) = versioned_kubectl(minor) else {
            println!("SKIP: kubectl.{minor} not found next to kubectl or gcloud on PATH");
            return None;
        };
        Some(Kubectl::with_binary(sandbox, binary))
    }

    fn with_binary(sandbox: &Sandbox, binary: PathBuf) -> Kubectl {
        let dir = tempfile::tempdir().expect("temp dir");
        let kubeconfig = dir.path().join("kubeconfig");
        sandbox.write_kubeconfig(&kubeconfig).expect("kubeconfig written");
        Kubectl {
            dir,
            kubeconfig,
            binary,
        }
    }

    pub fn kubeconfig(&self) -> &Path {
        &self.kubeconfig
    }

    pub fn command(&self, args: &[&str]) -> tokio::process::Command {
        let mut cmd = tokio::process::Command::new(&self.binary);
        cmd.arg("--kubeconfig")
            .arg(&self.kubeconfig)
            .arg("--cache-dir")
            .arg(self.dir.path().join("cache"));
        cmd.args(args);
        cmd.env_remove("KUBECONFIG");
        cmd.kill_on_drop(true);
        cmd
    }

    /// Run kubectl with optional stdin and wait for it.
    pub async fn run(&self, args: &[&str], stdin: Option<&str>) -> Output {
        use tokio::io::AsyncWriteExt;
        let mut cmd = self.command(args);
        cmd.stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped());
        let mut child = cmd.spawn().expect("kubectl runs");
        let mut input = child.stdin.take().expect("stdin");
        if let Some(text) = stdin {
            input.write_all(text.as_bytes()).await.expect("stdin written");
        }
        drop(input);
        child.wait_with_output().await.expect("kubectl finishes")
    }

    /// Run and require success; returns stdout.
    pub async fn ok(&self, args: &[&str], stdin: Option<&str>) -> String {
        let out = self.run(args, stdin).await;
        assert!(
            out.status.success(),
            "kubectl {args:?} failed ({:?}):\nstdout: {}\nstderr: {}",
            out.status.code(),
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8_lossy(&out.stdout).into_owned()
    }

    pub async fn json(&self, args: &[&str]) -> Value {
        let mut all: Vec<&str> = args.to_vec();
        all.extend(["-o", "json"]);
        let out = self.ok(&all, None).await;
        serde_json::from_str(&out).expect("kubectl printed JSON")
    }
}

/// One raw request: what the corpus' recorder sent (curl) or any other client.
pub struct Request<'a> {
    pub method: &'a str,
    pub path: &'a str,
    pub token: &'a str,
    pub accept: &'a str,
    pub content_type: &'a str,
    pub user_agent: &'a str,
    pub body: &'a str,
}

impl<'a> Request<'a> {
    /// A GET with the admin token, `Accept: application/json`.
    pub fn get(ep: &'a ClusterEndpoint, path: &'a str) -> Request<'a> {
        Request {
            method: "GET",
            path,
            token: &ep.admin_token,
            accept: "application/json",
            content_type: "application/json",
            user_agent: "sandbox-test/1.0",
            body: "",
        }
    }
}

/// A raw HTTPS/1.1 request with a bearer token (no client library in the way).
pub async fn http(
    ep: &ClusterEndpoint,
    token: &str,
    method: &str,
    path: &str,
    content_type: &str,
    body: &str,
) -> (u16, String, String) {
    let req = Request {
        method,
        token,
        content_type,
        body,
        ..Request::get(ep, path)
    };
    send(ep, &req).await
}

/// Send `req` over a fresh connection; returns the status, the content type and the body.
pub async fn send(ep: &ClusterEndpoint, r: &Request<'_>) -> (u16, String, String) {
    use rustls::pki_types::pem::PemObject;
    use rustls::pki_types::{CertificateDer, ServerName};
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let mut roots = rustls::RootCertStore::empty();
    for cert in CertificateDer::pem_slice_iter(ep.certificate_authority.as_bytes()) {
        roots.add(cert.expect("CA parses")).expect("CA added");
    }
    let provider = std::sync::Arc::new(rustls::crypto::aws_lc_rs::default_provider());
    let config = rustls::ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .expect("TLS versions")
        .with_root_certificates(roots)
        .with_no_client_auth();
    let connector = tokio_rustls::TlsConnector::from(std::sync::Arc::new(config));
    let addr = ep.server.trim_start_matches("https://");
    let tcp = tokio::net::TcpStream::connect(addr).await.expect("connect");
    let name = ServerName::try_from("127.0.0.1").expect("server name");
    let mut s = connector.connect(name, tcp).await.expect("TLS handshake");
    let req = format!(
        "{} {} HTTP/1.1\r\nHost: {addr}\r\nAuthorization: Bearer {}\r\nUser-Agent: {}\r\nAccept: {}\r\nContent-Type: {}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{}",
        r.method,
        r.path,
        r.token,
        r.user_agent,
        r.accept,
        r.content_type,
        r.body.len(),
        r.body
    );
    // A server may answer before the body is all sent (413 for a body over its limit) and
    // close: the write then fails, and the answer is still there to read.
    let _ = s.write_all(req.as_bytes()).await;
    let mut buf = Vec::new();
    let _ = s.read_to_end(&mut buf).await;
    let text = String::from_utf8_lossy(&buf).into_owned();
    let (head, body) = text.split_once("\r\n\r\n").unwrap_or((&text, ""));
    let code: u16 = head
        .split_whitespace()
        .nth(1)
        .and_then(|c| c.parse().ok())
        .unwrap_or(0);
    let ct = head
        .lines()
        .find_map(|l| {
            let (name, value) = l.split_once(':')?;
            name.eq_ignore_ascii_case("content-type")
                .then(|| value.trim().to_string())
        })
        .unwrap_or_default();
    let body = if head.to_ascii_lowercase().contains("transfer-encoding: chunked") {
        dechunk(body)
    } else {
        body.to_string()
    };
    (code, ct, body)
}

/// `http` for JSON bodies: the status code and the parsed body (Null when not JSON).
pub async fn call(
    ep: &ClusterEndpoint,
    method: &str,
    path: &str,
    content_type: &str,
    body: &str,
) -> (u16, Value) {
    let (code, _, text) = http(ep, &ep.admin_token, method, path, content_type, body).await;
    (code, serde_json::from_str(&text).unwrap_or(Value::Null))
}

fn dechunk(s: &str) -> String {
    let mut out = String::new();
    let mut rest = s;
    while let Some((size, after)) = rest.split_once("\r\n") {
        let Ok(n) = usize::from_str_radix(size.trim(), 16) else {
            break;
        };
        if n == 0 || after.len() < n {
            break;
        }
        out.push_str(&after[..n]);
        rest = after[n..].trim_start_matches("\r\n");
    }
    out
}
