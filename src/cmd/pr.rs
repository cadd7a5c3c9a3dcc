//! `sextant pr [--branch B] [--base B] [--title T] [--remote R] [--draft] [--yes] [--dry-run]`:
//! push a branch (default: the checked-out one) and open its pull request on the forge the
//! remote lives on, through the action gate and into the audit log. A `sextant/revert-*`
//! branch gets the revert's body: what it does on each cluster. Without a token, or when the
//! forge fails, the compare page to open it by hand is printed. Exit 0 done, 1 when the forge
//! failed (the compare page is printed), 2 on a refusal or an error.

use super::args::{GlobalArgs, OutputFormat};
use super::publish::{PublishFlags, Workspace, preview_commit};
use super::revert_text;
use super::style::AnsiTheme;
use crate::forge::{PrOutcome, revert_pr_body};
use crate::gate::Action;
use crate::git::CommitSummary;
use crate::gitops::actions::branch_pr::{BranchPr, BranchPrRequest, plan_branch_pr};
use crate::logging::Dirs;
use clap::Args;
use color_eyre::eyre::eyre;

#[derive(Debug, Clone, Args)]
pub struct PrArgs {
    /// The branch to open the pull request for. Default: the checked-out branch.
    #[arg(long)]
    pub branch: Option<String>,
    /// The branch to merge into. Default: the remote's default branch (its HEAD), else the
    /// branch's upstream, else main or master.
    #[arg(long)]
    pub base: Option<String>,
    /// The title. Default: the branch's last commit's subject.
    #[arg(long)]
    pub title: Option<String>,
    #[command(flatten)]
    pub flags: PublishFlags,
}

pub fn run(args: &PrArgs, global: &GlobalArgs, dirs: &Dirs) -> color_eyre::Result<i32> {
    let ws = Workspace::open(global, dirs)?;
    let json = global.output == OutputFormat::Json;
    let theme = AnsiTheme::for_stdout();
    let BranchPr {
        branch,
        remote,
        tip,
        plan: mut pr,
    } = plan_branch_pr(
        &ws.repo,
        &ws.user,
        &BranchPrRequest {
            branch: args.branch.as_deref(),
            base: args.base.as_deref(),
            title: args.title.as_deref(),
            remote: args.flags.remote.as_deref(),
            draft: args.flags.draft,
        },
    )
    .map_err(|e| eyre!(e))?;
    let reverted = reverted_commits(&ws, &tip.message);
    if !reverted.is_empty() {
        // A revert branch: the body says what it does on each cluster.
        let before = tip.commit.parents.first().cloned().unwrap_or_default();
        let impacts = preview_commit(global, dirs, &ws, &before, &tip.commit.sha);
        if !json {
            print!("{}", revert_text::impacts_text(&impacts, theme));
        }
        pr.pr.body = revert_pr_body(&impacts, &reverted);
    }
    if !json {
        println!(
            "{}\n  {} into {} on {}, pushed to {} ({})",
            theme.header(&pr.pr.title),
            pr.pr.head,
            pr.pr.base,
            pr.forge.repo_url(),
            remote.name,
            remote.url
        );
    }
    let writes = [
        (Action::Push, remote.target()),
        (Action::PullRequest, pr.forge.target()),
    ];
    if let Err(refusal) = ws.check("pull-request", &tip.commit.sha, &writes) {
        eprintln!("{refusal}\nNothing was written.");
        return Ok(2);
    }
    if args.flags.dry_run {
        println!("Dry run: nothing was written.");
        return Ok(0);
    }
    let question = format!(
        "Push {branch} to {} and open the pull request into {}?",
        remote.name, pr.pr.base
    );
    if !super::prompt::confirm(&question, args.flags.yes, "open a pull request")? {
        eprintln!("Cancelled: nothing was written.");
        return Ok(0);
    }
    let pushed = ws.push(&branch, Some(&remote.name)).map_err(|e| eyre!("{e}"))?;
    let outcome = pr.open(&ws.actor, &ws.user).map_err(|e| eyre!("{e}"))?;
    if json {
        let error = match &outcome {
            PrOutcome::Manual { error: Some(e), .. } => Some(e.to_string()),
            _ => None,
        };
        println!(
            "{}",
            serde_json::to_string_pretty(&serde_json::json!({
                "branch": branch,
                "base": pr.pr.base,
                "pushed_ref": format!("refs/heads/{}", pushed.branch),
                "pull_request": outcome.url(),
                "pull_request_error": error,
            }))?
        );
    } else {
        println!("{}", revert_text::push_line(&pushed, theme));
        println!("{}", revert_text::pr_line(&outcome, theme));
    }
    Ok(match outcome {
        PrOutcome::Manual { error: Some(_), .. } => 1,
        _ => 0,
    })
}

/// The commits a revert commit's message names (`This reverts commit <sha>`), found here.
fn reverted_commits(ws: &Workspace, message: &str) -> Vec<CommitSummary> {
    message
        .split("This reverts commit ")
        .skip(1)
        .filter_map(|rest| {
            let sha: String = rest.chars().take_while(char::is_ascii_hexdigit).collect();
            (sha.len() >= 7).then_some(sha)
        })
        .filter_map(|sha| ws.repo.commit_detail(&sha).ok().map(|d| d.commit))
        .collect()
}
