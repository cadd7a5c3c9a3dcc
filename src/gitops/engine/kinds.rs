//! The kinds in use on one cluster: what discovery said about each (apiVersion, kind), and
//! the state of its watcher, so that an object's kind can be told apart from a kind that is
//! not served or cannot be watched.

use crate::gitops::render::DesiredObject;
use crate::kube::discovery::KindInfo;
use crate::kube::key::ObjectKey;
use std::collections::HashMap;

/// One watched kind.
pub(super) struct KindSlot {
    pub(super) group_kind: (String, String),
    pub(super) synced: bool,
    pub(super) failed: Option<String>,
    pub(super) task: tokio::task::JoinHandle<()>,
}

/// The kinds in use on this cluster: what discovery said, and their watchers.
#[derive(Default)]
pub(super) struct KindTable {
    pub(super) kinds: Vec<KindSlot>,
    pub(super) kind_ids: HashMap<(String, String), usize>,
    /// (apiVersion, kind) -> info or why it is unusable.
    pub(super) kind_info: HashMap<(String, String), Result<KindInfo, String>>,
}

impl KindTable {
    /// The kind of `key` as this cluster serves it (in the version desired names), or why not.
    pub(super) fn kind_of<'a>(
        &'a self,
        key: &ObjectKey,
        desired: Option<&'a DesiredObject>,
    ) -> Result<&'a KindInfo, String> {
        let info = match desired {
            Some(d) => {
                let av = d
                    .object
                    .get("apiVersion")
                    .and_then(|v| v.as_str())
                    .unwrap_or_default();
                match self.kind_info.get(&(av.to_string(), key.kind.clone())) {
                    Some(Ok(info)) => info,
                    Some(Err(e)) => return Err(e.clone()),
                    None => return Err(format!("{av} {} was not resolved", key.kind)),
                }
            }
            None => self
                .kind_info
                .iter()
                .find(|((av, k), i)| {
                    *k == key.kind && crate::kube::key::group_of(av) == key.group && i.is_ok()
                })
                .and_then(|(_, i)| i.as_ref().ok())
                .ok_or_else(|| format!("kind {} is not served by this cluster", key.kind))?,
        };
        let slot = self
            .kind_ids
            .get(&(key.group.clone(), key.kind.clone()))
            .map(|i| &self.kinds[*i]);
        if let Some(slot) = slot
            && !slot.synced
            && let Some(reason) = &slot.failed
        {
            return Err(format!("cannot watch {}: {reason}", key.kind));
        }
        Ok(info)
    }

    /// Whether a watcher runs for `key`'s kind.
    pub(super) fn is_watched(&self, key: &ObjectKey) -> bool {
        self.kind_ids.contains_key(&(key.group.clone(), key.kind.clone()))
    }

    /// Whether the watch cache is complete for `key`'s kind (listed, not failing), so that
    /// an object it does not hold, and that the live apps want, is really absent.
    pub(super) fn is_listed(&self, key: &ObjectKey) -> bool {
        self.kind_ids
            .get(&(key.group.clone(), key.kind.clone()))
            .is_some_and(|i| self.kinds[*i].synced && self.kinds[*i].failed.is_none())
    }
}
