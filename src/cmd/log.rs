//! `sextant log`: the commit log through the same engine as the TUI, for scripts.
//! Text prints `<short> <date> <author> <summary>` per commit; `--output json` prints one JSON
//! array. Notes (detached HEAD, shallow boundary) go to stderr; errors are one line, exit 2.

use super::args::{GlobalArgs, OutputFormat};
use crate::git::{self, CommitSummary, GitRepo, HeadState, LogEnd, open_spec};
use crate::logging::Dirs;
use clap::Args;
use color_eyre::eyre::eyre;
use std::io::{IsTerminal, Write};

#[derive(Debug, Clone, Args)]
pub struct LogArgs {
    /// Branch or revision to start from. Default: HEAD.
    #[arg(long)]
    pub branch: Option<String>,
    /// Stop after this many commits.
    #[arg(long)]
    pub max: Option<usize>,
}

/// Commits fetched per page while streaming the log out.
const PAGE: usize = 500;

pub fn run(args: &LogArgs, global: &GlobalArgs, dirs: &Dirs) -> color_eyre::Result<i32> {
    let repo = match global.repos.as_slice() {
        [] => {
            let cwd = std::env::current_dir().map_err(|e| eyre!("cannot read the current directory: {e}"))?;
            GitRepo::discover(&cwd)?
        }
        [one] => {
            let repo = open_spec(one, dirs, &report_transfer)?;
            if std::io::stderr().is_terminal() {
                eprint!("\r\x1b[K");
            }
            if let Some(why) = repo.stale() {
                eprintln!("note: showing the cached clone, which may be out of date: {why}");
            }
            repo
        }
        many => {
            return Err(eyre!(
                "sextant log shows one repository, but {} were given with --repo",
                many.len()
            ));
        }
    };
    let head = repo.head()?;
    if args.branch.is_none() {
        match &head {
            HeadState::Unborn { .. } => return Err(repo.empty_error().into()),
            HeadState::Detached { sha } => eprintln!("note: HEAD is detached at {}", git::short(sha)),
            HeadState::Branch { .. } => {}
        }
    }
    let mut cursor = repo.log(args.branch.as_deref(), None)?;
    let max = args.max.unwrap_or(usize::MAX);
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    let json = global.output == OutputFormat::Json;
    let mut written = 0;
    let mut end = None;
    let result = (|| -> std::io::Result<()> {
        if json {
            out.write_all(b"[")?;
        }
        while written < max && end.is_none() {
            let page = cursor
                .next_page(PAGE.min(max - written))
                .map_err(std::io::Error::other)?;
            end = page.end;
            for commit in &page.commits {
                write_commit(&mut out, commit, json, written == 0)?;
                written += 1;
            }
        }
        if json {
            out.write_all(b"]\n")?;
        }
        out.flush()
    })();
    match result {
        Ok(()) => {}
        // `sextant log | head`: the reader left; that is not an error.
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => return Ok(0),
        Err(e) => return Err(eyre!("{e}")),
    }
    if end == Some(LogEnd::ShallowBoundary) {
        eprintln!("note: this is a shallow clone; the history stops at the shallow boundary");
    }
    Ok(0)
}

fn write_commit(
    out: &mut impl Write,
    commit: &CommitSummary,
    json: bool,
    first: bool,
) -> std::io::Result<()> {
    if json {
        if !first {
            out.write_all(b",")?;
        }
        serde_json::to_writer(&mut *out, commit).map_err(std::io::Error::other)
    } else {
        let summary: String = commit.summary.chars().filter(|c| !c.is_control()).collect();
        writeln!(
            out,
            "{} {} {} {}",
            commit.short_sha,
            commit.author.short_date(),
            commit.author.name,
            summary
        )
    }
}

/// Clone/fetch progress on one rewritten stderr line, only when a person is watching.
fn report_transfer(p: git::TransferProgress) {
    if !std::io::stderr().is_terminal() {
        return;
    }
    match p.total {
        Some(total) => eprint!("\r\x1b[K{}: {}/{}", p.phase, p.done, total),
        None => eprint!("\r\x1b[K{}: {}", p.phase, p.done),
    }
}
