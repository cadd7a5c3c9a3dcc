//! One sandbox cluster: its tokens, address, store, and the channel that wakes the
//! simulated controllers after writes.

use super::kinds::ResourceType;
use super::store::Store;
use std::sync::{Arc, Mutex, MutexGuard};
use tokio::sync::mpsc;

/// An object the simulated controllers should look at: (group, resource, namespace, name).
pub type Kick = (String, String, String, String);

pub struct Cluster {
    pub name: String,
    pub admin_token: String,
    pub readonly_token: String,
    /// `127.0.0.1:PORT`
    pub address: String,
    store: Mutex<Store>,
    kicks: Option<mpsc::UnboundedSender<Kick>>,
    /// A simulated network outage: while true, connections are dropped, open ones too.
    outage: tokio::sync::watch::Sender<bool>,
    /// How many compactions so far; open watches end with 410 Expired on each.
    compactions: tokio::sync::watch::Sender<u64>,
    /// The write log and the test webhook.
    pub admission: super::admission::Admission,
}

impl Cluster {
    pub fn new(name: &str, address: String, kicks: Option<mpsc::UnboundedSender<Kick>>) -> Cluster {
        let mut store = Store::new();
        let admin_token = format!("sandbox-admin-{}", store.uid().replace('-', ""));
        let readonly_token = format!("sandbox-readonly-{}", store.uid().replace('-', ""));
        super::bootstrap::seed(&mut store, &address);
        Cluster {
            name: name.to_string(),
            admin_token,
            readonly_token,
            address,
            store: Mutex::new(store),
            kicks,
            outage: tokio::sync::watch::Sender::new(false),
            compactions: tokio::sync::watch::Sender::new(0),
            admission: Default::default(),
        }
    }

    /// Compact the event history, as etcd does in a real cluster: every open watch gets an
    /// ERROR event (410 Expired) and ends, and none can resume from before now.
    pub fn compact(&self) {
        self.lock().compact();
        self.compactions.send_modify(|n| *n += 1);
    }

    /// A receiver that changes on each compaction.
    pub fn compactions(&self) -> tokio::sync::watch::Receiver<u64> {
        self.compactions.subscribe()
    }

    /// Start or end a simulated network outage (the store is kept, as a real cluster's is).
    pub fn set_outage(&self, down: bool) {
        self.outage.send_replace(down);
    }

    /// Whether the cluster is in an outage now, and a receiver to hear when that changes.
    pub fn outage(&self) -> tokio::sync::watch::Receiver<bool> {
        self.outage.subscribe()
    }

    /// The store; a panic while holding the lock must not take the cluster down with it.
    pub fn lock(&self) -> MutexGuard<'_, Store> {
        self.store.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    pub fn types(&self) -> Vec<Arc<ResourceType>> {
        self.lock().types.clone()
    }

    /// Tell the simulated controllers (when running) that an object changed.
    pub fn kick(&self, rt: &ResourceType, namespace: &str, name: &str) {
        if let Some(tx) = &self.kicks {
            let _ = tx.send((
                rt.group.clone(),
                rt.resource.clone(),
                namespace.to_string(),
                name.to_string(),
            ));
        }
    }
}
