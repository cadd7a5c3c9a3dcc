use super::*;
use serde_json::json;

fn h(v: Value) -> Health {
    assess(Some(&v)).status
}

fn deploy(spec: Value, status: Value) -> Value {
    json!({"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "d", "generation": 2},
        "spec": spec, "status": status})
}

#[test]
fn missing_objects_are_missing() {
    assert_eq!(assess(None).status, Health::Missing);
}

#[test]
fn deployments_follow_their_rollout() {
    let done = json!({"observedGeneration": 2, "replicas": 3, "updatedReplicas": 3, "availableReplicas": 3});
    assert_eq!(h(deploy(json!({"replicas": 3}), done.clone())), Health::Healthy);
    assert_eq!(
        h(deploy(json!({"replicas": 3, "paused": true}), done)),
        Health::Suspended
    );
    let stale = json!({"observedGeneration": 1, "replicas": 3, "updatedReplicas": 3, "availableReplicas": 3});
    assert_eq!(h(deploy(json!({"replicas": 3}), stale)), Health::Progressing);
    let rolling =
        json!({"observedGeneration": 2, "replicas": 4, "updatedReplicas": 3, "availableReplicas": 3});
    assert_eq!(h(deploy(json!({"replicas": 3}), rolling)), Health::Progressing);
    let unavailable =
        json!({"observedGeneration": 2, "replicas": 3, "updatedReplicas": 3, "availableReplicas": 1});
    assert_eq!(
        h(deploy(json!({"replicas": 3}), unavailable)),
        Health::Progressing
    );
    let stuck = json!({"observedGeneration": 2, "replicas": 3, "updatedReplicas": 1,
        "conditions": [{"type": "Progressing", "status": "False", "reason": "ProgressDeadlineExceeded"}]});
    assert_eq!(h(deploy(json!({"replicas": 3}), stuck)), Health::Degraded);
}

#[test]
fn statefulsets_and_daemonsets() {
    let sts = |status: Value| {
        json!({"apiVersion": "apps/v1", "kind": "StatefulSet", "metadata": {"generation": 1},
            "spec": {"replicas": 2}, "status": status})
    };
    assert_eq!(
        h(sts(
            json!({"observedGeneration": 1, "readyReplicas": 2, "updatedReplicas": 2,
            "currentRevision": "a", "updateRevision": "a"})
        )),
        Health::Healthy
    );
    assert_eq!(
        h(sts(json!({"observedGeneration": 1, "readyReplicas": 1}))),
        Health::Progressing
    );
    assert_eq!(
        h(sts(
            json!({"observedGeneration": 1, "readyReplicas": 2, "updatedReplicas": 2,
            "currentRevision": "a", "updateRevision": "b"})
        )),
        Health::Progressing
    );
    let ds = |status: Value| json!({"apiVersion": "apps/v1", "kind": "DaemonSet", "status": status});
    assert_eq!(h(ds(json!({"desiredNumberScheduled": 0}))), Health::Healthy);
    assert_eq!(
        h(ds(
            json!({"desiredNumberScheduled": 3, "updatedNumberScheduled": 3, "numberAvailable": 2})
        )),
        Health::Progressing
    );
    assert_eq!(
        h(ds(
            json!({"desiredNumberScheduled": 3, "updatedNumberScheduled": 3, "numberAvailable": 3})
        )),
        Health::Healthy
    );
}

#[test]
fn replicasets_jobs_and_cronjobs() {
    let rs = json!({"apiVersion": "apps/v1", "kind": "ReplicaSet", "spec": {"replicas": 2},
        "status": {"availableReplicas": 2, "conditions": [{"type": "ReplicaFailure", "status": "True",
            "reason": "FailedCreate", "message": "quota"}]}});
    assert_eq!(h(rs), Health::Degraded);
    let job = |status: Value, suspend: bool| json!({"apiVersion": "batch/v1", "kind": "Job", "spec": {"suspend": suspend}, "status": status});
    assert_eq!(h(job(json!({"active": 1}), false)), Health::Progressing);
    assert_eq!(
        h(job(
            json!({"conditions": [{"type": "Complete", "status": "True"}]}),
            false
        )),
        Health::Healthy
    );
    assert_eq!(
        h(job(
            json!({"conditions": [{"type": "Failed", "status": "True", "reason": "BackoffLimitExceeded"}]}),
            false
        )),
        Health::Degraded
    );
    assert_eq!(h(job(json!({}), true)), Health::Suspended);
    let cron =
        |suspend: bool| json!({"apiVersion": "batch/v1", "kind": "CronJob", "spec": {"suspend": suspend}});
    assert_eq!(h(cron(false)), Health::Healthy);
    assert_eq!(h(cron(true)), Health::Suspended);
}

#[test]
fn claims_services_and_ingresses() {
    let pvc = |phase: &str| json!({"apiVersion": "v1", "kind": "PersistentVolumeClaim", "status": {"phase": phase}});
    assert_eq!(h(pvc("Bound")), Health::Healthy);
    assert_eq!(h(pvc("Pending")), Health::Progressing);
    assert_eq!(h(pvc("Lost")), Health::Degraded);
    let svc = |ty: &str, status: Value| json!({"apiVersion": "v1", "kind": "Service", "spec": {"type": ty}, "status": status});
    assert_eq!(h(svc("ClusterIP", json!({"loadBalancer": {}}))), Health::Healthy);
    assert_eq!(
        h(svc("LoadBalancer", json!({"loadBalancer": {}}))),
        Health::Progressing
    );
    assert_eq!(
        h(svc(
            "LoadBalancer",
            json!({"loadBalancer": {"ingress": [{"ip": "10.0.0.9"}]}})
        )),
        Health::Healthy
    );
    let ing =
        |status: Value| json!({"apiVersion": "networking.k8s.io/v1", "kind": "Ingress", "status": status});
    assert_eq!(h(ing(json!({"loadBalancer": {}}))), Health::Progressing);
    assert_eq!(
        h(ing(
            json!({"loadBalancer": {"ingress": [{"hostname": "lb.example"}]}})
        )),
        Health::Healthy
    );
}

#[test]
fn hpas_by_condition() {
    let hpa = |conds: Value| json!({"apiVersion": "autoscaling/v2", "kind": "HorizontalPodAutoscaler", "status": {"conditions": conds}});
    assert_eq!(h(hpa(json!([]))), Health::Progressing);
    assert_eq!(
        h(hpa(
            json!([{"type": "AbleToScale", "status": "True"}, {"type": "ScalingActive", "status": "True"}])
        )),
        Health::Healthy
    );
    assert_eq!(
        h(hpa(
            json!([{"type": "ScalingActive", "status": "False", "reason": "FailedGetResourceMetric"}])
        )),
        Health::Degraded
    );
    assert_eq!(
        h(hpa(
            json!([{"type": "ScalingActive", "status": "False", "reason": "ScalingDisabled"}])
        )),
        Health::Suspended
    );
}

#[test]
fn pods_crds_and_namespaces() {
    let pod = json!({"apiVersion": "v1", "kind": "Pod", "status": {"phase": "Running",
        "containerStatuses": [{"state": {"waiting": {"reason": "CrashLoopBackOff"}}}]}});
    assert_eq!(h(pod), Health::Degraded);
    let ready = json!({"apiVersion": "v1", "kind": "Pod", "status": {"phase": "Running",
        "conditions": [{"type": "Ready", "status": "True"}]}});
    assert_eq!(h(ready), Health::Healthy);
    let crd = json!({"apiVersion": "apiextensions.k8s.io/v1", "kind": "CustomResourceDefinition",
        "status": {"conditions": [{"type": "Established", "status": "True"}]}});
    assert_eq!(h(crd), Health::Healthy);
    let ns = json!({"apiVersion": "v1", "kind": "Namespace", "status": {"phase": "Terminating"}});
    assert_eq!(h(ns), Health::Progressing);
}

#[test]
fn generic_conditions_follow_kstatus() {
    let cr = |conds: Value| json!({"apiVersion": "example.com/v1", "kind": "Widget", "status": {"conditions": conds}});
    assert_eq!(
        h(json!({"apiVersion": "v1", "kind": "ConfigMap"})),
        Health::Healthy
    );
    assert_eq!(
        h(cr(json!([{"type": "Ready", "status": "True"}]))),
        Health::Healthy
    );
    assert_eq!(
        h(cr(
            json!([{"type": "Ready", "status": "False", "reason": "Waiting"}])
        )),
        Health::Progressing
    );
    assert_eq!(
        h(cr(
            json!([{"type": "Ready", "status": "False", "reason": "InstallFailed"}])
        )),
        Health::Degraded
    );
    assert_eq!(
        h(cr(json!([{"type": "Stalled", "status": "True", "reason": "X"}]))),
        Health::Degraded
    );
    assert_eq!(
        h(cr(
            json!([{"type": "Reconciling", "status": "True", "reason": "X"}])
        )),
        Health::Progressing
    );
    assert_eq!(
        h(cr(json!([{"type": "Available", "status": "Unknown"}]))),
        Health::Progressing
    );
    let stale = json!({"apiVersion": "example.com/v1", "kind": "Widget", "metadata": {"generation": 3},
        "status": {"observedGeneration": 2}});
    assert_eq!(h(stale), Health::Progressing);
}

#[test]
fn deletion_is_progress() {
    let v = json!({"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"deletionTimestamp": "2026-11-22T02:01:42Z"}});
    assert_eq!(h(v), Health::Progressing);
}

#[test]
fn argo_applications_report_their_own_health_and_flux_uses_conditions() {
    let app = |status: Value| json!({"apiVersion": "argoproj.io/v1alpha1", "kind": "Application", "status": status});
    assert_eq!(
        h(app(json!({"health": {"status": "Degraded"}}))),
        Health::Degraded
    );
    assert_eq!(h(app(json!({"health": {"status": "Healthy"}}))), Health::Healthy);
    assert_eq!(h(app(json!({}))), Health::Unknown);
    let ks = json!({"apiVersion": "kustomize.toolkit.fluxcd.io/v1", "kind": "Kustomization",
        "status": {"conditions": [{"type": "Ready", "status": "False", "reason": "ReconciliationFailed"}]}});
    assert_eq!(h(ks.clone()), Health::Degraded);
    let mut suspended = ks;
    suspended["spec"] = json!({"suspend": true});
    assert_eq!(h(suspended), Health::Suspended);
}
