//! `sextant diff`: live -> desired for an app (or all), each changed field attributed. Exits
//! like `kubectl diff`: 0 none, 1 drift, 2 error.

use super::args::{GlobalArgs, OutputFormat};
use super::style::AnsiTheme;
use super::{report_text, reports};
use crate::gitops::engine::AppReport;
use crate::logging::Dirs;
use clap::Args;

#[derive(Debug, Clone, Args)]
pub struct DiffArgs {
    /// Only this app.
    pub app: Option<String>,
    /// Only this cluster (alias or context).
    #[arg(long)]
    pub cluster: Option<String>,
    /// Render desired at this revision instead of HEAD.
    #[arg(long)]
    pub revision: Option<String>,
    /// Unmanaged changes count as drift too (exit 1).
    #[arg(long)]
    pub strict: bool,
}

pub fn run(args: &DiffArgs, global: &GlobalArgs, dirs: &Dirs) -> color_eyre::Result<i32> {
    let reports = reports::collect(
        global,
        dirs,
        args.app.clone(),
        args.cluster.clone(),
        args.revision.clone(),
    )?;
    match global.output {
        OutputFormat::Json => reports::print_json(&reports)?,
        OutputFormat::Text => {
            let now = Some(crate::time::now_secs());
            print!(
                "{}",
                report_text::diff_text(&reports, AnsiTheme::for_stdout(), now)
            );
            let theme = AnsiTheme::plain();
            for r in &reports {
                for line in report_text::problems(r) {
                    eprintln!(
                        "{}",
                        theme.error(&format!("sextant: {}/{}: {line}", r.app, r.cluster))
                    );
                }
            }
        }
    }
    Ok(exit_code(&reports, args.strict))
}

/// 2 when anything could not be evaluated, else 1 on drift, else 0.
pub fn exit_code(reports: &[AppReport], strict: bool) -> i32 {
    if reports.iter().any(AppReport::has_error) {
        2
    } else if reports.iter().any(|r| r.has_drift(strict)) {
        1
    } else {
        0
    }
}
