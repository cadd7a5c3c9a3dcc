//! Record a VHS tape without VHS: play it against the real binary at the tape's own pace (the
//! same player and checks as `tests/demo_tape.rs`), write what the terminal showed as an
//! asciinema v2 cast, and render that with `agg` into the tape's `Output` GIF, in the tape's
//! theme and font size. `scripts/record-demo` builds this, installs agg and runs it:
//!
//! ```text
//! record_tape TAPE --bin SEXTANT --cast OUT.cast [--agg AGG] [--gif OUT.gif]
//! ```

#[path = "../tests/tape/mod.rs"]
mod tape;

use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};
use std::time::{Duration, Instant};
use tape::play::{Pacing, Played, Stage, play};
use tape::session::Chunk;
use tape::{Setting, Tape};

/// VHS themes that agg ships, by VHS's name.
const THEMES: &[(&str, &str)] = &[
    ("Nord", "nord"),
    ("Dracula", "dracula"),
    ("Monokai", "monokai"),
    ("Solarized Dark", "solarized-dark"),
    ("Solarized Light", "solarized-light"),
    ("GitHub Dark", "github-dark"),
    ("GitHub Light", "github-light"),
];

/// The GIF's font, from Debian's fonts-dejavu-core: it draws every glyph the cockpit uses.
const FONT: &str = "DejaVu Sans Mono";
/// DejaVu Sans Mono's own line height (ascent + descent, in em): box-drawing lines join up.
/// VHS's cells are taller (JetBrains Mono, 1.32 em); the GIF keeps the columns and rows.
const LINE_HEIGHT_EM: f64 = 1.17;

struct Args {
    tape: PathBuf,
    bin: PathBuf,
    cast: PathBuf,
    agg: Option<PathBuf>,
    gif: Option<PathBuf>,
}

fn main() -> ExitCode {
    match run() {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("record_tape: {e}");
            ExitCode::FAILURE
        }
    }
}

fn run() -> Result<(), String> {
    let args = parse_args()?;
    let tape = Tape::load(&args.tape).map_err(|e| e.to_string())?;
    let (cols, rows) = tape.size()?;
    let home = tempfile::tempdir().map_err(|e| e.to_string())?;
    let stage = Stage {
        bin: args
            .bin
            .canonicalize()
            .map_err(|e| format!("{}: {e}", args.bin.display()))?,
        cwd: std::env::current_dir().map_err(|e| e.to_string())?,
        env: vec![
            ("HOME".into(), home.path().into()),
            ("SEXTANT_HOME".into(), home.path().join("sextant")),
        ],
        pacing: Pacing::Real,
    };
    eprintln!(
        "playing {} at {cols}x{rows}, in real time...",
        args.tape.display()
    );
    let played = play(&tape, &stage).map_err(|f| format!("the tape does not match the product:\n{f}"))?;
    // The timeline, to place the demo's timed events (and the tape's sleeps) by.
    for check in &played.waits {
        let late = check.waited > Duration::from_millis(500);
        let note = if late {
            "  <- came after the tape's sleeps"
        } else {
            ""
        };
        eprintln!(
            "{}: at {:5.1}s waited {:4.1}s{note}",
            check.line,
            check.at.as_secs_f64(),
            check.waited.as_secs_f64()
        );
    }
    let cast = cast(&played, cols, rows);
    std::fs::write(&args.cast, cast).map_err(|e| format!("writing {}: {e}", args.cast.display()))?;
    eprintln!("wrote {}", args.cast.display());
    drop(played);
    let Some(agg) = &args.agg else {
        return Ok(());
    };
    let gif = match (&args.gif, tape.outputs.iter().find(|o| o.ends_with(".gif"))) {
        (Some(gif), _) => gif.clone(),
        (None, Some(out)) => PathBuf::from(out),
        (None, None) => return Err("the tape has no `Output ....gif`; pass --gif".into()),
    };
    render(agg, &tape, &args.cast, &gif)
}

fn parse_args() -> Result<Args, String> {
    let usage = "usage: record_tape TAPE --bin SEXTANT --cast OUT.cast [--agg AGG] [--gif OUT.gif]";
    let mut it = std::env::args_os().skip(1);
    let (mut tape, mut bin, mut cast, mut agg, mut gif) = (None, None, None, None, None);
    while let Some(arg) = it.next() {
        let slot = match arg.to_str() {
            Some("--bin") => &mut bin,
            Some("--cast") => &mut cast,
            Some("--agg") => &mut agg,
            Some("--gif") => &mut gif,
            Some(flag) if flag.starts_with("--") => return Err(format!("unknown flag {flag}\n{usage}")),
            _ => {
                tape = Some(PathBuf::from(arg));
                continue;
            }
        };
        *slot = Some(PathBuf::from(it.next().ok_or(usage)?));
    }
    Ok(Args {
        tape: tape.ok_or(usage)?,
        bin: bin.ok_or(usage)?,
        cast: cast.ok_or(usage)?,
        agg,
        gif,
    })
}

/// The session as an asciinema v2 cast: output from the first prompt on, timed as it came,
/// with the time between Hide and Show taken out (its output lands at once, as VHS hides it).
fn cast(played: &Played, cols: u16, rows: u16) -> String {
    let header = serde_json::json!({
        "version": 2,
        "width": cols,
        "height": rows,
        "env": { "SHELL": "/bin/bash", "TERM": "xterm-256color" },
    });
    let mut out = format!("{header}\n");
    let mut pending: Vec<u8> = Vec::new();
    for Chunk { at, bytes } in played.session.take_output() {
        let t = shown_time(played, at);
        pending.extend(bytes);
        // Emit whole UTF-8 characters; keep a character split across reads for the next one.
        let valid = match std::str::from_utf8(&pending) {
            Ok(s) => s.len(),
            Err(e) if e.error_len().is_none() => e.valid_up_to(),
            Err(_) => pending.len(),
        };
        if valid == 0 {
            continue;
        }
        let text = String::from_utf8_lossy(&pending[..valid]).into_owned();
        pending.drain(..valid);
        out.push_str(&serde_json::json!([t, "o", text]).to_string());
        out.push('\n');
    }
    out
}

/// Seconds from the first prompt to `at`, less the hidden time before it.
fn shown_time(played: &Played, at: Instant) -> f64 {
    let mut t = at.saturating_duration_since(played.started);
    for (from, to) in &played.hidden {
        let hidden_before = at.min(*to).saturating_duration_since(*from);
        t = t.saturating_sub(hidden_before);
    }
    (t.as_secs_f64() * 1000.0).round() / 1000.0
}

/// Run agg on the cast, with the tape's theme and font size.
fn render(agg: &Path, tape: &Tape, cast: &Path, gif: &Path) -> Result<(), String> {
    let theme = match tape.setting("Theme") {
        Some(Setting::Text(_, name)) => THEMES
            .iter()
            .find(|(vhs, _)| vhs == name)
            .map(|(_, agg)| *agg)
            .ok_or_else(|| format!("Set Theme {name}: agg has no such theme; add it to THEMES"))?,
        _ => "asciinema",
    };
    let font_size = tape.font_size().round().to_string();
    let line_height = format!("{:.2}", LINE_HEIGHT_EM * tape.line_height());
    if let Some(dir) = gif.parent() {
        std::fs::create_dir_all(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    }
    // agg draws a progress bar on stderr: show it only when agg fails.
    let out = Command::new(agg)
        .args([
            "--theme",
            theme,
            "--font-size",
            &font_size,
            "--line-height",
            &line_height,
        ])
        .args(["--font-family", FONT])
        .args(["--idle-time-limit", "30", "--last-frame-duration", "3"])
        .arg(cast)
        .arg(gif)
        .output()
        .map_err(|e| format!("running {}: {e}", agg.display()))?;
    if !out.status.success() {
        let err = String::from_utf8_lossy(&out.stderr);
        return Err(format!("{} failed: {}\n{err}", agg.display(), out.status));
    }
    let size = std::fs::metadata(gif).map(|m| m.len()).unwrap_or(0);
    eprintln!("wrote {} ({:.1} MB)", gif.display(), size as f64 / 1e6);
    Ok(())
}
