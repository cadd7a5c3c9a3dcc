//! One cluster's storage: objects by (group, resource, namespace, name), the global
//! resourceVersion, the registered resource types, a bounded event log for watch resumes,
//! and the broadcast channel watchers listen on.

use super::kinds::{self, ResourceType};
use bytes::Bytes;
use serde_json::{Value, json};
use std::collections::{BTreeMap, HashMap, VecDeque};
use std::sync::Arc;
use std::time::{SystemTime, UNIX_EPOCH};
use tokio::sync::broadcast;

/// How many past events a watch can resume from; older versions get 410 Gone.
pub const EVENT_WINDOW: usize = 4096;

/// One stored object as compact JSON (what GET and WATCH send as is) plus its labels for
/// selectors. Keeping bytes rather than a parsed tree keeps 10,000 objects in a few MB.
///
/// The JSON starts with `apiVersion` and `kind`, so that a LIST of a built-in kind can leave
/// them out of each item without another copy, as a real kube-apiserver does.
#[derive(Debug)]
pub struct Stored {
    pub json: Bytes,
    pub labels: Vec<(String, String)>,
    /// Where the fields after `apiVersion` and `kind` start in `json`.
    untyped_from: usize,
}

const TYPE_KEYS: [&str; 2] = ["apiVersion", "kind"];

/// A JSON object's entries, skipping or keeping only `apiVersion` and `kind`.
struct Entries<'a> {
    map: &'a serde_json::Map<String, Value>,
    type_keys: bool,
}

impl serde::Serialize for Entries<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let mut m = s.serialize_map(None)?;
        for (k, v) in self.map {
            if TYPE_KEYS.contains(&k.as_str()) == self.type_keys {
                m.serialize_entry(k, v)?;
            }
        }
        m.end()
    }
}

impl Stored {
    pub fn new(v: &Value) -> Stored {
        let labels = v["metadata"]["labels"]
            .as_object()
            .map(|m| {
                m.iter()
                    .map(|(k, v)| (k.clone(), v.as_str().unwrap_or_default().to_string()))
                    .collect()
            })
            .unwrap_or_default();
        let Some(map) = v.as_object() else {
            let json = serde_json::to_vec(v).unwrap_or_default();
            return Stored {
                untyped_from: json.len(),
                json: Bytes::from(json),
                labels,
            };
        };
        let part = |type_keys| serde_json::to_vec(&Entries { map, type_keys }).unwrap_or_default();
        let (head, rest) = (part(true), part(false));
        // `{"apiVersion":…,"kind":…}` and `{…}` joined into one object.
        let (json, untyped_from) = match (head.len() > 2, rest.len() > 2) {
            (false, _) => (rest, 1),
            (true, false) => {
                let at = head.len() - 1;
                (head, at)
            }
            (true, true) => {
                let mut json = head;
                json.pop();
                json.push(b',');
                let at = json.len();
                json.extend_from_slice(&rest[1..]);
                (json, at)
            }
        };
        Stored {
            json: Bytes::from(json),
            labels,
            untyped_from,
        }
    }

    /// The parsed object (the bytes were written by `new`, so they parse).
    pub fn value(&self) -> Value {
        serde_json::from_slice(&self.json).unwrap_or(Value::Null)
    }

    /// The object without `apiVersion` and `kind`, as a real server lists built-in kinds.
    pub fn write_untyped(&self, out: &mut Vec<u8>) {
        out.push(b'{');
        out.extend_from_slice(self.json.get(self.untyped_from..).unwrap_or_default());
    }

    pub fn label(&self, key: &str) -> Option<&str> {
        self.labels
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
    }
}

#[derive(Debug)]
pub struct WatchEvent {
    pub rv: u64,
    /// `ADDED`, `MODIFIED` or `DELETED`.
    pub kind: &'static str,
    pub group: String,
    pub resource: String,
    pub namespace: String,
    pub object: Arc<Stored>,
}

type Objects = BTreeMap<(String, String), Arc<Stored>>;

pub struct Store {
    rv: u64,
    pub types: Vec<Arc<ResourceType>>,
    objects: HashMap<(String, String), Objects>,
    log: VecDeque<Arc<WatchEvent>>,
    tx: broadcast::Sender<Arc<WatchEvent>>,
    seed: u64,
    next_ip: u32,
    next_node_port: u16,
}

impl Store {
    pub fn new() -> Store {
        let (tx, _) = broadcast::channel(8192);
        let seed = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map(|d| d.as_nanos() as u64)
            .unwrap_or(7)
            | 1;
        let mut store = Store {
            rv: 100,
            types: kinds::builtin(),
            objects: HashMap::new(),
            log: VecDeque::new(),
            tx,
            seed,
            next_ip: 10,
            next_node_port: 30000,
        };
        for ns in ["default", "kube-system", "kube-public", "kube-node-lease"] {
            store.create_namespace(ns);
        }
        store
    }

    /// A throwaway store holding just what a dry-run of (group, resource, ns, name) reads:
    /// the object, its namespace, the types and the allocators. Dry-runs run on it outside
    /// the cluster lock, so they proceed in parallel.
    pub fn scratch_for(&mut self, group: &str, resource: &str, ns: &str, name: &str) -> Store {
        let (tx, _) = broadcast::channel(1);
        let mut objects: HashMap<(String, String), Objects> = HashMap::new();
        let mut keep = |g: &str, r: &str, n: &str, name: &str| {
            if let Some(o) = self.get_raw(g, r, n, name) {
                objects
                    .entry((g.to_string(), r.to_string()))
                    .or_default()
                    .insert((n.to_string(), name.to_string()), o);
            }
        };
        keep(group, resource, ns, name);
        keep("", "namespaces", "", ns);
        self.seed = self.seed.rotate_left(7) ^ self.rv;
        Store {
            rv: self.rv,
            types: self.types.clone(),
            objects,
            log: VecDeque::new(),
            tx,
            seed: self.seed | 1,
            next_ip: self.next_ip,
            next_node_port: self.next_node_port,
        }
    }

    fn create_namespace(&mut self, name: &str) {
        let now = super::clock::now();
        let obj = json!({"kind": "Namespace", "apiVersion": "v1", "metadata": {"name": name, "uid": self.uid(),
            "creationTimestamp": now, "labels": {"kubernetes.io/metadata.name": name}},
            "spec": {"finalizers": ["kubernetes"]}, "status": {"phase": "Active"}});
        self.put("", "namespaces", "", name, obj, true);
    }

    pub fn resource_version(&self) -> u64 {
        self.rv
    }

    /// Forget the event window, as etcd compaction does: a watch can no longer resume from a
    /// version before now (it gets 410 Expired and must list again).
    pub fn compact(&mut self) {
        self.log.clear();
    }

    /// The oldest resourceVersion a watch may resume from.
    pub fn oldest_resumable(&self) -> u64 {
        self.log
            .front()
            .map(|e| e.rv.saturating_sub(1))
            .unwrap_or(self.rv)
    }

    pub fn subscribe(&self) -> broadcast::Receiver<Arc<WatchEvent>> {
        self.tx.subscribe()
    }

    /// How many watches are open (each holds one subscription).
    pub fn open_watches(&self) -> usize {
        self.tx.receiver_count()
    }

    /// Events after `rv` still in the window.
    pub fn events_since(&self, rv: u64) -> Vec<Arc<WatchEvent>> {
        self.log.iter().filter(|e| e.rv > rv).cloned().collect()
    }

    pub fn get_raw(&self, group: &str, resource: &str, ns: &str, name: &str) -> Option<Arc<Stored>> {
        self.objects
            .get(&(group.to_string(), resource.to_string()))?
            .get(&(ns.to_string(), name.to_string()))
            .cloned()
    }

    pub fn get(&self, group: &str, resource: &str, ns: &str, name: &str) -> Option<Arc<Value>> {
        self.get_raw(group, resource, ns, name)
            .map(|s| Arc::new(s.value()))
    }

    /// Objects of one type, optionally in one namespace, in name order.
    pub fn list_raw(&self, group: &str, resource: &str, ns: Option<&str>) -> Vec<Arc<Stored>> {
        let Some(objs) = self.objects.get(&(group.to_string(), resource.to_string())) else {
            return Vec::new();
        };
        match ns {
            Some(ns) => objs
                .range((ns.to_string(), String::new())..)
                .take_while(|((n, _), _)| n == ns)
                .map(|(_, v)| v.clone())
                .collect(),
            None => objs.values().cloned().collect(),
        }
    }

    /// `list_raw` with each object's namespace and name.
    pub fn list_keyed(
        &self,
        group: &str,
        resource: &str,
        ns: Option<&str>,
    ) -> Vec<(String, String, Arc<Stored>)> {
        let Some(objs) = self.objects.get(&(group.to_string(), resource.to_string())) else {
            return Vec::new();
        };
        let entry = |((n, name), v): (&(String, String), &Arc<Stored>)| (n.clone(), name.clone(), v.clone());
        match ns {
            Some(ns) => objs
                .range((ns.to_string(), String::new())..)
                .take_while(|((n, _), _)| n == ns)
                .map(entry)
                .collect(),
            None => objs.iter().map(entry).collect(),
        }
    }

    /// `list_raw`, parsed.
    pub fn list(&self, group: &str, resource: &str, ns: Option<&str>) -> Vec<Arc<Value>> {
        self.list_raw(group, resource, ns)
            .iter()
            .map(|s| Arc::new(s.value()))
            .collect()
    }

    pub fn namespace_exists(&self, ns: &str) -> bool {
        self.get("", "namespaces", "", ns).is_some()
    }

    /// Store `obj` with a fresh resourceVersion and tell watchers.
    pub fn put(
        &mut self,
        group: &str,
        resource: &str,
        ns: &str,
        name: &str,
        mut obj: Value,
        created: bool,
    ) -> Arc<Value> {
        self.rv += 1;
        if let Some(meta) = obj.get_mut("metadata").and_then(Value::as_object_mut) {
            meta.insert("resourceVersion".into(), Value::String(self.rv.to_string()));
        }
        let stored = Arc::new(Stored::new(&obj));
        self.objects
            .entry((group.to_string(), resource.to_string()))
            .or_default()
            .insert((ns.to_string(), name.to_string()), stored.clone());
        self.record(
            if created { "ADDED" } else { "MODIFIED" },
            group,
            resource,
            ns,
            stored,
        );
        Arc::new(obj)
    }

    /// Remove an object; watchers see it with the deletion's resourceVersion.
    pub fn remove(&mut self, group: &str, resource: &str, ns: &str, name: &str) -> Option<Arc<Value>> {
        let old = self
            .objects
            .get_mut(&(group.to_string(), resource.to_string()))?
            .remove(&(ns.to_string(), name.to_string()))?;
        self.rv += 1;
        let mut gone = old.value();
        if let Some(meta) = gone.get_mut("metadata").and_then(Value::as_object_mut) {
            meta.insert("resourceVersion".into(), Value::String(self.rv.to_string()));
        }
        self.record("DELETED", group, resource, ns, Arc::new(Stored::new(&gone)));
        Some(Arc::new(gone))
    }

    fn record(&mut self, kind: &'static str, group: &str, resource: &str, ns: &str, object: Arc<Stored>) {
        let ev = Arc::new(WatchEvent {
            rv: self.rv,
            kind,
            group: group.to_string(),
            resource: resource.to_string(),
            namespace: ns.to_string(),
            object,
        });
        if self.log.len() >= EVENT_WINDOW {
            self.log.pop_front();
        }
        self.log.push_back(ev.clone());
        let _ = self.tx.send(ev);
    }

    /// Register the kinds a CRD serves (replacing earlier registrations of the same CRD).
    pub fn register_crd(&mut self, crd: &Value) {
        let new = kinds::from_crd(crd);
        let Some(first) = new.first() else { return };
        let (group, resource) = (first.group.clone(), first.resource.clone());
        self.types
            .retain(|t| t.builtin || !(t.group == group && t.resource == resource));
        self.types.extend(new.into_iter().map(Arc::new));
    }

    pub fn unregister_crd(&mut self, crd: &Value) {
        let spec = &crd["spec"];
        let (Some(group), Some(plural)) = (spec["group"].as_str(), spec["names"]["plural"].as_str()) else {
            return;
        };
        self.types
            .retain(|t| t.builtin || !(t.group == group && t.resource == plural));
        self.objects.remove(&(group.to_string(), plural.to_string()));
    }

    /// A random-looking RFC 4122 v4 uid (xorshift; uniqueness is what matters here).
    pub fn uid(&mut self) -> String {
        let mut next = || {
            self.seed ^= self.seed << 13;
            self.seed ^= self.seed >> 7;
            self.seed ^= self.seed << 17;
            self.seed
        };
        let (a, b) = (next(), next());
        format!(
            "{:08x}-{:04x}-4{:03x}-{:04x}-{:012x}",
            a >> 32,
            (a >> 16) & 0xffff,
            a & 0xfff,
            ((b >> 48) & 0x3fff) | 0x8000,
            b & 0xffff_ffff_ffff
        )
    }

    /// The next ClusterIP from 10.0.0.0/24 .. (the corpus cluster used 10.0.0.0/16).
    pub fn allocate_ip(&mut self) -> String {
        self.next_ip += 1;
        format!("10.0.{}.{}", (self.next_ip >> 8) & 0xff, self.next_ip & 0xff)
    }

    /// The next NodePort in 30000-32767; `reserve` false peeks without taking it (dry-run).
    pub fn allocate_node_port(&mut self, reserve: bool) -> u16 {
        let port = 30000 + (self.next_node_port - 30000 + 1) % 2768;
        if reserve {
            self.next_node_port = port;
        }
        port
    }

    /// How many objects each (group, resource) holds, in order.
    pub fn counts(&self) -> Vec<(String, String, usize)> {
        let mut out: Vec<_> = self
            .objects
            .iter()
            .map(|((g, r), objs)| (g.clone(), r.clone(), objs.len()))
            .collect();
        out.sort();
        out
    }

    /// Every object in a namespace, across namespaced types (for namespace deletion).
    pub fn namespaced_keys(&self, ns: &str) -> Vec<(String, String, String)> {
        let mut out = Vec::new();
        for ((group, resource), objs) in &self.objects {
            for (n, name) in objs.keys() {
                if n == ns {
                    out.push((group.clone(), resource.clone(), name.clone()));
                }
            }
        }
        out
    }
}

impl Default for Store {
    fn default() -> Self {
        Store::new()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn untyped(v: &Value) -> Value {
        let mut out = Vec::new();
        Stored::new(v).write_untyped(&mut out);
        serde_json::from_slice(&out).unwrap()
    }

    #[test]
    fn stored_json_round_trips_and_drops_only_the_type_when_untyped() {
        let cm = json!({"apiVersion":"v1","kind":"ConfigMap","data":{"a":"1"},"metadata":{"name":"x"}});
        assert_eq!(Stored::new(&cm).value(), cm);
        assert_eq!(untyped(&cm), json!({"data":{"a":"1"},"metadata":{"name":"x"}}));
        // A key that sorts before apiVersion stays.
        let role =
            json!({"aggregationRule":{},"apiVersion":"rbac.authorization.k8s.io/v1","kind":"ClusterRole"});
        assert_eq!(Stored::new(&role).value(), role);
        assert_eq!(untyped(&role), json!({"aggregationRule":{}}));
        let only_type = json!({"apiVersion":"v1","kind":"Namespace"});
        assert_eq!(untyped(&only_type), json!({}));
        let no_type = json!({"metadata":{"name":"x"}});
        assert_eq!(Stored::new(&no_type).value(), no_type);
        assert_eq!(untyped(&no_type), no_type);
    }
}
