//! ReplicaSets and their Pods under the simulated controllers: a Deployment's ReplicaSet
//! per template, the Pods a ReplicaSet creates, and what `kubectl describe` prints of them.

use crate::common::sandbox::{KUBECTL_VERSIONS, Kubectl};
use crate::support::{DEPLOYMENT, setup};
use serde_json::Value;
use std::time::Duration;

/// Poll `kubectl get ARGS -o json` until `done` holds (at most ~10 s).
async fn wait_for(k: &Kubectl, args: &[&str], done: impl Fn(&Value) -> bool) -> Value {
    let mut last = Value::Null;
    for _ in 0..100 {
        last = k.json(args).await;
        if done(&last) {
            return last;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("{args:?} never got there: {last}");
}

fn names(list: &Value) -> Vec<String> {
    list["items"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|i| i["metadata"]["name"].as_str().map(str::to_string))
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn replica_sets_create_pods_and_describe_shows_them() {
    for version in KUBECTL_VERSIONS {
        let Some((_sandbox, k)) = setup(version, true).await else {
            continue;
        };
        k.ok(&["apply", "-f", "-"], Some(DEPLOYMENT)).await;
        let ready = |l: &Value| {
            l["items"]
                .as_array()
                .is_some_and(|i| i.len() == 2 && i.iter().all(|p| p["status"]["phase"] == "Running"))
        };
        let pods = wait_for(&k, &["-n", "shop", "get", "pods", "-l", "app=web"], ready).await;
        let rs = k.json(&["-n", "shop", "get", "replicasets"]).await;
        let rs_names = names(&rs);
        assert_eq!(rs_names.len(), 1, "{version}: {rs_names:?}");
        let rs_name = &rs_names[0];
        let hash = rs["items"][0]["metadata"]["labels"]["pod-template-hash"]
            .as_str()
            .expect("pod-template-hash");
        assert_eq!(rs_name, &format!("web-{hash}"));
        assert_eq!(
            rs["items"][0]["metadata"]["ownerReferences"][0]["kind"],
            "Deployment"
        );
        for pod in pods["items"].as_array().into_iter().flatten() {
            let name = pod["metadata"]["name"].as_str().unwrap_or_default();
            assert!(
                name.starts_with(&format!("{rs_name}-")) && name.len() == rs_name.len() + 6,
                "{name}"
            );
            assert_eq!(pod["metadata"]["labels"]["pod-template-hash"], hash);
            let owner = &pod["metadata"]["ownerReferences"][0];
            assert_eq!(
                (owner["kind"].as_str(), owner["controller"].as_bool()),
                (Some("ReplicaSet"), Some(true))
            );
            assert_eq!(owner["uid"], rs["items"][0]["metadata"]["uid"]);
            let ready = pod["status"]["conditions"]
                .as_array()
                .and_then(|c| c.iter().find(|c| c["type"] == "Ready"))
                .map(|c| c["status"].clone());
            assert_eq!(ready, Some(Value::from("True")), "{pod}");
        }
        wait_for(&k, &["-n", "shop", "get", "replicaset", rs_name], |r| {
            r["status"]["readyReplicas"] == 2
        })
        .await;

        let text = k.ok(&["-n", "shop", "describe", "rs", rs_name], None).await;
        for line in [
            "Controlled By:  Deployment/web".to_string(),
            "Replicas:       2 current / 2 desired".to_string(),
            "Pods Status:    2 Running / 0 Waiting / 0 Succeeded / 0 Failed".to_string(),
            format!("pod-template-hash={hash}"),
            format!("Created pod: {rs_name}-"),
        ] {
            assert!(text.contains(&line), "{version}: no {line:?} in\n{text}");
        }
        let text = k.ok(&["-n", "shop", "describe", "deploy", "web"], None).await;
        for line in [
            "OldReplicaSets:  <none>".to_string(),
            format!("NewReplicaSet:   {rs_name} (2/2 replicas created)"),
            format!("Scaled up replica set {rs_name} to 2"),
        ] {
            assert!(text.contains(&line), "{version}: no {line:?} in\n{text}");
        }

        // A new template: a new ReplicaSet, the old one scaled to 0 and its Pods gone.
        let edited = DEPLOYMENT.replace("nginx:1.25.3", "nginx:1.25.4");
        k.ok(&["apply", "-f", "-"], Some(&edited)).await;
        let two = |l: &Value| {
            l["items"].as_array().is_some_and(|i| {
                i.len() == 2
                    && i.iter().all(|p| {
                        p["status"]["phase"] == "Running"
                            && p["spec"]["containers"][0]["image"] == "nginx:1.25.4"
                    })
            })
        };
        wait_for(&k, &["-n", "shop", "get", "pods", "-l", "app=web"], two).await;
        let text = k.ok(&["-n", "shop", "describe", "deploy", "web"], None).await;
        assert!(
            text.contains(&format!("OldReplicaSets:  {rs_name} (0/0 replicas created)")),
            "{text}"
        );

        // Deleting the Deployment takes its ReplicaSets and Pods along.
        k.ok(&["-n", "shop", "delete", "deployment", "web"], None).await;
        let gone = |l: &Value| l["items"].as_array().is_some_and(Vec::is_empty);
        wait_for(&k, &["-n", "shop", "get", "replicasets"], gone).await;
        wait_for(&k, &["-n", "shop", "get", "pods"], gone).await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_scaled_replica_set_follows_with_its_pods() {
    let Some((_sandbox, k)) = setup("1.29", true).await else {
        return;
    };
    let rs = "apiVersion: apps/v1\nkind: ReplicaSet\nmetadata:\n  name: front\n  namespace: shop\nspec:\n  replicas: 3\n  selector:\n    matchLabels: {app: front}\n  template:\n    metadata:\n      labels: {app: front}\n    spec:\n      containers:\n        - name: c\n          image: nginx:1.25.3\n";
    k.ok(&["apply", "-f", "-"], Some(rs)).await;
    let count = |n: usize| {
        move |l: &Value| {
            l["items"]
                .as_array()
                .is_some_and(|i| i.len() == n && i.iter().all(|p| p["status"]["phase"] == "Running"))
        }
    };
    wait_for(&k, &["-n", "shop", "get", "pods", "-l", "app=front"], count(3)).await;
    k.ok(&["-n", "shop", "scale", "rs", "front", "--replicas=1"], None)
        .await;
    let one = wait_for(&k, &["-n", "shop", "get", "pods", "-l", "app=front"], count(1)).await;
    // A deleted Pod is replaced.
    let pod = names(&one).remove(0);
    k.ok(&["-n", "shop", "delete", "pod", &pod], None).await;
    let back = wait_for(&k, &["-n", "shop", "get", "pods", "-l", "app=front"], count(1)).await;
    assert_ne!(names(&back), [pod]);
    let text = k.ok(&["-n", "shop", "describe", "rs", "front"], None).await;
    assert!(text.contains("Replicas:     1 current / 1 desired"), "{text}");
    assert!(text.contains("SuccessfulDelete"), "{text}");
}
