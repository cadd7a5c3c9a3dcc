//! Custom resources against their CRD's `openAPIV3Schema`: structural defaults, the checks
//! the corpus exercises (required, enum, minimum/maximum, type), and unknown fields.

use serde_json::{Map, Value};

/// Fill `default`s of the schema into absent fields, recursing into present objects.
pub fn apply_defaults(schema: &Value, obj: &mut Value) {
    let (Some(props), Some(o)) = (
        schema.get("properties").and_then(Value::as_object),
        obj.as_object_mut(),
    ) else {
        return;
    };
    for (name, sub) in props {
        if !o.contains_key(name)
            && let Some(d) = sub.get("default")
        {
            o.insert(name.clone(), d.clone());
        }
        if let Some(child) = o.get_mut(name) {
            apply_defaults(sub, child);
        }
    }
}

/// A cause as `(reason, message, field)`.
pub type Cause = (String, String, String);

/// Schema violations, sorted by field like the API server reports them.
pub fn validate(schema: &Value, obj: &Value) -> Vec<Cause> {
    let mut out = Vec::new();
    check(schema, obj, "", &mut out);
    out.sort_by(|a, b| a.2.cmp(&b.2));
    out
}

fn join(path: &str, name: &str) -> String {
    if path.is_empty() {
        name.to_string()
    } else {
        format!("{path}.{name}")
    }
}

fn check(schema: &Value, v: &Value, path: &str, out: &mut Vec<Cause>) {
    if let Some(t) = schema.get("type").and_then(Value::as_str) {
        let ok = match t {
            "object" => v.is_object(),
            "array" => v.is_array(),
            "string" => v.is_string(),
            "integer" => v.is_i64() || v.is_u64(),
            "number" => v.is_number(),
            "boolean" => v.is_boolean(),
            _ => true,
        };
        if !ok && !v.is_null() {
            let msg = format!(
                "Invalid value: \"{}\": {path} in body must be of type {t}: \"{}\"",
                type_name(v),
                type_name(v)
            );
            out.push(("FieldValueTypeInvalid".into(), msg, path.to_string()));
            return;
        }
    }
    if let Some(options) = schema.get("enum").and_then(Value::as_array)
        && !options.contains(v)
    {
        let list: Vec<String> = options.iter().map(Value::to_string).collect();
        let msg = format!("Unsupported value: {v}: supported values: {}", list.join(", "));
        out.push(("FieldValueNotSupported".into(), msg, path.to_string()));
    }
    if let Some(n) = v.as_f64() {
        if let Some(min) = schema.get("minimum").and_then(Value::as_f64)
            && n < min
        {
            let msg = format!("Invalid value: {v}: {path} in body should be greater than or equal to {min}");
            out.push(("FieldValueInvalid".into(), msg, path.to_string()));
        }
        if let Some(max) = schema.get("maximum").and_then(Value::as_f64)
            && n > max
        {
            let msg = format!("Invalid value: {v}: {path} in body should be less than or equal to {max}");
            out.push(("FieldValueInvalid".into(), msg, path.to_string()));
        }
    }
    if let Value::Object(o) = v {
        if let Some(req) = schema.get("required").and_then(Value::as_array) {
            for r in req.iter().filter_map(Value::as_str) {
                if !o.contains_key(r) {
                    out.push((
                        "FieldValueRequired".into(),
                        "Required value".into(),
                        join(path, r),
                    ));
                }
            }
        }
        if let Some(props) = schema.get("properties").and_then(Value::as_object) {
            for (k, child) in o {
                if let Some(sub) = props.get(k) {
                    check(sub, child, &join(path, k), out);
                }
            }
        }
    }
    if let (Value::Array(items), Some(sub)) = (v, schema.get("items")) {
        for (i, item) in items.iter().enumerate() {
            check(sub, item, &format!("{path}[{i}]"), out);
        }
    }
}

fn type_name(v: &Value) -> &'static str {
    match v {
        Value::String(_) => "string",
        Value::Number(_) => "number",
        Value::Bool(_) => "boolean",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
        Value::Null => "null",
    }
}

/// The first field not declared in the schema, as `.spec.colour` (top-level identity fields
/// and metadata are always known).
pub fn unknown_field(schema: &Value, obj: &Value) -> Option<String> {
    let o = obj.as_object()?;
    let props = schema.get("properties").and_then(Value::as_object);
    for (k, v) in o {
        if matches!(k.as_str(), "apiVersion" | "kind" | "metadata") {
            continue;
        }
        if let Some(p) = walk_unknown(props, schema, k, v, "") {
            return Some(p);
        }
    }
    None
}

fn walk_unknown(
    props: Option<&Map<String, Value>>,
    parent: &Value,
    k: &str,
    v: &Value,
    path: &str,
) -> Option<String> {
    let here = format!("{path}.{k}");
    if parent.get("x-kubernetes-preserve-unknown-fields") == Some(&Value::Bool(true)) {
        return None;
    }
    let Some(sub) = props.and_then(|p| p.get(k)) else {
        return Some(here);
    };
    let inner = sub.get("properties").and_then(Value::as_object);
    if let (Value::Object(o), Some(_)) = (v, inner) {
        for (ck, cv) in o {
            if let Some(p) = walk_unknown(inner, sub, ck, cv, &here) {
                return Some(p);
            }
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn widget_schema() -> Value {
        json!({"type":"object","properties":{"spec":{"type":"object","required":["size"],"properties":{
            "size":{"type":"string","enum":["small","medium","large"]},
            "replicas":{"type":"integer","minimum":0,"default":1},
            "mode":{"type":"string","default":"standard"},
            "tags":{"type":"array","items":{"type":"string"}}}},
            "status":{"type":"object","x-kubernetes-preserve-unknown-fields":true}}})
    }

    #[test]
    fn defaults_fill_absent_fields() {
        let mut o = json!({"spec":{"size":"medium"}});
        apply_defaults(&widget_schema(), &mut o);
        assert_eq!(
            o,
            json!({"spec":{"size":"medium","replicas":1,"mode":"standard"}})
        );
    }

    #[test]
    fn violations_match_the_corpus_wording() {
        let causes = validate(&widget_schema(), &json!({"spec":{"size":"huge","replicas":-1}}));
        assert_eq!(causes.len(), 2);
        assert_eq!(
            causes[0].1,
            "Invalid value: -1: spec.replicas in body should be greater than or equal to 0"
        );
        assert_eq!(
            causes[1].1,
            "Unsupported value: \"huge\": supported values: \"small\", \"medium\", \"large\""
        );
        assert_eq!(
            unknown_field(&widget_schema(), &json!({"spec":{"colour":"red"}})).as_deref(),
            Some(".spec.colour")
        );
    }
}
