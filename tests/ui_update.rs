//! `update()` without a terminal: keys in, state and effects out.

mod ui_support;

use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use sextant::app::msg::{CommitPage, Effect, Msg};
use sextant::app::state::{Overlay, Pane, State, View};
use sextant::app::state_git::RepoInfo;
use sextant::app::update::update;
use ui_support::*;

fn press(s: &mut State, code: KeyCode) -> Vec<Effect> {
    update(s, Msg::Key(KeyEvent::new(code, KeyModifiers::NONE)))
}

fn typed(s: &mut State, text: &str) -> Vec<Effect> {
    text.chars().flat_map(|c| press(s, KeyCode::Char(c))).collect()
}

fn selected_id(s: &State) -> String {
    s.repos[0].commits.selected_row().unwrap().id.clone()
}

#[test]
fn opening_a_repo_asks_for_branches_and_the_first_page() {
    let mut s = State::new(
        &["repo".to_string()],
        "dark",
        sextant::app::keymap::Keymap::builtin(),
    );
    let start = sextant::app::update::start(&s);
    assert_eq!(
        start,
        vec![Effect::OpenRepo {
            repo: 0,
            spec: "repo".into()
        }]
    );
    let info = RepoInfo {
        name: "repo".into(),
        branch: Some("main".into()),
        head: Some("a".repeat(40)),
        ..Default::default()
    };
    let fx = update(
        &mut s,
        Msg::RepoOpened {
            repo: 0,
            result: Ok(info),
        },
    );
    assert!(fx.contains(&Effect::LoadBranches { repo: 0 }));
    assert!(
        fx.iter()
            .any(|e| matches!(e, Effect::LoadCommits { skip: 0, rev: Some(r), .. } if r == "main"))
    );
}

#[test]
fn empty_repo_shows_an_error_and_loads_no_log() {
    let mut s = State::new(
        &["repo".to_string()],
        "dark",
        sextant::app::keymap::Keymap::builtin(),
    );
    let info = RepoInfo {
        name: "repo".into(),
        branch: Some("main".into()),
        head: None,
        ..Default::default()
    };
    let fx = update(
        &mut s,
        Msg::RepoOpened {
            repo: 0,
            result: Ok(info),
        },
    );
    assert!(!fx.iter().any(|e| matches!(e, Effect::LoadCommits { .. })));
    assert!(s.errors[0].contains("empty repository"), "{:?}", s.errors);
}

#[test]
fn moving_keeps_the_selection_on_screen() {
    let mut s = state_with(100, (80, 24));
    typed(&mut s, "jjj");
    assert_eq!(s.repos[0].commits.selected, 3);
    typed(&mut s, "k");
    assert_eq!(s.repos[0].commits.selected, 2);
    typed(&mut s, "G");
    assert_eq!(s.repos[0].commits.selected, 99);
    let height = sextant::ui::layout::commit_rows(s.size);
    assert_eq!(s.repos[0].commits.offset, 100 - height);
    typed(&mut s, "g");
    assert_eq!((s.repos[0].commits.selected, s.repos[0].commits.offset), (0, 0));
}

#[test]
fn scrolling_near_the_end_loads_the_next_page_and_drops_stale_pages() {
    let mut s = state_with(0, (80, 24));
    let generation = s.repos[0].commits.generation;
    // state_with delivered an empty, exhausted page; start over with a long history.
    s.repos[0].commits.exhausted = false;
    let rows = (0..200).map(commit).collect();
    update(
        &mut s,
        Msg::Commits {
            repo: 0,
            generation,
            result: Ok(CommitPage {
                rows,
                exhausted: false,
            }),
        },
    );
    assert!(
        !s.repos[0].commits.loading,
        "200 rows are plenty for the first screen"
    );
    let fx = press(&mut s, KeyCode::Char('G'));
    assert!(
        matches!(fx.as_slice(), [Effect::LoadCommits { skip: 200, .. }]),
        "{fx:?}"
    );
    assert!(s.repos[0].commits.loading);
    // A page from an older generation (before a branch switch) is ignored.
    let old = Msg::Commits {
        repo: 0,
        generation: generation - 1,
        result: Ok(CommitPage {
            rows: vec![commit(999)],
            exhausted: true,
        }),
    };
    update(&mut s, old);
    assert_eq!(s.repos[0].commits.rows.len(), 200);
    let rows = (200..250).map(commit).collect();
    update(
        &mut s,
        Msg::Commits {
            repo: 0,
            generation,
            result: Ok(CommitPage {
                rows,
                exhausted: true,
            }),
        },
    );
    assert_eq!(s.repos[0].commits.rows.len(), 250);
    assert!(s.repos[0].commits.exhausted);
}

#[test]
fn filter_by_message_author_or_sha() {
    let mut s = state_with(50, (80, 24));
    typed(&mut s, "/hotfix");
    assert!(s.repos[0].commits.filter.typing);
    assert_eq!(s.repos[0].commits.len(), 10);
    press(&mut s, KeyCode::Enter);
    assert!(!s.repos[0].commits.filter.typing);
    typed(&mut s, "j");
    assert!(
        s.repos[0]
            .commits
            .selected_row()
            .unwrap()
            .summary
            .contains("hotfix")
    );
    press(&mut s, KeyCode::Esc);
    assert_eq!(s.repos[0].commits.len(), 50);

    typed(&mut s, "/grace");
    assert!(!s.repos[0].commits.is_empty());
    assert!(
        (0..s.repos[0].commits.len()).all(|i| s.repos[0].commits.get(i).unwrap().author == "Grace Hopper")
    );
    press(&mut s, KeyCode::Esc);
    let sha = commit(7).id[..8].to_string();
    typed(&mut s, &format!("/{sha}"));
    assert_eq!(s.repos[0].commits.len(), 1);
    press(&mut s, KeyCode::Backspace);
    assert!(s.repos[0].commits.filter.text.len() == 7);
}

#[test]
fn enter_opens_the_commit_and_a_file_diff_esc_goes_back() {
    let mut s = state_with(10, (80, 24));
    typed(&mut s, "j");
    let id = selected_id(&s);
    let fx = press(&mut s, KeyCode::Enter);
    let req = s.views.last().unwrap().req();
    assert_eq!(
        fx,
        vec![Effect::LoadDetail {
            req,
            repo: 0,
            id: id.clone(),
            base: None
        }]
    );
    update(
        &mut s,
        Msg::Detail {
            req,
            result: Ok(sample_detail()),
        },
    );
    typed(&mut s, "j");
    let fx = press(&mut s, KeyCode::Enter);
    assert!(
        matches!(&fx[..], [Effect::LoadDiff { file, .. }] if file.path == "apps/api/hpa.yaml"),
        "{fx:?}"
    );
    assert_eq!(s.views.len(), 2);
    press(&mut s, KeyCode::Esc);
    press(&mut s, KeyCode::Esc);
    assert!(s.views.is_empty());
    assert!(!s.quit);
}

#[test]
fn answers_for_closed_views_are_dropped() {
    let mut s = state_with(10, (80, 24));
    press(&mut s, KeyCode::Enter);
    let req = s.views.last().unwrap().req();
    press(&mut s, KeyCode::Esc);
    update(
        &mut s,
        Msg::Detail {
            req,
            result: Err("late".into()),
        },
    );
    assert!(s.views.is_empty() && s.errors.is_empty());
}

#[test]
fn mark_then_compare_asks_for_a_two_commit_detail() {
    let mut s = state_with(10, (80, 24));
    let first = selected_id(&s);
    let fx = press(&mut s, KeyCode::Char('c'));
    assert!(fx.is_empty() && s.notice.as_deref().unwrap_or("").contains("mark a commit"));
    press(&mut s, KeyCode::Char(' '));
    typed(&mut s, "jj");
    let second = selected_id(&s);
    let fx = press(&mut s, KeyCode::Char('c'));
    assert!(
        matches!(&fx[..], [Effect::LoadDetail { id, base: Some(b), .. }] if *id == second && *b == first),
        "{fx:?}"
    );
}

#[test]
fn palette_runs_commands_and_names_mistakes() {
    let mut s = state_with(10, (80, 24));
    typed(&mut s, ":");
    assert!(matches!(s.overlay, Some(Overlay::Palette(_))));
    typed(&mut s, "theme light");
    let fx = press(&mut s, KeyCode::Enter);
    assert_eq!(fx, vec![Effect::SetTheme("light".into())]);
    assert!(s.overlay.is_none());

    typed(&mut s, ":br hot");
    let fx = press(&mut s, KeyCode::Enter);
    assert!(
        matches!(&fx[..], [Effect::LoadCommits { rev: Some(r), skip: 0, .. }] if r == "hotfix"),
        "{fx:?}"
    );
    assert_eq!(s.repos[0].rev.as_deref(), Some("hotfix"));

    typed(&mut s, ":frobnicate");
    // No candidate matches: Enter runs the text as typed.
    let fx = press(&mut s, KeyCode::Enter);
    assert!(fx.is_empty());
    assert!(
        s.notice
            .as_deref()
            .unwrap()
            .contains("unknown command `:frobnicate`")
    );

    typed(&mut s, ":qu");
    press(&mut s, KeyCode::Enter);
    assert!(s.quit);
}

#[test]
fn branch_picker_switches_the_log() {
    let mut s = state_with(10, (80, 24));
    typed(&mut s, "b");
    assert_eq!(s.overlay, Some(Overlay::Branches { selected: 0 }));
    typed(&mut s, "j");
    let fx = press(&mut s, KeyCode::Enter);
    assert!(
        matches!(&fx[..], [Effect::LoadCommits { rev: Some(r), .. }] if r == "hotfix"),
        "{fx:?}"
    );
    assert!(s.repos[0].commits.rows.is_empty() && s.repos[0].commits.loading);
}

#[test]
fn help_toggles_and_errors_are_modal() {
    let mut s = state_with(10, (80, 24));
    typed(&mut s, "?");
    assert!(matches!(s.overlay, Some(Overlay::Help { .. })));
    typed(&mut s, "?");
    assert!(s.overlay.is_none());

    update(
        &mut s,
        Msg::RepoOpened {
            repo: 1,
            result: Err("not a git repository".into()),
        },
    );
    assert_eq!(s.errors.len(), 1);
    typed(&mut s, "jq");
    assert_eq!(
        s.repos[0].commits.selected, 0,
        "keys other than dismiss do nothing under the error panel"
    );
    assert!(!s.quit);
    press(&mut s, KeyCode::Esc);
    assert!(s.errors.is_empty());
    update(
        &mut s,
        Msg::Key(KeyEvent::new(KeyCode::Char('c'), KeyModifiers::CONTROL)),
    );
    assert!(s.quit);
}

#[test]
fn tab_cycles_panes_and_q_quits() {
    let mut s = state_with(3, (80, 24));
    assert_eq!(s.focus, Pane::Commits);
    press(&mut s, KeyCode::Tab);
    assert_eq!(s.focus, Pane::Clusters);
    press(&mut s, KeyCode::Tab);
    assert_eq!(s.focus, Pane::Repos);
    press(&mut s, KeyCode::BackTab);
    assert_eq!(s.focus, Pane::Clusters);
    typed(&mut s, "q");
    assert!(s.quit);
}

#[test]
fn diff_keys_jump_hunks_split_and_unfold() {
    let mut s = state_with(10, (80, 12));
    press(&mut s, KeyCode::Enter);
    answer(&mut s, |req| Msg::Detail {
        req,
        result: Ok(sample_detail()),
    });
    press(&mut s, KeyCode::Enter);
    answer(&mut s, |req| Msg::Diff {
        req,
        result: Ok(sample_diff(false)),
    });
    let diff = |s: &State| match s.views.last() {
        Some(View::Diff(d, _)) => d.clone(),
        other => panic!("{other:?}"),
    };
    let d = diff(&s);
    assert_eq!(d.hunks.len(), 2);
    assert_eq!(d.scroll, 0, "the first hunk fits on the first screen");
    typed(&mut s, "n");
    assert_eq!(diff(&s).scroll, d.hunks[0] - 2);
    typed(&mut s, "n");
    assert_eq!(diff(&s).scroll, d.hunks[1] - 2);
    typed(&mut s, "n");
    assert_eq!(diff(&s).scroll, d.hunks[1] - 2, "no hunk after the last");
    typed(&mut s, "N");
    assert_eq!(diff(&s).scroll, d.hunks[0] - 2);
    typed(&mut s, "v");
    assert!(diff(&s).split);
    let folded = diff(&s).rows.len();
    typed(&mut s, "gz");
    assert!(diff(&s).rows.len() > folded);
}

#[test]
fn resize_keeps_the_selection_on_screen() {
    let mut s = state_with(100, (80, 40));
    typed(&mut s, "jjjjjjjjjjjjjjjjjjjjjjjjjjjjjj");
    assert_eq!(s.repos[0].commits.offset, 0);
    update(&mut s, Msg::Resize(80, 12));
    assert_eq!(s.size, (80, 12));
    let c = &s.repos[0].commits;
    let height = sextant::ui::layout::commit_rows(s.size);
    assert!(
        c.selected >= c.offset && c.selected < c.offset + height,
        "{} {}",
        c.selected,
        c.offset
    );
}

#[test]
fn tree_folds_directories_and_opens_files() {
    let mut s = state_with(3, (80, 24));
    typed(&mut s, "t");
    answer(&mut s, |req| Msg::Tree {
        req,
        result: Ok(sample_tree()),
    });
    let tree = |s: &State| match s.views.last() {
        Some(View::Tree(t)) => t.clone(),
        other => panic!("{other:?}"),
    };
    assert_eq!(tree(&s).visible().len(), 6);
    typed(&mut s, "j");
    press(&mut s, KeyCode::Enter);
    assert_eq!(
        tree(&s).visible().len(),
        4,
        "apps/api and its two files fold into one row"
    );
    typed(&mut s, "j");
    assert_eq!(tree(&s).selected_row().unwrap().path, "README.md");
    let fx = press(&mut s, KeyCode::Enter);
    assert!(
        matches!(&fx[..], [Effect::LoadBlob { path, .. }] if path == "README.md"),
        "{fx:?}"
    );
    press(&mut s, KeyCode::Esc);
    typed(&mut s, "k");
    press(&mut s, KeyCode::Enter);
    assert_eq!(tree(&s).visible().len(), 6);
}

#[test]
fn detached_head_and_shallow_clone_are_labelled() {
    let mut s = State::new(
        &["repo".to_string()],
        "dark",
        sextant::app::keymap::Keymap::builtin(),
    );
    let head = "0123456789abcdef0123456789abcdef01234567".to_string();
    let info = RepoInfo {
        name: "repo".into(),
        branch: None,
        head: Some(head.clone()),
        shallow: true,
        ..Default::default()
    };
    let fx = update(
        &mut s,
        Msg::RepoOpened {
            repo: 0,
            result: Ok(info),
        },
    );
    assert!(
        fx.iter()
            .any(|e| matches!(e, Effect::LoadCommits { rev: Some(r), .. } if *r == head))
    );
    assert_eq!(s.repos[0].rev_label(), "detached 0123456");
    assert!(s.notice.as_deref().unwrap().contains("shallow clone"));
    assert!(s.errors.is_empty());
}

#[test]
fn palette_keeps_a_typed_argument_unless_a_suggestion_is_picked() {
    let mut s = state_with(3, (80, 24));
    s.repos[0].branches.push(sextant::app::state_git::BranchRow {
        name: "overview1.2".into(),
        is_head: false,
        is_remote: false,
    });
    typed(&mut s, ":branch v1.2");
    let fx = press(&mut s, KeyCode::Enter);
    assert!(
        matches!(&fx[..], [Effect::LoadCommits { rev: Some(r), .. }] if r == "v1.2"),
        "{fx:?}"
    );
    typed(&mut s, ":branch v1.2");
    press(&mut s, KeyCode::Down);
    press(&mut s, KeyCode::Up);
    let fx = press(&mut s, KeyCode::Enter);
    assert!(
        matches!(&fx[..], [Effect::LoadCommits { rev: Some(r), .. }] if r == "overview1.2"),
        "{fx:?}"
    );
}

#[test]
fn brackets_step_through_the_files_of_a_commit() {
    let mut s = state_with(3, (80, 24));
    press(&mut s, KeyCode::Enter);
    answer(&mut s, |req| Msg::Detail {
        req,
        result: Ok(sample_detail()),
    });
    press(&mut s, KeyCode::Enter);
    let fx = typed(&mut s, "]");
    assert!(
        matches!(&fx[..], [Effect::LoadDiff { file, .. }] if file.path == "apps/api/hpa.yaml"),
        "{fx:?}"
    );
    assert_eq!(s.views.len(), 2, "the next diff replaces the current one");
    let fx = typed(&mut s, "[");
    assert!(
        matches!(&fx[..], [Effect::LoadDiff { file, .. }] if file.path == "apps/api/deployment.yaml"),
        "{fx:?}"
    );
    assert!(typed(&mut s, "[").is_empty(), "no file before the first");
}
