//! Loading the golden corpus for `tests/drift_corpus.rs`, and small helpers.

use serde_json::Value;
use sextant::gitops::drift::{self, CompareOptions, NOISE_ANNOTATIONS, ObjectDrift};
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

pub fn corpus() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/apiserver-corpus/cases")
}

pub struct Case {
    pub id: String,
    pub dir: PathBuf,
    pub expected: Value,
}

impl Case {
    pub fn json(&self, name: &str) -> Option<Value> {
        let text = std::fs::read_to_string(self.dir.join(name)).ok()?;
        Some(serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}/{name}: {e}", self.id)))
    }
    pub fn yaml(&self, name: &str) -> Value {
        let text = std::fs::read_to_string(self.dir.join(name))
            .unwrap_or_else(|e| panic!("{}/{name}: {e}", self.id));
        sextant::yaml::from_str(&text).unwrap_or_else(|e| panic!("{}/{name}: {e}", self.id))
    }
    pub fn exp(&self, key: &str) -> &Value {
        &self.expected[key]
    }
    pub fn exp_list(&self, key: &str) -> Vec<String> {
        match self.exp(key) {
            Value::Array(a) => a.iter().filter_map(|v| v.as_str().map(str::to_string)).collect(),
            Value::String(s) => vec![s.clone()],
            _ => Vec::new(),
        }
    }
}

pub fn cases() -> Vec<Case> {
    let mut dirs: Vec<PathBuf> = std::fs::read_dir(corpus())
        .unwrap_or_else(|e| panic!("reading the corpus: {e}"))
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.join("expected.yaml").is_file())
        .collect();
    dirs.sort();
    assert_eq!(dirs.len(), 27, "the corpus has 27 cases");
    dirs.into_iter()
        .map(|dir| {
            let id = dir
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            let text = std::fs::read_to_string(dir.join("expected.yaml")).unwrap_or_default();
            let expected =
                sextant::yaml::from_str(&text).unwrap_or_else(|e| panic!("{id}/expected.yaml: {e}"));
            Case { id, dir, expected }
        })
        .collect()
}

/// Paths in expected.yaml that the normalization deliberately drops (controller noise).
pub fn is_noise(path: &str) -> bool {
    NOISE_ANNOTATIONS
        .iter()
        .any(|a| path == format!(".metadata.annotations[\"{a}\"]"))
}

pub fn paths(d: &ObjectDrift) -> BTreeSet<String> {
    d.changes.iter().map(|c| c.path_text.clone()).collect()
}

pub fn expected_paths(list: Vec<String>) -> BTreeSet<String> {
    list.into_iter().filter(|p| !is_noise(p)).collect()
}

pub fn opts() -> CompareOptions {
    CompareOptions::default()
}

pub fn preview(case: &Case, desired: &Value, live: &Value, dry_run: &Value) -> ObjectDrift {
    drift::compare_preview(desired, live, dry_run, &opts())
        .unwrap_or_else(|e| panic!("{}: preview: {e}", case.id))
}

pub fn local(case: &Case, desired: &Value, live: &Value) -> ObjectDrift {
    drift::compare_local(desired, live, &opts()).unwrap_or_else(|e| panic!("{}: local: {e}", case.id))
}
/// Every path of a JSON document (object fields and list items), as JSON Pointers.
pub fn pointers(v: &Value, at: String, out: &mut Vec<String>) {
    let esc = |k: &str| k.replace('~', "~0").replace('/', "~1");
    match v {
        Value::Object(m) => {
            for (k, c) in m {
                let p = format!("{at}/{}", esc(k));
                out.push(p.clone());
                pointers(c, p, out);
            }
        }
        Value::Array(a) => {
            for (i, c) in a.iter().enumerate() {
                let p = format!("{at}/{i}");
                out.push(p.clone());
                pointers(c, p, out);
            }
        }
        _ => {}
    }
}
