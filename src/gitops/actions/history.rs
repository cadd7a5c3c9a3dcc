//! An app's history for a rollback: the commits on the branch's first-parent line that changed
//! what the app renders (on any of its clusters), newest first, each marked with where it runs
//! now (the `sextant.dev/revision` the live objects carry) and where the audit log says it was
//! synced. Bounded to the last [`MAX_COMMITS`] commits; rendering runs here, so call it off the
//! UI thread.

use crate::config::UserConfig;
use crate::git::{CommitSummary, GitRepo};
use crate::gitops::audit::AuditEntry;
use crate::gitops::engine::desired::{self, DesiredRequest};
use serde::Serialize;
use std::collections::HashMap;
use std::path::Path;

/// How many commits back the history looks.
pub const MAX_COMMITS: usize = 50;

/// One revision of the app.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct HistoryEntry {
    pub commit: CommitSummary,
    /// This is what the branch head renders (the newest entry).
    pub current: bool,
    /// Clusters whose live objects run this revision of the app now.
    pub running: Vec<String>,
    /// Syncs of the app that landed this revision, from the audit log: (cluster, RFC 3339
    /// time), newest first.
    pub synced: Vec<(String, String)>,
}

/// The app's history, and deployments older than the window.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct History {
    pub app: String,
    pub entries: Vec<HistoryEntry>,
    /// Clusters that run a commit not among the last [`MAX_COMMITS`]: (cluster, commit).
    pub older: Vec<(String, String)>,
    /// The window reached the first commit, or stopped at the limit.
    pub complete: bool,
}

/// What to look at: the repository, its apps' config, and where things run.
pub struct HistoryRequest<'a> {
    pub repo: &'a Path,
    pub user: &'a UserConfig,
    pub app: &'a str,
    /// The commit each cluster runs for the app (`AppReport::deployed`): (cluster, commit).
    pub deployed: &'a [(String, String)],
    /// The audit log's entries (its syncs mark revisions).
    pub audit: &'a [AuditEntry],
    pub max: usize,
}

/// The first-parent line of HEAD, newest first, at most `max + 1` commits (one more than shown,
/// to tell whether the oldest shown changed anything).
fn first_parent_line(repo: &GitRepo, max: usize) -> Result<(Vec<CommitSummary>, bool), String> {
    let mut cursor = repo.log(Some("HEAD"), None).map_err(|e| e.to_string())?;
    // Side branches interleave by time: read a few pages more than the line needs.
    let mut seen: HashMap<String, CommitSummary> = HashMap::new();
    let mut line = Vec::new();
    let mut next = repo.resolve("HEAD").map_err(|e| e.to_string())?;
    while line.len() <= max {
        if let Some(c) = seen.remove(&next) {
            next = c.parents.first().cloned().unwrap_or_default();
            line.push(c);
            if next.is_empty() {
                return Ok((line, true));
            }
            continue;
        }
        if cursor.is_done() || seen.len() > 20 * (max + 1) {
            return Ok((line, cursor.is_done()));
        }
        let page = cursor.next_page(4 * (max + 1)).map_err(|e| e.to_string())?;
        seen.extend(page.commits.into_iter().map(|c| (c.sha.clone(), c)));
    }
    Ok((line, false))
}

/// What the app renders at `commit` on every cluster, as comparable text; `None` when the
/// commit does not define the app.
fn rendering(req: &HistoryRequest<'_>, commit: &str) -> Option<String> {
    let request = DesiredRequest {
        repo: req.repo.to_path_buf(),
        revision: commit.to_string(),
        user: req.user.clone(),
        only_app: Some(req.app.to_string()),
        only_cluster: None,
        contexts: Vec::new(),
    };
    let apps = desired::render_all(&request).ok()?;
    let mut parts: Vec<String> = apps
        .iter()
        .map(|d| {
            let mut objects: Vec<String> = d
                .rendered
                .objects
                .iter()
                .map(|o| format!("{}={}", o.key, o.object))
                .collect();
            objects.sort();
            let errors: Vec<String> = d.rendered.errors.iter().map(|e| e.message.clone()).collect();
            format!(
                "{}|{}|{}",
                d.target.cluster,
                objects.join("\n"),
                errors.join("\n")
            )
        })
        .collect();
    parts.sort();
    Some(parts.join("\n--\n"))
}

/// Whether two commit ids name the same commit (one may be abbreviated).
fn same_commit(a: &str, b: &str) -> bool {
    let n = a.len().min(b.len());
    n >= 7 && a[..n].eq_ignore_ascii_case(&b[..n])
}

/// The app's history: see the module doc.
pub fn app_history(req: &HistoryRequest<'_>) -> Result<History, String> {
    let repo = GitRepo::open(req.repo).map_err(|e| e.to_string())?;
    let (line, reached_root) = first_parent_line(&repo, req.max)?;
    let renders: Vec<Option<String>> = line.iter().map(|c| rendering(req, &c.sha)).collect();
    if !matches!(renders.first(), Some(Some(_))) {
        return Err(format!(
            "no app `{}` in sextant.yaml at HEAD: pick one of the apps the branch defines",
            req.app
        ));
    }
    // For each commit of the line (newest first), the index of the entry whose rendering it
    // carries: the newest change at or below it.
    let shown = line.len().min(req.max);
    let mut entries: Vec<HistoryEntry> = Vec::new();
    let mut effective: Vec<Option<usize>> = vec![None; shown];
    let mut changes: Vec<usize> = Vec::new();
    for i in 0..shown {
        let parent = renders.get(i + 1);
        let changed = match parent {
            Some(p) => *p != renders[i],
            // The root commit: it introduced whatever it renders.
            None => reached_root && renders[i].is_some(),
        };
        if changed && renders[i].is_some() {
            changes.push(i);
        }
    }
    for &i in &changes {
        entries.push(HistoryEntry {
            commit: line[i].clone(),
            current: entries.is_empty(),
            running: Vec::new(),
            synced: Vec::new(),
        });
    }
    for (i, slot) in effective.iter_mut().enumerate() {
        *slot = changes.iter().position(|&c| c >= i);
    }
    let find = |commit: &str| -> Option<Option<usize>> {
        line.iter()
            .take(shown)
            .position(|c| same_commit(&c.sha, commit))
            .map(|i| effective[i])
    };
    let mut older = Vec::new();
    for (cluster, commit) in req.deployed {
        match find(commit) {
            Some(Some(e)) => entries[e].running.push(cluster.clone()),
            Some(None) => {}
            None => older.push((cluster.clone(), commit.clone())),
        }
    }
    for a in req.audit.iter().rev() {
        if a.action != "sync" || a.app != req.app || a.outcome != "finished" {
            continue;
        }
        if let Some(Some(e)) = find(&a.revision) {
            entries[e].synced.push((a.cluster.clone(), a.time.clone()));
        }
    }
    for e in &mut entries {
        e.running.sort();
        e.running.dedup();
    }
    Ok(History {
        app: req.app.to_string(),
        entries,
        older,
        complete: reached_root && line.len() <= req.max,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn commit_ids_match_by_prefix_of_at_least_seven() {
        assert!(same_commit("1a2b3c4d5e", "1a2b3c4"));
        assert!(!same_commit("1a2b3c4d5e", "1a2b3c5"));
        assert!(!same_commit("1a2b", "1a2b3c4"));
    }
}
