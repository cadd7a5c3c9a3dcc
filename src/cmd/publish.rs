//! What `sextant revert`, `sextant pr` and `sextant rollback` share: the local repository
//! they write to (with the gate and audit log from the flags and config.yaml), the preview of
//! a revert commit on every cluster it changes, the gate's word before asking, and the push
//! with git's progress on the terminal.

use super::args::GlobalArgs;
use super::reports;
use crate::config::UserConfig;
use crate::forge::ClusterImpact;
use crate::gate::{Action, Refusal, Target};
use crate::git::{GitRepo, PushOutcome, RevertPlan};
use crate::gitops::actions::{ActionError, Actor, impact};
use crate::gitops::engine::{self, EngineCommand};
use crate::logging::Dirs;
use color_eyre::eyre::{WrapErr, eyre};
use std::io::{IsTerminal, Write};
use std::path::PathBuf;

/// The flags `revert` and `pr` share: where to push, how to open the pull request, and
/// whether to write at all.
#[derive(Debug, Clone, Default, clap::Args)]
pub struct PublishFlags {
    /// The remote to push to (a name or URL). Default: the branch's push remote.
    #[arg(long, value_name = "R")]
    pub remote: Option<String>,
    /// Open the pull request as a draft.
    #[arg(long)]
    pub draft: bool,
    /// Show what would be done, and write nothing.
    #[arg(long)]
    pub dry_run: bool,
    /// Do not ask (needed without a terminal).
    #[arg(long, short = 'y')]
    pub yes: bool,
}

/// The repository written to, its config, and the actor that writes through the gate.
pub struct Workspace {
    pub repo: GitRepo,
    pub path: PathBuf,
    pub user: UserConfig,
    pub actor: Actor,
}

impl Workspace {
    /// The local repository `--repo` names (default: the one holding the current directory).
    /// A URL is refused: its clone in the cache is Sextant's, not a place to branch from.
    pub fn open(global: &GlobalArgs, dirs: &Dirs) -> color_eyre::Result<Workspace> {
        let path = match global.repos.as_slice() {
            [] => std::env::current_dir().wrap_err("reading the current directory")?,
            [one] if crate::git::is_url(one) => {
                return Err(eyre!(
                    "--repo {}: reverts and pull requests need a local clone of the repository (`git clone` it, then run this inside it)",
                    crate::git::redact_url(one)
                ));
            }
            [one] => PathBuf::from(one),
            _ => {
                return Err(eyre!(
                    "this command writes to one repository: pass a single --repo"
                ));
            }
        };
        let repo = GitRepo::discover(&path).map_err(|e| eyre!("{e}"))?;
        let path = repo.work_dir().unwrap_or_else(|| repo.git_dir()).to_path_buf();
        let user = UserConfig::load(dirs).wrap_err("loading the user config")?;
        let gate = crate::gate::Gate::new(user.gate_rules(global.readonly));
        let audit = Some(crate::gitops::audit::AuditLog::in_dir(&dirs.data));
        let actor = Actor::new(gate, audit, &path);
        Ok(Workspace {
            repo,
            path,
            user,
            actor,
        })
    }

    /// The gate's word on each write before anything is asked or written; the first refusal is
    /// recorded (as `action` at `revision`) and returned.
    pub fn check(&self, action: &str, revision: &str, writes: &[(Action, Target)]) -> Result<(), Refusal> {
        for (a, target) in writes {
            if let Err(refusal) = self.actor.check(*a, target) {
                self.actor.refused(action, revision, &refusal);
                return Err(refusal);
            }
        }
        Ok(())
    }

    /// Push `branch` with git's progress on stderr (when it is a terminal).
    pub fn push(&self, branch: &str, remote: Option<&str>) -> Result<PushOutcome, ActionError> {
        let terminal = std::io::stderr().is_terminal();
        let progress = |p: crate::git::TransferProgress| {
            if terminal {
                let total = p.total.map(|t| format!("/{t}")).unwrap_or_default();
                eprint!("\r\x1b[Kpushing: {} {}{total}", p.phase, p.done);
                std::io::stderr().flush().ok();
            }
        };
        let result = self.actor.push(&self.repo, branch, remote, &progress);
        if terminal {
            eprint!("\r\x1b[K");
        }
        result
    }
}

/// Write the revert commit of `plan` unreferenced (see [`GitRepo::prepare_revert`]) and
/// preview it on every cluster whose apps it changes. A cluster that cannot be previewed gets
/// a note saying why; nothing here stops the revert.
pub fn preview_revert(
    global: &GlobalArgs,
    dirs: &Dirs,
    ws: &Workspace,
    plan: &mut RevertPlan,
) -> color_eyre::Result<Vec<ClusterImpact>> {
    let commit = ws.repo.prepare_revert(plan).map_err(|e| eyre!("{e}"))?;
    Ok(preview_commit(global, dirs, ws, &plan.head, &commit))
}

/// What syncing `commit` would do on every cluster whose apps render differently there than
/// at `before`, from the engine's preview against live.
pub fn preview_commit(
    global: &GlobalArgs,
    dirs: &Dirs,
    ws: &Workspace,
    before: &str,
    commit: &str,
) -> Vec<ClusterImpact> {
    let affected = match impact::affected(&ws.path, &ws.user, &global.contexts, before, commit) {
        Ok(a) => a,
        Err(e) => {
            tracing::info!("no per-cluster preview: {e}");
            return Vec::new();
        }
    };
    let clusters = impact::clusters_to_preview(&affected);
    if clusters.is_empty() {
        return impact::impacts(&affected, &[]);
    }
    eprintln!("previewing the revert on {}…", clusters.join(", "));
    let mut flags = global.clone();
    flags.repos = vec![ws.path.display().to_string()];
    let answers = (|| {
        let config = reports::engine_config(&flags, dirs, None, None, None)?;
        let rt = reports::runtime()?;
        let _entered = rt.enter();
        let mut engine = engine::start(config);
        rt.block_on(async {
            reports::settle(&mut engine).await?;
            reports::ask_each_cluster(&mut engine, &clusters, |id, cluster| EngineCommand::Preview {
                id,
                revision: commit.to_string(),
                cluster: cluster.to_string(),
            })
            .await
        })
    })();
    match answers {
        Ok(answers) => {
            let previews: Vec<&engine::PreviewReport> = answers.iter().map(|(_, p)| &**p).collect();
            impact::impacts(&affected, &previews)
        }
        Err(e) => {
            let note = format!("could not preview: {e}");
            let mut rows = impact::impacts(&affected, &[]);
            for row in rows.iter_mut().filter(|r| r.changes.is_empty()) {
                if affected
                    .iter()
                    .any(|a| a.app == row.app && a.cluster == row.cluster && a.note.is_none())
                {
                    row.note = Some(note.clone());
                }
            }
            rows
        }
    }
}
