//! The cockpit: `update()` behaviour for engine events and cockpit keys, and snapshots of
//! every cockpit view (with and without drift, unreachable and forbidden clusters) at 80x24
//! and 200x50 in two themes.

mod ui_cockpit_support;
mod ui_support;

use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use sextant::app::cockpit::{ActivityKind, CockpitView, parse_rfc3339};
use sextant::app::msg::Msg;
use sextant::app::state::{Pane, State, View};
use sextant::app::update::update;
use sextant::gitops::engine::{EngineEvent, Planned};
use sextant::kube::cluster::ClusterState;
use ui_cockpit_support::*;
use ui_support::{NOW, render, state_with, theme};

fn key(s: &mut State, code: KeyCode) {
    update(s, Msg::Key(KeyEvent::new(code, KeyModifiers::NONE)));
}

fn ch(s: &mut State, c: char) {
    key(s, KeyCode::Char(c));
}

fn focus(s: &mut State, pane: Pane) {
    for _ in 0..6 {
        if s.focus == pane {
            return;
        }
        key(s, KeyCode::Tab);
    }
    panic!("pane {pane:?} not reachable with Tab");
}

fn cockpit(size: (u16, u16), drift: bool) -> State {
    let mut s = state_with(8, size);
    fleet(&mut s, drift);
    s
}

fn shoot(name: &str, build: impl Fn((u16, u16)) -> State) {
    for (w, h) in [(80, 24), (200, 50)] {
        let state = build((w, h));
        for theme_name in ["dark", "light"] {
            let shot = render(&state, &theme(theme_name), true);
            insta::assert_snapshot!(format!("{name}__{theme_name}_{w}x{h}"), shot);
        }
    }
}

#[test]
fn engine_events_fill_clusters_apps_and_activity() {
    let s = cockpit((200, 50), true);
    let c = &s.cockpit;
    assert_eq!(c.clusters.len(), 4);
    assert!(c.clusters["prod-us"].state.is_down());
    assert_eq!(c.reports.len(), 5);
    assert_eq!(c.cluster_counts("prod-eu"), (1, 1, 0));
    let kinds: Vec<ActivityKind> = c.activity.iter().map(|e| e.kind).collect();
    assert_eq!(kinds.iter().filter(|k| **k == ActivityKind::Connected).count(), 2);
    assert_eq!(
        kinds.iter().filter(|k| **k == ActivityKind::Disconnected).count(),
        2
    );
    assert!(kinds.contains(&ActivityKind::DriftAppeared));
}

#[test]
fn drift_clearing_and_disconnect_are_logged() {
    let mut s = cockpit((200, 50), true);
    app(&mut s, report("guestbook", "prod-eu", false));
    cluster(&mut s, "prod-eu", ClusterState::Unreachable("timeout".into()));
    let last: Vec<String> = s
        .cockpit
        .activity
        .iter()
        .rev()
        .take(2)
        .map(|e| e.words())
        .collect();
    assert_eq!(last[0], "prod-eu disconnected (unreachable: timeout)");
    assert_eq!(last[1], "guestbook on prod-eu is in sync again");
    // The same state again is not news, nor is a retry failing with other words.
    let n = s.cockpit.activity.len();
    cluster(&mut s, "prod-eu", ClusterState::Unreachable("timeout".into()));
    s.now += 30;
    cluster(
        &mut s,
        "prod-eu",
        ClusterState::Unreachable("connection refused".into()),
    );
    assert_eq!(s.cockpit.activity.len(), n);
    // Meanwhile its apps show their last known state, and say so.
    let screen = render(&s, &theme("dark"), false);
    let row = screen
        .lines()
        .find(|l| l.contains("guestbook") && l.contains("prod-eu"))
        .expect("guestbook on prod-eu is still listed");
    assert!(
        row.contains("last known state: prod-eu unreachable for 30s"),
        "{row}"
    );
    // Back: one entry, with how long it was gone.
    s.now += 35;
    cluster(&mut s, "prod-eu", ClusterState::Ready);
    assert_eq!(s.cockpit.activity.len(), n + 1);
    let back = s.cockpit.activity.back().map(|e| e.words());
    assert_eq!(back.as_deref(), Some("prod-eu reconnected after 1m 5s"));
    let screen = render(&s, &theme("dark"), false);
    assert!(!screen.contains("last known state"), "{screen}");
    assert!(
        screen.contains("unreachable: connection refused"),
        "a cluster never reached still says why:\n{screen}"
    );
}

/// guestbook on prod-eu, drifted, its change edited by `edit`.
fn guestbook_drifted_by(
    edit: impl FnOnce(&mut sextant::gitops::engine::compare::FieldChange),
) -> sextant::gitops::engine::AppReport {
    let mut r = report("guestbook", "prod-eu", true);
    let at = r
        .objects
        .iter()
        .position(|o| o.comparison.is_some())
        .expect("a drifted object");
    let mut obj = (*r.objects[at]).clone();
    edit(&mut obj.comparison.as_mut().expect("drifted").changes[0]);
    r.objects[at] = std::sync::Arc::new(obj);
    r
}

/// An app that drifted already and is changed again is news: Activity says what changed.
/// The same report again, or Git moving, is not.
#[test]
fn a_further_change_to_a_drifted_app_is_logged() {
    use serde_json::json;
    let mut s = cockpit((200, 50), true);
    let n = s.cockpit.activity.len();
    let with_replicas = |live: i64, manager: &str| {
        guestbook_drifted_by(|ch| {
            ch.live = Some(json!(live));
            ch.manager = Some(manager.into());
        })
    };
    app(&mut s, with_replicas(7, "kubectl"));
    let texts = |s: &State| -> Vec<String> { s.cockpit.activity.iter().skip(n).map(|e| e.words()).collect() };
    assert_eq!(
        texts(&s),
        ["guestbook on prod-eu drifted further: spec.replicas 3→7 by kubectl"]
    );
    app(&mut s, with_replicas(7, "kubectl"));
    assert_eq!(texts(&s).len(), 1, "the same drift again is not news");
    app(&mut s, with_replicas(9, "sextant"));
    assert_eq!(texts(&s).len(), 1, "Git moving is the new commit's news");
}

/// In a narrow Activity pane a long change loses leading path segments, not who made it.
#[test]
fn activity_keeps_who_changed_a_long_path() {
    let mut s = cockpit((140, 40), false);
    let r = guestbook_drifted_by(|ch| {
        ch.path = ".spec.template.spec.containers[name=redis].resources.limits.memory".into();
        ch.manager = Some("hotfix".into());
    });
    app(&mut s, r);
    let screen = render(&s, &theme("dark"), false);
    let entry: Vec<&str> = screen
        .lines()
        .skip_while(|l| !l.contains("guestbook on prod-eu drifted"))
        .take(2)
        .collect();
    assert!(
        entry.iter().any(|l| l.contains("limits.memory 3→5 by hotfix")),
        "{}",
        entry.join("\n")
    );
}

#[test]
fn selection_stays_on_its_row_while_reports_arrive() {
    let mut s = cockpit((200, 50), true);
    focus(&mut s, Pane::Apps);
    ch(&mut s, 'j');
    ch(&mut s, 'j');
    let picked = s.cockpit.app_selected.clone();
    assert_eq!(picked, Some(("guestbook".into(), "staging".into())));
    // A new app sorts before the selection; the selection keeps its row identity.
    app(&mut s, report("aaa-first", "prod-eu", true));
    assert_eq!(s.cockpit.app_selected, picked);
    assert_eq!(s.cockpit.app_index(), 3);
}

#[test]
fn planned_drops_apps_no_longer_rendered() {
    let mut s = cockpit((200, 50), false);
    send(
        &mut s,
        EngineEvent::Planned(vec![Planned {
            app: "guestbook".into(),
            cluster: "prod-eu".into(),
        }]),
    );
    assert_eq!(s.cockpit.reports.len(), 1);
}

#[test]
fn enter_on_a_cluster_filters_the_apps_and_again_clears() {
    let mut s = cockpit((200, 50), true);
    focus(&mut s, Pane::Clusters);
    ch(&mut s, 'j'); // audit, prod-eu
    key(&mut s, KeyCode::Enter);
    assert_eq!(s.cockpit.cluster_filter.as_deref(), Some("prod-eu"));
    assert_eq!(s.focus, Pane::Apps);
    assert_eq!(s.cockpit.app_rows().len(), 2);
    key(&mut s, KeyCode::Esc);
    assert_eq!(s.cockpit.cluster_filter, None);
}

#[test]
fn apps_open_detail_then_diff_shows_replicas_with_the_manager() {
    let mut s = cockpit((200, 50), true);
    focus(&mut s, Pane::Apps);
    key(&mut s, KeyCode::Enter);
    let Some(View::Cockpit(CockpitView::AppDetail {
        app,
        cluster,
        selected,
    })) = s.views.last()
    else {
        panic!("app detail not open: {:?}", s.views.last());
    };
    assert_eq!(
        (app.as_str(), cluster.as_str(), *selected),
        ("guestbook", "prod-eu", 1)
    );
    key(&mut s, KeyCode::Enter);
    let Some(View::Cockpit(CockpitView::DriftDiff(d))) = s.views.last() else {
        panic!("diff not open");
    };
    let lines = d.diff.text().map(|t| t.lines.clone()).unwrap_or_default();
    let i = lines
        .iter()
        .position(|l| l.text == "  replicas: 5")
        .expect("the live replicas line");
    let note = d
        .notes
        .get(&i)
        .map(|n| (n.manager.as_str(), n.operation.as_deref()));
    assert_eq!(note, Some(("kubectl", Some("Update/scale"))));
    assert!(!d.diff.hunks.is_empty());
    key(&mut s, KeyCode::Esc);
    key(&mut s, KeyCode::Esc);
    assert!(s.views.is_empty());
}

#[test]
fn matrix_opens_with_m_and_enter_opens_the_cell() {
    let mut s = cockpit((200, 50), true);
    ch(&mut s, 'm');
    assert!(matches!(
        s.views.last(),
        Some(View::Cockpit(CockpitView::Matrix { .. }))
    ));
    // clusters: audit, prod-eu, prod-us, staging; apps: guestbook, payments
    key(&mut s, KeyCode::Right);
    // The selected cell is spelled out under the matrix.
    let said = |s: &State| render(s, &theme("dark"), false);
    assert!(
        said(&s)
            .contains("guestbook on prod-eu: OutOfSync, 1 drifted · Healthy · spec.replicas 3→5 by kubectl"),
        "{}",
        said(&s)
    );
    key(&mut s, KeyCode::Right);
    assert!(
        said(&s).contains("guestbook on prod-us: Unknown · Unknown · unreachable: connection refused"),
        "{}",
        said(&s)
    );
    key(&mut s, KeyCode::Left);
    key(&mut s, KeyCode::Enter);
    let Some(View::Cockpit(CockpitView::AppDetail { app, cluster, .. })) = s.views.last() else {
        panic!("cell did not open the app");
    };
    assert_eq!((app.as_str(), cluster.as_str()), ("guestbook", "prod-eu"));
}

#[test]
fn keys_without_reports_leave_the_git_panes_alone() {
    let mut s = state_with(8, (80, 24));
    key(&mut s, KeyCode::Down);
    assert_eq!(s.current_repo().map(|r| r.commits.selected), Some(1));
    assert!(!s.cockpit.is_active());
}

#[test]
fn rfc3339_times_parse() {
    assert_eq!(parse_rfc3339("1970-01-01T00:00:00Z"), Some(0));
    assert_eq!(parse_rfc3339("2026-11-23T02:11:20Z"), Some(NOW - 120));
    assert_eq!(parse_rfc3339("yesterday"), None);
    assert_eq!(parse_rfc3339("2026-13-01T00:00:00Z"), None);
}

#[test]
fn snapshot_main_with_and_without_drift() {
    shoot("cockpit_main_drift", |size| cockpit(size, true));
    shoot("cockpit_main_clean", |size| cockpit(size, false));
}

#[test]
fn snapshot_small_terminal_tabs() {
    shoot("cockpit_tab_apps", |size| {
        let mut s = cockpit(size, true);
        focus(&mut s, Pane::Apps);
        s
    });
    shoot("cockpit_tab_clusters", |size| {
        let mut s = cockpit(size, true);
        focus(&mut s, Pane::Clusters);
        s
    });
    shoot("cockpit_tab_activity", |size| {
        let mut s = cockpit(size, true);
        focus(&mut s, Pane::Activity);
        s
    });
}

#[test]
fn snapshot_matrix_detail_and_diff() {
    shoot("cockpit_matrix", |size| {
        let mut s = cockpit(size, true);
        ch(&mut s, 'm');
        s
    });
    shoot("cockpit_app_detail", |size| {
        let mut s = cockpit(size, true);
        focus(&mut s, Pane::Apps);
        key(&mut s, KeyCode::Enter);
        s
    });
    // A Service someone labelled by hand: still Synced (Git never set the label), but flagged,
    // with what was added and by whom.
    shoot("cockpit_app_detail_unmanaged", |size| {
        let mut s = cockpit(size, true);
        app(&mut s, report_with_unmanaged_label());
        focus(&mut s, Pane::Apps);
        key(&mut s, KeyCode::Enter);
        s
    });
    shoot("cockpit_app_detail_unreachable", |size| {
        let mut s = cockpit(size, true);
        s.views.push(View::Cockpit(CockpitView::AppDetail {
            app: "guestbook".into(),
            cluster: "prod-us".into(),
            selected: 0,
        }));
        s
    });
    shoot("cockpit_drift_diff", |size| {
        let mut s = cockpit(size, true);
        focus(&mut s, Pane::Apps);
        key(&mut s, KeyCode::Enter);
        key(&mut s, KeyCode::Enter);
        s
    });
}

/// The whole-app drift diff of guestbook on prod-eu (a scaled Deployment, a hand-edited
/// Secret), unified or side by side.
fn app_diff(size: (u16, u16), split: bool) -> State {
    let mut s = cockpit(size, true);
    app(&mut s, report_with_secret());
    focus(&mut s, Pane::Apps);
    key(&mut s, KeyCode::Enter);
    ch(&mut s, 'c');
    if split {
        ch(&mut s, 'v');
    }
    s
}

#[test]
fn snapshot_drift_diff_split_and_whole_app() {
    shoot("cockpit_drift_diff_split", |size| {
        let mut s = cockpit(size, true);
        focus(&mut s, Pane::Apps);
        key(&mut s, KeyCode::Enter);
        key(&mut s, KeyCode::Enter);
        ch(&mut s, 'v');
        s
    });
    shoot("cockpit_drift_diff_app", |size| app_diff(size, false));
    shoot("cockpit_drift_diff_app_split", |size| app_diff(size, true));
}

#[test]
fn whole_app_diff_has_both_headers_notes_and_no_secret_value() {
    for split in [false, true] {
        let s = app_diff((200, 50), split);
        let Some(View::Cockpit(CockpitView::DriftDiff(d))) = s.views.last() else {
            panic!("the app diff did not open: {:?}", s.views.last());
        };
        assert_eq!(d.headers.len(), 2);
        let screen = render(&s, &theme("dark"), false);
        assert!(
            screen.contains("── Deployment/web -n guestbook · OutOfSync"),
            "{screen}"
        );
        assert!(
            screen.contains("── Secret/db-credentials -n corpus · OutOfSync"),
            "{screen}"
        );
        assert!(
            screen.contains("*** (before)") && screen.contains("*** (after)"),
            "{screen}"
        );
        assert!(screen.contains("← kubectl-edit · 1d ago · Update"), "{screen}");
        assert!(screen.contains("← kubectl · 2m ago · Update/scale"), "{screen}");
        // Each note is on the row of the line it explains, in both modes.
        let row_of = |text: &str| screen.lines().find(|l| l.contains(text)).unwrap_or_default();
        assert!(row_of("replicas: 5").contains("← kubectl · "), "{screen}");
        assert!(
            row_of("password: \"*** (before)").contains("← kubectl-edit"),
            "{screen}"
        );
        assert!(!row_of("legacy_token").contains('←'), "{screen}");
        for value in SECRET_VALUES {
            assert!(
                !screen.contains(value),
                "{value} shown (split {split}):\n{screen}"
            );
        }
    }
}

#[test]
fn drift_diff_keys_are_the_git_diff_keys() {
    let mut s = app_diff((80, 24), false);
    let diff = |s: &State| match s.views.last() {
        Some(View::Cockpit(CockpitView::DriftDiff(d))) => d.diff.clone(),
        other => panic!("not the drift diff: {other:?}"),
    };
    let before = diff(&s);
    ch(&mut s, 'v');
    assert!(diff(&s).split);
    ch(&mut s, 'v');
    ch(&mut s, 'l');
    assert_eq!(diff(&s).hscroll, 8);
    ch(&mut s, 'h');
    let folds = before.folds.folds.iter().filter(|f| !f.expanded).count();
    ch(&mut s, 'z');
    let after = diff(&s).folds.folds.iter().filter(|f| !f.expanded).count();
    assert_eq!(after + 1, folds.max(1), "z opens one fold");
    ch(&mut s, 'g');
    ch(&mut s, 'n');
    let at = diff(&s).scroll;
    ch(&mut s, 'n');
    assert!(diff(&s).scroll > at, "n jumps to the Secret's hunk");
    ch(&mut s, 'N');
    assert_eq!(diff(&s).scroll, at);
}

#[test]
fn quit_works_from_every_cockpit_view() {
    let mut s = cockpit((200, 50), true);
    focus(&mut s, Pane::Apps);
    key(&mut s, KeyCode::Enter);
    key(&mut s, KeyCode::Enter);
    ch(&mut s, '?');
    assert!(s.overlay.is_some(), "help opens over the diff");
    key(&mut s, KeyCode::Esc);
    ch(&mut s, 'q');
    assert!(s.quit);
}

fn palette(s: &mut State, line: &str) {
    ch(s, ':');
    update(s, Msg::Paste(line.into()));
    key(s, KeyCode::Enter);
}

#[test]
fn palette_ctx_app_and_matrix() {
    let mut s = cockpit((200, 50), true);
    palette(&mut s, "ctx staging");
    assert_eq!(s.cockpit.cluster_filter.as_deref(), Some("staging"));
    assert_eq!(s.focus, Pane::Apps);
    palette(&mut s, "ctx nowhere");
    assert!(
        s.notice
            .as_deref()
            .is_some_and(|n| n.contains("no cluster nowhere")),
        "{:?}",
        s.notice
    );
    palette(&mut s, "app guestbook");
    let Some(View::Cockpit(CockpitView::AppDetail { cluster, .. })) = s.views.last() else {
        panic!("app not opened: {:?}", s.notice);
    };
    assert_eq!(cluster, "staging", "the app opens on the cluster shown");
    palette(&mut s, "app guestbook prod-eu");
    let Some(View::Cockpit(CockpitView::AppDetail { cluster, .. })) = s.views.last() else {
        panic!("app not opened: {:?}", s.notice);
    };
    assert_eq!(cluster, "prod-eu", "a named cluster beats the shown one");
    palette(&mut s, "app payments staging");
    assert_eq!(s.notice.as_deref(), Some("payments does not run on staging"));
    // The palette offers the clusters and the apps as arguments.
    ch(&mut s, ':');
    update(&mut s, Msg::Paste("app pay".into()));
    let offered = sextant::app::update_keys::palette_candidates(&s, "app pay");
    assert_eq!(offered[0].text, "app payments");
    let on_prod_eu = offered.iter().find(|c| c.text == "app payments prod-eu");
    assert_eq!(
        on_prod_eu.map(|c| c.help.as_str()),
        Some("Synced · Healthy"),
        "{offered:?}"
    );
    let offered = sextant::app::update_keys::palette_candidates(&s, "ctx pro");
    let prod_us = offered.iter().find(|c| c.text == "ctx prod-us");
    assert!(
        prod_us.is_some_and(|c| c.help.starts_with("unreachable")),
        "{offered:?}"
    );
    key(&mut s, KeyCode::Esc);
    palette(&mut s, "matrix");
    assert!(matches!(
        s.views.as_slice(),
        [View::Cockpit(CockpitView::Matrix { .. })]
    ));
    palette(&mut s, "ctx");
    assert_eq!(s.cockpit.cluster_filter, None);
}

#[test]
fn slash_filters_the_apps_and_esc_clears() {
    let mut s = cockpit((200, 50), true);
    focus(&mut s, Pane::Apps);
    ch(&mut s, '/');
    for c in "pay".chars() {
        ch(&mut s, c);
    }
    key(&mut s, KeyCode::Enter);
    assert!(!s.cockpit.filters.is_typing());
    let rows: Vec<&str> = s.cockpit.app_rows().iter().map(|(a, _)| a.as_str()).collect();
    assert_eq!(rows, ["payments", "payments"]);
    // `q` typed into the filter is text, not quit.
    ch(&mut s, '/');
    ch(&mut s, 'q');
    assert!(!s.quit);
    key(&mut s, KeyCode::Esc);
    assert!(s.cockpit.filters.apps.text.is_empty());
    assert_eq!(s.cockpit.app_rows().len(), 5);
}

#[test]
fn first_row_is_selected_whatever_arrives_first_and_empty_apps_open_no_diff() {
    let mut s = state_with(3, (200, 50));
    app(&mut s, down_report("zeta", "prod-us", "unreachable"));
    app(&mut s, report("alpha", "prod-eu", true));
    assert_eq!(s.cockpit.app_index(), 0);
    focus(&mut s, Pane::Apps);
    ch(&mut s, 'j');
    key(&mut s, KeyCode::Enter);
    key(&mut s, KeyCode::Enter);
    assert!(
        matches!(s.views.as_slice(), [View::Cockpit(CockpitView::AppDetail { .. })]),
        "an app without objects has no diff to open"
    );
}

#[test]
fn commits_are_marked_with_the_clusters_that_run_them() {
    use sextant::app::cockpit::{commit_marker, commit_marker_within, deployed};
    let mut s = cockpit((200, 50), true);
    let head = ui_support::commit(0).id;
    assert_eq!(head, HEAD);
    // Drift does not move a cluster off the commit it runs; down clusters are not marked.
    let d = deployed(&s.cockpit);
    assert_eq!(commit_marker(&d, &head), " ⚑prod-eu,staging");
    // Narrow: the first cluster and how many more, then only the count.
    assert_eq!(commit_marker_within(&d, &head, 16), " ⚑prod-eu +1");
    assert_eq!(commit_marker_within(&d, &head, 8), " ⚑2");
    assert_eq!(commit_marker(&d, "0000000"), "");
    // staging runs an older commit: it moves there.
    let older = ui_support::commit(1).id;
    let mut r = report("guestbook", "staging", false);
    r.deployed = Some(older.clone());
    app(&mut s, r);
    let d = deployed(&s.cockpit);
    assert_eq!(commit_marker(&d, &head), " ⚑prod-eu");
    assert_eq!(commit_marker(&d, &older), " ⚑staging");
}

/// `/`, `text`, then Enter to keep it (or not, to snapshot the filter being typed).
fn filter(s: &mut State, text: &str, keep: bool) {
    ch(s, '/');
    for c in text.chars() {
        ch(s, c);
    }
    if keep {
        key(s, KeyCode::Enter);
    }
}

fn detail_selected(s: &State) -> usize {
    match s.views.last() {
        Some(View::Cockpit(CockpitView::AppDetail { selected, .. })) => *selected,
        other => panic!("not app detail: {other:?}"),
    }
}

#[test]
fn slash_filters_clusters_by_name_or_context_and_keeps_the_selection_visible() {
    let mut s = cockpit((200, 50), true);
    focus(&mut s, Pane::Clusters);
    // audit, prod-eu, prod-us, staging: select staging, then filter it away.
    ch(&mut s, 'G');
    assert_eq!(s.cockpit.cluster_selected, 3);
    filter(&mut s, "PROD", false);
    assert_eq!(s.cockpit.cluster_rows(), [1, 2]);
    assert_eq!(
        s.cockpit.cluster_selected, 1,
        "the selection moved to a shown row"
    );
    ch(&mut s, 'q');
    assert!(!s.quit, "q is text while typing");
    key(&mut s, KeyCode::Backspace);
    key(&mut s, KeyCode::Enter);
    ch(&mut s, 'j');
    assert_eq!(s.cockpit.cluster_selected, 2);
    ch(&mut s, 'j');
    assert_eq!(s.cockpit.cluster_selected, 2, "j stops at the last shown row");
    key(&mut s, KeyCode::Enter);
    assert_eq!(s.cockpit.cluster_filter.as_deref(), Some("prod-us"));
    focus(&mut s, Pane::Clusters);
    key(&mut s, KeyCode::Esc);
    assert_eq!(s.cockpit.cluster_rows().len(), 4, "Esc clears a kept filter");
}

#[test]
fn slash_filters_the_activity_matrix_and_app_detail() {
    let mut s = cockpit((200, 50), true);
    focus(&mut s, Pane::Activity);
    filter(&mut s, "drift", true);
    let shown: Vec<String> = s.cockpit.activity_rows().map(|e| e.words()).collect();
    assert_eq!(
        shown,
        ["guestbook on prod-eu drifted: spec.replicas 3→5 by kubectl"]
    );

    ch(&mut s, 'm');
    filter(&mut s, "pay", true);
    let (apps, _) = s.cockpit.matrix_axes();
    assert_eq!(s.cockpit.matrix_rows(&apps), [1]);
    key(&mut s, KeyCode::Right); // prod-eu
    key(&mut s, KeyCode::Enter);
    let Some(View::Cockpit(CockpitView::AppDetail { app, cluster, .. })) = s.views.last() else {
        panic!("the filtered row did not open: {:?}", s.views.last());
    };
    assert_eq!((app.as_str(), cluster.as_str()), ("payments", "prod-eu"));
    key(&mut s, KeyCode::Esc);
    key(&mut s, KeyCode::Esc);
    assert!(
        matches!(s.views.as_slice(), [View::Cockpit(CockpitView::Matrix { .. })]),
        "the first Esc clears the filter, the view stays"
    );
    key(&mut s, KeyCode::Esc);
    assert!(s.views.is_empty());

    // App detail opens on the drifted Deployment; a filter for the Service moves the selection.
    focus(&mut s, Pane::Apps);
    key(&mut s, KeyCode::Enter);
    assert_eq!(detail_selected(&s), 1);
    filter(&mut s, "service", true);
    assert_eq!(detail_selected(&s), 0);
    filter(&mut s, "zzz", true);
    key(&mut s, KeyCode::Enter);
    assert!(
        matches!(s.views.last(), Some(View::Cockpit(CockpitView::AppDetail { .. }))),
        "Enter with nothing shown opens nothing"
    );
    key(&mut s, KeyCode::Esc);
    filter(&mut s, "outofsync", true);
    assert_eq!(detail_selected(&s), 1, "status words match too");
    key(&mut s, KeyCode::Enter);
    assert!(matches!(
        s.views.last(),
        Some(View::Cockpit(CockpitView::DriftDiff(_)))
    ));
}

#[test]
fn pasting_into_a_cockpit_filter() {
    let mut s = cockpit((200, 50), true);
    focus(&mut s, Pane::Clusters);
    ch(&mut s, '/');
    update(&mut s, Msg::Paste("stag\n".into()));
    assert_eq!(s.cockpit.filters.clusters.text, "stag");
    assert_eq!(s.cockpit.cluster_rows(), [3]);
}

#[test]
fn snapshot_filtered_lists() {
    shoot("cockpit_filter_clusters", |size| {
        let mut s = cockpit(size, true);
        focus(&mut s, Pane::Clusters);
        filter(&mut s, "prod", false);
        s
    });
    shoot("cockpit_filter_activity", |size| {
        let mut s = cockpit(size, true);
        focus(&mut s, Pane::Activity);
        filter(&mut s, "prod-eu", true);
        s
    });
    shoot("cockpit_filter_matrix", |size| {
        let mut s = cockpit(size, true);
        ch(&mut s, 'm');
        filter(&mut s, "guest", true);
        s
    });
    shoot("cockpit_filter_app_detail", |size| {
        let mut s = cockpit(size, true);
        focus(&mut s, Pane::Apps);
        key(&mut s, KeyCode::Enter);
        filter(&mut s, "deploy", false);
        s
    });
}

const BROKEN: &str = "sextant.yaml: line 3, column 5: apps[0]: unknown field `pth`, expected one of `name`, `path`, `namespace`, `clusters`, `renderer`";

/// Apps that cannot be rendered: the Clusters pane says why (not "add apps"), and the next
/// render that works clears it.
#[test]
fn a_broken_apps_file_is_shown_where_the_clusters_would_be() {
    shoot("cockpit_broken_apps_file", |size| {
        let mut s = state_with(8, size);
        send(&mut s, EngineEvent::Fatal(BROKEN.into()));
        s
    });
    let mut s = state_with(8, (200, 50));
    send(&mut s, EngineEvent::Fatal(BROKEN.into()));
    let screen = render(&s, &theme("dark"), false);
    assert!(screen.contains("Cannot read the apps"), "{screen}");
    assert!(!screen.contains("No clusters yet"), "{screen}");
    assert!(
        s.notice
            .as_deref()
            .is_some_and(|n| n.contains("no live drift until a commit fixes it")),
        "{:?}",
        s.notice
    );
    send(&mut s, EngineEvent::Planned(Vec::new()));
    assert_eq!(s.cockpit.fatal, None);
    assert_eq!(s.notice, None);
    let screen = render(&s, &theme("dark"), false);
    assert!(screen.contains("No clusters yet"), "{screen}");
}

/// On a real repo: an app's whole name shows while there is room beside it (160 columns), and
/// an image change says which container and which tag (`podinfod image podinfo:6.0.0→6.14.1`
/// at 180 columns), not two cut copies of the registry path. App detail has it in full.
#[test]
fn apps_table_sizes_names_to_fit_and_says_image_changes_like_an_sre() {
    use serde_json::json;
    let mut quiet = cockpit((160, 45), false);
    let mut r = report("guestbook", "prod-eu", false);
    r.app = "kustomize-guestbook".into();
    app(&mut quiet, r);
    let screen = render(&quiet, &theme("dark"), false);
    assert!(screen.contains("│ kustomize-guestbook "), "{screen}");

    let mut s = cockpit((180, 45), false);
    let mut r = guestbook_drifted_by(|ch| {
        ch.path = ".spec.template.spec.containers[name=podinfod].image".into();
        ch.live = Some(json!("ghcr.io/stefanprodan/podinfo:6.14.1"));
        ch.desired = Some(json!("ghcr.io/stefanprodan/podinfo:6.0.0"));
        ch.manager = Some("kubectl-set".into());
    });
    r.app = "kustomize-guestbook".into();
    app(&mut s, r);
    let screen = render(&s, &theme("dark"), false);
    let row = screen
        .lines()
        .find(|l| l.contains("│ kustomize-guestbook "))
        .unwrap_or_else(|| panic!("the whole name is shown:\n{screen}"));
    assert!(
        row.contains("podinfod image podinfo:6.0.0→6.14.1 by kubectl-set"),
        "{row}"
    );
    // At 80 columns the name gives way to the change.
    let mut narrow = cockpit((80, 24), false);
    let r = s
        .cockpit
        .reports
        .values()
        .find(|r| r.0.app.starts_with("kustomize"))
        .unwrap()
        .0
        .clone();
    app(&mut narrow, (*r).clone());
    focus(&mut narrow, Pane::Apps);
    let screen = render(&narrow, &theme("dark"), false);
    assert!(!screen.contains("kustomize-guestbook"), "{screen}");
    assert!(screen.contains("kustomize-guestb… prod-eu"), "{screen}");
    assert!(screen.contains("podinfod image podinfo:6.0.0→6.…"), "{screen}");

    // App detail: the selected object's changes in full, the whole path and both values.
    palette(&mut s, "app kustomize-guestbook prod-eu");
    ch(&mut s, 'j');
    let screen = render(&s, &theme("dark"), false);
    assert!(screen.contains("Deployment/web · 1 change"), "{screen}");
    assert!(
        screen.contains("   spec.template.spec.containers[name=podinfod].image  "),
        "{screen}"
    );
    assert!(
        screen.contains(
            "ghcr.io/stefanprodan/podinfo:6.0.0→ghcr.io/stefanprodan/podinfo:6.14.1 by kubectl-set, 2m ago"
        ),
        "{screen}"
    );
}
