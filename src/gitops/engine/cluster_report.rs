//! An app's report from what its cluster task evaluated: the counts, the commit it runs
//! (`deployed`) and whether an emergency sync pinned it; and the report of an app whose
//! cluster cannot be reached.

use super::cluster::{AppState, Worker};
use super::deployed;
use super::desired::DesiredApp;
use super::evaluate::Evaluator;
use super::report::{AppReport, ObjectReport, SyncStatus};
use crate::kube::cluster::ClusterState;
use std::sync::Arc;

impl Worker {
    /// Note the pin app `idx`'s live objects carry now. A pin not seen before comes from an
    /// emergency sync made since: the app being seen Synced at the head before it no longer
    /// says that Git caught up.
    pub(super) fn note_pin(&mut self, idx: usize) {
        let app = &self.apps[idx];
        let name = app.desired.target.app.name.clone();
        let pin = app.pins.winner(&app.desired.commit);
        if pin.is_some() && self.pins_seen.get(&name) != Some(&pin) {
            self.synced_at.remove(&name);
        }
        self.pins_seen.insert(name, pin);
    }

    pub(super) fn app_report(&self, idx: usize) -> AppReport {
        let app = &self.apps[idx];
        let objects = app.objects.values().cloned().collect();
        self.report_of(app, objects, &self.evaluator)
    }

    /// An app's report from its evaluated objects, with the deployed commit worked out.
    pub(super) fn report_of(
        &self,
        app: &AppState,
        objects: Vec<Arc<ObjectReport>>,
        evaluator: &Evaluator,
    ) -> AppReport {
        let mut notes = Vec::new();
        if let Some(reason) = &evaluator.dry_run_forbidden {
            notes.push(format!(
                "dry-run forbidden on {} ({reason}): drift was compared locally",
                self.job.context
            ));
        }
        let mut report = AppReport {
            app: app.desired.target.app.name.clone(),
            cluster: app.desired.target.cluster.clone(),
            context: self.job.context.clone(),
            revision: app.desired.revision.clone(),
            commit: app.desired.commit.clone(),
            deployed: None,
            pinned: None,
            sync: SyncStatus::Unknown,
            health: String::new(),
            health_culprit: None,
            counts: Default::default(),
            objects,
            render_errors: app.desired.rendered.errors.clone(),
            notes,
            cluster_error: None,
        };
        report.summarize();
        let annotated = app.revisions.winner(&report.commit);
        let last_synced = self.synced_at.get(&report.app).map(String::as_str);
        // Pinned by an emergency sync, until a sync to the head clears it or the head is
        // seen to render what is live.
        report.pinned = app.pins.winner(&report.commit).filter(|pin| {
            *pin != report.commit
                && report.sync != SyncStatus::Synced
                && last_synced != Some(report.commit.as_str())
        });
        report.deployed = deployed::deployed(
            annotated,
            report.sync == SyncStatus::Synced,
            &report.commit,
            last_synced,
        );
        report
    }
}

/// The report of an app whose cluster cannot be reached.
pub fn down_report(app: &DesiredApp, state: &ClusterState) -> AppReport {
    let mut report = AppReport {
        app: app.target.app.name.clone(),
        cluster: app.target.cluster.clone(),
        context: app.target.context.clone(),
        revision: app.revision.clone(),
        commit: app.commit.clone(),
        deployed: None,
        pinned: None,
        sync: SyncStatus::Unknown,
        health: String::new(),
        health_culprit: None,
        counts: Default::default(),
        objects: Vec::new(),
        render_errors: app.rendered.errors.clone(),
        notes: Vec::new(),
        cluster_error: Some(format!(
            "cluster {} ({}) is {state}",
            app.target.cluster, app.target.context
        )),
    };
    report.summarize();
    report.health = "Unknown".into();
    report
}
