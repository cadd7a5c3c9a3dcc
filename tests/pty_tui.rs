//! End to end in a real pseudo-terminal: the real `sextant` binary on a temporary Git repo.
//! It must show the commits, open a commit and a file diff, quit on `q`, and leave the
//! terminal restored (alternate screen left, cursor shown); SIGTERM must restore it too.
//! Waits poll the screen against a deadline; nothing asserts on timing.

#[path = "pty_cockpit_support/session.rs"]
mod session;

use portable_pty::CommandBuilder;
use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

const DEADLINE: Duration = Duration::from_secs(30);
const ROWS: u16 = 30;
const COLS: u16 = 110;

fn git(dir: &Path, args: &[&str]) {
    let out = Command::new("git")
        .args(["-c", "init.defaultBranch=main", "-c", "commit.gpgsign=false"])
        .args(args)
        .current_dir(dir)
        .env("GIT_AUTHOR_NAME", "Ada Lovelace")
        .env("GIT_AUTHOR_EMAIL", "ada@example.com")
        .env("GIT_COMMITTER_NAME", "Ada Lovelace")
        .env("GIT_COMMITTER_EMAIL", "ada@example.com")
        .env("GIT_AUTHOR_DATE", "2026-01-02T03:04:05Z")
        .env("GIT_COMMITTER_DATE", "2026-01-02T03:04:05Z")
        .output()
        .expect("git runs");
    assert!(
        out.status.success(),
        "git {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

fn make_repo(dir: &Path) {
    git(dir, &["init", "-q"]);
    let deploy = |replicas: u32, image: &str| {
        format!(
            "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: api\nspec:\n  replicas: {replicas}\n  template:\n    spec:\n      containers:\n        - name: api\n          image: {image}\n"
        )
    };
    std::fs::create_dir_all(dir.join("apps/api")).unwrap();
    std::fs::write(dir.join("apps/api/deployment.yaml"), deploy(1, "api:1.0")).unwrap();
    git(dir, &["add", "."]);
    git(dir, &["commit", "-qm", "add the api deployment"]);
    std::fs::write(dir.join("README.md"), "platform config\n").unwrap();
    git(dir, &["add", "."]);
    git(dir, &["commit", "-qm", "add a readme"]);
    std::fs::write(dir.join("apps/api/deployment.yaml"), deploy(3, "api:1.4")).unwrap();
    git(dir, &["commit", "-qam", "scale api to 3 and bump to 1.4"]);
}

/// The binary running in a PTY (the shared session), with its own SEXTANT_HOME.
struct Session {
    pty: session::Session,
    _home: tempfile::TempDir,
}

impl Session {
    fn start(repo: &Path) -> Session {
        Self::start_with(repo, &["--repo", repo.to_str().unwrap()], &[])
    }

    fn start_with(cwd: &Path, args: &[&str], env: &[(&str, &str)]) -> Session {
        let home = tempfile::tempdir().unwrap();
        let mut cmd = CommandBuilder::new(env!("CARGO_BIN_EXE_sextant"));
        cmd.args(args);
        cmd.cwd(cwd);
        cmd.env("SEXTANT_HOME", home.path());
        cmd.env("TERM", "xterm-256color");
        cmd.env_remove("NO_COLOR");
        for (k, v) in env {
            cmd.env(k, v);
        }
        Session {
            pty: session::Session::in_pty(cmd, COLS, ROWS),
            _home: home,
        }
    }

    fn screen(&self) -> String {
        self.pty.screen()
    }

    fn wait_for(&self, needle: &str) {
        let end = Instant::now() + DEADLINE;
        while Instant::now() < end {
            if self.screen().contains(needle) {
                return;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        panic!("`{needle}` never appeared; the screen was:\n{}", self.screen());
    }

    fn wait_gone(&self, needle: &str) {
        let end = Instant::now() + DEADLINE;
        while Instant::now() < end {
            if !self.screen().contains(needle) {
                return;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        panic!("`{needle}` never went away; the screen was:\n{}", self.screen());
    }

    fn send(&mut self, keys: &str) {
        self.pty.send(keys);
    }

    fn wait_exit(&mut self) -> portable_pty::ExitStatus {
        self.pty.wait_exit()
    }

    /// The terminal was put back: after the last switch to the alternate screen, the output
    /// leaves it and shows the cursor again.
    fn assert_restored(&self) {
        // Give the reader thread a moment to drain the last bytes after exit.
        let end = Instant::now() + DEADLINE;
        loop {
            let raw = self.pty.raw();
            let text = String::from_utf8_lossy(&raw);
            let entered = text
                .rfind("\x1b[?1049h")
                .expect("the TUI entered the alternate screen");
            let tail = &text[entered..];
            if tail.contains("\x1b[?1049l") && tail.contains("\x1b[?25h") {
                return;
            }
            assert!(
                Instant::now() < end,
                "terminal not restored; output tail: {:?}",
                &tail[tail.len().saturating_sub(200)..]
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }
}

#[test]
fn browse_commits_open_a_diff_and_quit_restores_the_terminal() {
    let dir = tempfile::tempdir().unwrap();
    make_repo(dir.path());
    let mut s = Session::start(dir.path());
    s.wait_for("scale api to 3 and bump to 1.4");
    s.wait_for("add the api deployment");
    s.wait_for("No clusters yet");
    // Move down and back up, then open the newest commit.
    s.send("jjk");
    s.send("k\r");
    s.wait_for("files changed");
    s.wait_for("apps/api/deployment.yaml");
    s.send("\r");
    s.wait_for("Diff ·");
    s.wait_for("replicas: 3");
    s.wait_for("replicas: 1");
    s.send("v");
    s.wait_for("side by side");
    // The palette switches the theme in place (the driver rebuilds the palette).
    s.send(":theme light\r");
    s.wait_for("│ theme light");
    s.send("q");
    let status = s.wait_exit();
    assert!(status.success(), "exit status {status:?}");
    s.assert_restored();
}

#[test]
fn sigterm_restores_the_terminal() {
    let dir = tempfile::tempdir().unwrap();
    make_repo(dir.path());
    let mut s = Session::start(dir.path());
    s.wait_for("add a readme");
    let pid = s.pty.process_id().expect("a pid");
    let kill = Command::new("kill")
        .args(["-TERM", &pid.to_string()])
        .status()
        .unwrap();
    assert!(kill.success());
    s.wait_exit();
    s.assert_restored();
}

#[test]
fn not_a_repository_shows_the_error_panel_and_quits_cleanly() {
    let dir = tempfile::tempdir().unwrap();
    let mut s = Session::start(dir.path());
    s.wait_for("╔ Error");
    s.wait_for("is not inside a Git");
    // A lone Esc is told apart from Alt-q by a pause: wait for the panel to go first.
    s.send("\x1b");
    s.wait_gone("╔ Error");
    s.send("q");
    let status = s.wait_exit();
    assert!(status.success());
    s.assert_restored();
}

#[test]
fn no_color_means_no_colours_only_modifiers() {
    let dir = tempfile::tempdir().unwrap();
    make_repo(dir.path());
    let repo = dir.path().to_str().unwrap();
    let mut s = Session::start_with(dir.path(), &["--repo", repo], &[("NO_COLOR", "1")]);
    s.wait_for("add a readme");
    let mut parser = vt100::Parser::new(ROWS, COLS, 0);
    parser.process(&s.pty.raw());
    let screen = parser.screen();
    let mut inverse = 0;
    for row in 0..ROWS {
        for col in 0..COLS {
            let cell = screen.cell(row, col).unwrap();
            assert_eq!(cell.fgcolor(), vt100::Color::Default, "colour at {row},{col}");
            assert_eq!(cell.bgcolor(), vt100::Color::Default, "colour at {row},{col}");
            inverse += usize::from(cell.inverse());
        }
    }
    assert!(inverse > 0, "the selection is shown in reverse video");
    s.send("q");
    s.wait_exit();
    s.assert_restored();
}

#[test]
fn unreachable_url_shows_the_error_panel() {
    let dir = tempfile::tempdir().unwrap();
    let mut s = Session::start_with(
        dir.path(),
        &["--repo", "http://127.0.0.1:1/platform-cfg.git"],
        &[],
    );
    s.wait_for("╔ Error");
    s.wait_for("127.0.0.1:1");
    s.send("\x03");
    let status = s.wait_exit();
    assert!(status.success());
    s.assert_restored();
}

#[test]
fn a_url_is_cloned_into_the_cache_and_browsed() {
    let dir = tempfile::tempdir().unwrap();
    make_repo(dir.path());
    let url = format!("file://{}", dir.path().display());
    let cwd = tempfile::tempdir().unwrap();
    let mut s = Session::start_with(cwd.path(), &["--repo", &url], &[]);
    s.wait_for("scale api to 3 and bump to 1.4");
    s.send("q");
    assert!(s.wait_exit().success());
    s.assert_restored();
}
