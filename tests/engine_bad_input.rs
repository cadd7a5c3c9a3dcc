//! Bad input, end to end: each case gives a clear message naming what and where, and the
//! other apps and clusters carry on. Real sandbox, real kubectl, real `sextant` binary.

mod engine_env;

use engine_env::{Env, have_kubectl};

const APPS: &str = "\
apps:
  - name: good
    path: apps/good
    namespace: good
    clusters: [c1]
  - name: malformed
    path: apps/malformed
    namespace: good
    clusters: [c1]
  - name: dupes
    path: apps/dupes
    namespace: good
    clusters: [c1]
  - name: widgets
    path: apps/widgets
    namespace: good
    clusters: [c1]
  - name: charts
    path: apps/chart
    namespace: good
    clusters: [c1]
  - name: far-away
    path: apps/good
    namespace: good
    clusters: [dead]
  - name: stale-token
    path: apps/good
    namespace: good
    clusters: [expired]
  - name: viewer
    path: apps/good
    namespace: good
    clusters: [c1-readonly]
";

use engine_env::SETTINGS_CM as CM;

/// A second kubeconfig file: a context whose server is not listening, and one that reuses
/// cluster `c1` from the first file with a token the sandbox rejects (as an expired one is).
const SECOND: &str = "apiVersion: v1\nkind: Config\nclusters:\n- name: dead\n  cluster: {server: 'https://127.0.0.1:9'}\n\
    contexts:\n- name: dead\n  context: {cluster: dead, user: dead}\n- name: expired\n  context: {cluster: c1, user: stale}\n\
    users:\n- name: dead\n  user: {token: not-a-real-token}\n- name: stale\n  user: {token: expired-token-value}\n";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn each_bad_input_is_named_and_the_rest_carry_on() {
    if !have_kubectl() {
        println!("SKIP: kubectl not found");
        return;
    }
    let env = Env::start(&["c1"]).await;
    env.write("apps/good/settings.yaml", CM);
    env.write("apps/good/README.md", "not a manifest\n");
    env.write("apps/malformed/ok.yaml", CM);
    env.write(
        "apps/malformed/broken.yaml",
        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a: b\n",
    );
    env.write("apps/dupes/all.yaml", &format!("{CM}---\n{CM}"));
    env.write(
        "apps/widgets/blue.yaml",
        "apiVersion: corpus.example.com/v1\nkind: Widget\nmetadata:\n  name: blue\nspec:\n  size: 3\n",
    );
    env.write(
        "apps/chart/Chart.yaml",
        "apiVersion: v2\nname: demo\nversion: 0.1.0\n",
    );
    env.write("sextant.yaml", APPS);
    env.commit("apps, some broken");
    env.kubectl_ok("c1", &["create", "namespace", "good"]).await;
    env.kubectl_ok("c1", &["apply", "--server-side", "-n", "good", "-f", "apps/good"])
        .await;
    // Drift on the object the read-only context will look at, so that it tries a dry-run.
    env.kubectl_ok(
        "c1",
        &[
            "-n",
            "good",
            "patch",
            "configmap/settings",
            "--type=merge",
            "-p",
            r#"{"data":{"mode":"slow"}}"#,
        ],
    )
    .await;

    // KUBECONFIG with two files, merged like kubectl does.
    let dead = env.tmp.path().join("dead.kubeconfig");
    std::fs::write(&dead, SECOND).unwrap();
    let kubeconfig = format!("{}:{}", env.kubeconfig.display(), dead.display());
    let run = env.sextant_with(&["diff"], &[("KUBECONFIG", &kubeconfig)]).await;
    let all = run.all();
    assert_eq!(run.code, 2, "errors exit 2:\n{all}");
    // The good app is still evaluated and its drift shown, attributed.
    assert!(all.contains(".data.mode slow → fast (by kubectl-patch"), "{all}");
    assert!(
        all.contains("apps/malformed/broken.yaml:4: malformed YAML"),
        "{all}"
    );
    assert!(
        all.contains(
            "apps/dupes/all.yaml:8: ConfigMap/settings is declared twice: here and at apps/dupes/all.yaml:1"
        ),
        "{all}"
    );
    assert!(all.contains("is its CRD installed?"), "{all}");
    assert!(all.contains("`helm` is not installed"), "{all}");
    assert!(all.contains("cluster dead (dead) is unreachable"), "{all}");
    assert!(
        all.contains("cluster expired (expired) is forbidden") && all.contains("401"),
        "{all}"
    );
    assert!(
        !all.contains("not-a-real-token") && !all.contains("expired-token-value"),
        "tokens never printed:\n{all}"
    );
    assert!(all.contains("dry-run forbidden on c1-readonly"), "{all}");

    // status lists every app x cluster, with the broken ones Unknown and the rest evaluated.
    let status = env
        .sextant_with(&["status", "--output", "json"], &[("KUBECONFIG", &kubeconfig)])
        .await;
    assert_eq!(status.code, 2, "some apps could not be evaluated");
    let v: serde_json::Value = serde_json::from_str(&status.stdout).expect("json");
    let sync = |app: &str| {
        v["apps"]
            .as_array()
            .unwrap()
            .iter()
            .find(|a| a["app"] == app)
            .map(|a| a["sync"].clone())
            .unwrap()
    };
    assert_eq!(sync("good"), "OutOfSync");
    assert_eq!(
        sync("viewer"),
        "OutOfSync",
        "local fallback still finds the drift"
    );
    assert_eq!(sync("far-away"), "Unknown");
    assert_eq!(sync("stale-token"), "Unknown");
    assert_eq!(sync("charts"), "Unknown");
    assert_eq!(sync("widgets"), "Unknown");
    // malformed still reports the document that parsed.
    let malformed = v["apps"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["app"] == "malformed")
        .unwrap();
    assert_eq!(
        malformed["objects"].as_array().map(Vec::len),
        Some(1),
        "{malformed}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn invalid_sextant_yaml_names_the_line() {
    let env = Env::start(&["c1"]).await;
    env.write(
        "sextant.yaml",
        "apps:\n  - name: a\n    path: x\n    clusters: [c1]\n  - name: a\n    path: y\n    clusters: [c1]\n",
    );
    env.commit("dupe app");
    let run = env.sextant(&["status"]).await;
    assert_eq!(run.code, 2, "{}", run.all());
    assert!(
        run.stderr
            .contains("sextant.yaml line 5: app `a` is defined twice"),
        "{}",
        run.stderr
    );
}
