//! Sync from the cockpit, as pure `update()` behaviour and screens: `s` asks the engine for a
//! plan of exactly the app (or object) in front; Enter or `y` confirms; prune asks again,
//! listing what it deletes; a protected cluster wants its name; results stream in; Esc
//! stops new writes; quitting mid-sync stops it first; `:audit` shows what was done.

mod ui_cockpit_support;
mod ui_support;

use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use sextant::app::cockpit::CockpitView;
use sextant::app::cockpit_sync::{SyncStage, SyncView};
use sextant::app::msg::{Effect, Msg};
use sextant::app::state::{Pane, State, View};
use sextant::app::update::update;
use sextant::gitops::engine::{EngineCommand, EngineEvent, GateVerdict, PreviewReport, SyncScope};
use sextant::gitops::sync::plan::{Change, PlannedObject, SyncPlan};
use sextant::gitops::sync::result::{Ending, ObjectResult, Outcome, SyncResult, Tally};
use sextant::kube::key::ObjectKey;
use std::sync::Arc;
use ui_cockpit_support::*;
use ui_support::{render, state_with, theme};

fn press(s: &mut State, code: KeyCode) -> Vec<Effect> {
    update(s, Msg::Key(KeyEvent::new(code, KeyModifiers::NONE)))
}

fn ch(s: &mut State, c: char) -> Vec<Effect> {
    press(s, KeyCode::Char(c))
}

fn apps_focused(size: (u16, u16)) -> State {
    let mut s = state_with(8, size);
    fleet(&mut s, true);
    s.focus = Pane::Apps;
    s
}

fn sync_view(s: &State) -> &SyncView {
    match s.views.last() {
        Some(View::Cockpit(CockpitView::Sync(v))) => v,
        other => panic!("expected the sync view, got {other:?}"),
    }
}

fn planned(key: ObjectKey, change: Change, paths: &[&str]) -> PlannedObject {
    PlannedObject {
        api_version: "v1".into(),
        key,
        change,
        paths: paths.iter().map(|p| p.to_string()).collect(),
        manifest: None,
        kind: None,
    }
}

/// The engine's answer to a PlanSync of guestbook on prod-eu: one update, one prune.
fn plan_answer(id: u64, gate: GateVerdict) -> PreviewReport {
    let mut guestbook = report("guestbook", "prod-eu", true);
    let mut objects = guestbook.objects.clone();
    objects.push(Arc::new(object(
        "ConfigMap",
        "old",
        sextant::gitops::engine::SyncStatus::Extra,
    )));
    guestbook.objects = objects;
    guestbook.summarize();
    let plan = SyncPlan {
        app: "guestbook".into(),
        cluster: "prod-eu".into(),
        context: "prod-eu".into(),
        revision: guestbook.revision.clone(),
        commit: guestbook.commit.clone(),
        pinned: false,
        apply: vec![planned(
            key("Deployment", "guestbook", "web"),
            Change::Update,
            &["spec.replicas"],
        )],
        prune: vec![planned(key("ConfigMap", "guestbook", "old"), Change::Delete, &[])],
        unchanged: 1,
        blocked: Vec::new(),
        render_errors: Vec::new(),
    };
    PreviewReport {
        id,
        revision: guestbook.commit.clone(),
        short: guestbook.revision.clone(),
        commit: guestbook.commit.clone(),
        cluster: "prod-eu".into(),
        apps: vec![Arc::new(guestbook)],
        absent: Vec::new(),
        error: None,
        plans: vec![Arc::new(plan)],
        gate,
    }
}

/// `s` on guestbook/prod-eu, and the engine's answer; returns the plan request's id.
fn open_sync(s: &mut State, gate: GateVerdict) -> u64 {
    // guestbook prod-eu is the first row.
    let effects = ch(s, 's');
    let id = match effects.as_slice() {
        [
            Effect::Engine(EngineCommand::PlanSync {
                id,
                revision,
                cluster,
                scope,
            }),
        ] => {
            assert_eq!(cluster, "prod-eu");
            assert_eq!(
                *scope,
                SyncScope {
                    app: Some("guestbook".into()),
                    only: Vec::new()
                }
            );
            let r = s.cockpit.report("guestbook", "prod-eu").expect("report");
            assert_eq!(*revision, r.commit, "the commit the row shows");
            *id
        }
        other => panic!("expected one PlanSync, got {other:?}"),
    };
    send(s, EngineEvent::Preview(Arc::new(plan_answer(id, gate))));
    id
}

fn sent_sync(effects: &[Effect]) -> (u64, bool, Option<String>) {
    match effects {
        [
            Effect::Engine(EngineCommand::Sync {
                id,
                prune,
                typed,
                plan,
            }),
        ] => {
            assert_eq!(plan.app, "guestbook");
            (*id, *prune, typed.clone())
        }
        other => panic!("expected one Sync, got {other:?}"),
    }
}

fn result(outcomes: Vec<(ObjectKey, Change, Outcome)>, ending: Ending) -> Arc<SyncResult> {
    let results: Vec<ObjectResult> = outcomes
        .into_iter()
        .map(|(key, change, outcome)| ObjectResult { key, change, outcome })
        .collect();
    Arc::new(SyncResult {
        app: "guestbook".into(),
        cluster: "prod-eu".into(),
        context: "prod-eu".into(),
        revision: "9f2c1e0".into(),
        commit: "9f2c1e0".into(),
        pinned: false,
        prune: true,
        ending,
        message: None,
        tally: Tally::of(&results),
        results,
    })
}

#[test]
fn s_plans_enter_confirms_prune_asks_again_and_results_stream_in() {
    let mut s = apps_focused((200, 50));
    open_sync(&mut s, GateVerdict::Allowed);
    let screen = render(&s, &theme("dark"), false);
    assert!(
        screen.contains("Will update 1 · prune 1 (asks first) · 1 unchanged"),
        "{screen}"
    );
    // Enter: prune candidates make it ask again, naming exactly what would be deleted.
    assert!(press(&mut s, KeyCode::Enter).is_empty());
    assert_eq!(sync_view(&s).stage, SyncStage::ConfirmPrune);
    let screen = render(&s, &theme("dark"), false);
    assert!(screen.contains("Also DELETE 1 object from prod-eu?"), "{screen}");
    assert!(screen.contains("- ConfigMap/old -n guestbook"), "{screen}");
    // `n`: sync without pruning.
    let (id, prune, typed) = sent_sync(&ch(&mut s, 'n'));
    assert!(!prune);
    assert_eq!(typed, None);
    let web = key("Deployment", "guestbook", "web");
    send(
        &mut s,
        EngineEvent::SyncProgress {
            id,
            app: "guestbook".into(),
            cluster: "prod-eu".into(),
            result: ObjectResult {
                key: web.clone(),
                change: Change::Update,
                outcome: Outcome::Applied,
            },
        },
    );
    let screen = render(&s, &theme("dark"), false);
    assert!(screen.contains("Syncing guestbook → prod-eu: 1/1"), "{screen}");
    assert!(
        screen.contains("✓ update Deployment/web -n guestbook"),
        "{screen}"
    );
    let done = result(vec![(web, Change::Update, Outcome::Applied)], Ending::Finished);
    send(&mut s, EngineEvent::SyncDone { id, result: done });
    assert!(matches!(sync_view(&s).stage, SyncStage::Done(_)));
    let screen = render(&s, &theme("dark"), false);
    assert!(
        screen.contains("✓ guestbook on prod-eu @9f2c1e0: 1 applied, 0 pruned, 0 failed"),
        "{screen}"
    );
    // Activity logs it.
    assert!(
        s.cockpit
            .activity
            .iter()
            .any(|e| e.text.starts_with("synced guestbook on prod-eu")),
        "{:?}",
        s.cockpit.activity
    );
    press(&mut s, KeyCode::Esc);
    assert!(s.views.is_empty());
}

#[test]
fn y_prunes_too_and_a_protected_cluster_wants_its_name() {
    let mut s = apps_focused((200, 50));
    open_sync(&mut s, GateVerdict::NeedsTypedName);
    let screen = render(&s, &theme("dark"), false);
    assert!(
        screen.contains("prod-eu is protected: you will type its name to confirm"),
        "{screen}"
    );
    ch(&mut s, 'y'); // confirm the plan
    assert_eq!(sync_view(&s).stage, SyncStage::ConfirmPrune);
    assert!(ch(&mut s, 'y').is_empty()); // prune too, then the name
    assert!(matches!(
        sync_view(&s).stage,
        SyncStage::TypeName { prune: true, .. }
    ));
    for c in "prod-e".chars() {
        ch(&mut s, c);
    }
    // Keys are text here: `q` does not quit, `s` does not sync again.
    ch(&mut s, 'q');
    press(&mut s, KeyCode::Backspace);
    ch(&mut s, 'u');
    let screen = render(&s, &theme("dark"), false);
    assert!(screen.contains("> prod-eu█"), "{screen}");
    assert!(!s.quit);
    let (_, prune, typed) = sent_sync(&press(&mut s, KeyCode::Enter));
    assert!(prune);
    assert_eq!(typed.as_deref(), Some("prod-eu"));
}

#[test]
fn a_refused_plan_says_why_and_the_engine_still_decides() {
    let mut s = apps_focused((200, 50));
    let why = "refused: Sextant runs read-only (--readonly), so it will not sync cluster prod-eu; run without it to write";
    open_sync(&mut s, GateVerdict::Refused(why.into()));
    let screen = render(&s, &theme("dark"), false);
    assert!(
        screen.contains("✖ refused: Sextant runs read-only (--readonly)"),
        "{screen}"
    );
    ch(&mut s, 'y');
    // The view does not enforce: it sends, and the engine's gate refuses (and audits).
    let (id, _, _) = sent_sync(&ch(&mut s, 'n'));
    let mut refused = (*result(Vec::new(), Ending::Refused)).clone();
    refused.message = Some(why.into());
    send(
        &mut s,
        EngineEvent::SyncDone {
            id,
            result: Arc::new(refused),
        },
    );
    let screen = render(&s, &theme("dark"), false);
    assert!(
        screen.contains("✖ guestbook on prod-eu @9f2c1e0: refused: Sextant runs read-only"),
        "{screen}"
    );
    assert!(
        s.cockpit
            .activity
            .iter()
            .any(|e| e.text.starts_with("sync refused:"))
    );
}

#[test]
fn esc_stops_new_writes_and_quitting_mid_sync_stops_it_first() {
    let mut s = apps_focused((200, 50));
    open_sync(&mut s, GateVerdict::Allowed);
    ch(&mut s, 'y');
    let (id, _, _) = sent_sync(&ch(&mut s, 'y'));
    assert_eq!(
        press(&mut s, KeyCode::Esc),
        vec![Effect::Engine(EngineCommand::CancelSync { id })]
    );
    // Esc again does not ask twice; the view stays until the end is reported.
    assert!(press(&mut s, KeyCode::Esc).is_empty());
    assert!(sync_view(&s).is_running());
    // Quit: the sync is stopped first and Sextant quits once it has reported.
    let effects = ch(&mut s, 'q');
    assert_eq!(effects, vec![Effect::Engine(EngineCommand::CancelSync { id })]);
    assert!(!s.quit);
    send(
        &mut s,
        EngineEvent::SyncDone {
            id,
            result: result(Vec::new(), Ending::Cancelled),
        },
    );
    assert!(s.quit, "quits once the sync reported");
}

#[test]
fn ctrl_c_twice_quits_at_once_mid_sync() {
    let mut s = apps_focused((200, 50));
    open_sync(&mut s, GateVerdict::Allowed);
    ch(&mut s, 'y');
    sent_sync(&ch(&mut s, 'n'));
    let ctrl_c = || Msg::Key(KeyEvent::new(KeyCode::Char('c'), KeyModifiers::CONTROL));
    assert_eq!(update(&mut s, ctrl_c()).len(), 1);
    assert!(!s.quit);
    update(&mut s, ctrl_c());
    assert!(s.quit);
}

#[test]
fn s_in_app_detail_the_matrix_and_one_objects_diff_plans_what_is_in_front() {
    let plan_of = |effects: &[Effect]| match effects {
        [Effect::Engine(EngineCommand::PlanSync { cluster, scope, .. })] => (cluster.clone(), scope.clone()),
        other => panic!("expected a PlanSync, got {other:?}"),
    };
    // App detail: the whole app.
    let mut s = apps_focused((200, 50));
    press(&mut s, KeyCode::Enter);
    let (cluster, scope) = plan_of(&ch(&mut s, 's'));
    assert_eq!(
        (cluster.as_str(), scope.app.as_deref(), scope.only.len()),
        ("prod-eu", Some("guestbook"), 0)
    );
    // The drift diff of one object: that object only.
    let mut s = apps_focused((200, 50));
    press(&mut s, KeyCode::Enter);
    press(&mut s, KeyCode::Enter);
    assert!(matches!(
        s.views.last(),
        Some(View::Cockpit(CockpitView::DriftDiff(_)))
    ));
    let (_, scope) = plan_of(&ch(&mut s, 's'));
    assert_eq!(scope.only, vec![key("Deployment", "guestbook", "web")]);
    // The matrix: the selected cell.
    let mut s = apps_focused((200, 50));
    ch(&mut s, 'm');
    press(&mut s, KeyCode::Right);
    let (cluster, scope) = plan_of(&ch(&mut s, 's'));
    assert_eq!(scope.app.as_deref(), Some("guestbook"));
    let (_, clusters) = s.cockpit.matrix_axes();
    assert_eq!(cluster, clusters[1]);
}

#[test]
fn snapshot_sync_plan_prune_question_and_result() {
    shoot_cockpit!("sync_plan", |size| {
        let mut s = apps_focused(size);
        open_sync(&mut s, GateVerdict::Allowed);
        s
    });
    shoot_cockpit!("sync_prune_question", |size| {
        let mut s = apps_focused(size);
        open_sync(&mut s, GateVerdict::Allowed);
        ch(&mut s, 'y');
        s
    });
    shoot_cockpit!("sync_done_with_a_failure", |size| {
        let mut s = apps_focused(size);
        open_sync(&mut s, GateVerdict::Allowed);
        ch(&mut s, 'y');
        let (id, _, _) = sent_sync(&ch(&mut s, 'y'));
        let done = result(
            vec![
                (key("Deployment", "guestbook", "web"), Change::Update, Outcome::Applied),
                (
                    key("ConfigMap", "guestbook", "old"),
                    Change::Delete,
                    Outcome::Failed {
                        message: "denied by an admission webhook (400): admission webhook \"policy\" denied the request: keep it".into(),
                    },
                ),
            ],
            Ending::Finished,
        );
        send(&mut s, EngineEvent::SyncDone { id, result: done });
        s
    });
}

#[test]
fn audit_view_lists_what_was_done_newest_first() {
    use sextant::gitops::audit::{AuditEntry, ObjectLine, Who};
    let entry = |app: &str, outcome: &str| AuditEntry {
        time: "2026-12-04T10:00:00Z".into(),
        action: "sync".into(),
        who: Who {
            os_user: "alice".into(),
            kube_context: "prod-eu".into(),
            ..Who::default()
        },
        app: app.into(),
        cluster: "prod-eu".into(),
        revision: "9f2c1e0aa".into(),
        outcome: outcome.into(),
        summary: format!("{app} on prod-eu @9f2c1e0: 1 applied, 0 pruned, 0 failed"),
        objects: vec![ObjectLine {
            object: "apps/Deployment:guestbook/web".into(),
            change: "update".into(),
            result: "applied".into(),
            ..ObjectLine::default()
        }],
        ..AuditEntry::default()
    };
    let mut s = apps_focused((200, 50));
    ch(&mut s, ':');
    for c in "audit".chars() {
        ch(&mut s, c);
    }
    let effects = press(&mut s, KeyCode::Enter);
    let req = match effects.as_slice() {
        [Effect::ReadAudit { req }] => *req,
        other => panic!("expected ReadAudit, got {other:?}"),
    };
    update(
        &mut s,
        Msg::Audit {
            req,
            result: Ok(vec![entry("guestbook", "finished"), entry("payments", "refused")]),
        },
    );
    let screen = render(&s, &theme("dark"), false);
    assert!(
        screen.contains("sync guestbook → prod-eu @9f2c1e0  finished"),
        "{screen}"
    );
    assert!(screen.contains("alice · guestbook on prod-eu"), "{screen}");
    assert!(
        screen.contains("applied  update apps/Deployment:guestbook/web"),
        "{screen}"
    );
}
