//! How far apart two commits are: the commits one has that the other lacks, both ways, as
//! `git rev-list --left-right --count a...b` counts them. The Apps table uses it to say how
//! far a cluster's deployed revision is behind the branch.

use super::error::{GitError, Result};
use super::repo::{GitRepo, resolve_commit};

/// Commits counted at most per side; a longer distance is reported as this many (`999+`).
pub const MAX_DISTANCE: usize = 10_000;

/// Commits on each side of a comparison.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Distance {
    /// Commits reachable from `target` but not from `base` (the base is this far behind).
    pub behind: usize,
    /// Commits reachable from `base` but not from `target` (e.g. an emergency sync of a
    /// commit that never landed on the branch).
    pub ahead: usize,
}

impl GitRepo {
    /// How far `base` is behind (and ahead of) `target`. Both are any revspec.
    pub fn distance(&self, base: &str, target: &str) -> Result<Distance> {
        let repo = self.local();
        let base = resolve_commit(&repo, base)?;
        let target = resolve_commit(&repo, target)?;
        if base == target {
            return Ok(Distance { behind: 0, ahead: 0 });
        }
        Ok(Distance {
            behind: count_only(&repo, target, base)?,
            ahead: count_only(&repo, base, target)?,
        })
    }
}

/// Commits reachable from `tip` but not from `hidden`, up to [`MAX_DISTANCE`].
fn count_only(repo: &gix::Repository, tip: gix::ObjectId, hidden: gix::ObjectId) -> Result<usize> {
    let walk = repo
        .rev_walk([tip])
        .with_hidden([hidden])
        .all()
        .map_err(|e| GitError::from_gix(format!("walking from {tip}"), &e))?;
    let mut n = 0;
    for info in walk {
        info.map_err(|e| GitError::from_gix(format!("walking from {tip}"), &e))?;
        n += 1;
        if n >= MAX_DISTANCE {
            break;
        }
    }
    Ok(n)
}
