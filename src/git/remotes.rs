//! The URLs a repository's remotes fetch from, to tell which repository an operator's
//! source names.

use std::path::Path;

/// Every remote's fetch URL, as configured (credentials in a URL are kept: callers compare
/// them and never print them). Empty when the repo will not open or has no remote.
pub fn remote_urls(repo: &Path) -> Vec<String> {
    let Ok(repo) = gix::discover(repo) else {
        return Vec::new();
    };
    let config = repo.config_snapshot();
    let mut urls = Vec::new();
    for name in repo.remote_names() {
        let key = format!("remote.{name}.url");
        if let Some(url) = config.string(key.as_str()) {
            let url = url.to_string();
            if !url.trim().is_empty() && !urls.contains(&url) {
                urls.push(url);
            }
        }
    }
    urls
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_every_remote() {
        let dir = tempfile::tempdir().unwrap();
        let git = |args: &[&str]| super::super::identity::tests::git_in(dir.path(), args);
        git(&["init", "-q"]);
        assert!(remote_urls(dir.path()).is_empty());
        git(&["remote", "add", "origin", "git@example.com:team/cfg.git"]);
        git(&["remote", "add", "mirror", "https://mirror.example.com/cfg"]);
        let mut urls = remote_urls(dir.path());
        urls.sort();
        assert_eq!(
            urls,
            vec!["git@example.com:team/cfg.git", "https://mirror.example.com/cfg"]
        );
    }
}
