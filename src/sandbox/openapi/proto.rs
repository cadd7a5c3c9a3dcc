//! The Swagger 2.0 document in the protobuf form kubectl asks `/openapi/v2` for
//! (`application/com.github.proto-openapi.spec.v2@v1.0+protobuf`: gnostic's
//! `openapi.v2.Document`), encoded by hand for the parts a Kubernetes document uses.
//! Vendor extensions and enum values travel as YAML text, for which JSON serves.

use serde_json::Value;

/// A protobuf message being written.
#[derive(Default)]
struct Msg(Vec<u8>);

impl Msg {
    fn varint(&mut self, mut v: u64) {
        while v >= 0x80 {
            self.0.push((v as u8) | 0x80);
            v >>= 7;
        }
        self.0.push(v as u8);
    }

    fn tag(&mut self, field: u32, wire: u8) {
        self.varint(u64::from(field) << 3 | u64::from(wire));
    }

    fn bytes(&mut self, field: u32, b: &[u8]) {
        self.tag(field, 2);
        self.varint(b.len() as u64);
        self.0.extend_from_slice(b);
    }

    fn string(&mut self, field: u32, s: &str) {
        if !s.is_empty() {
            self.bytes(field, s.as_bytes());
        }
    }

    fn message(&mut self, field: u32, m: Msg) {
        self.bytes(field, &m.0);
    }

    fn boolean(&mut self, field: u32, b: bool) {
        if b {
            self.tag(field, 0);
            self.varint(1);
        }
    }

    fn int(&mut self, field: u32, n: i64) {
        self.tag(field, 0);
        self.varint(n as u64);
    }

    fn double(&mut self, field: u32, f: f64) {
        self.tag(field, 1);
        self.0.extend_from_slice(&f.to_le_bytes());
    }
}

/// `Any { yaml }` holding a JSON value (JSON is YAML).
fn any(v: &Value) -> Msg {
    let mut m = Msg::default();
    m.string(2, &v.to_string());
    m
}

/// `NamedAny { name, value }`.
fn named_any(name: &str, v: &Value) -> Msg {
    let mut m = Msg::default();
    m.string(1, name);
    m.message(2, any(v));
    m
}

fn schema(v: &Value) -> Msg {
    let mut m = Msg::default();
    let Some(o) = v.as_object() else { return m };
    for (k, c) in o {
        match (k.as_str(), c) {
            ("$ref", Value::String(s)) => m.string(1, s),
            ("format", Value::String(s)) => m.string(2, s),
            ("title", Value::String(s)) => m.string(3, s),
            ("description", Value::String(s)) => m.string(4, s),
            ("default", d) => m.message(5, any(d)),
            ("multipleOf", Value::Number(n)) => m.double(6, n.as_f64().unwrap_or(0.0)),
            ("maximum", Value::Number(n)) => m.double(7, n.as_f64().unwrap_or(0.0)),
            ("exclusiveMaximum", Value::Bool(b)) => m.boolean(8, *b),
            ("minimum", Value::Number(n)) => m.double(9, n.as_f64().unwrap_or(0.0)),
            ("exclusiveMinimum", Value::Bool(b)) => m.boolean(10, *b),
            ("maxLength", Value::Number(n)) => m.int(11, n.as_i64().unwrap_or(0)),
            ("minLength", Value::Number(n)) => m.int(12, n.as_i64().unwrap_or(0)),
            ("pattern", Value::String(s)) => m.string(13, s),
            ("maxItems", Value::Number(n)) => m.int(14, n.as_i64().unwrap_or(0)),
            ("minItems", Value::Number(n)) => m.int(15, n.as_i64().unwrap_or(0)),
            ("uniqueItems", Value::Bool(b)) => m.boolean(16, *b),
            ("maxProperties", Value::Number(n)) => m.int(17, n.as_i64().unwrap_or(0)),
            ("minProperties", Value::Number(n)) => m.int(18, n.as_i64().unwrap_or(0)),
            ("required", Value::Array(a)) => a
                .iter()
                .filter_map(Value::as_str)
                .for_each(|s| m.bytes(19, s.as_bytes())),
            ("enum", Value::Array(a)) => a.iter().for_each(|e| m.message(20, any(e))),
            ("additionalProperties", Value::Bool(b)) => {
                let mut item = Msg::default();
                item.tag(2, 0);
                item.varint(u64::from(*b));
                m.message(21, item);
            }
            ("additionalProperties", s @ Value::Object(_)) => {
                let mut item = Msg::default();
                item.message(1, schema(s));
                m.message(21, item);
            }
            ("type", t) => {
                let mut item = Msg::default();
                match t {
                    Value::String(s) => item.bytes(1, s.as_bytes()),
                    Value::Array(a) => a
                        .iter()
                        .filter_map(Value::as_str)
                        .for_each(|s| item.bytes(1, s.as_bytes())),
                    _ => {}
                }
                m.message(22, item);
            }
            ("items", i) => {
                let mut item = Msg::default();
                match i {
                    Value::Array(a) => a.iter().for_each(|s| item.message(1, schema(s))),
                    s => item.message(1, schema(s)),
                }
                m.message(23, item);
            }
            ("allOf", Value::Array(a)) => a.iter().for_each(|s| m.message(24, schema(s))),
            ("properties", Value::Object(p)) => {
                let mut props = Msg::default();
                for (name, s) in p {
                    let mut named = Msg::default();
                    named.string(1, name);
                    named.message(2, schema(s));
                    props.message(1, named);
                }
                m.message(25, props);
            }
            ("discriminator", Value::String(s)) => m.string(26, s),
            ("readOnly", Value::Bool(b)) => m.boolean(27, *b),
            ("example", e) => m.message(30, any(e)),
            (x, e) if x.starts_with("x-") => m.message(31, named_any(x, e)),
            // OpenAPI 3 only (oneOf, anyOf, not, nullable): not in a Swagger 2.0 schema.
            _ => {}
        }
    }
    m
}

/// A query parameter: `ParametersItem { parameter { non_body_parameter {
/// query_parameter_sub_schema { in, name, type, unique_items } } } }`.
fn query_parameter(p: &Value) -> Msg {
    let mut q = Msg::default();
    q.string(2, p["in"].as_str().unwrap_or("query"));
    q.string(3, p["description"].as_str().unwrap_or_default());
    q.string(4, p["name"].as_str().unwrap_or_default());
    q.string(6, p["type"].as_str().unwrap_or_default());
    q.boolean(20, p["uniqueItems"].as_bool().unwrap_or(false));
    let mut non_body = Msg::default();
    non_body.message(3, q);
    let mut parameter = Msg::default();
    parameter.message(2, non_body);
    let mut item = Msg::default();
    item.message(1, parameter);
    item
}

fn operation(op: &Value) -> Msg {
    let mut m = Msg::default();
    m.string(3, op["description"].as_str().unwrap_or_default());
    m.string(5, op["operationId"].as_str().unwrap_or_default());
    for p in op["parameters"].as_array().into_iter().flatten() {
        m.message(8, query_parameter(p));
    }
    let mut responses = Msg::default();
    for (code, r) in op["responses"].as_object().into_iter().flatten() {
        let mut response = Msg::default();
        response.string(1, r["description"].as_str().unwrap_or_default());
        let mut value = Msg::default();
        value.message(1, response);
        let mut named = Msg::default();
        named.string(1, code);
        named.message(2, value);
        responses.message(1, named);
    }
    m.message(9, responses);
    for (k, v) in op.as_object().into_iter().flatten() {
        if k.starts_with("x-") {
            m.message(13, named_any(k, v));
        }
    }
    m
}

/// Encode a Swagger 2.0 document (`swagger`, `info`, `paths` of operations with query
/// parameters, `definitions`).
pub fn document(doc: &Value) -> Vec<u8> {
    let mut d = Msg::default();
    d.string(1, doc["swagger"].as_str().unwrap_or("2.0"));
    let mut info = Msg::default();
    info.string(1, doc["info"]["title"].as_str().unwrap_or_default());
    info.string(2, doc["info"]["version"].as_str().unwrap_or_default());
    d.message(2, info);
    let mut paths = Msg::default();
    for (path, item) in doc["paths"].as_object().into_iter().flatten() {
        let mut pi = Msg::default();
        for (verb, field) in [("get", 2), ("put", 3), ("post", 4), ("delete", 5), ("patch", 8)] {
            if let Some(op) = item.get(verb) {
                pi.message(field, operation(op));
            }
        }
        let mut named = Msg::default();
        named.string(1, path);
        named.message(2, pi);
        paths.message(2, named);
    }
    d.message(8, paths);
    let mut defs = Msg::default();
    for (name, s) in doc["definitions"].as_object().into_iter().flatten() {
        let mut named = Msg::default();
        named.string(1, name);
        named.message(2, schema(s));
        defs.message(1, named);
    }
    d.message(9, defs);
    d.0
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn encodes_fields_with_their_numbers() {
        let s = schema(&json!({"type": "string", "x-a": true}));
        // type (22, length-delimited) = TypeItem{value: "string"}; then vendor_extension (31).
        assert_eq!(&s.0[..3], &[0xb2, 0x01, 0x08]);
        assert_eq!(&s.0[3..11], b"\x0a\x06string");
        assert_eq!(&s.0[11..13], &[0xfa, 0x01]);
        let doc = document(&json!({"swagger": "2.0", "info": {"title": "Kubernetes", "version": "v1"}}));
        assert_eq!(&doc[..5], b"\x0a\x032.0");
    }
}
