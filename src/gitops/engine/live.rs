//! The live objects of one cluster that matter to its apps, kept current from the watchers:
//! desired objects and objects labelled `sextant.dev/app`. Everything else is dropped on
//! arrival so memory follows the apps, not the cluster.

use crate::kube::key::ObjectKey;
use serde_json::Value;
use std::collections::{HashMap, HashSet};

/// The label every object Sextant applies carries.
pub const APP_LABEL: &str = "sextant.dev/app";
/// The annotation that ties an applied object to its app: `<app>:<group>/<Kind>:<ns>/<name>`.
pub const TRACKING_ANNOTATION: &str = "sextant.dev/tracking-id";
const LAST_APPLIED: &str = "kubectl.kubernetes.io/last-applied-configuration";

/// The tracking id of `key` for `app`.
pub fn tracking_id(app: &str, key: &ObjectKey) -> String {
    format!("{app}:{key}")
}

/// The app an object is labelled for, if any.
pub fn app_label(obj: &Value) -> Option<&str> {
    obj.pointer("/metadata/labels")?.get(APP_LABEL)?.as_str()
}

/// The tracking id an object carries, if any.
pub fn tracking_of(obj: &Value) -> Option<&str> {
    obj.pointer("/metadata/annotations")?
        .get(TRACKING_ANNOTATION)?
        .as_str()
}

/// Live objects by key, plus the bookkeeping for a kind being re-listed.
#[derive(Default)]
pub struct LiveStore {
    objects: HashMap<ObjectKey, Value>,
    /// Keys seen since a kind's re-list started, by (group, kind).
    relisting: HashMap<(String, String), HashSet<ObjectKey>>,
}

impl LiveStore {
    pub fn get(&self, key: &ObjectKey) -> Option<&Value> {
        self.objects.get(key)
    }

    pub fn len(&self) -> usize {
        self.objects.len()
    }

    pub fn is_empty(&self) -> bool {
        self.objects.is_empty()
    }

    /// Objects labelled for `app`.
    pub fn labelled_for<'a>(&'a self, app: &'a str) -> impl Iterator<Item = (&'a ObjectKey, &'a Value)> + 'a {
        self.objects
            .iter()
            .filter(move |(_, v)| app_label(v) == Some(app))
    }

    /// A (re)list of a kind starts.
    pub fn begin_list(&mut self, group_kind: (String, String)) {
        self.relisting.insert(group_kind, HashSet::new());
    }

    /// Store an added or modified object if `wanted` says so. Returns its key when stored
    /// (or when a stored object stopped being wanted and was dropped).
    pub fn apply(&mut self, mut obj: Value, wanted: impl Fn(&ObjectKey) -> bool) -> Option<ObjectKey> {
        let key = ObjectKey::of(&obj)?;
        if let Some(seen) = self.relisting.get_mut(&(key.group.clone(), key.kind.clone())) {
            seen.insert(key.clone());
        }
        if !wanted(&key) && app_label(&obj).is_none() {
            return self.objects.remove(&key).map(|_| key);
        }
        // The last-applied annotation is normalized away and can be large: do not keep it.
        if let Some(annotations) = obj
            .pointer_mut("/metadata/annotations")
            .and_then(Value::as_object_mut)
        {
            annotations.remove(LAST_APPLIED);
        }
        self.objects.insert(key.clone(), obj);
        Some(key)
    }

    /// Forget a deleted object. Returns its key when it was stored.
    pub fn delete(&mut self, obj: &Value) -> Option<ObjectKey> {
        let key = ObjectKey::of(obj)?;
        self.objects.remove(&key).map(|_| key)
    }

    /// A (re)list of a kind is complete: objects of that kind it did not list are gone.
    /// Returns their keys.
    pub fn end_list(&mut self, group_kind: &(String, String)) -> Vec<ObjectKey> {
        let Some(seen) = self.relisting.remove(group_kind) else {
            return Vec::new();
        };
        let gone: Vec<ObjectKey> = self
            .objects
            .keys()
            .filter(|k| k.group == group_kind.0 && k.kind == group_kind.1 && !seen.contains(*k))
            .cloned()
            .collect();
        for k in &gone {
            self.objects.remove(k);
        }
        gone
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn cm(name: &str, label: Option<&str>) -> Value {
        let mut v = json!({"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":name,"namespace":"ns",
            "annotations":{LAST_APPLIED:"{big}"}}});
        if let Some(l) = label {
            v["metadata"]["labels"] = json!({APP_LABEL: l});
        }
        v
    }

    #[test]
    fn keeps_wanted_and_labelled_objects_only() {
        let mut store = LiveStore::default();
        let wanted = |k: &ObjectKey| k.name == "a";
        assert!(store.apply(cm("a", None), wanted).is_some());
        assert!(store.apply(cm("b", None), wanted).is_none());
        assert!(store.apply(cm("c", Some("shop")), wanted).is_some());
        assert_eq!(store.len(), 2);
        assert_eq!(store.labelled_for("shop").count(), 1);
        let a = store
            .objects
            .values()
            .find(|v| v["metadata"]["name"] == "a")
            .unwrap();
        assert!(a["metadata"]["annotations"].get(LAST_APPLIED).is_none());
    }

    #[test]
    fn relist_drops_objects_not_listed_again() {
        let mut store = LiveStore::default();
        let gk = (String::new(), "ConfigMap".to_string());
        store.apply(cm("a", Some("x")), |_| true);
        store.apply(cm("b", Some("x")), |_| true);
        store.begin_list(gk.clone());
        store.apply(cm("a", Some("x")), |_| true);
        let gone = store.end_list(&gk);
        assert_eq!(gone.len(), 1);
        assert_eq!(gone[0].name, "b");
        assert_eq!(store.len(), 1);
    }
}
