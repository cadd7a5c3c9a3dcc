//! `sextant log` through the real binary.

mod git_common;

use git_common::TestRepo;
use std::process::{Command, Output};

fn sextant(args: &[&str], cwd: &std::path::Path, home: &std::path::Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_sextant"))
        .args(args)
        .current_dir(cwd)
        .env("SEXTANT_HOME", home)
        .output()
        .expect("sextant runs")
}

fn sample() -> TestRepo {
    let mut r = TestRepo::new();
    r.write("a.txt", "a\n");
    r.commit("first commit");
    r.commit_as("second commit", "Grace Hopper", "grace@navy.example");
    r.commit("third commit");
    r
}

#[test]
fn text_output_one_line_per_commit() {
    let r = sample();
    let home = tempfile::tempdir().unwrap();
    let repo = r.path().to_str().unwrap();
    let out = sextant(&["log", "--repo", repo, "--max", "2"], home.path(), home.path());
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let text = String::from_utf8(out.stdout).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    let head = r.git(&["rev-parse", "--short=7", "HEAD"]);
    assert_eq!(lines.len(), 2);
    assert_eq!(lines[0], format!("{head} 2023-11-14 Ada Lovelace third commit"));
    assert!(
        lines[1].ends_with(" 2023-11-14 Grace Hopper second commit"),
        "{}",
        lines[1]
    );
}

#[test]
fn default_repo_is_the_one_holding_the_cwd() {
    let r = sample();
    let home = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(r.path().join("sub/dir")).unwrap();
    let out = sextant(&["log"], &r.path().join("sub/dir"), home.path());
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert_eq!(String::from_utf8(out.stdout).unwrap().lines().count(), 3);
}

#[test]
fn json_output_is_an_array_of_commits() {
    let r = sample();
    let home = tempfile::tempdir().unwrap();
    let out = sextant(
        &["log", "--repo", r.path().to_str().unwrap(), "--output", "json"],
        home.path(),
        home.path(),
    );
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("valid JSON");
    let commits = v.as_array().expect("array");
    assert_eq!(commits.len(), 3);
    assert_eq!(commits[0]["summary"], "third commit");
    assert_eq!(commits[1]["author"]["email"], "grace@navy.example");
    assert_eq!(commits[2]["parents"].as_array().unwrap().len(), 0);
    assert_eq!(commits[0]["sha"], r.git(&["rev-parse", "HEAD"]));
}

#[test]
fn branch_flag_starts_elsewhere() {
    let r = sample();
    r.git(&["branch", "old", "HEAD~2"]);
    let home = tempfile::tempdir().unwrap();
    let out = sextant(
        &["log", "--repo", r.path().to_str().unwrap(), "--branch", "old"],
        home.path(),
        home.path(),
    );
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    assert_eq!(text.lines().count(), 1);
    assert!(text.ends_with("first commit\n"));
}

fn assert_one_line_error(out: &Output, needle: &str) {
    assert_eq!(out.status.code(), Some(2), "exit code");
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(err.trim_end().lines().count(), 1, "one line: {err}");
    assert!(err.contains(needle), "{err}");
    assert!(out.stdout.is_empty());
}

#[test]
fn not_a_repository_exits_2_with_one_line() {
    let dir = tempfile::tempdir().unwrap();
    let out = sextant(
        &["log", "--repo", dir.path().to_str().unwrap()],
        dir.path(),
        dir.path(),
    );
    assert_one_line_error(&out, "is not inside a Git repository");
}

#[test]
fn empty_repository_and_bad_branch_exit_2() {
    let r = TestRepo::new();
    let home = tempfile::tempdir().unwrap();
    let out = sextant(
        &["log", "--repo", r.path().to_str().unwrap()],
        home.path(),
        home.path(),
    );
    assert_one_line_error(&out, "is empty: it has no commits yet");
    let r = sample();
    let out = sextant(
        &["log", "--repo", r.path().to_str().unwrap(), "--branch", "nope"],
        home.path(),
        home.path(),
    );
    assert_one_line_error(&out, "unknown revision `nope`");
}

#[test]
fn url_is_cloned_into_the_cache_dir() {
    let r = sample();
    let home = tempfile::tempdir().unwrap();
    let url = format!("file://{}", r.path().display());
    let out = sextant(&["log", "--repo", &url], home.path(), home.path());
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert_eq!(String::from_utf8(out.stdout).unwrap().lines().count(), 3);
    assert!(
        home.path()
            .join("cache/repos")
            .read_dir()
            .unwrap()
            .next()
            .is_some()
    );
}
