//! Where the sandbox knowingly differs from the recorded server, and why. Each entry covers
//! the differences at or below one JSON path of the recorded files `file` names (`*` matches
//! any run of characters), optionally only in documents of one `kind` ("" for any). An entry
//! that explains nothing fails the test, so the list cannot go stale.

pub struct Allowed {
    pub file: &'static str,
    pub kind: &'static str,
    pub path: &'static str,
    pub reason: &'static str,
}

const WORKLOADS: &str = "Deployment|StatefulSet|DaemonSet|Job|PodDisruptionBudget";
const NODELESS: &str = "the recorded cluster had no nodes, so no Pod ever ran and workloads stayed unavailable; \
    the sandbox's simulated controllers (src/sandbox/controllers.rs) make them progress and become available, \
    as on a cluster with nodes, which the demo and the health verdicts rely on";
const GO_DUMP: &str = "the real message embeds a Go dump (or diff) of the server's internal types \
    (core.PodTemplateSpec{…}, core.PersistentVolumeClaimSpec{…}); the sandbox has no Go types to print";

pub const ALLOWED: &[Allowed] = &[
    Allowed {
        file: "cases/*",
        kind: WORKLOADS,
        path: "$.status",
        reason: NODELESS,
    },
    Allowed {
        file: "cases/*",
        kind: WORKLOADS,
        path: "$.metadata.managedFields[kube-controller-manager/Update/status]",
        reason: NODELESS,
    },
    Allowed {
        file: "lists/deployments.json",
        kind: "DeploymentList",
        path: "$.items[0].status",
        reason: NODELESS,
    },
    Allowed {
        file: "lists/deployments.json",
        kind: "DeploymentList",
        path: "$.items[0].metadata.managedFields[kube-controller-manager/Update/status]",
        reason: NODELESS,
    },
    Allowed {
        file: "lists/deployments-table.json",
        kind: "Table",
        path: "$.rows[0].cells",
        reason: NODELESS,
    },
    Allowed {
        file: "lists/deployments-table.json",
        kind: "Table",
        path: "$.rows[0].object.metadata.managedFields[kube-controller-manager/Update/status]",
        reason: NODELESS,
    },
    Allowed {
        file: "lists/replicasets.json",
        kind: "ReplicaSetList",
        path: "$.items",
        reason: "owned by the kubectl-behaviours work: the sandbox's Deployment controller does not create \
            ReplicaSet objects yet (that work adds the ReplicaSet -> Pods controller)",
    },
    Allowed {
        file: "cases/13-hpa-v2-two-metrics/*-after-drift.json",
        kind: "HorizontalPodAutoscaler",
        path: "$.metadata.managedFields",
        reason: "owned by the kubectl-behaviours work (managedFields): the recorded server hands the unchanged \
            spec.metrics to the manager of a merge patch of maxReplicas; the sandbox does not (see sandbox_corpus)",
    },
    Allowed {
        file: "cases/12-job/dryrun-changed.json",
        kind: "Status",
        path: "$.message",
        reason: GO_DUMP,
    },
    Allowed {
        file: "cases/12-job/dryrun-changed.json",
        kind: "Status",
        path: "$.details.causes[0].message",
        reason: GO_DUMP,
    },
    Allowed {
        file: "cases/22-persistentvolumeclaim/dryrun-changed.json",
        kind: "Status",
        path: "$.message",
        reason: GO_DUMP,
    },
    Allowed {
        file: "cases/22-persistentvolumeclaim/dryrun-changed.json",
        kind: "Status",
        path: "$.details.causes[0].message",
        reason: GO_DUMP,
    },
    Allowed {
        file: "errors/400-apply-malformed-yaml.json",
        kind: "Status",
        path: "$.message",
        reason: "the YAML parser's wording and line number are Go's (sigs.k8s.io/yaml); the rest of the body matches",
    },
    Allowed {
        file: "discovery/version.json",
        kind: "",
        path: "$.gitVersion",
        reason: "the sandbox names itself in gitVersion (v1.29.0-alpha.0+sextant.sandbox); major and minor are the \
            recorded ones, so the kubectl dispatcher still picks kubectl 1.29",
    },
];

/// Whether `text` matches `pattern`, where `*` stands for any run of characters.
fn glob(pattern: &str, text: &str) -> bool {
    match pattern.split_once('*') {
        None => pattern == text,
        Some((head, tail)) => {
            let Some(rest) = text.strip_prefix(head) else {
                return false;
            };
            (0..=rest.len())
                .filter(|i| rest.is_char_boundary(*i))
                .any(|i| glob(tail, &rest[i..]))
        }
    }
}

/// The allow-list entry that explains a difference at `path` in `file` (a document of
/// `kind`), if any.
pub fn explained(file: &str, kind: &str, path: &str) -> Option<usize> {
    ALLOWED.iter().position(|a| {
        let rest = path.strip_prefix(a.path);
        glob(a.file, file)
            && (a.kind.is_empty() || a.kind.split('|').any(|k| k == kind))
            && rest.is_some_and(|r| r.is_empty() || r.starts_with(['.', '[']))
    })
}

#[test]
fn every_allowed_difference_says_why() {
    for a in ALLOWED {
        assert!(a.reason.len() >= 20, "{} {}: give a reason", a.file, a.path);
        assert!(a.path.starts_with('$'), "{}: a JSON path", a.file);
    }
}

#[test]
fn globs_match_runs_of_characters() {
    assert!(glob("cases/*/live-*.json", "cases/01-x/live-after-drift.json"));
    assert!(!glob("cases/*/live-*.json", "cases/01-x/dryrun-same.json"));
    assert!(glob(
        "errors/400-apply-malformed-yaml.json",
        "errors/400-apply-malformed-yaml.json"
    ));
}
