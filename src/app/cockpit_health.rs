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
