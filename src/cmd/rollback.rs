//! `sextant rollback APP [--to REV] [--cluster C] [--pr | --sync] [--yes] [--dry-run]`: put an
//! app back to an earlier revision. Without `--to`, list the app's history to pick from: the
//! commits that changed what it renders, each marked with where it runs and where it was
//! synced. With `--to`, either open a revert pull request of the app's commits since REV (the
//! default, GitOps-pure: `sextant revert REV --since --pr`), or, in an emergency, `--sync` REV
//! now (`sextant sync APP --revision REV`: a pinned sync, shown as pinned until Git catches
//! up). Both preview against live and ask first; the choice is recorded in the audit log.

use super::args::GlobalArgs;
use super::publish::{PublishFlags, Workspace};
use super::revert::{self, RevertArgs};
use super::revert_text;
use super::style::AnsiTheme;
use super::sync::{self, SyncArgs};
use crate::gitops::actions::history::{self, HistoryRequest};
use crate::gitops::actions::{Rollback, RollbackMode};
use crate::logging::Dirs;
use clap::Args;
use color_eyre::eyre::eyre;
use std::collections::BTreeMap;

#[derive(Debug, Clone, Args)]
pub struct RollbackArgs {
    /// The app to roll back.
    pub app: String,
    /// The revision to go back to (see the list `sextant rollback APP` prints).
    #[arg(long, value_name = "REV")]
    pub to: Option<String>,
    /// Only this cluster (for --sync; a pull request changes Git, so every cluster).
    #[arg(long)]
    pub cluster: Option<String>,
    /// Open a revert pull request of the app's commits since REV (the default); other apps'
    /// commits stay.
    #[arg(long, conflicts_with = "sync")]
    pub pr: bool,
    /// Emergency: sync REV to the clusters now, pinning the app there until Git catches up.
    #[arg(long)]
    pub sync: bool,
    /// With --sync: also delete the app's objects that REV does not have.
    #[arg(long, requires = "sync")]
    pub prune: bool,
    /// The remote to push the revert branch to. Default: the branch's push remote.
    #[arg(long, value_name = "R")]
    pub remote: Option<String>,
    /// Show what it would do, and write nothing.
    #[arg(long)]
    pub dry_run: bool,
    /// Do not ask (needed without a terminal).
    #[arg(long, short = 'y')]
    pub yes: bool,
}

pub fn run(args: &RollbackArgs, global: &GlobalArgs, dirs: &Dirs) -> color_eyre::Result<i32> {
    let ws = Workspace::open(global, dirs)?;
    let Some(to) = &args.to else {
        return list(args, global, dirs, &ws);
    };
    let revision = ws.repo.resolve(to).map_err(|e| {
        eyre!(
            "{e}; `sextant rollback {}` lists the revisions to pick from",
            args.app
        )
    })?;
    let mode = if args.sync {
        RollbackMode::Sync
    } else {
        RollbackMode::PullRequest
    };
    let mut details = BTreeMap::new();
    let (code, outcome, summary) = match mode {
        RollbackMode::Sync => {
            eprintln!(
                "Emergency rollback: {} goes to {} now and stays pinned there until the branch renders \
                 the same (revert or fix on the branch, then sync).",
                args.app,
                crate::git::short(&revision)
            );
            let sync_args = SyncArgs {
                app: Some(args.app.clone()),
                cluster: args.cluster.clone(),
                revision: Some(revision.clone()),
                prune: args.prune,
                dry_run: args.dry_run,
                yes: args.yes,
                objects: Vec::new(),
                refresh: false,
                hard_refresh: false,
                suspend: false,
                resume: false,
                wait: 300,
            };
            let code = sync::run(&sync_args, global, dirs)?;
            let (outcome, summary) = match code {
                0 => (
                    "finished",
                    format!("synced {} to its clusters, pinned", crate::git::short(&revision)),
                ),
                1 => (
                    "failed",
                    "some objects failed or were not sent (see the sync's entry)".into(),
                ),
                _ => (
                    "refused",
                    "the sync was refused or could not be planned (see above)".into(),
                ),
            };
            (code, outcome, summary)
        }
        RollbackMode::PullRequest => {
            if args.cluster.is_some() {
                eprintln!(
                    "note: a revert pull request changes Git, so it reaches every cluster of the app; --cluster only narrows --sync"
                );
            }
            let app_commits = app_commits_since(args, &ws, &revision)?;
            let revert_args = RevertArgs {
                app_commits,
                commit: revision.clone(),
                mainline: None,
                since: true,
                push: true,
                pr: true,
                flags: PublishFlags {
                    remote: args.remote.clone(),
                    draft: false,
                    dry_run: args.dry_run,
                    yes: args.yes,
                },
            };
            let done = revert::execute(&revert_args, global, dirs)?;
            if let Some(b) = &done.branch {
                details.insert("branch".to_string(), b.clone());
            }
            if let Some(url) = &done.pull_request {
                details.insert("pull request".to_string(), url.clone());
            }
            let (outcome, summary) = match (done.code, done.cancelled) {
                (_, true) => ("cancelled", "nothing was written".to_string()),
                (0, _) => (
                    "finished",
                    format!(
                        "revert of the commits of {} since {} proposed",
                        args.app,
                        crate::git::short(&revision)
                    ),
                ),
                (1, _) => ("failed", done.error.unwrap_or_default()),
                _ => ("refused", done.error.unwrap_or_default()),
            };
            (done.code, outcome, summary)
        }
    };
    if !args.dry_run {
        ws.actor.rollback(&Rollback {
            app: &args.app,
            cluster: args.cluster.as_deref().unwrap_or_default(),
            revision: &revision,
            mode,
            outcome,
            summary,
            details,
        });
    }
    Ok(code)
}

/// The app's own commits newer than `revision` (newest first), when `revision` is one of its
/// history's entries; else `None`, and the revert takes everything since (said on stderr).
fn app_commits_since(
    args: &RollbackArgs,
    ws: &Workspace,
    revision: &str,
) -> color_eyre::Result<Option<(String, Vec<String>)>> {
    let history = history::app_history(&HistoryRequest {
        repo: &ws.path,
        user: &ws.user,
        app: &args.app,
        deployed: &[],
        audit: &[],
        max: history::MAX_COMMITS,
    })
    .map_err(|e| eyre!(e))?;
    match history.entries.iter().position(|e| e.commit.sha == revision) {
        Some(at) => Ok(Some((
            args.app.clone(),
            history.entries[..at]
                .iter()
                .map(|e| e.commit.sha.clone())
                .collect(),
        ))),
        None => {
            eprintln!(
                "note: {} did not change {} (it is not in `sextant rollback {}`), so everything the branch gained since is reverted",
                crate::git::short(revision),
                args.app,
                args.app
            );
            Ok(None)
        }
    }
}

/// The app's history, to pick `--to` from.
fn list(args: &RollbackArgs, global: &GlobalArgs, dirs: &Dirs, ws: &Workspace) -> color_eyre::Result<i32> {
    let reports = super::reports::collect(global, dirs, Some(args.app.clone()), args.cluster.clone(), None)?;
    let deployed: Vec<(String, String)> = reports
        .iter()
        .filter_map(|r| r.deployed.clone().map(|d| (r.cluster.clone(), d)))
        .collect();
    let audit = crate::gitops::audit::AuditLog::in_dir(&dirs.data)
        .read()
        .map(|(entries, _)| entries)
        .unwrap_or_default();
    let history = history::app_history(&HistoryRequest {
        repo: &ws.path,
        user: &ws.user,
        app: &args.app,
        deployed: &deployed,
        audit: &audit,
        max: history::MAX_COMMITS,
    })
    .map_err(|e| eyre!(e))?;
    if global.output == super::args::OutputFormat::Json {
        println!("{}", serde_json::to_string_pretty(&history)?);
        return Ok(0);
    }
    print!("{}", revert_text::history_text(&history, AnsiTheme::for_stdout()));
    println!(
        "\nPick one: `sextant rollback {} --to REV` opens a revert pull request of the app's commits since; \
         add --sync to sync it now instead (an emergency: the app is pinned).",
        args.app
    );
    Ok(0)
}
