//! Which printer the real server uses for each built-in kind.

use super::Column;
use super::{apps, core, groups};
use crate::sandbox::kinds::ResourceType;
use serde_json::Value;

/// A kind's columns and how to fill one row of them.
pub struct Printer {
    pub columns: &'static [Column],
    pub cells: fn(&Value) -> Vec<Value>,
}

pub fn printer(rt: &ResourceType) -> Option<&'static Printer> {
    if !rt.builtin {
        return None;
    }
    Some(match (rt.group.as_str(), rt.kind.as_str()) {
        ("", "ConfigMap") => &core::CONFIG_MAP,
        ("", "Secret") => &core::SECRET,
        ("", "Service") => &core::SERVICE,
        ("", "Pod") => &core::POD,
        ("", "Namespace") => &core::NAMESPACE,
        ("", "ServiceAccount") => &core::SERVICE_ACCOUNT,
        ("", "Endpoints") => &core::ENDPOINTS,
        ("", "PersistentVolumeClaim") => &core::PVC,
        ("", "Event") => &core::EVENT,
        ("", "ReplicationController") => &apps::REPLICATION_CONTROLLER,
        ("apps", "Deployment") => &apps::DEPLOYMENT,
        ("apps", "ReplicaSet") => &apps::REPLICA_SET,
        ("apps", "StatefulSet") => &apps::STATEFUL_SET,
        ("apps", "DaemonSet") => &apps::DAEMON_SET,
        ("batch", "Job") => &apps::JOB,
        ("batch", "CronJob") => &apps::CRON_JOB,
        ("autoscaling", "HorizontalPodAutoscaler") => &apps::HPA,
        ("policy", "PodDisruptionBudget") => &apps::PDB,
        ("networking.k8s.io", "Ingress") => &groups::INGRESS,
        ("networking.k8s.io", "NetworkPolicy") => &groups::NETWORK_POLICY,
        ("rbac.authorization.k8s.io", "RoleBinding" | "ClusterRoleBinding") => &groups::ROLE_BINDING,
        ("scheduling.k8s.io", "PriorityClass") => &groups::PRIORITY_CLASS,
        ("coordination.k8s.io", "Lease") => &groups::LEASE,
        _ => return None,
    })
}
