//! `metadata.managedFields`: decoding and encoding the entries, and updating them the way
//! the API server's field manager does for apply (with conflicts and pruning of fields the
//! applier stopped applying) and for every other write (an `Update` entry per manager).

use super::typed::Walk;
use crate::kube::fieldset::{FieldPath, FieldSet};
use serde_json::{Map, Value, json};

#[derive(Debug, Clone, PartialEq)]
pub struct Entry {
    pub manager: String,
    /// `Apply` or `Update`.
    pub operation: String,
    pub api_version: String,
    pub time: Option<String>,
    /// Empty for the main resource.
    pub subresource: String,
    pub set: FieldSet,
}

impl Entry {
    fn same_key(&self, manager: &str, operation: &str, subresource: &str) -> bool {
        self.manager == manager && self.operation == operation && self.subresource == subresource
    }
}

/// Another manager's fields that an apply would change.
#[derive(Debug, Clone)]
pub struct Conflict {
    pub manager: String,
    pub operation: String,
    pub api_version: String,
    pub paths: Vec<FieldPath>,
}

impl Conflict {
    /// `"other-team"` for appliers, `"kubectl-edit" using v1` for updaters, as the server says.
    pub fn who(&self) -> String {
        if self.operation == "Apply" {
            format!("\"{}\"", self.manager)
        } else {
            format!("\"{}\" using {}", self.manager, self.api_version)
        }
    }

    pub fn fields(&self) -> Vec<String> {
        self.paths.iter().map(FieldPath::to_apiserver_string).collect()
    }
}

/// Read the entries of an object (entries that do not decode are dropped).
pub fn read(obj: &Value) -> Vec<Entry> {
    let Some(list) = obj.pointer("/metadata/managedFields").and_then(Value::as_array) else {
        return Vec::new();
    };
    list.iter()
        .filter_map(|e| {
            Some(Entry {
                manager: e.get("manager")?.as_str()?.to_string(),
                operation: e.get("operation")?.as_str()?.to_string(),
                api_version: e
                    .get("apiVersion")
                    .and_then(Value::as_str)
                    .unwrap_or_default()
                    .to_string(),
                time: e.get("time").and_then(Value::as_str).map(str::to_string),
                subresource: e
                    .get("subresource")
                    .and_then(Value::as_str)
                    .unwrap_or_default()
                    .to_string(),
                set: FieldSet::from_fields_v1(e.get("fieldsV1")?).ok()?,
            })
        })
        .collect()
}

/// What the managedFields a write's body carries make of the object's entries, as the
/// server's field manager decodes them for every write but apply and subresource writes.
#[derive(Debug, Clone, PartialEq)]
pub enum Requested {
    /// None given, or ones that do not decode: the stored entries are kept.
    Stored,
    /// `[]` or `[{}]`: every entry is dropped.
    Reset,
    /// These replace the stored entries (the writer's own entry is then updated as usual).
    Entries(Vec<Entry>),
}

/// Decode the managedFields of a write's body strictly, as the server does: one entry that
/// does not decode (an operation other than `Apply`/`Update`, no apiVersion, a fieldsType
/// other than `FieldsV1`, malformed fieldsV1) means the stored entries are kept. Of entries
/// naming the same manager (for appliers regardless of apiVersion) the last one counts.
pub fn requested(obj: &Value) -> Requested {
    let Some(list) = obj.pointer("/metadata/managedFields").and_then(Value::as_array) else {
        return Requested::Stored;
    };
    let zero = |e: &Value| {
        e.as_object()
            .is_some_and(|m| m.values().all(|v| v.is_null() || v.as_str() == Some("")))
    };
    if list.is_empty() || (list.len() == 1 && zero(&list[0])) {
        return Requested::Reset;
    }
    let mut out: Vec<Entry> = Vec::with_capacity(list.len());
    for e in list {
        let text = |k: &str| e.get(k).and_then(Value::as_str).unwrap_or_default().to_string();
        let operation = text("operation");
        let api_version = text("apiVersion");
        if !matches!(operation.as_str(), "Apply" | "Update")
            || api_version.is_empty()
            || text("fieldsType") != "FieldsV1"
        {
            return Requested::Stored;
        }
        let set = match e.get("fieldsV1") {
            None | Some(Value::Null) => FieldSet::default(),
            Some(v) => match FieldSet::from_fields_v1(v) {
                Ok(set) => set,
                Err(_) => return Requested::Stored,
            },
        };
        let entry = Entry {
            manager: text("manager"),
            api_version,
            time: e.get("time").and_then(Value::as_str).map(str::to_string),
            subresource: text("subresource"),
            set,
            operation,
        };
        let same = |o: &Entry| {
            o.same_key(&entry.manager, &entry.operation, &entry.subresource)
                && (entry.operation == "Apply" || o.api_version == entry.api_version)
        };
        out.retain(|o| !same(o));
        out.push(entry);
    }
    Requested::Entries(out)
}

/// The managedFields validation of object metadata: manager names of at most 128
/// printable characters, subresource names of at most 256 bytes. `(reason, message, field)`.
pub fn invalid_entries(entries: &[Entry]) -> Vec<(String, String, String)> {
    let mut causes = Vec::new();
    for (i, e) in entries.iter().enumerate() {
        let at = format!("metadata.managedFields[{i}]");
        if e.manager.len() > 128 {
            causes.push((
                "FieldValueTooLong".to_string(),
                "Too long: must have at most 128 bytes".to_string(),
                format!("{at}.manager"),
            ));
        }
        for (pos, c) in e.manager.char_indices() {
            if c.is_control() {
                let shown = serde_json::to_string(&e.manager).unwrap_or_default();
                causes.push((
                    "FieldValueInvalid".to_string(),
                    format!(
                        "Invalid value: {shown}: invalid character U+{:04X} (at position {pos})",
                        c as u32
                    ),
                    format!("{at}.manager"),
                ));
            }
        }
        if e.subresource.len() > 256 {
            causes.push((
                "FieldValueTooLong".to_string(),
                "Too long: must have at most 256 bytes".to_string(),
                format!("{at}.subresource"),
            ));
        }
    }
    causes
}

/// Write the entries, in the server's order: Apply before Update, then by time, manager.
pub fn write(obj: &mut Value, entries: &mut [Entry]) {
    entries.sort_by(|a, b| {
        (
            a.operation.as_str(),
            a.time.as_deref().unwrap_or(""),
            a.manager.as_str(),
            a.subresource.as_str(),
        )
            .cmp(&(
                b.operation.as_str(),
                b.time.as_deref().unwrap_or(""),
                b.manager.as_str(),
                b.subresource.as_str(),
            ))
    });
    let list: Vec<Value> = entries
        .iter()
        .map(|e| {
            let mut m = Map::new();
            m.insert("manager".into(), json!(e.manager));
            m.insert("operation".into(), json!(e.operation));
            m.insert("apiVersion".into(), json!(e.api_version));
            if let Some(t) = &e.time {
                m.insert("time".into(), json!(t));
            }
            m.insert("fieldsType".into(), json!("FieldsV1"));
            m.insert("fieldsV1".into(), e.set.to_fields_v1());
            if !e.subresource.is_empty() {
                m.insert("subresource".into(), json!(e.subresource));
            }
            Value::Object(m)
        })
        .collect();
    if let Some(meta) = obj.get_mut("metadata").and_then(Value::as_object_mut) {
        if list.is_empty() {
            meta.remove("managedFields");
        } else {
            meta.insert("managedFields".into(), Value::Array(list));
        }
    }
}

/// Who is writing, and how.
pub struct Writer<'a> {
    pub manager: &'a str,
    pub api_version: &'a str,
    pub now: &'a str,
}

/// Server-side apply: merge `config` into `live`, prune what this manager stopped applying
/// (unless someone else owns it), and move ownership. Conflicts fail unless `force`.
pub fn apply(
    walk: &Walk,
    live: &Value,
    config: &Value,
    entries: &[Entry],
    who: &Writer,
    force: bool,
) -> Result<(Value, Vec<Entry>), Vec<Conflict>> {
    let config_set = walk.config_set(config);
    let mut merged = walk.merge(live, config);
    let mine = |e: &Entry| e.same_key(who.manager, "Apply", "");
    if let Some(last) = entries.iter().find(|e| mine(e)) {
        let mut kept = config_set.clone();
        for e in entries.iter().filter(|e| !mine(e)) {
            kept.union_in(&e.set);
        }
        for path in last.set.difference(&config_set).paths() {
            if kept.node(&path).is_none() {
                path.remove_from(&mut merged);
            }
        }
    }
    let cmp = walk.compare(live, &merged);
    let changed = cmp.added.union(&cmp.modified);
    let mut out: Vec<Entry> = Vec::with_capacity(entries.len() + 1);
    let mut conflicts = Vec::new();
    let mut previous = None;
    for e in entries {
        if mine(e) {
            previous = Some(e);
            continue;
        }
        let clash = e.set.intersection(&changed);
        let mut e = e.clone();
        if !clash.is_empty() {
            conflicts.push(Conflict {
                manager: e.manager.clone(),
                operation: e.operation.clone(),
                api_version: e.api_version.clone(),
                paths: clash.paths(),
            });
            e.set = e.set.difference(&clash);
        }
        e.set = e.set.difference(&cmp.removed);
        out.push(e);
    }
    if !force && !conflicts.is_empty() {
        return Err(conflicts);
    }
    let unchanged = cmp.is_same() && previous.is_some_and(|p| p.set == config_set);
    let time = match previous {
        Some(p) if unchanged => p.time.clone(),
        _ => Some(who.now.to_string()),
    };
    out.push(Entry {
        manager: who.manager.to_string(),
        operation: "Apply".into(),
        api_version: who.api_version.to_string(),
        time,
        subresource: String::new(),
        set: config_set,
    });
    out.retain(|e| !e.set.is_empty());
    Ok((merged, out))
}

/// Any write other than apply: the writer takes every field it added or changed; fields
/// it removed leave every manager. The entry's time moves only when it took something.
pub fn update(
    walk: &Walk,
    live: &Value,
    new: &Value,
    entries: &[Entry],
    who: &Writer,
    subresource: &str,
) -> Vec<Entry> {
    let cmp = walk.compare(live, new);
    let changed = cmp.added.union(&cmp.modified);
    let mut out = Vec::with_capacity(entries.len() + 1);
    let mut mine: Option<Entry> = None;
    for e in entries {
        if e.same_key(who.manager, "Update", subresource) {
            mine = Some(e.clone());
            continue;
        }
        let mut e = e.clone();
        e.set = e.set.difference(&changed).difference(&cmp.removed);
        out.push(e);
    }
    let took = !changed.is_empty();
    let mut entry = mine.unwrap_or_else(|| Entry {
        manager: who.manager.to_string(),
        operation: "Update".into(),
        api_version: who.api_version.to_string(),
        time: None,
        subresource: subresource.to_string(),
        set: FieldSet::default(),
    });
    entry.set = entry.set.difference(&cmp.removed).union(&changed);
    if took {
        // The scale subresource writes its entry without a time, as the real server does.
        entry.time = (subresource != "scale").then(|| who.now.to_string());
    }
    out.push(entry);
    out.retain(|e| !e.set.is_empty());
    out
}

/// The 409 Status body for apply conflicts, worded as the API server words it.
pub fn conflict_status(conflicts: &[Conflict]) -> Value {
    let total: usize = conflicts.iter().map(|c| c.paths.len()).sum();
    let noun = if total == 1 { "conflict" } else { "conflicts" };
    let message = if conflicts.len() == 1 && total == 1 {
        format!(
            "Apply failed with 1 conflict: conflict with {}: {}",
            conflicts[0].who(),
            conflicts[0].fields()[0]
        )
    } else {
        let mut sorted: Vec<&Conflict> = conflicts.iter().collect();
        sorted.sort_by(|a, b| a.manager.cmp(&b.manager));
        let parts: Vec<String> = sorted
            .iter()
            .map(|c| {
                let fields: Vec<String> = c.fields().iter().map(|f| format!("- {f}")).collect();
                format!("conflicts with {}:\n{}", c.who(), fields.join("\n"))
            })
            .collect();
        format!("Apply failed with {total} {noun}: {}", parts.join("\n"))
    };
    let causes: Vec<Value> = conflicts
        .iter()
        .flat_map(|c| {
            c.fields().into_iter().map(move |f| {
                json!({"reason": "FieldManagerConflict", "message": format!("conflict with {}", c.who()), "field": f})
            })
        })
        .collect();
    json!({
        "kind": "Status", "apiVersion": "v1", "metadata": {}, "status": "Failure",
        "message": message, "reason": "Conflict", "details": {"causes": causes}, "code": 409
    })
}
