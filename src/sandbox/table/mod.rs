//! `meta.k8s.io/v1` Table responses (what `kubectl get` asks for): the columns the real
//! server prints for each kind (`printers`), a custom resource's additionalPrinterColumns,
//! or the default Name / Created At; one row per object carrying, as `includeObject` asks,
//! nothing, the object's metadata as a PartialObjectMetadata (the default), or the object.

mod apps;
mod core;
mod custom;
mod groups;
mod printers;

use super::clock;
use super::kinds::ResourceType;
use serde_json::{Value, json};
use std::sync::Arc;

/// What each row carries in `object` (`?includeObject=`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Include {
    None,
    Metadata,
    Object,
}

/// One column definition.
pub struct Column {
    pub name: &'static str,
    pub kind: &'static str,
    pub format: &'static str,
    pub description: &'static str,
    pub priority: u8,
}

impl Column {
    fn to_json(&self) -> Value {
        json!({"name": self.name, "type": self.kind, "format": self.format,
            "description": self.description, "priority": self.priority})
    }
}

pub const NAME_DESCRIPTION: &str = "Name must be unique within a namespace. Is required when creating resources, although some resources may allow a client to request the generation of an appropriate name automatically. Name is primarily intended for creation idempotence and configuration definition. Cannot be updated. More info: https://kubernetes.io/docs/concepts/overview/working-with-objects/names#names";
pub const AGE_DESCRIPTION: &str = "CreationTimestamp is a timestamp representing the server time when this object was created. It is not guaranteed to be set in happens-before order across separate operations. Clients may not set this value. It is represented in RFC3339 form and is in UTC.\n\nPopulated by the system. Read-only. Null for lists. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#metadata";

pub const NAME: Column = Column {
    name: "Name",
    kind: "string",
    format: "name",
    description: NAME_DESCRIPTION,
    priority: 0,
};
pub const AGE: Column = Column {
    name: "Age",
    kind: "string",
    format: "",
    description: AGE_DESCRIPTION,
    priority: 0,
};
/// The default table's second column, for kinds the server has no printer for.
pub const CREATED_AT: Column = Column {
    name: "Created At",
    kind: "date",
    format: "",
    description: AGE_DESCRIPTION,
    priority: 0,
};

/// A column with the usual empty format.
pub const fn col(name: &'static str, kind: &'static str, priority: u8, description: &'static str) -> Column {
    Column {
        name,
        kind,
        format: "",
        description,
        priority,
    }
}

/// kubectl's age of an object (`5s`, `3m12s`, `17m`, `5h3m`, `30h`, `4d2h`, `12d`).
pub fn age(obj: &Value) -> Value {
    let now = clock::unix_now();
    let created = obj["metadata"]["creationTimestamp"]
        .as_str()
        .and_then(clock::parse)
        .unwrap_or(now);
    json!(human_duration(now - created))
}

/// `k8s.io/apimachinery/pkg/util/duration.HumanDuration`.
pub fn human_duration(secs: i64) -> String {
    let s = secs.max(0);
    let (m, h, d) = (s / 60, s / 3600, s / 86_400);
    let with = |a: i64, ua: &str, b: i64, ub: &str| {
        if b == 0 {
            format!("{a}{ua}")
        } else {
            format!("{a}{ua}{b}{ub}")
        }
    };
    match s {
        0..120 => format!("{s}s"),
        120..600 => with(m, "m", s % 60, "s"),
        600..10_800 => format!("{m}m"),
        10_800..28_800 => with(h, "h", m % 60, "m"),
        28_800..172_800 => format!("{h}h"),
        172_800..691_200 => with(d, "d", h % 24, "h"),
        691_200..63_072_000 => format!("{d}d"),
        63_072_000..252_288_000 => with(d / 365, "y", d % 365, "d"),
        _ => format!("{}y", d / 365),
    }
}

/// `a,b` or `<none>`.
pub fn joined(items: impl IntoIterator<Item = String>) -> Value {
    let v: Vec<String> = items.into_iter().filter(|s| !s.is_empty()).collect();
    json!(if v.is_empty() {
        "<none>".to_string()
    } else {
        v.join(",")
    })
}

/// A Table of `items` with list metadata `meta`.
pub fn table(rt: &ResourceType, items: &[Arc<Value>], meta: Value, include: Include) -> Value {
    let (columns, cells): (Vec<Value>, custom::Cells) = match printers::printer(rt) {
        Some(p) => (p.columns.iter().map(Column::to_json).collect(), Box::new(p.cells)),
        None if !rt.builtin => custom::columns_and_cells(rt),
        None => (
            vec![NAME.to_json(), CREATED_AT.to_json()],
            Box::new(|o: &Value| {
                vec![
                    o["metadata"]["name"].clone(),
                    o["metadata"]["creationTimestamp"].clone(),
                ]
            }),
        ),
    };
    let rows: Vec<Value> = items
        .iter()
        .map(|o| {
            let mut row = json!({"cells": cells(o)});
            match include {
                Include::None => {}
                Include::Metadata => row["object"] = super::read::partial_metadata(o),
                Include::Object => row["object"] = (**o).clone(),
            }
            row
        })
        .collect();
    json!({"kind": "Table", "apiVersion": "meta.k8s.io/v1", "metadata": meta,
        "columnDefinitions": columns, "rows": rows})
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_read_like_kubectl() {
        let cases = [
            (5, "5s"),
            (125, "2m5s"),
            (180, "3m"),
            (3700, "61m"),
            (4 * 3600 + 60, "4h1m"),
            (30 * 3600, "30h"),
            (3 * 86_400 + 7200, "3d2h"),
            (12 * 86_400, "12d"),
            (3 * 365 * 86_400, "3y"),
        ];
        for (secs, want) in cases {
            assert_eq!(human_duration(secs), want, "{secs}s");
        }
    }
}
