//! Ownership tracking. Every object Sextant applies carries the annotation
//! `sextant.dev/tracking-id: <app>:<group>/<Kind>:<namespace>/<name>` and the label
//! `sextant.dev/app: <app>`. An object is the app's (and may be pruned) only while its
//! tracking id still names the app *and* the object itself, so a copied annotation never
//! makes someone else's object a prune candidate.

use crate::gitops::drift::{DriftError, ObjectRef};
use serde_json::{Map, Value};
use std::fmt;

pub const TRACKING_ANNOTATION: &str = "sextant.dev/tracking-id";
pub const APP_LABEL: &str = "sextant.dev/app";
/// The full commit id the last Sextant sync applied, stamped on every object it applies.
pub const REVISION_ANNOTATION: &str = "sextant.dev/revision";
/// Set by a sync to a revision other than the branch head (an emergency rollback): the
/// commit the app is pinned to. A sync to the head leaves it out, and server-side apply then
/// removes it, which clears the pin.
pub const PINNED_ANNOTATION: &str = "sextant.dev/pinned";

/// A parsed tracking id.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct TrackingId {
    pub app: String,
    /// Empty for the core group.
    pub group: String,
    pub kind: String,
    /// Empty for cluster-scoped objects.
    pub namespace: String,
    pub name: String,
}

/// A tracking annotation that does not have the expected shape.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "tracking id {0:?} is malformed; expected <app>:<group>/<Kind>:<namespace>/<name> \
     (re-sync the app to rewrite it)"
)]
pub struct TrackingError(pub String);

impl TrackingId {
    pub fn for_object(app: &str, obj: &ObjectRef) -> TrackingId {
        TrackingId {
            app: app.to_string(),
            group: obj.group.clone(),
            kind: obj.kind.clone(),
            namespace: obj.namespace.clone().unwrap_or_default(),
            name: obj.name.clone(),
        }
    }

    pub fn parse(s: &str) -> Result<TrackingId, TrackingError> {
        let bad = || TrackingError(s.to_string());
        let (app, rest) = s.split_once(':').ok_or_else(bad)?;
        let (gk, nn) = rest.split_once(':').ok_or_else(bad)?;
        let (group, kind) = gk.split_once('/').ok_or_else(bad)?;
        let (namespace, name) = nn.split_once('/').ok_or_else(bad)?;
        if app.is_empty() || kind.is_empty() || name.is_empty() || name.contains('/') {
            return Err(bad());
        }
        Ok(TrackingId {
            app: app.into(),
            group: group.into(),
            kind: kind.into(),
            namespace: namespace.into(),
            name: name.into(),
        })
    }

    /// Whether this id names exactly this object (any version of its group/kind).
    pub fn names(&self, obj: &ObjectRef) -> bool {
        self.group == obj.group
            && self.kind == obj.kind
            && self.name == obj.name
            && self.namespace == obj.namespace.clone().unwrap_or_default()
    }
}

impl fmt::Display for TrackingId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}:{}/{}:{}/{}",
            self.app, self.group, self.kind, self.namespace, self.name
        )
    }
}

/// Stamp a desired object with the tracking annotation and app label; returns the id.
pub fn stamp(obj: &mut Value, app: &str) -> Result<TrackingId, DriftError> {
    let id = TrackingId::for_object(app, &ObjectRef::from_object(obj)?);
    let meta = metadata_of(obj)?;
    for (field, key, value) in [
        ("annotations", TRACKING_ANNOTATION, id.to_string()),
        ("labels", APP_LABEL, app.to_string()),
    ] {
        set_in(meta, field, key, value);
    }
    Ok(id)
}

/// Stamp an object with the commit a sync applies ([`REVISION_ANNOTATION`]), next to [`stamp`].
pub fn stamp_revision(obj: &mut Value, commit: &str) -> Result<(), DriftError> {
    let meta = metadata_of(obj)?;
    set_in(meta, "annotations", REVISION_ANNOTATION, commit.to_string());
    Ok(())
}

/// Mark an object as pinned to `commit` ([`PINNED_ANNOTATION`]).
pub fn stamp_pinned(obj: &mut Value, commit: &str) -> Result<(), DriftError> {
    let meta = metadata_of(obj)?;
    set_in(meta, "annotations", PINNED_ANNOTATION, commit.to_string());
    Ok(())
}

/// The commit a live object is pinned to ([`PINNED_ANNOTATION`]), if any.
pub fn pinned_of(obj: &Value) -> Option<&str> {
    obj.pointer("/metadata/annotations")?
        .get(PINNED_ANNOTATION)?
        .as_str()
        .filter(|s| !s.is_empty())
}

/// The object's `metadata` mapping, created when absent.
fn metadata_of(obj: &mut Value) -> Result<&mut Map<String, Value>, DriftError> {
    let meta = obj
        .as_object_mut()
        .ok_or(DriftError::MissingField("metadata"))?
        .entry("metadata")
        .or_insert_with(|| Value::Object(Map::new()));
    match meta {
        Value::Object(meta) => Ok(meta),
        _ => Err(DriftError::MissingField("metadata")),
    }
}

/// Set `key` in the mapping under `field` (`labels`, `annotations`), replacing a null or scalar.
fn set_in(meta: &mut Map<String, Value>, field: &str, key: &str, value: String) {
    let slot = meta.entry(field).or_insert_with(|| Value::Object(Map::new()));
    if !slot.is_object() {
        *slot = Value::Object(Map::new());
    }
    if let Value::Object(m) = slot {
        m.insert(key.to_string(), Value::String(value));
    }
}

/// The commit the last sync applied to a live object ([`REVISION_ANNOTATION`]), if any.
pub fn revision_of(obj: &Value) -> Option<&str> {
    obj.pointer("/metadata/annotations")?
        .get(REVISION_ANNOTATION)?
        .as_str()
        .filter(|s| !s.is_empty())
}

/// The tracking id a live object carries: `None` without the annotation.
pub fn tracking_of(obj: &Value) -> Option<Result<TrackingId, TrackingError>> {
    let raw = obj
        .pointer("/metadata/annotations")?
        .get(TRACKING_ANNOTATION)?
        .as_str()?;
    Some(TrackingId::parse(raw))
}

/// Whether `obj` is tracked as `app`'s: its id parses, names the app, and names the object.
pub fn is_tracked_by(obj: &Value, app: &str) -> bool {
    match (tracking_of(obj), ObjectRef::from_object(obj)) {
        (Some(Ok(id)), Ok(r)) => id.app == app && id.names(&r),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn stamp_then_recognise() {
        let mut d = json!({"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "web", "namespace": "prod"}});
        let id = stamp(&mut d, "guestbook").unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(id.to_string(), "guestbook:apps/Deployment:prod/web");
        assert_eq!(d["metadata"]["labels"][APP_LABEL], "guestbook");
        assert!(is_tracked_by(&d, "guestbook"));
        assert!(!is_tracked_by(&d, "other"));
    }

    #[test]
    fn revision_stamp_round_trips() {
        let mut d =
            json!({"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "a", "annotations": null}});
        assert_eq!(revision_of(&d), None);
        stamp_revision(&mut d, "9f2c1e").unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(revision_of(&d), Some("9f2c1e"));
        assert_eq!(
            stamp_revision(&mut json!("text"), "x"),
            Err(DriftError::MissingField("metadata"))
        );
    }

    #[test]
    fn core_and_cluster_scoped_ids_round_trip() {
        let mut ns =
            json!({"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "team-a", "labels": null}});
        let id = stamp(&mut ns, "platform").unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(id.to_string(), "platform:/Namespace:/team-a");
        assert_eq!(TrackingId::parse(&id.to_string()), Ok(id));
    }

    #[test]
    fn a_copied_annotation_does_not_make_an_object_ours() {
        let copy = json!({"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "copy", "namespace": "a",
            "annotations": {TRACKING_ANNOTATION: "app:/ConfigMap:a/original"}}});
        assert!(!is_tracked_by(&copy, "app"));
    }

    #[test]
    fn malformed_ids_are_errors() {
        for s in [
            "",
            "app",
            "app:/Kind",
            "app:Kind:ns/name",
            ":/K:ns/n",
            "app:/K:ns/",
        ] {
            assert!(TrackingId::parse(s).is_err(), "{s}");
        }
        let obj = json!({"metadata": {"annotations": {TRACKING_ANNOTATION: "nonsense"}}});
        assert!(matches!(tracking_of(&obj), Some(Err(_))));
        let missing = json!({"apiVersion": "v1", "kind": "ConfigMap"});
        assert_eq!(
            stamp(&mut missing.clone(), "a"),
            Err(DriftError::MissingField("metadata.name"))
        );
    }
}
