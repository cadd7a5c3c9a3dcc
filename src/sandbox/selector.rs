//! Label selectors (`a=b,c!=d,e in (f,g),!h`) and field selectors (`metadata.name=x`).

use serde_json::Value;

#[derive(Debug, Clone, PartialEq)]
enum Req {
    Eq(String, String),
    Ne(String, String),
    In(String, Vec<String>),
    NotIn(String, Vec<String>),
    Exists(String),
    NotExists(String),
}

/// A parsed selector; the empty selector matches everything.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Selector {
    reqs: Vec<Req>,
}

/// Split on commas that are not inside parentheses.
fn split_terms(s: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut depth = 0;
    let mut cur = String::new();
    for c in s.chars() {
        match c {
            '(' => depth += 1,
            ')' => depth -= 1,
            ',' if depth == 0 => {
                out.push(std::mem::take(&mut cur));
                continue;
            }
            _ => {}
        }
        cur.push(c);
    }
    out.push(cur);
    out.into_iter()
        .map(|t| t.trim().to_string())
        .filter(|t| !t.is_empty())
        .collect()
}

fn set_values(s: &str) -> Option<Vec<String>> {
    let inner = s.trim().strip_prefix('(')?.strip_suffix(')')?;
    Some(
        inner
            .split(',')
            .map(|v| v.trim().to_string())
            .filter(|v| !v.is_empty())
            .collect(),
    )
}

impl Selector {
    /// Parse a selector; the error names the term that does not parse.
    pub fn parse(s: &str) -> Result<Selector, String> {
        let mut reqs = Vec::new();
        for term in split_terms(s) {
            let req = if let Some(k) = term.strip_prefix('!') {
                Req::NotExists(k.trim().to_string())
            } else if let Some((k, v)) = term.split_once("!=") {
                Req::Ne(k.trim().into(), v.trim().into())
            } else if let Some((k, v)) = term.split_once("==").or_else(|| term.split_once('=')) {
                Req::Eq(k.trim().into(), v.trim().into())
            } else if let Some((k, v)) = term.split_once(" notin ") {
                Req::NotIn(
                    k.trim().into(),
                    set_values(v).ok_or(format!("unable to parse requirement: {term:?}"))?,
                )
            } else if let Some((k, v)) = term.split_once(" in ") {
                Req::In(
                    k.trim().into(),
                    set_values(v).ok_or(format!("unable to parse requirement: {term:?}"))?,
                )
            } else if term
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || "-_./".contains(c))
            {
                Req::Exists(term)
            } else {
                return Err(format!("unable to parse requirement: {term:?}"));
            };
            reqs.push(req);
        }
        Ok(Selector { reqs })
    }

    pub fn is_empty(&self) -> bool {
        self.reqs.is_empty()
    }

    /// Match against a lookup (labels, or field paths).
    pub fn matches(&self, get: impl Fn(&str) -> Option<String>) -> bool {
        self.reqs.iter().all(|r| match r {
            Req::Eq(k, v) => get(k).as_deref() == Some(v.as_str()),
            Req::Ne(k, v) => get(k).as_deref() != Some(v.as_str()),
            Req::In(k, vs) => get(k).is_some_and(|x| vs.contains(&x)),
            Req::NotIn(k, vs) => get(k).is_none_or(|x| !vs.contains(&x)),
            Req::Exists(k) => get(k).is_some(),
            Req::NotExists(k) => get(k).is_none(),
        })
    }

    pub fn matches_stored(&self, obj: &super::store::Stored) -> bool {
        self.is_empty() || self.matches(|k| obj.label(k).map(str::to_string))
    }

    pub fn matches_labels(&self, obj: &Value) -> bool {
        self.is_empty()
            || self.matches(|k| {
                obj["metadata"]["labels"]
                    .get(k)
                    .and_then(Value::as_str)
                    .map(str::to_string)
            })
    }

    /// Field selectors look values up by dotted path (`metadata.name`, `status.phase`).
    pub fn matches_fields(&self, obj: &Value) -> bool {
        self.is_empty()
            || self.matches(|path| {
                let v = path.split('.').try_fold(obj, |v, p| v.get(p));
                match v {
                    Some(Value::String(s)) => Some(s.clone()),
                    Some(Value::Null) | None => Some(String::new()),
                    Some(other) => Some(other.to_string()),
                }
            })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn label_selector_forms() {
        let obj = json!({"metadata": {"labels": {"app": "web", "tier": "front"}}});
        for (s, want) in [
            ("app=web", true),
            ("app==web,tier=front", true),
            ("app!=web", false),
            ("tier in (front, back)", true),
            ("tier notin (front)", false),
            ("app", true),
            ("!app", false),
            ("missing", false),
        ] {
            assert_eq!(Selector::parse(s).unwrap().matches_labels(&obj), want, "{s}");
        }
        assert!(Selector::parse("a in b").is_err());
    }

    #[test]
    fn field_selector_by_path() {
        let obj = json!({"metadata": {"name": "web", "namespace": "corpus"}});
        assert!(Selector::parse("metadata.name=web").unwrap().matches_fields(&obj));
        assert!(
            !Selector::parse("metadata.namespace!=corpus")
                .unwrap()
                .matches_fields(&obj)
        );
    }
}
