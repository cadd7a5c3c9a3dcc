//! The order a sync applies objects in: Namespaces, then CRDs (which must be Established
//! before their kinds can be applied), then other cluster-scoped objects, then namespaced
//! ones; within each, kinds in the order kubectl, Helm and Argo CD use (what others depend
//! on first: accounts and config before the workloads that mount them). Prune goes the
//! other way round.

use crate::kube::key::ObjectKey;

/// Kinds in install order (Argo CD's and Helm's); any other kind comes after them.
const KIND_ORDER: [&str; 35] = [
    "Namespace",
    "NetworkPolicy",
    "ResourceQuota",
    "LimitRange",
    "PodSecurityPolicy",
    "PodDisruptionBudget",
    "ServiceAccount",
    "Secret",
    "SecretList",
    "ConfigMap",
    "StorageClass",
    "PersistentVolume",
    "PersistentVolumeClaim",
    "CustomResourceDefinition",
    "ClusterRole",
    "ClusterRoleList",
    "ClusterRoleBinding",
    "ClusterRoleBindingList",
    "Role",
    "RoleList",
    "RoleBinding",
    "RoleBindingList",
    "Service",
    "DaemonSet",
    "Pod",
    "ReplicationController",
    "ReplicaSet",
    "Deployment",
    "HorizontalPodAutoscaler",
    "StatefulSet",
    "Job",
    "CronJob",
    "IngressClass",
    "Ingress",
    "APIService",
];

/// Where a kind sits in install order (unknown kinds last, together).
pub fn kind_rank(kind: &str) -> usize {
    KIND_ORDER
        .iter()
        .position(|k| *k == kind)
        .unwrap_or(KIND_ORDER.len())
}

/// The waves of a sync, applied one after another; objects within a wave go concurrently.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Wave {
    Namespaces,
    Crds,
    ClusterScoped,
    Namespaced,
}

impl Wave {
    pub fn of(key: &ObjectKey) -> Wave {
        match (key.group.as_str(), key.kind.as_str()) {
            ("", "Namespace") => Wave::Namespaces,
            ("apiextensions.k8s.io", "CustomResourceDefinition") => Wave::Crds,
            _ if key.namespace.is_empty() => Wave::ClusterScoped,
            _ => Wave::Namespaced,
        }
    }
}

/// The sort key of an object in apply order: wave, kind, namespace, name.
pub fn apply_key(key: &ObjectKey) -> (Wave, usize, &str, &str, &str) {
    (
        Wave::of(key),
        kind_rank(&key.kind),
        key.kind.as_str(),
        key.namespace.as_str(),
        key.name.as_str(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(group: &str, kind: &str, ns: &str, name: &str) -> ObjectKey {
        ObjectKey {
            group: group.into(),
            kind: kind.into(),
            namespace: ns.into(),
            name: name.into(),
        }
    }

    #[test]
    fn namespaces_then_crds_then_cluster_scoped_then_namespaced_by_kind() {
        let mut keys = [
            key("apps", "Deployment", "shop", "web"),
            key("example.com", "Widget", "shop", "blue"),
            key("", "ConfigMap", "shop", "settings"),
            key("rbac.authorization.k8s.io", "ClusterRole", "", "reader"),
            key(
                "apiextensions.k8s.io",
                "CustomResourceDefinition",
                "",
                "widgets.example.com",
            ),
            key("", "Namespace", "", "shop"),
            key("", "Service", "shop", "web"),
            key("", "ServiceAccount", "shop", "web"),
        ];
        keys.sort_by(|a, b| apply_key(a).cmp(&apply_key(b)));
        let kinds: Vec<&str> = keys.iter().map(|k| k.kind.as_str()).collect();
        assert_eq!(
            kinds,
            [
                "Namespace",
                "CustomResourceDefinition",
                "ClusterRole",
                "ServiceAccount",
                "ConfigMap",
                "Service",
                "Deployment",
                "Widget"
            ]
        );
    }
}
