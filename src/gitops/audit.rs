//! The audit log: every action Sextant takes, or is refused, appended as one JSON line to
//! `audit.jsonl` in the data dir: when, who (OS user, Git user, kube context and user), what
//! (action, app, cluster, revision, the plan) and how it went, object by object. It never
//! holds a value: plans carry paths, results carry the server's message with a Secret's
//! values masked, and tokens never reach it.

use serde::{Deserialize, Serialize};
use std::io::{BufRead, Write};
use std::path::{Path, PathBuf};

/// Who acted.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Who {
    /// The OS user (`$USER`, else `$LOGNAME`).
    pub os_user: String,
    /// `user.name <user.email>` from the repository's Git config, if set.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub git_user: String,
    /// The kubeconfig context written to, and the kubeconfig user it names (a name, never a
    /// credential).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub kube_context: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub kube_user: String,
}

impl Who {
    /// The OS user of this process: `$USER`, `$LOGNAME`, else the home directory's name.
    pub fn os_user() -> String {
        ["USER", "LOGNAME", "USERNAME"]
            .iter()
            .find_map(|v| std::env::var(v).ok().filter(|s| !s.is_empty()))
            .or_else(|| {
                let home = std::path::PathBuf::from(std::env::var_os("HOME")?);
                Some(home.file_name()?.to_string_lossy().into_owned())
            })
            .unwrap_or_else(|| "unknown".into())
    }
}

/// One object in an entry: what was planned for it and how it went.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ObjectLine {
    /// `<group>/<Kind>:<namespace>/<name>`
    pub object: String,
    /// `create`, `update`, `prune`.
    pub change: String,
    /// The fields that change (paths only).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub paths: Vec<String>,
    /// `applied`, `pruned`, `failed`, `skipped`; empty when it was only planned.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub result: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub message: String,
}

/// One action.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditEntry {
    /// RFC 3339, UTC.
    pub time: String,
    /// `sync`, `revert`, `push`, `pull-request`...
    pub action: String,
    pub who: Who,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub app: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub cluster: String,
    /// The full commit acted on.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub revision: String,
    #[serde(default)]
    pub pinned: bool,
    #[serde(default)]
    pub prune: bool,
    /// `finished`, `cancelled`, `cluster-lost`, `refused`, `failed`.
    pub outcome: String,
    /// The one-line summary shown to the user.
    pub summary: String,
    /// Other facts of the action (branch, pushed ref, pull request URL), by name.
    #[serde(default, skip_serializing_if = "std::collections::BTreeMap::is_empty")]
    pub details: std::collections::BTreeMap<String, String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub objects: Vec<ObjectLine>,
}

impl AuditEntry {
    /// `sync guestbook → prod-us @0355da2 (pinned, prune)`: the action and where.
    pub fn heading(&self) -> String {
        let mut s = self.action.clone();
        if !self.app.is_empty() {
            s.push_str(&format!(" {}", self.app));
        }
        if !self.cluster.is_empty() {
            s.push_str(&format!(" → {}", self.cluster));
        }
        if !self.revision.is_empty() {
            s.push_str(&format!(" @{}", crate::git::short(&self.revision)));
        }
        let flags: Vec<&str> = [(self.pinned, "pinned"), (self.prune, "prune")]
            .iter()
            .filter(|(on, _)| *on)
            .map(|(_, w)| *w)
            .collect();
        if !flags.is_empty() {
            s.push_str(&format!(" ({})", flags.join(", ")));
        }
        s
    }
}

/// The log file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditLog {
    path: PathBuf,
}

/// A line of the log that could not be read back (the rest still is).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BadLine {
    pub line: usize,
    pub error: String,
}

impl AuditLog {
    /// The log in the data dir.
    pub fn in_dir(data_dir: &Path) -> AuditLog {
        AuditLog {
            path: data_dir.join("audit.jsonl"),
        }
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Append one entry as one line. Appends are whole lines, so concurrent writers (two
    /// Sextants) never interleave within an entry.
    pub fn append(&self, entry: &AuditEntry) -> Result<(), String> {
        let fail = |e: std::io::Error| format!("cannot write the audit log {}: {e}", self.path.display());
        if let Some(dir) = self.path.parent() {
            std::fs::create_dir_all(dir).map_err(fail)?;
        }
        let mut line = serde_json::to_vec(entry).map_err(|e| format!("cannot encode an audit entry: {e}"))?;
        line.push(b'\n');
        let mut file = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(&self.path)
            .map_err(fail)?;
        file.write_all(&line).map_err(fail)
    }

    /// Every entry, oldest first, and the lines that could not be read. A missing log is empty.
    pub fn read(&self) -> Result<(Vec<AuditEntry>, Vec<BadLine>), String> {
        let file = match std::fs::File::open(&self.path) {
            Ok(f) => f,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok((Vec::new(), Vec::new())),
            Err(e) => return Err(format!("cannot read the audit log {}: {e}", self.path.display())),
        };
        let mut entries = Vec::new();
        let mut bad = Vec::new();
        for (i, line) in std::io::BufReader::new(file).lines().enumerate() {
            let line = line.map_err(|e| format!("cannot read the audit log {}: {e}", self.path.display()))?;
            if line.trim().is_empty() {
                continue;
            }
            match serde_json::from_str(&line) {
                Ok(e) => entries.push(e),
                Err(e) => bad.push(BadLine {
                    line: i + 1,
                    error: e.to_string(),
                }),
            }
        }
        Ok((entries, bad))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entries_append_as_lines_and_read_back_with_bad_lines_named() {
        let dir = tempfile::tempdir().unwrap();
        let log = AuditLog::in_dir(&dir.path().join("data"));
        assert_eq!(log.read().unwrap().0, Vec::new());
        let entry = AuditEntry {
            time: "2026-12-04T10:00:00Z".into(),
            action: "sync".into(),
            app: "guestbook".into(),
            outcome: "finished".into(),
            summary: "1 applied".into(),
            ..AuditEntry::default()
        };
        log.append(&entry).unwrap();
        std::fs::OpenOptions::new()
            .append(true)
            .open(log.path())
            .unwrap()
            .write_all(b"not json\n")
            .unwrap();
        log.append(&entry).unwrap();
        let (entries, bad) = log.read().unwrap();
        assert_eq!(entries, vec![entry.clone(), entry]);
        assert_eq!(bad.len(), 1);
        assert_eq!(bad[0].line, 2);
    }
}
