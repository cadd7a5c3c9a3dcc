//! Following a branch: whether a revision names a moving ref (`HEAD`, a branch, a tag) and
//! what commit it points at now. The supervisor asks about once a second, on a blocking
//! thread (gix is synchronous); a read that fails is reported once, never fatal.

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

    #[test]
    fn resolve_names_the_repository_when_it_is_gone() {
        let Err(e) = resolve(Path::new("/nonexistent/repo"), "HEAD") else {
            panic!("resolved a missing repository")
        };
        assert!(e.contains("/nonexistent/repo"), "{e}");
    }
}
