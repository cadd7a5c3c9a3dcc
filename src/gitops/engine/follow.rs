//! Following a branch: whether a revision names a moving ref (`HEAD`, a branch, a tag) and
//! what commit it points at now. The supervisor asks about once a second, on a blocking
//! thread (gix is synchronous); a read that fails is reported once, never fatal.

use super::desired::DesiredRequest;
use super::report::NewCommit;
use gix::bstr::ByteSlice;
use std::path::Path;
use std::time::Duration;

/// How often a followed ref is read.
pub const POLL_EVERY: Duration = Duration::from_secs(1);

/// Whether `rev` names something that can move: `HEAD`, a branch or a tag. Commit ids (full
/// or abbreviated hex) and expressions (`main~2`, `HEAD^`, `v1:path`, `@{1}`) do not follow.
pub fn is_symbolic(rev: &str) -> bool {
    let rev = rev.trim();
    if rev.is_empty() {
        return false;
    }
    let looks_like_id = (7..=64).contains(&rev.len()) && rev.bytes().all(|b| b.is_ascii_hexdigit());
    let expression = rev.contains(['~', '^', ':']) || rev.contains("@{") || rev.contains("..");
    !looks_like_id && !expression
}

/// Polls a followed ref; remembers a read failure so that it is logged once, not each second.
#[derive(Debug, Default)]
pub struct Follower {
    /// Why the last read failed, until a read succeeds again.
    pub failing: Option<String>,
}

impl Follower {
    /// Where the request's ref points now, when that differs from `rendered` (the commit
    /// the engine last rendered). A repository that cannot be read changes nothing: the
    /// engine keeps its last good render.
    pub async fn moved(&mut self, request: &DesiredRequest, rendered: Option<&str>) -> Option<NewCommit> {
        let (repo, rev) = (request.repo.clone(), request.revision.clone());
        let resolved = tokio::task::spawn_blocking(move || resolve(&repo, &rev)).await;
        let error = match resolved {
            Ok(Ok(commit)) => {
                if self.failing.take().is_some() {
                    tracing::info!("{} is readable again", request.repo.display());
                }
                return (rendered != Some(commit.commit.as_str())).then_some(commit);
            }
            Ok(Err(e)) => e,
            Err(e) => format!("reading {} stopped: {e}", request.revision),
        };
        if self.failing.as_deref() != Some(error.as_str()) {
            tracing::warn!("following {}: {error}; keeping the last render", request.revision);
            self.failing = Some(error);
        }
        None
    }
}

/// The commit `rev` points at in `repo` now, described for the activity log.
pub fn resolve(repo: &Path, rev: &str) -> Result<NewCommit, String> {
    let repository =
        gix::discover(repo).map_err(|e| format!("cannot open Git repository {}: {e}", repo.display()))?;
    let not_found = |e: &dyn std::fmt::Display| format!("cannot read `{rev}` in {}: {e}", repo.display());
    let id = repository
        .rev_parse_single(rev)
        .map_err(|e| not_found(&e))?
        .detach();
    let commit = repository
        .find_object(id)
        .map_err(|e| not_found(&e))?
        .peel_to_commit()
        .map_err(|e| not_found(&e))?;
    let full = commit.id.to_string();
    let summary = commit
        .message()
        .map(|m| m.summary().to_str_lossy().into_owned())
        .unwrap_or_default();
    let author = commit
        .author()
        .map(|a| a.name.to_str_lossy().into_owned())
        .unwrap_or_default();
    Ok(NewCommit {
        short: full.chars().take(7).collect(),
        commit: full,
        summary,
        author,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refs_follow_ids_and_expressions_do_not() {
        for rev in [
            "HEAD",
            "main",
            "release/1.4",
            "v1.2.0",
            "origin/main",
            "feature-x",
        ] {
            assert!(is_symbolic(rev), "{rev}");
        }
        for rev in [
            "9f2c1e7",
            "9f2c1e7a4b5c6d7e8f9012345678901234567890",
            "HEAD~1",
            "main^",
            "HEAD:sextant.yaml",
            "main@{1}",
            "a..b",
            "",
        ] {
            assert!(!is_symbolic(rev), "{rev}");
        }
        // Short hex words are branch names, not ids (ids are shown with at least 7 digits).
        assert!(is_symbolic("cafe"));
    }

    #[tokio::test]
    async fn an_unreadable_repository_is_remembered_not_fatal() {
        let request = DesiredRequest {
            repo: "/nonexistent/repo".into(),
            revision: "main".into(),
            user: Default::default(),
            only_app: None,
            only_cluster: None,
            contexts: Vec::new(),
        };
        let mut follower = Follower::default();
        assert_eq!(follower.moved(&request, Some("abc")).await, None);
        let failing = follower.failing.clone().unwrap_or_default();
        assert!(failing.contains("/nonexistent/repo"), "{failing}");
        assert_eq!(follower.moved(&request, None).await, None);
        assert_eq!(follower.failing.as_deref(), Some(failing.as_str()));
    }
}
