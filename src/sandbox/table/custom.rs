//! Tables of custom resources: Name, then the CRD version's additionalPrinterColumns (JSON
//! paths into the object), or an Age column when it declares none, as the real server does.

use super::{Column, NAME, age};
use crate::sandbox::kinds::ResourceType;
use serde_json::{Value, json};

/// The value at a simple JSONPath (`.spec.size`, `.status.conditions[0].type`).
fn at_path<'v>(obj: &'v Value, path: &str) -> &'v Value {
    let path = path
        .trim()
        .trim_start_matches('{')
        .trim_end_matches('}')
        .trim_start_matches('$');
    let mut v = obj;
    for part in path.split('.').filter(|p| !p.is_empty()) {
        let (field, index) = match part.split_once('[') {
            Some((f, i)) => (f, i.trim_end_matches(']').parse::<usize>().ok()),
            None => (part, None),
        };
        v = &v[field];
        if let Some(i) = index {
            v = &v[i];
        }
    }
    v
}

/// How one row's cells are made.
pub type Cells = Box<dyn Fn(&Value) -> Vec<Value>>;

pub fn columns_and_cells(rt: &ResourceType) -> (Vec<Value>, Cells) {
    let declared: Vec<Value> = rt.printer_columns.clone();
    let mut columns = vec![
        json!({"name": NAME.name, "type": NAME.kind, "format": NAME.format,
        "description": NAME.description, "priority": 0}),
    ];
    if declared.is_empty() {
        let Column {
            name, description, ..
        } = super::AGE;
        columns.push(
            json!({"name": name, "type": "date", "format": "", "description": description, "priority": 0}),
        );
        return (
            columns,
            Box::new(|o: &Value| vec![o["metadata"]["name"].clone(), age(o)]),
        );
    }
    for c in &declared {
        columns.push(json!({"name": c["name"], "type": c["type"], "format": c["format"].as_str().unwrap_or_default(),
            "description": c["description"].as_str().unwrap_or_default(), "priority": c["priority"].as_i64().unwrap_or(0)}));
    }
    let cells = move |o: &Value| {
        let mut row = vec![o["metadata"]["name"].clone()];
        for c in &declared {
            let v = at_path(o, c["jsonPath"].as_str().unwrap_or_default());
            row.push(match (c["type"].as_str(), v) {
                (_, Value::Null) => Value::Null,
                (Some("date"), Value::String(_)) => {
                    let mut t = o.clone();
                    t["metadata"]["creationTimestamp"] = v.clone();
                    age(&t)
                }
                _ => v.clone(),
            });
        }
        row
    };
    (columns, Box::new(cells))
}
