//! Which commit a cluster runs for an app (`AppReport.deployed`): the `sextant.dev/revision`
//! most of its live objects carry, else the rendered commit while the app is Synced, else
//! the last commit it was seen Synced at. Pure: the cluster task carries the per-object
//! annotation values from evaluation and remembers the Synced commits.

use std::collections::HashMap;

/// The value most `values` carry; a tie goes to `prefer` (the rendered commit) when it is
/// among the tied, else to the smallest value, so the answer never flickers between equals.
pub fn majority<'a>(values: impl IntoIterator<Item = &'a str>, prefer: &str) -> Option<String> {
    let mut counts: HashMap<&str, usize> = HashMap::new();
    for v in values {
        *counts.entry(v).or_default() += 1;
    }
    let top = counts.values().copied().max()?;
    if counts.get(prefer) == Some(&top) {
        return Some(prefer.to_string());
    }
    counts
        .into_iter()
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

    #[test]
    fn the_most_common_annotation_wins() {
        assert_eq!(majority(["a", "b", "b"], "a").as_deref(), Some("b"));
        assert_eq!(majority(Vec::<&str>::new(), "a"), None);
    }

    #[test]
    fn ties_prefer_the_rendered_commit_then_the_smallest() {
        assert_eq!(majority(["b", "a", "c", "c", "b"], "b").as_deref(), Some("b"));
        assert_eq!(majority(["d", "c"], "z").as_deref(), Some("c"));
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
