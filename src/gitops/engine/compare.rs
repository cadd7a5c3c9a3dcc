//! The engine's one door to the drift core (`crate::gitops::drift`): local, preview and
//! rejected verdicts for one object, turned into the plain data the report carries.

use crate::gitops::drift::{
    self, ApplyRejection, ChangeOp, CompareOptions, DriftError, ObjectDrift, Owner, SyncState,
};
use crate::gitops::health;
use serde::Serialize;
use serde_json::Value;

/// One differing (or unmanaged) path, ready to show: values are masked for Secrets.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct FieldChange {
    /// `.spec.template.spec.containers[name=web].image`
    pub path: String,
    /// `add`, `remove` or `replace` (unmanaged changes: `unmanaged`).
    pub op: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub live: Option<Value>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub desired: Option<Value>,
    /// The manager that owns the path in live (the one who changed it), if any.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub manager: Option<String>,
    /// `Update` / `Apply`, with the subresource when there is one (`Update/scale`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub operation: Option<String>,
    /// When the manager wrote it (RFC 3339), if the server recorded it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub time: Option<String>,
    /// When Sextant first saw the change on the cluster (RFC 3339), for writes the server
    /// records no time for (`kubectl scale`) made while Sextant was watching.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub seen: Option<String>,
    /// Where the change sits in `live_yaml` and `desired_yaml` (0-based lines: the field, or
    /// its nearest ancestor shown), so a viewer puts the manager beside the right line.
    #[serde(skip)]
    pub lines: (Option<usize>, Option<usize>),
}

/// The comparison of one live object with its desired state.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Comparison {
    /// Whether applying desired would change the object.
    pub drift: bool,
    pub changes: Vec<FieldChange>,
    /// Fields other managers set that desired never mentions (not drift).
    pub unmanaged: Vec<FieldChange>,
    /// Normalized live YAML and desired (or dry-run) YAML, Secret values masked; empty when
    /// there is no drift, to keep reports small.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub live_yaml: String,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub desired_yaml: String,
    /// A problem met on the way (the server rejects desired, partial attribution).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

/// Local path: predict what applying desired would change on live.
pub fn compare_local(desired: &Value, live: &Value) -> Result<Comparison, String> {
    let opts = CompareOptions::default();
    let verdict = drift::compare_local(desired, live, &opts).map_err(|e| e.to_string())?;
    Ok(from_drift(&verdict, || {
        drift::diff_text_local(desired, Some(live), &verdict, &opts)
    }))
}

/// Preview path: live against the server-side apply dry-run of desired. A dry-run computed
/// against another version of the object than the watch cache holds falls back to the local
/// path (the watch event for the newer version brings a fresh dry-run).
pub fn compare_preview(desired: &Value, live: &Value, preview: &Value) -> Result<Comparison, String> {
    let opts = CompareOptions::default();
    match drift::compare_preview(desired, live, preview, &opts) {
        Ok(verdict) => Ok(from_drift(&verdict, || {
            drift::diff_text_preview(live, preview, &verdict)
        })),
        Err(stale @ DriftError::StalePreview { .. }) => {
            let mut cmp = compare_local(desired, live)?;
            cmp.note = Some(format!("{stale}; compared locally meanwhile"));
            Ok(cmp)
        }
        Err(e) => Err(e.to_string()),
    }
}

/// The server refused the dry-run (422 immutable field...): the local verdict plus why.
pub fn compare_rejected(
    desired: &Value,
    live: &Value,
    code: u16,
    message: &str,
) -> Result<Comparison, String> {
    let opts = CompareOptions::default();
    let rejection = ApplyRejection {
        code,
        reason: String::new(),
        message: message.to_string(),
    };
    let verdict = drift::compare_rejected(desired, live, rejection, &opts).map_err(|e| e.to_string())?;
    let mut cmp = from_drift(&verdict, || {
        drift::diff_text_local(desired, Some(live), &verdict, &opts)
    });
    if let Some(r) = &verdict.rejection {
        cmp.note = Some(format!("the server rejects desired ({}): {}", r.code, r.message));
    }
    Ok(cmp)
}

/// The comparison of an object on one side only: a Missing one's manifest as added lines,
/// an Extra one's live state as removed lines. There are no field changes to attribute.
pub fn one_sided(desired: Option<&Value>, live: Option<&Value>) -> Comparison {
    let text = |obj: Option<&Value>, is_live: bool| {
        obj.map(|o| drift::one_side_text(o, is_live)).unwrap_or_default()
    };
    Comparison {
        drift: true,
        changes: Vec::new(),
        unmanaged: Vec::new(),
        live_yaml: text(live, true),
        desired_yaml: text(desired, false),
        note: None,
    }
}

/// Health of a live object (`Healthy`, `Progressing`, `Degraded`, `Suspended`, `Unknown`)
/// and why.
pub fn health(live: &Value) -> health::HealthStatus {
    health::assess(Some(live))
}

fn from_drift(verdict: &ObjectDrift, text: impl FnOnce() -> drift::DiffText) -> Comparison {
    let drifted = verdict.state == SyncState::OutOfSync;
    let (live_yaml, desired_yaml, anchors) = if drifted {
        let t = text();
        (t.live, t.desired, t.anchors)
    } else {
        (String::new(), String::new(), Vec::new())
    };
    Comparison {
        drift: drifted,
        changes: verdict
            .changes
            .iter()
            .enumerate()
            .map(|(i, c)| {
                let mut fc = attributed(c.culprit().or(c.owners.first()));
                fc.path = c.path_text.clone();
                fc.op = op_word(c.op).into();
                fc.live = c.live.clone();
                fc.desired = c.desired.clone();
                // The texts' anchors come one per change, in the same order.
                if let Some(a) = anchors.get(i).filter(|a| a.path == c.path_text) {
                    fc.lines = (a.live_line, a.desired_line);
                }
                fc
            })
            .collect(),
        unmanaged: verdict
            .unmanaged
            .iter()
            .map(|u| FieldChange {
                path: u.path_text.clone(),
                op: "unmanaged".into(),
                live: u.value.clone(),
                ..attributed(Some(&u.owner))
            })
            .collect(),
        live_yaml,
        desired_yaml,
        note: verdict.error.clone(),
    }
}

fn attributed(owner: Option<&Owner>) -> FieldChange {
    FieldChange {
        path: String::new(),
        op: String::new(),
        live: None,
        desired: None,
        manager: owner.map(|o| o.manager.clone()),
        operation: owner.map(|o| match &o.subresource {
            Some(sub) => format!("{}/{sub}", o.operation),
            None => o.operation.clone(),
        }),
        time: owner.and_then(|o| o.time.clone()),
        seen: None,
        lines: (None, None),
    }
}

/// Mark when Sextant first saw each change: one `previous` already had (same path, same live
/// value) keeps its mark; a new one gets `now`, which is None on a first evaluation (the change
/// was there before Sextant looked, so it cannot tell when it happened).
pub fn stamp_seen(cmp: &mut Comparison, previous: Option<&Comparison>, now: Option<&str>) {
    let same = |a: &FieldChange, b: &FieldChange| a.path == b.path && a.live == b.live;
    let stamp = |changes: &mut [FieldChange], before: &[FieldChange]| {
        for ch in changes {
            ch.seen = match before.iter().find(|b| same(b, ch)) {
                Some(b) => b.seen.clone(),
                None => now.map(str::to_string),
            };
        }
    };
    let none = Vec::new();
    stamp(&mut cmp.changes, previous.map_or(&none, |p| &p.changes));
    stamp(&mut cmp.unmanaged, previous.map_or(&none, |p| &p.unmanaged));
}

fn op_word(op: ChangeOp) -> &'static str {
    match op {
        ChangeOp::Add => "add",
        ChangeOp::Remove => "remove",
        ChangeOp::Replace => "replace",
    }
}

/// `kubectl scale` of `.spec.replicas` from 3 to 5, as unit tests elsewhere need one.
#[cfg(test)]
pub(crate) fn scale_change(time: Option<&str>, seen: Option<&str>) -> FieldChange {
    FieldChange {
        path: ".spec.replicas".into(),
        op: "replace".into(),
        live: Some(serde_json::json!(5)),
        desired: Some(serde_json::json!(3)),
        manager: Some("kubectl".into()),
        operation: Some("Update/scale".into()),
        time: time.map(str::to_string),
        seen: seen.map(str::to_string),
        lines: (None, None),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn cmp(changes: &[(&str, i64)]) -> Comparison {
        let changes = changes
            .iter()
            .map(|(path, live)| {
                let mut c = attributed(None);
                c.path = path.to_string();
                c.live = Some(json!(live));
                c
            })
            .collect();
        Comparison {
            drift: true,
            changes,
            unmanaged: Vec::new(),
            live_yaml: String::new(),
            desired_yaml: String::new(),
            note: None,
        }
    }

    #[test]
    fn a_change_keeps_when_it_was_first_seen_and_a_new_one_is_seen_now() {
        // A first evaluation cannot tell when the changes it finds happened.
        let mut first = cmp(&[(".spec.replicas", 5)]);
        stamp_seen(&mut first, None, None);
        assert_eq!(first.changes[0].seen, None);

        // Later, a new change is seen now; the old one keeps its (unknown) time.
        let mut later = cmp(&[(".spec.replicas", 5), (".data.mode", 1)]);
        stamp_seen(&mut later, Some(&first), Some("T1"));
        let seen: Vec<_> = later.changes.iter().map(|c| c.seen.as_deref()).collect();
        assert_eq!(seen, [None, Some("T1")]);

        // The same change again keeps T1; a new value at the same path is a new change.
        let mut again = cmp(&[(".spec.replicas", 7), (".data.mode", 1)]);
        stamp_seen(&mut again, Some(&later), Some("T2"));
        let seen: Vec<_> = again.changes.iter().map(|c| c.seen.as_deref()).collect();
        assert_eq!(seen, [Some("T2"), Some("T1")]);
    }
}
