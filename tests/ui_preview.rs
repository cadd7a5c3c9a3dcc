//! "What would this revision do?" in the TUI: `p` on a commit picks a cluster, asks the
//! engine for a preview, shows the answer (apps, objects that would change) and opens the
//! drift diff; and the Apps table's "behind the branch" marker. Pure `update()` behaviour and
//! snapshots of `TestBackend` at 80x24 and 200x50 in two themes.

mod ui_cockpit_support;
mod ui_support;

use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use sextant::app::cockpit::CockpitView;
use sextant::app::msg::{Effect, Msg};
use sextant::app::state::{Pane, State, View};
use sextant::app::update::update;
use sextant::git::Distance;
use sextant::gitops::engine::{EngineCommand, EngineEvent, PreviewReport, SyncStatus};
use std::sync::Arc;
use ui_cockpit_support::*;
use ui_support::{render, state_with, theme};

const DEPLOYED: &str = "41aa0b7c0ffee41aa0b7c0ffee41aa0b7c0ffee4";

fn key(s: &mut State, code: KeyCode) -> Vec<Effect> {
    update(s, Msg::Key(KeyEvent::new(code, KeyModifiers::NONE)))
}

fn commits_focused(size: (u16, u16)) -> State {
    let mut s = state_with(8, size);
    fleet(&mut s, true);
    s.focus = Pane::Commits;
    s
}

/// The preview request the last key sent to the engine.
fn asked(effects: &[Effect]) -> (u64, String, String) {
    match effects {
        [
            Effect::Engine(EngineCommand::Preview {
                id,
                revision,
                cluster,
            }),
        ] => (*id, revision.clone(), cluster.clone()),
        other => panic!("expected one preview request, got {other:?}"),
    }
}

/// What the engine would answer for a rollback of guestbook on prod-eu: the Deployment
/// changes, a ConfigMap would be created, an old Service pruned; payments is unchanged.
fn answer(id: u64, revision: &str) -> PreviewReport {
    let mut guestbook = report("guestbook", "prod-eu", true);
    guestbook.revision = revision[..7].into();
    let mut objects = guestbook.objects.clone();
    objects.push(Arc::new(object("ConfigMap", "settings", SyncStatus::Missing)));
    objects.push(Arc::new(object("Service", "old-web", SyncStatus::Extra)));
    guestbook.objects = objects;
    guestbook.summarize();
    let payments = report("payments", "prod-eu", false);
    PreviewReport {
        id,
        revision: revision.into(),
        short: revision[..7].into(),
        commit: revision.into(),
        cluster: "prod-eu".into(),
        apps: vec![Arc::new(guestbook), Arc::new(payments)],
        absent: vec!["billing".into()],
        error: None,
        plans: Vec::new(),
        gate: Default::default(),
    }
}

fn preview_view(s: &State) -> &sextant::app::cockpit_preview::PreviewState {
    match s.views.last() {
        Some(View::Cockpit(CockpitView::Preview(p))) => p,
        other => panic!("expected the preview view, got {other:?}"),
    }
}

#[test]
fn p_on_a_commit_picks_a_cluster_then_asks_the_engine() {
    let mut s = commits_focused((200, 50));
    let selected = s
        .current_repo()
        .unwrap()
        .commits
        .selected_row()
        .unwrap()
        .id
        .clone();
    // Four clusters and none chosen: ask which.
    assert!(key(&mut s, KeyCode::Char('p')).is_empty());
    assert!(matches!(
        s.views.last(),
        Some(View::Cockpit(CockpitView::PickCluster { .. }))
    ));
    // Clusters are listed by name: audit, prod-eu, prod-us, staging.
    key(&mut s, KeyCode::Down);
    let (id, revision, cluster) = asked(&key(&mut s, KeyCode::Enter));
    assert_eq!(
        (revision.as_str(), cluster.as_str()),
        (selected.as_str(), "prod-eu")
    );
    assert!(preview_view(&s).answer.is_none());
    // An answer to another request is dropped; ours lands.
    update(
        &mut s,
        Msg::Engine(sextant::app::cockpit::EngineMsg(EngineEvent::Preview(Arc::new(
            answer(id + 100, &selected),
        )))),
    );
    assert!(preview_view(&s).answer.is_none());
    send(&mut s, EngineEvent::Preview(Arc::new(answer(id, &selected))));
    let p = preview_view(&s);
    let t = p.totals();
    assert_eq!((t.update, t.create, t.prune, t.unchanged_apps), (1, 1, 1, 1));
    // The selection starts on the first object that would change: the Deployment.
    key(&mut s, KeyCode::Enter);
    match s.views.last() {
        Some(View::Cockpit(CockpitView::DriftDiff(d))) => {
            assert!(
                d.diff.title.contains("preview, nothing applied"),
                "{}",
                d.diff.title
            );
        }
        other => panic!("expected the drift diff, got {other:?}"),
    }
    // Esc back to the preview, ctrl-r asks again with a new id.
    key(&mut s, KeyCode::Esc);
    let effects = update(
        &mut s,
        Msg::Key(KeyEvent::new(KeyCode::Char('r'), KeyModifiers::CONTROL)),
    );
    let (again, _, cluster) = asked(&effects);
    assert!(again > id);
    assert_eq!(cluster, "prod-eu");
}

#[test]
fn the_shown_cluster_is_previewed_without_asking() {
    let mut s = commits_focused((200, 50));
    s.cockpit.cluster_filter = Some("staging".into());
    let (_, _, cluster) = asked(&key(&mut s, KeyCode::Char('p')));
    assert_eq!(cluster, "staging");
}

#[test]
fn palette_previews_any_revision_and_names_mistakes() {
    let mut s = commits_focused((200, 50));
    let mut effects = key(&mut s, KeyCode::Char(':'));
    for c in "preview HEAD~3 staging".chars() {
        effects = key(&mut s, KeyCode::Char(c));
    }
    assert!(effects.is_empty());
    let (_, revision, cluster) = asked(&key(&mut s, KeyCode::Enter));
    assert_eq!((revision.as_str(), cluster.as_str()), ("HEAD~3", "staging"));
    key(&mut s, KeyCode::Char(':'));
    for c in "preview HEAD nowhere".chars() {
        key(&mut s, KeyCode::Char(c));
    }
    assert!(key(&mut s, KeyCode::Enter).is_empty());
    assert!(
        s.notice.as_deref().unwrap_or("").contains("no cluster nowhere"),
        "{:?}",
        s.notice
    );
}

#[test]
fn without_the_engine_a_preview_says_why() {
    let mut s = state_with(8, (200, 50));
    s.focus = Pane::Commits;
    assert!(key(&mut s, KeyCode::Char('p')).is_empty());
    assert!(s.views.is_empty());
    assert!(
        s.notice.as_deref().unwrap_or("").contains("live engine"),
        "{:?}",
        s.notice
    );
}

fn previewing(size: (u16, u16)) -> State {
    let mut s = commits_focused(size);
    key(&mut s, KeyCode::Char('p'));
    key(&mut s, KeyCode::Down);
    let (id, revision, _) = asked(&key(&mut s, KeyCode::Enter));
    send(&mut s, EngineEvent::Preview(Arc::new(answer(id, &revision))));
    s
}

#[test]
fn snapshot_cluster_picker() {
    shoot_cockpit!("preview_pick", |size| {
        let mut s = commits_focused(size);
        key(&mut s, KeyCode::Char('p'));
        s
    });
}

#[test]
fn snapshot_preview_waiting_answered_and_failed() {
    shoot_cockpit!("preview_waiting", |size| {
        let mut s = commits_focused(size);
        key(&mut s, KeyCode::Char('p'));
        key(&mut s, KeyCode::Down);
        key(&mut s, KeyCode::Enter);
        s
    });
    shoot_cockpit!("preview_answered", previewing);
    shoot_cockpit!("preview_failed", |size| {
        let mut s = commits_focused(size);
        key(&mut s, KeyCode::Char('p'));
        let (id, revision, _) = asked(&key(&mut s, KeyCode::Enter));
        let mut failed = answer(id, &revision);
        failed.apps.clear();
        failed.error = Some("cluster audit is forbidden: 403: user view cannot list".into());
        send(&mut s, EngineEvent::Preview(Arc::new(failed)));
        s
    });
}

/// `/` filters a preview: objects by kind, name or outcome, under their app; an app's name
/// keeps all of its objects; Esc clears the filter before it leaves the preview.
#[test]
fn slash_filters_a_preview_and_esc_clears_it() {
    use sextant::app::cockpit_preview::PreviewRow;
    let mut s = previewing((200, 50));
    let rows = |s: &State| preview_view(s).rows(&s.cockpit.filters.preview);
    let everything = rows(&s);
    key(&mut s, KeyCode::Char('/'));
    update(&mut s, Msg::Paste("extra".into()));
    let answer = preview_view(&s).report().expect("answered");
    let named = |row: &PreviewRow| match *row {
        PreviewRow::App(a) => answer.apps[a].app.clone(),
        PreviewRow::Object(a, o) => answer.apps[a].objects[o].key.name.clone(),
    };
    let shown: Vec<String> = rows(&s).iter().map(named).collect();
    assert_eq!(
        shown,
        ["guestbook", "old-web"],
        "the prune candidate, under its app"
    );
    key(&mut s, KeyCode::Enter);
    shoot_cockpit!("preview_filtered", |size| {
        let mut s = previewing(size);
        key(&mut s, KeyCode::Char('/'));
        update(&mut s, Msg::Paste("extra".into()));
        key(&mut s, KeyCode::Enter);
        s
    });

    // Typing on from a kept filter: an app's name shows its every changing object.
    key(&mut s, KeyCode::Char('/'));
    for _ in 0.."extra".len() {
        key(&mut s, KeyCode::Backspace);
    }
    update(&mut s, Msg::Paste("guestbook".into()));
    key(&mut s, KeyCode::Enter);
    let guestbook = rows(&s);
    assert!(guestbook.len() > 2 && guestbook.len() < everything.len());

    update(&mut s, Msg::Paste("nothing-like-it".into()));
    key(&mut s, KeyCode::Esc);
    assert_eq!(rows(&s), everything, "Esc clears the kept filter");
    assert!(matches!(
        s.views.last(),
        Some(View::Cockpit(CockpitView::Preview(_)))
    ));
    key(&mut s, KeyCode::Esc);
    assert!(
        !matches!(s.views.last(), Some(View::Cockpit(CockpitView::Preview(_)))),
        "a second Esc leaves the preview"
    );
}

#[test]
fn nothing_to_change_is_said_plainly() {
    let mut s = commits_focused((200, 50));
    key(&mut s, KeyCode::Char('p'));
    key(&mut s, KeyCode::Down);
    let (id, revision, _) = asked(&key(&mut s, KeyCode::Enter));
    let mut same = answer(id, &revision);
    same.apps = vec![Arc::new(report("payments", "prod-eu", false))];
    send(&mut s, EngineEvent::Preview(Arc::new(same)));
    let shot = render(&s, &theme("dark"), false);
    assert!(
        shot.contains("Nothing would change: prod-eu already matches"),
        "{shot}"
    );
}

#[test]
fn apps_table_says_how_far_behind_the_branch_a_cluster_is() {
    let mut s = state_with(8, (200, 50));
    fleet(&mut s, false);
    let mut behind = report("guestbook", "staging", true);
    behind.deployed = Some(DEPLOYED.into());
    let effects = update(
        &mut s,
        Msg::Engine(sextant::app::cockpit::EngineMsg(EngineEvent::AppReport(
            Arc::new(behind.clone()),
        ))),
    );
    let asked_for = match effects.as_slice() {
        [
            Effect::Distance {
                repo: 0,
                base,
                target,
            },
        ] => (base.clone(), target.clone()),
        other => panic!("expected one distance request, got {other:?}"),
    };
    assert_eq!(asked_for, (DEPLOYED.to_string(), behind.commit.clone()));
    // The same pair is never asked twice.
    let again = update(
        &mut s,
        Msg::Engine(sextant::app::cockpit::EngineMsg(EngineEvent::AppReport(
            Arc::new(behind),
        ))),
    );
    assert!(again.is_empty(), "{again:?}");
    let row = |s: &State| {
        render(s, &theme("dark"), false)
            .lines()
            .find(|l| l.contains("guestbook") && l.contains("staging") && l.contains("OutOfSync"))
            .unwrap_or_default()
            .to_string()
    };
    assert!(row(&s).contains("41aa0b7 …"), "{}", row(&s));
    update(
        &mut s,
        Msg::Distance {
            base: asked_for.0.clone(),
            target: asked_for.1.clone(),
            result: Ok(Distance { behind: 3, ahead: 0 }),
        },
    );
    assert!(row(&s).contains("41aa0b7 ↓3"), "{}", row(&s));
    update(
        &mut s,
        Msg::Distance {
            base: asked_for.0,
            target: asked_for.1,
            result: Err("unknown revision".into()),
        },
    );
    assert!(row(&s).contains("41aa0b7 ↕?"), "{}", row(&s));
    shoot_cockpit!("apps_behind", |size| {
        let mut s = state_with(8, size);
        fleet(&mut s, false);
        let mut r = report("guestbook", "staging", true);
        r.deployed = Some(DEPLOYED.into());
        app(&mut s, r.clone());
        update(
            &mut s,
            Msg::Distance {
                base: DEPLOYED.into(),
                target: r.commit.clone(),
                result: Ok(Distance { behind: 3, ahead: 1 }),
            },
        );
        s
    });
}

#[test]
fn a_new_commit_is_logged_and_the_log_reloads() {
    let mut s = commits_focused((200, 50));
    let effects = update(
        &mut s,
        Msg::Engine(sextant::app::cockpit::EngineMsg(EngineEvent::NewCommit(
            sextant::gitops::engine::NewCommit {
                commit: DEPLOYED.into(),
                short: "41aa0b7".into(),
                summary: "roll back api".into(),
                author: "Grace Hopper".into(),
            },
        ))),
    );
    assert!(
        matches!(effects.as_slice(), [Effect::LoadCommits { repo: 0, skip: 0, .. }]),
        "{effects:?}"
    );
    let last = s.cockpit.activity.back().expect("activity");
    assert_eq!(last.kind, sextant::app::cockpit::ActivityKind::NewCommit);
    assert_eq!(last.text, "new commit 41aa0b7 by Grace Hopper: roll back api");
}

#[test]
fn latest_change_tells_git_moves_from_out_of_band_edits_and_hides_secrets() {
    use sextant::app::cockpit::latest_change;
    use sextant::gitops::engine::compare::FieldChange;
    let with = |manager: &str, live: serde_json::Value, desired: serde_json::Value| {
        let mut r = report("guestbook", "prod-eu", true);
        let mut o = (*r.objects[1]).clone();
        let cmp = o.comparison.as_mut().expect("comparison");
        cmp.changes = vec![FieldChange {
            path: ".spec.replicas".into(),
            op: "replace".into(),
            live: Some(live),
            desired: Some(desired),
            manager: Some(manager.into()),
            operation: Some("Apply".into()),
            time: Some("2026-11-23T02:11:20Z".into()),
            seen: None,
            lines: (None, None),
        }];
        r.objects[1] = Arc::new(o);
        latest_change(&r, |_| Some("2m".into()))
            .expect("a change")
            .to_string()
    };
    assert_eq!(
        with("kubectl", 5.into(), 3.into()),
        "spec.replicas 3→5 by kubectl, 2m ago"
    );
    assert_eq!(
        with("sextant", 3.into(), 4.into()),
        "spec.replicas 3→4 in Git, not synced yet"
    );
    assert_eq!(
        with("kubectl-edit", "*** (before)".into(), "*** (after)".into()),
        "spec.replicas changed by kubectl-edit, 2m ago"
    );
}

/// A preview row names the change so it can be read in its column: which container, and of
/// an image only the tag that changes.
#[test]
fn preview_rows_keep_what_differs_in_long_paths_and_values() {
    use sextant::app::cockpit_preview::object_outcome;
    let mut o = object("Deployment", "payments-api", SyncStatus::OutOfSync);
    let cmp = o.comparison.as_mut().expect("comparison");
    cmp.changes[0].path = ".spec.template.spec.containers[name=api].image".into();
    cmp.changes[0].live = Some("ghcr.io/example/payments-api:2.3.0".into());
    cmp.changes[0].desired = Some("ghcr.io/example/payments-api:2.2.1".into());
    let outcome = object_outcome(&o);
    assert_eq!(
        outcome.to_string(),
        "container api image payments-api:2.3.0 → 2.2.1"
    );
    // Narrower: the container's name stays, the word "container" goes.
    assert_eq!(outcome.shorten(40), "api image payments-api:2.3.0 → 2.2.1");
}
