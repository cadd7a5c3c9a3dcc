//! Shared by the UI tests: a sample state built from plain data, and a screen renderer that
//! prints the text of a `TestBackend` buffer followed by a compact per-cell style map.
#![allow(dead_code)]

use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::style::Style;
use sextant::app::keymap::Keymap;
use sextant::app::msg::{CommitPage, Msg};
use sextant::app::state::State;
use sextant::app::state_git::{
    BlobContent, BranchRow, ChangeKind, CommitDetail, CommitRow, EntryKind, FileChange, RepoInfo, TreeRow,
};
use sextant::app::update::update;
use sextant::diff::{DiffLimits, FileDiff, diff_bytes};
use sextant::ui::theme::Theme;
use std::collections::BTreeMap;
use std::fmt::Write;

pub const NOW: i64 = 1_795_400_000;

pub fn commit(n: usize) -> CommitRow {
    let id = format!(
        "{:08x}{:032x}",
        0x9f2c1e00_u64.wrapping_add(n as u64 * 0x01f3_a7b1),
        n
    );
    let summaries = [
        "bump api to 1.4",
        "add worker",
        "scale guestbook to 3",
        "fix ingress host",
        "Merge branch 'hotfix'",
    ];
    let authors = ["Ada Lovelace", "Grace Hopper", "Linus T"];
    CommitRow {
        short: id[..7].to_string(),
        id,
        summary: format!("{} (#{n})", summaries[n % summaries.len()]),
        author: authors[n % authors.len()].to_string(),
        time: NOW - 3600 * n as i64 - 120,
        parents: if n % 5 == 4 { 2 } else { 1 },
    }
}

/// A state with one opened repo and `commits` commits loaded.
pub fn state_with(commits: usize, size: (u16, u16)) -> State {
    let mut s = State::new(
        &[
            "/srv/platform-cfg".to_string(),
            "https://example.com/payments-cfg.git".to_string(),
        ],
        "dark",
        Keymap::builtin(),
    );
    s.now = NOW;
    update(&mut s, Msg::Resize(size.0, size.1));
    let info = RepoInfo {
        name: "platform-cfg".into(),
        path: "/srv/platform-cfg".into(),
        branch: Some("main".into()),
        head: Some(commit(0).id),
        shallow: false,
    };
    update(
        &mut s,
        Msg::RepoOpened {
            repo: 0,
            result: Ok(info),
        },
    );
    let branches = vec![
        BranchRow {
            name: "main".into(),
            is_head: true,
            is_remote: false,
        },
        BranchRow {
            name: "hotfix".into(),
            is_head: false,
            is_remote: false,
        },
        BranchRow {
            name: "origin/main".into(),
            is_head: false,
            is_remote: true,
        },
    ];
    update(
        &mut s,
        Msg::Branches {
            repo: 0,
            result: Ok(branches),
        },
    );
    let generation = s.repos[0].commits.generation;
    let rows = (0..commits).map(commit).collect();
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
    s.repos[1].status = sextant::app::state_git::RepoStatus::Cloning {
        phase: "receiving objects".into(),
        fraction: Some(0.4),
    };
    s
}

/// Deliver the answer to the request of the view on top.
pub fn answer(s: &mut State, msg: impl FnOnce(u64) -> Msg) {
    let req = s.views.last().expect("a view is open").req();
    update(s, msg(req));
}

pub fn sample_detail() -> CommitDetail {
    let c = commit(0);
    CommitDetail {
        id: c.id,
        base: None,
        author: "Ada Lovelace".into(),
        email: "ada@example.com".into(),
        time: NOW - 120,
        committer: "Ada Lovelace".into(),
        parents: vec![commit(1).id],
        message: "bump api to 1.4\n\nThe new API image fixes the readiness probe.".into(),
        files: vec![
            FileChange {
                path: "apps/api/deployment.yaml".into(),
                old_path: None,
                kind: ChangeKind::Modified,
                added: 2,
                removed: 2,
                binary: false,
                old_blob: None,
                new_blob: None,
                old_size: 0,
                new_size: 0,
            },
            FileChange {
                path: "apps/api/hpa.yaml".into(),
                old_path: None,
                kind: ChangeKind::Added,
                added: 14,
                removed: 0,
                binary: false,
                old_blob: None,
                new_blob: None,
                old_size: 0,
                new_size: 0,
            },
            FileChange {
                path: "apps/api/logo.png".into(),
                old_path: None,
                kind: ChangeKind::Modified,
                added: 0,
                removed: 0,
                binary: true,
                old_blob: None,
                new_blob: None,
                old_size: 2048,
                new_size: 3072,
            },
            FileChange {
                path: "apps/web/svc.yaml".into(),
                old_path: Some("apps/web/service.yaml".into()),
                kind: ChangeKind::Renamed,
                added: 0,
                removed: 0,
                binary: false,
                old_blob: None,
                new_blob: None,
                old_size: 0,
                new_size: 0,
            },
        ],
    }
}

/// The old and new text of a Deployment: replicas and image changed, a line added, with a
/// long unchanged run between the changes (folded).
fn deployment(replicas: u32, image: &str, pull_policy: bool) -> String {
    let mut text = format!(
        "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: api\nspec:\n  replicas: {replicas}\n"
    );
    for n in 0..12 {
        text.push_str(&format!("  # unchanged line {n}\n"));
    }
    text.push_str(&format!("        image: {image}\n"));
    if pull_policy {
        text.push_str("        imagePullPolicy: IfNotPresent\n");
    }
    text.push_str("        ports:\n");
    text
}

/// The diff of the sample Deployment; `truncated` cuts the input so the notice shows.
pub fn sample_diff(truncated: bool) -> FileDiff {
    let old = deployment(5, "api:1.3", false);
    let new = deployment(3, "api:1.4", true);
    let mut limits = DiffLimits::default();
    if truncated {
        limits.max_bytes = old.len() - 20;
    }
    diff_bytes(old.as_bytes(), new.as_bytes(), &limits)
}

pub fn sample_tree() -> Vec<TreeRow> {
    let row = |path: &str, depth, kind, size| TreeRow {
        path: path.into(),
        depth,
        kind,
        size,
    };
    vec![
        row("apps", 0, EntryKind::Dir, None),
        row("apps/api", 1, EntryKind::Dir, None),
        row("apps/api/deployment.yaml", 2, EntryKind::File, Some(812)),
        row("apps/api/hpa.yaml", 2, EntryKind::File, Some(301)),
        row("README.md", 0, EntryKind::File, Some(1200)),
        row("sextant.yaml", 0, EntryKind::File, Some(240)),
    ]
}

pub fn sample_blob() -> BlobContent {
    let text = "apps:\n  - name: guestbook\n    path: apps/guestbook\n    namespace: guestbook\n    clusters: [staging, prod-eu]\n    renderer: auto\n";
    BlobContent::Text {
        lines: text.lines().map(String::from).collect(),
        truncated: false,
    }
}

pub fn theme(name: &str) -> Theme {
    if name == "no-color" {
        Theme::no_color("dark")
    } else {
        Theme::builtin(name).unwrap()
    }
}

/// Render `state` and return the screen text, then a style map: one letter per distinct style.
pub fn render(state: &State, theme: &Theme, styles: bool) -> String {
    let (w, h) = state.size;
    let mut terminal = Terminal::new(TestBackend::new(w, h)).unwrap();
    terminal.draw(|f| sextant::ui::draw(f, state, theme)).unwrap();
    let buf = terminal.backend().buffer().clone();
    let mut out = String::new();
    for y in 0..h {
        let row: String = (0..w).map(|x| buf[(x, y)].symbol().to_string()).collect();
        writeln!(out, "{}", row.trim_end()).unwrap();
    }
    if !styles {
        return out;
    }
    let mut legend: BTreeMap<String, char> = BTreeMap::new();
    let letters: Vec<char> = ('a'..='z').chain('A'..='Z').chain('0'..='9').collect();
    let mut map = String::new();
    for y in 0..h {
        let mut row = String::new();
        for x in 0..w {
            let cell = &buf[(x, y)];
            let style = Style::new().fg(cell.fg).bg(cell.bg).add_modifier(cell.modifier);
            let key = format!("{style:?}");
            let n = legend.len();
            let c = *legend
                .entry(key)
                .or_insert_with(|| letters.get(n).copied().unwrap_or('?'));
            row.push(c);
        }
        writeln!(map, "{row}").unwrap();
    }
    out.push_str("--- styles ---\n");
    out.push_str(&map);
    let mut by_letter: Vec<(char, String)> = legend.into_iter().map(|(k, v)| (v, k)).collect();
    by_letter.sort();
    for (c, k) in by_letter {
        writeln!(out, "{c} = {k}").unwrap();
    }
    out
}

/// Snapshot `build(size)` at 80x24 and 200x50 in the dark and light themes. A macro, so that
/// insta names the snapshots after the test file that calls it.
#[macro_export]
macro_rules! shoot_cockpit {
    ($name:expr, $build:expr) => {{
        let build = $build;
        for (w, h) in [(80u16, 24u16), (200, 50)] {
            let state = build((w, h));
            for theme_name in ["dark", "light"] {
                let shot = $crate::ui_support::render(&state, &$crate::ui_support::theme(theme_name), true);
                insta::assert_snapshot!(format!("{}__{theme_name}_{w}x{h}", $name), shot);
            }
        }
    }};
}
