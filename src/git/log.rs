//! Lazy log pages: a cursor that walks commits newest-first (by committer time, as `git log`
//! orders them) and hands them out a page at a time. Nothing walks or sorts the whole graph up
//! front, so the first page of a 100k-commit history costs about one page of work; the
//! commit-graph file, when present, answers parent and time lookups without decoding objects.

use super::error::{GitError, Result};
use super::repo::{GitRepo, resolve_commit};
use super::types::{CommitSummary, LogEnd, LogPage, Person};
use gix::ObjectId;
use gix::bstr::ByteSlice;
use gix::prelude::FindExt;
use gix::traverse::commit::{Info, Simple, simple::CommitTimeOrder, simple::Sorting};

/// With a filter set, one page call examines at most this many commits, then returns what it
/// found (maybe nothing), so a rare needle never blocks a worker for the whole history.
const FILTER_SCAN_BUDGET: usize = 20_000;

/// A case-insensitive substring match on the message, the author's name and email, and the sha.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LogFilter {
    needle: String,
}

impl LogFilter {
    /// `None` for an empty or all-blank query (no filtering).
    pub fn new(query: &str) -> Option<LogFilter> {
        let needle = query.trim().to_lowercase();
        (!needle.is_empty()).then_some(LogFilter { needle })
    }

    fn matches(&self, commit: &CommitSummary, message: &str) -> bool {
        let n = &self.needle;
        commit.sha.starts_with(n.as_str())
            || message.to_lowercase().contains(n)
            || commit.author.name.to_lowercase().contains(n)
            || commit.author.email.to_lowercase().contains(n)
    }
}

type Walk = Box<dyn Iterator<Item = gix::Result<Info>> + Send>;

/// A position in the log. Call [`LogCursor::next_page`] until `end` is `Some`.
pub struct LogCursor {
    repo: gix::Repository,
    walk: Option<Walk>,
    filter: Option<LogFilter>,
    /// Sorted ids of the commits whose parents were cut off by a shallow clone.
    shallow: Vec<ObjectId>,
    hit_shallow: bool,
    end: Option<LogEnd>,
    buf: Vec<u8>,
}

impl GitRepo {
    /// A log cursor from `rev` (default: HEAD). An empty repository gives a cursor whose first
    /// page is empty with `end: Some(LogEnd::Empty)`.
    pub fn log(&self, rev: Option<&str>, filter: Option<LogFilter>) -> Result<LogCursor> {
        let repo = self.local();
        let tip = match rev {
            Some(rev) => Some(resolve_commit(&repo, rev)?),
            None => match self.head()?.sha() {
                Some(sha) => Some(resolve_commit(&repo, sha)?),
                None => None,
            },
        };
        let shallow: Vec<ObjectId> = repo
            .shallow_commits()
            .map_err(|e| GitError::from_gix("reading the shallow file", &e))?
            .map(|c| c.iter().copied().collect())
            .unwrap_or_default();
        let walk = match tip {
            Some(tip) => Some(walk_from(&repo, tip, &shallow)?),
            None => None,
        };
        let end = walk.is_none().then_some(LogEnd::Empty);
        Ok(LogCursor {
            repo,
            walk,
            filter,
            shallow,
            hit_shallow: false,
            end,
            buf: Vec::new(),
        })
    }
}

/// A newest-first walk from `tip` that never steps past a shallow boundary.
fn walk_from(repo: &gix::Repository, tip: ObjectId, shallow: &[ObjectId]) -> Result<Walk> {
    // The parents named by shallow commits are absent; the walk must not try to load them.
    let mut cut_off = Vec::new();
    let mut buf = Vec::new();
    for id in shallow {
        if let Ok(commit) = repo.objects.find_commit(id, &mut buf) {
            cut_off.extend(commit.parents());
        }
    }
    cut_off.sort();
    let objects = repo.objects.clone();
    let predicate = move |id: &gix::oid| {
        use gix::objs::Exists;
        cut_off.binary_search_by(|c| c.as_ref().cmp(id)).is_err() || objects.exists(id)
    };
    let walk = Simple::filtered([tip], repo.objects.clone(), predicate)
        .sorting(Sorting::ByCommitTime(CommitTimeOrder::NewestFirst))
        .map_err(|e| GitError::from_gix(format!("starting the log at {tip}"), &e))?
        .commit_graph(repo.commit_graph().ok());
    Ok(Box::new(walk))
}

impl LogCursor {
    /// Whether the walk has finished (the last page carried `end`).
    pub fn is_done(&self) -> bool {
        self.end.is_some()
    }

    /// The next page of up to `n` commits (matching the filter, when set).
    pub fn next_page(&mut self, n: usize) -> Result<LogPage> {
        let mut page = LogPage {
            commits: Vec::with_capacity(n.min(1024)),
            end: self.end,
            scanned: 0,
        };
        if self.walk.is_none() {
            return Ok(page);
        }
        while page.commits.len() < n {
            if self.filter.is_some() && page.scanned >= FILTER_SCAN_BUDGET {
                return Ok(page);
            }
            let Some(next) = self.walk.as_mut().and_then(|w| w.next()) else {
                let end = if self.hit_shallow {
                    LogEnd::ShallowBoundary
                } else {
                    LogEnd::Complete
                };
                self.end = Some(end);
                self.walk = None;
                page.end = Some(end);
                return Ok(page);
            };
            let info = next.map_err(|e| GitError::from_gix("walking the log", &e))?;
            page.scanned += 1;
            let (summary, message) = self.summarise(&info)?;
            self.hit_shallow |= summary.shallow_boundary;
            if self.filter.as_ref().is_none_or(|f| f.matches(&summary, &message)) {
                page.commits.push(summary);
            }
        }
        Ok(page)
    }

    /// The next `n` shas only, from the walk without decoding the commits (the commit-graph
    /// answers when present): for counting, reachability and "where is this sha" lookups.
    /// The filter does not apply. Shares the position with [`LogCursor::next_page`].
    pub fn next_shas(&mut self, n: usize) -> Result<Vec<String>> {
        let mut out = Vec::with_capacity(n.min(1 << 16));
        while out.len() < n {
            let Some(next) = self.walk.as_mut().and_then(|w| w.next()) else {
                self.finish();
                break;
            };
            let info = next.map_err(|e| GitError::from_gix("walking the log", &e))?;
            self.hit_shallow |= self.shallow.binary_search(&info.id).is_ok();
            out.push(info.id.to_string());
        }
        Ok(out)
    }

    /// Mark the walk finished, with why.
    fn finish(&mut self) -> LogEnd {
        let end = self.end.unwrap_or(if self.hit_shallow {
            LogEnd::ShallowBoundary
        } else {
            LogEnd::Complete
        });
        self.end = Some(end);
        self.walk = None;
        end
    }

    /// Decode one commit into a log row; also returns the full message for filtering.
    fn summarise(&mut self, info: &Info) -> Result<(CommitSummary, String)> {
        let id = info.id;
        let commit = self
            .repo
            .objects
            .find_commit(&id, &mut self.buf)
            .map_err(|_| GitError::object(id, "reading a commit of the log"))?;
        let summary = commit_summary(id, &commit, self.shallow.binary_search(&id).is_ok());
        let message = if self.filter.is_some() {
            commit.message.to_str_lossy().into_owned()
        } else {
            String::new()
        };
        Ok((summary, message))
    }
}

/// A log row from a decoded commit.
pub(crate) fn commit_summary(
    id: ObjectId,
    commit: &gix::objs::CommitRef<'_>,
    shallow: bool,
) -> CommitSummary {
    let sha = id.to_string();
    CommitSummary {
        short_sha: sha[..7.min(sha.len())].to_owned(),
        sha,
        summary: commit.message().summary().to_str_lossy().into_owned(),
        author: person(commit.author.as_ref(), commit.author()),
        commit_time: commit.committer().map(|c| c.seconds()).unwrap_or_default(),
        parents: commit.parents().map(|p| p.to_string()).collect(),
        shallow_boundary: shallow,
    }
}

/// A [`Person`] from a signature; an undecodable one keeps its raw text as the name.
pub(crate) fn person(raw: &[u8], sig: gix::Result<gix::actor::SignatureRef<'_>>) -> Person {
    match sig {
        Ok(sig) => {
            let sig = sig.trim();
            let time = sig.time().unwrap_or_default();
            Person {
                name: sig.name.to_str_lossy().into_owned(),
                email: sig.email.to_str_lossy().into_owned(),
                time: time.seconds,
                offset_secs: time.offset,
            }
        }
        Err(_) => Person {
            name: raw.to_str_lossy().into_owned(),
            email: String::new(),
            time: 0,
            offset_secs: 0,
        },
    }
}
