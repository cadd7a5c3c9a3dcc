//! Which repositories Sextant has open, by URL: the engine's repo (by its remotes' URLs and
//! the URL it was cloned from) and the URL → local path map of config.yaml (`repos:`).
//! URLs compare after normalizing scheme, user, `.git` and case of the host, so
//! `git@github.com:org/cfg.git` and `https://github.com/org/cfg` are the same repo.

use std::path::{Path, PathBuf};

/// `host/path` in lower case for the host, without scheme, user, port for ssh, or `.git`.
pub fn normalize_url(url: &str) -> String {
    let url = url.trim();
    let (rest, scp) = match url.split_once("://") {
        Some((_, rest)) => (rest, false),
        // scp-like `git@host:org/repo`
        None if url.contains(':') && !url.starts_with('/') => (url, true),
        None => return url.trim_end_matches('/').trim_end_matches(".git").to_string(),
    };
    let rest = rest.rsplit_once('@').map(|(_, r)| r).unwrap_or(rest);
    let (host, path) = if scp {
        rest.split_once(':').unwrap_or((rest, ""))
    } else {
        rest.split_once('/').unwrap_or((rest, ""))
    };
    // An ssh port (`host:22`) says nothing about which repository it is.
    let host = host.split(':').next().unwrap_or(host).to_ascii_lowercase();
    let path = path
        .trim_matches('/')
        .trim_end_matches(".git")
        .trim_end_matches('/');
    format!("{host}/{path}")
}

/// The URL without a password or token: an `https://user:token@host/...` loses its user
/// part; an ssh user (`ssh://git@host/...`) is no secret and stays, so the URL still clones.
pub fn without_credentials(url: &str) -> String {
    match url.split_once("://") {
        Some(("http" | "https", _)) => crate::git::redact_url(url),
        Some((_, rest))
            if rest
                .split('/')
                .next()
                .is_some_and(|a| a.contains(':') && a.contains('@')) =>
        {
            crate::git::redact_url(url)
        }
        _ => url.to_string(),
    }
}

/// Open repositories by normalized URL.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RepoIndex {
    entries: Vec<(String, PathBuf)>,
}

impl RepoIndex {
    /// Add a repository at `path` known by `url`.
    pub fn add(&mut self, url: &str, path: &Path) {
        let n = normalize_url(url);
        if !n.is_empty() && !self.entries.iter().any(|(u, _)| *u == n) {
            self.entries.push((n, path.to_path_buf()));
        }
    }

    /// The local path of the repository at `url`, if open.
    pub fn path_for(&self, url: &str) -> Option<&Path> {
        let n = normalize_url(url);
        self.entries
            .iter()
            .find(|(u, _)| *u == n)
            .map(|(_, p)| p.as_path())
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// The index for the engine's repo at `repo` (its remotes' URLs) and config.yaml's map.
    pub fn build(repo: &Path, mapped: &std::collections::BTreeMap<String, PathBuf>) -> RepoIndex {
        let mut index = RepoIndex::default();
        for url in crate::git::remote_urls(repo) {
            index.add(&url, repo);
        }
        for (url, path) in mapped {
            index.add(url, path);
        }
        index
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ssh_https_and_dot_git_are_one_repo() {
        let a = normalize_url("git@github.com:Org/cfg.git");
        assert_eq!(a, "github.com/Org/cfg");
        assert_eq!(normalize_url("https://github.com/Org/cfg"), a);
        assert_eq!(normalize_url("https://user@GitHub.com/Org/cfg.git/"), a);
        assert_eq!(normalize_url("ssh://git@github.com:22/Org/cfg.git"), a);
        assert_ne!(normalize_url("https://github.com/Org/other"), a);
    }

    #[test]
    fn tokens_go_and_ssh_users_stay() {
        assert_eq!(
            without_credentials("https://bot:tok@github.com/o/r.git"),
            "https://github.com/o/r.git"
        );
        assert_eq!(
            without_credentials("ssh://git@github.com/o/r"),
            "ssh://git@github.com/o/r"
        );
        assert_eq!(
            without_credentials("ssh://git:pw@github.com/o/r"),
            "ssh://github.com/o/r"
        );
        assert_eq!(
            without_credentials("git@github.com:o/r.git"),
            "git@github.com:o/r.git"
        );
    }

    #[test]
    fn the_index_finds_a_repo_by_any_spelling() {
        let mut index = RepoIndex::default();
        index.add(
            "https://example.com/team/platform.git",
            Path::new("/src/platform"),
        );
        assert_eq!(
            index.path_for("git@example.com:team/platform"),
            Some(Path::new("/src/platform"))
        );
        assert_eq!(index.path_for("https://example.com/team/other"), None);
    }
}
