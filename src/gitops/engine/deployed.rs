//! Which commit a cluster runs for an app (`AppReport.deployed`): the `sextant.dev/revision`
//! most of its live objects carry, else the rendered commit while the app is Synced, else
//! the last commit it was seen Synced at. Pure: the cluster task carries the per-object
//! annotation values from evaluation and remembers the Synced commits.

use crate::kube::key::ObjectKey;
use std::collections::HashMap;

/// The `sextant.dev/revision` each of an app's live objects carries, with running counts so
/// that the majority costs as many steps as there are distinct revisions, not objects.
#[derive(Debug, Default)]
pub struct RevisionVotes {
    by_object: HashMap<ObjectKey, Box<str>>,
    counts: HashMap<Box<str>, usize>,
}

impl RevisionVotes {
    /// Record what one object carries now (`None`: no annotation, or not live).
    pub fn set(&mut self, key: &ObjectKey, revision: Option<&str>) {
        let old = match revision {
            Some(r) => self.by_object.insert(key.clone(), r.into()),
            None => self.by_object.remove(key),
        };
        if let Some(old) = old
            && let Some(n) = self.counts.get_mut(&old)
        {
            *n -= 1;
            if *n == 0 {
                self.counts.remove(&old);
            }
        }
        if let Some(r) = revision {
            *self.counts.entry(r.into()).or_default() += 1;
        }
    }

    pub fn clear(&mut self) {
        self.by_object.clear();
        self.counts.clear();
    }

    /// The revision most objects carry; ties prefer `prefer`, then the smallest.
    pub fn winner(&self, prefer: &str) -> Option<String> {
        majority_of(self.counts.iter().map(|(r, n)| (&**r, *n)), prefer)
    }
}

/// The value with the highest count; a tie goes to `prefer` (the rendered commit) when it
/// is among the tied, else to the smallest value, so the answer never flickers between equals.
fn majority_of<'a>(counts: impl Iterator<Item = (&'a str, usize)> + Clone, prefer: &str) -> Option<String> {
    let top = counts.clone().map(|(_, n)| n).max()?;
    if counts.clone().any(|(v, n)| v == prefer && n == top) {
        return Some(prefer.to_string());
    }
    counts
        .filter(|(_, n)| *n == top)
        .map(|(v, _)| v)
        .min()
        .map(str::to_string)
}

/// The deployed commit from what is known, in order of trust.
pub fn deployed(
    annotated: Option<String>,
    synced: bool,
    rendered: &str,
    last_synced: Option<&str>,
) -> Option<String> {
    annotated
        .or_else(|| (synced && !rendered.is_empty()).then(|| rendered.to_string()))
        .or_else(|| last_synced.map(str::to_string))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(n: &str) -> ObjectKey {
        ObjectKey {
            group: String::new(),
            kind: "ConfigMap".into(),
            namespace: "ns".into(),
            name: n.into(),
        }
    }

    fn majority(values: &[&str], prefer: &str) -> Option<String> {
        let mut votes = RevisionVotes::default();
        for (i, v) in values.iter().enumerate() {
            votes.set(&key(&i.to_string()), Some(v));
        }
        votes.winner(prefer)
    }

    #[test]
    fn the_most_common_annotation_wins() {
        assert_eq!(majority(&["a", "b", "b"], "a").as_deref(), Some("b"));
        assert_eq!(majority(&[], "a"), None);
    }

    #[test]
    fn ties_prefer_the_rendered_commit_then_the_smallest() {
        assert_eq!(majority(&["b", "a", "c", "c", "b"], "b").as_deref(), Some("b"));
        assert_eq!(majority(&["d", "c"], "z").as_deref(), Some("c"));
    }

    #[test]
    fn votes_follow_each_object_as_it_changes() {
        let mut votes = RevisionVotes::default();
        votes.set(&key("a"), Some("old"));
        votes.set(&key("b"), Some("old"));
        votes.set(&key("c"), Some("new"));
        assert_eq!(votes.winner("new").as_deref(), Some("old"));
        votes.set(&key("a"), Some("new"));
        assert_eq!(votes.winner("x").as_deref(), Some("new"));
        votes.set(&key("a"), None);
        votes.set(&key("c"), None);
        assert_eq!(votes.winner("x").as_deref(), Some("old"));
        votes.set(&key("b"), None);
        assert_eq!(votes.winner("x"), None);
        votes.set(&key("b"), Some("old"));
        votes.clear();
        assert_eq!(votes.winner("x"), None);
    }

    #[test]
    fn annotation_then_synced_render_then_memory() {
        assert_eq!(
            deployed(Some("x".into()), true, "r", Some("m")).as_deref(),
            Some("x")
        );
        assert_eq!(deployed(None, true, "r", Some("m")).as_deref(), Some("r"));
        assert_eq!(deployed(None, false, "r", Some("m")).as_deref(), Some("m"));
        assert_eq!(deployed(None, true, "", None), None);
        assert_eq!(deployed(None, false, "r", None), None);
    }
}
