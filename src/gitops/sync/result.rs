//! What a sync did, object by object and in all: streamed as it happens, shown at the end,
//! and written to the audit log. Messages are the server's, with a Secret's values kept out.

use super::plan::Change;
use crate::kube::key::ObjectKey;
use serde::Serialize;

/// How one object fared.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "result", rename_all = "kebab-case")]
pub enum Outcome {
    /// Applied (created or changed).
    Applied,
    /// Deleted by prune (or found already gone).
    Pruned,
    /// The server refused, or it could not be sent; the message says why.
    Failed { message: String },
    /// Never sent: cancelled, the cluster stopped answering, or what it needs failed.
    Skipped { reason: String },
}

impl Outcome {
    pub fn is_failure(&self) -> bool {
        matches!(self, Outcome::Failed { .. })
    }
}

/// One object's result.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ObjectResult {
    pub key: ObjectKey,
    pub change: Change,
    #[serde(flatten)]
    pub outcome: Outcome,
}

impl ObjectResult {
    /// `✓ update Deployment/web -n guestbook`, `✗ create ConfigMap/x -n shop: 422 ...`.
    pub fn line(&self) -> String {
        let what = format!("{} {}", self.change.verb(), self.key.short());
        match &self.outcome {
            Outcome::Applied | Outcome::Pruned => format!("✓ {what}"),
            Outcome::Failed { message } => format!("✗ {what}: {message}"),
            Outcome::Skipped { reason } => format!("– {what}: {reason}"),
        }
    }
}

/// Counts of a finished sync.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Tally {
    pub applied: usize,
    pub pruned: usize,
    pub failed: usize,
    pub skipped: usize,
}

impl Tally {
    pub fn of(results: &[ObjectResult]) -> Tally {
        let mut t = Tally::default();
        for r in results {
            match r.outcome {
                Outcome::Applied => t.applied += 1,
                Outcome::Pruned => t.pruned += 1,
                Outcome::Failed { .. } => t.failed += 1,
                Outcome::Skipped { .. } => t.skipped += 1,
            }
        }
        t
    }

    /// "3 applied, 1 pruned, 1 failed" (skipped only when some were).
    pub fn words(&self) -> String {
        let mut s = format!(
            "{} applied, {} pruned, {} failed",
            self.applied, self.pruned, self.failed
        );
        if self.skipped > 0 {
            s.push_str(&format!(", {} not sent", self.skipped));
        }
        s
    }
}

/// How a sync ended.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Ending {
    /// Every planned object was sent (some may have failed).
    Finished,
    /// Stopped on request (Ctrl-C, Esc): no write was issued after.
    Cancelled,
    /// The cluster stopped answering part way: what was not sent is listed.
    ClusterLost,
    /// The action gate refused: nothing was written.
    Refused,
}

/// What one sync of one app on one cluster did.
#[derive(Debug, Clone, Serialize)]
pub struct SyncResult {
    pub app: String,
    pub cluster: String,
    pub context: String,
    pub revision: String,
    pub commit: String,
    pub pinned: bool,
    pub prune: bool,
    pub ending: Ending,
    /// Why nothing was written (a refusal), or what stopped it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
    pub tally: Tally,
    pub results: Vec<ObjectResult>,
}

impl SyncResult {
    /// The one line that ends a sync's output.
    pub fn summary(&self) -> String {
        let what = format!("{} on {} @{}", self.app, self.cluster, self.revision);
        let pin = if self.pinned { " (pinned)" } else { "" };
        match self.ending {
            Ending::Refused => format!("{what}: {}", self.message.as_deref().unwrap_or("refused")),
            Ending::Cancelled => format!("{what}{pin}: cancelled; {}", self.tally.words()),
            Ending::ClusterLost => format!(
                "{what}{pin}: stopped, {}; {}",
                self.message.as_deref().unwrap_or("the cluster stopped answering"),
                self.tally.words()
            ),
            Ending::Finished => format!("{what}{pin}: {}", self.tally.words()),
        }
    }

    /// Whether every planned object was applied or pruned.
    pub fn all_done(&self) -> bool {
        self.ending == Ending::Finished && self.tally.failed == 0 && self.tally.skipped == 0
    }
}

/// A server message about a Secret, with anything quoted after "Invalid value:" masked:
/// validation messages can echo a value.
pub fn redact_secret_message(kind: &str, message: &str) -> String {
    if kind != "Secret" {
        return message.to_string();
    }
    let mut out = String::new();
    let mut rest = message;
    while let Some(at) = rest.find("Invalid value: ") {
        let (head, tail) = rest.split_at(at + "Invalid value: ".len());
        out.push_str(head);
        let cut = match tail.strip_prefix('"') {
            Some(q) => q.find('"').map(|end| end + 2).unwrap_or(tail.len()),
            None => tail.find(':').unwrap_or(tail.len()),
        };
        out.push_str("***");
        rest = &tail[cut..];
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secret_messages_never_echo_a_value() {
        let m = r#"Secret "db" is invalid: data[password]: Invalid value: "hunter2": must be base64"#;
        assert_eq!(
            redact_secret_message("Secret", m),
            r#"Secret "db" is invalid: data[password]: Invalid value: ***: must be base64"#
        );
        assert_eq!(redact_secret_message("ConfigMap", m), m);
    }

    #[test]
    fn a_tally_counts_each_outcome() {
        let r = |outcome| ObjectResult {
            key: ObjectKey {
                group: String::new(),
                kind: "ConfigMap".into(),
                namespace: "a".into(),
                name: "b".into(),
            },
            change: Change::Update,
            outcome,
        };
        let results = [
            r(Outcome::Applied),
            r(Outcome::Applied),
            r(Outcome::Pruned),
            r(Outcome::Failed { message: "x".into() }),
            r(Outcome::Skipped { reason: "y".into() }),
        ];
        let t = Tally::of(&results);
        assert_eq!(t.words(), "2 applied, 1 pruned, 1 failed, 1 not sent");
        assert_eq!(results[3].line(), "✗ update ConfigMap/b -n a: x");
    }
}
