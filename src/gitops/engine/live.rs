//! The live objects of one cluster that matter to its apps, kept current from the watchers:
//! desired objects and objects labelled `sextant.dev/app`. Everything else is dropped on
//! arrival so memory follows the apps, not the cluster. Objects are kept as compact JSON
//! text (a third of a parsed tree's size) and parsed only when evaluated.

use crate::gitops::tracking::APP_LABEL;
use crate::kube::key::ObjectKey;
use crate::kube::watch::LiveObject;
use serde_json::Value;
use std::collections::{BTreeSet, HashMap, HashSet};

struct Stored {
    json: Box<str>,
    app: Option<Box<str>>,
}

/// Live objects by key, plus the bookkeeping for a kind being re-listed.
#[derive(Default)]
pub struct LiveStore {
    objects: HashMap<ObjectKey, Stored>,
    /// Keys seen since a kind's re-list started, by (group, kind).
    relisting: HashMap<(String, String), HashSet<ObjectKey>>,
}

impl LiveStore {
    /// The parsed live object.
    pub fn get(&self, key: &ObjectKey) -> Option<Value> {
        self.objects
            .get(key)
            .and_then(|s| serde_json::from_str(&s.json).ok())
    }

    pub fn contains(&self, key: &ObjectKey) -> bool {
        self.objects.contains_key(key)
    }

    /// The app the object is labelled for (`sextant.dev/app`), if any.
    pub fn app_of(&self, key: &ObjectKey) -> Option<&str> {
        self.objects.get(key).and_then(|s| s.app.as_deref())
    }

    pub fn len(&self) -> usize {
        self.objects.len()
    }

    pub fn is_empty(&self) -> bool {
        self.objects.is_empty()
    }

    /// Keys of objects labelled for `app`.
    pub fn labelled_for<'a>(&'a self, app: &'a str) -> impl Iterator<Item = &'a ObjectKey> + 'a {
        self.objects
            .iter()
            .filter(move |(_, s)| s.app.as_deref() == Some(app))
            .map(|(k, _)| k)
    }

    /// Every app some stored object is labelled for.
    pub fn labelled_apps(&self) -> BTreeSet<&str> {
        self.objects.values().filter_map(|s| s.app.as_deref()).collect()
    }

    /// A (re)list of a kind starts.
    pub fn begin_list(&mut self, group_kind: (String, String)) {
        self.relisting.insert(group_kind, HashSet::new());
    }

    /// Store an added or modified object if `wanted` says so or it is labelled for an app.
    /// Returns its key when stored (or when a stored object stopped being wanted).
    pub fn apply(&mut self, obj: LiveObject, wanted: impl Fn(&ObjectKey) -> bool) -> Option<ObjectKey> {
        if let Some(seen) = self
            .relisting
            .get_mut(&(obj.key.group.clone(), obj.key.kind.clone()))
        {
            seen.insert(obj.key.clone());
        }
        if !wanted(&obj.key) && obj.app.is_none() {
            return self.objects.remove(&obj.key).map(|_| obj.key);
        }
        let stored = Stored {
            json: obj.json,
            app: obj.app.map(String::into_boxed_str),
        };
        self.objects.insert(obj.key.clone(), stored);
        Some(obj.key)
    }

    /// Store an object read outside the watch (a GET), as the watcher would have stored it.
    pub fn insert_read(&mut self, key: ObjectKey, obj: &Value) {
        if let Some(seen) = self.relisting.get_mut(&(key.group.clone(), key.kind.clone())) {
            seen.insert(key.clone());
        }
        let app = obj
            .pointer("/metadata/labels")
            .and_then(|l| l.get(APP_LABEL))
            .and_then(Value::as_str)
            .map(Box::from);
        let stored = Stored {
            json: obj.to_string().into_boxed_str(),
            app,
        };
        self.objects.insert(key, stored);
    }

    /// Forget a deleted object. Returns its key when it was stored.
    pub fn delete(&mut self, key: ObjectKey) -> Option<ObjectKey> {
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

    fn cm(name: &str, label: Option<&str>) -> LiveObject {
        LiveObject {
            key: ObjectKey {
                group: String::new(),
                kind: "ConfigMap".into(),
                namespace: "ns".into(),
                name: name.into(),
            },
            json: format!(r#"{{"apiVersion":"v1","kind":"ConfigMap","metadata":{{"name":"{name}"}}}}"#)
                .into(),
            app: label.map(str::to_string),
        }
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
        let a = store.get(&cm("a", None).key).expect("stored");
        assert_eq!(a["metadata"]["name"], "a");
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

    #[test]
    fn objects_read_by_get_are_stored_like_watched_ones() {
        let mut store = LiveStore::default();
        let gk = (String::new(), "ConfigMap".to_string());
        let key = cm("a", None).key;
        store.begin_list(gk.clone());
        let obj = serde_json::json!({"apiVersion": "v1", "kind": "ConfigMap",
            "metadata": {"name": "a", "labels": {APP_LABEL: "shop"}}});
        store.insert_read(key.clone(), &obj);
        assert!(store.end_list(&gk).is_empty(), "read during a relist, not gone");
        assert_eq!(store.app_of(&key), Some("shop"));
        assert_eq!(
            store.labelled_apps().into_iter().collect::<Vec<_>>(),
            vec!["shop"]
        );
    }
}
