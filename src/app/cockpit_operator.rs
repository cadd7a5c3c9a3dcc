//! The cockpit's side of Argo CD and Flux: what each cluster's operators said beyond their
//! apps (a CRD version Sextant does not read, a kind the user may not list), kept to show.

use super::cockpit::CockpitState;
use crate::gitops::operators::discovery::OperatorScan;
use std::sync::Arc;

/// Keep a cluster's latest scan.
pub fn on_scan(c: &mut CockpitState, scan: Arc<OperatorScan>) {
    c.operator_scans.insert(scan.context.clone(), scan);
}
