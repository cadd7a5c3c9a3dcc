//! The built-in resource types the sandbox serves: every group, version and resource the
//! recorded kube-apiserver's discovery lists (tests/fixtures/apiserver-corpus/discovery), in
//! its order, with what discovery says about each and what the sandbox needs to serve it.

/// One line a resource type, fields separated by whitespace:
/// `group/version plural Kind scope short-names categories flags verbs subresources`
/// - scope: `N` namespaced, `C` cluster-scoped;
/// - short names, categories, subresources: comma-separated, `-` for none;
/// - flags: `g` when the server keeps `metadata.generation`, `-` otherwise;
/// - verbs: `*` for create,delete,deletecollection,get,list,patch,update,watch; `*-dc` for
///   the same without deletecollection; else a comma-separated list;
/// - a trailing `store=group/version` names the version objects are stored in (and the
///   storageVersionHash is computed from) when it is another one.
const CATALOG: &str = "
v1 bindings Binding N - - - create -
v1 componentstatuses ComponentStatus C cs - - get,list -
v1 configmaps ConfigMap N cm - - * -
v1 endpoints Endpoints N ep - - * -
v1 events Event N ev - - * -
v1 limitranges LimitRange N limits - - * -
v1 namespaces Namespace C ns - - *-dc finalize,status
v1 nodes Node C no - - * proxy,status
v1 persistentvolumeclaims PersistentVolumeClaim N pvc - - * status
v1 persistentvolumes PersistentVolume C pv - - * status
v1 pods Pod N po all - * attach,binding,ephemeralcontainers,eviction,exec,log,portforward,proxy,status
v1 podtemplates PodTemplate N - - - * -
v1 replicationcontrollers ReplicationController N rc all g * scale,status
v1 resourcequotas ResourceQuota N quota - - * status
v1 secrets Secret N - - - * -
v1 serviceaccounts ServiceAccount N sa - - * token
v1 services Service N svc all - * proxy,status
apiregistration.k8s.io/v1 apiservices APIService C - api-extensions - * status
apps/v1 controllerrevisions ControllerRevision N - - - * -
apps/v1 daemonsets DaemonSet N ds all g * status
apps/v1 deployments Deployment N deploy all g * scale,status
apps/v1 replicasets ReplicaSet N rs all g * scale,status
apps/v1 statefulsets StatefulSet N sts all g * scale,status
events.k8s.io/v1 events Event N ev - - * - store=v1
authentication.k8s.io/v1 selfsubjectreviews SelfSubjectReview C - - - create -
authentication.k8s.io/v1 tokenreviews TokenReview C - - - create -
authorization.k8s.io/v1 localsubjectaccessreviews LocalSubjectAccessReview N - - - create -
authorization.k8s.io/v1 selfsubjectaccessreviews SelfSubjectAccessReview C - - - create -
authorization.k8s.io/v1 selfsubjectrulesreviews SelfSubjectRulesReview C - - - create -
authorization.k8s.io/v1 subjectaccessreviews SubjectAccessReview C - - - create -
autoscaling/v2 horizontalpodautoscalers HorizontalPodAutoscaler N hpa all - * status
autoscaling/v1 horizontalpodautoscalers HorizontalPodAutoscaler N hpa all - * status store=autoscaling/v2
batch/v1 cronjobs CronJob N cj all g * status
batch/v1 jobs Job N - all g * status
certificates.k8s.io/v1 certificatesigningrequests CertificateSigningRequest C csr - - * approval,status
networking.k8s.io/v1 ingressclasses IngressClass C - - g * -
networking.k8s.io/v1 ingresses Ingress N ing - g * status
networking.k8s.io/v1 networkpolicies NetworkPolicy N netpol - g * -
policy/v1 poddisruptionbudgets PodDisruptionBudget N pdb - g * status
rbac.authorization.k8s.io/v1 clusterrolebindings ClusterRoleBinding C - - - * -
rbac.authorization.k8s.io/v1 clusterroles ClusterRole C - - - * -
rbac.authorization.k8s.io/v1 rolebindings RoleBinding N - - - * -
rbac.authorization.k8s.io/v1 roles Role N - - - * -
storage.k8s.io/v1 csidrivers CSIDriver C - - - * -
storage.k8s.io/v1 csinodes CSINode C - - - * -
storage.k8s.io/v1 csistoragecapacities CSIStorageCapacity N - - - * -
storage.k8s.io/v1 storageclasses StorageClass C sc - - * -
storage.k8s.io/v1 volumeattachments VolumeAttachment C - - - * status
admissionregistration.k8s.io/v1 mutatingwebhookconfigurations MutatingWebhookConfiguration C - api-extensions g * -
admissionregistration.k8s.io/v1 validatingwebhookconfigurations ValidatingWebhookConfiguration C - api-extensions g * -
apiextensions.k8s.io/v1 customresourcedefinitions CustomResourceDefinition C crd,crds api-extensions g * status
scheduling.k8s.io/v1 priorityclasses PriorityClass C pc - - * -
coordination.k8s.io/v1 leases Lease N - - - * -
node.k8s.io/v1 runtimeclasses RuntimeClass C - - - * -
discovery.k8s.io/v1 endpointslices EndpointSlice N - - g * -
flowcontrol.apiserver.k8s.io/v1beta3 flowschemas FlowSchema C - - g * status
flowcontrol.apiserver.k8s.io/v1beta3 prioritylevelconfigurations PriorityLevelConfiguration C - - g * status
flowcontrol.apiserver.k8s.io/v1beta2 flowschemas FlowSchema C - - g * status store=flowcontrol.apiserver.k8s.io/v1beta3
flowcontrol.apiserver.k8s.io/v1beta2 prioritylevelconfigurations PriorityLevelConfiguration C - - g * status store=flowcontrol.apiserver.k8s.io/v1beta3
";

pub const ALL_VERBS: &[&str] = &[
    "create",
    "delete",
    "deletecollection",
    "get",
    "list",
    "patch",
    "update",
    "watch",
];
const NO_DELETECOLLECTION: &[&str] = &["create", "delete", "get", "list", "patch", "update", "watch"];
/// The verbs of a custom resource, in the order the real server lists them.
pub const CUSTOM_VERBS: &[&str] = &[
    "delete",
    "deletecollection",
    "get",
    "list",
    "patch",
    "create",
    "update",
    "watch",
];

/// One catalog line, parsed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    pub group: &'static str,
    pub version: &'static str,
    pub resource: &'static str,
    pub kind: &'static str,
    pub namespaced: bool,
    pub short_names: Vec<&'static str>,
    pub categories: Vec<&'static str>,
    pub generation: bool,
    pub verbs: Vec<&'static str>,
    pub subresources: Vec<&'static str>,
    /// `group/version` of the stored objects (the entry's own unless `store=` says).
    pub storage: &'static str,
}

fn list(field: &'static str) -> Vec<&'static str> {
    if field == "-" {
        Vec::new()
    } else {
        field.split(',').collect()
    }
}

fn parse(line: &'static str) -> Option<Entry> {
    let f: Vec<&'static str> = line.split_whitespace().collect();
    let [
        gv,
        resource,
        kind,
        scope,
        short,
        cats,
        flags,
        verbs,
        subs,
        rest @ ..,
    ] = f.as_slice()
    else {
        return None;
    };
    let (group, version) = gv.split_once('/').unwrap_or(("", gv));
    let storage = rest.iter().find_map(|r| r.strip_prefix("store=")).unwrap_or(gv);
    let verbs = match *verbs {
        "*" => ALL_VERBS.to_vec(),
        "*-dc" => NO_DELETECOLLECTION.to_vec(),
        v => list(v),
    };
    Some(Entry {
        group,
        version,
        resource,
        kind,
        namespaced: *scope == "N",
        short_names: list(short),
        categories: list(cats),
        generation: flags.contains('g'),
        verbs,
        subresources: list(subs),
        storage,
    })
}

/// Every built-in resource type, in discovery order.
pub fn entries() -> Vec<Entry> {
    CATALOG.lines().filter_map(parse).collect()
}

/// What discovery says of a subresource: the kind it answers with (`None`: the resource's
/// own), that kind's `group/version` when it is another group's, and its verbs.
pub fn subresource(
    name: &str,
    kind: &str,
) -> (Option<String>, Option<&'static str>, &'static [&'static str]) {
    const GPU: &[&str] = &["get", "patch", "update"];
    const CG: &[&str] = &["create", "get"];
    const PROXY: &[&str] = &["create", "delete", "get", "patch", "update"];
    match name {
        "scale" => (Some("Scale".into()), Some("autoscaling/v1"), GPU),
        "finalize" => (None, None, &["update"]),
        "proxy" => (Some(format!("{kind}ProxyOptions")), None, PROXY),
        "attach" => (Some("PodAttachOptions".into()), None, CG),
        "exec" => (Some("PodExecOptions".into()), None, CG),
        "portforward" => (Some("PodPortForwardOptions".into()), None, CG),
        "binding" => (Some("Binding".into()), None, &["create"]),
        "eviction" => (Some("Eviction".into()), Some("policy/v1"), &["create"]),
        "log" => (None, None, &["get"]),
        "token" => (
            Some("TokenRequest".into()),
            Some("authentication.k8s.io/v1"),
            &["create"],
        ),
        _ => (None, None, GPU),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_line_parses() {
        let lines = CATALOG.lines().filter(|l| !l.trim().is_empty()).count();
        let entries = entries();
        assert_eq!(entries.len(), lines);
        let ns = entries
            .iter()
            .find(|e| e.resource == "namespaces")
            .expect("namespaces");
        assert!(!ns.namespaced && !ns.verbs.contains(&"deletecollection"));
        let hpa_v1 = entries
            .iter()
            .find(|e| e.group == "autoscaling" && e.version == "v1")
            .expect("autoscaling/v1");
        assert_eq!(hpa_v1.storage, "autoscaling/v2");
        let pc = entries
            .iter()
            .find(|e| e.resource == "priorityclasses")
            .expect("priorityclasses");
        assert_eq!(
            (pc.group, pc.short_names.as_slice()),
            ("scheduling.k8s.io", &["pc"][..])
        );
    }
}
