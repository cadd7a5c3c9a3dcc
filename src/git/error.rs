//! What can go wrong in the Git engine, phrased for the person at the terminal:
//! each message names the repository, revision, object or URL, and what to do next.

use std::path::PathBuf;

#[derive(Debug, thiserror::Error)]
pub enum GitError {
    #[error("{} is not inside a Git repository (run `git init`, or pass --repo PATH_OR_URL)", path.display())]
    NotARepository { path: PathBuf },
    #[error("cannot open the Git repository at {}: {message}", path.display())]
    Open { path: PathBuf, message: String },
    #[error("the repository at {} is empty: it has no commits yet", path.display())]
    Empty { path: PathBuf },
    #[error("unknown revision `{rev}`: {message} (try a branch name, a tag or a commit sha)")]
    UnknownRevision { rev: String, message: String },
    #[error(
        "object {id} is missing or corrupt ({context}); the repository is damaged: run `git fsck`, or fetch/clone it again"
    )]
    MissingObject { id: String, context: String },
    #[error(
        "commit {commit} is at the shallow-clone boundary: its parent is not in this clone (fetch more history with `git fetch --deepen`)"
    )]
    ShallowBoundary { commit: String },
    #[error("cannot reach {url}: {message} (check the URL, the network and your credentials)")]
    Unreachable { url: String, message: String },
    #[error("fetching {url} failed: {message}")]
    Fetch { url: String, message: String },
    #[error("no file `{path}` at {rev}")]
    NoSuchPath { rev: String, path: String },
    #[error("{context}: {message}")]
    Other { context: String, message: String },
}

impl GitError {
    /// Wrap a gix error met while `context` ("reading commit 1a2b3c4", ...). If the error chain
    /// names an object id as missing, it becomes [`GitError::MissingObject`], so the user learns which.
    pub(crate) fn from_gix(context: impl Into<String>, err: &(dyn std::error::Error + 'static)) -> GitError {
        let context = context.into();
        let chain = chain(err);
        match chain
            .iter()
            .find_map(|m| find_hex_id(m).filter(|_| looks_missing(m)))
        {
            Some(id) => GitError::MissingObject { id, context },
            None => GitError::Other {
                context,
                message: describe(err),
            },
        }
    }

    /// Wrap an object lookup that failed for `id`.
    pub(crate) fn object(id: impl std::fmt::Display, context: impl Into<String>) -> GitError {
        GitError::MissingObject {
            id: id.to_string(),
            context: context.into(),
        }
    }
}

/// Every message of an error chain, outermost first.
fn chain(err: &(dyn std::error::Error + 'static)) -> Vec<String> {
    let mut out = vec![err.to_string()];
    let mut source = err.source();
    while let Some(s) = source {
        out.push(s.to_string());
        source = s.source();
    }
    out
}

/// One line: the outermost message and, when it adds something, the root cause
/// ("Transport handshake failed: Connection refused (os error 111)").
pub(crate) fn describe(err: &(dyn std::error::Error + 'static)) -> String {
    let chain = chain(err);
    let mut text = chain[0].clone();
    if let Some(root) = chain.last().filter(|r| !text.contains(r.as_str())) {
        text = format!("{text}: {root}");
    }
    text.replace('\n', " ")
}

fn looks_missing(message: &str) -> bool {
    let m = message.to_ascii_lowercase();
    [
        "not found",
        "could not be found",
        "missing",
        "corrupt",
        "decode",
        "inflate",
        "zlib",
    ]
    .iter()
    .any(|w| m.contains(w))
}

/// The first 40-hex-digit token in a message.
fn find_hex_id(message: &str) -> Option<String> {
    message
        .split(|c: char| !c.is_ascii_hexdigit())
        .find(|w| w.len() == 40)
        .map(str::to_ascii_lowercase)
}

pub type Result<T, E = GitError> = std::result::Result<T, E>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_the_missing_object() {
        let io = std::io::Error::other(
            "An object with id 0123456789abcdef0123456789abcdef01234567 could not be found",
        );
        let err = GitError::from_gix("walking the log", &io);
        assert!(
            matches!(&err, GitError::MissingObject { id, .. } if id == "0123456789abcdef0123456789abcdef01234567")
        );
        assert!(err.to_string().contains("git fsck"));
    }

    #[test]
    fn other_errors_keep_their_context() {
        let err = GitError::from_gix("listing branches", &std::io::Error::other("permission denied"));
        assert_eq!(err.to_string(), "listing branches: permission denied");
    }
}
