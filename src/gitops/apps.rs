//! The apps of a config repository: `sextant.yaml` at the repo root, parsed (through
//! `crate::yaml`) and validated, with errors that name the line.

use crate::config::UserConfig;
use serde::Deserialize;
use std::collections::BTreeSet;

/// The file that lists the apps, at the root of a config repository.
pub const APPS_FILE: &str = "sextant.yaml";

/// How an app's desired objects are produced from its directory.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Default, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Renderer {
    /// Kustomize when the directory has a kustomization file, Helm when it has `Chart.yaml`,
    /// plain YAML otherwise.
    #[default]
    Auto,
    Plain,
    Kustomize,
    Helm,
}

/// One app as written in `sextant.yaml`.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AppSpec {
    pub name: String,
    /// Directory relative to the repo root; `{cluster}` is replaced by the cluster name.
    pub path: String,
    /// Default namespace for namespaced objects that name none.
    #[serde(default)]
    pub namespace: Option<String>,
    /// Cluster names: kubeconfig contexts, or aliases from the user config.
    #[serde(default)]
    pub clusters: Vec<String>,
    #[serde(default)]
    pub renderer: Renderer,
    /// 1-based line of the app's entry in `sextant.yaml`, for messages.
    #[serde(skip)]
    pub line: Option<usize>,
}

impl AppSpec {
    /// The app's directory for one cluster.
    pub fn path_for(&self, cluster: &str) -> String {
        self.path.replace("{cluster}", cluster)
    }

    /// Where this app is defined, for messages: `sextant.yaml line 7 (app guestbook)`.
    pub fn origin(&self) -> String {
        match self.line {
            Some(l) => format!("{APPS_FILE} line {l} (app {})", self.name),
            None => format!("{APPS_FILE} (app {})", self.name),
        }
    }
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct AppsFile {
    #[serde(default)]
    apps: Vec<AppSpec>,
}

/// `sextant.yaml` could not be used.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AppsError {
    #[error("no {APPS_FILE} at the root of {repo} (at {rev}): create one listing your apps")]
    Missing { repo: String, rev: String },
    #[error("{APPS_FILE}: {0}")]
    Yaml(crate::yaml::YamlError),
    #[error("{APPS_FILE}{}: {message}", line.map(|l| format!(" line {l}")).unwrap_or_default())]
    Invalid { line: Option<usize>, message: String },
}

/// Parse and validate the text of `sextant.yaml`.
pub fn parse_apps(text: &str) -> Result<Vec<AppSpec>, AppsError> {
    if text.trim().is_empty() {
        return Ok(Vec::new());
    }
    let file: AppsFile = crate::yaml::from_str(text).map_err(AppsError::Yaml)?;
    let mut apps = file.apps;
    let mut search_from = 0;
    for app in &mut apps {
        if let Some((line, next)) = find_name_line(text, &app.name, search_from) {
            app.line = Some(line);
            search_from = next;
        }
    }
    validate(&apps)?;
    Ok(apps)
}

fn validate(apps: &[AppSpec]) -> Result<(), AppsError> {
    let mut seen = BTreeSet::new();
    for app in apps {
        let invalid = |message: String| AppsError::Invalid {
            line: app.line,
            message,
        };
        if app.name.trim().is_empty() {
            return Err(invalid("an app has an empty name".into()));
        }
        if !app
            .name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_' || c == '.')
        {
            return Err(invalid(format!(
                "app name `{}` may only use letters, digits, `-`, `_` and `.`",
                app.name
            )));
        }
        if !seen.insert(app.name.as_str()) {
            return Err(invalid(format!(
                "app `{}` is defined twice; app names must be unique",
                app.name
            )));
        }
        if app.path.trim().is_empty() {
            return Err(invalid(format!("app `{}` has an empty path", app.name)));
        }
        if app.path.split('/').any(|c| c == "..") || app.path.starts_with('/') {
            return Err(invalid(format!(
                "app `{}`: path `{}` must stay inside the repository (relative, no `..`)",
                app.name, app.path
            )));
        }
        if app.clusters.is_empty() {
            return Err(invalid(format!(
                "app `{}` lists no clusters: add `clusters: [<context or alias>]`",
                app.name
            )));
        }
        let mut clusters = BTreeSet::new();
        for c in &app.clusters {
            if !clusters.insert(c) {
                return Err(invalid(format!("app `{}` lists cluster `{c}` twice", app.name)));
            }
        }
    }
    Ok(())
}

/// The line holding `name: <name>` at or after byte `from`: a best effort for messages,
/// since the YAML parser keeps no positions for values.
fn find_name_line(text: &str, name: &str, from: usize) -> Option<(usize, usize)> {
    let mut offset = 0;
    for (idx, line) in text.lines().enumerate() {
        let start = offset;
        offset += line.len() + 1;
        if start < from {
            continue;
        }
        let trimmed = line.trim_start().trim_start_matches('-').trim_start();
        if let Some(rest) = trimmed.strip_prefix("name:") {
            let value = rest
                .split('#')
                .next()
                .unwrap_or("")
                .trim()
                .trim_matches(['"', '\'']);
            if value == name {
                return Some((idx + 1, offset));
            }
        }
    }
    None
}

/// One (app, cluster) pair to evaluate, with the cluster resolved to its kubeconfig context.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Target {
    pub app: AppSpec,
    /// The name the app uses (an alias or a context).
    pub cluster: String,
    /// The kubeconfig context it resolves to.
    pub context: String,
    /// Writes refused by configuration.
    pub readonly: bool,
    /// Who defines the app: sextant.yaml, or an operator Sextant discovered it from.
    pub source: crate::gitops::operators::AppSource,
}

/// Every (app, cluster) pair, filtered by an optional app and cluster (alias or context).
/// Unknown filters are an error naming what exists.
pub fn targets(
    apps: &[AppSpec],
    user: &UserConfig,
    only_app: Option<&str>,
    only_cluster: Option<&str>,
) -> Result<Vec<Target>, String> {
    if let Some(name) = only_app
        && !apps.iter().any(|a| a.name == name)
    {
        let known: Vec<_> = apps.iter().map(|a| a.name.as_str()).collect();
        return Err(format!(
            "no app `{name}` in {APPS_FILE} (apps: {})",
            known.join(", ")
        ));
    }
    let mut out = Vec::new();
    for app in apps.iter().filter(|a| only_app.is_none_or(|n| a.name == n)) {
        for cluster in &app.clusters {
            let context = user.context_for(cluster).to_string();
            if let Some(c) = only_cluster
                && c != cluster
                && c != context
            {
                continue;
            }
            let readonly = user.is_readonly(cluster) || user.is_readonly(&context);
            out.push(Target {
                app: app.clone(),
                cluster: cluster.clone(),
                context,
                readonly,
                source: Default::default(),
            });
        }
    }
    if out.is_empty()
        && let Some(c) = only_cluster
    {
        return Err(format!("no app in {APPS_FILE} targets cluster `{c}`"));
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    const GOOD: &str = "\
apps:
  - name: guestbook
    path: apps/guestbook
    namespace: guestbook
    clusters: [staging, prod]
  - name: shop
    path: overlays/{cluster}
    clusters: [staging]
    renderer: kustomize
";

    #[test]
    fn parses_apps_with_lines() {
        let apps = parse_apps(GOOD).unwrap();
        assert_eq!(apps.len(), 2);
        assert_eq!(apps[0].line, Some(2));
        assert_eq!(apps[1].line, Some(6));
        assert_eq!(apps[1].renderer, Renderer::Kustomize);
        assert_eq!(apps[0].renderer, Renderer::Auto);
        assert_eq!(apps[1].path_for("staging"), "overlays/staging");
    }

    #[test]
    fn duplicate_names_name_the_line() {
        let text = "apps:\n  - name: a\n    path: x\n    clusters: [c]\n  - name: a\n    path: y\n    clusters: [c]\n";
        let err = parse_apps(text).unwrap_err();
        assert_eq!(
            err.to_string(),
            "sextant.yaml line 5: app `a` is defined twice; app names must be unique"
        );
    }

    #[test]
    fn empty_clusters_and_bad_renderer_are_errors() {
        let err = parse_apps("apps:\n  - name: a\n    path: x\n")
            .unwrap_err()
            .to_string();
        assert!(
            err.contains("line 2") && err.contains("lists no clusters"),
            "{err}"
        );
        let err = parse_apps("apps:\n  - name: a\n    path: x\n    clusters: [c]\n    renderer: jsonnet\n")
            .unwrap_err()
            .to_string();
        assert!(err.contains("line 5") && err.contains("jsonnet"), "{err}");
        let err = parse_apps("apps:\n  - name: a\n    path: ../x\n    clusters: [c]\n")
            .unwrap_err()
            .to_string();
        assert!(err.contains("inside the repository"), "{err}");
    }

    #[test]
    fn targets_resolve_aliases_and_filter() {
        let apps = parse_apps(GOOD).unwrap();
        let user: UserConfig =
            crate::yaml::from_str("clusters:\n  prod:\n    context: gke-prod\n    readonly: true\n").unwrap();
        let all = targets(&apps, &user, None, None).unwrap();
        assert_eq!(all.len(), 3);
        assert_eq!(all[1].context, "gke-prod");
        assert!(all[1].readonly);
        let only = targets(&apps, &user, Some("guestbook"), Some("gke-prod")).unwrap();
        assert_eq!(only.len(), 1);
        assert!(
            targets(&apps, &user, Some("nope"), None)
                .unwrap_err()
                .contains("guestbook, shop")
        );
    }
}
