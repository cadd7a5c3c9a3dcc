//! Shared by the UI tests: a sample state built from plain data, and a screen renderer that
//! prints the text of a `TestBackend` buffer followed by a compact per-cell style map.
#![allow(dead_code)]

use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::style::Style;
use sextant::app::keymap::Keymap;
use sextant::app::msg::{CommitPage, Msg};
use sextant::app::state::State;
use sextant::app::state_diff::{DiffBody, DiffLine, FileDiff, LineKind};
use sextant::app::state_git::{
    BlobContent, BranchRow, ChangeKind, CommitDetail, CommitRow, EntryKind, FileChange, RepoInfo, TreeRow,
};
use sextant::app::update::update;
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

fn line(
    kind: LineKind,
    old: Option<usize>,
    new: Option<usize>,
    text: &str,
    emph: Option<std::ops::Range<usize>>,
) -> DiffLine {
    DiffLine {
        kind,
        old_no: old,
        new_no: new,
        text: text.into(),
        emph: emph.into_iter().collect(),
    }
}

pub fn sample_diff(truncated: bool) -> FileDiff {
    use LineKind::*;
    let mut lines = vec![
        line(Context, Some(1), Some(1), "apiVersion: apps/v1", None),
        line(Context, Some(2), Some(2), "kind: Deployment", None),
        line(Context, Some(3), Some(3), "metadata:", None),
        line(Context, Some(4), Some(4), "  name: api", None),
        line(Context, Some(5), Some(5), "spec:", None),
        line(Removed, Some(6), None, "  replicas: 5", Some(12..13)),
        line(Added, None, Some(6), "  replicas: 3", Some(12..13)),
    ];
    for n in 0..12 {
        lines.push(line(
            Context,
            Some(7 + n),
            Some(7 + n),
            &format!("  # unchanged line {n}"),
            None,
        ));
    }
    lines.push(line(
        Removed,
        Some(19),
        None,
        "        image: api:1.3",
        Some(19..22),
    ));
    lines.push(line(
        Added,
        None,
        Some(19),
        "        image: api:1.4",
        Some(19..22),
    ));
    lines.push(line(
        Added,
        None,
        Some(20),
        "        imagePullPolicy: IfNotPresent",
        None,
    ));
    lines.push(line(Context, Some(20), Some(21), "        ports:", None));
    FileDiff {
        path: "apps/api/deployment.yaml".into(),
        old_path: None,
        body: DiffBody::Text(lines),
        truncated,
    }
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
