//! Argo CD and Flux on the sandbox: the real CRDs installed, objects as the operators' docs
//! shape them, the tests playing the controllers' part (`play_*_controller`), the real
//! `sextant` binary discovering, judging and acting through them, and the real `kubectl`
//! reading back exactly what Sextant wrote.

mod engine_env;
mod operators_support;

use engine_env::{Env, git, have_kubectl};
use operators_support::*;
use serde_json::{Value, json};
use sextant::gitops::audit::{AuditEntry, AuditLog};

const SEXTANT_YAML: &str = "\
apps:
  - name: settings
    path: apps/settings
    namespace: team
    clusters: [c1, c2]
";

/// c1 runs Argo CD's and Flux's CRDs with an Application `guestbook`, a Kustomization `web`
/// and an Application `lost` whose destination has no context; c2 serves Flux's
/// Kustomization only at v1beta2. The repo's origin is the URL the operators name.
async fn setup() -> (Env, String) {
    let env = Env::start(&["c1", "c2"]).await;
    env.copy_fixture("guestbook", "apps/guestbook");
    env.write("apps/settings/cm.yaml", engine_env::SETTINGS_CM);
    env.write(
        "apps/web/cm.yaml",
        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: web\ndata:\n  a: b\n",
    );
    env.write("sextant.yaml", SEXTANT_YAML);
    env.commit("platform");
    git(&env.repo, &["remote", "add", "origin", REPO_URL]);
    let head = String::from_utf8(
        std::process::Command::new("git")
            .args(["rev-parse", "HEAD"])
            .current_dir(&env.repo)
            .output()
            .expect("git")
            .stdout,
    )
    .expect("utf8")
    .trim()
    .to_string();
    for ns in ["argocd", "flux-system", "guestbook", "web", "team"] {
        env.kubectl_ok("c1", &["create", "namespace", ns]).await;
    }
    install_crds(&env, "c1", false).await;
    let in_cluster = json!({"server": "https://kubernetes.default.svc", "namespace": "guestbook"});
    apply(
        &env,
        "c1",
        &application("guestbook", "apps/guestbook", in_cluster, true),
        "argocd-server",
    )
    .await;
    let nowhere = json!({"name": "nowhere", "namespace": "guestbook"});
    apply(
        &env,
        "c1",
        &application("lost", "apps/guestbook", nowhere, false),
        "argocd-server",
    )
    .await;
    let (repo, ks) = flux_pair("web", "./apps/web", "web");
    apply(&env, "c1", &repo, "flux").await;
    apply(&env, "c1", &ks, "flux").await;
    play_argocd_controller_status(&env, "c1", "guestbook", "Synced", &head).await;
    play_flux_controller_ready(&env, "c1", "web", &format!("main@sha1:{head}"), None).await;
    // c2: Flux's Kustomization CRD of another version than Sextant reads.
    let crd = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures/operators/flux/kustomize.toolkit.fluxcd.io_kustomizations.yaml"),
    )
    .expect("crd");
    assert_eq!(
        crd.matches("\n    name: v1\n").count(),
        1,
        "one served version in the fixture"
    );
    env.write(
        "../old-crd.yaml",
        &crd.replace("\n    name: v1\n", "\n    name: v1beta2\n"),
    );
    let old = env.tmp.path().join("old-crd.yaml").display().to_string();
    env.kubectl_ok("c2", &["apply", "--server-side", "-f", &old])
        .await;
    (env, head)
}

async fn status_json(env: &Env) -> Value {
    let run = env.sextant(&["status", "-o", "json"]).await;
    serde_json::from_str(&run.stdout).unwrap_or_else(|e| panic!("{e}: {}", run.all()))
}

fn app<'a>(status: &'a Value, name: &str, cluster: &str) -> &'a Value {
    status["apps"]
        .as_array()
        .expect("apps")
        .iter()
        .find(|a| a["app"] == name && a["cluster"] == cluster)
        .unwrap_or_else(|| panic!("no {name}/{cluster} in {status:#}"))
}

fn audit(env: &Env) -> Vec<AuditEntry> {
    AuditLog::in_dir(&env.tmp.path().join("home/data"))
        .read()
        .expect("audit log")
        .0
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn discovered_apps_show_both_verdicts_and_why_they_differ() {
    if !have_kubectl() {
        println!("SKIP: kubectl not found");
        return;
    }
    let (env, head) = setup().await;
    let status = status_json(&env).await;
    let settings = app(&status, "settings", "c1");
    assert_eq!(settings["source"], "sextant");
    // Argo CD says Synced; Sextant renders the repo (its origin is the Application's
    // repoURL) and finds the app's objects missing: the Application was compared before.
    let gb = app(&status, "guestbook", "c1");
    assert_eq!(gb["source"], "argocd");
    assert_eq!(gb["sync"], "OutOfSync", "{gb:#}");
    assert_eq!(gb["commit"], head.as_str());
    assert_eq!(gb["operator"]["status"]["sync"], "Synced");
    assert_eq!(gb["operator"]["status"]["health"], "Healthy");
    assert_eq!(gb["operator"]["evaluation"]["state"], "evaluated");
    let why = gb["disagreements"][0].as_str().expect("a reason");
    assert!(
        why.starts_with("Argo CD last compared at 2026-12-04T10:00:00Z"),
        "{why}"
    );
    // Flux: Ready from its last apply, and Sextant finds drift.
    let web = app(&status, "web", "c1");
    assert_eq!(web["source"], "flux");
    assert_eq!(web["operator"]["status"]["sync"], "Ready");
    assert_eq!(web["operator"]["namespace"], "web");
    assert!(
        web["disagreements"][0]
            .as_str()
            .expect("reason")
            .starts_with("Flux reports Ready"),
        "{web:#}"
    );
    // A destination with no context: the operator's view, and why Sextant cannot say more.
    let lost = app(&status, "lost", "c1");
    let notes = lost["notes"].to_string();
    assert!(
        notes.contains("destination cluster `nowhere` has no kubeconfig context"),
        "{notes}"
    );
    // c2 serves another version of the Kustomization: said, and the rest carries on.
    let problems = status["operator_problems"].to_string();
    assert!(
        problems.contains("cluster c2 serves Kustomization only as kustomize.toolkit.fluxcd.io/v1beta2"),
        "{problems}"
    );
    app(&status, "settings", "c2");

    let text = env.sextant(&["status"]).await;
    assert_eq!(text.code, 0, "{}", text.all());
    let row = text
        .stdout
        .lines()
        .find(|l| l.starts_with("guestbook "))
        .expect("guestbook row");
    assert!(
        row.contains(" argocd ") && row.contains("Argo CD: Synced · Healthy"),
        "{row}"
    );
    assert!(
        text.stdout.contains("guestbook/c1: Argo CD last compared at"),
        "{}",
        text.stdout
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sync_goes_through_argocd_and_flux_and_writes_exactly_their_fields() {
    if !have_kubectl() {
        println!("SKIP: kubectl not found");
        return;
    }
    let (env, head) = setup().await;
    let writes_before = env.sandbox.writes("c1").expect("c1").len();
    // Read-only: refused, audited, and nothing reaches the server.
    let refused = env.sextant(&["--readonly", "sync", "guestbook", "--yes"]).await;
    assert_eq!(refused.code, 2, "{}", refused.all());
    assert!(
        refused.all().contains("runs read-only (--readonly)"),
        "{}",
        refused.all()
    );
    assert_eq!(env.sandbox.writes("c1").expect("c1").len(), writes_before);

    // Argo CD: the operation as `argocd app sync` sets it, followed to the phase.
    let sync = spawn_sextant(
        &env,
        &["sync", "guestbook", "--yes", "--prune", "--wait", "60"],
        Some("ada"),
    );
    let written = wait_for(&env, "argocd", "application", "guestbook", |o| {
        o["operation"].is_object()
    })
    .await;
    assert_eq!(
        written["operation"],
        json!({
            "sync": {"revision": "HEAD", "prune": true, "syncStrategy": {"hook": {}}},
            "initiatedBy": {"username": "ada (sextant)"},
            "info": [{"name": "Reason", "value": "sextant"}]
        })
    );
    play_argocd_controller_finish(&env, "c1", "guestbook", "Succeeded", &head).await;
    let out = sync.await.expect("joined");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{stdout}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        stdout.contains("writes:\n") && stdout.contains("\n    operation.sync.revision=HEAD\n"),
        "{stdout}"
    );
    assert!(
        stdout.contains(&format!("✓ argocd-sync guestbook: Succeeded at {}", &head[..7])),
        "{stdout}"
    );
    let entry = audit(&env)
        .into_iter()
        .rfind(|e| e.action == "argocd-sync")
        .expect("audited");
    assert_eq!(entry.outcome, "finished");
    assert!(
        entry.details["fields"].contains("operation.sync.prune=true"),
        "{entry:?}"
    );

    // Flux: the reconcile request annotation, followed to Ready.
    let reconcile = spawn_sextant(&env, &["sync", "web", "--yes", "--wait", "60"], None);
    let annotated = wait_for(&env, "flux-system", "kustomization", "web", |o| {
        o["metadata"]["annotations"]["reconcile.fluxcd.io/requestedAt"].is_string()
    })
    .await;
    let requested = annotated["metadata"]["annotations"]["reconcile.fluxcd.io/requestedAt"]
        .as_str()
        .expect("requestedAt")
        .to_string();
    assert!(sextant::time::parse_rfc3339(&requested).is_some(), "{requested}");
    assert_eq!(annotated["spec"]["suspend"], Value::Null, "nothing else written");
    play_flux_controller_ready(&env, "c1", "web", &format!("main@sha1:{head}"), Some(&requested)).await;
    let out = reconcile.await.expect("joined");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{stdout}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        stdout.contains("✓ flux-reconcile web: Ready: applied main@sha1:"),
        "{stdout}"
    );

    // Suspend: spec.suspend, read back by kubectl, and the verdict says why drift stays.
    let suspend = env.sextant(&["sync", "web", "--suspend", "--yes"]).await;
    assert_eq!(suspend.code, 0, "{}", suspend.all());
    assert_eq!(
        get(&env, "c1", "flux-system", "kustomization", "web").await["spec"]["suspend"],
        true
    );
    let status = status_json(&env).await;
    let web = app(&status, "web", "c1");
    assert!(
        web["disagreements"][0]
            .as_str()
            .expect("reason")
            .starts_with("the Kustomization is suspended")
    );
    // A reconcile of a suspended Kustomization is refused before anything is written.
    let refused = env.sextant(&["sync", "web", "--yes"]).await;
    assert_eq!(refused.code, 2, "{}", refused.all());
    assert!(
        refused
            .all()
            .contains("Flux ignores reconcile requests while suspended"),
        "{}",
        refused.all()
    );

    // Argo CD refresh: the annotation, removed by the controller once it has compared.
    let refresh = spawn_sextant(
        &env,
        &["sync", "guestbook", "--hard-refresh", "--yes", "--wait", "60"],
        None,
    );
    let asked = wait_for(&env, "argocd", "application", "guestbook", |o| {
        o["metadata"]["annotations"]["argocd.argoproj.io/refresh"].is_string()
    })
    .await;
    assert_eq!(
        asked["metadata"]["annotations"]["argocd.argoproj.io/refresh"],
        "hard"
    );
    let done = json!({"metadata": {"annotations": {"argocd.argoproj.io/refresh": null}}});
    patch_application(&env, "c1", "guestbook", &done).await;
    let out = refresh.await.expect("joined");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{stdout}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        stdout.contains("✓ argocd-refresh guestbook: refreshed: Synced"),
        "{stdout}"
    );

    // Argo CD: automated sync off (kept for resume), then back on.
    let off = env.sextant(&["sync", "guestbook", "--suspend", "--yes"]).await;
    assert_eq!(off.code, 0, "{}", off.all());
    let live = get(&env, "c1", "argocd", "application", "guestbook").await;
    assert_eq!(live["spec"]["syncPolicy"]["automated"], Value::Null, "{live:#}");
    let on = env.sextant(&["sync", "guestbook", "--resume", "--yes"]).await;
    assert_eq!(on.code, 0, "{}", on.all());
    let live = get(&env, "c1", "argocd", "application", "guestbook").await;
    assert_eq!(
        live["spec"]["syncPolicy"]["automated"],
        json!({"prune": true, "selfHeal": true})
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_user_who_may_read_applications_but_not_patch_them_is_told_so() {
    if !have_kubectl() {
        println!("SKIP: kubectl not found");
        return;
    }
    let env = Env::start(&["c1"]).await;
    env.write("apps/settings/cm.yaml", engine_env::SETTINGS_CM);
    env.write(
        "sextant.yaml",
        "apps:\n  - name: settings\n    path: apps/settings\n    namespace: team\n    clusters: [c1-readonly]\n",
    );
    env.commit("platform");
    env.kubectl_ok("c1", &["create", "namespace", "argocd"]).await;
    install_crds(&env, "c1", true).await;
    let dest = json!({"server": "https://kubernetes.default.svc", "namespace": "guestbook"});
    // Generated by an ApplicationSet, as its controller leaves it: an owner reference.
    let mut generated = application("guestbook", "apps/guestbook", dest, false);
    generated["metadata"]["ownerReferences"] = json!([{
        "apiVersion": "argoproj.io/v1alpha1", "kind": "ApplicationSet", "name": "team-apps",
        "uid": "5e1f3c7a-0000-4000-8000-000000000001", "controller": true, "blockOwnerDeletion": true
    }]);
    apply(&env, "c1", &generated, "applicationset-controller").await;
    let run = env.sextant(&["sync", "guestbook", "--yes", "--wait", "5"]).await;
    assert_eq!(run.code, 1, "{}", run.all());
    assert!(
        run.all()
            .contains("you may not patch applications.argoproj.io in namespace argocd"),
        "{}",
        run.all()
    );
    let live = get(&env, "c1", "argocd", "application", "guestbook").await;
    assert_eq!(live["operation"], Value::Null);
    // The repo is not open here: the operator's view, and what to do to compare it too.
    let status = status_json(&env).await;
    let gb = app(&status, "guestbook", "c1-readonly");
    assert_eq!(gb["operator"]["evaluation"]["state"], "repo-not-open");
    assert_eq!(gb["operator"]["generated_by"], "ApplicationSet team-apps");
    assert!(
        gb["notes"][0].as_str().expect("note").contains("is not open"),
        "{gb:#}"
    );
}

/// Poll the object with kubectl until `done` holds (the binary runs meanwhile).
async fn wait_for(env: &Env, ns: &str, resource: &str, name: &str, done: impl Fn(&Value) -> bool) -> Value {
    for _ in 0..300 {
        let obj = get(env, "c1", ns, resource, name).await;
        if done(&obj) {
            return obj;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    panic!("{resource} {ns}/{name} never reached the expected state");
}

/// The real binary on this repo and kubeconfig, running while the test plays the
/// controller; `user` sets `$USER` (what `initiatedBy` records).
fn spawn_sextant(
    env: &Env,
    args: &[&str],
    user: Option<&str>,
) -> tokio::task::JoinHandle<std::process::Output> {
    let mut cmd = tokio::process::Command::new(env!("CARGO_BIN_EXE_sextant"));
    cmd.arg("--repo")
        .arg(&env.repo)
        .arg("--kubeconfig")
        .arg(&env.kubeconfig)
        .args(args)
        .env("SEXTANT_HOME", env.tmp.path().join("home"))
        .env("NO_COLOR", "1");
    if let Some(u) = user {
        cmd.env("USER", u);
    }
    tokio::spawn(async move { cmd.output().await.expect("sextant runs") })
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn without_sextant_yaml_the_named_contexts_show_their_operators_apps() {
    if !have_kubectl() {
        println!("SKIP: kubectl not found");
        return;
    }
    let env = Env::start(&["c1"]).await;
    env.write(
        "apps/web/cm.yaml",
        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: web\ndata:\n  a: b\n",
    );
    env.commit("web only");
    git(&env.repo, &["remote", "add", "origin", REPO_URL]);
    for ns in ["flux-system", "web"] {
        env.kubectl_ok("c1", &["create", "namespace", ns]).await;
    }
    install_crds(&env, "c1", false).await;
    let (repo, ks) = flux_pair("web", "./apps/web", "web");
    apply(&env, "c1", &repo, "flux").await;
    apply(&env, "c1", &ks, "flux").await;
    let run = env.sextant(&["--context", "c1", "status", "-o", "json"]).await;
    assert_eq!(run.code, 0, "{}", run.all());
    let status: Value = serde_json::from_str(&run.stdout).expect("json");
    let web = app(&status, "web", "c1");
    assert_eq!(web["source"], "flux");
    assert_eq!(web["operator"]["evaluation"]["state"], "evaluated");
    // Missing on the cluster, by Sextant's own render of apps/web.
    assert_eq!(web["counts"]["missing"], 1, "{web:#}");
    // A refused action is audited, and nothing is written.
    let refused = env
        .sextant(&["--readonly", "--context", "c1", "sync", "web", "--yes"])
        .await;
    assert_eq!(refused.code, 2, "{}", refused.all());
    let entry = audit(&env)
        .into_iter()
        .rfind(|e| e.action == "flux-reconcile")
        .expect("audited");
    assert_eq!(entry.outcome, "refused");
    let live = get(&env, "c1", "flux-system", "kustomization", "web").await;
    assert_eq!(
        live["metadata"]["annotations"]["reconcile.fluxcd.io/requestedAt"],
        Value::Null
    );
}
