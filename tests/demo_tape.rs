//! `demo.tape` is a test: it plays, as VHS would, against the real binary in a real PTY of the
//! tape's size (`# size:`), and after each step the screen must show what the tape's
//! `# expect:` lines promise (see `tests/tape/mod.rs`). So the tape, and the GIF made from it,
//! cannot drift from the product's keys and screens. Sleeps are cut short; each check waits
//! for its screen instead. Nothing asserts on timing.

mod tape;

use std::path::Path;
use tape::play::{Pacing, Stage, play};
use tape::{Action, Tape};

fn demo_tape() -> Tape {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("demo.tape");
    Tape::load(&path).unwrap_or_else(|e| panic!("{e}"))
}

#[test]
fn the_demo_tape_plays_and_every_screen_is_what_it_promises() {
    let tape = demo_tape();
    let checks = tape
        .steps
        .iter()
        .filter(|s| matches!(s.action, Action::Expect { present: true, .. }))
        .count();
    assert!(
        checks > 0,
        "demo.tape has no `# expect:` lines, so it checks nothing"
    );
    let home = tempfile::tempdir().expect("home");
    let tmp = tempfile::tempdir().expect("tmp");
    let stage = Stage {
        bin: env!("CARGO_BIN_EXE_sextant").into(),
        cwd: env!("CARGO_MANIFEST_DIR").into(),
        env: vec![
            ("HOME".into(), home.path().into()),
            ("SEXTANT_HOME".into(), home.path().join("sextant")),
            ("TMPDIR".into(), tmp.path().into()),
        ],
        pacing: Pacing::Test,
    };
    let mut played = play(&tape, &stage)
        .unwrap_or_else(|failure| panic!("demo.tape no longer matches the product:\n{failure}"));
    assert!(
        played.wait_for_prompt(),
        "demo.tape should end back at the shell (quit the demo with q); the screen was:\n{}",
        played.session.screen()
    );
    drop(played);
    let left: Vec<_> = std::fs::read_dir(tmp.path())
        .expect("tmp")
        .flatten()
        .map(|e| e.file_name())
        .collect();
    assert!(left.is_empty(), "the demo left {left:?} in its temp dir");
}

#[test]
fn the_demo_tape_is_sized_for_vhs_and_records_a_gif() {
    let tape = demo_tape();
    let (cols, rows) = tape.size().unwrap_or_else(|e| panic!("{e}"));
    // The cockpit's panes sit side by side from 100x30 on; below that they become tabs.
    assert!(
        cols >= 100 && rows >= 30,
        "{cols}x{rows} is too small for the cockpit"
    );
    // The README shows the GIF the tape records (scripts/record-demo makes it).
    assert!(
        tape.outputs.iter().any(|o| o == "assets/demo.gif"),
        "{:?}",
        tape.outputs
    );
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    assert!(root.join("assets/demo.gif").is_file(), "run scripts/record-demo");
    let readme = std::fs::read_to_string(root.join("README.md")).expect("README.md");
    assert!(
        readme.contains("](assets/demo.gif)"),
        "the README no longer shows the GIF"
    );
}
