//! Table tests. Every case is a live object as its controller writes it, kept in
//! `tests/fixtures/health/<file>.yaml` and found by `metadata.name`, with the verdict Argo CD
//! gives it and words its message must hold.

use super::*;

mod aggregate;
mod apiservice;
mod argo;
mod batch;
mod hpa;
mod kstatus;
mod malformed;
mod network;
mod pods;
mod workloads;

/// One row: the object's `metadata.name`, its health, and words its message holds.
type Case = (&'static str, Health, &'static str);

/// Every object of `tests/fixtures/health/<file>.yaml`.
fn fixtures(file: &str) -> Vec<Value> {
    let path = format!("{}/tests/fixtures/health/{file}.yaml", env!("CARGO_MANIFEST_DIR"));
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("reading {path}: {e}"));
    crate::gitops::render::split_documents(&text)
        .into_iter()
        .map(|(line, doc)| crate::yaml::from_str(doc).unwrap_or_else(|e| panic!("{path}:{line}: {e}")))
        .collect()
}

fn name_of(v: &Value) -> &str {
    v.pointer("/metadata/name")
        .and_then(Value::as_str)
        .unwrap_or_default()
}

/// The object named `name` in `file`.
fn object(file: &str, name: &str) -> Value {
    fixtures(file)
        .into_iter()
        .find(|o| name_of(o) == name)
        .unwrap_or_else(|| panic!("no object {name} in {file}.yaml"))
}

/// Assess every row's object and report every row that disagrees, not just the first.
fn check(file: &str, cases: &[Case]) {
    let objects = fixtures(file);
    let mut failures = Vec::new();
    for (name, want, says) in cases {
        let Some(obj) = objects.iter().find(|o| name_of(o) == *name) else {
            failures.push(format!("{name}: no such object in {file}.yaml"));
            continue;
        };
        let got = assess(Some(obj));
        if got.status != *want || !got.message.contains(says) {
            failures.push(format!(
                "{name}: want {want} saying {says:?}, got {} saying {:?}",
                got.status, got.message
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// Every fixture object is some table's case, so none sits there untested.
#[test]
fn every_fixture_object_has_a_case() {
    let tables: [(&str, Vec<&[Case]>); 9] = [
        ("workloads", workloads::ALL.to_vec()),
        ("pods", vec![pods::PODS]),
        ("batch", vec![batch::JOBS, batch::CRON_JOBS]),
        ("network", network::ALL.to_vec()),
        ("hpa", vec![hpa::HPAS]),
        ("apiservice", vec![apiservice::APISERVICES]),
        ("argo", argo::ALL.to_vec()),
        ("kstatus", vec![kstatus::GENERIC, kstatus::FLUX]),
        ("malformed", vec![malformed::MALFORMED]),
    ];
    for (file, cases) in tables {
        for obj in fixtures(file) {
            let name = name_of(&obj);
            assert!(
                cases.iter().flat_map(|t| t.iter()).any(|(n, ..)| *n == name),
                "{file}.yaml: {name} has no case"
            );
        }
    }
}

#[test]
fn a_missing_object_is_missing() {
    let h = assess(None);
    assert_eq!(
        (h.status, h.message.as_str()),
        (Health::Missing, "not on the cluster")
    );
}

#[test]
fn argo_cd_order_puts_unknown_worst_and_healthy_best() {
    use Health::*;
    let worse = |a: Health, b: Health| a.is_worse_than(b);
    assert!(worse(Unknown, Degraded) && worse(Degraded, Missing) && worse(Missing, Progressing));
    assert!(worse(Progressing, Suspended) && worse(Suspended, Healthy));
    assert!(!worse(Healthy, Healthy) && !worse(Degraded, Unknown));
    for h in Health::ORDER {
        assert_eq!(Health::parse(h.as_str()), Some(h));
    }
    assert_eq!(Health::parse("Fine"), None);
}

#[test]
fn objects_pending_deletion_are_progressing() {
    let mut cm = object("kstatus", "web-config");
    cm["metadata"]["deletionTimestamp"] = json!("2026-11-22T10:00:00Z");
    let h = assess(Some(&cm));
    assert_eq!(
        (h.status, h.message.as_str()),
        (Health::Progressing, "pending deletion")
    );
}

#[test]
fn ignore_healthcheck_keeps_the_health_but_counts_as_healthy() {
    let mut deploy = object("workloads", "web-deadline-exceeded");
    deploy["metadata"]["annotations"] = json!({"argocd.argoproj.io/ignore-healthcheck": "true"});
    let h = assess(Some(&deploy));
    assert_eq!(h.status, Health::Degraded);
    assert_eq!(h.counts_as(), Health::Healthy);
    let plain = assess(Some(&object("workloads", "web-deadline-exceeded")));
    assert_eq!(plain.counts_as(), Health::Degraded);
}

use serde_json::json;
