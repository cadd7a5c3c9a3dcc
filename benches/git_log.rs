//! Log speed on a generated 100k-commit repository. Prints its figures; asserts nothing.
//!
//! The repository is made once with `git fast-import` (plus `git commit-graph write`, as a
//! maintained repository has) and cached under `target/bench-repos/`, so reruns start at once.
//! Figures: time to the first page of 100 commits (target < 50 ms), and a full log walk against
//! `git log --format=%H` in the same run, as a ratio (target <= 1.0).

use sextant::git::GitRepo;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

const COMMITS: usize = 100_000;

fn main() {
    let repo_dir = bench_repo();
    println!(
        "repository: {} ({COMMITS} commits on main, a merge every 500)",
        repo_dir.display()
    );

    // Time to the first page, from opening the repository (what a cold TUI start pays).
    let mut first_page = Vec::new();
    for _ in 0..7 {
        let start = Instant::now();
        let repo = GitRepo::open(&repo_dir).expect("open bench repo");
        let page = repo.log(None, None).expect("log").next_page(100).expect("page");
        first_page.push(start.elapsed());
        assert_eq!(page.commits.len(), 100);
    }
    let first = median(&mut first_page);
    println!("first page of 100 commits: {:.2} ms (target < 50 ms)", ms(first));

    // Full walks, each against git doing the same job in the same run.
    let total = COMMITS + (COMMITS - 1) / 500;
    let walk_ids = || {
        let repo = GitRepo::open(&repo_dir).expect("open bench repo");
        let mut cursor = repo.log(None, None).expect("log");
        let mut n = 0;
        while !cursor.is_done() {
            n += cursor.next_shas(10_000).expect("shas").len();
        }
        assert_eq!(n, total, "every commit, side commits included");
    };
    let walk_rows = || {
        let repo = GitRepo::open(&repo_dir).expect("open bench repo");
        let mut cursor = repo.log(None, None).expect("log");
        let mut n = 0;
        while !cursor.is_done() {
            n += cursor.next_page(1000).expect("page").commits.len();
        }
        assert_eq!(n, total, "every commit, side commits included");
    };
    let ids = compare(&walk_ids, &repo_dir, "--format=%H", total);
    println!(
        "full log walk (shas) {:.1} ms vs git log --format=%H {:.1} ms: ratio {:.2} (target <= 1.0)",
        ms(ids.0),
        ms(ids.1),
        ratio(ids)
    );
    let rows = compare(&walk_rows, &repo_dir, "--format=%H %P %ct %an <%ae> %s", total);
    println!(
        "full log walk (rows: sha, parents, time, author, summary) {:.1} ms vs git log --format='%H %P %ct %an <%ae> %s' {:.1} ms: ratio {:.2}",
        ms(rows.0),
        ms(rows.1),
        ratio(rows)
    );
}

/// Median times of `ours` and of `git log <format>`, interleaved so load hits both alike.
fn compare(ours: &dyn Fn(), repo_dir: &Path, format: &str, total: usize) -> (Duration, Duration) {
    let (mut a, mut b) = (Vec::new(), Vec::new());
    for _ in 0..5 {
        let start = Instant::now();
        ours();
        a.push(start.elapsed());
        let start = Instant::now();
        let out = Command::new("git")
            .arg("-C")
            .arg(repo_dir)
            .args(["log", format])
            .stderr(Stdio::inherit())
            .output()
            .expect("git log runs");
        b.push(start.elapsed());
        assert_eq!(out.stdout.iter().filter(|&&c| c == b'\n').count(), total);
    }
    (median(&mut a), median(&mut b))
}

fn ratio((ours, git): (Duration, Duration)) -> f64 {
    ours.as_secs_f64() / git.as_secs_f64()
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

fn median(v: &mut [Duration]) -> Duration {
    v.sort();
    v[v.len() / 2]
}

/// The cached repository, generated on first use.
fn bench_repo() -> PathBuf {
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("target"));
    let dir = target.join("bench-repos").join(format!("linear-{COMMITS}.git"));
    if dir.join("sextant-bench-ready").exists() {
        return dir;
    }
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("create bench repo dir");
    let started = Instant::now();
    git(&dir, &["init", "-q", "--bare"]);
    let mut child = Command::new("git")
        .arg("-C")
        .arg(&dir)
        .args(["fast-import", "--quiet"])
        .stdin(Stdio::piped())
        .spawn()
        .expect("git fast-import runs");
    {
        let stdin = child.stdin.take().expect("stdin");
        let mut w = std::io::BufWriter::new(stdin);
        write_stream(&mut w).expect("write fast-import stream");
    }
    assert!(
        child.wait().expect("fast-import finishes").success(),
        "git fast-import failed"
    );
    git(&dir, &["symbolic-ref", "HEAD", "refs/heads/main"]);
    git(&dir, &["commit-graph", "write", "--reachable"]);
    std::fs::write(dir.join("sextant-bench-ready"), b"").expect("mark ready");
    println!("generated in {:.1} s", started.elapsed().as_secs_f64());
    dir
}

/// A linear history touching one of 100 files per commit, with a merge of a one-commit side
/// branch every 500 commits (so parents and merges are walked too).
fn write_stream(w: &mut impl Write) -> std::io::Result<()> {
    let mut mark = 0usize;
    let mut main_tip = 0usize;
    let base_time = 1_600_000_000u64;
    for i in 0..COMMITS {
        let t = base_time + i as u64 * 60;
        let (who, email) = if i % 3 == 0 {
            ("Ada Lovelace", "ada")
        } else {
            ("Grace Hopper", "grace")
        };
        let msg = format!("change {i}: bump replicas in apps/app{}/deploy.yaml\n", i % 100);
        let is_merge = i > 0 && i % 500 == 0;
        let side = if is_merge {
            // A side-branch commit forking from the current tip.
            mark += 1;
            let side_msg = format!("side work {i}\n");
            writeln!(w, "commit refs/heads/side\nmark :{mark}")?;
            writeln!(w, "author {who} <{email}@example.com> {} +0000", t - 30)?;
            writeln!(w, "committer {who} <{email}@example.com> {} +0000", t - 30)?;
            write!(w, "data {}\n{side_msg}", side_msg.len())?;
            writeln!(w, "from :{main_tip}")?;
            let body = format!("side: {i}\n");
            write!(w, "M 644 inline side.txt\ndata {}\n{body}\n", body.len())?;
            Some(mark)
        } else {
            None
        };
        mark += 1;
        writeln!(w, "commit refs/heads/main\nmark :{mark}")?;
        writeln!(w, "author {who} <{email}@example.com> {t} +0000")?;
        writeln!(w, "committer {who} <{email}@example.com> {t} +0000")?;
        write!(w, "data {}\n{msg}", msg.len())?;
        if main_tip > 0 {
            writeln!(w, "from :{main_tip}")?;
        }
        if let Some(side) = side {
            writeln!(w, "merge :{side}")?;
        }
        let body = format!("replicas: {i}\n");
        write!(
            w,
            "M 644 inline apps/app{}/deploy.yaml\ndata {}\n{body}\n",
            i % 100,
            body.len()
        )?;
        main_tip = mark;
    }
    w.flush()
}

fn git(dir: &Path, args: &[&str]) {
    let status = Command::new("git")
        .arg("-C")
        .arg(dir)
        .args(args)
        .status()
        .expect("git runs");
    assert!(status.success(), "git {args:?} failed");
}
