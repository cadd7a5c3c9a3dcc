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
    /// Images the simulated registry does not have (besides any whose name contains `broken`):
    /// their Pods wait on the image and their workloads never become ready.
    unpullable: Mutex<Vec<String>>,
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
            unpullable: Mutex::new(Vec::new()),
        }
    }

    /// From now on, `image` cannot be pulled on this cluster (a tag the registry lacks).
    pub fn lack_image(&self, image: &str) {
        let mut lacking = self.unpullable.lock().unwrap_or_else(|p| p.into_inner());
        if !lacking.iter().any(|i| i == image) {
            lacking.push(image.to_string());
        }
    }

    /// Whether this image can be pulled: not one the registry lacks, and not named `broken`.
    pub fn can_pull(&self, image: &str) -> bool {
        !image.contains("broken")
            && !self
                .unpullable
                .lock()
                .unwrap_or_else(|p| p.into_inner())
                .iter()
                .any(|i| i == image)
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
