//! The engine's "what would this revision do?", deployed revisions and the followed branch,
//! on the sandbox with the real `kubectl` as the peer and real Git repos: previews answer
//! with the exact changes a rollback makes and never write, objects the watch cache does not
//! hold are read rather than called Missing, and bad requests get a clear error.

mod engine_env;

use engine_env::{Env, have_kubectl};
use sextant::gitops::engine::{
    self, AppReport, DesiredRequest, Engine, EngineCommand, EngineConfig, EngineEvent, NewCommit,
    ObjectReport, PreviewReport, SyncStatus,
};
use std::collections::BTreeMap;
use std::sync::Arc;
use std::time::Duration;

const DEPLOY: &str = "\
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  replicas: REPLICAS
  selector:
    matchLabels: {app: web}
  template:
    metadata:
      labels: {app: web}
    spec:
      containers:
        - name: web
          image: IMAGE
";

const SERVICE: &str = "\
apiVersion: v1
kind: Service
metadata:
  name: web
spec:
  selector: {app: web}
  ports:
    - port: 80
";

fn deploy(replicas: u32, image: &str) -> String {
    DEPLOY
        .replace("REPLICAS", &replicas.to_string())
        .replace("IMAGE", image)
}

fn cm(name: &str, mode: &str) -> String {
    format!("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {name}\ndata:\n  mode: {mode}\n")
}

/// `sextant.yaml` listing each app at `apps/<name>`, namespace `team`, on c1.
fn apps_file(env: &Env, apps: &[&str]) {
    let mut text = String::from("apps:\n");
    for a in apps {
        text += &format!("  - name: {a}\n    path: apps/{a}\n    namespace: team\n    clusters: [c1]\n");
    }
    env.write("sextant.yaml", &text);
}

/// Apply these apps' directories to c1 with `kubectl apply --server-side`, into `team`.
async fn apply_apps(env: &Env, apps: &[&str]) {
    env.kubectl_ok("c1", &["create", "namespace", "team"]).await;
    for a in apps {
        let dir = format!("apps/{a}");
        env.kubectl_ok("c1", &["apply", "--server-side", "-n", "team", "-f", &dir])
            .await;
    }
}

fn head(env: &Env) -> String {
    let out = std::process::Command::new("git")
        .arg("-C")
        .arg(&env.repo)
        .args(["rev-parse", "HEAD"])
        .output()
        .expect("git rev-parse");
    String::from_utf8_lossy(&out.stdout).trim().to_string()
}

fn start(env: &Env, follow: bool) -> Engine {
    engine::start(EngineConfig {
        gate: Default::default(),
        audit: None,
        desired: DesiredRequest {
            repo: env.repo.clone(),
            revision: "HEAD".into(),
            user: Default::default(),
            only_app: None,
            only_cluster: None,
            contexts: Vec::new(),
        },
        kubeconfig: Some(env.kubeconfig.clone()),
        dry_run: true,
        follow,
    })
}

/// The next event `pick` accepts, within a deadline (a bound on waiting, not a timing check).
async fn next<T>(engine: &mut Engine, what: &str, pick: impl Fn(&EngineEvent) -> Option<T>) -> T {
    let deadline = tokio::time::Instant::now() + Duration::from_secs(60);
    loop {
        match tokio::time::timeout_at(deadline, engine.events.recv()).await {
            Ok(Some(ev)) => {
                if let Some(found) = pick(&ev) {
                    return found;
                }
                if let EngineEvent::Fatal(e) = ev {
                    panic!("engine failed while waiting for {what}: {e}");
                }
            }
            Ok(None) => panic!("engine stopped while waiting for {what}"),
            Err(_) => panic!("no {what} within 60s"),
        }
    }
}

async fn report_where(engine: &mut Engine, what: &str, pred: impl Fn(&AppReport) -> bool) -> Arc<AppReport> {
    next(engine, what, |ev| match ev {
        EngineEvent::AppReport(r) if pred(r) => Some(r.clone()),
        _ => None,
    })
    .await
}

/// The latest report of every app, once `done` accepts them.
async fn reports_until(
    engine: &mut Engine,
    what: &str,
    done: impl Fn(&BTreeMap<String, Arc<AppReport>>) -> bool,
) -> BTreeMap<String, Arc<AppReport>> {
    let mut latest = BTreeMap::new();
    loop {
        let r = report_where(engine, what, |_| true).await;
        latest.insert(r.app.clone(), r);
        if done(&latest) {
            return latest;
        }
    }
}

async fn preview(engine: &mut Engine, id: u64, revision: &str, cluster: &str) -> Arc<PreviewReport> {
    let command = EngineCommand::Preview {
        id,
        revision: revision.into(),
        cluster: cluster.into(),
    };
    engine.commands.send(command).await.expect("command");
    next(engine, &format!("preview {id} of {revision}"), |ev| match ev {
        EngineEvent::Preview(p) if p.id == id => Some(p.clone()),
        _ => None,
    })
    .await
}

fn app<'a>(p: &'a PreviewReport, name: &str) -> &'a AppReport {
    p.apps
        .iter()
        .find(|a| a.app == name)
        .unwrap_or_else(|| panic!("no app {name} in the preview: {p:?}"))
}

fn object<'a>(r: &'a AppReport, kind: &str, name: &str) -> &'a ObjectReport {
    r.objects
        .iter()
        .find(|o| o.key.kind == kind && o.key.name == name)
        .unwrap_or_else(|| panic!("no {kind}/{name} in {r:?}"))
}

async fn server_deployment(env: &Env) -> serde_json::Value {
    let json = env
        .kubectl_ok("c1", &["-n", "team", "get", "deployment", "web", "-o", "json"])
        .await;
    serde_json::from_str(&json).expect("kubectl json")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn preview_shows_what_a_rollback_changes_and_never_writes() {
    if !have_kubectl() {
        println!("SKIP: kubectl not found");
        return;
    }
    let env = Env::start(&["c1"]).await;
    env.write("README.md", "config\n");
    env.commit("no apps yet");
    let bare = head(&env);
    env.write("apps/web/deploy.yaml", &deploy(1, "nginx:1.0"));
    apps_file(&env, &["web"]);
    env.commit("v1");
    let v1 = head(&env);
    env.write("apps/web/deploy.yaml", &deploy(3, "nginx:2.0"));
    env.write("apps/web/svc.yaml", SERVICE);
    env.write("apps/tools/cm.yaml", &cm("tools", "enabled"));
    apps_file(&env, &["web", "tools"]);
    env.commit("v2: scale up, new image, a service, tools");
    let v2 = head(&env);
    apply_apps(&env, &["web", "tools"]).await;
    // The service was applied by a sync: it carries the app's label and tracking id.
    env.kubectl_ok(
        "c1",
        &["-n", "team", "label", "service/web", "sextant.dev/app=web"],
    )
    .await;
    let tracking = "sextant.dev/tracking-id=web:/Service:team/web";
    env.kubectl_ok("c1", &["-n", "team", "annotate", "service/web", tracking])
        .await;
    // v3 adds a ConfigMap nobody created, and two objects that exist already but that no
    // current app renders: a ConfigMap (a watched kind) and a ServiceAccount (unwatched).
    let existing = env.tmp.path().join("existing.yaml");
    let sa = "apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: web-sa\n";
    std::fs::write(&existing, format!("{}---\n{sa}", cm("web-existing", "warm"))).expect("write");
    let existing = existing.display().to_string();
    env.kubectl_ok("c1", &["apply", "--server-side", "-n", "team", "-f", &existing])
        .await;

    let mut engine = start(&env, false);
    let live = report_where(&mut engine, "web Synced at v2", |r| {
        r.app == "web" && r.sync == SyncStatus::Synced
    })
    .await;
    assert_eq!(live.commit, v2);
    let before = server_deployment(&env).await;

    // Rolling back to v1: exactly the replicas and the image change, the service is Extra,
    // and tools (not in v1) is left alone.
    let p = preview(&mut engine, 1, &v1, "c1").await;
    assert_eq!(p.error, None, "{p:?}");
    assert_eq!((p.commit.as_str(), p.cluster.as_str()), (v1.as_str(), "c1"));
    assert_eq!(p.short, v1[..7]);
    let web = app(&p, "web");
    assert_eq!(web.sync, SyncStatus::OutOfSync, "{web:?}");
    assert_eq!(web.commit, v1);
    let dep = object(web, "Deployment", "web");
    assert_eq!(dep.status, SyncStatus::OutOfSync);
    let cmp = dep.comparison.as_ref().expect("comparison");
    let mut paths: Vec<(&str, String, String)> = cmp
        .changes
        .iter()
        .map(|c| {
            let v = |x: &Option<serde_json::Value>| x.as_ref().map(|v| v.to_string()).unwrap_or_default();
            (c.path.as_str(), v(&c.live), v(&c.desired))
        })
        .collect();
    paths.sort();
    assert_eq!(
        paths,
        vec![
            (".spec.replicas", "3".into(), "1".into()),
            (
                ".spec.template.spec.containers[name=web].image",
                "\"nginx:2.0\"".into(),
                "\"nginx:1.0\"".into()
            ),
        ],
        "{cmp:?}"
    );
    assert_eq!(object(web, "Service", "web").status, SyncStatus::Extra);
    assert_eq!(p.absent, vec!["tools".to_string()]);

    // The revision the cluster runs: nothing to do.
    let p = preview(&mut engine, 2, "HEAD", "c1").await;
    assert_eq!(p.error, None, "{p:?}");
    assert_eq!(app(&p, "web").sync, SyncStatus::Synced, "{p:?}");
    assert_eq!(app(&p, "tools").sync, SyncStatus::Synced, "{p:?}");
    assert!(p.absent.is_empty(), "{p:?}");

    // The server object is untouched by both previews (dry-runs and GETs only).
    let after = server_deployment(&env).await;
    assert_eq!(after["spec"]["replicas"], 3);
    assert_eq!(
        after["metadata"]["resourceVersion"], before["metadata"]["resourceVersion"],
        "a preview wrote to the cluster"
    );

    // A revision adding objects: the new one is Missing, the ones already there are read.
    env.write("apps/web/new.yaml", &cm("web-new", "cold"));
    env.write("apps/web/existing.yaml", &cm("web-existing", "warm"));
    env.write("apps/web/sa.yaml", sa);
    env.commit("v3: settings and a service account");
    let p = preview(&mut engine, 3, "HEAD", "c1").await;
    let web = app(&p, "web");
    assert_eq!(object(web, "ConfigMap", "web-new").status, SyncStatus::Missing);
    assert_eq!(
        object(web, "ConfigMap", "web-existing").status,
        SyncStatus::Synced,
        "{web:?}"
    );
    assert_eq!(
        object(web, "ServiceAccount", "web-sa").status,
        SyncStatus::Synced,
        "{web:?}"
    );
    assert_eq!((web.counts.missing, web.sync), (1, SyncStatus::OutOfSync));
    // The live engine still follows v2.
    engine
        .commands
        .send(EngineCommand::Refresh { revision: None })
        .await
        .expect("refresh");
    let r = report_where(&mut engine, "web re-rendered", |r| r.app == "web").await;
    assert_eq!(r.commit, head(&env));
    assert_eq!(r.counts.missing, 1, "{r:?}");

    // A revision without sextant.yaml, an unknown one, an unknown cluster.
    let p = preview(&mut engine, 4, &bare, "c1").await;
    let e = p.error.as_deref().unwrap_or_default();
    assert!(
        e.contains("no sextant.yaml") && e.contains("pick a commit"),
        "{p:?}"
    );
    assert_eq!(p.short, "", "nothing was previewed");
    let p = preview(&mut engine, 5, "no-such-branch", "c1").await;
    let e = p.error.as_deref().unwrap_or_default();
    assert!(
        e.contains("`no-such-branch` not found") && e.contains("branch or tag the repository has"),
        "{p:?}"
    );
    assert!(p.apps.is_empty());
    let p = preview(&mut engine, 6, "HEAD", "qa").await;
    let e = p.error.as_deref().unwrap_or_default();
    assert!(e.contains("unknown cluster `qa`") && e.contains("c1"), "{p:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_unreachable_cluster_cannot_be_previewed() {
    let env = Env::start(&["c1"]).await;
    engine_env::add_dead_context(&env);
    env.write("apps/s/cm.yaml", &cm("settings", "fast"));
    env.write(
        "sextant.yaml",
        "apps:\n  - name: s\n    path: apps/s\n    namespace: team\n    clusters: [dead]\n",
    );
    env.commit("settings");
    let mut engine = start(&env, false);
    report_where(&mut engine, "the dead cluster's report", |r| r.cluster == "dead").await;
    let p = preview(&mut engine, 7, "HEAD", "dead").await;
    let e = p.error.as_deref().unwrap_or_default();
    assert!(e.contains("unreachable") && e.contains("try again"), "{p:?}");
    assert!(p.apps.is_empty());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn deployed_revisions_and_following_the_branch() {
    if !have_kubectl() {
        println!("SKIP: kubectl not found");
        return;
    }
    let env = Env::start(&["c1"]).await;
    env.write("apps/stamped/cm.yaml", &cm("stamped", "fast"));
    env.write("apps/plain/cm.yaml", &cm("plain", "fast"));
    apps_file(&env, &["stamped", "plain"]);
    env.commit("c1");
    let synced = head(&env);
    apply_apps(&env, &["stamped", "plain"]).await;
    // As a sync at c1 would leave it; then an unrelated commit moves the branch.
    let stamp = format!("sextant.dev/revision={synced}");
    env.kubectl_ok("c1", &["-n", "team", "annotate", "configmap/stamped", &stamp])
        .await;
    env.write("README.md", "docs only\n");
    env.commit("c2: docs");
    let c2 = head(&env);

    let mut engine = start(&env, true);
    let synced_both = |m: &BTreeMap<String, Arc<AppReport>>| {
        ["stamped", "plain"]
            .iter()
            .all(|a| m.get(*a).is_some_and(|r| r.sync == SyncStatus::Synced))
    };
    let reports = reports_until(&mut engine, "both apps Synced", synced_both).await;
    let stamped = &reports["stamped"];
    assert_eq!(stamped.deployed.as_deref(), Some(synced.as_str()), "{stamped:?}");
    assert_eq!(stamped.counts.drifted(), 0, "the annotation is not drift");
    let plain = &reports["plain"];
    assert_eq!(plain.deployed.as_deref(), Some(c2.as_str()), "{plain:?}");

    // A commit while the engine runs: announced, rendered, and plain is now behind.
    env.write("apps/plain/cm.yaml", &cm("plain", "slow"));
    env.commit("c3: slow down plain");
    let c3 = head(&env);
    let seen: NewCommit = next(&mut engine, "the new commit", |ev| match ev {
        EngineEvent::NewCommit(c) => Some(c.clone()),
        _ => None,
    })
    .await;
    assert_eq!(seen.commit, c3);
    assert_eq!(seen.short, c3[..7]);
    assert_eq!(seen.summary, "c3: slow down plain");
    assert!(!seen.author.is_empty(), "{seen:?}");
    let at_c3 = |m: &BTreeMap<String, Arc<AppReport>>| m.values().filter(|r| r.commit == c3).count() == 2;
    let reports = reports_until(&mut engine, "both apps at c3", at_c3).await;
    let plain = &reports["plain"];
    assert_eq!(plain.sync, SyncStatus::OutOfSync, "{plain:?}");
    assert_eq!(plain.deployed.as_deref(), Some(c2.as_str()), "{plain:?}");
    assert_eq!(reports["stamped"].deployed.as_deref(), Some(synced.as_str()));

    // A repository that cannot be read for a while (a few polls fail meanwhile) does not
    // stop the engine: it keeps following once it reads again.
    let git_dir = env.repo.join(".git");
    let away = env.tmp.path().join("git-away");
    std::fs::rename(&git_dir, &away).expect("move .git away");
    tokio::time::sleep(Duration::from_millis(2500)).await;
    std::fs::rename(&away, &git_dir).expect("move .git back");
    env.write("apps/plain/cm.yaml", &cm("plain", "fast"));
    env.commit("c4: back to fast");
    let c4 = head(&env);
    let seen = next(&mut engine, "the commit after the outage", |ev| match ev {
        EngineEvent::NewCommit(c) => Some(c.clone()),
        _ => None,
    })
    .await;
    assert_eq!(seen.commit, c4);
    let at_c4 = |m: &BTreeMap<String, Arc<AppReport>>| m.values().filter(|r| r.commit == c4).count() == 2;
    let reports = reports_until(&mut engine, "both apps at c4", at_c4).await;
    assert_eq!(reports["plain"].sync, SyncStatus::Synced);
    assert_eq!(reports["plain"].deployed.as_deref(), Some(c4.as_str()));
}
