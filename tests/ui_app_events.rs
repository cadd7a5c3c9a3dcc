//! App detail shows the cluster's Events about the app: opening it (by key, matrix or
//! palette) asks the engine once, the answer lands in the view, `ctrl-r` asks again, a change
//! of the app's sync, drift or health asks again, and a failure is said in place. Pure `update()` behaviour and snapshots.

mod ui_cockpit_support;
mod ui_support;

use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use sextant::app::msg::{Effect, Msg};
use sextant::app::state::{Pane, State};
use sextant::app::update::update;
use sextant::gitops::engine::{EngineCommand, EngineEvent};
use sextant::kube::events::ClusterEvent;
use ui_cockpit_support::*;
use ui_support::{render, state_with, theme};

fn key(s: &mut State, code: KeyCode, mods: KeyModifiers) -> Vec<Effect> {
    update(s, Msg::Key(KeyEvent::new(code, mods)))
}

fn events_request(effects: &[Effect]) -> (u64, String, usize) {
    match effects {
        [Effect::Engine(EngineCommand::Events { id, context, keys })] => (*id, context.clone(), keys.len()),
        other => panic!("expected one events request, got {other:?}"),
    }
}

fn sample() -> Vec<ClusterEvent> {
    vec![
        ClusterEvent {
            time: Some("2026-11-23T02:12:00Z".into()),
            kind: "Warning".into(),
            reason: "BackOff".into(),
            object: "Pod/web-7d9c-x2".into(),
            message: "Back-off restarting failed container web in pod web-7d9c-x2".into(),
            count: 4,
        },
        ClusterEvent {
            time: Some("2026-11-23T02:11:20Z".into()),
            kind: "Normal".into(),
            reason: "ScalingReplicaSet".into(),
            object: "Deployment/web".into(),
            message: "Scaled up replica set web-7d9c to 5".into(),
            count: 1,
        },
    ]
}

/// App detail of guestbook on prod-eu, opened from the Apps table; returns the request.
fn open(size: (u16, u16)) -> (State, (u64, String, usize)) {
    let mut s = state_with(8, size);
    fleet(&mut s, true);
    s.focus = Pane::Apps;
    let effects = key(&mut s, KeyCode::Enter, KeyModifiers::NONE);
    let req = events_request(&effects);
    (s, req)
}

#[test]
fn opening_app_detail_asks_once_and_shows_the_answer() {
    let (mut s, (id, context, keys)) = open((200, 50));
    assert_eq!((context.as_str(), keys), ("prod-eu", 2));
    // Moving around does not ask again while the answer is pending.
    assert!(key(&mut s, KeyCode::Down, KeyModifiers::NONE).is_empty());
    send(
        &mut s,
        EngineEvent::Events {
            id,
            result: Ok(sample()),
        },
    );
    let shot = render(&s, &theme("dark"), false);
    assert!(shot.contains("BackOff"), "{shot}");
    assert!(shot.contains("×4"), "{shot}");
    // ctrl-r asks again; the old answer stays on screen until the new one lands.
    let again = events_request(&key(&mut s, KeyCode::Char('r'), KeyModifiers::CONTROL));
    assert!(again.0 > id);
    assert!(render(&s, &theme("dark"), false).contains("BackOff"));
    send(
        &mut s,
        EngineEvent::Events {
            id: again.0,
            result: Err("cluster prod-eu is unreachable: timeout".into()),
        },
    );
    let shot = render(&s, &theme("dark"), false);
    assert!(
        shot.contains("cannot list events: cluster prod-eu is unreachable"),
        "{shot}"
    );
}

#[test]
fn snapshot_app_detail_with_events() {
    shoot_cockpit!("app_detail_events", |size| {
        let (mut s, (id, _, _)) = open(size);
        send(
            &mut s,
            EngineEvent::Events {
                id,
                result: Ok(sample()),
            },
        );
        s
    });
    shoot_cockpit!("app_detail_events_pending", |size| open(size).0);
}

#[test]
fn app_detail_is_a_resource_tree_in_apply_order() {
    use sextant::gitops::engine::SyncStatus;
    let mut s = state_with(8, (200, 50));
    fleet(&mut s, true);
    let mut r = report("guestbook", "prod-eu", true);
    let mut ns = object("Namespace", "guestbook", SyncStatus::Synced);
    ns.key.namespace.clear();
    r.objects.push(std::sync::Arc::new(object(
        "ConfigMap",
        "settings",
        SyncStatus::Synced,
    )));
    r.objects.push(std::sync::Arc::new(ns));
    r.summarize();
    app(&mut s, r);
    s.focus = Pane::Apps;
    key(&mut s, KeyCode::Enter, KeyModifiers::NONE);
    let shot = render(&s, &theme("dark"), false);
    // The tree's rows (the selected object's changes are listed below it).
    let order: Vec<&str> = shot
        .lines()
        .filter(|l| ["▾ ", "├ ", "└ "].iter().any(|b| l.contains(b)))
        .filter_map(|l| {
            [
                "▾ cluster-scoped",
                "Namespace/guestbook",
                "▾ guestbook",
                "ConfigMap/settings",
                "Service/web",
                "Deployment/web",
            ]
            .into_iter()
            .find(|n| l.contains(n))
        })
        .collect();
    assert_eq!(
        order,
        [
            "▾ cluster-scoped",
            "Namespace/guestbook",
            "▾ guestbook",
            "ConfigMap/settings",
            "Service/web",
            "Deployment/web"
        ],
        "{shot}"
    );
    // The drifted Deployment is selected; `k` walks the tree in the order shown.
    key(&mut s, KeyCode::Char('k'), KeyModifiers::NONE);
    match s.views.last() {
        Some(sextant::app::state::View::Cockpit(sextant::app::cockpit::CockpitView::AppDetail {
            selected,
            ..
        })) => {
            let report = s.cockpit.report("guestbook", "prod-eu").expect("report");
            assert_eq!(report.objects[*selected].key.name, "web");
            assert_eq!(report.objects[*selected].key.kind, "Service");
        }
        other => panic!("expected app detail, got {other:?}"),
    }
}

/// An app report arriving, and what it asks for.
fn report_in(s: &mut State, app: &str, cluster: &str, drift: bool) -> Vec<Effect> {
    let r = std::sync::Arc::new(report(app, cluster, drift));
    update(
        s,
        Msg::Engine(sextant::app::cockpit::EngineMsg(EngineEvent::AppReport(r))),
    )
}

#[test]
fn events_follow_the_app_live_while_its_detail_is_shown() {
    let (mut s, (id, _, _)) = open((200, 50));
    let nothing = |s: &mut State| update(s, Msg::Resize(200, 50));
    // A change while the first request is in flight does not ask twice.
    let pending = report_in(&mut s, "guestbook", "prod-eu", false);
    assert!(pending.is_empty(), "{pending:?}");
    // They were asked for before that report: once answered, the app's change asks again.
    let effects = update(
        &mut s,
        Msg::Engine(sextant::app::cockpit::EngineMsg(EngineEvent::Events {
            id,
            result: Ok(sample()),
        })),
    );
    let (again, context, _) = events_request(&effects);
    assert!(again > id && context == "prod-eu", "{effects:?}");
    send(
        &mut s,
        EngineEvent::Events {
            id: again,
            result: Ok(sample()),
        },
    );
    assert!(nothing(&mut s).is_empty(), "up to date: nothing to ask");
    // The same state again, or another app's change, leaves these alone; this app's next
    // change asks again.
    let same = report_in(&mut s, "guestbook", "prod-eu", false);
    assert!(same.is_empty(), "{same:?}");
    let other = report_in(&mut s, "payments", "prod-eu", true);
    assert!(other.is_empty(), "{other:?}");
    events_request(&report_in(&mut s, "guestbook", "prod-eu", true));
    assert!(
        render(&s, &theme("dark"), false).contains("BackOff"),
        "the old answer stays meanwhile"
    );
}
