//! Who the repository says the user is: `user.name <user.email>` from its Git config (the
//! repository's, then the user's and the system's), for the audit log.

use std::path::Path;

/// `Name <email>`, `Name`, `<email>`, or `None` when neither is set or the repo will not open.
pub fn git_user(repo: &Path) -> Option<String> {
    let repo = gix::discover(repo).ok()?;
    let config = repo.config_snapshot();
    let get = |key: &str| {
        config
            .string(key)
            .map(|v| v.to_string())
            .filter(|v| !v.trim().is_empty())
    };
    match (get("user.name"), get("user.email")) {
        (Some(n), Some(e)) => Some(format!("{n} <{e}>")),
        (Some(n), None) => Some(n),
        (None, Some(e)) => Some(format!("<{e}>")),
        (None, None) => None,
    }
}

#[cfg(test)]
pub(super) mod tests {
    use super::*;

    /// Run git in `dir`, isolated from the user's and the system's config.
    pub(in crate::git) fn git_in(dir: &Path, args: &[&str]) {
        let ok = std::process::Command::new("git")
            .args(args)
            .current_dir(dir)
            .env("GIT_CONFIG_NOSYSTEM", "1")
            .env("HOME", dir)
            .status()
            .map(|s| s.success())
            .unwrap_or(false);
        assert!(ok, "git {args:?}");
    }

    #[test]
    fn reads_the_repository_config() {
        let dir = tempfile::tempdir().unwrap();
        let git = |args: &[&str]| git_in(dir.path(), args);
        git(&["init", "-q"]);
        git(&["config", "user.name", "Ada Lovelace"]);
        git(&["config", "user.email", "ada@example.com"]);
        assert_eq!(
            git_user(dir.path()).as_deref(),
            Some("Ada Lovelace <ada@example.com>")
        );
    }
}
