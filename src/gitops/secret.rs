//! Secret masking. Secret values never leave the drift core: every report, diff text and
//! unmanaged-change value for a Secret shows `***`, and `*** (before)` / `*** (after)`
//! where a value changed, as `kubectl diff` does. Masking keeps equal values equal and
//! different values different, so a diff of masked objects finds exactly the changed keys.

use serde_json::{Map, Value};

pub const MASK: &str = "***";
pub const MASK_BEFORE: &str = "*** (before)";
pub const MASK_AFTER: &str = "*** (after)";

/// The fields of a Secret that hold values.
const VALUE_FIELDS: [&str; 2] = ["data", "stringData"];

/// Mask a live/desired pair of Secrets in place: per key, `***` when both sides agree or
/// only one side has it, `*** (before)` / `*** (after)` when the value differs.
pub fn mask_pair(before: &mut Value, after: &mut Value) {
    for field in VALUE_FIELDS {
        let b = before.get(field).cloned();
        let a = after.get(field).cloned();
        if let Some(bm) = before.get_mut(field) {
            mask_map(bm, a.as_ref(), MASK_BEFORE);
        }
        if let Some(am) = after.get_mut(field) {
            mask_map(am, b.as_ref(), MASK_AFTER);
        }
    }
}

/// Mask every value of one Secret in place.
pub fn mask_all(obj: &mut Value) {
    for field in VALUE_FIELDS {
        if let Some(m) = obj.get_mut(field) {
            mask_map(m, None, MASK);
        }
    }
}

fn mask_map(side: &mut Value, other: Option<&Value>, changed: &str) {
    let Value::Object(m) = side else {
        // Not a map (malformed): never show it.
        *side = Value::String(MASK.into());
        return;
    };
    let other: Option<&Map<String, Value>> = other.and_then(Value::as_object);
    for (k, v) in m.iter_mut() {
        let differs = other.and_then(|o| o.get(k)).is_some_and(|ov| ov != v);
        *v = Value::String(if differs { changed } else { MASK }.into());
    }
}

/// A Secret's value (anything under `data` or `stringData`, or those maps whole) masked.
pub fn mask_value_at(top_field: Option<&str>, value: &Value) -> Value {
    match top_field {
        Some(f) if VALUE_FIELDS.contains(&f) => match value {
            Value::Object(m) => Value::Object(
                m.keys()
                    .map(|k| (k.clone(), Value::String(MASK.into())))
                    .collect(),
            ),
            _ => Value::String(MASK.into()),
        },
        _ => value.clone(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn pair_marks_changed_keys_only() {
        let mut live = json!({"kind": "Secret", "data": {"a": "MQ==", "b": "Mg==", "gone": "Mw=="}});
        let mut want = json!({"kind": "Secret", "data": {"a": "MQ==", "b": "OQ==", "new": "NA=="}});
        mask_pair(&mut live, &mut want);
        assert_eq!(
            live["data"],
            json!({"a": "***", "b": "*** (before)", "gone": "***"})
        );
        assert_eq!(
            want["data"],
            json!({"a": "***", "b": "*** (after)", "new": "***"})
        );
    }

    #[test]
    fn all_masks_string_data_and_malformed_data() {
        let mut s = json!({"stringData": {"p": "hunter2"}, "data": "not-a-map"});
        mask_all(&mut s);
        assert_eq!(s, json!({"stringData": {"p": "***"}, "data": "***"}));
    }

    #[test]
    fn value_at_masks_only_value_fields() {
        assert_eq!(
            mask_value_at(Some("data"), &json!({"k": "c2VjcmV0"})),
            json!({"k": "***"})
        );
        assert_eq!(mask_value_at(Some("data"), &json!("c2VjcmV0")), json!("***"));
        assert_eq!(mask_value_at(Some("type"), &json!("Opaque")), json!("Opaque"));
    }
}
