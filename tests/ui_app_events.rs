//! App detail shows the cluster's Events about the app: opening it (by key, matrix or
//! palette) asks the engine once, the answer lands in the view, `ctrl-r` asks again, and a
//! failure is said in place. Pure `update()` behaviour and snapshots.

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
