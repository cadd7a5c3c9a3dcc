//! Health in the cockpit: an app that is not Healthy says which object makes it so, and why:
//! in the Apps table when nothing drifted (drift keeps its place when there is some), and in
//! app detail, on the summary and on the object's row.

mod ui_cockpit_support;
mod ui_support;

use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use sextant::app::cockpit::CockpitView;
use sextant::app::msg::Msg;
use sextant::app::state::{Pane, State, View};
use sextant::app::update::update;
use ui_cockpit_support::*;
use ui_support::{render, state_with, theme};

const WHY: &str = "Deployment/web: 0/3 replicas available (ProgressDeadlineExceeded)";

/// The fleet, with payments on prod-eu Degraded (and drifted when `drift`), the Apps pane
/// focused (a small terminal shows it as a tab).
fn fleet_with_degraded(size: (u16, u16), drift: bool) -> State {
    let mut s = state_with(8, size);
    fleet(&mut s, false);
    app(&mut s, degraded_report("payments", "prod-eu", drift));
    for _ in 0..6 {
        if s.focus == Pane::Apps {
            return s;
        }
        update(&mut s, Msg::Key(KeyEvent::new(KeyCode::Tab, KeyModifiers::NONE)));
    }
    panic!("the Apps pane is not reachable with Tab");
}

fn detail(mut s: State) -> State {
    s.views.push(View::Cockpit(CockpitView::AppDetail {
        app: "payments".into(),
        cluster: "prod-eu".into(),
        selected: 0,
    }));
    s
}

/// The first line holding every one of `needles`.
fn row<'a>(shot: &'a str, needles: &[&str]) -> &'a str {
    shot.lines()
        .find(|l| needles.iter().all(|n| l.contains(n)))
        .unwrap_or_else(|| panic!("no line with {needles:?}:\n{shot}"))
}

#[test]
fn the_apps_table_names_the_unhealthy_object_and_why() {
    let shot = render(&fleet_with_degraded((200, 50), false), &theme("dark"), false);
    let payments = row(&shot, &["payments ", " prod-eu ", "✖ Degraded"]);
    assert!(payments.contains("✖ Degraded"), "{payments}");
    assert!(payments.contains(&format!("✖ {WHY}")), "{payments}");
    // Healthy apps name nothing.
    let guestbook = row(&shot, &["guestbook ", " prod-eu ", "♥ Healthy"]);
    assert!(!guestbook.contains("Deployment/web"), "{guestbook}");
}

#[test]
fn drift_keeps_its_place_in_the_apps_table() {
    let shot = render(&fleet_with_degraded((200, 50), true), &theme("dark"), false);
    let payments = row(&shot, &["payments ", " prod-eu ", "✖ Degraded"]);
    assert!(payments.contains("spec.replicas 3→5 by kubectl"), "{payments}");
    assert!(!payments.contains("ProgressDeadlineExceeded"), "{payments}");
}

#[test]
fn app_detail_says_why_on_the_summary_and_the_object() {
    let shot = render(
        &detail(fleet_with_degraded((200, 50), false)),
        &theme("dark"),
        false,
    );
    assert!(
        row(&shot, &[" health: "]).contains(&format!("health: {WHY}")),
        "{shot}"
    );
    let object = row(&shot, &["└ Deployment/web"]);
    assert!(object.contains("✖ Degraded"), "{object}");
    assert!(
        object.contains("0/3 replicas available (ProgressDeadlineExceeded)"),
        "{object}"
    );
    // A healthy object says nothing of its health.
    assert!(!row(&shot, &["├ Service/web"]).contains("replicas"), "{shot}");
}

#[test]
fn snapshot_a_degraded_app() {
    for (w, h) in [(80, 24), (200, 50)] {
        for theme_name in ["dark", "light"] {
            let apps = render(&fleet_with_degraded((w, h), false), &theme(theme_name), true);
            insta::assert_snapshot!(format!("health_apps__{theme_name}_{w}x{h}"), apps);
            let shot = render(
                &detail(fleet_with_degraded((w, h), false)),
                &theme(theme_name),
                true,
            );
            insta::assert_snapshot!(format!("health_app_detail__{theme_name}_{w}x{h}"), shot);
        }
    }
}

/// Activity's entries about payments on prod-eu, oldest first.
fn payments_news(s: &State) -> Vec<String> {
    s.cockpit
        .activity
        .iter()
        .map(|e| e.text.clone())
        .filter(|t| t.starts_with("payments on prod-eu"))
        .collect()
}

#[test]
fn activity_says_when_an_app_turns_degraded_and_when_it_is_healthy_again() {
    let mut s = state_with(8, (200, 50));
    fleet(&mut s, false);
    // Degraded from its first report: not news, and no "Healthy again" to follow.
    app(&mut s, degraded_report("payments", "staging", false));
    app(&mut s, report("payments", "staging", false));
    app(&mut s, degraded_report("payments", "prod-eu", false));
    app(&mut s, degraded_report("payments", "prod-eu", false));
    assert_eq!(
        payments_news(&s),
        [format!("payments on prod-eu turned Degraded: {WHY}")]
    );
    // The cluster going down and coming back is not news.
    app(&mut s, down_report("payments", "prod-eu", "unreachable: timeout"));
    app(&mut s, degraded_report("payments", "prod-eu", false));
    assert_eq!(payments_news(&s).len(), 1);
    // Through a rollout (Progressing), Healthy again is said once.
    let mut rolling = report("payments", "prod-eu", false);
    rolling.health = "Progressing".into();
    app(&mut s, rolling);
    app(&mut s, report("payments", "prod-eu", false));
    app(&mut s, report("payments", "prod-eu", false));
    assert_eq!(
        payments_news(&s)[1..],
        ["payments on prod-eu is Healthy again".to_string()]
    );
    assert!(
        !s.cockpit
            .activity
            .iter()
            .any(|e| e.text.starts_with("payments on staging")),
        "{:?}",
        s.cockpit.activity
    );
}
