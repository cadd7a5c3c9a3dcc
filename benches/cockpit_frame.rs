//! One cockpit frame with 10,000 resources (50 apps × 10 clusters × 20 objects): the main
//! screen, the drift matrix and an app's detail, rendered to a `TestBackend`. Target: under
//! 5 ms per frame. Also times folding a burst of 500 engine reports into the state.
//! Prints its figures.

#[path = "../tests/ui_cockpit_support/mod.rs"]
mod ui_cockpit_support;
#[path = "../tests/ui_support/mod.rs"]
mod ui_support;

use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use sextant::app::msg::Msg;
use sextant::app::state::State;
use sextant::app::update::update;
use sextant::kube::cluster::ClusterState;
use std::time::{Duration, Instant};
use ui_cockpit_support::{app, big_report, cluster};

const APPS: usize = 50;
const CLUSTERS: usize = 10;
const OBJECTS: usize = 20;

fn key(s: &mut State, c: char) {
    update(s, Msg::Key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE)));
}

fn frame_time(state: &State, size: (u16, u16), rounds: u32) -> Duration {
    let theme = ui_support::theme("dark");
    let mut terminal = Terminal::new(TestBackend::new(size.0, size.1)).expect("test backend");
    let start = Instant::now();
    for _ in 0..rounds {
        terminal
            .draw(|f| sextant::ui::draw(f, state, &theme))
            .expect("draw");
    }
    start.elapsed() / rounds
}

fn main() {
    let reports: Vec<_> = (0..APPS)
        .flat_map(|a| {
            (0..CLUSTERS).map(move |c| big_report(&format!("app-{a:02}"), &format!("cluster-{c}"), OBJECTS))
        })
        .collect();
    let mut state = ui_support::state_with(200, (200, 50));
    for c in 0..CLUSTERS {
        cluster(&mut state, &format!("cluster-{c}"), ClusterState::Ready);
    }
    let folded = Instant::now();
    for r in reports {
        app(&mut state, r);
    }
    let fold_time = folded.elapsed();
    // One app holding 10,000 resources on its own: its resource tree is sorted every frame.
    let mut huge = ui_support::state_with(200, (200, 50));
    cluster(&mut huge, "cluster-0", ClusterState::Ready);
    app(
        &mut huge,
        big_report("huge", "cluster-0", APPS * CLUSTERS * OBJECTS),
    );
    let resources: usize = state.cockpit.reports.values().map(|r| r.0.objects.len()).sum();
    println!(
        "cockpit_frame: {} apps × {} clusters, {resources} resources; folding {} reports: {:.2} ms",
        APPS,
        CLUSTERS,
        state.cockpit.reports.len(),
        fold_time.as_secs_f64() * 1e3
    );
    for size in [(80u16, 24u16), (200, 50)] {
        update(&mut state, Msg::Resize(size.0, size.1));
        state.views.clear();
        let main = frame_time(&state, size, 200);
        key(&mut state, 'm');
        let matrix = frame_time(&state, size, 200);
        state.views.clear();
        sextant::app::cockpit_keys::open_app(&mut state, "app-25", "cluster-5");
        let detail = frame_time(&state, size, 200);
        update(&mut huge, Msg::Resize(size.0, size.1));
        huge.views.clear();
        sextant::app::cockpit_keys::open_app(&mut huge, "huge", "cluster-0");
        let huge_detail = frame_time(&huge, size, 50);
        println!(
            "cockpit_frame {}x{}: main {:.3} ms, matrix {:.3} ms, app detail {:.3} ms, app detail of \
             10,000 objects {:.3} ms per frame (target < 5 ms)",
            size.0,
            size.1,
            main.as_secs_f64() * 1e3,
            matrix.as_secs_f64() * 1e3,
            detail.as_secs_f64() * 1e3,
            huge_detail.as_secs_f64() * 1e3
        );
    }
}
