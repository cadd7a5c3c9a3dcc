//! Render an app's desired objects at a revision, from the Git object database: plain YAML
//! directories here, Kustomize and Helm through their binaries (`render_tools`). Render
//! errors name the file and line and never stop the other files or apps.

use super::apps::{AppSpec, Renderer};
use crate::git::snapshot::{PathKind, Snapshot};
use crate::kube::key::ObjectKey;
use serde::Serialize;
use serde_json::Value;
use std::collections::BTreeMap;
use std::fmt;

/// One object an app wants on a cluster.
#[derive(Debug, Clone, PartialEq)]
pub struct DesiredObject {
    pub key: ObjectKey,
    pub object: Value,
    /// Where it came from: `apps/web/deploy.yaml:12`.
    pub source: String,
}

/// A file or document that could not be rendered.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RenderError {
    /// `file` or `file:line`.
    pub source: String,
    pub message: String,
}

impl fmt::Display for RenderError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.source, self.message)
    }
}

/// The result of rendering one app for one cluster.
#[derive(Debug, Clone, Default)]
pub struct Rendered {
    pub objects: Vec<DesiredObject>,
    pub errors: Vec<RenderError>,
    /// The renderer actually used (`auto` resolved).
    pub renderer: Option<Renderer>,
}

impl Rendered {
    pub fn failed(source: String, message: String) -> Rendered {
        Rendered {
            errors: vec![RenderError { source, message }],
            ..Rendered::default()
        }
    }
}

/// Render `app` for `cluster` at the snapshot's revision.
pub fn render_app(snapshot: &Snapshot, app: &AppSpec, cluster: &str) -> Rendered {
    let dir = app.path_for(cluster);
    match snapshot.kind_of(&dir) {
        Ok(PathKind::Dir) => {}
        Ok(PathKind::File) => {
            return Rendered::failed(
                app.origin(),
                format!("path `{dir}` is a file; it must be a directory"),
            );
        }
        Ok(PathKind::Missing) => {
            return Rendered::failed(
                app.origin(),
                format!(
                    "path `{dir}` does not exist at {} ({})",
                    snapshot.short, snapshot.rev
                ),
            );
        }
        Err(e) => return Rendered::failed(app.origin(), e.to_string()),
    }
    let renderer = match app.renderer {
        Renderer::Auto => match detect(snapshot, &dir) {
            Ok(r) => r,
            Err(e) => return Rendered::failed(dir, e.to_string()),
        },
        r => r,
    };
    let mut rendered = match renderer {
        Renderer::Plain | Renderer::Auto => render_plain(snapshot, &dir),
        Renderer::Kustomize => super::render_tools::kustomize(snapshot, &dir),
        Renderer::Helm => super::render_tools::helm(snapshot, &dir, app),
    };
    rendered.renderer = Some(renderer);
    rendered
}

/// `auto`: Kustomize when the directory has a kustomization file, Helm with a `Chart.yaml`.
fn detect(snapshot: &Snapshot, dir: &str) -> Result<Renderer, crate::git::snapshot::SnapshotError> {
    for name in KUSTOMIZATION_FILES {
        if snapshot.kind_of(&format!("{dir}/{name}"))? == PathKind::File {
            return Ok(Renderer::Kustomize);
        }
    }
    if snapshot.kind_of(&format!("{dir}/Chart.yaml"))? == PathKind::File {
        return Ok(Renderer::Helm);
    }
    Ok(Renderer::Plain)
}

const KUSTOMIZATION_FILES: [&str; 3] = ["kustomization.yaml", "kustomization.yml", "Kustomization"];

/// Every `.yaml`, `.yml` and `.json` file under `dir`, recursively, multi-document.
fn render_plain(snapshot: &Snapshot, dir: &str) -> Rendered {
    let files = match snapshot.files_under(dir) {
        Ok(f) => f,
        Err(e) => return Rendered::failed(dir.to_string(), e.to_string()),
    };
    let mut collector = Collector::default();
    for file in files {
        let lower = file.path.to_ascii_lowercase();
        let file_name = lower.rsplit('/').next().unwrap_or(&lower);
        let is_manifest = [".yaml", ".yml", ".json"].iter().any(|ext| lower.ends_with(ext));
        if !is_manifest
            || KUSTOMIZATION_FILES
                .iter()
                .any(|k| k.eq_ignore_ascii_case(file_name))
        {
            continue;
        }
        match std::str::from_utf8(&file.bytes) {
            Ok(text) => collector.add_text(&file.path, text),
            Err(_) => collector.error(file.path.clone(), "not UTF-8 text".into()),
        }
    }
    collector.finish()
}

/// Gathers objects from manifest texts, rejecting duplicates with both places named.
#[derive(Default)]
pub(crate) struct Collector {
    rendered: Rendered,
    seen: BTreeMap<ObjectKey, String>,
}

impl Collector {
    pub(crate) fn error(&mut self, source: String, message: String) {
        self.rendered.errors.push(RenderError { source, message });
    }

    /// Parse every document of `text` (from file `path`) into objects.
    pub(crate) fn add_text(&mut self, path: &str, text: &str) {
        for (start_line, doc) in split_documents(text) {
            let here = format!("{path}:{start_line}");
            let value: Value = match crate::yaml::from_str(doc) {
                Ok(v) => v,
                Err(mut e) => {
                    // Point at the line in the file, not in the document.
                    let line = e.line.map(|l| l + start_line - 1).unwrap_or(start_line);
                    e.line = None;
                    e.column = None;
                    self.error(format!("{path}:{line}"), format!("malformed YAML: {e}"));
                    continue;
                }
            };
            self.add_value(&here, value);
        }
    }

    fn add_value(&mut self, here: &str, value: Value) {
        match &value {
            Value::Null => {}
            Value::Object(map) => {
                if map
                    .get("kind")
                    .and_then(Value::as_str)
                    .is_some_and(|k| k.ends_with("List"))
                    && let Some(Value::Array(items)) = map.get("items")
                {
                    for item in items.clone() {
                        self.add_value(here, item);
                    }
                    return;
                }
                let api_version = map.get("apiVersion").and_then(Value::as_str).unwrap_or("");
                if api_version.starts_with("kustomize.config.k8s.io/") {
                    return;
                }
                let Some(key) = ObjectKey::of(&value) else {
                    self.error(
                        here.to_string(),
                        "not a Kubernetes object: it needs apiVersion, kind and metadata.name".into(),
                    );
                    return;
                };
                if let Some(first) = self.seen.get(&key) {
                    let message = format!("{} is declared twice: here and at {first}", key.short());
                    self.error(here.to_string(), message);
                    return;
                }
                self.seen.insert(key.clone(), here.to_string());
                self.rendered.objects.push(DesiredObject {
                    key,
                    object: value,
                    source: here.to_string(),
                });
            }
            _ => self.error(
                here.to_string(),
                "not a Kubernetes object: expected a mapping".into(),
            ),
        }
    }

    pub(crate) fn finish(self) -> Rendered {
        self.rendered
    }
}

/// Split a multi-document YAML text on `---` lines, keeping each document's 1-based start line.
pub fn split_documents(text: &str) -> Vec<(usize, &str)> {
    let mut docs = Vec::new();
    let mut start = 0;
    let mut start_line = 1;
    let mut offset = 0;
    for (idx, line) in text.split_inclusive('\n').enumerate() {
        let bare = line.trim_end();
        if bare == "---" || bare.starts_with("--- ") || bare.starts_with("---\t") {
            docs.push((start_line, &text[start..offset]));
            start = offset + line.len();
            start_line = idx + 2;
        }
        offset += line.len();
    }
    docs.push((start_line, &text[start..]));
    docs.retain(|(_, d)| {
        d.lines()
            .any(|l| !l.trim().is_empty() && !l.trim_start().starts_with('#'))
    });
    docs
}

/// Give namespaced objects without a namespace the app's default. `is_namespaced` answers
/// from discovery; `None` (kind unknown to the cluster) leaves the object as written.
pub fn default_namespaces(
    objects: &mut [DesiredObject],
    default_ns: Option<&str>,
    is_namespaced: impl Fn(&str, &str) -> Option<bool>,
) {
    for obj in objects {
        if !obj.key.namespace.is_empty() || is_namespaced(&obj.key.group, &obj.key.kind) != Some(true) {
            continue;
        }
        let ns = default_ns.unwrap_or("default");
        if let Some(meta) = obj.object.get_mut("metadata").and_then(Value::as_object_mut) {
            meta.insert("namespace".into(), Value::String(ns.to_string()));
            obj.key.namespace = ns.to_string();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_documents_with_lines() {
        let text = "a: 1\n---\n# only a comment\n---\nb: 2\nc: 3\n--- \nd: 4\n";
        let docs = split_documents(text);
        let starts: Vec<_> = docs.iter().map(|d| d.0).collect();
        assert_eq!(starts, [1, 5, 8]);
        assert_eq!(docs[1].1, "b: 2\nc: 3\n");
    }

    #[test]
    fn collector_reports_malformed_yaml_and_duplicates_with_places() {
        let mut c = Collector::default();
        let cm = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n";
        c.add_text("x/one.yaml", &format!("{cm}---\n{cm}"));
        c.add_text(
            "x/bad.yaml",
            "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: [b\n",
        );
        c.add_text(
            "x/list.yaml",
            "apiVersion: v1\nkind: List\nitems:\n- apiVersion: v1\n  kind: Secret\n  metadata: {name: s}\n",
        );
        let r = c.finish();
        assert_eq!(r.objects.len(), 2);
        assert_eq!(r.errors.len(), 2, "{:?}", r.errors);
        assert_eq!(
            r.errors[0].to_string(),
            "x/one.yaml:6: ConfigMap/a is declared twice: here and at x/one.yaml:1"
        );
        assert!(r.errors[1].source.starts_with("x/bad.yaml:"), "{}", r.errors[1]);
        assert!(
            r.errors[1].message.starts_with("malformed YAML"),
            "{}",
            r.errors[1]
        );
    }

    #[test]
    fn default_namespace_only_for_namespaced_kinds() {
        let mut c = Collector::default();
        c.add_text(
            "f.yaml",
            "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n---\napiVersion: v1\nkind: Namespace\nmetadata:\n  name: n\n",
        );
        let mut objs = c.finish().objects;
        default_namespaces(&mut objs, Some("team"), |_, k| Some(k != "Namespace"));
        assert_eq!(objs[0].key.namespace, "team");
        assert_eq!(objs[0].object["metadata"]["namespace"], "team");
        assert_eq!(objs[1].key.namespace, "");
    }
}
