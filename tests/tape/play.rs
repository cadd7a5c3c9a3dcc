//! Playing a tape as VHS would: an interactive bash in a real PTY of the tape's size, typed
//! into key by key, the tape's checks waited for (never slept for) as it goes.
//!
//! VHS runs the tape's commands in a shell; so does the player. The one difference: `cargo`
//! (and `sextant`) in that shell are functions that run the binary under test, so
//! `cargo run --release -- demo ...` runs `BIN demo ...` with the same arguments and no build,
//! and `cargo build ...` does nothing.

use super::session::{DEADLINE, Session};
use super::{Action, Key, Line, Pattern, Scope, Setting, Tape};
use std::fmt;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

/// How fast to play.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Pacing {
    /// For tests: each Sleep at most `MAX_TEST_SLEEP` (the checks wait for the screen
    /// instead), keys at the tape's typing speed.
    Test,
    /// For the recording: every Sleep and keystroke as the tape says, like VHS.
    Real,
}

/// A Sleep in a test lasts at most this: enough for a frame to settle, not to slow the suite.
pub const MAX_TEST_SLEEP: Duration = Duration::from_millis(150);
/// In a test, the pause after Escape at least: an Esc read together with the next key is one
/// key to the terminal parser (Esc Esc is one Esc, Esc m is Alt-m), and a loaded machine may
/// read late. VHS's typing speed does the same on a quiet one.
const ESCAPE_SETTLE: Duration = Duration::from_millis(250);
/// How long VHS's `Wait` waits by default.
const VHS_WAIT_TIMEOUT: Duration = Duration::from_secs(15);

/// Where the tape plays.
pub struct Stage {
    /// What `cargo run -- ARGS` and `sextant ARGS` run in the tape's shell.
    pub bin: PathBuf,
    /// The shell's working directory (VHS runs where it is started: the repo root).
    pub cwd: PathBuf,
    /// The shell's whole environment besides PATH and TERM: HOME, TMPDIR, SEXTANT_HOME...
    pub env: Vec<(String, PathBuf)>,
    pub pacing: Pacing,
}

/// A tape that played to its end.
pub struct Played {
    pub session: Session,
    /// When the shell showed its first prompt (where VHS's recording starts).
    pub started: Instant,
    /// From Hide to Show: output VHS would not show.
    pub hidden: Vec<(Instant, Instant)>,
    /// Each check: when it began (from `started`) and how long it waited for its screen.
    pub waits: Vec<Check>,
    _rc: tempfile::TempDir,
}

/// When a `# expect:` line was reached, and how long its screen took to show.
pub struct Check {
    pub line: Line,
    pub at: Duration,
    pub waited: Duration,
}

/// A step the product did not follow: its line, what went wrong, and the screen then.
#[derive(Debug)]
pub struct Failure {
    pub line: Line,
    pub message: String,
    pub screen: String,
}

impl fmt::Display for Failure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "{}: {}", self.line, self.message)?;
        writeln!(f, "the screen was:")?;
        for row in self.screen.lines() {
            writeln!(f, "  |{row}")?;
        }
        Ok(())
    }
}

/// The shell's setup, before the first prompt: VHS's `> ` prompt, no history file, and the
/// binary under test behind `cargo` and `sextant`.
const RC: &str = r#"PS1='> '
PS2=''
unset PROMPT_COMMAND HISTFILE
cargo() {
  case "$1" in
    run)
      shift
      while [ $# -gt 0 ] && [ "$1" != -- ]; do shift; done
      [ $# -gt 0 ] && shift
      "$SEXTANT_TAPE_BIN" "$@" ;;
    build) return 0 ;;
    *) echo "tape player: \`cargo $1\` is not played; only \`cargo run [OPTIONS] -- ARGS\`" >&2; return 127 ;;
  esac
}
sextant() { "$SEXTANT_TAPE_BIN" "$@"; }
"#;

/// Play `tape` on `stage`, checking every `# expect:` line and `Wait` as it comes.
pub fn play(tape: &Tape, stage: &Stage) -> Result<Played, Failure> {
    let first = tape.steps.first().map(|s| s.line.clone());
    let first = first.unwrap_or(Line {
        file: "tape".into(),
        number: 0,
    });
    let early = |line: &Line, message: String| Failure {
        line: line.clone(),
        message,
        screen: String::new(),
    };
    let (cols, rows) = tape.size().map_err(|m| early(&first, m))?;
    for (line, program) in &tape.requires {
        if !["cargo", "sextant"].contains(&program.as_str()) && !on_path(program) {
            return Err(early(line, format!("Require {program}: not found on PATH")));
        }
    }
    if let Some(Setting::Text(_, shell)) = tape.setting("Shell")
        && shell != "bash"
    {
        return Err(early(
            &first,
            format!("Set Shell {shell}: the player runs tapes in bash"),
        ));
    }
    let rc = tempfile::tempdir().map_err(|e| early(&first, format!("temp dir: {e}")))?;
    let rc_file = rc.path().join("rc.bash");
    std::fs::write(&rc_file, RC).map_err(|e| early(&first, format!("writing the shell rc: {e}")))?;

    let mut cmd = portable_pty::CommandBuilder::new("bash");
    cmd.args(["--noprofile", "--rcfile"]);
    cmd.arg(&rc_file);
    cmd.arg("-i");
    cmd.cwd(&stage.cwd);
    cmd.env_clear();
    cmd.env("PATH", std::env::var_os("PATH").unwrap_or_default());
    cmd.env("TERM", "xterm-256color");
    cmd.env("LANG", "C.UTF-8");
    // A clean shell's user, as the audit names it (not the temporary home's name).
    cmd.env("USER", "oncall");
    cmd.env("SEXTANT_TAPE_BIN", &stage.bin);
    for (k, v) in &stage.env {
        cmd.env(k, v);
    }
    for (k, v) in &tape.env {
        cmd.env(k, v);
    }
    let session = Session::in_pty(cmd, cols, rows);
    let mut player = Player {
        tape,
        stage,
        session,
        hidden: Vec::new(),
        hide_from: None,
        waits: Vec::new(),
        started: Instant::now(),
    };
    player.until(&first, DEADLINE, "the shell's prompt", |s| {
        s.cursor_row().trim_end() == ">"
    })?;
    let started = Instant::now();
    player.started = started;
    for step in &tape.steps {
        player.step(&step.line, &step.action)?;
    }
    if let Some(from) = player.hide_from.take() {
        player.hidden.push((from, Instant::now()));
    }
    Ok(Played {
        session: player.session,
        started,
        hidden: player.hidden,
        waits: player.waits,
        _rc: rc,
    })
}

impl Played {
    /// Wait until the shell is back at its prompt (whatever the tape ran has exited).
    pub fn wait_for_prompt(&mut self) -> bool {
        let end = Instant::now() + DEADLINE;
        while Instant::now() < end {
            if self.session.cursor_row().trim_end() == ">" {
                return true;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        false
    }
}

struct Player<'a> {
    tape: &'a Tape,
    stage: &'a Stage,
    session: Session,
    hidden: Vec<(Instant, Instant)>,
    hide_from: Option<Instant>,
    waits: Vec<Check>,
    started: Instant,
}

impl Player<'_> {
    fn step(&mut self, line: &Line, action: &Action) -> Result<(), Failure> {
        match action {
            Action::Type { text, speed } => {
                let gap = speed.unwrap_or(self.tape.typing_speed());
                for c in text.chars() {
                    self.key(c.to_string().as_bytes(), gap);
                }
            }
            Action::Key { key, count, speed } => {
                let mut gap = speed.unwrap_or(self.tape.typing_speed());
                if *key == Key::Escape && self.stage.pacing == Pacing::Test {
                    gap = gap.max(ESCAPE_SETTLE);
                }
                for _ in 0..*count {
                    self.key(&key.bytes(), gap);
                }
            }
            Action::Sleep(d) => std::thread::sleep(match self.stage.pacing {
                Pacing::Test => (*d).min(MAX_TEST_SLEEP),
                Pacing::Real => *d,
            }),
            Action::Wait {
                scope,
                timeout,
                pattern,
            } => {
                let configured = match self.tape.setting("WaitTimeout") {
                    Some(Setting::Time(_, t)) => *t,
                    _ => VHS_WAIT_TIMEOUT,
                };
                let mut limit = timeout.unwrap_or(configured);
                if self.stage.pacing == Pacing::Test {
                    limit = limit.max(DEADLINE);
                }
                let what = format!("Wait /{}/", pattern.as_str());
                let scope = *scope;
                self.until(line, limit, &what, |s| match scope {
                    Scope::Line => pattern.is_match(&s.cursor_row()),
                    Scope::Screen => pattern.is_match(&s.screen()),
                })?;
            }
            Action::Hide => self.hide_from = self.hide_from.or(Some(Instant::now())),
            Action::Show => {
                if let Some(from) = self.hide_from.take() {
                    self.hidden.push((from, Instant::now()));
                }
            }
            Action::Screenshot(_) => {}
            Action::Expect {
                pattern,
                present: true,
            } => {
                let t = Instant::now();
                let what = format!("`# expect: {}`", spec(pattern));
                self.until(line, DEADLINE, &what, |s| pattern.matches(&s.screen()))?;
                let (at, waited) = (t - self.started, t.elapsed());
                self.waits.push(Check {
                    line: line.clone(),
                    at,
                    waited,
                });
            }
            Action::Expect {
                pattern,
                present: false,
            } => {
                let screen = self.session.screen();
                if pattern.matches(&screen) {
                    let message = format!("the screen shows {pattern}, which `# expect-not:` rules out");
                    return Err(Failure {
                        line: line.clone(),
                        message,
                        screen,
                    });
                }
            }
        }
        Ok(())
    }

    fn key(&mut self, bytes: &[u8], gap: Duration) {
        self.session.send_bytes(bytes);
        std::thread::sleep(gap);
    }

    /// Poll the screen until `ok`, or fail at `line` after `limit` (or when the shell exits).
    fn until(
        &mut self,
        line: &Line,
        limit: Duration,
        what: &str,
        ok: impl Fn(&Session) -> bool,
    ) -> Result<(), Failure> {
        let end = Instant::now() + limit;
        loop {
            if ok(&self.session) {
                return Ok(());
            }
            let exited = self.session.try_wait();
            if exited.is_some() || Instant::now() >= end {
                let why = match exited {
                    Some(status) => format!("the shell exited ({status:?})"),
                    None => format!("it did not show within {}s", limit.as_secs()),
                };
                return Err(Failure {
                    line: line.clone(),
                    message: format!("{what} failed: {why}"),
                    screen: self.session.screen(),
                });
            }
            std::thread::sleep(Duration::from_millis(50));
        }
    }
}

/// A pattern as it is written after `# expect:`.
fn spec(pattern: &Pattern) -> String {
    match pattern {
        Pattern::Text(t) => t.clone(),
        Pattern::Regex(re) => format!("/{}/", re.as_str()),
    }
}

fn on_path(program: &str) -> bool {
    let path = std::env::var_os("PATH").unwrap_or_default();
    std::env::split_paths(&path).any(|dir| is_executable(&dir.join(program)))
}

fn is_executable(path: &Path) -> bool {
    use std::os::unix::fs::PermissionsExt;
    path.metadata()
        .is_ok_and(|m| m.is_file() && m.permissions().mode() & 0o111 != 0)
}
