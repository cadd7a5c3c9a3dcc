//! One-line, human wording of drift for list views and the CLI:
//! `spec.replicas 3→5 by kubectl via scale, time not recorded`. The arrow reads in the
//! direction the other manager moved the field (desired → live). `now_unix` is passed in
//! so the wording stays a pure function.

use super::types::{Change, ChangeOp, ObjectDrift, SyncState, UnmanagedChange};
use serde_json::Value;

/// Values longer than this are elided in one-line descriptions.
const MAX_VALUE_CHARS: usize = 40;

fn short(v: &Option<Value>) -> String {
    let text = match v {
        None => return "∅".into(),
        Some(Value::String(s)) => s.clone(),
        Some(Value::Object(m)) if !m.is_empty() => return "{…}".into(),
        Some(Value::Array(a)) if !a.is_empty() => return "[…]".into(),
        Some(other) => other.to_string(),
    };
    let first = text.lines().next().unwrap_or_default();
    match first.char_indices().nth(MAX_VALUE_CHARS) {
        Some((i, _)) => format!("{}…", &first[..i]),
        None if first.len() < text.len() => format!("{first}…"),
        None => first.to_string(),
    }
}

impl Change {
    /// `spec.replicas 3→5 by kubectl-edit, 2m ago`; `metadata.labels.tier removed (no owner left)`.
    pub fn describe(&self, now_unix: i64) -> String {
        let path = self.path_text.trim_start_matches('.');
        let what = match self.op {
            ChangeOp::Replace => format!("{path} {}→{}", short(&self.desired), short(&self.live)),
            // Live lacks what desired sets: someone removed it.
            ChangeOp::Add => format!("{path} removed"),
            // Live has what applying would remove.
            ChangeOp::Remove => format!("{path} = {}", short(&self.live)),
        };
        match self.culprit() {
            Some(o) => format!("{what} by {}", o.describe(now_unix)),
            None if self.owners.is_empty() => format!("{what} (no owner left)"),
            None => format!("{what} (owned by sextant; no longer in Git)"),
        }
    }
}

impl UnmanagedChange {
    /// `spec.suspend = true by kubectl-edit, 5m ago (kept by sync)`.
    pub fn describe(&self, now_unix: i64) -> String {
        format!(
            "{} = {} by {} (kept by sync)",
            self.path_text.trim_start_matches('.'),
            short(&self.value),
            self.owner.describe(now_unix)
        )
    }
}

impl ObjectDrift {
    /// The first change, and how many more: what a one-line app row shows.
    pub fn headline(&self, now_unix: i64) -> String {
        match (self.state, self.changes.first()) {
            (SyncState::Missing, _) => "missing on the cluster".into(),
            (SyncState::Extra, _) => "no longer in Git (prune candidate)".into(),
            (SyncState::Unknown, _) => self.error.clone().unwrap_or_else(|| "unknown".into()),
            (_, Some(first)) if self.changes.len() > 1 => {
                format!("{} (+{} more)", first.describe(now_unix), self.changes.len() - 1)
            }
            (_, Some(first)) => first.describe(now_unix),
            (_, None) => match &self.rejection {
                Some(r) => format!("cannot apply: {}", r.message),
                None => String::new(),
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::gitops::drift::{ObjectRef, Owner};
    use crate::kube::fieldset::FieldPath;
    use serde_json::json;

    fn change(op: ChangeOp, live: Option<Value>, desired: Option<Value>, owners: Vec<Owner>) -> Change {
        Change {
            path: FieldPath::default(),
            path_text: ".spec.replicas".into(),
            op,
            live,
            desired,
            owners,
        }
    }

    fn owner(manager: &str) -> Owner {
        Owner {
            manager: manager.into(),
            operation: "Update".into(),
            subresource: None,
            time: Some("1970-01-01T00:00:00Z".into()),
        }
    }

    #[test]
    fn replaced_values_read_desired_to_live() {
        let c = change(
            ChangeOp::Replace,
            Some(json!(5)),
            Some(json!(3)),
            vec![owner("kubectl-edit")],
        );
        assert_eq!(c.describe(120), "spec.replicas 3→5 by kubectl-edit, 2m ago");
    }

    #[test]
    fn ownerless_and_own_fields() {
        assert_eq!(
            change(ChangeOp::Add, None, Some(json!(1)), vec![]).describe(0),
            "spec.replicas removed (no owner left)"
        );
        let ours = change(
            ChangeOp::Replace,
            Some(json!(4)),
            Some(json!(1)),
            vec![owner("sextant")],
        );
        assert_eq!(
            ours.describe(0),
            "spec.replicas 1→4 (owned by sextant; no longer in Git)"
        );
    }

    #[test]
    fn long_and_structured_values_are_elided() {
        let long = "x".repeat(100);
        let c = change(ChangeOp::Remove, Some(json!(long)), None, vec![]);
        assert_eq!(
            c.describe(0),
            format!("spec.replicas = {}… (no owner left)", "x".repeat(40))
        );
        let c = change(ChangeOp::Remove, Some(json!({"a": 1})), None, vec![]);
        assert!(c.describe(0).contains("= {…}"));
        let c = change(ChangeOp::Remove, Some(json!("a=1\nb=2\n")), None, vec![]);
        assert!(c.describe(0).contains("= a=1…"));
    }

    #[test]
    fn headlines() {
        let r = ObjectRef {
            group: String::new(),
            version: "v1".into(),
            kind: "ConfigMap".into(),
            namespace: None,
            name: "c".into(),
        };
        let mut d = ObjectDrift::bare(r, SyncState::OutOfSync);
        d.changes = vec![
            change(
                ChangeOp::Replace,
                Some(json!(5)),
                Some(json!(3)),
                vec![owner("kubectl")],
            ),
            change(ChangeOp::Add, None, Some(json!(1)), vec![]),
        ];
        assert_eq!(d.headline(30), "spec.replicas 3→5 by kubectl, 30s ago (+1 more)");
        d.state = SyncState::Missing;
        assert_eq!(d.headline(0), "missing on the cluster");
    }
}
