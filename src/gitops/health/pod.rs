//! Pods, by phase, restart policy, container states and readiness, as Argo CD reads them.
//!
//! A Pod that restarts Always is a service: a container stuck in `CrashLoopBackOff`,
//! `ImagePullBackOff` or any `Err…`/`…Error` wait is Degraded, a ready one Healthy. A Pod
//! that restarts Never or OnFailure runs to completion (a hook, a migration): while it runs
//! it is Progressing, whatever its containers do, and its outcome is its phase. The
//! annotation `argocd.argoproj.io/ignore-restart-policy` reads such a Pod as a service.

use super::fields::{Malformed, Obj, Read, find};
use super::{Rule, degraded, healthy, progressing, unknown};
use serde_json::Value;

const IGNORE_RESTART_POLICY: &str = "argocd.argoproj.io/ignore-restart-policy";

pub fn pod(o: Obj) -> Rule {
    // The API server always sets a restart policy; Always is its default.
    let policy = o.str("/spec/restartPolicy")?.unwrap_or("Always");
    let as_service = policy == "Always" || o.annotation(IGNORE_RESTART_POLICY)?.is_some();
    let containers = statuses(o, "/status/containerStatuses")?;
    let init = statuses(o, "/status/initContainerStatuses")?;
    if as_service {
        let stuck: Vec<String> = containers
            .iter()
            .filter(|c| is_error_wait(c.waiting_reason))
            .map(|c| c.waiting())
            .collect();
        if !stuck.is_empty() {
            return Ok(degraded(stuck.join(", ")));
        }
    }
    let message = o.text("/status/message")?;
    match o.text("/status/phase")? {
        "Pending" => Ok(progressing(pending_why(o, message, &init, &containers)?)),
        "Succeeded" => Ok(healthy(or(message, "completed"))),
        "Failed" => {
            let reason = o.text("/status/reason")?;
            let why = if message.is_empty() {
                init.iter()
                    .chain(&containers)
                    .find_map(ContainerStatus::failure)
                    .unwrap_or_else(|| or(reason, "failed"))
            } else {
                message.to_string()
            };
            Ok(degraded(why))
        }
        "Running" if as_service => {
            let conds = o.conditions()?;
            let ready = find(&conds, "Ready");
            if ready.is_some_and(|c| c.is_true()) {
                return Ok(healthy(message));
            }
            // Not ready after a container died: it is failing, not starting.
            if let Some(c) = containers.iter().find(|c| c.last_terminated.is_some()) {
                return Ok(degraded(format!("not ready; {}", c.restarted())));
            }
            let why = ready.map(|c| c.message).filter(|m| !m.is_empty());
            Ok(progressing(format!(
                "not ready{}",
                why.map(|m| format!(": {m}")).unwrap_or_default()
            )))
        }
        "Running" if matches!(policy, "Never" | "OnFailure") => Ok(progressing(format!(
            "running to completion (restartPolicy {policy})"
        ))),
        "Running" => Ok(unknown(format!("unknown restartPolicy {policy}"))),
        "" => Ok(unknown("no phase reported yet")),
        phase => Ok(unknown(super::fields::join_why(
            &format!("phase {phase}"),
            message,
        ))),
    }
}

fn or(text: &str, fallback: &str) -> String {
    if text.is_empty() { fallback } else { text }.to_string()
}

/// Why a Pod is pending: its own message, an init container's wait, a container's wait, or
/// the scheduler's word.
fn pending_why(
    o: Obj,
    message: &str,
    init: &[ContainerStatus],
    containers: &[ContainerStatus],
) -> Read<String> {
    if !message.is_empty() {
        return Ok(message.to_string());
    }
    if let Some(c) = init
        .iter()
        .chain(containers)
        .find(|c| !c.waiting_reason.is_empty())
    {
        return Ok(c.waiting());
    }
    let conds = o.conditions()?;
    Ok(match find(&conds, "PodScheduled") {
        Some(c) if !c.is_true() => format!("unschedulable: {}", c.message),
        _ => "pending".to_string(),
    })
}

/// The waits that mean a container cannot start: `CrashLoopBackOff`, `ImagePullBackOff`,
/// `ErrImagePull`, `CreateContainerConfigError`...
fn is_error_wait(reason: &str) -> bool {
    reason.starts_with("Err") || reason.ends_with("Error") || reason.ends_with("BackOff")
}

/// What the health rules read of one container's status.
struct ContainerStatus<'a> {
    name: &'a str,
    waiting_reason: &'a str,
    waiting_message: &'a str,
    terminated: Option<Terminated<'a>>,
    last_terminated: Option<Terminated<'a>>,
}

struct Terminated<'a> {
    reason: &'a str,
    message: &'a str,
    exit_code: i64,
}

impl ContainerStatus<'_> {
    /// "container api: CrashLoopBackOff: back-off 5m0s restarting failed container".
    fn waiting(&self) -> String {
        let why = super::fields::join_why(self.waiting_reason, self.waiting_message);
        format!("container {}: {why}", self.name)
    }

    /// Why a finished container failed, if it did.
    fn failure(&self) -> Option<String> {
        let t = self.terminated.as_ref()?;
        if !t.message.is_empty() {
            Some(t.message.trim().to_string())
        } else if t.reason == "OOMKilled" {
            Some(format!("container {}: OOMKilled", self.name))
        } else if t.exit_code != 0 {
            Some(format!(
                "container {} exited with code {}",
                self.name, t.exit_code
            ))
        } else {
            None
        }
    }

    /// "container api restarted after Error (exit code 1)".
    fn restarted(&self) -> String {
        let Some(t) = &self.last_terminated else {
            return format!("container {} restarted", self.name);
        };
        let reason = if t.reason.is_empty() { "exit" } else { t.reason };
        format!(
            "container {} restarted after {reason} (exit code {})",
            self.name, t.exit_code
        )
    }
}

fn statuses<'a>(o: Obj<'a>, at: &str) -> Read<Vec<ContainerStatus<'a>>> {
    o.list(at)?
        .iter()
        .enumerate()
        .map(|(i, v)| container_status(v, &format!("{at}/{i}")))
        .collect()
}

fn container_status<'a>(v: &'a Value, at: &str) -> Read<ContainerStatus<'a>> {
    if !v.is_object() {
        return Err(Malformed(format!("malformed object: {at} is not an object")));
    }
    let c = Obj(v);
    let terminated = |p: &str| -> Read<Option<Terminated<'a>>> {
        if !c.has(p) {
            return Ok(None);
        }
        Ok(Some(Terminated {
            reason: c.text(&format!("{p}/reason")).map_err(|e| at_path(e, at))?,
            message: c.text(&format!("{p}/message")).map_err(|e| at_path(e, at))?,
            exit_code: c.count(&format!("{p}/exitCode")).map_err(|e| at_path(e, at))?,
        }))
    };
    Ok(ContainerStatus {
        name: c.text("/name").map_err(|e| at_path(e, at))?,
        waiting_reason: c.text("/state/waiting/reason").map_err(|e| at_path(e, at))?,
        waiting_message: c.text("/state/waiting/message").map_err(|e| at_path(e, at))?,
        terminated: terminated("/state/terminated")?,
        last_terminated: terminated("/lastState/terminated")?,
    })
}

/// Name a container status's field by its full path in the Pod.
fn at_path(Malformed(why): Malformed, at: &str) -> Malformed {
    Malformed(why.replacen("malformed object: /", &format!("malformed object: {at}/"), 1))
}
