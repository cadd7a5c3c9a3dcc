//! How each list merges: the built-in table of `kube::fieldset`, refined by what live's
//! managedFields show. A custom resource whose schema declares a list-map has `k:` items
//! under that list in its managedFields (and a set has `v:` items), so lists any manager
//! has written merge as the server merges them even without the CRD's schema.

use crate::kube::fieldset::{
    FieldPath, FieldSet, ListType, ManagedEntry, PathElement, Schema, fields_of_object, list_map_key,
};
use serde_json::Value;
use std::collections::HashMap;

/// The merge type of one list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Merge {
    Atomic,
    Set,
    /// A list-map with these key fields.
    Map(Vec<String>),
}

/// List merge types for one object.
#[derive(Debug, Clone)]
pub struct ListSchema {
    schema: Schema,
    observed: HashMap<FieldPath, Merge>,
}

impl ListSchema {
    /// The table for `schema`, plus the list types live's `entries` reveal.
    pub fn new(schema: Schema, entries: &[ManagedEntry]) -> ListSchema {
        let mut observed = HashMap::new();
        for e in entries {
            for p in e.fields.paths() {
                let Some((last, parent)) = p.0.split_last() else {
                    continue;
                };
                let merge = match last {
                    PathElement::Key(kv) => Merge::Map(kv.iter().map(|(k, _)| k.clone()).collect()),
                    PathElement::Value(_) => Merge::Set,
                    _ => continue,
                };
                observed.entry(FieldPath(parent.to_vec())).or_insert(merge);
            }
        }
        ListSchema { schema, observed }
    }

    /// The built-in table alone.
    #[cfg(test)]
    pub fn table(schema: Schema) -> ListSchema {
        ListSchema {
            schema,
            observed: HashMap::new(),
        }
    }

    /// The merge type of the list at `path` (the list field itself).
    pub fn merge_at(&self, path: &FieldPath) -> Merge {
        let from_table = match path.0.split_last() {
            Some((PathElement::Field(f), parent)) => self.schema.list_type(&FieldPath(parent.to_vec()), f),
            _ => ListType::Atomic,
        };
        match from_table {
            ListType::Map(keys) => Merge::Map(keys.iter().map(|k| (*k).to_string()).collect()),
            ListType::Set => Merge::Set,
            ListType::Atomic => self.observed.get(path).cloned().unwrap_or(Merge::Atomic),
        }
    }
}

impl ListSchema {
    /// The fields `obj` sets, as the server will record them for its applier: the table's
    /// field set, with every list learned from managedFields split into its items (an item
    /// stands for all its fields).
    pub fn fields_of(&self, obj: &Value) -> FieldSet {
        let mut out = fields_of_object(obj, self.schema);
        for (path, merge) in &self.observed {
            if *merge == Merge::Atomic || !out.contains(path) {
                continue;
            }
            let Some(items) = path.resolve(obj).and_then(Value::as_array) else {
                continue;
            };
            let mut list = FieldSet::new();
            list.insert(path);
            out = out.difference(&list);
            for item in items {
                let elem = match merge {
                    Merge::Map(keys) => {
                        let keys: Vec<&str> = keys.iter().map(String::as_str).collect();
                        list_map_key(item, &keys)
                    }
                    _ => Some(PathElement::Value(item.to_string())),
                };
                out.insert(&elem.map(|e| path.child(e)).unwrap_or_else(|| path.clone()));
            }
        }
        out
    }
}

/// The key elements of every item of a list-map, or `None` if an item has no key (the
/// list is then compared as atomic).
pub fn keyed_items<'a>(items: &'a [Value], keys: &[String]) -> Option<Vec<(PathElement, &'a Value)>> {
    let keys: Vec<&str> = keys.iter().map(String::as_str).collect();
    items
        .iter()
        .map(|item| list_map_key(item, &keys).map(|k| (k, item)))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::kube::fieldset::managed_entries;
    use serde_json::json;

    #[test]
    fn custom_resource_list_maps_are_learned_from_managed_fields() {
        let live = json!({"metadata": {"managedFields": [{"manager": "m", "operation": "Apply",
            "fieldsV1": {"f:spec": {"f:listeners": {"k:{\"name\":\"http\"}": {".": {}, "f:port": {}}},
                                    "f:hosts": {"v:\"a\"": {}}}}}]}});
        let (entries, _) = managed_entries(&live);
        let lists = ListSchema::new(Schema::Custom, &entries);
        assert_eq!(
            lists.merge_at(&FieldPath::fields(&["spec", "listeners"])),
            Merge::Map(vec!["name".into()])
        );
        assert_eq!(lists.merge_at(&FieldPath::fields(&["spec", "hosts"])), Merge::Set);
        assert_eq!(
            lists.merge_at(&FieldPath::fields(&["spec", "other"])),
            Merge::Atomic
        );
        let table = ListSchema::table(Schema::BuiltIn);
        assert_eq!(
            table.merge_at(&FieldPath::fields(&["spec", "ports"])),
            Merge::Map(vec!["port".into(), "protocol".into()])
        );
    }
}
