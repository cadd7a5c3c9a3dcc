//! Typed reads of a live object's fields for the health rules. An absent (or null) field
//! reads as `None`; a field of the wrong type is [`Malformed`], which the rules pass up with
//! `?`, so an odd object's health is Unknown with the field named, never a panic.

use serde_json::Value;

/// A field of the wrong type: the health cannot be told from it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Malformed(pub String);

pub type Read<T> = Result<T, Malformed>;

fn wrong(path: &str, what: &str) -> Malformed {
    Malformed(format!("malformed object: {path} is not {what}"))
}

/// A live object, read field by field.
#[derive(Clone, Copy)]
pub struct Obj<'a>(pub &'a Value);

impl<'a> Obj<'a> {
    fn at(&self, path: &str) -> Option<&'a Value> {
        self.0.pointer(path).filter(|v| !v.is_null())
    }

    /// Whether the field is there (and not null), whatever its type.
    pub fn has(&self, path: &str) -> bool {
        self.at(path).is_some()
    }

    pub fn str(&self, path: &str) -> Read<Option<&'a str>> {
        match self.at(path) {
            None => Ok(None),
            Some(Value::String(s)) => Ok(Some(s)),
            Some(_) => Err(wrong(path, "a string")),
        }
    }

    /// A string field, empty when absent.
    pub fn text(&self, path: &str) -> Read<&'a str> {
        Ok(self.str(path)?.unwrap_or_default())
    }

    pub fn int(&self, path: &str) -> Read<Option<i64>> {
        match self.at(path) {
            None => Ok(None),
            Some(Value::Number(n)) => n
                .as_i64()
                .or_else(|| n.as_f64().filter(|f| f.fract() == 0.0).map(|f| f as i64))
                .map(Some)
                .ok_or_else(|| wrong(path, "an integer")),
            Some(_) => Err(wrong(path, "an integer")),
        }
    }

    /// An integer field, 0 when absent (as Go's zero value reads it).
    pub fn count(&self, path: &str) -> Read<i64> {
        Ok(self.int(path)?.unwrap_or(0))
    }

    /// An integer written as a number or as a string of digits (Argo Rollouts writes
    /// `observedGeneration` as a string). `None` when absent or not a number at all.
    pub fn loose_int(&self, path: &str) -> Option<i64> {
        match self.at(path)? {
            Value::Number(n) => n.as_i64(),
            Value::String(s) => s.trim().parse().ok(),
            _ => None,
        }
    }

    pub fn flag(&self, path: &str) -> Read<bool> {
        match self.at(path) {
            None => Ok(false),
            Some(Value::Bool(b)) => Ok(*b),
            Some(_) => Err(wrong(path, "a boolean")),
        }
    }

    /// A list field, empty when absent.
    pub fn list(&self, path: &str) -> Read<&'a [Value]> {
        match self.at(path) {
            None => Ok(&[]),
            Some(Value::Array(a)) => Ok(a),
            Some(_) => Err(wrong(path, "a list")),
        }
    }

    /// An annotation's value (annotation keys hold `/`, which JSON pointers escape).
    pub fn annotation(&self, key: &str) -> Read<Option<&'a str>> {
        match self.at("/metadata/annotations").and_then(|a| a.get(key)) {
            None | Some(Value::Null) => Ok(None),
            Some(Value::String(s)) => Ok(Some(s)),
            Some(_) => Err(wrong(&format!("annotation {key}"), "a string")),
        }
    }

    /// `status.conditions`.
    pub fn conditions(&self) -> Read<Vec<Cond<'a>>> {
        conditions(self.list("/status/conditions")?, "/status/conditions")
    }

    /// The controller has not yet seen the latest spec: `metadata.generation` is past
    /// `status.observedGeneration` (both read as 0 when absent, as Argo CD reads them).
    pub fn generation_unobserved(&self) -> Read<Option<(i64, i64)>> {
        let generation = self.count("/metadata/generation")?;
        let observed = self.count("/status/observedGeneration")?;
        Ok((generation > observed).then_some((generation, observed)))
    }
}

/// One condition of a `conditions` list.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Cond<'a> {
    pub kind: &'a str,
    pub status: &'a str,
    pub reason: &'a str,
    pub message: &'a str,
}

impl Cond<'_> {
    pub fn is_true(&self) -> bool {
        self.status == "True"
    }

    /// `reason: message`, or whichever of the two is there.
    pub fn why(&self) -> String {
        join_why(self.reason, self.message)
    }
}

/// `reason: message`, or whichever of the two is not empty.
pub fn join_why(reason: &str, message: &str) -> String {
    let message = message.trim();
    match (reason.is_empty(), message.is_empty()) {
        (false, false) => format!("{reason}: {message}"),
        (false, true) => reason.to_string(),
        _ => message.to_string(),
    }
}

/// Parse a list of conditions (`type`, `status`, `reason`, `message`); `at` names the list
/// in errors.
pub fn conditions<'a>(list: &'a [Value], at: &str) -> Read<Vec<Cond<'a>>> {
    list.iter()
        .enumerate()
        .map(|(i, c)| {
            let o = Obj(c);
            if !c.is_object() {
                return Err(wrong(&format!("{at}/{i}"), "an object"));
            }
            let field = |k: &str| {
                o.str(&format!("/{k}"))
                    .map(Option::unwrap_or_default)
                    .map_err(|_| wrong(&format!("{at}/{i}/{k}"), "a string"))
            };
            Ok(Cond {
                kind: field("type")?,
                status: field("status")?,
                reason: field("reason")?,
                message: field("message")?,
            })
        })
        .collect()
}

/// The first condition of type `kind`.
pub fn find<'c, 'a>(conds: &'c [Cond<'a>], kind: &str) -> Option<&'c Cond<'a>> {
    conds.iter().find(|c| c.kind == kind)
}
