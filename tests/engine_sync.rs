//! `sextant sync` end to end: the real binary against the sandbox, the real `kubectl` as the
//! peer that drifts things and reads them back, and the audit log checked after each sync.

mod engine_env;

use engine_env::{Env, have_kubectl};
use serde_json::Value;
use sextant::gitops::audit::AuditEntry;

const GUESTBOOK: &str = "\
apps:
  - name: guestbook
    path: apps/guestbook
    namespace: guestbook
    clusters: [c1]
";

const NAMESPACE: &str = "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: guestbook\n";

/// The guestbook example app with its Namespace, committed (not applied).
async fn guestbook() -> Env {
    let env = Env::start(&["c1"]).await;
    env.copy_fixture("guestbook", "apps/guestbook");
    env.write("apps/guestbook/ns.yaml", NAMESPACE);
    env.write("sextant.yaml", GUESTBOOK);
    env.commit("guestbook");
    env
}

fn audit(env: &Env) -> Vec<AuditEntry> {
    env.audit_log_of_binary()
}

trait BinaryAudit {
    fn audit_log_of_binary(&self) -> Vec<AuditEntry>;
}

impl BinaryAudit for Env {
    /// The audit log the `sextant` binary wrote (its `SEXTANT_HOME` is `<tmp>/home`).
    fn audit_log_of_binary(&self) -> Vec<AuditEntry> {
        let log = sextant::gitops::audit::AuditLog::in_dir(&self.tmp.path().join("home/data"));
        log.read().expect("audit log reads").0
    }
}

async fn json(env: &Env, args: &[&str]) -> Value {
    let run = env.sextant(&[args, &["-o", "json"]].concat()).await;
    serde_json::from_str(&run.stdout).unwrap_or_else(|e| panic!("{e}: {}", run.all()))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sync_undoes_scale_and_set_image_and_owns_the_fields() {
    if !have_kubectl() {
        println!("SKIP: kubectl not found");
        return;
    }
    let env = guestbook().await;
    let first = env.sextant(&["sync", "--yes"]).await;
    assert_eq!(first.code, 0, "{}", first.all());
    assert!(
        first.stdout.contains("✓ create Namespace/guestbook"),
        "{}",
        first.all()
    );
    assert!(
        first.stdout.contains("3 applied, 0 pruned, 0 failed"),
        "{}",
        first.all()
    );

    env.kubectl_ok(
        "c1",
        &["-n", "guestbook", "scale", "deploy/guestbook-ui", "--replicas=5"],
    )
    .await;
    env.kubectl_ok(
        "c1",
        &[
            "-n",
            "guestbook",
            "set",
            "image",
            "deploy/guestbook-ui",
            "guestbook-ui=nginx:1.27",
        ],
    )
    .await;
    assert_eq!(env.sextant(&["diff"]).await.code, 1);
    let sync = env.sextant(&["sync", "--yes"]).await;
    assert_eq!(sync.code, 0, "{}", sync.all());
    assert!(
        sync.stdout
            .contains("~ update  Deployment/guestbook-ui -n guestbook  spec.replicas"),
        "{}",
        sync.all()
    );
    let diff = env.sextant(&["diff"]).await;
    assert_eq!(diff.code, 0, "{}", diff.all());

    // The cluster is back to Git, and sextant owns what kubectl had changed.
    let live: Value = serde_json::from_str(
        &env.kubectl_ok(
            "c1",
            &[
                "-n",
                "guestbook",
                "get",
                "deploy",
                "guestbook-ui",
                "-o",
                "json",
                "--show-managed-fields",
            ],
        )
        .await,
    )
    .expect("json");
    assert_eq!(live["spec"]["replicas"], 1);
    assert_eq!(
        live["spec"]["template"]["spec"]["containers"][0]["image"],
        "gcr.io/google-samples/gb-frontend:v5"
    );
    let sextant = live["metadata"]["managedFields"]
        .as_array()
        .expect("managedFields")
        .iter()
        .find(|m| m["manager"] == "sextant" && m["operation"] == "Apply")
        .expect("sextant applies")
        .clone();
    let fields = sextant["fieldsV1"].to_string();
    assert!(fields.contains("f:replicas"), "{fields}");
    assert!(fields.contains("f:image"), "{fields}");
    assert_eq!(
        live["metadata"]["annotations"]["sextant.dev/tracking-id"],
        "guestbook:apps/Deployment:guestbook/guestbook-ui"
    );
    assert_eq!(live["metadata"]["labels"]["sextant.dev/app"], "guestbook");
    let head = git_head(&env);
    assert_eq!(
        live["metadata"]["annotations"]["sextant.dev/revision"],
        head.as_str()
    );

    // One audit line per sync, each naming what it did, none holding a value.
    let entries = audit(&env);
    assert_eq!(entries.len(), 2, "{entries:?}");
    let last = &entries[1];
    assert_eq!(
        (last.action.as_str(), last.outcome.as_str()),
        ("sync", "finished")
    );
    assert_eq!((last.app.as_str(), last.cluster.as_str()), ("guestbook", "c1"));
    assert_eq!(last.revision, head);
    assert_eq!(last.who.kube_context, "c1");
    let line = &last.objects[0];
    assert_eq!(line.object, "apps/Deployment:guestbook/guestbook-ui");
    assert_eq!(
        (line.change.as_str(), line.result.as_str()),
        ("update", "applied")
    );
    assert!(line.paths.iter().any(|p| p == "spec.replicas"), "{line:?}");
    let raw = std::fs::read_to_string(env.tmp.path().join("home/data/audit.jsonl")).expect("log");
    assert!(
        !raw.contains("nginx:1.27") && !raw.contains("gb-frontend"),
        "values in the audit log: {raw}"
    );
}

fn git_head(env: &Env) -> String {
    let out = std::process::Command::new("git")
        .args(["rev-parse", "HEAD"])
        .current_dir(&env.repo)
        .output()
        .expect("git");
    String::from_utf8_lossy(&out.stdout).trim().to_string()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn prune_deletes_only_this_apps_tracked_extra_objects() {
    if !have_kubectl() {
        println!("SKIP: kubectl not found");
        return;
    }
    let env = guestbook().await;
    env.write(
        "apps/guestbook/old.yaml",
        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: old\ndata:\n  a: b\n",
    );
    env.commit("old config");
    assert_eq!(env.sextant(&["sync", "--yes"]).await.code, 0);
    // Someone else's objects in the same namespace: one of another app, one untracked, and
    // one carrying a copied (wrong) tracking id.
    let other = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: theirs\n  namespace: guestbook\n  labels: {sextant.dev/app: other}\n  annotations: {sextant.dev/tracking-id: 'other:/ConfigMap:guestbook/theirs'}\n";
    let untracked = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: hand-made\n  namespace: guestbook\n  labels: {sextant.dev/app: guestbook}\n";
    let copied = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: copied\n  namespace: guestbook\n  labels: {sextant.dev/app: guestbook}\n  annotations: {sextant.dev/tracking-id: 'guestbook:/ConfigMap:guestbook/old'}\n";
    for doc in [other, untracked, copied] {
        let file = env.tmp.path().join("doc.yaml");
        std::fs::write(&file, doc).expect("write");
        env.kubectl_ok(
            "c1",
            &["apply", "--server-side", "-f", &file.display().to_string()],
        )
        .await;
    }
    std::fs::remove_file(env.repo.join("apps/guestbook/old.yaml")).expect("rm");
    env.commit("drop old config");

    // Without --prune: listed, kept.
    let kept = env.sextant(&["sync", "--yes"]).await;
    assert!(
        kept.stdout
            .contains("- prune   ConfigMap/old -n guestbook   (kept: pass --prune to delete)"),
        "{}",
        kept.all()
    );
    env.kubectl_ok("c1", &["-n", "guestbook", "get", "configmap", "old"])
        .await;

    let pruned = env.sextant(&["sync", "--yes", "--prune"]).await;
    assert_eq!(pruned.code, 0, "{}", pruned.all());
    assert!(
        pruned.stdout.contains("✓ prune ConfigMap/old -n guestbook"),
        "{}",
        pruned.all()
    );
    let left = env
        .kubectl_ok("c1", &["-n", "guestbook", "get", "configmaps", "-o", "name"])
        .await;
    assert!(!left.contains("configmap/old\n"), "{left}");
    for name in ["theirs", "hand-made", "copied"] {
        assert!(
            left.contains(&format!("configmap/{name}")),
            "{name} was deleted: {left}"
        );
    }
    let last = audit(&env).pop().expect("an entry");
    assert!(last.prune);
    assert!(
        last.objects
            .iter()
            .any(|o| o.change == "prune" && o.result == "pruned" && o.object.ends_with("guestbook/old"))
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn read_only_refuses_and_no_write_reaches_the_server() {
    if !have_kubectl() {
        println!("SKIP: kubectl not found");
        return;
    }
    let env = guestbook().await;
    let refused = env.sextant(&["--readonly", "sync", "--yes", "--prune"]).await;
    assert_eq!(refused.code, 2, "{}", refused.all());
    assert!(
        refused
            .all()
            .contains("refused: Sextant runs read-only (--readonly)"),
        "{}",
        refused.all()
    );
    // A cluster marked read-only in config.yaml is refused the same way.
    let config = env.tmp.path().join("home/config/config.yaml");
    std::fs::create_dir_all(config.parent().expect("dir")).expect("mkdir");
    std::fs::write(&config, "clusters:\n  c1:\n    readonly: true\n").expect("config");
    let refused = env.sextant(&["sync", "--yes"]).await;
    assert_eq!(refused.code, 2, "{}", refused.all());
    assert!(
        refused.all().contains("is read-only in config.yaml"),
        "{}",
        refused.all()
    );
    assert_eq!(
        env.sandbox.writes("c1"),
        Some(Vec::new()),
        "a write reached the server"
    );
    let entries = audit(&env);
    assert_eq!(entries.len(), 2);
    assert!(entries.iter().all(|e| e.outcome == "refused"), "{entries:?}");
    // Without a terminal and without --yes, nothing is asked and nothing written.
    std::fs::write(&config, "").expect("config");
    let unasked = env.sextant(&["sync"]).await;
    assert_eq!(unasked.code, 2, "{}", unasked.all());
    assert!(unasked.stderr.contains("pass --yes"), "{}", unasked.all());
    assert_eq!(env.sandbox.writes("c1"), Some(Vec::new()));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn one_failing_object_does_not_stop_the_others() {
    if !have_kubectl() {
        println!("SKIP: kubectl not found");
        return;
    }
    let env = guestbook().await;
    // A webhook that lets the preview through but denies the write itself.
    env.sandbox.deny(
        "c1",
        sextant::sandbox::admission::Denial {
            webhook: "policy.example.com".into(),
            object: "guestbook-ui".into(),
            message: "images must come from registry.example.com".into(),
            dry_run: false,
        },
    );
    let run = env.sextant(&["sync", "--yes"]).await;
    assert_eq!(run.code, 1, "{}", run.all());
    assert!(
        run.stdout.contains("✓ create Namespace/guestbook"),
        "{}",
        run.all()
    );
    assert!(
        run.stdout.contains(
            "✗ create Service/guestbook-ui -n guestbook: denied by an admission webhook (400): admission webhook \
             \"policy.example.com\" denied the request: images must come from registry.example.com"
        ),
        "{}",
        run.all()
    );
    assert!(
        run.stdout.contains("1 applied, 0 pruned, 2 failed"),
        "{}",
        run.all()
    );
    let last = audit(&env).pop().expect("entry");
    assert_eq!(last.outcome, "failed");
    assert_eq!(last.objects.iter().filter(|o| o.result == "failed").count(), 2);
}

const CRD: &str = "\
apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata:
  name: widgets.example.com
spec:
  group: example.com
  names: {kind: Widget, plural: widgets, singular: widget, listKind: WidgetList}
  scope: Namespaced
  versions:
    - name: v1
      served: true
      storage: true
      schema:
        openAPIV3Schema:
          type: object
          properties:
            spec:
              type: object
              properties:
                color: {type: string}
";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_namespace_a_crd_and_a_custom_resource_sync_into_an_empty_cluster_in_one_go() {
    if !have_kubectl() {
        println!("SKIP: kubectl not found");
        return;
    }
    let env = Env::start(&["c1"]).await;
    env.write(
        "apps/widgets/ns.yaml",
        "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: shop\n",
    );
    env.write("apps/widgets/crd.yaml", CRD);
    env.write(
        "apps/widgets/blue.yaml",
        "apiVersion: example.com/v1\nkind: Widget\nmetadata:\n  name: blue\nspec:\n  color: blue\n",
    );
    env.write(
        "sextant.yaml",
        "apps:\n  - name: widgets\n    path: apps/widgets\n    namespace: shop\n    clusters: [c1]\n",
    );
    env.commit("widgets");
    let plan = env.sextant(&["sync", "--dry-run"]).await;
    assert!(
        plan.stdout.contains("+ create  Widget/blue -n shop"),
        "{}",
        plan.all()
    );
    let run = env.sextant(&["sync", "--yes"]).await;
    assert_eq!(run.code, 0, "{}", run.all());
    let order: Vec<&str> = run.stdout.lines().filter(|l| l.contains("✓ create")).collect();
    assert_eq!(
        order,
        [
            "  ✓ create Namespace/shop",
            "  ✓ create CustomResourceDefinition/widgets.example.com",
            "  ✓ create Widget/blue -n shop"
        ],
        "{}",
        run.all()
    );
    let blue = env
        .kubectl_ok(
            "c1",
            &[
                "-n",
                "shop",
                "get",
                "widgets",
                "blue",
                "-o",
                "jsonpath={.spec.color}",
            ],
        )
        .await;
    assert_eq!(blue, "blue");
    assert_eq!(env.sextant(&["diff"]).await.code, 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_pinned_sync_shows_as_pinned_until_a_sync_to_the_head() {
    if !have_kubectl() {
        println!("SKIP: kubectl not found");
        return;
    }
    let env = guestbook().await;
    assert_eq!(env.sextant(&["sync", "--yes"]).await.code, 0);
    let first = git_head(&env);
    let deploy = std::fs::read_to_string(env.repo.join("apps/guestbook/guestbook-ui-deployment.yaml"))
        .expect("deploy");
    env.write(
        "apps/guestbook/guestbook-ui-deployment.yaml",
        &deploy.replace("replicas: 1", "replicas: 3"),
    );
    env.commit("three replicas");
    assert_eq!(env.sextant(&["sync", "--yes"]).await.code, 0);

    // Emergency: back to the first commit.
    let back = env.sextant(&["sync", "--yes", "--revision", &first]).await;
    assert_eq!(back.code, 0, "{}", back.all());
    assert!(back.stdout.contains("will show as pinned"), "{}", back.all());
    let status = json(&env, &["status"]).await;
    let app = &status["apps"][0];
    assert_eq!(app["pinned"], first.as_str(), "{status}");
    // Every object is stamped with the pinned commit, so the app is told to run it.
    assert_eq!(app["deployed"], first.as_str(), "{status}");
    assert_eq!(app["sync"], "OutOfSync");
    let text = env.sextant(&["status"]).await;
    assert!(
        text.stdout.contains(&format!("pinned @{}", &first[..7])),
        "{}",
        text.all()
    );
    assert!(audit(&env).last().expect("entry").pinned);

    // A sync to the head clears it.
    let head = env.sextant(&["sync", "--yes"]).await;
    assert_eq!(head.code, 0, "{}", head.all());
    let status = json(&env, &["status"]).await;
    assert!(status["apps"][0].get("pinned").is_none(), "{status}");
    assert_eq!(status["apps"][0]["sync"], "Synced");
    let live = env
        .kubectl_ok(
            "c1",
            &[
                "-n",
                "guestbook",
                "get",
                "deploy",
                "guestbook-ui",
                "-o",
                "jsonpath={.metadata.annotations}",
            ],
        )
        .await;
    assert!(!live.contains("sextant.dev/pinned"), "{live}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_namespace_that_does_not_exist_and_is_not_in_git_is_named() {
    if !have_kubectl() {
        println!("SKIP: kubectl not found");
        return;
    }
    let env = Env::start(&["c1"]).await;
    env.write("apps/settings/cm.yaml", engine_env::SETTINGS_CM);
    env.write(
        "sextant.yaml",
        "apps:\n  - name: settings\n    path: apps/settings\n    namespace: nowhere\n    clusters: [c1]\n",
    );
    env.commit("settings");
    let run = env.sextant(&["sync", "--yes"]).await;
    assert_eq!(run.code, 1, "{}", run.all());
    assert!(
        run.stdout.contains(
            "✗ create ConfigMap/settings -n nowhere: namespace nowhere does not exist and is not created by this sync"
        ),
        "{}",
        run.all()
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_crd_that_never_becomes_established_fails_with_its_kinds_not_sent() {
    if !have_kubectl() {
        println!("SKIP: kubectl not found");
        return;
    }
    let env = Env::start(&["c1"]).await;
    // Someone else's CRD already holds the singular name `widget` in example.com.
    let theirs = env.tmp.path().join("theirs.yaml");
    std::fs::write(&theirs, CRD).expect("write");
    env.kubectl_ok(
        "c1",
        &["apply", "--server-side", "-f", &theirs.display().to_string()],
    )
    .await;
    let gadgets = CRD.replace("widgets.example.com", "gadgets.example.com").replace(
        "{kind: Widget, plural: widgets, singular: widget, listKind: WidgetList}",
        "{kind: Gadget, plural: gadgets, singular: widget, listKind: GadgetList}",
    );
    env.write(
        "apps/gadgets/ns.yaml",
        "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: shop\n",
    );
    env.write("apps/gadgets/crd.yaml", &gadgets);
    env.write(
        "apps/gadgets/one.yaml",
        "apiVersion: example.com/v1\nkind: Gadget\nmetadata:\n  name: one\nspec:\n  color: red\n",
    );
    env.write(
        "sextant.yaml",
        "apps:\n  - name: gadgets\n    path: apps/gadgets\n    namespace: shop\n    clusters: [c1]\n",
    );
    env.commit("gadgets");
    let run = env.sextant(&["sync", "--yes"]).await;
    assert_eq!(run.code, 1, "{}", run.all());
    assert!(
        run.stdout.contains(
            "✗ create CustomResourceDefinition/gadgets.example.com: CRD gadgets.example.com will not become Established: \
             its names are not accepted (SingularConflict: \"widget\" is already in use)"
        ),
        "{}",
        run.all()
    );
    assert!(
        run.stdout
            .contains("– create Gadget/one -n shop: not sent: CRD gadgets.example.com"),
        "{}",
        run.all()
    );
    assert!(run.stdout.contains("✓ create Namespace/shop"), "{}", run.all());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_unreachable_cluster_stops_the_sync_before_any_write_and_says_how_to_sync_the_others() {
    if !have_kubectl() {
        println!("SKIP: kubectl not found");
        return;
    }
    let env = Env::start(&["c1"]).await;
    engine_env::add_dead_context(&env);
    env.copy_fixture("guestbook", "apps/guestbook");
    env.write("apps/guestbook/ns.yaml", NAMESPACE);
    env.write(
        "sextant.yaml",
        &GUESTBOOK.replace("clusters: [c1]", "clusters: [c1, dead]"),
    );
    env.commit("guestbook on two clusters");
    let run = env.sextant(&["sync", "--yes"]).await;
    assert_eq!(run.code, 2, "{}", run.all());
    assert!(
        run.stderr.contains(
            "Nothing was written: dead could not be planned (above); to sync c1 alone, pass --cluster c1"
        ),
        "{}",
        run.all()
    );
    assert_eq!(env.sandbox.writes("c1"), Some(Vec::new()));
    let alone = env.sextant(&["sync", "--yes", "--cluster", "c1"]).await;
    assert_eq!(alone.code, 0, "{}", alone.all());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_invalid_object_is_named_with_the_servers_field_message_and_the_rest_sync() {
    if !have_kubectl() {
        println!("SKIP: kubectl not found");
        return;
    }
    let env = guestbook().await;
    env.write(
        "apps/guestbook/broken.yaml",
        "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: broken\nspec:\n  template:\n    metadata:\n      labels: {app: broken}\n    spec:\n      containers: [{name: app, image: nginx:1.27}]\n",
    );
    env.commit("a Deployment without a selector");
    let run = env.sextant(&["sync", "--yes"]).await;
    assert_eq!(run.code, 1, "{}", run.all());
    assert!(
        run.all().contains("Deployment/broken -n guestbook"),
        "{}",
        run.all()
    );
    assert!(
        run.all().contains("spec.selector: Required value"),
        "{}",
        run.all()
    );
    assert!(
        run.stdout
            .contains("✓ create Deployment/guestbook-ui -n guestbook"),
        "{}",
        run.all()
    );
}
