//! `sextant sync APP` for an app Argo CD or Flux manages: acting through the operator, never
//! behind its back. The preview lists the fields Sextant will write to the operator's object
//! (and Sextant's own drift of the app, when it computes one), the gate's verdict and the
//! warnings; then it is confirmed (a protected cluster's name typed), written, followed live
//! to the operator's verdict, and audited by the engine. Exit 0 when the operator succeeded,
//! 1 when it failed or had not finished, 2 when refused or on error.

use super::args::{GlobalArgs, OutputFormat};
use super::style::AnsiTheme;
use crate::gitops::engine::operator_run::{Ending, OperatorPreview, OperatorResult};
use crate::gitops::engine::{AppReport, Engine, EngineCommand, EngineEvent, GateVerdict};
use crate::gitops::operators::actions::OperatorAction;
use color_eyre::eyre::{WrapErr, eyre};
use std::fmt::Write as _;
use std::io::IsTerminal;
use std::sync::Arc;

/// What the command line asks of the operator.
pub struct Request {
    pub action: OperatorAction,
    pub yes: bool,
    pub dry_run: bool,
    pub wait_secs: u64,
}

/// Preview, confirm, act and report, for the operator app `report` names.
pub fn run(
    rt: &tokio::runtime::Runtime,
    engine: &mut Engine,
    report: &AppReport,
    request: Request,
    global: &GlobalArgs,
) -> color_eyre::Result<i32> {
    let theme = AnsiTheme::for_stdout();
    let json = global.output == OutputFormat::Json;
    let preview = rt.block_on(ask_preview(engine, report, &request.action))?;
    if !json {
        print!("{}", preview_text(&preview, report, theme));
    }
    let blocked = preview.error.clone().or_else(|| match &preview.gate {
        GateVerdict::Refused(why) => Some(why.clone()),
        _ => None,
    });
    if request.dry_run {
        if json {
            println!(
                "{}",
                serde_json::to_string_pretty(&serde_json::json!({"preview": &*preview}))?
            );
        } else if let Some(why) = &blocked {
            eprintln!("Nothing would be written: {why}");
        } else {
            println!("Dry run: nothing was written.");
        }
        return Ok(if blocked.is_some() { 2 } else { 0 });
    }
    if blocked.is_some() {
        // The engine refuses it again, writing nothing, and records the refusal.
        let result = rt.block_on(act(engine, report, &request, None, false))?;
        if json {
            println!(
                "{}",
                serde_json::to_string_pretty(&serde_json::json!({"preview": &*preview, "result": &*result}))?
            );
        } else {
            eprintln!("{}", result_line(&result, theme));
        }
        return Ok(2);
    }
    let typed = match confirm(&preview, &request)? {
        Some(t) => t,
        None => {
            eprintln!("Cancelled: nothing was written.");
            return Ok(0);
        }
    };
    let result = rt.block_on(act(engine, report, &request, typed, !json))?;
    if json {
        println!(
            "{}",
            serde_json::to_string_pretty(&serde_json::json!({"preview": &*preview, "result": &*result}))?
        );
    } else {
        println!("{}", result_line(&result, theme));
    }
    Ok(match (result.ending, result.ok) {
        (Ending::Finished, true) => 0,
        (Ending::Refused, _) => 2,
        _ => 1,
    })
}

async fn ask_preview(
    engine: &mut Engine,
    report: &AppReport,
    action: &OperatorAction,
) -> color_eyre::Result<Arc<OperatorPreview>> {
    let id = 7001;
    let command = EngineCommand::OperatorPreview {
        id,
        app: report.app.clone(),
        cluster: report.cluster.clone(),
        action: action.clone(),
    };
    engine
        .commands
        .send(command)
        .await
        .wrap_err("the engine stopped")?;
    loop {
        match engine.events.recv().await {
            Some(EngineEvent::OperatorPreview { id: got, result }) if got == id => {
                return result.map_err(|e| eyre!(e));
            }
            Some(_) => {}
            None => return Err(eyre!("the engine stopped before the preview")),
        }
    }
}

async fn act(
    engine: &mut Engine,
    report: &AppReport,
    request: &Request,
    typed: Option<String>,
    show_progress: bool,
) -> color_eyre::Result<Arc<OperatorResult>> {
    let id = 7002;
    let command = EngineCommand::Operator {
        id,
        app: report.app.clone(),
        cluster: report.cluster.clone(),
        action: request.action.clone(),
        typed,
        wait_secs: request.wait_secs,
    };
    engine
        .commands
        .send(command)
        .await
        .wrap_err("the engine stopped")?;
    let progress = show_progress && std::io::stderr().is_terminal();
    loop {
        match engine.events.recv().await {
            Some(EngineEvent::OperatorProgress { id: got, message }) if got == id => {
                if progress {
                    eprint!("\r\x1b[K{message}");
                } else if show_progress {
                    eprintln!("{message}");
                }
            }
            Some(EngineEvent::OperatorDone { id: got, result }) if got == id => {
                if progress {
                    eprint!("\r\x1b[K");
                }
                return Ok(result);
            }
            Some(EngineEvent::OperatorPreview {
                id: got,
                result: Err(e),
            }) if got == id => return Err(eyre!(e)),
            Some(_) => {}
            None => return Err(eyre!("the engine stopped before the operator answered")),
        }
    }
}

/// The preview: the app, both verdicts, what will be written, warnings, the gate.
pub fn preview_text(p: &OperatorPreview, report: &AppReport, theme: AnsiTheme) -> String {
    let mut out = String::new();
    let app = &p.app;
    let verb = p.action.audit_name(app.source);
    let _ = writeln!(
        out,
        "{}",
        theme.header(&format!(
            "{verb} {} on {} through {}",
            app.name,
            report.cluster,
            app.object.describe()
        ))
    );
    let _ = writeln!(out, "  {}", app.status_line());
    if app.is_evaluated() {
        let _ = writeln!(out, "  Sextant: {}", report.status_words());
    }
    for why in &report.disagreements {
        let _ = writeln!(out, "  why they differ: {why}");
    }
    if let Some(w) = &p.write {
        let _ = writeln!(out, "  writes:");
        for f in &w.fields {
            let _ = writeln!(out, "    {f}");
        }
        for warning in &w.warnings {
            let _ = writeln!(out, "  {}", theme.error(&format!("warning: {warning}")));
        }
    }
    if let Some(e) = &p.error {
        let _ = writeln!(out, "  {}", theme.error(e));
    }
    if app.simulated {
        let _ = writeln!(out, "  (the operator here is the demo's simulation)");
    }
    out
}

fn confirm(p: &OperatorPreview, request: &Request) -> color_eyre::Result<Option<Option<String>>> {
    let terminal = std::io::stdin().is_terminal();
    if !request.yes {
        if !terminal {
            return Err(eyre!(
                "refusing to act without confirmation: there is no terminal to ask on; pass --yes \
                 (after checking with --dry-run)"
            ));
        }
        let q = format!("Write this to {}? [y/N] ", p.app.object.describe());
        if !super::prompt::ask(&q)?.eq_ignore_ascii_case("y") {
            return Ok(None);
        }
    }
    if p.gate == GateVerdict::NeedsTypedName && terminal {
        let name = super::prompt::ask(&format!("{} is protected: type its name: ", p.app.object.cluster))?;
        return Ok(Some(Some(name)));
    }
    Ok(Some(None))
}

/// `✓ argocd-sync guestbook: Succeeded at 9f2c1e1: successfully synced`
pub fn result_line(r: &OperatorResult, theme: AnsiTheme) -> String {
    let verb = r.action.audit_name(r.source);
    let line = match r.ending {
        Ending::Finished if r.ok => format!("✓ {verb} {}: {}", r.app, r.message),
        Ending::TimedOut => format!("… {verb} {}: {}", r.app, r.message),
        _ => format!("✗ {verb} {}: {}", r.app, r.message),
    };
    if r.ok { line } else { theme.error(&line) }
}
