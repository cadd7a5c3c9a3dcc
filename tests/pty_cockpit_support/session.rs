//! A program in a real PTY with a live vt100 view of its screen, and every byte it wrote with
//! the time it arrived (so that a run can be replayed as a recording). Used by the cockpit
//! tests, `tests/pty_tui.rs`, `benches/cockpit_latency.rs`, the demo tape test and
//! `examples/record_tape.rs`; it
//! depends on nothing but portable-pty and vt100.
#![allow(dead_code)]

use portable_pty::{CommandBuilder, PtySize, native_pty_system};
use std::io::{Read, Write};
use std::path::Path;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

pub const DEADLINE: Duration = Duration::from_secs(60);
pub const ROWS: u16 = 40;
pub const COLS: u16 = 140;

/// Bytes the program wrote, as they were read from the PTY.
pub struct Chunk {
    pub at: Instant,
    pub bytes: Vec<u8>,
}

pub struct Session {
    child: Box<dyn portable_pty::Child + Send + Sync>,
    writer: Box<dyn Write + Send>,
    parser: Arc<Mutex<vt100::Parser>>,
    output: Arc<Mutex<Vec<Chunk>>>,
}

impl Session {
    pub fn start(bin: &str, repo: &Path, kubeconfig: &Path, home: &Path) -> Session {
        let args = [
            "--repo",
            repo.to_str().expect("utf-8 path"),
            "--kubeconfig",
            kubeconfig.to_str().expect("utf-8 path"),
        ];
        Session::spawn(bin, &args, repo, home, &[])
    }

    /// `bin args...` in `cwd` with `SEXTANT_HOME` and `HOME` at `home`, plus `env`, at
    /// `COLS`x`ROWS`.
    pub fn spawn(bin: &str, args: &[&str], cwd: &Path, home: &Path, env: &[(&str, &Path)]) -> Session {
        let mut cmd = CommandBuilder::new(bin);
        cmd.args(args);
        cmd.cwd(cwd);
        for (k, v) in env {
            cmd.env(k, v);
        }
        cmd.env("SEXTANT_HOME", home);
        cmd.env("HOME", home);
        cmd.env("TERM", "xterm-256color");
        cmd.env_remove("KUBECONFIG");
        cmd.env_remove("NO_COLOR");
        Session::in_pty(cmd, COLS, ROWS)
    }

    /// Run `cmd` (its environment and directory already set) in a PTY of `cols` x `rows`.
    pub fn in_pty(cmd: CommandBuilder, cols: u16, rows: u16) -> Session {
        let pair = native_pty_system()
            .openpty(PtySize {
                rows,
                cols,
                pixel_width: 0,
                pixel_height: 0,
            })
            .expect("pty");
        let program = format!("{:?}", cmd.get_argv());
        let child = pair
            .slave
            .spawn_command(cmd)
            .unwrap_or_else(|e| panic!("{program} starts: {e}"));
        drop(pair.slave);
        let mut reader = pair.master.try_clone_reader().expect("reader");
        let writer = pair.master.take_writer().expect("writer");
        let parser = Arc::new(Mutex::new(vt100::Parser::new(rows, cols, 0)));
        let output = Arc::new(Mutex::new(Vec::new()));
        let (screen, sink) = (parser.clone(), output.clone());
        std::thread::spawn(move || {
            let _master = pair.master;
            let mut buf = [0u8; 8192];
            while let Ok(n) = reader.read(&mut buf) {
                if n == 0 {
                    break;
                }
                let at = Instant::now();
                screen.lock().expect("lock").process(&buf[..n]);
                let bytes = buf[..n].to_vec();
                sink.lock().expect("lock").push(Chunk { at, bytes });
            }
        });
        Session {
            child,
            writer,
            parser,
            output,
        }
    }

    /// The text on the screen now, one line per row.
    pub fn screen(&self) -> String {
        self.parser.lock().expect("lock").screen().contents()
    }

    /// The row the cursor is on.
    pub fn cursor_row(&self) -> String {
        let parser = self.parser.lock().expect("lock");
        let screen = parser.screen();
        let (row, _) = screen.cursor_position();
        let (_, cols) = screen.size();
        screen.contents_between(row, 0, row, cols)
    }

    /// Everything the program wrote so far, raw.
    pub fn raw(&self) -> Vec<u8> {
        let output = self.output.lock().expect("lock");
        output.iter().flat_map(|c| c.bytes.iter().copied()).collect()
    }

    /// Everything the program wrote so far, in the chunks it arrived in.
    pub fn take_output(&self) -> Vec<Chunk> {
        std::mem::take(&mut *self.output.lock().expect("lock"))
    }

    /// Whether every needle is on one line of the screen.
    pub fn has_line(&self, needles: &[&str]) -> bool {
        self.screen()
            .lines()
            .any(|l| needles.iter().all(|n| l.contains(n)))
    }

    /// Wait until every needle is on one line, polling every `poll`.
    pub fn wait_line_every(&self, needles: &[&str], poll: Duration) {
        let end = Instant::now() + DEADLINE;
        while Instant::now() < end {
            if self.has_line(needles) {
                return;
            }
            std::thread::sleep(poll);
        }
        panic!("no line with {needles:?}; the screen was:\n{}", self.screen());
    }

    /// Wait until every needle is on one line of the screen.
    pub fn wait_line(&self, needles: &[&str]) {
        self.wait_line_every(needles, Duration::from_millis(50));
    }

    pub fn send(&mut self, keys: &str) {
        self.send_bytes(keys.as_bytes());
    }

    pub fn send_bytes(&mut self, bytes: &[u8]) {
        self.writer.write_all(bytes).expect("write keys");
        self.writer.flush().expect("flush");
    }

    pub fn process_id(&self) -> Option<u32> {
        self.child.process_id()
    }

    /// The exit status, if the program has exited.
    pub fn try_wait(&mut self) -> Option<portable_pty::ExitStatus> {
        self.child.try_wait().expect("wait")
    }

    pub fn wait_exit(&mut self) -> portable_pty::ExitStatus {
        let end = Instant::now() + DEADLINE;
        while Instant::now() < end {
            if let Some(status) = self.try_wait() {
                return status;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        let _ = self.child.kill();
        panic!("the program did not exit; the screen was:\n{}", self.screen());
    }

    /// Stop the program if it still runs.
    pub fn kill(&mut self) {
        if self.try_wait().is_none() {
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
    }
}

impl Drop for Session {
    /// A test that failed half way must not leave its program running.
    fn drop(&mut self) {
        self.kill();
    }
}
