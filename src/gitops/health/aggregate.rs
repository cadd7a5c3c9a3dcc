//! An app's health from its objects', as Argo CD 3.4 aggregates them: the worst wins, in
//! Argo CD's order; an object in Git but not on the cluster does not count (its sync status
//! already says Missing) unless none of the app's objects is there, which makes the app
//! Missing; a child Argo CD Application that is Missing or Unknown does not count; an object
//! counts as its `aggregate_as` when it has one. The first object with the worst health is
//! named as the culprit, with why.

use super::Health;
use serde::Serialize;

/// One object as the app's aggregate sees it.
#[derive(Debug, Clone, Copy)]
pub struct Member<'a> {
    pub group: &'a str,
    pub kind: &'a str,
    pub name: &'a str,
    /// Whether the object is on the cluster.
    pub live: bool,
    pub health: Health,
    /// How it counts when not as `health` (see `HealthStatus::aggregate_as`).
    pub counts_as: Option<Health>,
    pub message: &'a str,
}

/// The object that makes an app's health what it is, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct HealthCulprit {
    /// `Kind/name`.
    pub object: String,
    pub health: Health,
    /// Why, in a few words (may be empty).
    pub message: String,
    /// How many other objects count as the same health.
    pub others: usize,
}

impl HealthCulprit {
    /// "Deployment/web: 0/3 replicas available (ProgressDeadlineExceeded) (+2 more)".
    pub fn describe(&self) -> String {
        let mut text = self.object.clone();
        if !self.message.is_empty() {
            text.push_str(": ");
            text.push_str(&self.message);
        }
        if self.others > 0 {
            text.push_str(&format!(" (+{} more)", self.others));
        }
        text
    }
}

/// An app's health and, when it is not Healthy, which object makes it so.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AppHealth {
    pub status: Health,
    pub culprit: Option<HealthCulprit>,
}

pub fn aggregate<'a>(members: impl IntoIterator<Item = Member<'a>>) -> AppHealth {
    let mut status = Health::Healthy;
    let mut culprit: Option<HealthCulprit> = None;
    let mut missing: Vec<Member<'a>> = Vec::new();
    let mut any_live = false;
    for m in members {
        any_live |= m.live;
        if !m.live && m.health == Health::Missing {
            missing.push(m);
            continue;
        }
        let child_app = m.group == "argoproj.io" && m.kind == "Application";
        if child_app && matches!(m.health, Health::Missing | Health::Unknown) {
            continue;
        }
        let counted = m.counts_as.unwrap_or(m.health);
        if counted.is_worse_than(status) {
            status = counted;
            culprit = Some(named(&m, counted, m.message));
        } else if counted == status
            && let Some(c) = culprit.as_mut()
        {
            c.others += 1;
        }
    }
    if !any_live
        && Health::Missing.is_worse_than(status)
        && let Some(first) = missing.first()
    {
        let mut c = named(first, Health::Missing, "not on the cluster");
        c.others = missing.len() - 1;
        return AppHealth {
            status: Health::Missing,
            culprit: Some(c),
        };
    }
    AppHealth { status, culprit }
}

fn named(m: &Member, health: Health, message: &str) -> HealthCulprit {
    HealthCulprit {
        object: format!("{}/{}", m.kind, m.name),
        health,
        message: message.to_string(),
        others: 0,
    }
}
