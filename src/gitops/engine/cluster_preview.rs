//! A cluster task's side of a preview: evaluate another revision's apps against the live
//! state this task keeps, with an [`Evaluator`] of its own (previews never evict the live
//! dry-run cache). Objects the watch cache cannot vouch for are read with a GET. Only GETs
//! and dry-runs are sent: a preview never writes to the cluster.

use super::cluster::{AppState, EVALUATION_CHUNK, Worker};
use super::evaluate::{Evaluator, Pending};
use super::preview::PreviewJob;
use super::report::{ObjectReport, SyncStatus};
use crate::gitops::sync::plan::{self, PlanInput, SyncPlan};
use crate::kube::get::get_objects;
use crate::kube::key::ObjectKey;
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::sync::Arc;

/// A live object for a preview: from the watch cache or a GET, or why it could not be read.
type Fetched = Result<Option<Value>, String>;

impl Worker {
    /// Answer a preview: evaluated against live state when the cluster is ready, else an
    /// error saying its state.
    pub(super) async fn preview(&mut self, job: PreviewJob) {
        if self.state.is_ready() {
            self.evaluate_preview(job).await;
        } else {
            job.fail(&self.state);
        }
    }

    async fn evaluate_preview(&mut self, mut job: PreviewJob) {
        let client = self.job.dry_run.then(|| self.client.clone());
        let mut evaluator = self
            .preview_evaluator
            .take()
            .unwrap_or_else(|| Evaluator::new(client));
        let mut reports = Vec::new();
        let mut plans = Vec::new();
        let mut defined = BTreeSet::new();
        let mut evaluated: BTreeSet<ObjectKey> = BTreeSet::new();
        let plan = job.plan.take();
        for app in std::mem::take(&mut job.apps) {
            defined.insert(app.target.app.name.clone());
            if let Some((scope, _)) = &plan
                && scope.app.as_ref().is_some_and(|a| *a != app.target.app.name)
            {
                continue;
            }
            let mut state = self.prepare(app).await;
            let objects = self.preview_app(&mut state, &mut evaluator).await;
            evaluated.extend(objects.iter().map(|o| o.key.clone()));
            let report = self.report_of(&state, objects, &evaluator);
            if let Some((scope, head)) = &plan {
                plans.push(Arc::new(self.plan_of(&state, &report, scope, head.as_deref())));
            }
            reports.push(Arc::new(report));
        }
        // Keep only this preview's dry-runs: asking again for the same revision is cheap,
        // and the cache never grows past one revision's objects.
        evaluator.retain(|k| evaluated.contains(k));
        self.preview_evaluator = Some(evaluator);
        let mut running: BTreeSet<&str> = self.live.labelled_apps();
        running.extend(self.apps.iter().map(|a| a.desired.target.app.name.as_str()));
        let absent = running
            .into_iter()
            .filter(|a| !defined.contains(*a))
            .map(str::to_string)
            .collect();
        job.answer(reports, absent, plans)
    }

    /// The sync plan of one previewed app.
    fn plan_of(
        &self,
        app: &AppState,
        report: &crate::gitops::engine::AppReport,
        scope: &super::SyncScope,
        head: Option<&str>,
    ) -> SyncPlan {
        let input = PlanInput {
            report,
            desired: &app.desired.rendered.objects,
            head,
            only: &scope.only,
        };
        plan::build(input, |key, desired| self.table.kind_of(key, desired).cloned())
    }

    /// Verdicts for one app of the previewed revision: its desired objects, and the live
    /// objects tracked as the app's that it no longer renders (Extra).
    async fn preview_app(&self, app: &mut AppState, evaluator: &mut Evaluator) -> Vec<Arc<ObjectReport>> {
        let name = app.desired.target.app.name.clone();
        let keys = self.keys_of(app);
        let mut fetched = self.fetch_unseen(app).await;
        let mut out = BTreeMap::new();
        for chunk in keys.chunks(EVALUATION_CHUNK) {
            let lives: Vec<Fetched> = chunk
                .iter()
                .map(|k| fetched.remove(k).unwrap_or_else(|| Ok(self.live.get(k))))
                .collect();
            for (key, live) in chunk.iter().zip(&lives) {
                app.note_stamps(key, live.as_ref().ok().and_then(Option::as_ref));
            }
            let pending: Vec<Pending<'_>> = chunk
                .iter()
                .zip(&lives)
                .map(|(key, live)| {
                    let desired = app.by_key.get(key).map(|i| &app.desired.rendered.objects[*i]);
                    let kind = match live {
                        Err(e) => Err(e.clone()),
                        Ok(_) => self.table.kind_of(key, desired),
                    };
                    Pending {
                        app: &name,
                        key: key.clone(),
                        desired,
                        live: live.as_ref().ok().and_then(Option::as_ref),
                        kind,
                    }
                })
                .collect();
            let reports = evaluator.evaluate(pending).await;
            for (key, report) in chunk.iter().zip(reports) {
                // Only desired objects and Extra ones belong in the report.
                if app.by_key.contains_key(key) || report.status == SyncStatus::Extra {
                    out.insert(key.clone(), Arc::new(report));
                }
            }
        }
        out.into_values().collect()
    }

    /// GET the desired objects the watch cache cannot vouch for: it holds only what the live
    /// apps want (or is labelled), so an object of a kind nobody watches, or one the current
    /// render does not have, is read from the server rather than called Missing.
    async fn fetch_unseen(&self, app: &AppState) -> HashMap<ObjectKey, Fetched> {
        let todo: Vec<(ObjectKey, crate::kube::discovery::KindInfo)> = app
            .desired
            .rendered
            .objects
            .iter()
            .filter(|o| !self.live.contains(&o.key) && !self.cache_vouches_for(&o.key))
            .filter_map(|o| {
                let kind = self.table.kind_of(&o.key, Some(o)).ok()?;
                Some((o.key.clone(), kind.clone()))
            })
            .collect();
        get_objects(&self.client, todo).await.into_iter().collect()
    }

    /// Whether the watch cache's silence about `key` means it does not exist: a live app
    /// wants it and its kind is fully listed.
    pub(super) fn cache_vouches_for(&self, key: &ObjectKey) -> bool {
        self.table.is_listed(key) && self.apps.iter().any(|a| a.by_key.contains_key(key))
    }
}
