//! End to end on the sandbox with the real `kubectl` as the peer and the real `sextant`
//! binary: apply the argocd-example-apps with `kubectl apply --server-side`, change things
//! out of band, and check that `sextant diff` / `sextant status` see exactly that.

mod engine_env;

use engine_env::{Env, have_kubectl};

const APPS: &str = "\
apps:
  - name: guestbook
    path: apps/guestbook
    namespace: guestbook
    clusters: [c1]
  - name: kustomize-guestbook
    path: apps/kustomize-guestbook
    namespace: kguestbook
    clusters: [c1]
  - name: sock-shop
    path: apps/sock-shop
    namespace: sock-shop
    clusters: [c1]
";

async fn three_apps() -> Env {
    let env = Env::start(&["c1"]).await;
    env.copy_fixture("guestbook", "apps/guestbook");
    env.copy_fixture("kustomize-guestbook", "apps/kustomize-guestbook");
    env.copy_fixture("sock-shop", "apps/sock-shop");
    env.write("sextant.yaml", APPS);
    env.commit("three apps");
    for ns in ["guestbook", "kguestbook", "sock-shop"] {
        env.kubectl_ok("c1", &["create", "namespace", ns]).await;
    }
    apply_all(&env).await;
    env
}

async fn apply_all(env: &Env) {
    let ssa = ["apply", "--server-side", "--force-conflicts"];
    env.kubectl_ok(
        "c1",
        &[&ssa[..], &["-n", "guestbook", "-f", "apps/guestbook"]].concat(),
    )
    .await;
    env.kubectl_ok(
        "c1",
        &[&ssa[..], &["-n", "kguestbook", "-k", "apps/kustomize-guestbook"]].concat(),
    )
    .await;
    env.kubectl_ok(
        "c1",
        &[&ssa[..], &["-n", "sock-shop", "-k", "apps/sock-shop"]].concat(),
    )
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn diff_sees_every_out_of_band_change_with_its_manager() {
    if !have_kubectl() {
        println!("SKIP: kubectl not found");
        return;
    }
    let env = three_apps().await;

    let run = env.sextant(&["diff"]).await;
    assert_eq!(run.code, 0, "no drift right after apply:\n{}", run.all());
    let status = env.sextant(&["status"]).await;
    assert_eq!(status.code, 0, "{}", status.all());
    for app in ["guestbook", "kustomize-guestbook", "sock-shop"] {
        let row = status
            .stdout
            .lines()
            .find(|l| l.starts_with(app))
            .unwrap_or_default();
        assert!(row.contains("Synced"), "{app} synced:\n{}", status.stdout);
    }

    // kubectl scale: spec.replicas, owned by `kubectl` through the scale subresource.
    env.kubectl_ok(
        "c1",
        &[
            "-n",
            "guestbook",
            "scale",
            "deployment/guestbook-ui",
            "--replicas=4",
        ],
    )
    .await;
    let run = env.sextant(&["diff", "guestbook"]).await;
    assert_eq!(run.code, 1, "{}", run.all());
    assert!(
        run.stdout.contains(".spec.replicas 4 → 1 (by kubectl"),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout.contains("-  replicas: 4") && run.stdout.contains("+  replicas: 1"),
        "{}",
        run.stdout
    );
    let other = env.sextant(&["diff", "sock-shop"]).await;
    assert_eq!(other.code, 0, "other apps unaffected: {}", other.all());
    apply_all(&env).await;
    assert_eq!(env.sextant(&["diff"]).await.code, 0, "restored");

    // kubectl set image: the container image, by kubectl-set.
    let image = "guestbook-ui=gcr.io/google-samples/gb-frontend:v6";
    env.kubectl_ok(
        "c1",
        &[
            "-n",
            "guestbook",
            "set",
            "image",
            "deployment/guestbook-ui",
            image,
        ],
    )
    .await;
    let run = env.sextant(&["diff", "guestbook"]).await;
    assert_eq!(run.code, 1, "{}", run.all());
    assert!(
        run.stdout
            .contains(".spec.template.spec.containers[name=guestbook-ui].image")
            && run.stdout.contains("by kubectl-set"),
        "{}",
        run.stdout
    );
    apply_all(&env).await;

    // kubectl label --overwrite of a label Git sets: drift by kubectl-label.
    env.kubectl_ok(
        "c1",
        &[
            "-n",
            "sock-shop",
            "label",
            "--overwrite",
            "deployment/carts",
            "name=hacked",
        ],
    )
    .await;
    let run = env.sextant(&["diff", "sock-shop"]).await;
    assert_eq!(run.code, 1, "{}", run.all());
    assert!(
        run.stdout
            .contains(".metadata.labels.name hacked → carts (by kubectl-label"),
        "{}",
        run.stdout
    );
    apply_all(&env).await;

    // A label Git never mentions: an unmanaged change, shown apart, exit 1 only with --strict.
    env.kubectl_ok(
        "c1",
        &["-n", "sock-shop", "label", "deployment/carts", "oncall=alice"],
    )
    .await;
    let run = env.sextant(&["diff", "sock-shop"]).await;
    assert_eq!(run.code, 0, "{}", run.all());
    assert!(run.stdout.contains("# Unmanaged changes"), "{}", run.stdout);
    assert!(
        run.stdout.contains("oncall") && run.stdout.contains("by kubectl-label"),
        "{}",
        run.stdout
    );
    assert_eq!(env.sextant(&["diff", "sock-shop", "--strict"]).await.code, 1);

    // kubectl delete: the object is Missing.
    env.kubectl_ok(
        "c1",
        &["-n", "kguestbook", "delete", "service/kustomize-guestbook-ui"],
    )
    .await;
    let run = env.sextant(&["diff", "kustomize-guestbook"]).await;
    assert_eq!(run.code, 1, "{}", run.all());
    assert!(
        run.stdout
            .contains("# Missing: v1 Service/kustomize-guestbook-ui -n kguestbook"),
        "{}",
        run.stdout
    );
    let json = env.sextant(&["status", "--output", "json"]).await;
    let v: serde_json::Value = serde_json::from_str(&json.stdout).expect("status json");
    let kg = v["apps"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["app"] == "kustomize-guestbook")
        .unwrap();
    assert_eq!(kg["sync"], "OutOfSync");
    assert_eq!(kg["counts"]["missing"], 1);
    apply_all(&env).await;

    // Tracked as guestbook's, then removed from Git: Extra.
    let tracking = "sextant.dev/tracking-id=guestbook:/Service:guestbook/guestbook-ui";
    env.kubectl_ok(
        "c1",
        &[
            "-n",
            "guestbook",
            "label",
            "service/guestbook-ui",
            "sextant.dev/app=guestbook",
        ],
    )
    .await;
    env.kubectl_ok(
        "c1",
        &["-n", "guestbook", "annotate", "service/guestbook-ui", tracking],
    )
    .await;
    engine_env::git(&env.repo, &["rm", "-q", "apps/guestbook/guestbook-ui-svc.yaml"]);
    env.commit("drop the guestbook service");
    let run = env.sextant(&["diff", "guestbook"]).await;
    assert_eq!(run.code, 1, "{}", run.all());
    assert!(
        run.stdout
            .contains("# Extra: v1 Service/guestbook-ui -n guestbook"),
        "{}",
        run.stdout
    );
    // The revision before still has it: no drift there.
    let run = env.sextant(&["diff", "guestbook", "--revision", "HEAD~1"]).await;
    assert_eq!(run.code, 0, "{}", run.all());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_clusters_at_different_revisions_differ() {
    if !have_kubectl() {
        println!("SKIP: kubectl not found");
        return;
    }
    let env = Env::start(&["c1", "c2"]).await;
    env.copy_fixture("guestbook", "apps/guestbook");
    env.write(
        "sextant.yaml",
        "apps:\n  - name: guestbook\n    path: apps/guestbook\n    namespace: gb\n    clusters: [c1, c2]\n",
    );
    env.commit("v5");
    for c in ["c1", "c2"] {
        env.kubectl_ok(c, &["create", "namespace", "gb"]).await;
    }
    env.kubectl_ok(
        "c1",
        &["apply", "--server-side", "-n", "gb", "-f", "apps/guestbook"],
    )
    .await;
    let dep = std::fs::read_to_string(env.repo.join("apps/guestbook/guestbook-ui-deployment.yaml")).unwrap();
    env.write(
        "apps/guestbook/guestbook-ui-deployment.yaml",
        &dep.replace("gb-frontend:v5", "gb-frontend:v6"),
    );
    env.commit("v6");
    env.kubectl_ok(
        "c2",
        &["apply", "--server-side", "-n", "gb", "-f", "apps/guestbook"],
    )
    .await;

    let run = env.sextant(&["status", "--output", "json"]).await;
    assert_eq!(run.code, 0, "{}", run.all());
    let v: serde_json::Value = serde_json::from_str(&run.stdout).expect("json");
    let sync_of = |c: &str| {
        v["apps"]
            .as_array()
            .unwrap()
            .iter()
            .find(|a| a["cluster"] == c)
            .map(|a| a["sync"].clone())
            .unwrap()
    };
    assert_eq!(sync_of("c1"), "OutOfSync", "{}", run.stdout);
    assert_eq!(sync_of("c2"), "Synced", "{}", run.stdout);

    let old = env
        .sextant(&["diff", "--revision", "HEAD~1", "--cluster", "c1"])
        .await;
    assert_eq!(old.code, 0, "c1 runs the old revision: {}", old.all());
    let new = env.sextant(&["diff", "--cluster", "c1"]).await;
    assert_eq!(new.code, 1, "{}", new.all());
    assert!(
        new.stdout
            .contains("gb-frontend:v5 → gcr.io/google-samples/gb-frontend:v6")
            || new.stdout.contains("v6")
    );
}
