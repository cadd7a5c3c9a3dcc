//! Health of live objects, following kstatus and Argo CD conventions: workloads by their
//! rollout status, Jobs and CronJobs, PVCs by phase, LoadBalancer Services and Ingresses
//! by their assigned address, HPAs by their conditions, anything else by the generic
//! `Ready` / `Available` / `Stalled` / `Reconciling` conditions. Pure: an object in, a verdict out.

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

impl fmt::Display for Health {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(self, f)
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct HealthStatus {
    pub status: Health,
    /// Why, in a few words (empty when healthy for no particular reason).
    pub message: String,
}

impl HealthStatus {
    pub fn new(status: Health, message: impl Into<String>) -> HealthStatus {
        HealthStatus {
            status,
            message: message.into(),
        }
    }

    /// Argo's order, least to most severe: Healthy, Suspended, Progressing, Missing,
    /// Degraded, Unknown.
    pub fn severity(&self) -> u8 {
        match self.status {
            Health::Healthy => 0,
            Health::Suspended => 1,
            Health::Progressing => 2,
            Health::Missing => 3,
            Health::Degraded => 4,
            Health::Unknown => 5,
        }
    }
}

fn ok(msg: &str) -> HealthStatus {
    HealthStatus::new(Health::Healthy, msg)
}
fn progressing(msg: impl Into<String>) -> HealthStatus {
    HealthStatus::new(Health::Progressing, msg)
}
fn degraded(msg: impl Into<String>) -> HealthStatus {
    HealthStatus::new(Health::Degraded, msg)
}

/// The health of a live object; `None` means it does not exist (Missing).
pub fn assess(live: Option<&Value>) -> HealthStatus {
    let Some(obj) = live else {
        return HealthStatus::new(Health::Missing, "not found on the cluster");
    };
    let api_version = obj.get("apiVersion").and_then(Value::as_str).unwrap_or_default();
    let group = api_version.rsplit_once('/').map(|(g, _)| g).unwrap_or("");
    let kind = obj.get("kind").and_then(Value::as_str).unwrap_or_default();
    let o = Obj(obj);
    if o.str("/metadata/deletionTimestamp").is_some() {
        return progressing("being deleted");
    }
    match (group, kind) {
        ("apps", "Deployment") => deployment(&o),
        ("apps", "StatefulSet") => statefulset(&o),
        ("apps", "DaemonSet") => daemonset(&o),
        ("apps", "ReplicaSet") => replicaset(&o),
        ("batch", "Job") => job(&o),
        ("batch", "CronJob") => cronjob(&o),
        ("", "PersistentVolumeClaim") => pvc(&o),
        ("", "Service") => service(&o),
        ("", "Pod") => pod(&o),
        ("networking.k8s.io" | "extensions", "Ingress") => ingress(&o),
        ("autoscaling", "HorizontalPodAutoscaler") => hpa(&o),
        ("apiextensions.k8s.io", "CustomResourceDefinition") => crd(&o),
        ("argoproj.io", "Application") => argo_application(&o),
        (g, _) if g.ends_with(".toolkit.fluxcd.io") && o.bool("/spec/suspend") => {
            HealthStatus::new(Health::Suspended, "reconciliation suspended")
        }
        ("", "Namespace") => match o.str("/status/phase") {
            Some("Terminating") => progressing("namespace terminating"),
            _ => ok(""),
        },
        _ => generic(&o),
    }
}

struct Obj<'a>(&'a Value);

impl Obj<'_> {
    fn str(&self, p: &str) -> Option<&str> {
        self.0.pointer(p).and_then(Value::as_str)
    }
    fn int(&self, p: &str) -> Option<i64> {
        self.0.pointer(p).and_then(Value::as_i64)
    }
    fn num(&self, p: &str) -> i64 {
        self.int(p).unwrap_or(0)
    }
    fn bool(&self, p: &str) -> bool {
        self.0.pointer(p).and_then(Value::as_bool).unwrap_or(false)
    }
    /// `status` and `reason`/`message` of the condition of this type.
    fn condition(&self, ty: &str) -> Option<(&str, &str, &str)> {
        let list = self.0.pointer("/status/conditions")?.as_array()?;
        let c = list
            .iter()
            .find(|c| c.get("type").and_then(Value::as_str) == Some(ty))?;
        let s = |k: &str| c.get(k).and_then(Value::as_str).unwrap_or_default();
        Some((s("status"), s("reason"), s("message")))
    }
    /// The controller has not seen the latest spec yet.
    fn stale(&self) -> bool {
        matches!((self.int("/metadata/generation"), self.int("/status/observedGeneration")),
            (Some(g), Some(o)) if o < g)
    }
}

fn deployment(o: &Obj) -> HealthStatus {
    if o.bool("/spec/paused") {
        return HealthStatus::new(Health::Suspended, "rollout paused");
    }
    if o.stale() {
        return progressing("waiting for the controller to observe the new spec");
    }
    if let Some((_, "ProgressDeadlineExceeded", _)) = o.condition("Progressing") {
        return degraded("progress deadline exceeded");
    }
    let want = o.int("/spec/replicas").unwrap_or(1);
    let updated = o.num("/status/updatedReplicas");
    let total = o.num("/status/replicas");
    let available = o.num("/status/availableReplicas");
    if updated < want {
        return progressing(format!("{updated} of {want} replicas updated"));
    }
    if total > updated {
        return progressing(format!("{} old replicas pending termination", total - updated));
    }
    if available < updated {
        return progressing(format!("{available} of {updated} updated replicas available"));
    }
    ok("")
}

fn statefulset(o: &Obj) -> HealthStatus {
    if o.stale() {
        return progressing("waiting for the controller to observe the new spec");
    }
    let want = o.int("/spec/replicas").unwrap_or(1);
    let ready = o.num("/status/readyReplicas");
    if ready < want {
        return progressing(format!("{ready} of {want} replicas ready"));
    }
    if o.str("/spec/updateStrategy/type") == Some("OnDelete") {
        return ok("update strategy OnDelete");
    }
    let partition = o.num("/spec/updateStrategy/rollingUpdate/partition");
    let updated = o.num("/status/updatedReplicas");
    if updated < want - partition {
        return progressing(format!("{updated} of {} replicas updated", want - partition));
    }
    if partition == 0 && o.str("/status/updateRevision") != o.str("/status/currentRevision") {
        return progressing("rolling update in progress");
    }
    ok("")
}

fn daemonset(o: &Obj) -> HealthStatus {
    if o.stale() {
        return progressing("waiting for the controller to observe the new spec");
    }
    if o.str("/spec/updateStrategy/type") == Some("OnDelete") {
        return ok("update strategy OnDelete");
    }
    let want = o.num("/status/desiredNumberScheduled");
    let updated = o.num("/status/updatedNumberScheduled");
    let available = o.num("/status/numberAvailable");
    if updated < want {
        return progressing(format!("{updated} of {want} pods updated"));
    }
    if available < want {
        return progressing(format!("{available} of {want} pods available"));
    }
    ok("")
}

fn replicaset(o: &Obj) -> HealthStatus {
    if o.stale() {
        return progressing("waiting for the controller to observe the new spec");
    }
    if let Some(("True", reason, msg)) = o.condition("ReplicaFailure") {
        return degraded(format!("{reason}: {msg}"));
    }
    let want = o.int("/spec/replicas").unwrap_or(1);
    let available = o.num("/status/availableReplicas");
    if available < want {
        return progressing(format!("{available} of {want} replicas available"));
    }
    ok("")
}

fn job(o: &Obj) -> HealthStatus {
    if let Some(("True", reason, msg)) = o.condition("Failed") {
        return degraded(format!("job failed: {reason} {msg}").trim().to_string());
    }
    if let Some(("True", ..)) = o.condition("Complete") {
        return ok("job complete");
    }
    if o.bool("/spec/suspend") {
        return HealthStatus::new(Health::Suspended, "job suspended");
    }
    progressing(format!("{} active", o.num("/status/active")))
}

fn cronjob(o: &Obj) -> HealthStatus {
    if o.bool("/spec/suspend") {
        return HealthStatus::new(Health::Suspended, "cron job suspended");
    }
    ok("")
}

fn pvc(o: &Obj) -> HealthStatus {
    match o.str("/status/phase") {
        Some("Bound") => ok("bound"),
        Some("Lost") => degraded("claim lost its volume"),
        Some("Pending") | None => progressing("claim pending"),
        Some(other) => HealthStatus::new(Health::Unknown, format!("phase {other}")),
    }
}

fn service(o: &Obj) -> HealthStatus {
    if o.str("/spec/type") != Some("LoadBalancer") {
        return ok("");
    }
    if has_ingress(o) {
        ok("load balancer ready")
    } else {
        progressing("waiting for a load balancer address")
    }
}

fn ingress(o: &Obj) -> HealthStatus {
    if has_ingress(o) {
        ok("address assigned")
    } else {
        progressing("waiting for an address")
    }
}

fn has_ingress(o: &Obj) -> bool {
    o.0.pointer("/status/loadBalancer/ingress")
        .and_then(Value::as_array)
        .is_some_and(|a| !a.is_empty())
}

fn hpa(o: &Obj) -> HealthStatus {
    for ty in ["AbleToScale", "ScalingActive"] {
        if let Some(("False", reason, msg)) = o.condition(ty)
            && reason != "ScalingDisabled"
        {
            return degraded(format!("{reason}: {msg}"));
        }
    }
    match o.condition("ScalingActive") {
        Some(("True", ..)) => ok(""),
        Some(("False", "ScalingDisabled", _)) => HealthStatus::new(Health::Suspended, "scaling disabled"),
        _ => progressing("waiting for metrics"),
    }
}

/// An Argo CD Application reports its own health: take it as is.
fn argo_application(o: &Obj) -> HealthStatus {
    let message = o.str("/status/health/message").unwrap_or_default();
    let status = match o.str("/status/health/status") {
        Some("Healthy") => Health::Healthy,
        Some("Progressing") => Health::Progressing,
        Some("Degraded") => Health::Degraded,
        Some("Suspended") => Health::Suspended,
        Some("Missing") => Health::Missing,
        _ => Health::Unknown,
    };
    HealthStatus::new(status, message)
}

fn crd(o: &Obj) -> HealthStatus {
    if let Some(("False", reason, msg)) = o.condition("NamesAccepted") {
        return degraded(format!("names not accepted: {reason} {msg}").trim().to_string());
    }
    match o.condition("Established") {
        Some(("True", ..)) => ok("established"),
        _ => progressing("waiting to be established"),
    }
}

fn pod(o: &Obj) -> HealthStatus {
    let statuses = o.0.pointer("/status/containerStatuses").and_then(Value::as_array);
    for s in statuses.into_iter().flatten() {
        if let Some(reason) = s.pointer("/state/waiting/reason").and_then(Value::as_str)
            && matches!(
                reason,
                "CrashLoopBackOff" | "ImagePullBackOff" | "ErrImagePull" | "CreateContainerConfigError"
            )
        {
            return degraded(reason);
        }
    }
    match o.str("/status/phase") {
        Some("Succeeded") => ok("completed"),
        Some("Failed") => degraded(o.str("/status/reason").unwrap_or("pod failed")),
        Some("Running") => match o.condition("Ready") {
            Some(("True", ..)) => ok(""),
            _ => progressing("not ready"),
        },
        _ => progressing("pending"),
    }
}

/// kstatus-style: Stalled / Reconciling, then Ready / Available, then observedGeneration.
fn generic(o: &Obj) -> HealthStatus {
    if let Some(("True", reason, msg)) = o.condition("Stalled") {
        return degraded(format!("{reason}: {msg}"));
    }
    if let Some(("True", reason, _)) = o.condition("Reconciling") {
        return progressing(format!("reconciling: {reason}"));
    }
    for ty in ["Ready", "Available"] {
        match o.condition(ty) {
            Some(("True", ..)) => return ok(""),
            Some(("False", reason, msg)) => {
                let text = format!("{ty} is False: {reason} {msg}").trim().to_string();
                let failed = ["Fail", "Error", "Invalid", "Degraded"]
                    .iter()
                    .any(|w| reason.contains(w));
                return if failed { degraded(text) } else { progressing(text) };
            }
            Some(_) => return progressing(format!("{ty} is Unknown")),
            None => {}
        }
    }
    if o.stale() {
        return progressing("waiting for the controller to observe the new spec");
    }
    ok("")
}

#[cfg(test)]
#[path = "health_tests.rs"]
mod tests;
