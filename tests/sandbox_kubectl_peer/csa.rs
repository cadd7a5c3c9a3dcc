//! Objects first applied client-side (`kubectl apply`), then server-side: kubectl moves the
//! client-side manager's fields to its own apply manager with a JSON patch on
//! `metadata.managedFields`, and the server lets `kubectl` take over fields whose value still
//! matches the last-applied-configuration annotation.

use crate::common::sandbox::{KUBECTL_VERSIONS, call};
use crate::support::{DEPLOYMENT, entry, managers, setup};
use serde_json::{Value, json};

/// The Deployment with labels, one of which the next version drops.
fn v1() -> String {
    DEPLOYMENT.replace(
        "  namespace: shop\n",
        "  namespace: shop\n  labels:\n    app: web\n    tier: web\n",
    )
}

/// `v1()` with a new image and without the `tier` label.
fn v2() -> String {
    v1().replace("nginx:1.25.3", "nginx:1.25.4")
        .replace("    tier: web\n", "")
}

fn stdout(out: &std::process::Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn stderr(out: &std::process::Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn server_side_apply_takes_over_from_client_side_apply() {
    for version in KUBECTL_VERSIONS {
        let Some((_sandbox, k)) = setup(version, false).await else {
            continue;
        };
        k.ok(&["apply", "-f", "-"], Some(&v1())).await;
        let v2 = v2();

        let diff = k.run(&["diff", "--server-side", "-f", "-"], Some(&v2)).await;
        assert_eq!(diff.status.code(), Some(1), "{version}: {}", stderr(&diff));
        let text = stdout(&diff);
        assert!(
            text.contains("-      - image: nginx:1.25.3") && text.contains("+      - image: nginx:1.25.4"),
            "{version}: {text}"
        );

        let out = k.ok(&["apply", "--server-side", "-f", "-"], Some(&v2)).await;
        assert_eq!(out.trim(), "deployment.apps/web serverside-applied", "{version}");
        let d = k
            .json(&["-n", "shop", "get", "deployment", "web", "--show-managed-fields"])
            .await;
        assert_eq!(
            d["spec"]["template"]["spec"]["containers"][0]["image"],
            "nginx:1.25.4"
        );
        // The label dropped from the manifest is gone: kubectl owned it after the upgrade.
        assert_eq!(d["metadata"]["labels"], json!({"app": "web"}), "{version}");
        assert_eq!(
            managers(&d),
            ["kubectl/Apply", "kubectl-last-applied/Apply"],
            "{version}"
        );
        let kubectl = entry(&d, "kubectl", "Apply").expect("kubectl entry");
        assert_eq!(
            kubectl["fieldsV1"],
            json!({"f:metadata": {"f:labels": {"f:app": {}}}, "f:spec": {"f:replicas": {}, "f:selector": {},
                "f:template": {"f:metadata": {"f:labels": {"f:app": {}}}, "f:spec": {"f:containers": {
                    "k:{\"name\":\"web\"}": {".": {}, "f:image": {}, "f:name": {}}}}}}}),
            "{version}"
        );
        let last = entry(&d, "kubectl-last-applied", "Apply").expect("annotation keeper");
        assert_eq!(
            last["fieldsV1"],
            json!({"f:metadata": {"f:annotations": {"f:kubectl.kubernetes.io/last-applied-configuration": {}}}})
        );
        // The annotation now holds what was applied server-side, as JSON with a newline.
        let annotation = d["metadata"]["annotations"]["kubectl.kubernetes.io/last-applied-configuration"]
            .as_str()
            .expect("annotation kept");
        assert!(annotation.ends_with("}\n"), "{annotation:?}");
        let applied: Value = serde_json::from_str(annotation).expect("annotation is JSON");
        let expected: Value = sextant::yaml::from_str(&v2).expect("manifest");
        assert_eq!(applied, expected, "{version}");

        // Applying again, client- or server-side, changes nothing.
        let same = k.run(&["diff", "--server-side", "-f", "-"], Some(&v2)).await;
        assert_eq!(same.status.code(), Some(0), "{version}: {}", stdout(&same));
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_forced_apply_by_another_manager_takes_only_its_fields() {
    let Some((sandbox, k)) = setup("1.29", false).await else {
        return;
    };
    k.ok(&["apply", "-f", "-"], Some(&v1())).await;
    let ep = &sandbox.clusters()[0];
    let url = "/apis/apps/v1/namespaces/shop/deployments/web?fieldManager=sextant&force=true";
    let config = json!({"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "web", "namespace": "shop"},
        "spec": {"replicas": 5, "selector": {"matchLabels": {"app": "web"}}, "template": {"metadata": {"labels": {"app": "web"}},
            "spec": {"containers": [{"name": "web", "image": "nginx:1.25.3"}]}}}});
    let (code, d) = call(
        ep,
        "PATCH",
        url,
        "application/apply-patch+yaml",
        &config.to_string(),
    )
    .await;
    assert_eq!(code, 200, "{d}");
    assert_eq!(d["spec"]["replicas"], 5);
    let csa = entry(&d, "kubectl-client-side-apply", "Update").expect("client-side entry");
    let sextant = entry(&d, "sextant", "Apply").expect("sextant entry");
    // The changed field moved to sextant; the ones applied with the same value are shared.
    assert!(csa["fieldsV1"]["f:spec"].get("f:replicas").is_none(), "{csa}");
    assert!(sextant["fieldsV1"]["f:spec"].get("f:replicas").is_some());
    let image = |e: &Value| {
        e["fieldsV1"]
            .pointer("/f:spec/f:template/f:spec/f:containers/k:{\"name\":\"web\"}/f:image")
            .is_some()
    };
    assert!(image(csa) && image(sextant));
    // Only `kubectl` rewrites the last-applied annotation, and the labels sextant never
    // applied stay the client-side manager's.
    let annotation = d["metadata"]["annotations"]["kubectl.kubernetes.io/last-applied-configuration"]
        .as_str()
        .unwrap_or_default();
    assert!(annotation.contains("\"replicas\":2"), "{annotation}");
    assert!(csa["fieldsV1"]["f:metadata"]["f:labels"].get("f:tier").is_some());

    // kubectl's own server-side apply then conflicts on replicas, which sextant changed.
    let out = k.run(&["apply", "--server-side", "-f", "-"], Some(&v1())).await;
    assert!(!out.status.success());
    assert!(
        stderr(&out).contains("conflict with \"sextant\": .spec.replicas"),
        "{}",
        stderr(&out)
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn managed_fields_patches_follow_the_field_manager_rules() {
    let Some((sandbox, k)) = setup("1.29", false).await else {
        return;
    };
    k.ok(&["apply", "-f", "-"], Some(&v1())).await;
    let ep = &sandbox.clusters()[0];
    let url = "/apis/apps/v1/namespaces/shop/deployments/web?fieldManager=tester";
    let (_, live) = call(ep, "GET", "/apis/apps/v1/namespaces/shop/deployments/web", "", "").await;
    let rv = live["metadata"]["resourceVersion"]
        .as_str()
        .expect("rv")
        .to_string();
    let json_patch = "application/json-patch+json";
    let replace = |value: Value| {
        json!([{"op": "replace", "path": "/metadata/managedFields", "value": value}]).to_string()
    };

    // Entries that do not decode are ignored: the stored ones stay.
    let bad = replace(
        json!([{"manager": "x", "operation": "Delete", "apiVersion": "apps/v1", "fieldsType": "FieldsV1", "fieldsV1": {}}]),
    );
    let (code, d) = call(ep, "PATCH", url, json_patch, &bad).await;
    assert_eq!(code, 200, "{d}");
    assert_eq!(managers(&d), ["kubectl-client-side-apply/Update"]);

    // A manager name over 128 characters is invalid.
    let long = "m".repeat(129);
    let too_long = replace(
        json!([{"manager": long, "operation": "Apply", "apiVersion": "apps/v1", "fieldsType": "FieldsV1",
        "fieldsV1": {"f:spec": {"f:replicas": {}}}}]),
    );
    let (code, d) = call(ep, "PATCH", url, json_patch, &too_long).await;
    assert_eq!(code, 422, "{d}");
    assert_eq!(
        d["details"]["causes"][0]["field"],
        "metadata.managedFields[0].manager"
    );

    // A stale resourceVersion in the patch is a conflict (kubectl then reads and retries).
    let stale = json!([{"op": "replace", "path": "/metadata/resourceVersion", "value": "1"}]).to_string();
    let (code, d) = call(ep, "PATCH", url, json_patch, &stale).await;
    assert_eq!(code, 409, "{d}");
    assert!(
        d["message"]
            .as_str()
            .unwrap_or_default()
            .contains("the object has been modified")
    );
    let current = json!([{"op": "replace", "path": "/metadata/resourceVersion", "value": rv}]).to_string();
    let (code, _) = call(ep, "PATCH", url, json_patch, &current).await;
    assert_eq!(code, 200);

    // Valid entries replace the stored ones.
    let moved = replace(
        json!([{"manager": "kubectl", "operation": "Apply", "apiVersion": "apps/v1",
        "time": "2026-01-01T00:00:00Z", "fieldsType": "FieldsV1", "fieldsV1": {"f:spec": {"f:replicas": {}}}}]),
    );
    let (code, d) = call(ep, "PATCH", url, json_patch, &moved).await;
    assert_eq!(code, 200, "{d}");
    assert_eq!(managers(&d), ["kubectl/Apply"]);
    assert_eq!(d["metadata"]["managedFields"][0]["time"], "2026-01-01T00:00:00Z");

    // `[]` resets them; an applied configuration may not carry any.
    let (code, d) = call(ep, "PATCH", url, json_patch, &replace(json!([]))).await;
    assert_eq!(code, 200, "{d}");
    assert!(d["metadata"].get("managedFields").is_none(), "{d}");
    let apply = "/apis/apps/v1/namespaces/shop/deployments/web?fieldManager=x";
    let config = json!({"apiVersion": "apps/v1", "kind": "Deployment",
        "metadata": {"name": "web", "namespace": "shop", "managedFields": []}});
    let (code, d) = call(
        ep,
        "PATCH",
        apply,
        "application/apply-patch+yaml",
        &config.to_string(),
    )
    .await;
    assert_eq!(code, 400, "{d}");
    assert_eq!(d["message"], "metadata.managedFields must be nil");
}
