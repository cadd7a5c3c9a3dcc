//! Rewriting quantity fields of stored objects into their canonical form, as the API
//! server does on write. The canonicaliser itself is shared with the drift engine
//! (`crate::kube::quantity`), so the sandbox and the local drift path can never disagree.

use serde_json::Value;

pub use crate::kube::quantity::canonical;

/// Rewrite a quantity value in place (numbers become strings); leaves unparsable input alone.
pub fn canonicalize(v: &mut Value) {
    let raw = match v {
        Value::String(s) => s.clone(),
        Value::Number(n) => n.to_string(),
        _ => return,
    };
    if let Some(c) = canonical(&raw) {
        *v = Value::String(c);
    }
}

/// Canonicalise every value of a `requests`/`limits`-style map.
pub fn canonicalize_map(v: Option<&mut Value>) {
    if let Some(Value::Object(m)) = v {
        m.values_mut().for_each(canonicalize);
    }
}

#[cfg(test)]
mod tests {
    use super::canonical;

    #[test]
    fn matches_the_corpus() {
        for (input, want) in [
            ("0.5", "500m"),
            ("1000m", "1"),
            ("1024Mi", "1Gi"),
            ("1.5Gi", "1536Mi"),
            ("2048Mi", "2Gi"),
            ("2G", "2G"),
            ("4096M", "4096M"),
            ("10Gi", "10Gi"),
            ("512Mi", "512Mi"),
            ("2", "2"),
            ("100m", "100m"),
            ("1.5", "1500m"),
        ] {
            assert_eq!(canonical(input).as_deref(), Some(want), "{input}");
        }
        assert_eq!(canonical("lots"), None);
    }
}
