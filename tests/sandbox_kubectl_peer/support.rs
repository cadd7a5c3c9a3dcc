//! Shared steps of the kubectl peer tests: a sandbox with namespace `shop` and a kubectl of
//! a given version, and reading managedFields.

use crate::common::sandbox::{Kubectl, start};
use serde_json::Value;
use sextant::sandbox::Sandbox;

/// Deployment `shop/web`: two replicas of nginx:1.25.3.
pub const DEPLOYMENT: &str = "apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  namespace: shop
spec:
  replicas: 2
  selector:
    matchLabels:
      app: web
  template:
    metadata:
      labels:
        app: web
    spec:
      containers:
        - name: web
          image: nginx:1.25.3
";

/// A sandbox (controllers as asked) with namespace `shop`, and kubectl `version`; `None`
/// when that kubectl is not installed (a SKIP line is printed).
pub async fn setup(version: &str, controllers: bool) -> Option<(Sandbox, Kubectl)> {
    let sandbox = start(&["peer"], controllers).await;
    let kubectl = Kubectl::version(&sandbox, version)?;
    // From a manifest: `kubectl create namespace` of kubectl 1.30 and later sends protobuf.
    let ns = "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: shop\n";
    kubectl.ok(&["create", "-f", "-"], Some(ns)).await;
    Some((sandbox, kubectl))
}

/// The managedFields entry of (manager, operation), if any.
pub fn entry<'a>(obj: &'a Value, manager: &str, operation: &str) -> Option<&'a Value> {
    obj["metadata"]["managedFields"]
        .as_array()?
        .iter()
        .find(|e| e["manager"] == manager && e["operation"] == operation)
}

/// `manager/operation` of every entry, in order.
pub fn managers(obj: &Value) -> Vec<String> {
    obj["metadata"]["managedFields"]
        .as_array()
        .map(|l| {
            l.iter()
                .map(|e| {
                    format!(
                        "{}/{}",
                        e["manager"].as_str().unwrap_or_default(),
                        e["operation"].as_str().unwrap_or_default()
                    )
                })
                .collect()
        })
        .unwrap_or_default()
}
