//! Every object read from a server gets its type from the resource it was read through.
//!
//! A real kube-apiserver's LIST items of built-in kinds carry no `apiVersion` or `kind` (custom
//! resources' items and watch events do): see `tests/fixtures/apiserver-corpus/lists`. An
//! object is therefore never trusted for its own type; the resource asked for says it.

use kube::api::{DynamicObject, TypeMeta};
use kube::discovery::ApiResource;

/// `obj` with `apiVersion` and `kind` set from `resource`, whatever the server sent.
pub fn with_type(resource: &ApiResource, mut obj: DynamicObject) -> DynamicObject {
    obj.types = Some(TypeMeta {
        api_version: resource.api_version.clone(),
        kind: resource.kind.clone(),
    });
    obj
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_list_item_without_a_type_gets_the_listed_resources() {
        let item: DynamicObject =
            serde_json::from_str(r#"{"metadata":{"name":"web","namespace":"shop"},"spec":{"replicas":2}}"#)
                .unwrap();
        let cm = ApiResource::erase::<k8s_openapi::api::apps::v1::Deployment>(&());
        let v = serde_json::to_value(with_type(&cm, item)).unwrap();
        assert_eq!(v["apiVersion"], "apps/v1");
        assert_eq!(v["kind"], "Deployment");
        assert_eq!(v["spec"]["replicas"], 2);
    }

    #[test]
    fn a_wrong_type_is_replaced() {
        let item: DynamicObject =
            serde_json::from_str(r#"{"apiVersion":"v1","kind":"Table","metadata":{"name":"x"}}"#).unwrap();
        let cm = ApiResource::erase::<k8s_openapi::api::core::v1::ConfigMap>(&());
        let v = serde_json::to_value(with_type(&cm, item)).unwrap();
        assert_eq!(
            (v["apiVersion"].as_str(), v["kind"].as_str()),
            (Some("v1"), Some("ConfigMap"))
        );
    }
}
