//! Health of live objects, with the verdicts Argo CD gives (gitops-engine `pkg/health` and
//! the health scripts Argo CD ships), so an SRE who reads both never sees them disagree.
//! One file per family: workloads, pods, batch, network, storage and CRDs, HPAs,
//! APIServices, Argo (Rollouts, Workflows, Applications); anything else by the generic
//! kstatus conditions (`kstatus`). An app's health is the worst of its objects', in Argo CD's
//! order (`aggregate`). Pure: an object in, a verdict and a few words of why out.

mod aggregate;
mod apiservice;
mod argo;
mod batch;
mod cluster;
mod fields;
mod hpa;
mod kstatus;
mod network;
mod pod;
mod workloads;

pub use aggregate::{AppHealth, HealthCulprit, Member, aggregate};

use fields::{Malformed, Obj};
use serde::Serialize;
use serde_json::Value;
use std::fmt;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub enum Health {
    Healthy,
    Progressing,
    Degraded,
    Suspended,
    /// Desired but not live.
    Missing,
    Unknown,
}

impl Health {
    /// Argo CD's order (gitops-engine `health.IsWorse`), least to most severe.
    pub const ORDER: [Health; 6] = [
        Health::Healthy,
        Health::Suspended,
        Health::Progressing,
        Health::Missing,
        Health::Degraded,
        Health::Unknown,
    ];

    /// Position in [`Health::ORDER`]: 0 for Healthy, 5 for Unknown.
    pub fn rank(self) -> u8 {
        Health::ORDER.iter().position(|h| *h == self).unwrap_or(5) as u8
    }

    /// Whether `self` is worse than `other` (Argo CD's `IsWorse(other, self)`).
    pub fn is_worse_than(self, other: Health) -> bool {
        self.rank() > other.rank()
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Health::Healthy => "Healthy",
            Health::Progressing => "Progressing",
            Health::Degraded => "Degraded",
            Health::Suspended => "Suspended",
            Health::Missing => "Missing",
            Health::Unknown => "Unknown",
        }
    }

    /// The health a word names (`Healthy`, `Degraded`...), as reports carry it.
    pub fn parse(word: &str) -> Option<Health> {
        Health::ORDER.into_iter().find(|h| h.as_str() == word)
    }
}

impl fmt::Display for Health {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct HealthStatus {
    pub status: Health,
    /// Why, in a few words (empty when there is nothing to add).
    pub message: String,
    /// How the object counts in its app's health when not as `status` (Argo CD's
    /// `aggregateAs`): a suspended Job or CronJob, or an object annotated
    /// `argocd.argoproj.io/ignore-healthcheck: "true"`, counts as Healthy.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub aggregate_as: Option<Health>,
}

impl HealthStatus {
    pub fn new(status: Health, message: impl Into<String>) -> HealthStatus {
        HealthStatus {
            status,
            message: message.into(),
            aggregate_as: None,
        }
    }

    /// Argo CD's order, least to most severe: Healthy, Suspended, Progressing, Missing,
    /// Degraded, Unknown.
    pub fn severity(&self) -> u8 {
        self.status.rank()
    }

    /// The health this object counts as in its app's aggregate.
    pub fn counts_as(&self) -> Health {
        self.aggregate_as.unwrap_or(self.status)
    }

    fn counting_as(mut self, health: Health) -> HealthStatus {
        self.aggregate_as = Some(health);
        self
    }
}

pub(crate) fn healthy(msg: impl Into<String>) -> HealthStatus {
    HealthStatus::new(Health::Healthy, msg)
}
pub(crate) fn progressing(msg: impl Into<String>) -> HealthStatus {
    HealthStatus::new(Health::Progressing, msg)
}
pub(crate) fn degraded(msg: impl Into<String>) -> HealthStatus {
    HealthStatus::new(Health::Degraded, msg)
}
pub(crate) fn suspended(msg: impl Into<String>) -> HealthStatus {
    HealthStatus::new(Health::Suspended, msg)
}
pub(crate) fn unknown(msg: impl Into<String>) -> HealthStatus {
    HealthStatus::new(Health::Unknown, msg)
}

/// The outcome of a rule: a verdict, or a field it could not read.
type Rule = Result<HealthStatus, Malformed>;

/// Argo CD's opt-out of app health: the object keeps its own health but no longer counts.
const IGNORE_HEALTHCHECK: &str = "argocd.argoproj.io/ignore-healthcheck";

/// The health of a live object; `None` means it does not exist (Missing).
pub fn assess(live: Option<&Value>) -> HealthStatus {
    let Some(obj) = live else {
        return HealthStatus::new(Health::Missing, "not on the cluster");
    };
    let status = assess_live(obj);
    match Obj(obj).annotation(IGNORE_HEALTHCHECK) {
        Ok(Some("true")) => status.counting_as(Health::Healthy),
        _ => status,
    }
}

fn assess_live(obj: &Value) -> HealthStatus {
    if !obj.is_object() {
        return unknown("malformed object: not a JSON object");
    }
    let o = Obj(obj);
    if o.text("/metadata/deletionTimestamp").is_ok_and(|t| !t.is_empty()) {
        return progressing("pending deletion");
    }
    let api_version = o.text("/apiVersion").unwrap_or_default();
    let (group, version) = api_version.rsplit_once('/').unwrap_or(("", api_version));
    let kind = o.text("/kind").unwrap_or_default();
    let verdict = match (group, kind) {
        ("apps", "Deployment") => workloads::deployment(o),
        ("apps", "StatefulSet") => workloads::statefulset(o),
        ("apps", "DaemonSet") => workloads::daemonset(o),
        ("apps", "ReplicaSet") => workloads::replicaset(o),
        ("", "Pod") => pod::pod(o),
        ("batch", "Job") => batch::job(o),
        ("batch", "CronJob") => batch::cronjob(o),
        ("", "Service") => network::service(o),
        ("networking.k8s.io" | "extensions", "Ingress") => network::ingress(o),
        ("", "PersistentVolumeClaim") => cluster::pvc(o),
        ("apiextensions.k8s.io", "CustomResourceDefinition") => cluster::crd(o),
        ("autoscaling", "HorizontalPodAutoscaler") => hpa::hpa(o, version),
        ("apiregistration.k8s.io", "APIService") => apiservice::apiservice(o),
        ("argoproj.io", "Rollout") => argo::rollout(o),
        ("argoproj.io", "Workflow") => argo::workflow(o),
        ("argoproj.io", "CronWorkflow") => argo::cron_workflow(o),
        ("argoproj.io", "Application") => argo::application(o),
        (g, _) if g.ends_with(".toolkit.fluxcd.io") => kstatus::flux(o),
        _ => kstatus::generic(o),
    };
    verdict.unwrap_or_else(|Malformed(why)| unknown(why))
}

#[cfg(test)]
mod tests;
