//! Text for `sextant sync`: the plan (what will be applied and pruned, per cluster), the
//! confirmation that names it, and the results grouped per cluster. Pure functions of the
//! engine's plans and results.

use super::style::AnsiTheme;
use crate::gitops::engine::{GateVerdict, PreviewReport};
use crate::gitops::sync::plan::{Change, PlannedObject, SyncPlan};
use crate::gitops::sync::result::{Outcome, SyncResult, Tally};
use std::fmt::Write;

/// One cluster's planning answer.
pub struct ClusterPlans<'a> {
    pub cluster: &'a str,
    pub preview: &'a PreviewReport,
}

fn sign(change: Change) -> &'static str {
    match change {
        Change::Create => "+",
        Change::Update => "~",
        Change::Delete => "-",
    }
}

fn object_line(o: &PlannedObject, note: &str) -> String {
    let paths = match o.paths.as_slice() {
        [] => String::new(),
        [one] => format!("  {one}"),
        [first, rest @ ..] => format!("  {first} (+{} more)", rest.len()),
    };
    format!(
        "  {} {:<7} {}{paths}{note}",
        sign(o.change),
        o.change.verb(),
        o.key.short()
    )
}

/// The plan of every cluster: what each app's sync will do.
pub fn plans_text(clusters: &[ClusterPlans<'_>], prune: bool, theme: AnsiTheme) -> String {
    let mut out = String::new();
    for c in clusters {
        let p = c.preview;
        if let Some(error) = &p.error {
            let _ = writeln!(out, "{}", theme.error(&format!("{}: {error}", c.cluster)));
            continue;
        }
        for plan in &p.plans {
            let _ = writeln!(out, "{}", theme.header(&plan_title(plan, p)));
            for o in &plan.apply {
                let _ = writeln!(out, "{}", paint(theme, o.change, &object_line(o, "")));
            }
            for o in &plan.prune {
                let note = if prune {
                    ""
                } else {
                    "   (kept: pass --prune to delete)"
                };
                let _ = writeln!(out, "{}", paint(theme, o.change, &object_line(o, note)));
            }
            for b in &plan.blocked {
                let _ = writeln!(
                    out,
                    "{}",
                    theme.error(&format!("  ! blocked {}: {}", b.key.short(), b.reason))
                );
            }
            let _ = writeln!(out, "  {}", plan.summary(prune));
        }
        match &p.gate {
            GateVerdict::Allowed => {}
            GateVerdict::NeedsTypedName => {
                let _ = writeln!(out, "  {} is protected: its name will be asked for", c.cluster);
            }
            GateVerdict::Refused(why) => {
                let _ = writeln!(out, "{}", theme.error(&format!("  {why}")));
            }
        }
    }
    out
}

fn paint(theme: AnsiTheme, change: Change, line: &str) -> String {
    match change {
        Change::Create => theme.added(line),
        Change::Update => theme.changed(line),
        Change::Delete => theme.removed(line),
    }
}

/// `Sync guestbook on prod-us @0355da2`, and why it will pin the app when it does.
fn plan_title(plan: &SyncPlan, p: &PreviewReport) -> String {
    let pin = if plan.pinned {
        format!(
            " (not the branch head: {} will show as pinned @{} until a sync to the head)",
            plan.app, plan.revision
        )
    } else {
        String::new()
    };
    let asked = if p.revision != plan.revision && p.revision != plan.commit {
        format!(" ({})", p.revision)
    } else {
        String::new()
    };
    format!(
        "Sync {} on {} @{}{asked}{pin}",
        plan.app, plan.cluster, plan.revision
    )
}

/// The question asked before writing: how much, where, and, with prune, exactly what will
/// be deleted.
pub fn confirmation(plans: &[&SyncPlan], prune: bool) -> String {
    let applies: usize = plans.iter().map(|p| p.apply.len()).sum();
    let mut clusters: Vec<&str> = plans.iter().map(|p| p.cluster.as_str()).collect();
    clusters.dedup();
    let mut q = format!(
        "Apply {applies} object{} to {}",
        if applies == 1 { "" } else { "s" },
        clusters.join(", ")
    );
    let doomed: Vec<&PlannedObject> = plans.iter().flat_map(|p| p.prune.iter()).collect();
    if prune && !doomed.is_empty() {
        let _ = write!(q, " and DELETE {}:", doomed.len());
        for p in plans {
            for o in &p.prune {
                let _ = write!(q, "\n    {} on {} ({})", o.key.short(), p.cluster, p.app);
            }
        }
        q.push('\n');
    }
    q.push_str("? [y/N] ");
    q
}

/// The results of one cluster's syncs, as a block.
pub fn cluster_block(cluster: &str, results: &[&SyncResult], theme: AnsiTheme) -> String {
    let mut out = format!("{}\n", theme.header(cluster));
    for r in results {
        for o in &r.results {
            let line = format!("  {}", o.line());
            let line = match o.outcome {
                Outcome::Applied | Outcome::Pruned => line,
                Outcome::Failed { .. } => theme.error(&line),
                Outcome::Skipped { .. } => theme.dim(&line),
            };
            let _ = writeln!(out, "{line}");
        }
        let summary = format!("  {}", r.summary());
        let _ = writeln!(
            out,
            "{}",
            if r.all_done() {
                summary
            } else {
                theme.error(&summary)
            }
        );
    }
    out
}

/// The last line: everything, in all.
pub fn total_line(results: &[&SyncResult]) -> String {
    let mut t = Tally::default();
    for r in results {
        t.applied += r.tally.applied;
        t.pruned += r.tally.pruned;
        t.failed += r.tally.failed;
        t.skipped += r.tally.skipped;
    }
    let mut clusters: Vec<&str> = results.iter().map(|r| r.cluster.as_str()).collect();
    clusters.sort();
    clusters.dedup();
    format!(
        "Synced {} app{} on {} cluster{}: {}",
        results.len(),
        if results.len() == 1 { "" } else { "s" },
        clusters.len(),
        if clusters.len() == 1 { "" } else { "s" },
        t.words()
    )
}
