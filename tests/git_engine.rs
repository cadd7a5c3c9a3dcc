//! The Git engine on real repositories made with the git CLI.

mod git_common;

use git_common::{TestRepo, git_in};
use sextant::diff::{DiffLimits, FileDiff};
use sextant::git::{
    BlobContent, ChangeKind, EntryKind, GitError, GitRepo, HeadState, LogEnd, LogFilter, clone_or_fetch,
};

fn all_commits(
    repo: &GitRepo,
    rev: Option<&str>,
    filter: Option<LogFilter>,
) -> (Vec<String>, Option<LogEnd>) {
    let mut cursor = repo.log(rev, filter).expect("log");
    let mut out = Vec::new();
    loop {
        let page = cursor.next_page(2).expect("page");
        out.extend(page.commits.into_iter().map(|c| c.summary));
        if page.end.is_some() {
            return (out, page.end);
        }
    }
}

#[test]
fn merge_log_order_and_parents() {
    let mut r = TestRepo::new();
    r.write("a.txt", "a\n");
    r.commit("root");
    r.git(&["checkout", "-q", "-b", "feature"]);
    r.write("f.txt", "f\n");
    let feature = r.commit("feature work");
    r.git(&["checkout", "-q", "main"]);
    r.write("b.txt", "b\n");
    let main_tip = r.commit("main work");
    r.tick();
    r.git(&["merge", "-q", "--no-ff", "-m", "merge feature", "feature"]);
    let repo = GitRepo::discover(r.path()).unwrap();
    let (log, end) = all_commits(&repo, None, None);
    assert_eq!(log, ["merge feature", "main work", "feature work", "root"]);
    assert_eq!(end, Some(LogEnd::Complete));
    let mut cursor = repo.log(None, None).unwrap();
    let merge = &cursor.next_page(1).unwrap().commits[0];
    assert_eq!(merge.parents, [main_tip, feature]);
    assert_eq!(merge.author.name, "Ada Lovelace");
    assert_eq!(merge.short_sha, merge.sha[..7]);
    // Branches: local ones, the current one marked.
    let branches = repo.branches().unwrap();
    let names: Vec<_> = branches.iter().map(|b| (b.name.as_str(), b.is_head)).collect();
    assert_eq!(names, [("feature", false), ("main", true)]);
    assert!(matches!(repo.head().unwrap(), HeadState::Branch { name, .. } if name == "main"));
    // A branch as the start of the log.
    assert_eq!(
        all_commits(&repo, Some("feature"), None).0,
        ["feature work", "root"]
    );
}

#[test]
fn pages_are_lazy_and_resume() {
    let mut r = TestRepo::new();
    for i in 0..5 {
        r.commit(&format!("c{i}"));
    }
    let repo = GitRepo::discover(r.path()).unwrap();
    let mut cursor = repo.log(None, None).unwrap();
    let first = cursor.next_page(2).unwrap();
    assert_eq!(first.commits.len(), 2);
    assert_eq!(first.end, None);
    assert_eq!(first.commits[0].summary, "c4");
    let rest = cursor.next_page(10).unwrap();
    assert_eq!(
        rest.commits
            .iter()
            .map(|c| c.summary.as_str())
            .collect::<Vec<_>>(),
        ["c2", "c1", "c0"]
    );
    assert_eq!(rest.end, Some(LogEnd::Complete));
    assert!(cursor.is_done());
    assert!(cursor.next_page(10).unwrap().commits.is_empty());
    // Shas only, sharing the position with pages.
    let mut cursor = repo.log(None, None).unwrap();
    assert_eq!(cursor.next_page(1).unwrap().commits[0].summary, "c4");
    let shas = cursor.next_shas(100).unwrap();
    assert_eq!(shas.len(), 4);
    assert_eq!(shas[3], r.git(&["rev-list", "--max-parents=0", "HEAD"]));
    assert!(cursor.is_done());
}

#[test]
fn rename_is_detected_with_counts() {
    let mut r = TestRepo::new();
    let body: String = (1..=20).map(|i| format!("line {i}\n")).collect();
    r.write("apps/old.yaml", &body);
    r.commit("add");
    r.git(&["mv", "apps/old.yaml", "apps/new.yaml"]);
    r.write(
        "apps/new.yaml",
        body.replace("line 7\n", "line seven\n") + "line 21\n",
    );
    r.commit("rename and edit");
    let repo = GitRepo::discover(r.path()).unwrap();
    let detail = repo.commit_detail("HEAD").unwrap();
    assert_eq!(detail.files.len(), 1, "{:?}", detail.files);
    let f = &detail.files[0];
    assert_eq!(f.kind, ChangeKind::Renamed);
    assert_eq!(f.path, "apps/new.yaml");
    assert_eq!(f.old_path.as_deref(), Some("apps/old.yaml"));
    assert_eq!((f.additions, f.deletions), (2, 1));
    let FileDiff::Text(d) = repo.file_diff(f, &DiffLimits::default()).unwrap() else {
        panic!("text diff")
    };
    assert_eq!((d.additions, d.deletions), (2, 1));
    assert_eq!(detail.base.as_deref(), Some(detail.commit.parents[0].as_str()));
}

#[test]
fn added_modified_deleted_and_root_commit() {
    let mut r = TestRepo::new();
    r.write("keep.txt", "1\n2\n");
    r.write("gone.txt", "bye\n");
    let root = r.commit("root");
    r.write("keep.txt", "1\n2\n3\n");
    std::fs::remove_file(r.path().join("gone.txt")).unwrap();
    r.write("dir/new.txt", "hello\n");
    r.commit("change");
    let repo = GitRepo::discover(r.path()).unwrap();
    let d = repo.commit_detail("HEAD").unwrap();
    let files: Vec<_> = d
        .files
        .iter()
        .map(|f| (f.kind, f.path.as_str(), f.additions, f.deletions))
        .collect();
    assert_eq!(
        files,
        [
            (ChangeKind::Added, "dir/new.txt", 1, 0),
            (ChangeKind::Deleted, "gone.txt", 0, 1),
            (ChangeKind::Modified, "keep.txt", 1, 0),
        ]
    );
    let root_detail = repo.commit_detail(&root).unwrap();
    assert_eq!(root_detail.base, None);
    assert!(root_detail.files.iter().all(|f| f.kind == ChangeKind::Added));
    assert_eq!(root_detail.message.trim(), "root");
}

#[test]
fn binary_file_is_reported_with_its_size() {
    let mut r = TestRepo::new();
    let data: Vec<u8> = (0..=255u8).cycle().take(1000).collect();
    r.write("logo.png", &data);
    r.commit("binary");
    let repo = GitRepo::discover(r.path()).unwrap();
    let d = repo.commit_detail("HEAD").unwrap();
    let f = &d.files[0];
    assert!(f.binary);
    assert_eq!(f.new_size, 1000);
    let diff = repo.file_diff(f, &DiffLimits::default()).unwrap();
    assert_eq!(diff.notice().as_deref(), Some("binary, 1000 bytes"));
    assert_eq!(
        repo.read_blob("HEAD", "logo.png").unwrap(),
        BlobContent::Binary { size: 1000 }
    );
}

#[test]
fn empty_repository_opens_and_reports_empty() {
    let r = TestRepo::new();
    let repo = GitRepo::discover(r.path()).unwrap();
    assert!(matches!(repo.head().unwrap(), HeadState::Unborn { name } if name == "main"));
    assert!(repo.summary().unwrap().is_empty);
    let page = repo.log(None, None).unwrap().next_page(100).unwrap();
    assert!(page.commits.is_empty());
    assert_eq!(page.end, Some(LogEnd::Empty));
    assert!(repo.branches().unwrap().is_empty());
    assert!(repo.empty_error().to_string().contains("no commits yet"));
    assert!(matches!(
        repo.commit_detail("HEAD"),
        Err(GitError::UnknownRevision { .. })
    ));
}

#[test]
fn detached_head_works_and_is_named() {
    let mut r = TestRepo::new();
    let first = r.commit("one");
    r.commit("two");
    r.git(&["checkout", "-q", "--detach", "HEAD~1"]);
    let repo = GitRepo::discover(r.path()).unwrap();
    let head = repo.head().unwrap();
    assert_eq!(head, HeadState::Detached { sha: first.clone() });
    assert_eq!(head.label(), format!("detached at {}", &first[..7]));
    assert_eq!(all_commits(&repo, None, None).0, ["one"]);
}

#[test]
fn shallow_clone_log_stops_at_the_boundary() {
    let mut origin = TestRepo::new();
    for i in 0..5 {
        origin.write("f.txt", format!("{i}\n"));
        origin.commit(&format!("c{i}"));
    }
    let dest = tempfile::tempdir().unwrap();
    git_in(
        dest.path(),
        &["clone", "-q", "--depth", "2", &origin.url(), "shallow"],
        1_700_000_000,
    );
    let repo = GitRepo::discover(&dest.path().join("shallow")).unwrap();
    assert!(repo.is_shallow());
    let mut cursor = repo.log(None, None).unwrap();
    let page = cursor.next_page(100).unwrap();
    let names: Vec<_> = page.commits.iter().map(|c| c.summary.as_str()).collect();
    assert_eq!(names, ["c4", "c3"]);
    assert_eq!(page.end, Some(LogEnd::ShallowBoundary));
    assert!(page.commits[1].shallow_boundary);
    assert!(!page.commits[0].shallow_boundary);
    // The newest commit's diff against its (present) parent works.
    assert_eq!(repo.commit_detail("HEAD").unwrap().files.len(), 1);
    // The boundary commit's parent is not here: a clear error, not a missing-object panic.
    let err = repo.commit_detail("HEAD~1").unwrap_err();
    assert!(matches!(err, GitError::ShallowBoundary { .. }), "{err:?}");
}

#[test]
fn missing_object_is_named() {
    let mut r = TestRepo::new();
    r.write("a.txt", "a\n");
    let root = r.commit("root");
    r.write("a.txt", "b\n");
    r.commit("second");
    r.commit("third");
    std::fs::remove_file(r.loose_object(&root)).unwrap();
    let repo = GitRepo::discover(r.path()).unwrap();
    let mut cursor = repo.log(None, None).unwrap();
    let err = loop {
        match cursor.next_page(1) {
            Ok(page) => assert!(page.end.is_none(), "the walk must not end quietly"),
            Err(e) => break e,
        }
    };
    match &err {
        GitError::MissingObject { id, .. } => assert_eq!(id, &root),
        other => panic!("expected MissingObject, got {other:?}"),
    }
    assert!(err.to_string().contains(&root));
    // A missing blob fails the detail, naming the blob.
    let mut r = TestRepo::new();
    r.write("a.txt", "a\n");
    r.commit("root");
    r.write("a.txt", "b\n");
    r.commit("second");
    let blob = r.git(&["rev-parse", "HEAD:a.txt"]);
    std::fs::remove_file(r.loose_object(&blob)).unwrap();
    let repo = GitRepo::discover(r.path()).unwrap();
    match repo.commit_detail("HEAD") {
        Err(GitError::MissingObject { id, .. }) => assert_eq!(id, blob),
        other => panic!("expected MissingObject, got {other:?}"),
    }
}

#[test]
fn not_a_repository_is_a_clear_error() {
    let dir = tempfile::tempdir().unwrap();
    let err = GitRepo::discover(dir.path()).unwrap_err();
    assert!(matches!(err, GitError::NotARepository { .. }), "{err:?}");
    assert!(err.to_string().contains("not inside a Git repository"));
}

#[test]
fn clone_into_cache_then_fetch_picks_up_new_commits() {
    let mut origin = TestRepo::new();
    origin.write("a.txt", "a\n");
    origin.commit("first");
    let cache = tempfile::tempdir().unwrap();
    let dest = cache.path().join("repos/origin");
    let repo = clone_or_fetch(&origin.url(), &dest, &|_| {}).unwrap();
    assert_eq!(all_commits(&repo, None, None).0, ["first"]);
    assert_eq!(repo.url(), Some(origin.url().as_str()));
    origin.write("a.txt", "b\n");
    origin.commit("second");
    let again = clone_or_fetch(&origin.url(), &dest, &|_| {}).unwrap();
    assert_eq!(all_commits(&again, None, None).0, ["second", "first"]);
    assert_eq!(
        again.branches().unwrap().iter().filter(|b| !b.is_remote).count(),
        1
    );
    assert_eq!(again.stale(), None);
    // The remote disappears: the cached clone still opens, marked stale.
    let url = origin.url();
    drop(origin);
    let offline = clone_or_fetch(&url, &dest, &|_| {}).unwrap();
    assert!(
        offline.stale().is_some_and(|why| why.contains("cannot reach")),
        "{:?}",
        offline.stale()
    );
    assert_eq!(all_commits(&offline, None, None).0, ["second", "first"]);
}

#[test]
fn unreachable_url_is_a_clear_error() {
    let cache = tempfile::tempdir().unwrap();
    let missing = cache.path().join("no-such-repo");
    let url = format!("file://{}", missing.display());
    let err = clone_or_fetch(&url, &cache.path().join("c1"), &|_| {}).unwrap_err();
    assert!(matches!(err, GitError::Unreachable { .. }), "{err:?}");
    assert!(err.to_string().contains("no-such-repo"));
    // A refused TCP connection, and credentials never echoed.
    let err = clone_or_fetch(
        "http://user:hunter2@127.0.0.1:9/x.git",
        &cache.path().join("c2"),
        &|_| {},
    )
    .unwrap_err();
    assert!(matches!(err, GitError::Unreachable { .. }), "{err:?}");
    assert!(!err.to_string().contains("hunter2"), "{err}");
}

#[test]
fn filter_matches_message_author_and_sha() {
    let mut r = TestRepo::new();
    r.commit("bump api to 1.4");
    let grace = r.commit_as("add worker", "Grace Hopper", "grace@navy.example");
    r.commit("Fix typo");
    let repo = GitRepo::discover(r.path()).unwrap();
    let by = |q: &str| all_commits(&repo, None, LogFilter::new(q)).0;
    assert_eq!(by("API"), ["bump api to 1.4"]);
    assert_eq!(by("hopper"), ["add worker"]);
    assert_eq!(by("navy.example"), ["add worker"]);
    assert_eq!(by(&grace[..8]), ["add worker"]);
    assert!(by("nothing-like-this").is_empty());
    assert!(LogFilter::new("  ").is_none());
}

#[test]
fn compare_two_commits() {
    let mut r = TestRepo::new();
    r.write("a.txt", "1\n");
    let a = r.commit("a");
    r.write("b.txt", "2\n");
    r.commit("b");
    r.write("a.txt", "1\n1b\n");
    let c = r.commit("c");
    let repo = GitRepo::discover(r.path()).unwrap();
    let cmp = repo.compare(&a, &c).unwrap();
    assert_eq!(cmp.base.as_deref(), Some(a.as_str()));
    assert_eq!(cmp.commit.sha, c);
    let files: Vec<_> = cmp.files.iter().map(|f| (f.kind, f.path.as_str())).collect();
    assert_eq!(
        files,
        [(ChangeKind::Modified, "a.txt"), (ChangeKind::Added, "b.txt")]
    );
    // Reversed: the file added in between is now deleted.
    let back = repo.compare(&c, &a).unwrap();
    assert!(
        back.files
            .iter()
            .any(|f| f.kind == ChangeKind::Deleted && f.path == "b.txt")
    );
    assert!(matches!(repo.compare("nope", &a), Err(GitError::UnknownRevision { rev, .. }) if rev == "nope"));
}

#[test]
fn tree_listing_and_blob_read() {
    let mut r = TestRepo::new();
    r.write("README.md", "# hi\n");
    r.write("apps/guestbook/deploy.yaml", "kind: Deployment\n");
    r.write("apps/guestbook/svc.yaml", "kind: Service\n");
    r.write("zz/x.txt", "x\n");
    r.commit("tree");
    let repo = GitRepo::discover(r.path()).unwrap();
    let root = repo.tree_entries("HEAD", "").unwrap();
    let names: Vec<_> = root.iter().map(|e| (e.name.as_str(), e.kind)).collect();
    assert_eq!(
        names,
        [
            ("apps", EntryKind::Dir),
            ("zz", EntryKind::Dir),
            ("README.md", EntryKind::File)
        ]
    );
    let sub = repo.tree_entries("main", "apps/guestbook").unwrap();
    assert_eq!(
        sub.iter().map(|e| e.path.as_str()).collect::<Vec<_>>(),
        ["apps/guestbook/deploy.yaml", "apps/guestbook/svc.yaml"]
    );
    assert_eq!(
        repo.read_blob("HEAD", "apps/guestbook/svc.yaml").unwrap(),
        BlobContent::Text("kind: Service\n".into())
    );
    assert!(matches!(
        repo.read_blob("HEAD", "nope.yaml"),
        Err(GitError::NoSuchPath { .. })
    ));
    assert!(matches!(
        repo.tree_entries("HEAD", "README.md"),
        Err(GitError::NoSuchPath { .. })
    ));
}

#[test]
fn ten_megabyte_diff_is_truncated() {
    let mut r = TestRepo::new();
    let big: String = (0..400_000).map(|i| format!("line {i:08}\n")).collect();
    assert!(big.len() >= 5_000_000);
    r.write("big.txt", &big);
    r.commit("big");
    r.write("big.txt", big.replace("line 00000010\n", "changed\n") + &big);
    r.commit("bigger");
    let repo = GitRepo::discover(r.path()).unwrap();
    let detail = repo.commit_detail("HEAD").unwrap();
    let f = &detail.files[0];
    assert!(f.new_size >= 10_000_000);
    assert!(f.truncated);
    let diff = repo.file_diff(f, &DiffLimits::default()).unwrap();
    let FileDiff::Text(t) = &diff else {
        panic!("text expected")
    };
    assert!(t.truncated.is_some());
    assert!(diff.notice().unwrap().contains("showing the diff of the first"));
    assert_eq!(t.deletions, 1);
}

#[test]
fn repo_handles_cross_threads() {
    fn assert_send<T: Send>() {}
    fn assert_send_sync<T: Send + Sync>() {}
    assert_send_sync::<GitRepo>();
    assert_send::<sextant::git::LogCursor>();
}

#[test]
fn distance_counts_both_sides_like_rev_list() {
    let mut r = TestRepo::new();
    r.write("a.txt", "a\n");
    let root = r.commit("root");
    r.write("a.txt", "b\n");
    let deployed = r.commit("deployed");
    for n in 0..3 {
        r.write("a.txt", format!("main {n}\n"));
        r.commit(&format!("main {n}"));
    }
    r.git(&["checkout", "-q", "-b", "hotfix", &deployed]);
    r.write("hot.txt", "x\n");
    let hotfix = r.commit("hotfix off the branch");
    r.git(&["checkout", "-q", "main"]);
    let repo = GitRepo::discover(r.path()).unwrap();
    let d = repo.distance(&deployed, "main").unwrap();
    assert_eq!((d.behind, d.ahead), (3, 0));
    assert_eq!(repo.distance("main", "main").unwrap().behind, 0);
    // The peer agrees: git rev-list --left-right --count base...target.
    let peer = r.git(&["rev-list", "--left-right", "--count", &format!("{hotfix}...main")]);
    let d = repo.distance(&hotfix, "main").unwrap();
    assert_eq!(
        peer.split_whitespace().collect::<Vec<_>>(),
        [d.ahead.to_string(), d.behind.to_string()]
    );
    assert_eq!((d.behind, d.ahead), (3, 1));
    assert_eq!(repo.distance("main", &root).unwrap().ahead, 4);
    let err = repo
        .distance("0000000000000000000000000000000000000001", "main")
        .unwrap_err();
    assert!(matches!(err, GitError::UnknownRevision { .. }), "{err}");
}
