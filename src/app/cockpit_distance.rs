//! How far each app's deployed commit is behind the branch the engine renders: asked of the
//! Git worker once per (deployed, rendered) pair and remembered, so the Apps table can say
//! `↓3` without doing IO. The engine's repo is the first one opened (index 0).

use super::cockpit::CockpitState;
use super::msg::Effect;
use crate::git::{Distance, MAX_DISTANCE};
use crate::gitops::engine::AppReport;

/// What is known of one (deployed, rendered) pair.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DistanceState {
    Pending,
    Known(Distance),
    /// The deployed commit is not in the repository (not fetched, or from elsewhere).
    Failed(String),
}

/// The Git worker's index of the repo the engine renders from.
const ENGINE_REPO: usize = 0;

/// The effect that counts the distance for `report`, unless it is known or being counted.
pub fn wanted(c: &mut CockpitState, report: &AppReport) -> Option<Effect> {
    let deployed = report.deployed.as_ref()?;
    if report.commit.is_empty() || *deployed == report.commit {
        return None;
    }
    let key = (deployed.clone(), report.commit.clone());
    if c.distances.contains_key(&key) {
        return None;
    }
    c.distances.insert(key, DistanceState::Pending);
    Some(Effect::Distance {
        repo: ENGINE_REPO,
        base: deployed.clone(),
        target: report.commit.clone(),
    })
}

/// The Git worker's answer.
pub fn on_distance(c: &mut CockpitState, base: String, target: String, result: Result<Distance, String>) {
    let key = (base, target);
    match result {
        Ok(d) => {
            c.distances.insert(key, DistanceState::Known(d));
        }
        // Asked before the repo finished opening: forget it, so the next report asks again.
        Err(e) if e.contains("not open") => {
            c.distances.remove(&key);
        }
        Err(e) => {
            c.distances.insert(key, DistanceState::Failed(e));
        }
    }
}

/// The marker after a deployed commit: `↓3` (3 commits behind the branch), `↑1` (a commit the
/// branch does not have), `↓3↑1`, `…` while counting, `↕?` when the commit is unknown here;
/// empty when the app runs what it renders; `⚑pinned` first when an emergency sync pinned it.
pub fn marker(c: &CockpitState, report: &AppReport) -> String {
    // An emergency sync's pin says so first: the app runs another commit on purpose.
    let pin = if report.pinned.is_some() { "⚑pinned" } else { "" };
    let distance = distance_marker(c, report);
    match (pin, distance.as_str()) {
        ("", d) => d.to_string(),
        (p, "") => p.to_string(),
        (p, d) => format!("{p} {d}"),
    }
}

fn distance_marker(c: &CockpitState, report: &AppReport) -> String {
    let Some(deployed) = &report.deployed else {
        return String::new();
    };
    if *deployed == report.commit || report.commit.is_empty() {
        return String::new();
    }
    let count = |n: usize| {
        if n >= MAX_DISTANCE {
            format!("{}+", MAX_DISTANCE - 1)
        } else {
            n.to_string()
        }
    };
    match c.distances.get(&(deployed.clone(), report.commit.clone())) {
        None | Some(DistanceState::Pending) => "…".into(),
        Some(DistanceState::Failed(_)) => "↕?".into(),
        Some(DistanceState::Known(d)) => {
            let mut s = String::new();
            if d.behind > 0 {
                s.push_str(&format!("↓{}", count(d.behind)));
            }
            if d.ahead > 0 {
                s.push_str(&format!("↑{}", count(d.ahead)));
            }
            s
        }
    }
}
