//! Activity's health news: an app that turns Degraded on a cluster while you watch, and, once
//! it was said, that it is Healthy again (however it got there: a rollout in between reads
//! Progressing). The first report, and a cluster going down (Unknown) or coming back, are not
//! news.

use super::cockpit::ActivityKind;
use crate::gitops::engine::report::AppReport;
use std::collections::BTreeSet;

/// What Activity says when `new` changes the app's health from `old`'s, if anything:
/// "payments on prod-eu turned Degraded: Deployment/payments-api: …", "… is Healthy again".
/// `unwell` holds the apps said to have turned Degraded, until they are said to be Healthy.
pub fn health_news(
    old: Option<&AppReport>,
    new: &AppReport,
    unwell: &mut BTreeSet<(String, String)>,
) -> Option<(ActivityKind, String)> {
    let key = (new.app.clone(), new.cluster.clone());
    let who = format!("{} on {}", new.app, new.cluster);
    match (old?.health_word(), new.health_word()) {
        ("Healthy" | "Progressing" | "Suspended", "Degraded") => {
            unwell.insert(key);
            let why = new.health_reason().map(|r| format!(": {r}")).unwrap_or_default();
            Some((ActivityKind::Unhealthy, format!("{who} turned Degraded{why}")))
        }
        (_, "Healthy") if unwell.remove(&key) => {
            Some((ActivityKind::Recovered, format!("{who} is Healthy again")))
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    use crate::gitops::engine::report::{ObjectReport, SyncStatus, VerdictPath};
    use std::sync::Arc;

    fn report(health: &str, down: bool) -> AppReport {
        let key = crate::kube::key::ObjectKey::of(&serde_json::json!({"apiVersion": "apps/v1",
            "kind": "Deployment", "metadata": {"name": "payments-api", "namespace": "payments"}}))
        .expect("key");
        let object = ObjectReport {
            key,
            api_version: "apps/v1".into(),
            status: SyncStatus::Synced,
            health: health.into(),
            health_message: Some("0/2 replicas available (ProgressDeadlineExceeded)".into()),
            health_counts_as: None,
            reason: None,
            source: None,
            path: VerdictPath::Local,
            comparison: None,
        };
        let mut r = AppReport {
            app: "payments".into(),
            cluster: "prod-eu".into(),
            context: "prod-eu".into(),
            revision: "9f2c1e0".into(),
            commit: String::new(),
            deployed: None,
            pinned: None,
            sync: SyncStatus::Unknown,
            health: String::new(),
            health_culprit: None,
            counts: Default::default(),
            objects: vec![Arc::new(object)],
            render_errors: Vec::new(),
            notes: Vec::new(),
            cluster_error: down.then(|| "unreachable".to_string()),
            source: Default::default(),
            operator: None,
            disagreements: Vec::new(),
        };
        r.summarize();
        r
    }

    #[test]
    fn a_known_verdict_turning_degraded_and_back_is_news_and_nothing_else_is() {
        let (healthy, degraded) = (report("Healthy", false), report("Degraded", false));
        let progressing = report("Progressing", false);
        let mut unwell = BTreeSet::new();
        let mut news = |old: Option<&AppReport>, new: &AppReport| health_news(old, new, &mut unwell);
        // Degraded from the first report on: not news, and so no "Healthy again" either.
        assert_eq!(news(None, &degraded), None);
        assert_eq!(news(Some(&degraded), &progressing), None);
        assert_eq!(news(Some(&progressing), &healthy), None);
        let (kind, text) = news(Some(&healthy), &degraded).expect("turned Degraded");
        assert_eq!(kind, ActivityKind::Unhealthy);
        assert_eq!(
            text,
            "payments on prod-eu turned Degraded: Deployment/payments-api: 0/2 replicas available (ProgressDeadlineExceeded)"
        );
        // The same verdict again, and the cluster going down and back, are not news.
        assert_eq!(news(Some(&degraded), &degraded), None);
        assert_eq!(news(Some(&degraded), &report("Degraded", true)), None);
        assert_eq!(news(Some(&report("Degraded", true)), &degraded), None);
        // A rollout in between: Healthy again is said once.
        assert_eq!(news(Some(&degraded), &progressing), None);
        let (kind, text) = news(Some(&progressing), &healthy).expect("Healthy again");
        assert_eq!(kind, ActivityKind::Recovered);
        assert_eq!(text, "payments on prod-eu is Healthy again");
        assert_eq!(news(Some(&healthy), &healthy), None);
    }
}
