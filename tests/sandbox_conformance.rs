//! The sandbox against everything the golden corpus recorded from a real kube-apiserver:
//! every request of every case (`cases/*/http.yaml`, drift operations run with the real
//! kubectl), the discovery documents, the error bodies, the LIST responses (paging, Table,
//! PartialObjectMetadataList) and the watch sample, replayed in one sandbox and compared
//! answer by answer: status, content type, and every key, type, length and value but those
//! that differ by nature (`conformance::shape`). Known differences are in
//! `conformance::allow`, each with its reason.

mod common;
mod conformance;

use common::sandbox::{Kubectl, call, corpus_dir, start};
use conformance::{Report, cases, discovery, errors, lists, watch};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sandbox_answers_every_recorded_request_like_the_real_server() {
    let root = corpus_dir();
    let sandbox = start(&["conformance"], true).await;
    let Some(kubectl) = Kubectl::new(&sandbox) else {
        return;
    };
    let ep = sandbox.clusters()[0].clone();
    let ns = r#"{"apiVersion":"v1","kind":"Namespace","metadata":{"name":"corpus"}}"#;
    let (code, _) = call(&ep, "POST", "/api/v1/namespaces", "application/json", ns).await;
    assert_eq!(code, 201);
    let home = tempfile::tempdir().expect("temp home");
    let mut report = Report::new();

    let dirs = common::corpus::case_dirs(&root);
    assert_eq!(dirs.len(), 27, "the corpus has 27 cases");
    for dir in &dirs {
        cases::replay_case(&ep, &kubectl, dir, home.path(), &mut report).await;
    }
    let case_answers = report.checked;
    // Recorded after all the cases were applied (the Widget CRD of case 23 is served).
    assert_eq!(discovery::replay_all(&ep, &root, &mut report).await, 8);
    assert!(errors::replay_all(&ep, &kubectl, &root, home.path(), &mut report).await >= 25);
    assert_eq!(lists::replay_all(&ep, &root, &mut report).await, 14);
    watch::replay_sample(&ep, &root, &mut report).await;

    assert_eq!(case_answers, 157, "every request of every http.yaml was replayed");
    let checked = report.checked;
    let failures = report.finish();
    assert!(
        failures.is_empty(),
        "{} difference(s) from the recorded server in {checked} answers (sandbox != recorded):\n{}",
        failures.len(),
        failures.join("\n")
    );
}
