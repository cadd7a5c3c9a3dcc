//! `sextant sync [APP] [--cluster C] [--revision REV] [--prune] [--dry-run] [--yes]`: apply
//! Git to clusters. The engine plans each (app, cluster) from a preview of the revision
//! against live; the plan is shown, confirmed on a terminal (a protected cluster's name
//! typed), then run by the engine through the action gate, several apps and clusters at
//! once, with each cluster's results printed as a block when it is done. Ctrl-C stops new
//! writes and reports what was done. Exit 0 when everything was applied, 1 when some
//! objects failed or were not sent, 2 on error (a refusal, a cluster that cannot be
//! planned).

use super::args::{GlobalArgs, OutputFormat};
use super::prompt::ask;
use super::reports;
use super::style::AnsiTheme;
use super::sync_operator;
use super::sync_text::{self, ClusterPlans};
use crate::gitops::engine::{
    self, Engine, EngineCommand, EngineEvent, GateVerdict, PlanRef, PreviewReport, SyncScope,
};
use crate::gitops::operators::actions::OperatorAction;
use crate::gitops::sync::plan::SyncPlan;
use crate::gitops::sync::result::SyncResult;
use crate::logging::Dirs;
use clap::Args;
use color_eyre::eyre::eyre;
use std::collections::BTreeMap;
use std::io::IsTerminal;
use std::sync::Arc;

#[derive(Debug, Clone, Args)]
pub struct SyncArgs {
    /// Only this app (default: every app).
    pub app: Option<String>,
    /// Only this cluster (alias or context).
    #[arg(long)]
    pub cluster: Option<String>,
    /// Sync this revision instead of HEAD. Another commit than the branch head pins the app.
    #[arg(long)]
    pub revision: Option<String>,
    /// Also delete this app's objects that are no longer in Git (tracked as the app's).
    #[arg(long)]
    pub prune: bool,
    /// Show the plan and write nothing.
    #[arg(long)]
    pub dry_run: bool,
    /// Do not ask (needed without a terminal). A protected cluster still wants its name.
    #[arg(long, short = 'y')]
    pub yes: bool,
    /// Only this object, as KIND/NAME or KIND/NAMESPACE/NAME (repeatable).
    #[arg(long = "object", value_name = "KIND/[NAMESPACE/]NAME")]
    pub objects: Vec<String>,
    /// Argo CD or Flux app: ask the operator to compare again instead of syncing.
    #[arg(long, conflicts_with_all = ["suspend", "resume"])]
    pub refresh: bool,
    /// Argo CD app: a hard refresh (manifests generated again).
    #[arg(long, conflicts_with_all = ["suspend", "resume"])]
    pub hard_refresh: bool,
    /// Argo CD or Flux app: stop the operator reconciling it on its own (Flux spec.suspend,
    /// Argo CD automated sync off).
    #[arg(long, conflicts_with = "resume")]
    pub suspend: bool,
    /// Undo --suspend.
    #[arg(long)]
    pub resume: bool,
    /// How long to follow the operator before returning (seconds).
    #[arg(long, value_name = "SECS", default_value_t = 300)]
    pub wait: u64,
}

impl SyncArgs {
    /// What to ask of an operator for these flags.
    fn operator_action(&self, objects: Vec<crate::kube::key::ObjectKey>) -> OperatorAction {
        if self.suspend {
            OperatorAction::Suspend
        } else if self.resume {
            OperatorAction::Resume
        } else if self.refresh || self.hard_refresh {
            OperatorAction::Refresh {
                hard: self.hard_refresh,
            }
        } else {
            OperatorAction::Sync {
                revision: self.revision.clone(),
                prune: self.prune,
                resources: objects,
            }
        }
    }

    fn operator_only(&self) -> bool {
        self.refresh || self.hard_refresh || self.suspend || self.resume
    }
}

pub fn run(args: &SyncArgs, global: &GlobalArgs, dirs: &Dirs) -> color_eyre::Result<i32> {
    let selection = args
        .objects
        .iter()
        .map(|s| Selector::parse(s))
        .collect::<color_eyre::Result<Vec<_>>>()?;
    let config = reports::engine_config(global, dirs, args.app.clone(), args.cluster.clone(), None)?;
    let rt = reports::runtime()?;
    let _entered = rt.enter();
    let mut engine = engine::start(config);
    let settled = rt.block_on(reports::settle(&mut engine))?;
    // An app Argo CD or Flux manages is synced through its operator.
    if let Some(name) = &args.app {
        let found: Vec<&crate::gitops::engine::AppReport> = settled
            .iter()
            .filter(|r| &r.app == name && r.operator.is_some())
            .collect();
        match found.as_slice() {
            [one] => {
                let objects = operator_objects(one, &selection)?;
                let request = sync_operator::Request {
                    action: args.operator_action(objects),
                    yes: args.yes,
                    dry_run: args.dry_run,
                    wait_secs: args.wait,
                };
                return sync_operator::run(&rt, &mut engine, one, request, global);
            }
            [] => {}
            _ => {
                return Err(eyre!(
                    "app `{name}` runs on several clusters through its operator: pass --cluster"
                ));
            }
        }
    }
    if args.operator_only() {
        return Err(eyre!(
            "--refresh, --hard-refresh, --suspend and --resume act through Argo CD or Flux: name an app they manage"
        ));
    }
    if settled.is_empty() {
        return Err(eyre!(
            "no app to sync: sextant.yaml names none for this selection"
        ));
    }
    let mut clusters: Vec<String> = settled.iter().map(|r| r.cluster.clone()).collect();
    clusters.sort();
    clusters.dedup();
    let revision = args.revision.clone().unwrap_or_else(|| "HEAD".into());
    let scope = SyncScope {
        app: args.app.clone(),
        only: Vec::new(),
    };
    let mut answers = rt.block_on(reports::ask_each_cluster(
        &mut engine,
        &clusters,
        |id, cluster| EngineCommand::PlanSync {
            id,
            revision: revision.clone(),
            cluster: cluster.to_string(),
            scope: scope.clone(),
        },
    ))?;
    if !selection.is_empty() {
        select(&mut answers, &selection)?;
    }
    let json = global.output == OutputFormat::Json;
    let theme = AnsiTheme::for_stdout();
    let views: Vec<ClusterPlans<'_>> = answers
        .iter()
        .map(|(cluster, p)| ClusterPlans { cluster, preview: p })
        .collect();
    if !json {
        print!("{}", sync_text::plans_text(&views, args.prune, theme));
    }
    let unplanned = answers.iter().any(|(_, p)| p.error.is_some());
    let plans: Vec<(Arc<SyncPlan>, GateVerdict)> = answers
        .iter()
        .flat_map(|(_, p)| p.plans.iter().map(|plan| (plan.clone(), p.gate.clone())))
        .filter(|(plan, _)| !plan.apply.is_empty() || (args.prune && !plan.prune.is_empty()))
        .collect();
    if args.dry_run || plans.is_empty() || unplanned {
        if json {
            print_json(&answers, &[])?;
        } else if unplanned {
            let down: Vec<&str> = answers
                .iter()
                .filter(|(_, p)| p.error.is_some())
                .map(|(c, _)| c.as_str())
                .collect();
            let up: Vec<&str> = answers
                .iter()
                .filter(|(_, p)| p.error.is_none())
                .map(|(c, _)| c.as_str())
                .collect();
            let hint = match up.as_slice() {
                [] => String::new(),
                [one] => format!("; to sync {one} alone, pass --cluster {one}"),
                _ => format!(
                    "; to sync the others, pass --cluster for each of {}",
                    up.join(", ")
                ),
            };
            eprintln!(
                "Nothing was written: {} could not be planned (above){hint}.",
                down.join(", ")
            );
        } else if plans.is_empty() {
            println!("Nothing to sync: the clusters run what {revision} says.");
        } else {
            println!("Dry run: nothing was written.");
        }
        return Ok(if unplanned { 2 } else { 0 });
    }
    let typed = match confirm(&plans, args) {
        Ok(Some(typed)) => typed,
        Ok(None) => {
            eprintln!("Cancelled: nothing was written.");
            return Ok(0);
        }
        Err(e) => return Err(e),
    };
    let results = rt.block_on(run_all(&mut engine, &plans, args.prune, &typed, !json));
    if json {
        print_json(&answers, &results)?;
    } else {
        let mut by_cluster: BTreeMap<&str, Vec<&SyncResult>> = BTreeMap::new();
        for r in &results {
            by_cluster.entry(r.cluster.as_str()).or_default().push(r);
        }
        for (cluster, rs) in &by_cluster {
            print!("{}", sync_text::cluster_block(cluster, rs, theme));
        }
        let all: Vec<&SyncResult> = results.iter().map(|r| &**r).collect();
        println!("{}", sync_text::total_line(&all));
    }
    Ok(exit_code(&results))
}

/// 2 when a sync was refused, 1 when an object failed or was not sent, else 0.
fn exit_code(results: &[Arc<SyncResult>]) -> i32 {
    use crate::gitops::sync::result::Ending;
    if results.iter().any(|r| r.ending == Ending::Refused) {
        2
    } else if results.iter().all(|r| r.all_done()) {
        0
    } else {
        1
    }
}

/// `--object` for an operator's app: the objects of Sextant's own report they select
/// (Argo CD syncs only those), or, when Sextant does not evaluate the app, as given.
fn operator_objects(
    report: &crate::gitops::engine::AppReport,
    selection: &[Selector],
) -> color_eyre::Result<Vec<crate::kube::key::ObjectKey>> {
    let mut out = Vec::new();
    for s in selection {
        let known = report
            .objects
            .iter()
            .find(|o| s.matches(&o.key))
            .map(|o| o.key.clone());
        let key = match known {
            Some(k) => k,
            None if report.objects.is_empty() => crate::kube::key::ObjectKey {
                group: String::new(),
                kind: s.kind.clone(),
                namespace: s.namespace.clone().unwrap_or_default(),
                name: s.name.clone(),
            },
            None => {
                return Err(eyre!(
                    "--object {}/{}: not one of the app's objects",
                    s.kind,
                    s.name
                ));
            }
        };
        out.push(key);
    }
    Ok(out)
}

/// `--object` as given: a kind, an optional namespace and a name.
struct Selector {
    kind: String,
    namespace: Option<String>,
    name: String,
}

impl Selector {
    fn parse(s: &str) -> color_eyre::Result<Selector> {
        let parts: Vec<&str> = s.split('/').collect();
        let bad =
            || eyre!("--object {s}: expected KIND/NAME or KIND/NAMESPACE/NAME (e.g. Deployment/shop/web)");
        match parts.as_slice() {
            [kind, name] if !kind.is_empty() && !name.is_empty() => Ok(Selector {
                kind: kind.to_string(),
                namespace: None,
                name: name.to_string(),
            }),
            [kind, ns, name] if !kind.is_empty() && !name.is_empty() => Ok(Selector {
                kind: kind.to_string(),
                namespace: Some(ns.to_string()),
                name: name.to_string(),
            }),
            _ => Err(bad()),
        }
    }

    fn matches(&self, key: &crate::kube::key::ObjectKey) -> bool {
        key.kind.eq_ignore_ascii_case(&self.kind)
            && key.name == self.name
            && self.namespace.as_ref().is_none_or(|ns| *ns == key.namespace)
    }
}

/// Keep only the selected objects in every plan; a selector that matches nothing is an error.
fn select(answers: &mut [(String, Arc<PreviewReport>)], selection: &[Selector]) -> color_eyre::Result<()> {
    let wanted = |key: &crate::kube::key::ObjectKey| selection.iter().any(|s| s.matches(key));
    let mut found = vec![false; selection.len()];
    for (_, p) in answers.iter_mut() {
        let report = Arc::make_mut(p);
        for plan in report.plans.iter_mut() {
            let plan = Arc::make_mut(plan);
            for (i, s) in selection.iter().enumerate() {
                found[i] |= plan.apply.iter().chain(&plan.prune).any(|o| s.matches(&o.key));
            }
            plan.apply.retain(|o| wanted(&o.key));
            plan.prune.retain(|o| wanted(&o.key));
            plan.blocked.retain(|b| wanted(&b.key));
        }
    }
    if let Some(i) = found.iter().position(|f| !f) {
        let s = &selection[i];
        return Err(eyre!(
            "--object {}/{}: no such object in the plan (it is in sync, or not part of the apps selected)",
            s.kind,
            s.name
        ));
    }
    Ok(())
}

/// Ask before writing. `Some(typed)` holds the names typed for protected clusters; `None`
/// means the user said no. Without a terminal, `--yes` is needed.
fn confirm(
    plans: &[(Arc<SyncPlan>, GateVerdict)],
    args: &SyncArgs,
) -> color_eyre::Result<Option<BTreeMap<String, String>>> {
    let terminal = std::io::stdin().is_terminal();
    let allowed: Vec<&SyncPlan> = plans
        .iter()
        .filter(|(_, g)| !matches!(g, GateVerdict::Refused(_)))
        .map(|(p, _)| &**p)
        .collect();
    let mut typed = BTreeMap::new();
    if allowed.is_empty() {
        // Every sync is refused: the engine says so (and audits it); nothing to ask.
        return Ok(Some(typed));
    }
    if !args.yes {
        if !terminal {
            return Err(eyre!(
                "refusing to sync without confirmation: there is no terminal to ask on; pass --yes \
                 (after checking the plan with --dry-run)"
            ));
        }
        if !ask(&sync_text::confirmation(&allowed, args.prune))?.eq_ignore_ascii_case("y") {
            return Ok(None);
        }
    }
    let mut protected: Vec<&str> = plans
        .iter()
        .filter(|(_, g)| *g == GateVerdict::NeedsTypedName)
        .map(|(p, _)| p.cluster.as_str())
        .collect();
    protected.dedup();
    for cluster in protected {
        if !terminal {
            // The engine refuses it, saying what to do.
            continue;
        }
        let name = ask(&format!("{cluster} is protected: type its name to sync it: "))?;
        typed.insert(cluster.to_string(), name);
    }
    Ok(Some(typed))
}

/// Send every sync, follow them to their ends (Ctrl-C cancels them all), and return the
/// results. Progress goes to stderr on a terminal.
async fn run_all(
    engine: &mut Engine,
    plans: &[(Arc<SyncPlan>, GateVerdict)],
    prune: bool,
    typed: &BTreeMap<String, String>,
    show_progress: bool,
) -> Vec<Arc<SyncResult>> {
    let mut running: BTreeMap<u64, (String, usize, usize)> = BTreeMap::new();
    for (i, (plan, _)) in plans.iter().enumerate() {
        let id = 1000 + i as u64;
        let total = plan.apply.len() + if prune { plan.prune.len() } else { 0 };
        running.insert(id, (plan.cluster.clone(), 0, total));
        let command = EngineCommand::Sync {
            id,
            plan: PlanRef(plan.clone()),
            prune,
            typed: typed.get(&plan.cluster).cloned(),
        };
        if engine.commands.send(command).await.is_err() {
            break;
        }
    }
    let progress = show_progress && std::io::stderr().is_terminal();
    let mut results = Vec::new();
    let mut cancelled = false;
    let ctrl_c = tokio::signal::ctrl_c();
    tokio::pin!(ctrl_c);
    while !running.is_empty() {
        let event = tokio::select! {
            ev = engine.events.recv() => ev,
            _ = &mut ctrl_c, if !cancelled => {
                cancelled = true;
                eprintln!("\r\x1b[KCancelling: no new writes; the ones in flight finish…");
                for id in running.keys() {
                    let _ = engine.commands.send(EngineCommand::CancelSync { id: *id }).await;
                }
                continue;
            }
        };
        match event {
            Some(EngineEvent::SyncProgress { id, .. }) => {
                if let Some(r) = running.get_mut(&id) {
                    r.1 += 1;
                }
            }
            Some(EngineEvent::SyncDone { id, result }) => {
                running.remove(&id);
                results.push(result);
            }
            Some(_) => continue,
            None => break,
        }
        if progress {
            let line: Vec<String> = running
                .values()
                .map(|(cluster, done, total)| format!("{cluster} {done}/{total}"))
                .collect();
            eprint!("\r\x1b[Ksyncing: {}", line.join(" · "));
            if running.is_empty() {
                eprint!("\r\x1b[K");
            }
        }
    }
    results
}

fn print_json(
    answers: &[(String, Arc<PreviewReport>)],
    results: &[Arc<SyncResult>],
) -> color_eyre::Result<()> {
    let plans: Vec<&SyncPlan> = answers
        .iter()
        .flat_map(|(_, p)| p.plans.iter().map(|p| &**p))
        .collect();
    let errors: Vec<serde_json::Value> = answers
        .iter()
        .filter_map(|(c, p)| {
            p.error
                .as_ref()
                .map(|e| serde_json::json!({"cluster": c, "error": e}))
        })
        .collect();
    let results: Vec<&SyncResult> = results.iter().map(|r| &**r).collect();
    let text = serde_json::to_string_pretty(&serde_json::json!({
        "plans": plans,
        "errors": errors,
        "results": results,
    }))?;
    println!("{text}");
    Ok(())
}
