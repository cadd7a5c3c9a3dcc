//! The schemas behind the OpenAPI documents: the built-in kinds' definitions of Kubernetes
//! v1.29.0 (assets/openapi, read once on first use), and custom resources' schemas made from
//! their CRD's `openAPIV3Schema`, as the API server publishes them.

use super::super::kinds::ResourceType;
use serde_json::{Map, Value, json};
use std::collections::{BTreeMap, BTreeSet};
use std::io::Read;
use std::sync::OnceLock;

const DEFINITIONS_GZ: &[u8] = include_bytes!("../../../assets/openapi/definitions-1.29.json.gz");

pub const OBJECT_META: &str = "io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta";

/// Definition name -> Swagger 2.0 schema (`$ref`s to `#/definitions/...`).
pub type Definitions = BTreeMap<String, Value>;

/// The built-in definitions, decompressed and parsed on first use.
pub fn builtin() -> &'static Definitions {
    static DEFS: OnceLock<Definitions> = OnceLock::new();
    DEFS.get_or_init(|| {
        let mut text = Vec::new();
        let read = flate2::read::GzDecoder::new(DEFINITIONS_GZ).read_to_end(&mut text);
        match read
            .ok()
            .and_then(|_| serde_json::from_slice::<Definitions>(&text).ok())
        {
            Some(defs) => defs,
            None => {
                tracing::error!("the built-in OpenAPI definitions do not parse");
                Definitions::new()
            }
        }
    })
}

fn gvk_matches(schema: &Value, t: &ResourceType) -> bool {
    schema["x-kubernetes-group-version-kind"]
        .as_array()
        .is_some_and(|l| {
            l.iter().any(|g| {
                g["group"] == t.group.as_str()
                    && g["version"] == t.version.as_str()
                    && g["kind"] == t.kind.as_str()
            })
        })
}

/// The definition name of a served type: the upstream one for built-in kinds, the reversed
/// group then version and kind for custom resources (`com.example.corpus.v1.Widget`).
pub fn name_of(t: &ResourceType) -> Option<String> {
    if t.builtin {
        return builtin()
            .iter()
            .find(|(_, s)| gvk_matches(s, t))
            .map(|(n, _)| n.clone());
    }
    let mut parts: Vec<&str> = t.group.split('.').collect();
    parts.reverse();
    Some(format!("{}.{}.{}", parts.join("."), t.version, t.kind))
}

/// A custom resource's definition: its `openAPIV3Schema` with `apiVersion`, `kind` and
/// `metadata` filled in and its group-version-kind, as the API server builds it.
pub fn custom(t: &ResourceType) -> Value {
    let mut schema = t.schema.clone().unwrap_or_else(|| json!({"type": "object"}));
    if !schema.is_object() {
        schema = json!({"type": "object"});
    }
    let props = schema
        .as_object_mut()
        .map(|o| o.entry("properties").or_insert_with(|| json!({})));
    if let Some(Value::Object(p)) = props {
        p.insert("apiVersion".into(), json!({"type": "string", "description": "APIVersion defines the versioned schema of this representation of an object. Servers should convert recognized schemas to the latest internal value, and may reject unrecognized values. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#resources"}));
        p.insert("kind".into(), json!({"type": "string", "description": "Kind is a string value representing the REST resource this object represents. Servers may infer this from the endpoint the client submits requests to. Cannot be updated. In CamelCase. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#types-kinds"}));
        p.insert("metadata".into(), json!({"$ref": format!("#/definitions/{OBJECT_META}"), "description": "Standard object's metadata. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#metadata"}));
    }
    schema["x-kubernetes-group-version-kind"] =
        json!([{"group": t.group, "kind": t.kind, "version": t.version}]);
    schema
}

/// The definitions of `types`, and every definition they refer to.
pub fn closure(types: &[&ResourceType]) -> Definitions {
    let mut out = Definitions::new();
    let mut todo: Vec<String> = Vec::new();
    for t in types {
        let Some(name) = name_of(t) else { continue };
        if t.builtin {
            todo.push(name);
        } else {
            let schema = custom(t);
            refs(&schema, &mut todo);
            out.insert(name, schema);
        }
    }
    let defs = builtin();
    let mut seen: BTreeSet<String> = out.keys().cloned().collect();
    while let Some(name) = todo.pop() {
        if !seen.insert(name.clone()) {
            continue;
        }
        if let Some(schema) = defs.get(&name) {
            refs(schema, &mut todo);
            out.insert(name, schema.clone());
        }
    }
    out
}

/// The definition names a schema refers to.
fn refs(v: &Value, out: &mut Vec<String>) {
    match v {
        Value::Object(m) => {
            if let Some(r) = m.get("$ref").and_then(Value::as_str)
                && let Some(name) = r.strip_prefix("#/definitions/")
            {
                out.push(name.to_string());
            }
            m.values().for_each(|c| refs(c, out));
        }
        Value::Array(a) => a.iter().for_each(|c| refs(c, out)),
        _ => {}
    }
}

/// A Swagger 2.0 schema as OpenAPI 3.0 writes it: references under `#/components/schemas/`,
/// and a reference with siblings (a description) wrapped in `allOf`.
pub fn to_v3(v: &Value) -> Value {
    match v {
        Value::Object(m) => {
            let mut out = Map::new();
            for (k, c) in m {
                let c = match (k.as_str(), c) {
                    ("$ref", Value::String(r)) => {
                        Value::String(r.replace("#/definitions/", "#/components/schemas/"))
                    }
                    ("properties" | "patternProperties", Value::Object(p)) => {
                        Value::Object(p.iter().map(|(n, s)| (n.clone(), to_v3(s))).collect())
                    }
                    _ => to_v3(c),
                };
                out.insert(k.clone(), c);
            }
            if out.len() > 1
                && let Some(r) = out.remove("$ref")
            {
                out.insert("allOf".into(), json!([{"$ref": r}]));
            }
            Value::Object(out)
        }
        Value::Array(a) => Value::Array(a.iter().map(to_v3).collect()),
        other => other.clone(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn deployment_closure_has_pod_spec_and_patch_strategies() {
        let types = crate::sandbox::kinds::builtin();
        let deploy = types.iter().find(|t| t.kind == "Deployment").expect("kind");
        let defs = closure(&[deploy]);
        let spec = &defs["io.k8s.api.core.v1.PodSpec"];
        assert_eq!(
            spec["properties"]["volumes"]["x-kubernetes-patch-strategy"],
            "merge,retainKeys"
        );
        assert!(defs.contains_key(OBJECT_META));
        assert_eq!(
            defs["io.k8s.apimachinery.pkg.util.intstr.IntOrString"]["format"],
            "int-or-string"
        );
        let v3 = to_v3(&defs["io.k8s.api.apps.v1.Deployment"]);
        assert_eq!(
            v3["properties"]["spec"]["allOf"][0]["$ref"],
            "#/components/schemas/io.k8s.api.apps.v1.DeploymentSpec"
        );
    }
}
