//! The Clusters pane counts apps by sync and by health: a degraded or progressing app shows
//! beside the cluster, a healthy cluster shows ♥, a down cluster says why instead.

mod ui_cockpit_support;
mod ui_support;

use sextant::app::state::State;
use ui_cockpit_support::*;
use ui_support::{render, state_with, theme};

fn line<'a>(shot: &'a str, cluster: &str) -> &'a str {
    shot.lines()
        .find(|l| l.contains(&format!("● {cluster}")))
        .unwrap_or_default()
}

fn with_health(health: &str) -> State {
    let mut s = state_with(8, (200, 50));
    fleet(&mut s, false);
    let mut r = report("payments", "staging", false);
    r.objects = r
        .objects
        .iter()
        .map(|o| {
            let mut o = (**o).clone();
            o.health = health.into();
            std::sync::Arc::new(o)
        })
        .collect();
    r.summarize();
    app(&mut s, r);
    s
}

#[test]
fn clusters_pane_counts_apps_by_health_too() {
    let shot = render(&with_health("Degraded"), &theme("dark"), false);
    assert!(line(&shot, "staging").contains("✓ 2 Synced  ✖ 1"), "{shot}");
    assert!(line(&shot, "prod-eu").contains("✓ 2 Synced  ♥"), "{shot}");
    let shot = render(&with_health("Progressing"), &theme("dark"), false);
    assert!(line(&shot, "staging").contains("◐ 1"), "{shot}");
    // Down clusters say so, with no health claim.
    assert!(shot.contains("✖ prod-us      unreachable"), "{shot}");
}
