//! Renderers that run external tools on the tree of a revision written to a temp dir:
//! `kustomize build` (or `kubectl kustomize`) and `helm template`.

use super::apps::AppSpec;
use super::render::{Collector, Rendered};
use crate::git::snapshot::Snapshot;
use std::path::{Path, PathBuf};
use std::process::Command;

/// The first executable called `name` on `PATH`.
pub fn find_on_path(name: &str) -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .map(|dir| dir.join(name))
        .find(|p| is_executable(p))
}

fn is_executable(path: &Path) -> bool {
    use std::os::unix::fs::PermissionsExt;
    std::fs::metadata(path).is_ok_and(|m| m.is_file() && m.permissions().mode() & 0o111 != 0)
}

/// `kustomize build <dir>`, or `kubectl kustomize <dir>` when kustomize is not installed.
pub fn kustomize(snapshot: &Snapshot, dir: &str) -> Rendered {
    let (program, args): (PathBuf, Vec<&str>) = if let Some(k) = find_on_path("kustomize") {
        (k, vec!["build"])
    } else if let Some(k) = find_on_path("kubectl") {
        (k, vec!["kustomize"])
    } else {
        return failed(
            dir,
            "neither `kustomize` nor `kubectl` is installed: install kustomize \
             (https://kubectl.docs.kubernetes.io/installation/kustomize/) or kubectl, \
             or set `renderer: plain`"
                .into(),
        );
    };
    let label = format!(
        "{} {}",
        program.file_name().unwrap_or_default().to_string_lossy(),
        args.join(" ")
    );
    run_on_tree(snapshot, dir, &label, |tree_dir| {
        let mut cmd = Command::new(&program);
        cmd.args(&args).arg(tree_dir);
        cmd
    })
}

/// `helm template <app> <dir> --namespace <ns>`; a clear message when helm is not installed.
pub fn helm(snapshot: &Snapshot, dir: &str, app: &AppSpec) -> Rendered {
    let Some(helm) = find_on_path("helm") else {
        return failed(
            dir,
            format!(
                "app `{}` needs Helm, but `helm` is not installed: install Helm 3 (https://helm.sh/docs/intro/install/) \
                 so that `helm template` is on PATH",
                app.name
            ),
        );
    };
    let name = app.name.clone();
    let namespace = app.namespace.clone();
    run_on_tree(snapshot, dir, "helm template", move |tree_dir| {
        let mut cmd = Command::new(&helm);
        cmd.arg("template").arg(&name).arg(tree_dir);
        if let Some(ns) = &namespace {
            cmd.arg("--namespace").arg(ns);
        }
        cmd
    })
}

fn failed(dir: &str, message: String) -> Rendered {
    let mut c = Collector::default();
    c.error(dir.to_string(), message);
    c.finish()
}

/// Write the whole tree (overlays may reach `../base`) to a temp dir, run the tool on `dir`
/// inside it, and parse its multi-document output.
fn run_on_tree(
    snapshot: &Snapshot,
    dir: &str,
    label: &str,
    command: impl FnOnce(&Path) -> Command,
) -> Rendered {
    let tmp = match tempfile::Builder::new().prefix("sextant-render-").tempdir() {
        Ok(t) => t,
        Err(e) => return failed(dir, format!("cannot create a temp dir for {label}: {e}")),
    };
    if let Err(e) = snapshot.materialize(tmp.path()) {
        return failed(dir, e.to_string());
    }
    let tree_dir = tmp.path().join(dir);
    let mut cmd = command(&tree_dir);
    cmd.stdin(std::process::Stdio::null());
    let output = match cmd.output() {
        Ok(o) => o,
        Err(e) => return failed(dir, format!("cannot run {label}: {e}")),
    };
    if !output.status.success() {
        let stderr = String::from_utf8_lossy(&output.stderr);
        // Tools print the temp path; show the repository path instead.
        let message = stderr
            .replace(&tmp.path().display().to_string(), "")
            .trim()
            .to_string();
        return failed(dir, format!("{label} failed at {}: {message}", snapshot.short));
    }
    let text = String::from_utf8_lossy(&output.stdout);
    let mut c = Collector::default();
    c.add_text(&format!("{label} {dir}"), &text);
    c.finish()
}
