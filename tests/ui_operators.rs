//! The cockpit with Argo CD and Flux apps beside sextant.yaml's: the SOURCE column, the
//! operator's verdict beside Sextant's and why they differ, and acting through the operator
//! (`o`: menu, preview of the fields written, progress, the end), as `update()` behaviour
//! and snapshots.

mod ui_cockpit_support;
mod ui_support;

use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use serde_json::json;
use sextant::app::cockpit::CockpitView;
use sextant::app::cockpit_operator::Stage;
use sextant::app::msg::{Effect, Msg};
use sextant::app::state::{Pane, State, View};
use sextant::app::update::update;
use sextant::gitops::engine::operator_run::{Ending, OperatorPreview, OperatorResult};
use sextant::gitops::engine::{EngineCommand, EngineEvent, GateVerdict};
use sextant::gitops::operators::actions::{OperatorAction, plan_write};
use sextant::gitops::operators::{Evaluation, OperatorApp, argocd, flux};
use std::sync::Arc;
use ui_cockpit_support::*;
use ui_support::{render, state_with, theme};

fn key(s: &mut State, code: KeyCode) -> Vec<Effect> {
    update(s, Msg::Key(KeyEvent::new(code, KeyModifiers::NONE)))
}

fn argo_view() -> OperatorApp {
    let obj = json!({
        "apiVersion": "argoproj.io/v1alpha1", "kind": "Application",
        "metadata": {"name": "shop", "namespace": "argocd", "resourceVersion": "7",
                     "annotations": {"sextant.dev/simulated-operator": "demo"}},
        "spec": {"source": {"repoURL": "https://github.com/example/platform", "path": "apps/shop", "targetRevision": "HEAD"},
                 "destination": {"server": "https://kubernetes.default.svc", "namespace": "guestbook"},
                 "syncPolicy": {"automated": {"selfHeal": true}}},
        "status": {"sync": {"status": "Synced", "revision": HEAD}, "health": {"status": "Healthy"},
                   "reconciledAt": "2026-11-23T02:00:00Z"}
    });
    let mut app = argocd::application(&obj, "prod-eu", "prod-eu");
    app.cluster = "prod-eu".into();
    app.context = "prod-eu".into();
    app.evaluation = Evaluation::Evaluated {
        repo: "/src/platform".into(),
    };
    app
}

fn flux_view() -> OperatorApp {
    struct NoSources;
    impl flux::SourceLookup for NoSources {
        fn source(&self, _: &str, _: &str, _: &str) -> Option<&serde_json::Value> {
            None
        }
    }
    let obj = json!({
        "apiVersion": "kustomize.toolkit.fluxcd.io/v1", "kind": "Kustomization",
        "metadata": {"name": "infra", "namespace": "flux-system"},
        "spec": {"path": "./infra", "sourceRef": {"kind": "GitRepository", "name": "infra"}, "suspend": true},
        "status": {"conditions": [{"type": "Ready", "status": "True", "reason": "ReconciliationSucceeded",
                                   "message": "Applied revision: main@sha1:41aa0b2c"}],
                   "lastAppliedRevision": "main@sha1:41aa0b2c9d8e7f6a5b4c3d2e1f0a9b8c7d6e5f40"}
    });
    let mut app = flux::kustomization(&obj, &NoSources, "staging", "staging");
    app.evaluation = Evaluation::RepoNotOpen {
        url: "https://github.com/example/infra".into(),
    };
    app
}

/// The fleet, plus `shop` (Argo CD, evaluated, drifted) and `infra` (Flux, repo not open).
fn with_operators(size: (u16, u16)) -> State {
    let mut s = state_with(8, size);
    fleet(&mut s, false);
    let mut shop = report("shop", "prod-eu", true);
    shop.source = sextant::gitops::operators::AppSource::Argocd;
    shop.operator = Some(Arc::new(argo_view()));
    shop.disagreements = vec![
        "Argo CD last compared at 2026-11-23T02:00:00Z: the drift came after, and it has not refreshed since"
            .into(),
    ];
    app(&mut s, shop);
    let view = Arc::new(flux_view());
    let mut infra = report("infra", "staging", false);
    infra.objects.clear();
    infra.summarize();
    infra.sync = sextant::gitops::engine::SyncStatus::Unknown;
    infra.source = sextant::gitops::operators::AppSource::Flux;
    infra.operator = Some(view);
    app(&mut s, infra);
    s
}

fn select_app(s: &mut State, app: &str) {
    for _ in 0..6 {
        if s.focus == Pane::Apps {
            break;
        }
        key(s, KeyCode::Tab);
    }
    for _ in 0..12 {
        if s.cockpit.app_selected.as_ref().is_some_and(|(a, _)| a == app) {
            return;
        }
        key(s, KeyCode::Char('j'));
    }
    panic!("no row for {app}");
}

#[test]
fn the_apps_table_shows_where_each_app_comes_from_and_the_operators_verdict() {
    let s = with_operators((200, 50));
    let shot = render(&s, &theme("dark"), false);
    let header = shot
        .lines()
        .find(|l| l.contains("SOURCE"))
        .expect("a SOURCE column");
    assert!(header.contains("APP") && header.contains("CLUSTER"), "{header}");
    let infra = shot.lines().find(|l| l.contains(" infra ")).expect("infra row");
    assert!(infra.contains("flux") && infra.contains("Flux: Ready"), "{infra}");
    assert!(infra.contains("repo not open (o opens it)"), "{infra}");
    insta::assert_snapshot!("operators_apps_200x50", shot);
    // Without operator apps, no SOURCE column.
    let mut plain = state_with(8, (200, 50));
    fleet(&mut plain, false);
    assert!(!render(&plain, &theme("dark"), false).contains("SOURCE"));
}

#[test]
fn app_detail_shows_both_verdicts_why_they_differ_and_that_the_demo_simulates() {
    let mut s = with_operators((120, 40));
    select_app(&mut s, "shop");
    key(&mut s, KeyCode::Enter);
    let shot = render(&s, &theme("dark"), false);
    assert!(
        shot.contains("Argo CD: Synced · Healthy @9f2c1e0 (simulated)"),
        "{shot}"
    );
    assert!(
        shot.contains("simulated by the demo's sandbox controller"),
        "{shot}"
    );
    assert!(shot.contains("why they differ: Argo CD last compared"), "{shot}");
    insta::assert_snapshot!("operators_app_detail_120x40", shot);
}

#[test]
fn o_previews_writes_and_follows_an_operator_sync() {
    let mut s = with_operators((120, 40));
    select_app(&mut s, "guestbook");
    key(&mut s, KeyCode::Char('o'));
    assert!(s.views.is_empty(), "a sextant.yaml app has no operator");
    assert!(
        s.notice
            .as_deref()
            .unwrap_or_default()
            .contains("not managed by Argo CD or Flux")
    );
    select_app(&mut s, "shop");
    key(&mut s, KeyCode::Char('o'));
    let Some(View::Cockpit(CockpitView::Operator(view))) = s.views.last() else {
        panic!("no operator view");
    };
    assert!(matches!(&view.stage, Stage::Menu { choices, .. } if choices.len() == 5));
    let effects = key(&mut s, KeyCode::Enter);
    let Some(Effect::Engine(EngineCommand::OperatorPreview {
        id,
        app,
        cluster,
        action,
        ..
    })) = effects.first()
    else {
        panic!("no preview asked: {effects:?}");
    };
    assert_eq!((app.as_str(), cluster.as_str()), ("shop", "prod-eu"));
    let view = Arc::new(argo_view());
    let live = json!({"metadata": {"resourceVersion": "7"}, "spec": {"syncPolicy": {"automated": {"selfHeal": true}}}});
    let write = plan_write(&view, &live, action, "ada (sextant)", "now").expect("write");
    let preview = OperatorPreview {
        id: *id,
        app: view.clone(),
        action: action.clone(),
        write: Some(write),
        error: None,
        gate: GateVerdict::Allowed,
    };
    let id = *id;
    send(
        &mut s,
        EngineEvent::OperatorPreview {
            id,
            result: Ok(Arc::new(preview)),
        },
    );
    let shot = render(&s, &theme("dark"), false);
    assert!(shot.contains("operation.sync.revision=HEAD"), "{shot}");
    insta::assert_snapshot!("operators_preview_120x40", shot);
    let effects = key(&mut s, KeyCode::Enter);
    let Some(Effect::Engine(EngineCommand::Operator { id: run, .. })) = effects.first() else {
        panic!("nothing written: {effects:?}");
    };
    let run = *run;
    send(
        &mut s,
        EngineEvent::OperatorProgress {
            id: run,
            message: "Running: one pending (2 resources so far)".into(),
        },
    );
    assert!(render(&s, &theme("dark"), false).contains("Running: one pending"));
    let result = OperatorResult {
        app: "shop".into(),
        cluster: "prod-eu".into(),
        source: view.source,
        object: view.object.clone(),
        action: OperatorAction::Sync {
            revision: None,
            prune: false,
            resources: Vec::new(),
        },
        ending: Ending::Finished,
        ok: true,
        message: "Succeeded at 9f2c1e0: successfully synced (all tasks run)".into(),
        fields: Vec::new(),
        warnings: Vec::new(),
    };
    send(
        &mut s,
        EngineEvent::OperatorDone {
            id: run,
            result: Arc::new(result),
        },
    );
    let shot = render(&s, &theme("dark"), false);
    assert!(shot.contains("✓ Succeeded at 9f2c1e0"), "{shot}");
    assert!(
        s.cockpit
            .activity
            .iter()
            .any(|e| e.text.starts_with("argocd-sync shop on prod-eu: Succeeded"))
    );
}

#[test]
fn a_refused_preview_writes_nothing() {
    let mut s = with_operators((120, 40));
    select_app(&mut s, "infra");
    key(&mut s, KeyCode::Char('o'));
    let effects = key(&mut s, KeyCode::Enter);
    let Some(Effect::Engine(EngineCommand::OperatorPreview { id, action, .. })) = effects.first() else {
        panic!("no preview asked");
    };
    let preview = OperatorPreview {
        id: *id,
        app: Arc::new(flux_view()),
        action: action.clone(),
        write: None,
        error: Some("the Kustomization is suspended: Flux ignores reconcile requests while suspended; resume it first".into()),
        gate: GateVerdict::Allowed,
    };
    let id = *id;
    send(
        &mut s,
        EngineEvent::OperatorPreview {
            id,
            result: Ok(Arc::new(preview)),
        },
    );
    let effects = key(&mut s, KeyCode::Enter);
    assert!(effects.is_empty(), "{effects:?}");
    let shot = render(&s, &theme("dark"), false);
    assert!(shot.contains("nothing was written"), "{shot}");
}

/// `s` on an app Argo CD manages never syncs behind its back: it opens the operator's menu;
/// on a sextant.yaml app it plans Sextant's own sync.
#[test]
fn s_on_an_operator_app_goes_through_the_operator() {
    let mut s = with_operators((120, 40));
    select_app(&mut s, "shop");
    let effects = key(&mut s, KeyCode::Char('s'));
    assert!(effects.is_empty(), "{effects:?}");
    assert!(matches!(
        s.views.last(),
        Some(View::Cockpit(CockpitView::Operator(_)))
    ));
    assert!(
        s.notice
            .as_deref()
            .unwrap_or_default()
            .contains("synced through its operator")
    );
    key(&mut s, KeyCode::Esc);
    key(&mut s, KeyCode::Char('g'));
    select_app(&mut s, "guestbook");
    let effects = key(&mut s, KeyCode::Char('s'));
    assert!(
        matches!(
            effects.as_slice(),
            [Effect::Engine(EngineCommand::PlanSync { .. })]
        ),
        "{effects:?}"
    );
}

/// `R` then `s` on an app Argo CD manages rolls it back through Argo CD (a sync to that
/// revision, previewed first); on a Flux app it says to use a revert PR.
#[test]
fn an_emergency_rollback_of_an_operators_app_goes_through_the_operator() {
    use sextant::git::{CommitSummary, Person};
    use sextant::gitops::actions::history::{History, HistoryEntry};
    let entry = |sha: &str, current: bool| HistoryEntry {
        commit: CommitSummary {
            sha: sha.into(),
            short_sha: sha[..7].into(),
            summary: "a change".into(),
            author: Person {
                name: "Ada Lovelace".into(),
                email: "ada@example.com".into(),
                time: 0,
                offset_secs: 0,
            },
            commit_time: 0,
            parents: Vec::new(),
            shallow_boundary: false,
        },
        current,
        running: Vec::new(),
        synced: Vec::new(),
    };
    let old = "1111111111111111111111111111111111111111";
    let history = |app: &str| History {
        app: app.into(),
        entries: vec![
            entry("2222222222222222222222222222222222222222", true),
            entry(old, false),
        ],
        older: Vec::new(),
        complete: true,
    };
    let mut s = with_operators((120, 40));
    for (app, flux) in [("shop", false), ("infra", true)] {
        s.views.clear();
        key(&mut s, KeyCode::Char('g'));
        select_app(&mut s, app);
        let effects = key(&mut s, KeyCode::Char('R'));
        let Some(Effect::LoadHistory { req, .. }) = effects.first() else {
            panic!("{effects:?}")
        };
        update(
            &mut s,
            Msg::History {
                req: *req,
                result: Ok(history(app)),
            },
        );
        key(&mut s, KeyCode::Char('j'));
        let effects = key(&mut s, KeyCode::Char('s'));
        if flux {
            assert!(effects.is_empty(), "{effects:?}");
            assert!(
                s.notice.as_deref().unwrap_or_default().contains("revert PR"),
                "{:?}",
                s.notice
            );
        } else {
            assert!(
                matches!(effects.as_slice(), [Effect::Engine(EngineCommand::OperatorPreview {
                    action: OperatorAction::Sync { revision: Some(r), .. }, ..
                })] if r == old),
                "{effects:?}"
            );
        }
    }
}
