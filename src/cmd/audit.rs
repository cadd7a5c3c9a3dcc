//! `sextant audit [--max N] [--output json]`: what Sextant did, newest last, from the audit
//! log in the data dir: when, who, what, where, and how it went.

use super::args::{GlobalArgs, OutputFormat};
use crate::gitops::audit::{AuditEntry, AuditLog};
use crate::logging::Dirs;
use clap::Args;
use std::fmt::Write;

#[derive(Debug, Clone, Args)]
pub struct AuditArgs {
    /// Only the last N entries.
    #[arg(long, value_name = "N")]
    pub max: Option<usize>,
    /// List each object of each entry with its result.
    #[arg(long, short = 'v')]
    pub objects: bool,
}

pub fn run(args: &AuditArgs, global: &GlobalArgs, dirs: &Dirs) -> color_eyre::Result<i32> {
    let log = AuditLog::in_dir(&dirs.data);
    let (mut entries, bad) = log.read().map_err(|e| color_eyre::eyre::eyre!(e))?;
    for b in &bad {
        eprintln!(
            "warning: {} line {} is not an audit entry ({}); skipped",
            log.path().display(),
            b.line,
            b.error
        );
    }
    if let Some(max) = args.max {
        let skip = entries.len().saturating_sub(max);
        entries.drain(..skip);
    }
    if global.output == OutputFormat::Json {
        println!(
            "{}",
            serde_json::to_string_pretty(&serde_json::json!({ "entries": entries }))?
        );
    } else if entries.is_empty() {
        println!("No action recorded yet ({}).", log.path().display());
    } else {
        print!("{}", entries_text(&entries, args.objects));
    }
    Ok(0)
}

/// The entries as text: a heading line per action, who did it, what came of it.
pub fn entries_text(entries: &[AuditEntry], objects: bool) -> String {
    let mut out = String::new();
    for e in entries {
        let _ = writeln!(out, "{}  {}  {}", e.time, e.heading(), e.outcome);
        let _ = writeln!(out, "    by {}", who(e));
        let _ = writeln!(out, "    {}", e.summary);
        for (k, v) in &e.details {
            let _ = writeln!(out, "    {k}: {v}");
        }
        if objects {
            for o in &e.objects {
                let result = if o.result.is_empty() { "planned" } else { &o.result };
                let message = if o.message.is_empty() {
                    String::new()
                } else {
                    format!(": {}", o.message)
                };
                let _ = writeln!(out, "      {result:<8} {} {}{message}", o.change, o.object);
            }
        }
    }
    out
}

/// `alice · git Ada Lovelace <ada@example.com> · kube prod-us as admin`.
fn who(e: &AuditEntry) -> String {
    let w = &e.who;
    let mut parts = vec![w.os_user.clone()];
    if !w.git_user.is_empty() {
        parts.push(format!("git {}", w.git_user));
    }
    if !w.kube_context.is_empty() {
        let user = if w.kube_user.is_empty() {
            String::new()
        } else {
            format!(" as {}", w.kube_user)
        };
        parts.push(format!("kube {}{user}", w.kube_context));
    }
    parts.join(" · ")
}
