//! LIST responses (`lists/index.yaml`): the objects `tools/capture_lists.py` created, made
//! again in the sandbox, then every recorded LIST (paged, all namespaces, resourceVersion=0,
//! cluster-scoped, custom resources, PartialObjectMetadataList and Table).

use super::{Recorded, Report, replay};
use crate::common::corpus::{apply, settle_for};
use crate::common::sandbox::Request;
use serde_json::Value;
use sextant::sandbox::ClusterEndpoint;
use std::path::Path;

const NS: &str = "corpus-lists";

fn labelled(api_version: &str, kind: &str, name: &str, namespaced: bool, rest: &str) -> String {
    let ns = if namespaced {
        format!("  namespace: {NS}\n")
    } else {
        String::new()
    };
    format!(
        "apiVersion: {api_version}\nkind: {kind}\nmetadata:\n  name: {name}\n{ns}  labels:\n    corpus: lists\n{rest}"
    )
}

/// The objects of `capture_lists.py`, applied as it did (fieldManager=corpus-setup).
async fn setup(ep: &ClusterEndpoint, root: &Path) -> Result<(), String> {
    let mut objects = vec![(
        format!("/api/v1/namespaces/{NS}"),
        format!("apiVersion: v1\nkind: Namespace\nmetadata:\n  name: {NS}\n"),
    )];
    for i in 0..5 {
        objects.push((
            format!("/api/v1/namespaces/{NS}/configmaps/settings-{i}"),
            labelled(
                "v1",
                "ConfigMap",
                &format!("settings-{i}"),
                true,
                &format!("data:\n  index: \"{i}\"\n"),
            ),
        ));
    }
    objects.push((
        format!("/api/v1/namespaces/{NS}/secrets/creds"),
        labelled(
            "v1",
            "Secret",
            "creds",
            true,
            "stringData:\n  password: not-a-real-password\n",
        ),
    ));
    objects.push((
        format!("/apis/apps/v1/namespaces/{NS}/deployments/web"),
        labelled(
            "apps/v1",
            "Deployment",
            "web",
            true,
            "spec:\n  replicas: 2\n  selector:\n    matchLabels:\n      app: web\n  template:\n    metadata:\n      labels:\n        app: web\n    spec:\n      containers:\n      - name: web\n        image: nginx:1.25\n",
        ),
    ));
    objects.push((
        format!("/api/v1/namespaces/{NS}/services/web"),
        labelled(
            "v1",
            "Service",
            "web",
            true,
            "spec:\n  selector:\n    app: web\n  ports:\n  - port: 80\n",
        ),
    ));
    objects.push((
        "/apis/rbac.authorization.k8s.io/v1/clusterroles/corpus-lists-reader".into(),
        labelled(
            "rbac.authorization.k8s.io/v1",
            "ClusterRole",
            "corpus-lists-reader",
            false,
            "rules:\n- apiGroups: [\"\"]\n  resources: [configmaps]\n  verbs: [get, list]\n",
        ),
    ));
    let crd = root.join("cases/23-crd-schema-default/manifest.yaml");
    objects.push((
        "/apis/apiextensions.k8s.io/v1/customresourcedefinitions/widgets.corpus.example.com".into(),
        std::fs::read_to_string(crd).map_err(|e| e.to_string())?,
    ));
    for (name, size) in [("blue", "medium"), ("red", "large")] {
        objects.push((
            format!("/apis/corpus.example.com/v1/namespaces/{NS}/widgets/{name}"),
            labelled(
                "corpus.example.com/v1",
                "Widget",
                name,
                true,
                &format!("spec:\n  size: {size}\n"),
            ),
        ));
    }
    for (path, yaml) in &objects {
        let (code, body) = apply(ep, path, yaml, "corpus-setup", false).await;
        if code >= 300 {
            return Err(format!("setup apply of {path}: {code} {body}"));
        }
    }
    // Let the Deployment controller write status and a ReplicaSet, as the script's sleep did;
    // long enough for the simulated controllers to be done, so the answers do not race them.
    let quiet = std::time::Duration::from_millis(2500);
    settle_for(
        ep,
        &format!("/apis/apps/v1/namespaces/{NS}/deployments/web"),
        quiet,
    )
    .await;
    settle_for(ep, &format!("/apis/apps/v1/namespaces/{NS}/replicasets"), quiet).await;
    Ok(())
}

pub async fn replay_all(ep: &ClusterEndpoint, root: &Path, report: &mut Report) -> usize {
    if let Err(e) = setup(ep, root).await {
        report.fail("lists", e);
        return 0;
    }
    let dir = root.join("lists");
    let index = std::fs::read_to_string(dir.join("index.yaml")).expect("lists index");
    let index: Value = sextant::yaml::from_str(&index).expect("lists index parses");
    let entries = index.as_array().expect("a list");
    // The token a page hands on is the sandbox's own: the next request carries it instead
    // of the recorded server's.
    let mut last_continue = String::new();
    for e in entries {
        let file = e["file"].as_str().unwrap_or_default();
        let request = e["request"].as_str().unwrap_or_default();
        let path = request.strip_prefix("GET ").unwrap_or(request);
        let path = match path.split_once("&continue=") {
            Some((head, _)) => format!("{head}&continue={last_continue}"),
            None => path.to_string(),
        };
        let got = replay(
            ep,
            Request {
                accept: e["accept"].as_str().unwrap_or("application/json"),
                ..Request::get(ep, &path)
            },
        )
        .await;
        if let Ok(v) = serde_json::from_str::<Value>(&got.body) {
            last_continue = v["metadata"]["continue"].as_str().unwrap_or_default().to_string();
        }
        let want = std::fs::read_to_string(dir.join(file)).expect("recorded list");
        report.check(
            &format!("lists/{file}"),
            &got,
            &Recorded {
                code: e["status"].as_u64().unwrap_or_default() as u16,
                content_type: None,
                body: &want,
            },
        );
    }
    entries.len()
}
