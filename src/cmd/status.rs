//! `sextant status`: apps x clusters, sync, health, drift counts and revision. Exit 0, or 2
//! when an app could not be evaluated (like `kubectl get`).

use super::args::{GlobalArgs, OutputFormat};
use super::{report_text, reports};
use crate::gitops::engine::AppReport;
use crate::logging::Dirs;
use clap::Args;

#[derive(Debug, Clone, Args)]
pub struct StatusArgs {
    /// Only this app.
    pub app: Option<String>,
    /// Only this cluster (alias or context).
    #[arg(long)]
    pub cluster: Option<String>,
}

pub fn run(args: &StatusArgs, global: &GlobalArgs, dirs: &Dirs) -> color_eyre::Result<i32> {
    let settled = reports::collect_all(global, dirs, args.app.clone(), args.cluster.clone(), None)?;
    let reports = settled.reports;
    match global.output {
        OutputFormat::Json => {
            let text = serde_json::to_string_pretty(&serde_json::json!({
                "apps": reports,
                "operator_problems": settled.operator_problems,
            }))?;
            println!("{text}");
        }
        OutputFormat::Text => {
            print!("{}", report_text::status_table(&reports));
            for problem in &settled.operator_problems {
                println!("{problem}");
            }
        }
    }
    // Like `kubectl get`: a status that could not be told everywhere is not a success.
    Ok(if reports.iter().any(AppReport::has_error) {
        2
    } else {
        0
    })
}
