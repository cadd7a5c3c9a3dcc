//! The two YAML texts a diff viewer shows (live, and the dry-run or simulated apply), both
//! normalized and masked, plus where every changed path sits in each text, so a viewer can
//! put the owning manager beside the changed line. The YAML is emitted here (block style,
//! sorted as the objects are) because the line of every field must be known.

use super::lists::{ListSchema, Merge, keyed_items};
use super::normalize::{normalize, prepare_desired};
use super::simulate::simulate_apply;
use super::types::{ChangeOp, CompareOptions, ObjectDrift, Owner};
use crate::gitops::secret;
use crate::kube::fieldset::{FieldPath, ManagedEntry, PathElement, Schema, managed_entries};
use serde::Serialize;
use serde_json::Value;

/// Texts for a viewer: `live` -> `desired` (dry-run result or simulated apply).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DiffText {
    pub live: String,
    pub desired: String,
    /// One per change of the drift report, in the same order.
    pub anchors: Vec<ChangeAnchor>,
}

/// Where one change sits: 0-based line numbers (the field, or its nearest ancestor shown).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ChangeAnchor {
    pub path: String,
    pub op: ChangeOp,
    pub live_line: Option<usize>,
    pub desired_line: Option<usize>,
    /// The manager to name beside the line.
    pub owner: Option<Owner>,
}

/// Texts for a preview-path verdict.
pub fn diff_text_preview(live: &Value, dry_run: &Value, drift: &ObjectDrift) -> DiffText {
    let (entries, _) = managed_entries(live);
    build(normalize(live), normalize(dry_run), drift, &entries)
}

/// Texts for a local-path verdict (the simulated apply stands in for the dry-run). With no
/// live object (Missing) the desired side is the prepared manifest.
pub fn diff_text_local(
    desired: &Value,
    live: Option<&Value>,
    drift: &ObjectDrift,
    opts: &CompareOptions,
) -> DiffText {
    let prepared = prepare_desired(desired);
    match live {
        Some(live) => {
            let (entries, _) = managed_entries(live);
            let lists = ListSchema::new(Schema::for_api_version(&drift.object.api_version()), &entries);
            let n = normalize(live);
            let after = simulate_apply(&prepared, desired, &n, &entries, &opts.field_manager, &lists);
            build(n, after, drift, &entries)
        }
        None => build(Value::Null, prepared, drift, &[]),
    }
}

/// The YAML of an object that exists on one side only, as a viewer shows it: a Missing
/// object's prepared manifest (what a sync would create), or an Extra object's normalized
/// live state (what a prune would delete). Secret values are masked.
pub fn one_side_text(obj: &Value, live: bool) -> String {
    let mut v = if live {
        normalize(obj)
    } else {
        prepare_desired(obj)
    };
    if super::normalize::is_secret(&v) {
        secret::mask_all(&mut v);
    }
    let api_version = v.get("apiVersion").and_then(Value::as_str).unwrap_or_default();
    let entries = if live { managed_entries(obj).0 } else { Vec::new() };
    let lists = ListSchema::new(Schema::for_api_version(api_version), &entries);
    emit_document(&v, &lists).0
}

fn build(mut before: Value, mut after: Value, drift: &ObjectDrift, entries: &[ManagedEntry]) -> DiffText {
    if drift.object.is_secret() {
        secret::mask_pair(&mut before, &mut after);
        // A side alone (Missing) still must not show values.
        if before.is_null() {
            secret::mask_all(&mut after);
        }
    }
    let lists = ListSchema::new(Schema::for_api_version(&drift.object.api_version()), entries);
    let (live, live_map) = emit_document(&before, &lists);
    let (desired, desired_map) = emit_document(&after, &lists);
    let anchors = drift
        .changes
        .iter()
        .map(|c| ChangeAnchor {
            path: c.path_text.clone(),
            op: c.op,
            live_line: line_of(&live_map, &c.path),
            desired_line: line_of(&desired_map, &c.path),
            owner: c.culprit().cloned(),
        })
        .collect();
    DiffText {
        live,
        desired,
        anchors,
    }
}

fn line_of(map: &[(FieldPath, usize)], path: &FieldPath) -> Option<usize> {
    map.iter()
        .filter(|(p, _)| path.starts_with(p))
        .max_by_key(|(p, _)| p.0.len())
        .map(|(_, l)| *l)
}

/// YAML text of `v` and the 0-based line of every field and list item.
pub fn emit_document(v: &Value, lists: &ListSchema) -> (String, Vec<(FieldPath, usize)>) {
    let mut e = Emitter {
        out: String::new(),
        line: 0,
        map: Vec::new(),
        lists,
    };
    if !v.is_null() {
        e.value_block(v, 0, &FieldPath::default());
    }
    (e.out, e.map)
}

struct Emitter<'a> {
    out: String,
    line: usize,
    map: Vec<(FieldPath, usize)>,
    lists: &'a ListSchema,
}

impl Emitter<'_> {
    fn newline(&mut self) {
        self.out.push('\n');
        self.line += 1;
    }

    fn indent(&mut self, n: usize) {
        self.out.extend(std::iter::repeat_n("  ", n));
    }

    /// A value that starts on a fresh line at `indent`.
    fn value_block(&mut self, v: &Value, indent: usize, path: &FieldPath) {
        match v {
            Value::Object(m) if !m.is_empty() => {
                for (k, c) in m {
                    self.indent(indent);
                    self.field(k, c, indent, path);
                }
            }
            Value::Array(a) if !a.is_empty() => self.items(a, indent, path),
            other => {
                self.indent(indent);
                self.scalar(other, indent);
                self.newline();
            }
        }
    }

    /// `key: value` at the current position (indentation already written).
    fn field(&mut self, k: &str, c: &Value, indent: usize, path: &FieldPath) {
        let child = path.child(PathElement::Field(k.to_string()));
        self.map.push((child.clone(), self.line));
        self.out.push_str(&plain_or_quoted(k));
        self.out.push(':');
        match c {
            Value::Object(cm) if !cm.is_empty() => {
                self.newline();
                self.value_block(c, indent + 1, &child);
            }
            Value::Array(ca) if !ca.is_empty() => {
                self.newline();
                self.items(ca, indent, &child);
            }
            _ => {
                self.out.push(' ');
                self.scalar(c, indent + 1);
                self.newline();
            }
        }
    }

    fn items(&mut self, a: &[Value], indent: usize, path: &FieldPath) {
        let merge = self.lists.merge_at(path);
        let keys: Option<Vec<PathElement>> = match &merge {
            Merge::Map(k) => keyed_items(a, k).map(|v| v.into_iter().map(|(e, _)| e).collect()),
            _ => None,
        };
        let is_set = merge == Merge::Set;
        for (i, item) in a.iter().enumerate() {
            let elem = match (&keys, is_set) {
                (Some(k), _) => k[i].clone(),
                (None, true) => PathElement::Value(item.to_string()),
                _ => PathElement::Index(i),
            };
            let child = path.child(elem);
            self.map.push((child.clone(), self.line));
            self.indent(indent);
            self.out.push_str("- ");
            match item {
                Value::Object(m) if !m.is_empty() => {
                    for (j, (k, c)) in m.iter().enumerate() {
                        if j > 0 {
                            self.indent(indent + 1);
                        }
                        self.field(k, c, indent + 1, &child);
                    }
                }
                Value::Array(inner) if !inner.is_empty() => {
                    self.newline();
                    self.items(inner, indent + 1, &child);
                }
                other => {
                    self.scalar(other, indent + 1);
                    self.newline();
                }
            }
        }
    }

    /// A scalar (or empty collection) inline; multi-line strings as literal blocks.
    fn scalar(&mut self, v: &Value, indent: usize) {
        match v {
            Value::Null => self.out.push_str("null"),
            Value::Bool(b) => self.out.push_str(if *b { "true" } else { "false" }),
            Value::Number(n) => self.out.push_str(&n.to_string()),
            Value::Object(_) => self.out.push_str("{}"),
            Value::Array(_) => self.out.push_str("[]"),
            Value::String(s) if literal_block_ok(s) => {
                let body = s.strip_suffix('\n');
                self.out.push_str(if body.is_some() { "|" } else { "|-" });
                for l in body.unwrap_or(s).split('\n') {
                    self.newline();
                    if !l.is_empty() {
                        self.indent(indent);
                        self.out.push_str(l);
                    }
                }
            }
            Value::String(s) => self.out.push_str(&plain_or_quoted(s)),
        }
    }
}

/// Multi-line text that a literal block reproduces exactly.
fn literal_block_ok(s: &str) -> bool {
    s.contains('\n')
        && !s.ends_with("\n\n")
        && !s.starts_with([' ', '\n'])
        && !s.chars().any(|c| c.is_control() && c != '\n')
        && !s.split('\n').any(|l| l.ends_with(' '))
}

/// A string as a plain YAML scalar when that reads back as the same string, else quoted.
fn plain_or_quoted(s: &str) -> String {
    if plain_ok(s) {
        s.to_string()
    } else {
        Value::String(s.to_string()).to_string()
    }
}

fn plain_ok(s: &str) -> bool {
    const RESERVED: [&str; 12] = [
        "true", "false", "null", "~", "yes", "no", "on", "off", "y", "n", ".nan", ".inf",
    ];
    let Some(first) = s.chars().next() else {
        return false;
    };
    let plain_shape = !RESERVED.contains(&s.to_ascii_lowercase().as_str())
        && !"-?:,[]{}#&*!|>'\"%@`.+ ".contains(first)
        && !s.ends_with([' ', ':'])
        && !s.contains(": ")
        && !s.contains(" #")
        && !s.chars().any(char::is_control);
    // `1.4.0-hotfix1` is text, `1.5` or `2026-01-01` are not: ask the parser.
    plain_shape
        && (!first.is_ascii_digit() || crate::yaml::from_str::<Value>(s).is_ok_and(|v| v.as_str() == Some(s)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn emitted_yaml_reads_back_identically() {
        let v = json!({
            "apiVersion": "apps/v1", "kind": "Deployment",
            "metadata": {"name": "web", "labels": {"app.kubernetes.io/name": "web", "v": "1.0", "on": "yes"}},
            "data": {"props": "a=1\nb=2\n", "nolf": "x\ny", "empty": "", "colon": "a: b", "dash": "-x", "num": "0123",
                "ver": "1.4.0-hotfix1", "float": "1.5", "date": "2026-01-01", "oct": "0o17", "hex": "0x1F"},
            "spec": {"replicas": 3, "ratio": 0.5, "flag": true, "none": null, "e": {}, "l": [],
                "template": {"spec": {"containers": [{"name": "w", "args": ["--a", "b c"],
                    "ports": [{"containerPort": 80, "protocol": "TCP"}]}]}},
                "nested": [[1, 2], ["x"]]}
        });
        let (text, _) = emit_document(&v, &ListSchema::table(Schema::BuiltIn));
        let back: Value = crate::yaml::from_str(&text).unwrap_or_else(|e| panic!("{e}\n{text}"));
        assert_eq!(back, v, "\n{text}");
    }

    #[test]
    fn line_map_points_at_fields_and_keyed_items() {
        let v = json!({"spec": {"containers": [{"name": "a", "image": "img-a"}, {"name": "b", "image": "img-b"}]}});
        let (text, map) = emit_document(&v, &ListSchema::table(Schema::BuiltIn));
        let lines: Vec<&str> = text.lines().collect();
        let b_image = FieldPath(vec![
            PathElement::Field("spec".into()),
            PathElement::Field("containers".into()),
            crate::kube::fieldset::list_map_key(&json!({"name": "b"}), &["name"])
                .unwrap_or(PathElement::Index(9)),
            PathElement::Field("image".into()),
        ]);
        let l = line_of(&map, &b_image).unwrap_or(usize::MAX);
        assert_eq!(lines.get(l).copied(), Some("  - image: img-b"));
    }
}
