//! A cluster task's reports: an app's report from its evaluated objects (the deployed
//! commit, the pin, the operator's view and why it disagrees), the operators' views taken
//! in, and the reports for a cluster that cannot be reached.

use super::super::deployed;
use super::super::desired::DesiredApp;
use super::super::evaluate::Evaluator;
use super::super::report::{AppReport, EngineEvent, ObjectReport, SyncStatus};
use super::{AppState, Worker};
use crate::kube::cluster::ClusterState;
use std::collections::HashMap;
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
            self.pins_fresh.insert(name.clone());
        }
        self.pins_seen.insert(name, pin);
    }

    pub(super) fn app_report(&self, idx: usize) -> AppReport {
        let app = &self.apps[idx];
        let objects = app.objects.values().cloned().collect();
        self.report_of(app, objects, &self.evaluator)
    }

    /// An app's report from its evaluated objects, with the deployed commit worked out.
    pub(in crate::gitops::engine) fn report_of(
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
            source: Default::default(),
            operator: None,
            disagreements: Vec::new(),
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
        report.source = app.desired.target.source;
        if let Some(view) = self.operators.get(&report.app) {
            let side = crate::gitops::operators::verdict::SextantSide {
                sync: report.sync,
                commit: &report.commit,
                objects: &report.objects,
            };
            report.disagreements = crate::gitops::operators::verdict::disagreements(view, &side);
            // What the operator last synced, when Sextant's own stamps cannot tell.
            if report.deployed.is_none() {
                report.deployed = view
                    .status
                    .revision
                    .as_deref()
                    .and_then(crate::gitops::operators::revision_sha)
                    .map(str::to_string);
            }
            report.operator = Some(view.clone());
        }
        report
    }

    /// Take the operators' latest views and send again the reports whose view changed (no
    /// re-evaluation: only the operator's side moved).
    pub(super) async fn set_operator_views(
        &mut self,
        views: Vec<Arc<crate::gitops::operators::OperatorApp>>,
    ) {
        let next: HashMap<_, _> = views.into_iter().map(|v| (v.name.clone(), v)).collect();
        let changed: Vec<usize> = (0..self.apps.len())
            .filter(|i| {
                let name = &self.apps[*i].desired.target.app.name;
                next.get(name) != self.operators.get(name)
            })
            .collect();
        self.operators = next;
        if !self.started {
            return;
        }
        for idx in changed {
            let report = self.app_report(idx);
            let _ = self
                .job
                .events
                .send(EngineEvent::AppReport(Arc::new(report)))
                .await;
        }
    }
}

/// A sync for a cluster that is not connected: nothing is sent, and the result says why.
pub(super) async fn sync_unreachable(job: super::super::sync_run::SyncJob, state: &ClusterState) {
    let why = format!("cluster {} is {state}: nothing was written", job.plan.cluster);
    let events = job.events.clone();
    super::super::sync_run::refuse(
        job.id,
        &job.plan,
        job.options.prune,
        why,
        job.audit.as_ref(),
        job.who,
        &events,
    )
    .await;
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
        source: app.target.source,
        operator: None,
        disagreements: Vec::new(),
    };
    report.summarize();
    report.health = "Unknown".into();
    report
}
