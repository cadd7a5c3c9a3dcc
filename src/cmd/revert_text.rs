//! Text for `sextant revert`, `sextant pr` and `sextant rollback`: the revert's plan (its
//! branch, the commits it undoes, the files it changes), what it does on each cluster, and one
//! line per step that ran (the branch, the pushed ref, the pull request). Pure functions.

use super::style::AnsiTheme;
use crate::forge::{ChangeAction, ClusterImpact, PrOutcome};
use crate::git::{PushOutcome, PushStatus, RevertOutcome, RevertPlan, short};
use crate::gitops::actions::history::History;
use std::fmt::Write;

/// The plan: title, branch, the reverted commits and the files.
pub fn plan_text(plan: &RevertPlan, theme: AnsiTheme) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "{}", theme.header(plan.title()));
    let branch_note = if plan.existing_commit.is_some() {
        "exists already with this very revert: it is reused"
    } else {
        "new"
    };
    let _ = writeln!(
        out,
        "  branch   {} ({branch_note}, on {} @{})",
        plan.branch,
        plan.onto,
        short(&plan.head)
    );
    for (i, c) in plan.reverted.iter().enumerate() {
        let label = if i == 0 { "reverts" } else { "" };
        let _ = writeln!(
            out,
            "  {label:<8} {} {} ({})",
            c.short_sha, c.summary, c.author.name
        );
    }
    for (i, f) in plan.files.iter().enumerate() {
        let label = if i == 0 { "files" } else { "" };
        let counts = if f.binary {
            "binary".to_string()
        } else {
            format!(
                "{} {}",
                theme.added(&format!("+{}", f.additions)),
                theme.removed(&format!("-{}", f.deletions))
            )
        };
        let _ = writeln!(out, "  {label:<8} {} {}  {counts}", f.kind.letter(), f.path);
    }
    out
}

/// What the revert does on each cluster, as the preview of its commit against live says.
pub fn impacts_text(impacts: &[ClusterImpact], theme: AnsiTheme) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "\n{}",
        theme.header("What it changes on each cluster (the revert commit previewed against live):")
    );
    if impacts.is_empty() {
        let _ = writeln!(
            out,
            "  no app of sextant.yaml renders differently: no cluster would change"
        );
    }
    for i in impacts {
        let _ = writeln!(out, "  {} on {}: {}", i.app, i.cluster, i.counts_text());
        for c in &i.changes {
            let (sign, word) = match c.action {
                ChangeAction::Create => (theme.added("+"), "create"),
                ChangeAction::Update => (theme.changed("~"), "update"),
                ChangeAction::Delete => (theme.removed("-"), "delete"),
            };
            let object = match &c.namespace {
                Some(ns) => format!("{}/{} -n {ns}", c.kind, c.name),
                None => format!("{}/{}", c.kind, c.name),
            };
            let detail = if c.kind == "Secret" {
                c.detail.split_whitespace().next().unwrap_or_default().to_string()
            } else {
                c.detail.clone()
            };
            let _ = writeln!(out, "    {sign} {word:<7} {object}  {detail}");
        }
        if let Some(note) = &i.note {
            let _ = writeln!(out, "    {}", theme.comment(note));
        }
    }
    out
}

/// `✓ branch sextant/revert-1a2b3c4 at 9f2c1e0 (created)`.
pub fn revert_line(out: &RevertOutcome, theme: AnsiTheme) -> String {
    let how = if out.reused { "reused" } else { "created" };
    format!(
        "{} branch {} at {} ({how}; your worktree, index and {} are untouched)",
        theme.added("✓"),
        out.branch(),
        short(&out.commit),
        out.plan.onto
    )
}

/// `✓ pushed refs/heads/x to origin (URL): new branch`, with what the server said.
pub fn push_line(out: &PushOutcome, theme: AnsiTheme) -> String {
    let how = match out.status {
        PushStatus::Created => "new branch",
        PushStatus::Updated => "updated",
        PushStatus::UpToDate => "already there",
    };
    let mut line = format!(
        "{} pushed refs/heads/{} to {} ({}): {how}",
        theme.added("✓"),
        out.branch,
        out.remote.name,
        out.remote.url
    );
    for s in &out.server {
        line.push_str(&format!("\n    {}", theme.dim(s)));
    }
    line
}

/// The pull request, or the page to open it by hand and why.
pub fn pr_line(out: &PrOutcome, theme: AnsiTheme) -> String {
    match out {
        PrOutcome::Created(p) => format!(
            "{} opened pull request #{}: {}",
            theme.added("✓"),
            p.number,
            p.url
        ),
        PrOutcome::Existing(p) => format!(
            "{} a pull request for this branch is open already, #{}: {}",
            theme.added("✓"),
            p.number,
            p.url
        ),
        PrOutcome::Manual { compare_url, error } => {
            let why = match error {
                Some(e) => e.to_string(),
                None => "no forge token found (GH_TOKEN, GITLAB_TOKEN, GITEA_TOKEN, a token_command in \
                         config.yaml, or `gh auth login`)"
                    .to_string(),
            };
            format!(
                "{} open the pull request by hand: {compare_url}\n    why: {why}",
                theme.comment("!")
            )
        }
    }
}

/// An app's history for `sextant rollback APP` with no `--to`.
pub fn history_text(h: &History, theme: AnsiTheme) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{}",
        theme.header(&format!(
            "{}: the commits that changed what it renders, newest first",
            h.app
        ))
    );
    for e in &h.entries {
        let mut marks: Vec<String> = e.running.iter().map(|c| format!("⚑{c}")).collect();
        if e.current {
            marks.insert(0, "head".into());
        }
        for (cluster, time) in &e.synced {
            marks.push(format!("synced to {cluster} {time}"));
        }
        let marks = if marks.is_empty() {
            String::new()
        } else {
            format!("  {}", theme.comment(&marks.join(" · ")))
        };
        let _ = writeln!(
            out,
            "  {} {} {} ({}){marks}",
            e.commit.short_sha,
            e.commit.author.short_date(),
            e.commit.summary,
            e.commit.author.name
        );
    }
    for (cluster, commit) in &h.older {
        let _ = writeln!(
            out,
            "  {} runs {}, older than the commits shown",
            cluster,
            short(commit)
        );
    }
    if !h.complete {
        let _ = writeln!(out, "  {}", theme.dim("(only the last 50 commits are looked at)"));
    }
    out
}
