//! Which forge a remote lives on, from its URL (https, ssh, `git@host:owner/repo.git`,
//! `ssh://git@host:2222/owner/repo`), with the user config able to say so per host; and the
//! forge's API base and web pages for that repository.

use super::ForgeKind;
use super::error::ForgeError;
use crate::config::{ForgeHostSettings, UserConfig};
use serde::Serialize;

/// A repository on a forge, and where its API and web pages are.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Forge {
    pub kind: ForgeKind,
    /// The host as the remote names it (`github.com`, `git.example.com`).
    pub host: String,
    /// The API base without a trailing slash: `https://api.github.com`, `https://HOST/api/v4`.
    pub api: String,
    /// The web base without a trailing slash: `https://github.com`.
    pub web: String,
    /// `owner/repo`, or `group/subgroup/repo` on GitLab.
    pub repo: String,
    /// Where a token for this host comes from, when configured.
    #[serde(skip)]
    pub(crate) settings: ForgeHostSettings,
}

/// The parts of a remote URL a forge needs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct RemoteParts {
    /// `http` for a plain-http remote, else `https` (ssh and git remotes have https web pages).
    pub scheme: &'static str,
    pub host: String,
    /// The port of an http(s) remote; ssh ports say nothing about the web.
    pub port: Option<u16>,
    pub path: String,
}

/// Split a remote URL into host and repository path. Credentials are dropped.
pub(crate) fn parse_remote(url: &str) -> Result<RemoteParts, ForgeError> {
    let bad = || ForgeError::BadRemoteUrl {
        url: crate::git::redact_url(url),
    };
    let not_a_forge = || ForgeError::NotAForge {
        url: crate::git::redact_url(url),
    };
    let (scheme, host_port, path) = if let Some((scheme, rest)) = url.split_once("://") {
        let scheme = scheme.to_ascii_lowercase();
        if scheme == "file" {
            return Err(not_a_forge());
        }
        let (authority, path) = rest.split_once('/').ok_or_else(bad)?;
        let host_port = authority.rsplit_once('@').map_or(authority, |(_, h)| h);
        let web_scheme = if scheme == "http" { "http" } else { "https" };
        let keeps_port = scheme == "http" || scheme == "https";
        (web_scheme, (host_port, keeps_port), path)
    } else if !crate::git::is_url(url) {
        return Err(not_a_forge());
    } else {
        // scp-like: [user@]host:owner/repo.git
        let (authority, path) = url.split_once(':').ok_or_else(bad)?;
        let host = authority.rsplit_once('@').map_or(authority, |(_, h)| h);
        ("https", (host, false), path)
    };
    let (host_port, keeps_port) = host_port;
    let (host, port) = match host_port.rsplit_once(':') {
        Some((h, p)) if !h.is_empty() && p.chars().all(|c| c.is_ascii_digit()) => (h, p.parse().ok()),
        _ => (host_port, None),
    };
    let path = path
        .trim_matches('/')
        .trim_end_matches(".git")
        .trim_matches('/')
        .to_owned();
    if host.is_empty() || !path.contains('/') || path.split('/').any(str::is_empty) {
        return Err(bad());
    }
    Ok(RemoteParts {
        scheme,
        host: host.to_ascii_lowercase(),
        port: port.filter(|_| keeps_port),
        path,
    })
}

/// The forge a host runs, by its well-known name.
fn guess_kind(host: &str) -> Option<ForgeKind> {
    let has = |w: &str| host.split(['.', '-']).any(|part| part == w) || host.starts_with(w);
    if host == "github.com" || has("github") {
        Some(ForgeKind::GitHub)
    } else if host == "gitlab.com" || has("gitlab") {
        Some(ForgeKind::GitLab)
    } else if host == "codeberg.org" || has("gitea") || has("forgejo") || has("codeberg") {
        Some(ForgeKind::Gitea)
    } else {
        None
    }
}

impl Forge {
    /// The forge `remote_url` lives on. `config.yaml`'s `forges:` entry for the host (by
    /// `host:port` or `host`) can name the kind, the API base and the web base.
    pub fn detect(remote_url: &str, config: &UserConfig) -> Result<Forge, ForgeError> {
        let parts = parse_remote(remote_url)?;
        let with_port = parts.port.map(|p| format!("{}:{p}", parts.host));
        let settings = with_port
            .as_deref()
            .and_then(|h| config.forges.get(h))
            .or_else(|| config.forges.get(&parts.host))
            .cloned()
            .unwrap_or_default();
        let kind =
            settings
                .kind
                .or_else(|| guess_kind(&parts.host))
                .ok_or_else(|| ForgeError::UnknownForge {
                    host: parts.host.clone(),
                })?;
        let authority = with_port.unwrap_or_else(|| parts.host.clone());
        let web = settings
            .web
            .clone()
            .unwrap_or_else(|| format!("{}://{authority}", parts.scheme));
        let web = web.trim_end_matches('/').to_owned();
        let api = match (&settings.api, kind) {
            (Some(api), _) => api.clone(),
            (None, ForgeKind::GitHub) if parts.host == "github.com" => "https://api.github.com".into(),
            (None, ForgeKind::GitHub) => format!("{web}/api/v3"),
            (None, ForgeKind::GitLab) => format!("{web}/api/v4"),
            (None, ForgeKind::Gitea) => format!("{web}/api/v1"),
        };
        if kind != ForgeKind::GitLab && parts.path.split('/').count() != 2 {
            return Err(ForgeError::BadRemoteUrl {
                url: crate::git::redact_url(remote_url),
            });
        }
        Ok(Forge {
            kind,
            host: parts.host,
            api: api.trim_end_matches('/').to_owned(),
            web,
            repo: parts.path,
            settings,
        })
    }

    /// What the action gate is asked for before a pull request is opened here.
    pub fn target(&self) -> crate::gate::Target {
        crate::gate::Target::Remote(self.repo_url())
    }

    /// The repository's web page.
    pub fn repo_url(&self) -> String {
        format!("{}/{}", self.web, self.repo)
    }

    /// The page that opens a pull request from `head` into `base` by hand: what to print or open
    /// in a browser when there is no token or the API failed.
    pub fn compare_url(&self, base: &str, head: &str) -> String {
        let repo = self.repo_url();
        match self.kind {
            ForgeKind::GitHub => format!("{repo}/compare/{base}...{head}?expand=1"),
            ForgeKind::GitLab => format!(
                "{repo}/-/merge_requests/new?merge_request[source_branch]={}&merge_request[target_branch]={}",
                super::http::query_value(head),
                super::http::query_value(base)
            ),
            ForgeKind::Gitea => format!("{repo}/compare/{base}...{head}"),
        }
    }

    /// The owner (first segment) and the repository's name (the rest): GitHub's `head=owner:branch`.
    pub(crate) fn owner(&self) -> &str {
        self.repo.split('/').next().unwrap_or_default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parts(url: &str) -> (String, Option<u16>, String, &'static str) {
        let p = parse_remote(url).expect(url);
        (p.host, p.port, p.path, p.scheme)
    }

    #[test]
    fn remote_url_forms() {
        let gh = ("github.com".to_owned(), None, "o/r".to_owned(), "https");
        assert_eq!(parts("https://github.com/o/r.git"), gh);
        assert_eq!(parts("https://x-access-token:t0k@github.com/o/r"), gh);
        assert_eq!(parts("git@github.com:o/r.git"), gh);
        assert_eq!(parts("ssh://git@github.com/o/r.git"), gh);
        assert_eq!(parts("ssh://git@GitHub.com:22/o/r/"), gh);
        assert_eq!(
            parts("ssh://git@git.example.com:2222/group/sub/app.git"),
            ("git.example.com".into(), None, "group/sub/app".into(), "https")
        );
        assert_eq!(
            parts("http://127.0.0.1:8080/o/r.git"),
            ("127.0.0.1".into(), Some(8080), "o/r".into(), "http")
        );
        assert!(matches!(
            parse_remote("/srv/git/r.git"),
            Err(ForgeError::NotAForge { .. })
        ));
        assert!(matches!(
            parse_remote("file:///srv/r.git"),
            Err(ForgeError::NotAForge { .. })
        ));
        assert!(matches!(
            parse_remote("https://github.com/only"),
            Err(ForgeError::BadRemoteUrl { .. })
        ));
    }

    #[test]
    fn kinds_and_api_bases() {
        let cfg = UserConfig::default();
        let gh = Forge::detect("git@github.com:o/r.git", &cfg).expect("github");
        assert_eq!(
            (gh.kind, gh.api.as_str(), gh.web.as_str()),
            (ForgeKind::GitHub, "https://api.github.com", "https://github.com")
        );
        let ghe = Forge::detect("https://github.corp.example/o/r", &cfg).expect("ghe");
        assert_eq!(ghe.api, "https://github.corp.example/api/v3");
        let gl = Forge::detect("git@gitlab.com:g/s/r.git", &cfg).expect("gitlab");
        assert_eq!(
            (gl.kind, gl.api.as_str(), gl.repo.as_str()),
            (ForgeKind::GitLab, "https://gitlab.com/api/v4", "g/s/r")
        );
        let cb = Forge::detect("https://codeberg.org/o/r.git", &cfg).expect("codeberg");
        assert_eq!(
            (cb.kind, cb.api.as_str()),
            (ForgeKind::Gitea, "https://codeberg.org/api/v1")
        );
        let err = Forge::detect("git@git.example.com:o/r.git", &cfg).unwrap_err();
        assert!(err.to_string().contains("forges:"), "{err}");
        assert!(matches!(
            Forge::detect("https://github.com/a/b/c", &cfg),
            Err(ForgeError::BadRemoteUrl { .. })
        ));
    }

    #[test]
    fn config_names_the_forge_per_host() {
        let cfg: UserConfig = crate::yaml::from_str(
            "forges:\n  git.example.com:\n    kind: gitlab\n    api: https://git.example.com/gitlab/api/v4/\n    web: https://git.example.com/gitlab\n",
        )
        .expect("config");
        let f = Forge::detect("ssh://git@git.example.com:2222/platform/cfg.git", &cfg).expect("forge");
        assert_eq!(f.kind, ForgeKind::GitLab);
        assert_eq!(f.api, "https://git.example.com/gitlab/api/v4");
        assert_eq!(f.repo_url(), "https://git.example.com/gitlab/platform/cfg");
    }

    #[test]
    fn compare_urls() {
        let cfg = UserConfig::default();
        let head = "sextant/revert-1a2b3c4";
        let gh = Forge::detect("https://github.com/o/r.git", &cfg).expect("gh");
        assert_eq!(
            gh.compare_url("main", head),
            "https://github.com/o/r/compare/main...sextant/revert-1a2b3c4?expand=1"
        );
        let gl = Forge::detect("https://gitlab.com/g/r.git", &cfg).expect("gl");
        assert_eq!(
            gl.compare_url("main", head),
            "https://gitlab.com/g/r/-/merge_requests/new?merge_request[source_branch]=sextant%2Frevert-1a2b3c4&merge_request[target_branch]=main"
        );
        let gt = Forge::detect("https://codeberg.org/o/r.git", &cfg).expect("gt");
        assert_eq!(
            gt.compare_url("main", head),
            "https://codeberg.org/o/r/compare/main...sextant/revert-1a2b3c4"
        );
    }
}
