//! `sextant revert COMMIT [-m N] [--since] [--push] [--pr] [--remote R] [--yes] [--dry-run]`:
//! undo a commit (or everything since one) on a new branch `sextant/revert-<short>`, in memory,
//! never touching the worktree, the index or the checked-out branch; show the files and what the
//! revert does on each cluster; then, once confirmed, create the branch, push it and open the
//! pull request, whose body says what it does per cluster. Everything goes through the action
//! gate and into the audit log. Exit 0 done, 1 when the pull request had to be left to the
//! compare page because the forge failed, 2 on a refusal or an error (nothing written).

use super::args::{GlobalArgs, OutputFormat};
use super::publish::{PublishFlags, Workspace, preview_revert};
use super::revert_text;
use super::style::AnsiTheme;
use crate::forge::{NewPullRequest, PrOutcome, revert_pr_body};
use crate::gate::Action;
use crate::git::{RevertPlan, RevertSpec};
use crate::gitops::actions::{PrPlan, pr_base};
use crate::logging::Dirs;
use clap::Args;
use color_eyre::eyre::eyre;

#[derive(Debug, Clone, Args)]
pub struct RevertArgs {
    /// The commit to revert (any revision: a sha, a tag, `HEAD~2`).
    pub commit: String,
    /// For a merge commit: the parent whose side is kept, 1-based (as `git revert -m`).
    #[arg(long, short = 'm', value_name = "N")]
    pub mainline: Option<usize>,
    /// Revert everything the branch gained since COMMIT (a deployed revision), as one commit.
    #[arg(long, conflicts_with = "mainline")]
    pub since: bool,
    /// Push the revert branch.
    #[arg(long)]
    pub push: bool,
    /// Push it and open a pull request (implies --push).
    #[arg(long)]
    pub pr: bool,
    #[command(flatten)]
    pub flags: PublishFlags,
    /// Set by `sextant rollback`: revert only this app's commits since COMMIT (newest first).
    #[arg(skip)]
    pub app_commits: Option<(String, Vec<String>)>,
}

impl RevertArgs {
    fn spec(&self) -> RevertSpec {
        if let Some((app, revs)) = &self.app_commits {
            return RevertSpec::app_since(app, &self.commit, revs.clone());
        }
        match (self.since, self.mainline) {
            (true, _) => RevertSpec::since(&self.commit),
            (false, Some(m)) => RevertSpec::merge(&self.commit, m),
            (false, None) => RevertSpec::commit(&self.commit),
        }
    }
}

/// What a run did, for `--output json`.
#[derive(Default, serde::Serialize)]
struct Report<'a> {
    plan: Option<&'a RevertPlan>,
    impacts: &'a [crate::forge::ClusterImpact],
    #[serde(skip_serializing_if = "Option::is_none")]
    branch: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    commit: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pushed_ref: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pull_request: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pull_request_error: Option<String>,
}

pub fn run(args: &RevertArgs, global: &GlobalArgs, dirs: &Dirs) -> color_eyre::Result<i32> {
    execute(args, global, dirs).map(|done| done.code)
}

/// How a revert run ended: the exit code, and what exists now.
#[derive(Debug, Default)]
pub struct Done {
    pub code: i32,
    /// The user said no: nothing was written.
    pub cancelled: bool,
    pub branch: Option<String>,
    /// The pull request's page, or the compare page to open it by hand.
    pub pull_request: Option<String>,
    /// Why something was refused or failed.
    pub error: Option<String>,
}

/// Plan, preview, confirm, then create, push and open the pull request as asked.
pub fn execute(args: &RevertArgs, global: &GlobalArgs, dirs: &Dirs) -> color_eyre::Result<Done> {
    let ws = Workspace::open(global, dirs)?;
    let json = global.output == OutputFormat::Json;
    let theme = AnsiTheme::for_stdout();
    let mut plan = ws.repo.plan_revert(&args.spec()).map_err(|e| eyre!("{e}"))?;
    let publish = args.push || args.pr;
    // Where it would go, before anything is written: no remote or no forge is said now.
    let remote = match publish {
        true => Some(
            ws.repo
                .push_remote(args.flags.remote.as_deref())
                .map_err(|e| eyre!("{e}"))?,
        ),
        false => None,
    };
    let pr = match (&remote, args.pr) {
        (Some(remote), true) => Some(
            PrPlan::new(
                remote,
                &ws.user,
                NewPullRequest {
                    title: plan.title().to_string(),
                    body: String::new(),
                    head: plan.branch.clone(),
                    base: pr_base(&ws.repo, &plan.onto),
                    draft: args.flags.draft,
                },
            )
            .map_err(|e| eyre!("cannot open a pull request: {e}"))?,
        ),
        _ => None,
    };
    let impacts = preview_revert(global, dirs, &ws, &mut plan)?;
    if !json {
        print!("{}", revert_text::plan_text(&plan, theme));
        print!("{}", revert_text::impacts_text(&impacts, theme));
        if let Some(pr) = &pr {
            println!(
                "\nThe pull request goes to {} ({} into {}).",
                pr.forge.repo_url(),
                pr.pr.head,
                pr.pr.base
            );
        }
    }
    let revision = plan.reverted.first().map(|c| c.sha.clone()).unwrap_or_default();
    let mut writes = vec![(Action::Revert, ws.repo.revert_target())];
    writes.extend(remote.iter().map(|r| (Action::Push, r.target())));
    writes.extend(pr.iter().map(|p| (Action::PullRequest, p.forge.target())));
    if let Err(refusal) = ws.check("revert", &revision, &writes) {
        eprintln!("{refusal}");
        eprintln!("Nothing was written.");
        return Ok(Done {
            code: 2,
            error: Some(refusal.to_string()),
            ..Done::default()
        });
    }
    let mut report = Report {
        plan: Some(&plan),
        impacts: &impacts,
        ..Report::default()
    };
    if args.flags.dry_run {
        if json {
            println!("{}", serde_json::to_string_pretty(&report)?);
        } else {
            println!("\nDry run: nothing was written.");
        }
        return Ok(Done::default());
    }
    let question = match (&remote, &pr) {
        (Some(r), Some(_)) => format!(
            "Create {}, push it to {} and open the pull request?",
            plan.branch, r.name
        ),
        (Some(r), None) => format!("Create {} and push it to {}?", plan.branch, r.name),
        _ => format!("Create {}?", plan.branch),
    };
    if !super::prompt::confirm(&question, args.flags.yes, "revert")? {
        eprintln!("Cancelled: nothing was written.");
        return Ok(Done {
            cancelled: true,
            ..Done::default()
        });
    }
    let out = ws.actor.revert(&ws.repo, &plan).map_err(|e| eyre!("{e}"))?;
    if !json {
        println!("{}", revert_text::revert_line(&out, theme));
    }
    report.branch = Some(out.branch().to_string());
    report.commit = Some(out.commit.clone());
    let mut done = Done {
        branch: report.branch.clone(),
        ..Done::default()
    };
    if let Some(remote) = &remote {
        let pushed = ws.push(out.branch(), Some(&remote.name)).map_err(|e| {
            eyre!(
                "{e}\nThe branch {} is kept locally; push it later with --push or `git push`.",
                out.branch()
            )
        })?;
        if !json {
            println!("{}", revert_text::push_line(&pushed, theme));
        }
        report.pushed_ref = Some(format!("refs/heads/{}", pushed.branch));
    }
    if let Some(mut pr) = pr {
        pr.pr.body = revert_pr_body(&impacts, &plan.reverted);
        let outcome = pr.open(&ws.actor, &ws.user).map_err(|e| eyre!("{e}"))?;
        if !json {
            println!("{}", revert_text::pr_line(&outcome, theme));
        }
        report.pull_request = Some(outcome.url().to_string());
        done.pull_request = report.pull_request.clone();
        if let PrOutcome::Manual { error: Some(e), .. } = &outcome {
            report.pull_request_error = Some(e.to_string());
            done.error = report.pull_request_error.clone();
            done.code = 1;
        }
    }
    if json {
        println!("{}", serde_json::to_string_pretty(&report)?);
    }
    Ok(done)
}
