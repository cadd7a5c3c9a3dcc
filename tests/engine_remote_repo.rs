//! `sextant status` and `diff` with `--repo URL`: the repository is cloned into the cache dir
//! (fetched on later runs), as the TUI does, and apps are read from the clone.

mod engine_env;

use engine_env::{Env, have_kubectl};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn status_and_diff_read_a_repository_by_url() {
    if !have_kubectl() {
        eprintln!("kubectl not installed: skipped");
        return;
    }
    let env = Env::start(&["c1"]).await;
    env.deploy_settings("[c1]", "c1").await;
    env.edit_settings("c1").await;
    let url = format!("file://{}", env.repo.display());
    let home = env.tmp.path().join("home");
    let run = |args: Vec<String>| {
        let home = home.clone();
        let kubeconfig = env.kubeconfig.clone();
        async move {
            tokio::process::Command::new(env!("CARGO_BIN_EXE_sextant"))
                .args(["--kubeconfig".as_ref(), kubeconfig.as_os_str()])
                .args(&args)
                .env("SEXTANT_HOME", &home)
                .env("NO_COLOR", "1")
                .env_remove("KUBECONFIG")
                .output()
                .await
                .expect("sextant runs")
        }
    };
    let out = run(vec!["--repo".into(), url.clone(), "diff".into()]).await;
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stdout}{stderr}");
    assert!(stdout.contains(".data.mode slow → fast"), "{stdout}");
    assert!(stderr.contains("fetching file://"), "{stderr}");
    // The clone is in the cache dir; a second run fetches into it.
    let out = run(vec!["--repo".into(), url, "status".into()]).await;
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(String::from_utf8_lossy(&out.stdout).contains("OutOfSync"));
}
