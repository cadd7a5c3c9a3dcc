//! Revert, pull request and rollback in the cockpit, as pure `update()` behaviour and screens:
//! `r` plans a revert (a merge asks for the mainline), asks the live engine to preview its
//! commit on each cluster, `y` runs branch → push → pull request with the body written from
//! the preview, and every result stays on screen; `P` pushes and proposes the checked-out
//! branch; `R` lists an app's history, previews, proposes a revert of the app's commits since, or
//! syncs a revision now (pinned), and records the rollback.

mod ui_cockpit_support;
mod ui_support;

use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use sextant::app::cockpit::CockpitView;
use sextant::app::cockpit_revert::{PublishView, Stage};
use sextant::app::msg::{Effect, Msg};
use sextant::app::publish_data::{PrPreview, PrTarget, RemoteInfo, RevertPreview, StepDone};
use sextant::app::state::{Pane, State, View};
use sextant::app::update::update;
use sextant::forge::NewPullRequest;
use sextant::git::{ChangeKind, ChangedFile, CommitSummary, Person, RevertPlan, RevertSpec};
use sextant::gitops::actions::history::{History, HistoryEntry};
use sextant::gitops::actions::impact::Affected;
use sextant::gitops::engine::{EngineCommand, EngineEvent, GateVerdict, PreviewReport};
use std::sync::Arc;
use ui_cockpit_support::*;
use ui_support::{commit, render, state_with, theme};

const REVERT_COMMIT: &str = "7e57000000000000000000000000000000000000";

fn press(s: &mut State, code: KeyCode) -> Vec<Effect> {
    update(s, Msg::Key(KeyEvent::new(code, KeyModifiers::NONE)))
}

fn ch(s: &mut State, c: char) -> Vec<Effect> {
    press(s, KeyCode::Char(c))
}

fn cockpit(size: (u16, u16)) -> State {
    let mut s = state_with(8, size);
    fleet(&mut s, true);
    s.focus = Pane::Commits;
    s
}

fn view(s: &State) -> &PublishView {
    match s.views.last() {
        Some(View::Cockpit(CockpitView::Publish(v))) => v,
        other => panic!("expected the publish view, got {other:?}"),
    }
}

fn summary(sha: &str, subject: &str) -> CommitSummary {
    CommitSummary {
        sha: sha.into(),
        short_sha: sha[..7].into(),
        summary: subject.into(),
        author: Person {
            name: "Ada Lovelace".into(),
            email: "ada@example.com".into(),
            time: ui_support::NOW - 3600,
            offset_secs: 0,
        },
        commit_time: ui_support::NOW - 3600,
        parents: vec![HEAD.into()],
        shallow_boundary: false,
    }
}

fn pr_target(head: &str) -> PrTarget {
    PrTarget {
        repo_url: "https://github.com/acme/platform-cfg".into(),
        pr: NewPullRequest {
            title: "Revert \"bump api to 1.4 (#0)\"".into(),
            body: String::new(),
            head: head.into(),
            base: "main".into(),
            draft: false,
        },
    }
}

/// What the worker answers to PlanRevert of commit(0).
fn revert_preview(refused: Option<&str>) -> RevertPreview {
    let reverted = commit(0);
    let branch = format!("sextant/revert-{}", reverted.short);
    RevertPreview {
        plan: RevertPlan {
            spec: RevertSpec::commit(&reverted.id),
            onto: "main".into(),
            head: reverted.id.clone(),
            branch: branch.clone(),
            tree: "ab".repeat(20),
            message: "Revert \"bump api to 1.4 (#0)\"\n\nThis reverts commit x.\n".into(),
            reverted: vec![summary(&reverted.id, &reverted.summary)],
            files: vec![ChangedFile {
                kind: ChangeKind::Modified,
                path: "apps/guestbook/deploy.yaml".into(),
                old_path: None,
                old_blob: Some("aa".repeat(20)),
                new_blob: Some("bb".repeat(20)),
                additions: 1,
                deletions: 1,
                binary: false,
                old_size: 10,
                new_size: 10,
                truncated: false,
            }],
            existing_commit: None,
            prepared: Some(REVERT_COMMIT.into()),
        },
        commit: REVERT_COMMIT.into(),
        affected: ["prod-eu", "staging"]
            .into_iter()
            .map(|c| Affected {
                app: "guestbook".into(),
                cluster: c.into(),
                note: None,
            })
            .collect(),
        remote: Ok(RemoteInfo {
            name: "origin".into(),
            url: "git@github.com:acme/platform-cfg.git".into(),
        }),
        pr: Ok(pr_target(&branch)),
        refused: refused.map(str::to_string),
    }
}

/// The live engine's preview of the revert commit on `cluster`.
fn preview(id: u64, cluster: &str) -> PreviewReport {
    PreviewReport {
        id,
        revision: REVERT_COMMIT.into(),
        short: "7e57000".into(),
        commit: REVERT_COMMIT.into(),
        cluster: cluster.into(),
        apps: vec![Arc::new(report("guestbook", cluster, cluster == "prod-eu"))],
        absent: Vec::new(),
        error: None,
        plans: Vec::new(),
        gate: GateVerdict::Allowed,
    }
}

/// `r` on the first commit, the plan, and both previews answered.
fn reviewed(size: (u16, u16), refused: Option<&str>) -> State {
    let mut s = cockpit(size);
    let effects = ch(&mut s, 'r');
    let [Effect::PlanRevert { req, repo: 0, spec }] = effects.as_slice() else {
        panic!("expected a plan request, got {effects:?}")
    };
    assert_eq!(*spec, RevertSpec::commit(&commit(0).id));
    let req = *req;
    let effects = update(
        &mut s,
        Msg::RevertPlanned {
            req,
            result: Ok(Box::new(revert_preview(refused))),
        },
    );
    let asked: Vec<(u64, String)> = effects
        .iter()
        .map(|e| match e {
            Effect::Engine(EngineCommand::Preview {
                id,
                revision,
                cluster,
            }) => {
                assert_eq!(revision, REVERT_COMMIT, "the revert commit is previewed by id");
                (*id, cluster.clone())
            }
            other => panic!("expected previews, got {other:?}"),
        })
        .collect();
    assert_eq!(
        asked.iter().map(|(_, c)| c.as_str()).collect::<Vec<_>>(),
        vec!["prod-eu", "staging"]
    );
    assert!(view(&s).impacts.is_none(), "still previewing");
    for (id, cluster) in asked {
        send(&mut s, EngineEvent::Preview(Arc::new(preview(id, &cluster))));
    }
    s
}

#[test]
fn r_previews_per_cluster_then_branch_push_and_pull_request_each_stay_on_screen() {
    let mut s = reviewed((120, 40), None);
    let impacts = view(&s).impacts.clone().expect("every preview is in");
    assert_eq!(impacts.len(), 2);
    assert_eq!(impacts[0].changes.len(), 1, "{impacts:?}");
    assert_eq!(impacts[0].changes[0].detail, "spec.replicas 5→3");
    assert!(impacts[1].changes.is_empty());
    let req = view(&s).req;

    let effects = ch(&mut s, 'y');
    assert!(
        matches!(effects.as_slice(), [Effect::CreateRevert { plan, .. }] if plan.prepared.as_deref() == Some(REVERT_COMMIT)),
        "{effects:?}"
    );
    let branch = format!("sextant/revert-{}", commit(0).short);
    let effects = update(
        &mut s,
        Msg::StepDone {
            req,
            result: Ok(StepDone::Branch {
                branch: branch.clone(),
                commit: REVERT_COMMIT.into(),
                reused: false,
            }),
        },
    );
    assert_eq!(
        effects,
        vec![Effect::Push {
            req,
            repo: 0,
            branch: branch.clone(),
            remote: "origin".into()
        }]
    );
    update(
        &mut s,
        Msg::PushProgress {
            req,
            line: "writing objects 3/5".into(),
        },
    );
    assert!(render(&s, &theme("dark"), false).contains("… push: writing objects 3/5"));
    let effects = update(
        &mut s,
        Msg::StepDone {
            req,
            result: Ok(StepDone::Pushed {
                remote: "origin".into(),
                url: "git@github.com:acme/platform-cfg.git".into(),
                pushed_ref: format!("refs/heads/{branch}"),
                how: "new branch".into(),
            }),
        },
    );
    let [Effect::OpenPr { remote, pr, .. }] = effects.as_slice() else {
        panic!("expected the pull request step, got {effects:?}")
    };
    assert_eq!(remote, "origin");
    assert_eq!(pr.head, branch);
    assert!(pr.body.contains("### guestbook on prod-eu"), "{}", pr.body);
    assert!(
        pr.body
            .contains("| update | `Deployment guestbook/web` | spec.replicas 5→3 |"),
        "{}",
        pr.body
    );
    let url = "https://github.com/acme/platform-cfg/pull/12";
    let effects = update(
        &mut s,
        Msg::StepDone {
            req,
            result: Ok(StepDone::PullRequest {
                url: url.into(),
                number: Some(12),
                existing: false,
                manual: None,
            }),
        },
    );
    assert!(effects.is_empty(), "not a rollback: nothing more to record");
    assert_eq!(view(&s).stage, Stage::Done);
    let screen = render(&s, &theme("dark"), false);
    assert!(
        screen.contains(&format!("✓ branch {branch} at 7e57000 (created)")),
        "{screen}"
    );
    assert!(
        screen.contains(&format!("✓ pushed refs/heads/{branch} to origin")),
        "{screen}"
    );
    assert!(screen.contains(&format!("✓ pull request #12: {url}")), "{screen}");
    assert_eq!(ch(&mut s, 'O'), vec![Effect::OpenUrl(url.into())]);
    press(&mut s, KeyCode::Esc);
    assert!(s.views.is_empty());
}

#[test]
fn a_merge_asks_for_the_mainline_and_refusals_and_errors_are_shown() {
    let mut s = cockpit((120, 40));
    for _ in 0..4 {
        ch(&mut s, 'j');
    }
    assert!(ch(&mut s, 'r').is_empty(), "a merge asks first");
    assert!(matches!(view(&s).stage, Stage::AskMainline { parents: 2, .. }));
    ch(&mut s, 'j');
    let effects = press(&mut s, KeyCode::Enter);
    assert!(
        matches!(effects.as_slice(), [Effect::PlanRevert { spec, .. }] if *spec == RevertSpec::merge(&commit(4).id, 2)),
        "{effects:?}"
    );

    let refusal = "refused: Sextant runs read-only (--readonly), so it will not commit a revert branch in the repository /srv/platform-cfg; run without it to write";
    let s = reviewed((120, 40), Some(refusal));
    let screen = render(&s, &theme("dark"), false);
    assert!(screen.contains("refused: Sextant runs read-only"), "{screen}");

    let mut s = cockpit((120, 40));
    ch(&mut s, 'r');
    let req = view(&s).req;
    update(
        &mut s,
        Msg::RevertPlanned {
            req,
            result: Err("reverting 9f2c1e0 onto main conflicts in a.yaml; nothing was changed".into()),
        },
    );
    let screen = render(&s, &theme("dark"), false);
    assert!(screen.contains("Nothing was written."), "{screen}");
    assert!(screen.contains("conflicts in a.yaml"), "{screen}");
}

#[test]
fn p_pushes_the_checked_out_branch_and_opens_its_pull_request() {
    let mut s = cockpit((120, 40));
    let effects = ch(&mut s, 'P');
    let [Effect::PlanPr { req, repo: 0 }] = effects.as_slice() else {
        panic!("{effects:?}")
    };
    let req = *req;
    let target = pr_target("raise-limits");
    update(
        &mut s,
        Msg::PrPlanned {
            req,
            result: Ok(Box::new(PrPreview {
                branch: "raise-limits".into(),
                remote: RemoteInfo {
                    name: "origin".into(),
                    url: "git@github.com:acme/platform-cfg.git".into(),
                },
                target: target.clone(),
                refused: None,
            })),
        },
    );
    let effects = ch(&mut s, 'y');
    assert!(
        matches!(effects.as_slice(), [Effect::Push { branch, .. }] if branch == "raise-limits"),
        "{effects:?}"
    );
    let effects = update(
        &mut s,
        Msg::StepDone {
            req,
            result: Ok(StepDone::Pushed {
                remote: "origin".into(),
                url: "u".into(),
                pushed_ref: "refs/heads/raise-limits".into(),
                how: "new branch".into(),
            }),
        },
    );
    assert!(
        matches!(effects.as_slice(), [Effect::OpenPr { pr, .. }] if *pr == target.pr),
        "{effects:?}"
    );
}

fn history() -> History {
    let entry = |n: usize, running: &[&str], current: bool| HistoryEntry {
        commit: summary(&commit(n).id, &commit(n).summary),
        current,
        running: running.iter().map(|c| c.to_string()).collect(),
        synced: vec![("prod-eu".into(), "2026-11-23T02:11:20Z".into())],
    };
    History {
        app: "guestbook".into(),
        entries: vec![
            entry(0, &["prod-eu", "staging"], true),
            entry(2, &[], false),
            entry(5, &[], false),
        ],
        older: Vec::new(),
        complete: true,
    }
}

/// `R` on guestbook/prod-eu in the Apps pane, and its history.
fn rollback_open(size: (u16, u16)) -> (State, u64) {
    let mut s = cockpit(size);
    s.focus = Pane::Apps;
    let effects = ch(&mut s, 'R');
    let [
        Effect::LoadHistory {
            req, app, deployed, ..
        },
    ] = effects.as_slice()
    else {
        panic!("{effects:?}")
    };
    assert_eq!(app, "guestbook");
    assert!(
        deployed.contains(&("prod-eu".to_string(), HEAD.to_string())),
        "{deployed:?}"
    );
    let req = *req;
    update(
        &mut s,
        Msg::History {
            req,
            result: Ok(history()),
        },
    );
    (s, req)
}

#[test]
fn r_on_an_app_previews_proposes_or_syncs_a_revision_and_records_the_rollback() {
    let (mut s, _) = rollback_open((120, 40));
    let screen = render(&s, &theme("dark"), false);
    assert!(screen.contains("head · ⚑prod-eu · ⚑staging"), "{screen}");
    // The revision before what prod-eu runs is selected.
    let target = commit(2).id;
    let effects = press(&mut s, KeyCode::Enter);
    assert!(
        matches!(effects.as_slice(), [Effect::Engine(EngineCommand::Preview { revision, cluster, .. })] if *revision == target && cluster == "prod-eu"),
        "{effects:?}"
    );
    press(&mut s, KeyCode::Esc);

    let effects = ch(&mut s, 'P');
    assert!(
        matches!(effects.as_slice(), [Effect::PlanRevert { spec, .. }]
            if *spec == RevertSpec::app_since("guestbook", &target, vec![commit(0).id])),
        "{effects:?}"
    );
    assert!(view(&s).rollback.is_some());
    press(&mut s, KeyCode::Esc);

    let effects = ch(&mut s, 's');
    let [
        Effect::Engine(EngineCommand::PlanSync {
            id,
            revision,
            cluster,
            ..
        }),
    ] = effects.as_slice()
    else {
        panic!("{effects:?}")
    };
    assert_eq!(
        (revision.as_str(), cluster.as_str()),
        (target.as_str(), "prod-eu")
    );
    let _ = id;
    let Some(View::Cockpit(CockpitView::Sync(sync))) = s.views.last() else {
        panic!("the sync view")
    };
    assert_eq!(
        sync.rollback.as_ref().map(|r| r.revision.as_str()),
        Some(target.as_str())
    );
}

#[test]
fn snapshot_revert_review_done_and_rollback_history() {
    shoot_cockpit!("revert_review", |size| reviewed(size, None));
    shoot_cockpit!("revert_done_by_hand", |size| {
        let mut s = reviewed(size, None);
        let req = view(&s).req;
        ch(&mut s, 'y');
        let branch = format!("sextant/revert-{}", commit(0).short);
        for result in [
            StepDone::Branch {
                branch: branch.clone(),
                commit: REVERT_COMMIT.into(),
                reused: false,
            },
            StepDone::Pushed {
                remote: "origin".into(),
                url: "git@github.com:acme/platform-cfg.git".into(),
                pushed_ref: format!("refs/heads/{branch}"),
                how: "new branch".into(),
            },
            StepDone::PullRequest {
                url: format!("https://github.com/acme/platform-cfg/compare/main...{branch}?expand=1"),
                number: None,
                existing: false,
                manual: Some("no forge token found".into()),
            },
        ] {
            update(
                &mut s,
                Msg::StepDone {
                    req,
                    result: Ok(result),
                },
            );
        }
        s
    });
    shoot_cockpit!("rollback_history", |size| rollback_open(size).0);
}

#[test]
fn a_change_too_long_for_its_line_goes_under_its_object() {
    let s = reviewed((52, 30), None);
    let screen = render(&s, &theme("dark"), false);
    let lines: Vec<&str> = screen.lines().collect();
    let at = lines
        .iter()
        .position(|l| l.contains("~ Deployment/web"))
        .unwrap_or_else(|| panic!("no update row:\n{screen}"));
    assert!(!lines[at].contains("spec.replicas"), "{screen}");
    assert!(lines[at + 1].contains("spec.replicas 5→3"), "{screen}");
    // Where it fits, one line.
    let wide = render(&reviewed((120, 40), None), &theme("dark"), false);
    assert!(
        wide.lines()
            .any(|l| l.contains("~ Deployment/web") && l.contains("spec.replicas 5→3")),
        "{wide}"
    );
}
