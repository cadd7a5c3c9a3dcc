//! Reverts in memory, checked against what `git revert` makes on a scratch clone, and against
//! the user's worktree, index and refs, which must come out untouched.

mod git_common;

use git_common::{TestRepo, git_in};
use sextant::diff::{DiffLimits, FileDiff, LineKind};
use sextant::gate::{Action, Gate, Permit};
use sextant::git::{GitRepo, RevertError, RevertOutcome, RevertSpec};
use std::path::Path;

/// A repo with an identity and three files over a few commits: returns (repo, shas oldest first).
fn history() -> (TestRepo, Vec<String>) {
    let mut r = TestRepo::new();
    r.set_identity();
    let mut shas = Vec::new();
    r.write("apps/api/deploy.yaml", "replicas: 3\nimage: api:1.3\n");
    r.write("apps/web/deploy.yaml", "replicas: 2\n");
    shas.push(r.commit("deploy 1.3"));
    r.write("apps/api/deploy.yaml", "replicas: 3\nimage: api:1.4\n");
    shas.push(r.commit("bump api to 1.4"));
    r.write("apps/worker/deploy.yaml", "replicas: 1\n");
    shas.push(r.commit("add worker"));
    r.write("apps/web/deploy.yaml", "replicas: 5\n");
    shas.push(r.commit("scale web"));
    (r, shas)
}

/// The tree id `git revert --no-edit <args>` makes on a fresh clone, and its message.
fn git_revert_tree(r: &TestRepo, args: &[&str]) -> (String, String) {
    let clone = tempfile::tempdir().expect("temp dir");
    let dest = clone.path().join("c");
    git_in(
        clone.path(),
        &["clone", "-q", &r.path().display().to_string(), "c"],
        1_700_100_000,
    );
    let mut full = vec!["revert", "--no-edit"];
    full.extend_from_slice(args);
    git_in(&dest, &full, 1_700_100_000);
    (
        git_in(&dest, &["rev-parse", "HEAD^{tree}"], 0),
        git_in(&dest, &["log", "-1", "--format=%B"], 0),
    )
}

/// Everything a revert must leave alone: worktree bytes, status, the index file, refs and objects.
#[derive(Debug, PartialEq)]
struct Untouched {
    status: String,
    index: Vec<u8>,
    refs: String,
    head: String,
    objects: String,
    dirty: Vec<u8>,
    staged: Vec<u8>,
}

fn untouched(r: &TestRepo) -> Untouched {
    Untouched {
        status: r.git(&["status", "--porcelain=v2", "--untracked-files=all"]),
        index: std::fs::read(r.path().join(".git/index")).expect("index"),
        refs: r.git(&["for-each-ref", "--format=%(refname) %(objectname)"]),
        head: std::fs::read_to_string(r.path().join(".git/HEAD")).expect("HEAD"),
        objects: r.git(&["count-objects", "-v"]),
        dirty: std::fs::read(r.path().join("apps/api/deploy.yaml")).expect("dirty file"),
        staged: std::fs::read(r.path().join("apps/web/deploy.yaml")).expect("staged file"),
    }
}

/// A modified file in the worktree and a staged change: both must survive.
fn make_dirty(r: &TestRepo) {
    r.write(
        "apps/api/deploy.yaml",
        "replicas: 3\nimage: api:1.4\n# local edit\n",
    );
    r.write("apps/web/deploy.yaml", "replicas: 5\n# staged edit\n");
    r.git(&["add", "apps/web/deploy.yaml"]);
    r.write("notes.txt", "untracked\n");
}

fn tree_of(r: &TestRepo, rev: &str) -> String {
    r.git(&["rev-parse", &format!("{rev}^{{tree}}")])
}

fn open(r: &TestRepo) -> GitRepo {
    GitRepo::open(r.path()).expect("open")
}

/// The gate's permit to commit a revert branch in `repo`.
fn permit(repo: &GitRepo) -> Permit {
    Gate::default()
        .permit(Action::Revert, &repo.revert_target(), None)
        .expect("a writable gate permits")
}

/// Plan and create, with a permit.
fn revert(repo: &GitRepo, spec: &RevertSpec) -> Result<RevertOutcome, RevertError> {
    repo.revert(&permit(repo), spec)
}

#[test]
fn revert_matches_git_and_leaves_the_worktree_alone() {
    let (r, shas) = history();
    make_dirty(&r);
    let before = untouched(&r);
    let repo = open(&r);

    let plan = repo.plan_revert(&RevertSpec::commit(&shas[1])).expect("plan");
    assert_eq!(untouched(&r), before, "planning writes nothing at all");
    let short = &shas[1][..7];
    assert_eq!(plan.branch, format!("sextant/revert-{short}"));
    assert_eq!(plan.onto, "main");
    assert_eq!(plan.head, shas[3]);
    assert_eq!(plan.files.len(), 1);
    assert_eq!(plan.files[0].path, "apps/api/deploy.yaml");
    assert_eq!((plan.files[0].additions, plan.files[0].deletions), (1, 1));
    assert_eq!(plan.reverted.len(), 1);
    assert_eq!(plan.reverted[0].sha, shas[1]);

    let out = repo.create_revert(&permit(&repo), &plan).expect("create");
    assert!(!out.reused);
    let (git_tree, git_message) = git_revert_tree(&r, &[&shas[1]]);
    assert_eq!(tree_of(&r, &out.commit), git_tree, "same tree as git revert");
    assert_eq!(
        r.git(&["log", "-1", "--format=%B", &out.commit]),
        git_message,
        "same message"
    );
    assert_eq!(
        r.git(&["log", "-1", "--format=%an <%ae>|%cn <%ce>|%P", &out.commit]),
        format!(
            "Grace Hopper <grace@example.com>|Grace Hopper <grace@example.com>|{}",
            shas[3]
        )
    );
    assert_eq!(r.git(&["rev-parse", &plan.branch]), out.commit);

    let after = untouched(&r);
    assert_eq!(after.status, before.status);
    assert_eq!(
        after.index, before.index,
        "the index file is byte-for-byte the same"
    );
    assert_eq!(after.head, before.head);
    assert_eq!(after.dirty, before.dirty);
    assert_eq!(after.staged, before.staged);
    assert_eq!(
        after.refs,
        format!("{}\nrefs/heads/{} {}", before.refs, plan.branch, out.commit),
        "only the new branch was added"
    );
    r.git(&["fsck", "--strict", "--no-dangling"]);
}

#[test]
fn reverting_a_revert_reapplies_as_git_does() {
    let (mut r, shas) = history();
    r.git(&["revert", "--no-edit", &shas[2]]);
    r.tick();
    let revert_sha = r.git(&["rev-parse", "HEAD"]);
    let out = revert(&open(&r), &RevertSpec::commit(&revert_sha)).expect("revert");
    let (git_tree, git_message) = git_revert_tree(&r, &[&revert_sha]);
    assert_eq!(tree_of(&r, &out.commit), git_tree);
    assert_eq!(out.plan.title(), "Reapply \"add worker\"");
    assert_eq!(out.plan.message.trim_end(), git_message.trim_end());
}

#[test]
fn conflict_lists_the_files_and_changes_nothing() {
    let (mut r, shas) = history();
    r.write("apps/api/deploy.yaml", "replicas: 4\nimage: api:1.5\n");
    r.commit("bump api to 1.5");
    make_dirty(&r);
    let before = untouched(&r);
    let err = revert(&open(&r), &RevertSpec::commit(&shas[1])).unwrap_err();
    match &err {
        RevertError::Conflict { files, branch, .. } => {
            assert_eq!(files, &["apps/api/deploy.yaml"]);
            assert_eq!(branch, "main");
        }
        other => panic!("expected a conflict, got {other}"),
    }
    assert!(err.to_string().contains("nothing was changed"), "{err}");
    assert_eq!(untouched(&r), before, "no ref, no object, no file changed");
}

/// main: base - m1 - merge(m1, f2); feature: base - f1 - f2.
fn merge_history() -> (TestRepo, String) {
    let mut r = TestRepo::new();
    r.set_identity();
    r.write("a.yaml", "a: 1\n");
    r.write("b.yaml", "b: 1\n");
    r.commit("base");
    r.git(&["switch", "-q", "-c", "feature"]);
    r.write("b.yaml", "b: 2\n");
    r.commit("f1");
    r.write("c.yaml", "c: 1\n");
    r.commit("f2");
    r.git(&["switch", "-q", "main"]);
    r.write("a.yaml", "a: 2\n");
    r.commit("m1");
    r.tick();
    r.git(&["merge", "-q", "--no-ff", "--no-edit", "feature"]);
    let merge = r.git(&["rev-parse", "HEAD"]);
    (r, merge)
}

#[test]
fn merge_reverts_match_git_revert_m() {
    let (r, merge) = merge_history();
    let repo = open(&r);
    for mainline in [1usize, 2] {
        let plan = repo
            .plan_revert(&RevertSpec::merge(&merge, mainline))
            .expect("plan");
        let m = mainline.to_string();
        let (git_tree, git_message) = git_revert_tree(&r, &["-m", &m, &merge]);
        assert_eq!(plan.tree, git_tree, "-m {mainline}");
        assert_eq!(plan.message.trim_end(), git_message.trim_end(), "-m {mainline}");
    }
    let out = revert(&repo, &RevertSpec::merge(&merge, 1)).expect("revert");
    assert_eq!(out.plan.files.len(), 2, "b.yaml and c.yaml go back");
}

#[test]
fn merge_without_mainline_names_the_parents() {
    let (r, merge) = merge_history();
    let before = untouched_refs(&r);
    let err = open(&r).plan_revert(&RevertSpec::commit(&merge)).unwrap_err();
    let RevertError::MergeNeedsMainline { parents, .. } = &err else {
        panic!("expected a mainline question, got {err}");
    };
    let names: Vec<&str> = parents.iter().map(|p| p.summary.as_str()).collect();
    assert_eq!(names, ["m1", "f2"]);
    assert!(err.to_string().contains("-m 1"), "{err}");
    let err = open(&r).plan_revert(&RevertSpec::merge(&merge, 3)).unwrap_err();
    assert!(matches!(err, RevertError::NoSuchParent { count: 2, .. }), "{err}");
    let plain = r.git(&["rev-parse", "HEAD^1"]);
    let err = open(&r).plan_revert(&RevertSpec::merge(&plain, 1)).unwrap_err();
    assert!(matches!(err, RevertError::NotAMerge { .. }), "{err}");
    assert_eq!(untouched_refs(&r), before);
}

fn untouched_refs(r: &TestRepo) -> String {
    r.git(&["for-each-ref", "--format=%(refname) %(objectname)"])
}

#[test]
fn range_equals_reverting_each_in_turn() {
    let (r, shas) = history();
    let out = revert(&open(&r), &RevertSpec::since(&shas[0])).expect("revert");
    let range = format!("{}..HEAD", shas[0]);
    let (git_tree, _) = git_revert_tree(&r, &[&range]);
    assert_eq!(
        tree_of(&r, &out.commit),
        git_tree,
        "one commit, same tree as three git reverts"
    );
    assert_eq!(
        tree_of(&r, &out.commit),
        tree_of(&r, &shas[0]),
        "back to the deployed revision"
    );
    let short = &shas[0][..7];
    assert_eq!(out.plan.branch, format!("sextant/revert-since-{short}"));
    assert_eq!(out.plan.title(), format!("Revert 3 commits since {short}"));
    let reverted: Vec<&str> = out.plan.reverted.iter().map(|c| c.summary.as_str()).collect();
    assert_eq!(
        reverted,
        ["scale web", "add worker", "bump api to 1.4"],
        "newest first"
    );
    for sha in &shas[1..] {
        assert!(out.plan.message.contains(&format!("This reverts commit {sha}.")));
    }
    assert_eq!(
        r.git(&["rev-list", "--count", &format!("main..{}", out.commit)]),
        "1"
    );
}

#[test]
fn range_over_a_merge_undoes_the_merged_branch_once() {
    let (r, merge) = merge_history();
    let base = r.git(&["rev-parse", "main~2"]);
    let out = revert(&open(&r), &RevertSpec::since(&base)).expect("revert");
    assert_eq!(tree_of(&r, &out.commit), tree_of(&r, &base));
    let reverted: Vec<&str> = out.plan.reverted.iter().map(|c| c.sha.as_str()).collect();
    assert_eq!(
        reverted.len(),
        2,
        "the merge and m1, not the feature commits: {reverted:?}"
    );
    assert_eq!(reverted[0], merge);
    let off_line = r.git(&["rev-parse", "feature~1"]);
    let err = open(&r).plan_revert(&RevertSpec::since(&off_line)).unwrap_err();
    assert!(matches!(err, RevertError::NotAnAncestor { .. }), "{err}");
}

#[test]
fn no_effect_when_already_reverted() {
    let (mut r, shas) = history();
    r.git(&["revert", "--no-edit", &shas[1]]);
    r.tick();
    let before = untouched_refs(&r);
    let err = open(&r).plan_revert(&RevertSpec::commit(&shas[1])).unwrap_err();
    assert!(matches!(err, RevertError::NoEffect { .. }), "{err}");
    assert!(err.to_string().contains("reverted already"), "{err}");
    let head = r.git(&["rev-parse", "HEAD"]);
    let err = open(&r).plan_revert(&RevertSpec::since(&head)).unwrap_err();
    assert!(matches!(err, RevertError::EmptyRange { .. }), "{err}");
    assert_eq!(untouched_refs(&r), before);
}

#[test]
fn unknown_commit_and_detached_head_are_refused() {
    let (r, shas) = history();
    let err = open(&r)
        .plan_revert(&RevertSpec::commit("0123456789abcdef0123456789abcdef01234567"))
        .unwrap_err();
    assert!(matches!(err, RevertError::NoSuchCommit { .. }), "{err}");
    assert!(err.to_string().contains("git fetch"), "{err}");
    let err = open(&r)
        .plan_revert(&RevertSpec::commit("no-such-branch"))
        .unwrap_err();
    assert!(matches!(err, RevertError::NoSuchCommit { .. }), "{err}");

    r.git(&["switch", "-q", "--detach", &shas[3]]);
    let before = untouched_refs(&r);
    let err = open(&r).plan_revert(&RevertSpec::commit(&shas[1])).unwrap_err();
    assert!(matches!(err, RevertError::DetachedHead { .. }), "{err}");
    assert!(err.to_string().contains("git switch"), "{err}");
    assert_eq!(untouched_refs(&r), before);
}

#[test]
fn an_existing_branch_is_reused_when_identical_else_suffixed() {
    let (mut r, shas) = history();
    let repo = open(&r);
    let first = revert(&repo, &RevertSpec::commit(&shas[1])).expect("first");
    let again = revert(&repo, &RevertSpec::commit(&shas[1])).expect("retry");
    assert!(again.reused, "a retry reuses the identical revert");
    assert_eq!(again.commit, first.commit);
    assert_eq!(again.plan.branch, first.plan.branch);

    r.write("other.yaml", "x: 1\n");
    r.commit("unrelated");
    let later = revert(&repo, &RevertSpec::commit(&shas[1])).expect("after main moved");
    assert!(!later.reused);
    assert_eq!(later.plan.branch, format!("{}-2", first.plan.branch));
    assert_eq!(
        r.git(&["rev-parse", &first.plan.branch]),
        first.commit,
        "the old branch is kept"
    );
}

#[test]
fn creating_refuses_when_the_branch_moved_since_the_plan() {
    let (mut r, shas) = history();
    let repo = open(&r);
    let plan = repo.plan_revert(&RevertSpec::commit(&shas[1])).expect("plan");
    r.write("other.yaml", "x: 1\n");
    r.commit("someone pushed");
    let before = untouched_refs(&r);
    let err = repo.create_revert(&permit(&repo), &plan).unwrap_err();
    assert!(matches!(err, RevertError::HeadMoved { .. }), "{err}");
    assert!(err.to_string().contains("preview the revert again"), "{err}");
    assert_eq!(untouched_refs(&r), before);
}

#[test]
fn root_commit_reverts_against_the_empty_tree() {
    let (r, shas) = history();
    let plan = open(&r).plan_revert(&RevertSpec::commit(&shas[0])).unwrap_err();
    // Later commits changed the root commit's files: git conflicts there too.
    assert!(matches!(plan, RevertError::Conflict { .. }), "{plan}");

    let mut solo = TestRepo::new();
    solo.set_identity();
    solo.write("a.yaml", "a: 1\n");
    let root = solo.commit("root");
    solo.write("b.yaml", "b: 1\n");
    solo.commit("second");
    let out = revert(&open(&solo), &RevertSpec::commit(&root)).expect("revert root");
    let (git_tree, _) = git_revert_tree(&solo, &[&root]);
    assert_eq!(tree_of(&solo, &out.commit), git_tree);
    assert!(
        Path::new(&solo.path().join("a.yaml")).exists(),
        "the worktree keeps its files"
    );
}

#[test]
fn a_merged_file_diffs_from_memory_before_creation() {
    let mut r = TestRepo::new();
    r.set_identity();
    let deploy = |replicas: u8, image: &str| {
        format!("replicas: {replicas}\nlabels:\n  app: api\n  tier: web\nports:\n  - 80\nimage: {image}\n")
    };
    r.write("deploy.yaml", deploy(3, "api:1.3"));
    r.commit("deploy 1.3");
    r.write("deploy.yaml", deploy(3, "api:1.4"));
    let bump = r.commit("bump api to 1.4");
    // HEAD changes another part of the same file: reverting needs a content merge.
    r.write("deploy.yaml", deploy(4, "api:1.4"));
    r.commit("scale api");
    let repo = open(&r);
    let plan = repo.plan_revert(&RevertSpec::commit(&bump)).expect("plan");
    let file = plan.files.iter().find(|f| f.path == "deploy.yaml").expect("file");
    let state = |r: &TestRepo| (untouched_refs(r), r.git(&["count-objects", "-v"]));
    let before = state(&r);
    let diff = repo
        .revert_file_diff(&plan, file, &DiffLimits::default())
        .expect("diff");
    let FileDiff::Text(diff) = &diff else {
        panic!("a text diff, got {diff:?}")
    };
    let removed: Vec<&str> = diff
        .lines
        .iter()
        .filter(|l| l.kind == LineKind::Removed)
        .map(|l| l.text.as_str())
        .collect();
    let added: Vec<&str> = diff
        .lines
        .iter()
        .filter(|l| l.kind == LineKind::Added)
        .map(|l| l.text.as_str())
        .collect();
    assert_eq!((removed, added), (vec!["image: api:1.4"], vec!["image: api:1.3"]));
    assert!(
        diff.lines.iter().any(|l| l.text == "replicas: 4"),
        "the merged content keeps HEAD's replicas"
    );
    assert_eq!(state(&r), before, "diffing the plan writes nothing");

    let out = repo.create_revert(&permit(&repo), &plan).expect("create");
    let (git_tree, _) = git_revert_tree(&r, &[&bump]);
    assert_eq!(
        tree_of(&r, &out.commit),
        git_tree,
        "the content merge matches git's"
    );
    r.git(&["fsck", "--strict", "--no-dangling"]);
}

#[test]
fn a_range_below_head_matches_git_revert() {
    let (r, shas) = history();
    let spec = RevertSpec::Range {
        base: shas[0].clone(),
        tip: shas[2].clone(),
    };
    let out = revert(&open(&r), &spec).expect("revert");
    let range = format!("{}..{}", shas[0], shas[2]);
    let (git_tree, _) = git_revert_tree(&r, &[&range]);
    assert_eq!(tree_of(&r, &out.commit), git_tree);
    let (a, b) = (&shas[0][..7], &shas[2][..7]);
    assert_eq!(out.plan.branch, format!("sextant/revert-{a}-to-{b}"));
    assert_eq!(out.plan.title(), format!("Revert 2 commits in {a}..{b}"));
}

#[test]
fn creating_needs_the_permit_for_this_repository() {
    let (r, shas) = history();
    let repo = open(&r);
    let plan = repo.plan_revert(&RevertSpec::commit(&shas[1])).expect("plan");
    let before = untouched_refs(&r);
    let gate = Gate::default();
    let push = gate
        .permit(
            Action::Push,
            &sextant::gate::Target::Remote("origin".into()),
            None,
        )
        .expect("permit");
    let err = repo.create_revert(&push, &plan).unwrap_err();
    assert!(matches!(err, RevertError::NotPermitted { .. }), "{err}");
    let elsewhere = gate
        .permit(
            Action::Revert,
            &sextant::gate::Target::Repository("/elsewhere".into()),
            None,
        )
        .expect("permit");
    assert!(repo.create_revert(&elsewhere, &plan).is_err());
    assert_eq!(untouched_refs(&r), before, "no branch without the permit");
}

#[test]
fn a_prepared_revert_is_previewable_by_id_and_becomes_the_branch() {
    let (r, shas) = history();
    make_dirty(&r);
    let before = untouched(&r);
    let repo = open(&r);
    let mut plan = repo.plan_revert(&RevertSpec::commit(&shas[1])).expect("plan");
    let id = repo.prepare_revert(&mut plan).expect("prepare");
    assert_eq!(plan.prepared.as_deref(), Some(id.as_str()));
    // An object a renderer can read by id, reachable from no ref.
    assert_eq!(r.git(&["cat-file", "-t", &id]), "commit");
    assert_eq!(tree_of(&r, &id), plan.tree);
    let after = untouched(&r);
    assert_eq!(
        (&after.status, &after.index, &after.refs, &after.head),
        (&before.status, &before.index, &before.refs, &before.head),
        "no ref, no index, no worktree change"
    );
    assert_eq!((&after.dirty, &after.staged), (&before.dirty, &before.staged));
    assert_ne!(after.objects, before.objects, "only objects were written");
    assert_eq!(
        repo.prepare_revert(&mut plan).expect("again"),
        id,
        "prepared once"
    );

    let out = repo.create_revert(&permit(&repo), &plan).expect("create");
    assert_eq!(out.commit, id, "the branch is put on the previewed commit");
    assert_eq!(r.git(&["rev-parse", &plan.branch]), id);
    let (git_tree, _) = git_revert_tree(&r, &[&shas[1]]);
    assert_eq!(tree_of(&r, &id), git_tree);
    r.git(&["fsck", "--strict", "--no-dangling"]);
}

#[test]
fn an_apps_commits_since_are_undone_and_the_others_stay() {
    let (mut r, mut shas) = history();
    r.write("apps/api/deploy.yaml", "replicas: 3\nimage: api:1.5\n");
    shas.push(r.commit("bump api to 1.5"));
    // api's own commits since the first: 1.4 and 1.5 (worker and web are other apps).
    let revs = vec![shas[4].clone(), shas[1].clone()];
    let spec = RevertSpec::app_since("api", &shas[0], revs);
    let out = revert(&open(&r), &spec).expect("revert");
    let file = |path: &str| r.git(&["show", &format!("{}:{path}", out.commit)]);
    assert_eq!(file("apps/api/deploy.yaml"), "replicas: 3\nimage: api:1.3");
    assert_eq!(file("apps/web/deploy.yaml"), "replicas: 5", "web's commit stays");
    assert_eq!(file("apps/worker/deploy.yaml"), "replicas: 1", "worker stays");
    let short = &shas[0][..7];
    assert_eq!(out.plan.branch, format!("sextant/revert-api-since-{short}"));
    assert_eq!(out.plan.title(), format!("Revert 2 commits of api since {short}"));
    let reverted: Vec<&str> = out.plan.reverted.iter().map(|c| c.summary.as_str()).collect();
    assert_eq!(reverted, ["bump api to 1.5", "bump api to 1.4"], "newest first");
    assert!(
        out.plan
            .message
            .contains(&format!("This reverts commit {}.", shas[1]))
    );
    // One commit of the app since: git's own message for it.
    let one = RevertSpec::app_since("api", &shas[1], vec![shas[4].clone()]);
    let plan = open(&r).plan_revert(&one).expect("plan");
    assert_eq!(plan.title(), "Revert \"bump api to 1.5\"");
    // Nothing of the app since: said, nothing written.
    let none = RevertSpec::app_since("api", &shas[4], Vec::new());
    let err = open(&r).plan_revert(&none).unwrap_err();
    assert!(matches!(err, RevertError::EmptyRange { .. }), "{err}");
}
