//! Activity's health news: an app that turns Degraded on a cluster while you watch, and one
//! that is Healthy again. Only changes between two known verdicts are news: the first report,
//! a cluster that went down (Unknown) and the apps it brings back are not.

use super::cockpit::ActivityKind;
use crate::gitops::engine::report::AppReport;

/// What Activity says when `new` changes the app's health from `old`'s, if anything:
/// "payments on prod-eu turned Degraded: Deployment/payments-api: …", "… is Healthy again".
pub fn health_news(old: Option<&AppReport>, new: &AppReport) -> Option<(ActivityKind, String)> {
    let was = old?.health_word();
    let now = new.health_word();
    let who = format!("{} on {}", new.app, new.cluster);
    match (was, now) {
        ("Healthy" | "Progressing" | "Suspended", "Degraded") => {
            let why = new.health_reason().map(|r| format!(": {r}")).unwrap_or_default();
            Some((ActivityKind::Unhealthy, format!("{who} turned Degraded{why}")))
        }
        ("Degraded", "Healthy") => Some((ActivityKind::Recovered, format!("{who} is Healthy again"))),
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
        let (kind, text) = health_news(Some(&healthy), &degraded).expect("turned Degraded");
        assert_eq!(kind, ActivityKind::Unhealthy);
        assert_eq!(
            text,
            "payments on prod-eu turned Degraded: Deployment/payments-api: 0/2 replicas available (ProgressDeadlineExceeded)"
        );
        let (kind, text) = health_news(Some(&degraded), &healthy).expect("Healthy again");
        assert_eq!(kind, ActivityKind::Recovered);
        assert_eq!(text, "payments on prod-eu is Healthy again");
        // The first report, the same verdict again, and a cluster coming back are not news.
        assert_eq!(health_news(None, &degraded), None);
        assert_eq!(health_news(Some(&degraded), &degraded), None);
        assert_eq!(health_news(Some(&report("Degraded", true)), &degraded), None);
        assert_eq!(health_news(Some(&healthy), &report("Degraded", true)), None);
    }
}
