//! The Markdown body of a revert pull request: what the revert does on each cluster (objects
//! created, updated, deleted, with a short "spec.replicas 5→3"), then the reverted commits. The
//! input is plain data that the engine's preview of the reverted tree fills in.

use crate::git::CommitSummary;
use serde::Serialize;

/// Rows shown per app and cluster before "… and N more".
const MAX_ROWS_PER_CLUSTER: usize = 50;
/// Forges cap a description (GitHub at 65,536 characters); stay well under.
const MAX_BODY_CHARS: usize = 60_000;

/// What a sync of the reverted tree would do to one object.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum ChangeAction {
    Create,
    Update,
    Delete,
}

impl ChangeAction {
    fn word(self) -> &'static str {
        match self {
            ChangeAction::Create => "create",
            ChangeAction::Update => "update",
            ChangeAction::Delete => "delete",
        }
    }
}

/// One object the revert changes on a cluster.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ObjectChange {
    pub kind: String,
    /// `None` for cluster-scoped objects.
    pub namespace: Option<String>,
    pub name: String,
    pub action: ChangeAction,
    /// A short account of the change: `spec.replicas 5→3`. For a Secret only the field
    /// names are shown, never values.
    pub detail: String,
}

/// What the revert does to one app on one cluster.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ClusterImpact {
    pub app: String,
    pub cluster: String,
    pub changes: Vec<ObjectChange>,
    /// Said instead of (or after) the table: "could not preview: cluster unreachable".
    pub note: Option<String>,
}

impl ClusterImpact {
    /// How many objects it creates, updates and deletes, zeros left out: "1 to update",
    /// "2 to create, 1 to delete"; "nothing changes", or "not previewed" with a note.
    pub fn counts_text(&self) -> String {
        let n = |a: ChangeAction| self.changes.iter().filter(|c| c.action == a).count();
        let parts: Vec<String> = [
            (ChangeAction::Create, "create"),
            (ChangeAction::Update, "update"),
            (ChangeAction::Delete, "delete"),
        ]
        .into_iter()
        .filter(|(a, _)| n(*a) > 0)
        .map(|(a, word)| format!("{} to {word}", n(a)))
        .collect();
        match (parts.is_empty(), &self.note) {
            (false, _) => parts.join(", "),
            (true, Some(_)) => "not previewed".to_owned(),
            (true, None) => "nothing changes".to_owned(),
        }
    }
}

/// The body for a revert PR of `commits` (newest first) with these effects per cluster.
pub fn revert_pr_body(impacts: &[ClusterImpact], commits: &[CommitSummary]) -> String {
    let mut out = String::new();
    let count = match commits.len() {
        1 => "1 commit".to_owned(),
        n => format!("{n} commits"),
    };
    out.push_str(&format!(
        "This pull request reverts {count}. It was opened with Sextant.\n\n"
    ));
    out.push_str("## What this revert does on each cluster\n\n");
    if impacts.is_empty() {
        out.push_str("No app deploys the files this revert changes.\n\n");
    }
    if impacts.len() > 1 {
        overview(&mut out, impacts);
    }
    for impact in impacts {
        cluster_section(&mut out, impact);
    }
    out.push_str("## Commits reverted\n\n");
    for c in commits {
        out.push_str(&format!(
            "- {} {} ({})\n",
            c.short_sha,
            inline(&c.summary),
            inline(&c.author.name)
        ));
    }
    cap(out)
}

/// One line per app and cluster with its counts.
fn overview(out: &mut String, impacts: &[ClusterImpact]) {
    out.push_str("| App | Cluster | Create | Update | Delete |\n|---|---|---:|---:|---:|\n");
    for i in impacts {
        let n = |a: ChangeAction| i.changes.iter().filter(|c| c.action == a).count();
        out.push_str(&format!(
            "| {} | {} | {} | {} | {} |\n",
            cell(&i.app),
            cell(&i.cluster),
            n(ChangeAction::Create),
            n(ChangeAction::Update),
            n(ChangeAction::Delete)
        ));
    }
    out.push('\n');
}

fn cluster_section(out: &mut String, impact: &ClusterImpact) {
    out.push_str(&format!(
        "### {} on {}\n\n",
        inline(&impact.app),
        inline(&impact.cluster)
    ));
    if impact.changes.is_empty() && impact.note.is_none() {
        out.push_str("No change: the cluster would stay as it is.\n\n");
    }
    if !impact.changes.is_empty() {
        out.push_str("| Change | Object | What changes |\n|---|---|---|\n");
        for change in impact.changes.iter().take(MAX_ROWS_PER_CLUSTER) {
            out.push_str(&format!(
                "| {} | {} | {} |\n",
                change.action.word(),
                object_cell(change),
                cell(&shown_detail(change))
            ));
        }
        let more = impact.changes.len().saturating_sub(MAX_ROWS_PER_CLUSTER);
        if more > 0 {
            out.push_str(&format!("\n… and {more} more.\n"));
        }
        out.push('\n');
    }
    if let Some(note) = &impact.note {
        out.push_str(&format!("> {}\n\n", inline(note)));
    }
}

/// `` `Deployment guestbook/guestbook-ui` ``.
fn object_cell(change: &ObjectChange) -> String {
    let name = match &change.namespace {
        Some(ns) => format!("{} {ns}/{}", change.kind, change.name),
        None => format!("{} {}", change.kind, change.name),
    };
    if name.contains('`') {
        cell(&name)
    } else {
        format!("`{}`", name.replace('|', "\\|"))
    }
}

/// A Secret's detail keeps only the field it names: values never reach a PR.
fn shown_detail(change: &ObjectChange) -> String {
    if change.kind == "Secret" {
        return match change.detail.split_whitespace().next() {
            Some(field) => format!("{field} changed (value hidden)"),
            None => String::new(),
        };
    }
    change.detail.clone()
}

/// Text inside a table cell: no pipes, no line breaks, no raw HTML.
fn cell(text: &str) -> String {
    inline(text).replace('|', "\\|")
}

/// Text on one Markdown line, with no raw HTML.
fn inline(text: &str) -> String {
    text.replace(['\r', '\n'], " ")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

/// Cut an over-long body at a line boundary, and say so.
fn cap(body: String) -> String {
    if body.chars().count() <= MAX_BODY_CHARS {
        return body;
    }
    let mut cut: String = body.chars().take(MAX_BODY_CHARS).collect();
    if let Some(end) = cut.rfind('\n') {
        cut.truncate(end + 1);
    }
    cut.push_str("\n… (cut short: the full list is in the revert commit and Sextant's preview)\n");
    cut
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::git::Person;

    fn commit(sha: &str, summary: &str) -> CommitSummary {
        CommitSummary {
            sha: sha.repeat(40 / sha.len()),
            short_sha: sha.repeat(7 / sha.len() + 1)[..7].to_owned(),
            summary: summary.into(),
            author: Person {
                name: "Ada Lovelace".into(),
                email: "ada@example.com".into(),
                time: 0,
                offset_secs: 0,
            },
            commit_time: 0,
            parents: vec![],
            shallow_boundary: false,
        }
    }

    fn change(kind: &str, ns: Option<&str>, name: &str, action: ChangeAction, detail: &str) -> ObjectChange {
        ObjectChange {
            kind: kind.into(),
            namespace: ns.map(Into::into),
            name: name.into(),
            action,
            detail: detail.into(),
        }
    }

    #[test]
    fn counts_leave_out_zeros_and_say_when_nothing_changes() {
        let impact = |changes: Vec<ObjectChange>, note: Option<&str>| ClusterImpact {
            app: "payments".into(),
            cluster: "prod-eu".into(),
            changes,
            note: note.map(Into::into),
        };
        let update = change("Deployment", Some("payments"), "api", ChangeAction::Update, "");
        let delete = change("ConfigMap", Some("payments"), "old", ChangeAction::Delete, "");
        assert_eq!(impact(vec![update.clone()], None).counts_text(), "1 to update");
        assert_eq!(
            impact(vec![update.clone(), update, delete], None).counts_text(),
            "2 to update, 1 to delete"
        );
        assert_eq!(impact(vec![], None).counts_text(), "nothing changes");
        assert_eq!(impact(vec![], Some("unreachable")).counts_text(), "not previewed");
    }

    #[test]
    fn renders_each_cluster_and_the_commits() {
        let impacts = vec![
            ClusterImpact {
                app: "guestbook".into(),
                cluster: "prod-eu".into(),
                changes: vec![
                    change(
                        "Deployment",
                        Some("guestbook"),
                        "guestbook-ui",
                        ChangeAction::Update,
                        "spec.replicas 5→3",
                    ),
                    change("ConfigMap", Some("guestbook"), "extra", ChangeAction::Delete, ""),
                    change("Namespace", None, "guestbook", ChangeAction::Create, ""),
                ],
                note: None,
            },
            ClusterImpact {
                app: "guestbook".into(),
                cluster: "prod-us".into(),
                changes: vec![],
                note: None,
            },
        ];
        let body = revert_pr_body(&impacts, &[commit("9f2c1e0", "bump api to 1.4")]);
        let expected = "\
This pull request reverts 1 commit. It was opened with Sextant.

## What this revert does on each cluster

| App | Cluster | Create | Update | Delete |
|---|---|---:|---:|---:|
| guestbook | prod-eu | 1 | 1 | 1 |
| guestbook | prod-us | 0 | 0 | 0 |

### guestbook on prod-eu

| Change | Object | What changes |
|---|---|---|
| update | `Deployment guestbook/guestbook-ui` | spec.replicas 5→3 |
| delete | `ConfigMap guestbook/extra` |  |
| create | `Namespace guestbook` |  |

### guestbook on prod-us

No change: the cluster would stay as it is.

## Commits reverted

- 9f2c1e0 bump api to 1.4 (Ada Lovelace)
";
        assert_eq!(body, expected);
    }

    #[test]
    fn escapes_hides_secrets_and_caps() {
        let impacts = vec![ClusterImpact {
            app: "a|b".into(),
            cluster: "c".into(),
            changes: (0..60)
                .map(|i| {
                    change(
                        "Secret",
                        Some("ns"),
                        &format!("s{i}"),
                        ChangeAction::Update,
                        "data.password hunter2→hunter3",
                    )
                })
                .collect(),
            note: Some("could not preview:\n<cluster down>".into()),
        }];
        let body = revert_pr_body(&impacts, &[commit("a", "x"), commit("b", "y")]);
        assert!(body.contains("reverts 2 commits"), "{body}");
        assert!(!body.contains("hunter"), "{body}");
        assert!(body.contains("data.password changed (value hidden)"), "{body}");
        assert!(body.contains("… and 10 more."), "{body}");
        assert!(
            body.contains("> could not preview: &lt;cluster down&gt;"),
            "{body}"
        );
        assert!(body.contains("### a|b on c"), "{body}");

        let huge: Vec<ClusterImpact> = (0..200)
            .map(|i| ClusterImpact {
                app: format!("app{i}"),
                cluster: "c".into(),
                changes: (0..50)
                    .map(|j| {
                        change(
                            "ConfigMap",
                            Some("ns"),
                            &format!("cm{j}"),
                            ChangeAction::Update,
                            "data.x 1→2",
                        )
                    })
                    .collect(),
                note: None,
            })
            .collect();
        let body = revert_pr_body(&huge, &[commit("a", "x")]);
        assert!(body.chars().count() < 61_000);
        assert!(body.ends_with("preview)\n"), "{}", &body[body.len() - 200..]);
    }
}
