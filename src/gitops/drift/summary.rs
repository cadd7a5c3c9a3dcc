//! Aggregation of per-object verdicts into one app-on-a-cluster summary (and of those into
//! a cluster or fleet view): counts per state, the overall sync state, the worst health.

use super::types::{ObjectDrift, SyncState};
use crate::gitops::health::HealthStatus;
use serde::Serialize;

/// How many objects are in each state.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct SyncCounts {
    pub synced: usize,
    pub out_of_sync: usize,
    pub missing: usize,
    pub extra: usize,
    pub unknown: usize,
    /// Objects with at least one unmanaged change (whatever their state).
    pub with_unmanaged: usize,
}

impl SyncCounts {
    pub fn add(&mut self, d: &ObjectDrift) {
        match d.state {
            SyncState::Synced => self.synced += 1,
            SyncState::OutOfSync => self.out_of_sync += 1,
            SyncState::Missing => self.missing += 1,
            SyncState::Extra => self.extra += 1,
            SyncState::Unknown => self.unknown += 1,
        }
        if !d.unmanaged.is_empty() {
            self.with_unmanaged += 1;
        }
    }

    pub fn merge(&mut self, o: &SyncCounts) {
        self.synced += o.synced;
        self.out_of_sync += o.out_of_sync;
        self.missing += o.missing;
        self.extra += o.extra;
        self.unknown += o.unknown;
        self.with_unmanaged += o.with_unmanaged;
    }

    /// Objects that differ from Git (OutOfSync, Missing or Extra).
    pub fn drifted(&self) -> usize {
        self.out_of_sync + self.missing + self.extra
    }

    /// OutOfSync as soon as anything differs; Unknown only if nothing is known to differ
    /// but something could not be decided; Synced otherwise.
    pub fn state(&self) -> SyncState {
        if self.drifted() > 0 {
            SyncState::OutOfSync
        } else if self.unknown > 0 {
            SyncState::Unknown
        } else {
            SyncState::Synced
        }
    }
}

/// One app on one cluster (or any group of objects).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AppSummary {
    pub state: SyncState,
    pub counts: SyncCounts,
    /// The worst health of the objects (Argo's order), `None` when no health was given.
    pub health: Option<HealthStatus>,
}

/// Summarize verdicts and (optionally) their objects' health.
pub fn summarize<'a>(
    drifts: impl IntoIterator<Item = &'a ObjectDrift>,
    healths: impl IntoIterator<Item = HealthStatus>,
) -> AppSummary {
    let mut counts = SyncCounts::default();
    for d in drifts {
        counts.add(d);
    }
    let health = healths.into_iter().max_by_key(|h| h.severity());
    AppSummary {
        state: counts.state(),
        counts,
        health,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::gitops::drift::ObjectRef;
    use crate::gitops::health::Health;

    fn obj(state: SyncState) -> ObjectDrift {
        let r = ObjectRef {
            group: String::new(),
            version: "v1".into(),
            kind: "ConfigMap".into(),
            namespace: Some("ns".into()),
            name: "c".into(),
        };
        ObjectDrift::bare(r, state)
    }

    #[test]
    fn any_difference_makes_the_app_out_of_sync() {
        let all = [
            obj(SyncState::Synced),
            obj(SyncState::Unknown),
            obj(SyncState::Extra),
        ];
        let s = summarize(&all, []);
        assert_eq!(s.state, SyncState::OutOfSync);
        assert_eq!((s.counts.synced, s.counts.extra, s.counts.unknown), (1, 1, 1));
        assert_eq!(s.health, None);
    }

    #[test]
    fn unknown_without_drift_is_unknown_and_health_is_the_worst() {
        let all = [obj(SyncState::Synced), obj(SyncState::Unknown)];
        let hs = [Health::Healthy, Health::Degraded, Health::Progressing].map(|h| HealthStatus::new(h, ""));
        let s = summarize(&all, hs);
        assert_eq!(s.state, SyncState::Unknown);
        assert_eq!(s.health.map(|h| h.status), Some(Health::Degraded));
        assert_eq!(summarize(&[obj(SyncState::Synced)], []).state, SyncState::Synced);
    }
}
