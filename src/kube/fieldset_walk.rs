//! The field set a write owns: an object broken into field paths the way the server's
//! field manager records them for the writer (list and map types from [`Schema`], the
//! fields it never tracks left out per [`Scope`]).

use super::{FieldSet, ListType, PathElement, Schema, list_map_key};
use serde_json::{Map, Value};

/// Which part of an object a write covers, as the server's field manager sees it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    /// The main resource; `status` is left out when the kind has a status subresource.
    Main { status_separate: bool },
    /// The status subresource: only `status` (and metadata) is tracked.
    Status,
}

/// Metadata the field manager never tracks: identity and server bookkeeping.
const UNTRACKED_META: &[&str] = &[
    "name",
    "namespace",
    "uid",
    "resourceVersion",
    "generation",
    "creationTimestamp",
    "managedFields",
    "selfLink",
    "deletionTimestamp",
    "deletionGracePeriodSeconds",
];

impl Scope {
    /// Whether a top-level field (`["spec"]`) or metadata field (`["metadata", "uid"]`)
    /// is outside field tracking; deeper paths never are.
    pub fn untracked(self, names: &[&str]) -> bool {
        match names {
            ["apiVersion"] | ["kind"] => true,
            ["metadata", f] => UNTRACKED_META.contains(f),
            [top] => match self {
                Scope::Main { status_separate } => status_separate && *top == "status",
                Scope::Status => *top != "status" && *top != "metadata",
            },
            _ => false,
        }
    }
}

/// The fields an applied configuration sets, as the server records them for its applier
/// on a kind with a status subresource: see [`fields_of_write`].
pub fn fields_of_object(obj: &Value, schema: Schema) -> FieldSet {
    fields_of_write(
        obj,
        schema,
        Scope::Main {
            status_separate: true,
        },
    )
}

/// The fields a written configuration sets, as the server records them for its writer:
/// every leaf, every list-map item (with `.`), every set value, empty maps and lists as
/// leaves; null fields and untracked fields (`apiVersion`, `kind`, identity metadata,
/// `status` or `spec` depending on the scope) left out. A list-map item without its key
/// makes the list one leaf.
pub fn fields_of_write(obj: &Value, schema: Schema, scope: Scope) -> FieldSet {
    let mut set = FieldSet::new();
    if let Some(m) = obj.as_object() {
        FieldsWalk { schema, scope }.fields(&mut Vec::new(), m, &mut set);
    }
    set
}

struct FieldsWalk {
    schema: Schema,
    scope: Scope,
}

impl FieldsWalk {
    fn fields<'a>(&self, names: &mut Vec<&'a str>, m: &'a Map<String, Value>, set: &mut FieldSet) {
        for (k, v) in m.iter().filter(|(_, v)| !v.is_null()) {
            names.push(k);
            if names.len() > 2 || !self.scope.untracked(names) {
                self.value(names, v, set.child_mut(PathElement::Field(k.clone())));
            }
            names.pop();
        }
    }

    fn value<'a>(&self, names: &mut Vec<&'a str>, v: &'a Value, set: &mut FieldSet) {
        match v {
            Value::Object(m) if !m.is_empty() && !self.schema.is_atomic_map_at(names) => {
                self.fields(names, m, set)
            }
            Value::Array(items) if !items.is_empty() => match self.schema.list_type_at(names) {
                ListType::Atomic => set.member = true,
                ListType::Set => {
                    for item in items {
                        set.child_mut(PathElement::Value(item.to_string())).member = true;
                    }
                }
                ListType::Map(keys) => {
                    for item in items {
                        let Some(key) = list_map_key(item, keys) else {
                            set.member = true;
                            continue;
                        };
                        let node = set.child_mut(key);
                        node.member = true;
                        if let Some(fields) = item.as_object() {
                            self.fields(names, fields, node);
                        }
                    }
                }
            },
            _ => set.member = true,
        }
    }
}
