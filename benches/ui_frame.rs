//! One frame of the commit list with 100,000 commits loaded, rendered to a `TestBackend`.
//! Only visible rows are built, so the target is under 5 ms per frame. Prints its figures.

#[path = "../tests/ui_support/mod.rs"]
mod ui_support;

use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use sextant::app::msg::Msg;
use sextant::app::update::update;
use std::time::{Duration, Instant};

fn main() {
    let loaded = Instant::now();
    let mut state = ui_support::state_with(100_000, (200, 50));
    let load_time = loaded.elapsed();
    let theme = ui_support::theme("dark");
    for (label, size) in [("80x24", (80u16, 24u16)), ("200x50", (200, 50))] {
        update(&mut state, Msg::Resize(size.0, size.1));
        // Somewhere in the middle of the history, as after a long scroll.
        update(
            &mut state,
            Msg::Key(KeyEvent::new(KeyCode::Char('G'), KeyModifiers::NONE)),
        );
        for _ in 0..50_000 {
            update(
                &mut state,
                Msg::Key(KeyEvent::new(KeyCode::Char('k'), KeyModifiers::NONE)),
            );
        }
        let mut terminal = Terminal::new(TestBackend::new(size.0, size.1)).expect("test backend");
        let mut times: Vec<Duration> = Vec::new();
        for _ in 0..200 {
            let t = Instant::now();
            terminal
                .draw(|f| sextant::ui::draw(f, &state, &theme))
                .expect("draw");
            times.push(t.elapsed());
        }
        times.sort();
        let p50 = times[times.len() / 2];
        let p99 = times[times.len() * 99 / 100];
        println!(
            "ui_frame: commit list, 100000 commits loaded, {label}: p50 {:.3} ms, p99 {:.3} ms (target < 5 ms)",
            p50.as_secs_f64() * 1e3,
            p99.as_secs_f64() * 1e3
        );
    }
    println!(
        "ui_frame: building the 100000-row state took {:.1} ms",
        load_time.as_secs_f64() * 1e3
    );
}
