//! Changes in the words an SRE uses, for every layer that says one: a container's field is
//! `container api` + `image` (not `spec.template.spec.containers[name=api].image`), and an
//! image change is `payments-api:2.4.0→2.3.0`. Pure functions over paths and JSON values.

/// Lists of a pod spec whose items are containers, and how to say one of them.
const CONTAINER_LISTS: [(&str, &str); 3] = [
    ("containers[name=", "container"),
    ("initContainers[name=", "init container"),
    ("ephemeralContainers[name=", "ephemeral container"),
];

/// A path the way an SRE says it: a container's field is `container web` + `image`, with
/// the pod template's `spec.template.spec.` left out, and an env var is `env LOG_LEVEL`.
/// Other paths are as they are, with no scope.
pub fn readable_path(path: &str) -> (String, String) {
    for (list, word) in CONTAINER_LISTS {
        let at = match path.find(list) {
            Some(at) if at == 0 || path[..at].ends_with('.') => at,
            _ => continue,
        };
        let rest = &path[at + list.len()..];
        let Some((name, field)) = rest.split_once(']') else {
            continue;
        };
        let field = field.trim_start_matches('.');
        let field = match field.strip_prefix("env[name=").and_then(|e| e.split_once(']')) {
            Some((var, ".value" | "")) => format!("env {var}"),
            Some((var, more)) => format!("env {var} {}", more.trim_start_matches('.')),
            None => field.to_string(),
        };
        return (format!("{word} {name}"), field);
    }
    (String::new(), path.to_string())
}

/// The two sides of `a→b` saying only what changed. Two references to the same image
/// (`ghcr.io/acme/web:6.0.0`, `ghcr.io/acme/web:6.14.1`) become `web:6.0.0` and `6.14.1`;
/// other values are [`short_pair`].
pub fn short_change(a: &serde_json::Value, b: &serde_json::Value) -> (String, String) {
    let (pa, pb) = (plain(a), plain(b));
    let common: String = pa
        .chars()
        .zip(pb.chars())
        .take_while(|(x, y)| x == y)
        .map(|(x, _)| x)
        .collect();
    // The tag or digest starts after the last ':' or '@' the two share.
    if let Some(at) = common.rfind([':', '@'])
        && !pa.contains(char::is_whitespace)
        && pa.len() > at + 1
        && pb.len() > at + 1
        && !pa[at + 1..].contains('/')
        && !pb[at + 1..].contains('/')
    {
        let name = common[..at].rsplit('/').next().unwrap_or_default();
        if !name.is_empty() {
            let sep = &common[at..=at];
            return (
                cut_end(format!("{name}{sep}{}", &pa[at + 1..])),
                cut_end(pb[at + 1..].to_string()),
            );
        }
    }
    short_pair(a, b)
}

/// The most characters a value gets in a one-line change.
const VALUE_MAX: usize = 24;

/// A value in at most 24 characters (the end cut).
pub fn short_value(v: &serde_json::Value) -> String {
    cut_end(plain(v))
}

/// The two sides of `a→b`, each in at most 24 characters, keeping where they differ: a long
/// shared start gives way first, back to a separator (`…payments-api:2.3.0` →
/// `…payments-api:2.2.1`, not `ghcr.io/example/payment…` twice).
pub fn short_pair(a: &serde_json::Value, b: &serde_json::Value) -> (String, String) {
    let (a, b) = (plain(a), plain(b));
    let common = a.chars().zip(b.chars()).take_while(|(x, y)| x == y).count();
    (cut_end(drop_shared(&a, common)), cut_end(drop_shared(&b, common)))
}

/// A value as text: a string as it is, the rest as compact JSON.
pub fn plain(v: &serde_json::Value) -> String {
    match v {
        serde_json::Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

/// `s` without as much of its first `common` characters (shared with the other side) as it
/// takes to fit, from just after a separator when there is one, marked with `…`.
fn drop_shared(s: &str, common: usize) -> String {
    let chars: Vec<char> = s.chars().collect();
    if chars.len() <= VALUE_MAX || common == 0 {
        return s.to_string();
    }
    let need = (chars.len() + 1 - VALUE_MAX).min(common);
    // Snap to a separator close by, so the tail starts at a whole word.
    let at_separator = (need.saturating_sub(1)..common.min(need + 8))
        .find(|&i| matches!(chars[i], '/' | ':' | '.' | '-' | '@' | '='))
        .map(|i| i + 1);
    let from = at_separator.unwrap_or(need).min(common);
    if from == 0 {
        return s.to_string();
    }
    format!("…{}", chars[from..].iter().collect::<String>())
}

fn cut_end(s: String) -> String {
    if s.chars().count() > VALUE_MAX {
        let cut: String = s.chars().take(VALUE_MAX - 1).collect();
        format!("{cut}…")
    } else {
        s
    }
}
