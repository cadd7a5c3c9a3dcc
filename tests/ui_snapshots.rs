//! Snapshots of every pane, view and overlay, rendered to a `TestBackend`: at 80x24 and 160x48,
//! in the dark and high-contrast themes (with a per-cell style map), and once without colour.

mod ui_support;

use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use sextant::app::msg::Msg;
use sextant::app::state::State;
use sextant::app::update::update;
use ui_support::*;

fn key(s: &mut State, code: KeyCode) {
    update(s, Msg::Key(KeyEvent::new(code, KeyModifiers::NONE)));
}

fn keys(s: &mut State, text: &str) {
    for c in text.chars() {
        key(s, KeyCode::Char(c));
    }
}

/// Snapshot `build(size)` at both sizes and in both themes, plus a no-colour render at 80x24.
fn shoot(name: &str, build: impl Fn((u16, u16)) -> State) {
    for (w, h) in [(80, 24), (160, 48)] {
        let state = build((w, h));
        for theme_name in ["dark", "high-contrast"] {
            let shot = render(&state, &theme(theme_name), true);
            insta::assert_snapshot!(format!("{name}__{theme_name}_{w}x{h}"), shot);
        }
        if w == 80 {
            insta::assert_snapshot!(
                format!("{name}__no-color_{w}x{h}"),
                render(&state, &theme("no-color"), true)
            );
        }
    }
}

#[test]
fn main_screen_with_commits_and_empty_clusters() {
    shoot("main", |size| {
        let mut s = state_with(60, size);
        keys(&mut s, "jj");
        s
    });
}

#[test]
fn light_and_colorblind_themes() {
    for theme_name in ["light", "colorblind"] {
        let mut s = state_with(30, (80, 24));
        keys(&mut s, "j");
        insta::assert_snapshot!(
            format!("main__{theme_name}_80x24"),
            render(&s, &theme(theme_name), true)
        );
        let s = diff_state((80, 24), false);
        insta::assert_snapshot!(
            format!("diff_unified__{theme_name}_80x24"),
            render(&s, &theme(theme_name), true)
        );
    }
}

#[test]
fn repos_pane_focused_and_clusters_focused() {
    shoot("repos_focused", |size| {
        let mut s = state_with(5, size);
        key(&mut s, KeyCode::BackTab);
        s
    });
    shoot("clusters_focused", |size| {
        let mut s = state_with(5, size);
        key(&mut s, KeyCode::Tab);
        s
    });
}

#[test]
fn commit_filter() {
    shoot("filter", |size| {
        let mut s = state_with(60, size);
        keys(&mut s, "/hotfix");
        s
    });
}

#[test]
fn help_overlay() {
    shoot("help", |size| {
        let mut s = state_with(10, size);
        keys(&mut s, "?");
        s
    });
}

/// The help overlay scrolls to its last line and no further, and `k` comes straight back.
#[test]
fn help_scrolls_to_its_last_line_and_no_further() {
    let mut s = state_with(10, (80, 24));
    keys(&mut s, "?");
    let t = theme("dark");
    assert_eq!(
        sextant::ui::help::lines(&s.keymap, &t).len(),
        sextant::app::state::help_len(&s.keymap),
        "the update's count of help lines matches what the overlay draws"
    );
    for _ in 0..200 {
        key(&mut s, KeyCode::Down);
    }
    let screen = render(&s, &t, false);
    let rows: Vec<&str> = screen.lines().collect();
    // The overlay's bottom border is the first one down the screen (the panes' come below).
    let bottom = rows
        .iter()
        .position(|r| r.contains('┗'))
        .expect("the overlay's bottom border");
    assert!(
        rows[bottom - 1].contains("clear the line"),
        "the last typing key sits on the last row:\n{screen}"
    );
    key(&mut s, KeyCode::Up);
    let screen = render(&s, &t, false);
    assert!(
        !screen
            .lines()
            .nth(bottom - 1)
            .unwrap_or("")
            .contains("clear the line"),
        "one step up moves the text at once:\n{screen}"
    );
}

#[test]
fn command_palette() {
    shoot("palette", |size| {
        let mut s = state_with(10, size);
        keys(&mut s, ":th");
        s
    });
}

#[test]
fn branch_picker() {
    shoot("branches", |size| {
        let mut s = state_with(10, size);
        keys(&mut s, "bj");
        s
    });
}

#[test]
fn error_panel() {
    shoot("error", |size| {
        let mut s = state_with(3, size);
        update(
            &mut s,
            Msg::RepoOpened {
                repo: 1,
                result: Err(
                    "cannot reach https://example.com/payments-cfg.git: connection refused \
                             (check the URL, the network and your credentials)"
                        .into(),
                ),
            },
        );
        s
    });
}

fn detail_state(size: (u16, u16)) -> State {
    let mut s = state_with(10, size);
    key(&mut s, KeyCode::Enter);
    answer(&mut s, |req| Msg::Detail {
        req,
        result: Ok(sample_detail()),
    });
    s
}

#[test]
fn commit_detail() {
    shoot("detail", |size| {
        let mut s = detail_state(size);
        key(&mut s, KeyCode::Char('j'));
        s
    });
}

fn diff_state(size: (u16, u16), truncated: bool) -> State {
    let mut s = detail_state(size);
    key(&mut s, KeyCode::Enter);
    answer(&mut s, |req| Msg::Diff {
        req,
        result: Ok(sample_diff(truncated)),
    });
    s
}

#[test]
fn diff_unified_split_and_unfolded() {
    shoot("diff_unified", |size| diff_state(size, false));
    shoot("diff_split", |size| {
        let mut s = diff_state(size, false);
        keys(&mut s, "v");
        s
    });
    shoot("diff_unfolded_truncated", |size| {
        let mut s = diff_state(size, true);
        keys(&mut s, "z");
        s
    });
}

#[test]
fn diff_binary() {
    shoot("diff_binary", |size| {
        let mut s = detail_state(size);
        keys(&mut s, "jj");
        key(&mut s, KeyCode::Enter);
        let file = sextant::diff::FileDiff::Binary {
            old_size: 2048,
            new_size: 3072,
        };
        answer(&mut s, |req| Msg::Diff {
            req,
            result: Ok(file),
        });
        s
    });
}

#[test]
fn tree_and_file_views() {
    shoot("tree", |size| {
        let mut s = state_with(10, size);
        keys(&mut s, "t");
        answer(&mut s, |req| Msg::Tree {
            req,
            result: Ok(sample_tree()),
        });
        keys(&mut s, "jj");
        s
    });
    shoot("file", |size| {
        let mut s = state_with(10, size);
        keys(&mut s, "t");
        answer(&mut s, |req| Msg::Tree {
            req,
            result: Ok(sample_tree()),
        });
        keys(&mut s, "G");
        key(&mut s, KeyCode::Enter);
        answer(&mut s, |req| Msg::Blob {
            req,
            result: Ok(sample_blob()),
        });
        s
    });
}

/// Tiny and odd terminal sizes must never panic, whatever is on screen.
#[test]
fn tiny_terminals_do_not_panic() {
    type Build = fn((u16, u16)) -> State;
    let builds: Vec<Build> = vec![
        |size| state_with(30, size),
        |size| {
            let mut s = state_with(30, size);
            keys(&mut s, "?");
            s
        },
        |size| {
            let mut s = state_with(30, size);
            keys(&mut s, ":th");
            s
        },
        |size| {
            let mut s = state_with(30, size);
            keys(&mut s, "b");
            s
        },
        |size| {
            let mut s = state_with(3, size);
            update(
                &mut s,
                Msg::RepoOpened {
                    repo: 1,
                    result: Err("x".repeat(300)),
                },
            );
            s
        },
        |size| {
            let mut s = diff_state(size, true);
            keys(&mut s, "v");
            s
        },
        |size| diff_state(size, false),
        detail_state,
        |size| {
            let mut s = state_with(10, size);
            keys(&mut s, "t");
            answer(&mut s, |req| Msg::Tree {
                req,
                result: Ok(sample_tree()),
            });
            s
        },
    ];
    for (w, h) in [
        (0, 0),
        (1, 1),
        (2, 2),
        (5, 3),
        (12, 4),
        (20, 6),
        (33, 9),
        (300, 3),
    ] {
        for build in &builds {
            let state = build((w, h));
            for t in ["dark", "no-color"] {
                let _ = render(&state, &theme(t), false);
            }
        }
    }
}
