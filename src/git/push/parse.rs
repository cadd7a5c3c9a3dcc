//! Reading what `git push --progress --porcelain` says: progress meters on stderr, one status line
//! per ref on stdout, and the error text that tells an auth failure from a missing repository
//! or an unreachable host. Pure functions over text, with every URL's credentials removed.

use super::error::PushError;
use crate::git::remote::redact_urls_in;
use crate::git::types::TransferProgress;

/// Splits stderr bytes into lines at `\n` and at `\r` (how git redraws a progress meter).
#[derive(Default)]
pub(super) struct LineSplitter {
    pending: Vec<u8>,
}

impl LineSplitter {
    pub(super) fn feed(&mut self, bytes: &[u8]) -> Vec<String> {
        let mut out = Vec::new();
        for &b in bytes {
            if b == b'\n' || b == b'\r' {
                self.flush_into(&mut out);
            } else {
                self.pending.push(b);
            }
        }
        out
    }

    pub(super) fn finish(mut self) -> Vec<String> {
        let mut out = Vec::new();
        self.flush_into(&mut out);
        out
    }

    fn flush_into(&mut self, out: &mut Vec<String>) {
        if !self.pending.is_empty() {
            let line = String::from_utf8_lossy(&self.pending).trim_end().to_owned();
            if !line.is_empty() {
                out.push(line);
            }
            self.pending.clear();
        }
    }
}

/// A progress meter line: `Writing objects:  50% (1/2)`, `Enumerating objects: 5, done.`,
/// `remote: Resolving deltas: 100% (1/1)`.
pub(super) fn progress_line(line: &str) -> Option<TransferProgress> {
    let line = line.strip_prefix("remote: ").unwrap_or(line).trim();
    let (phase, rest) = line.split_once(": ")?;
    if phase.is_empty() || phase.len() > 40 || !phase.chars().all(|c| c.is_ascii_alphabetic() || c == ' ') {
        return None;
    }
    let rest = rest.trim_start();
    let (done, total) = match rest.split_once('(').and_then(|(_, r)| r.split_once(')')) {
        Some((counts, _)) => {
            let (done, total) = counts.split_once('/')?;
            (done.trim().parse().ok()?, Some(total.trim().parse().ok()?))
        }
        None => {
            let digits: String = rest.chars().take_while(char::is_ascii_digit).collect();
            (digits.parse().ok()?, None)
        }
    };
    Some(TransferProgress {
        phase: phase.to_ascii_lowercase(),
        done,
        total,
    })
}

/// One ref's line of `--porcelain` output: `!\trefs/heads/x:refs/heads/x\t[rejected] (non-fast-forward)`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct RefStatus {
    pub flag: char,
    pub summary: String,
    pub reason: Option<String>,
}

/// The status line of `remote_ref` in porcelain stdout.
pub(super) fn ref_status(stdout: &str, remote_ref: &str) -> Option<RefStatus> {
    stdout.lines().find_map(|line| {
        let mut fields = line.splitn(3, '\t');
        let flag = fields.next()?.chars().next()?;
        let refs = fields.next()?;
        if refs.rsplit_once(':').map(|(_, to)| to) != Some(remote_ref) {
            return None;
        }
        let rest = fields.next().unwrap_or_default().trim();
        let (summary, reason) = match rest.split_once(" (") {
            Some((s, r)) => (s.to_owned(), Some(r.trim_end_matches(')').to_owned())),
            None => (rest.to_owned(), None),
        };
        Some(RefStatus {
            flag,
            summary,
            reason,
        })
    })
}

/// What the server printed (`remote: ...`), without progress meters, credentials removed.
pub(super) fn server_lines(lines: &[String]) -> Vec<String> {
    lines
        .iter()
        .filter_map(|l| l.strip_prefix("remote:"))
        .map(str::trim)
        .filter(|l| !l.is_empty() && progress_line(l).is_none())
        .map(redact_urls_in)
        .take(12)
        .collect()
}

/// Where a failed push was going, for the messages.
pub(super) struct Target<'a> {
    pub remote: &'a str,
    /// Credentials removed.
    pub url: &'a str,
    pub branch: &'a str,
}

/// Turn a failed push into the error that says what to do.
pub(super) fn failure(target: &Target<'_>, status: Option<&RefStatus>, lines: &[String]) -> PushError {
    if let Some(status) = status.filter(|s| s.flag == '!') {
        let reason = status.reason.clone().unwrap_or_else(|| status.summary.clone());
        let lower = reason.to_ascii_lowercase();
        if status.summary == "[rejected]"
            && ["non-fast-forward", "fetch first", "already exists", "stale info"]
                .iter()
                .any(|w| lower.contains(w))
        {
            return PushError::NonFastForward {
                remote: target.remote.to_owned(),
                branch: target.branch.to_owned(),
            };
        }
        return PushError::Declined {
            remote: target.remote.to_owned(),
            branch: target.branch.to_owned(),
            reason: redact_urls_in(&reason),
            server: server_lines(lines),
        };
    }
    let detail = detail(lines);
    let text = lines.join("\n").to_ascii_lowercase();
    let has = |words: &[&str]| words.iter().any(|w| text.contains(w));
    let url = target.url.to_owned();
    if has(&[
        "permission denied (publickey",
        "authentication failed",
        "could not read username",
        "could not read password",
        "terminal prompts disabled",
        "returned error: 401",
        "returned error: 403",
        "invalid username or password",
        "http basic: access denied",
        "bad credentials",
        "host key verification failed",
    ]) {
        return PushError::Auth { url, detail };
    }
    if has(&[
        "repository not found",
        "not found",
        "does not appear to be a git repository",
        "not exported",
        "no such repository",
        "returned error: 404",
    ]) {
        return PushError::RepoNotFound { url, detail };
    }
    if has(&[
        "could not resolve host",
        "could not resolve hostname",
        "connection refused",
        "unable to connect",
        "failed to connect",
        "could not connect",
        "timed out",
        "network is unreachable",
        "no route to host",
        "connection reset",
        "unable to access",
    ]) {
        return PushError::Unreachable { url, detail };
    }
    if has(&["access denied", "permission denied", "denied to"]) {
        return PushError::Auth { url, detail };
    }
    PushError::Failed {
        remote: target.remote.to_owned(),
        branch: target.branch.to_owned(),
        message: detail,
    }
}

/// The most telling line: the first `fatal:`/`error:` line (or else the last line), cleaned up.
fn detail(lines: &[String]) -> String {
    let at = lines
        .iter()
        .position(|l| l.starts_with("fatal:") || l.starts_with("error:") || l.starts_with("ERROR:"))
        .or_else(|| lines.iter().rposition(|l| progress_line(l).is_none()));
    let Some(at) = at else {
        return "git push failed without a message".into();
    };
    let line = lines[at].as_str();
    let mut text = ["fatal:", "error:", "ERROR:"]
        .iter()
        .find_map(|p| line.strip_prefix(p))
        .unwrap_or(line)
        .trim()
        .to_owned();
    // `unable to connect to host:` puts the reason on the next line.
    if text.ends_with(':')
        && let Some(next) = lines.get(at + 1)
    {
        text = format!("{text} {}", next.trim());
    }
    redact_urls_in(&text)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lines(text: &str) -> Vec<String> {
        let mut s = LineSplitter::default();
        let mut out = s.feed(text.as_bytes());
        out.extend(s.finish());
        out
    }

    const TARGET: Target<'static> = Target {
        remote: "origin",
        url: "https://example.com/o/r.git",
        branch: "sextant/revert-1a2b3c4",
    };

    #[test]
    fn splits_progress_redraws() {
        let got = lines("Writing objects:  50% (1/2)\rWriting objects: 100% (2/2), done.\nTotal 2\n");
        assert_eq!(got.len(), 3);
        assert_eq!(
            progress_line(&got[1]),
            Some(TransferProgress {
                phase: "writing objects".into(),
                done: 2,
                total: Some(2)
            })
        );
        assert_eq!(
            progress_line("Enumerating objects: 5, done.").map(|p| p.done),
            Some(5)
        );
        assert_eq!(
            progress_line("remote: Resolving deltas: 100% (1/1), done.").map(|p| p.phase),
            Some("resolving deltas".into())
        );
        assert_eq!(progress_line("To https://example.com/o/r.git"), None);
        assert_eq!(progress_line("remote: GitLab: You are not allowed to push"), None);
    }

    #[test]
    fn porcelain_status_lines() {
        let out = "To /tmp/origin.git\n!\trefs/heads/x:refs/heads/x\t[rejected] (non-fast-forward)\nDone\n";
        let status = ref_status(out, "refs/heads/x").expect("status");
        assert_eq!(status.flag, '!');
        assert_eq!(status.summary, "[rejected]");
        assert_eq!(status.reason.as_deref(), Some("non-fast-forward"));
        let err = failure(&TARGET, Some(&status), &[]);
        assert!(matches!(err, PushError::NonFastForward { .. }), "{err}");
        let new = ref_status("*\trefs/heads/x:refs/heads/x\t[new branch]\n", "refs/heads/x").expect("status");
        assert_eq!((new.flag, new.reason), ('*', None));
    }

    #[test]
    fn hooks_and_protected_branches_are_declined() {
        let status = RefStatus {
            flag: '!',
            summary: "[remote rejected]".into(),
            reason: Some("pre-receive hook declined".into()),
        };
        let said = lines(
            "remote: GitLab: You are not allowed to push code to protected branches on this project.\nerror: failed to push some refs\n",
        );
        let err = failure(&TARGET, Some(&status), &said);
        let PushError::Declined { reason, server, .. } = &err else {
            panic!("{err}")
        };
        assert_eq!(reason, "pre-receive hook declined");
        assert_eq!(server.len(), 1);
        assert!(err.to_string().contains("protected branches"), "{err}");
    }

    #[test]
    fn classifies_auth_not_found_and_unreachable() {
        let cases = [
            (
                "git@github.com: Permission denied (publickey).\nfatal: Could not read from remote repository.",
                "auth",
            ),
            (
                "fatal: Authentication failed for 'https://example.com/o/r.git/'",
                "auth",
            ),
            (
                "fatal: could not read Username for 'https://example.com': terminal prompts disabled",
                "auth",
            ),
            ("error: The requested URL returned error: 403", "auth"),
            (
                "remote: Permission to o/r.git denied to someone.\nfatal: unable to access 'https://github.com/o/r.git/': The requested URL returned error: 403",
                "auth",
            ),
            (
                "remote: Repository not found.\nfatal: repository 'https://github.com/o/r.git/' not found",
                "missing",
            ),
            (
                "fatal: remote error: access denied or repository not exported: /r.git",
                "missing",
            ),
            (
                "fatal: '/tmp/nope' does not appear to be a git repository",
                "missing",
            ),
            (
                "fatal: unable to access 'https://x.invalid/o/r.git/': Could not resolve host: x.invalid",
                "unreachable",
            ),
            (
                "fatal: unable to connect to 127.0.0.1:\n127.0.0.1[0: 127.0.0.1]: errno=Connection refused",
                "unreachable",
            ),
            (
                "ssh: connect to host example.com port 22: Connection timed out",
                "unreachable",
            ),
        ];
        for (text, want) in cases {
            let err = failure(&TARGET, None, &lines(text));
            let got = match err {
                PushError::Auth { .. } => "auth",
                PushError::RepoNotFound { .. } => "missing",
                PushError::Unreachable { .. } => "unreachable",
                _ => "other",
            };
            assert_eq!(got, want, "{text}");
        }
    }

    #[test]
    fn tokens_in_urls_never_reach_messages() {
        let text = "fatal: unable to access 'https://x-access-token:ghp_s3cret@github.com/o/r.git/': The requested URL returned error: 403";
        let err = failure(&TARGET, None, &lines(text));
        assert!(!err.to_string().contains("ghp_s3cret"), "{err}");
        assert!(err.to_string().contains("https://github.com/o/r.git/"), "{err}");
        let said = server_lines(&lines("remote: see https://user:tok@host.example/x\n"));
        assert_eq!(said, ["see https://host.example/x"]);
    }
}
