//! URL paths of the Kubernetes API, parsed into what they address, and query strings.

use std::collections::HashMap;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Route {
    Version,
    /// `/api`
    CoreGroups,
    /// `/apis`
    Groups,
    /// `/apis/{group}`
    Group(String),
    /// `/api/v1` or `/apis/{group}/{version}`
    GroupVersion {
        group: String,
        version: String,
    },
    OpenApiV2,
    OpenApiV3,
    OpenApiV3GroupVersion {
        group: String,
        version: String,
    },
    Healthz,
    /// `/metrics` (Prometheus text)
    Metrics,
    Resource(ResourcePath),
    Unknown,
}

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ResourcePath {
    pub group: String,
    pub version: String,
    pub resource: String,
    /// Empty for cluster-scoped and all-namespace requests.
    pub namespace: String,
    pub name: String,
    pub subresource: String,
}

pub fn parse(path: &str) -> Route {
    let parts: Vec<&str> = path.trim_end_matches('/').split('/').skip(1).collect();
    match parts.as_slice() {
        ["version"] => Route::Version,
        ["healthz" | "livez" | "readyz"] => Route::Healthz,
        ["metrics"] => Route::Metrics,
        ["openapi", "v2"] => Route::OpenApiV2,
        ["openapi", "v3"] => Route::OpenApiV3,
        ["openapi", "v3", "api", v] => Route::OpenApiV3GroupVersion {
            group: String::new(),
            version: v.to_string(),
        },
        ["openapi", "v3", "apis", g, v] => Route::OpenApiV3GroupVersion {
            group: g.to_string(),
            version: v.to_string(),
        },
        ["api"] => Route::CoreGroups,
        ["apis"] => Route::Groups,
        ["apis", g] => Route::Group(g.to_string()),
        ["api", v] => Route::GroupVersion {
            group: String::new(),
            version: v.to_string(),
        },
        ["apis", g, v] => Route::GroupVersion {
            group: g.to_string(),
            version: v.to_string(),
        },
        ["api", v, rest @ ..] => resource("", v, rest),
        ["apis", g, v, rest @ ..] => resource(g, v, rest),
        _ => Route::Unknown,
    }
}

fn resource(group: &str, version: &str, rest: &[&str]) -> Route {
    let base = ResourcePath {
        group: group.into(),
        version: version.into(),
        ..Default::default()
    };
    let r = |ns: &str, res: &str, name: &str, sub: &str| {
        Route::Resource(ResourcePath {
            namespace: ns.into(),
            resource: res.into(),
            name: name.into(),
            subresource: sub.into(),
            ..base.clone()
        })
    };
    match rest {
        ["namespaces", ns, res] => r(ns, res, "", ""),
        ["namespaces", ns, res, name] => r(ns, res, name, ""),
        ["namespaces", ns, res, name, sub] => r(ns, res, name, sub),
        // `/api/v1/namespaces/{name}` and its status are the Namespace resource itself.
        [res] => r("", res, "", ""),
        [res, name] => r("", res, name, ""),
        [res, name, sub] => r("", res, name, sub),
        _ => Route::Unknown,
    }
}

fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'+' => out.push(b' '),
            b'%' if i + 2 < bytes.len() => {
                match u8::from_str_radix(std::str::from_utf8(&bytes[i + 1..i + 3]).unwrap_or("zz"), 16) {
                    Ok(b) => {
                        out.push(b);
                        i += 2;
                    }
                    Err(_) => out.push(b'%'),
                }
            }
            b => out.push(b),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// Query parameters (the last value wins).
pub fn query(q: Option<&str>) -> HashMap<String, String> {
    q.unwrap_or_default()
        .split('&')
        .filter(|p| !p.is_empty())
        .map(|p| {
            let (k, v) = p.split_once('=').unwrap_or((p, ""));
            (percent_decode(k), percent_decode(v))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_namespaced_and_cluster_paths() {
        let Route::Resource(r) = parse("/apis/apps/v1/namespaces/corpus/deployments/web/scale") else {
            panic!()
        };
        assert_eq!(
            (
                r.group.as_str(),
                r.namespace.as_str(),
                r.name.as_str(),
                r.subresource.as_str()
            ),
            ("apps", "corpus", "web", "scale")
        );
        let Route::Resource(r) = parse("/api/v1/namespaces/corpus") else {
            panic!()
        };
        assert_eq!(
            (r.resource.as_str(), r.name.as_str(), r.namespace.as_str()),
            ("namespaces", "corpus", "")
        );
        let Route::Resource(r) = parse("/api/v1/namespaces") else {
            panic!()
        };
        assert_eq!(r.resource, "namespaces");
        assert_eq!(
            parse("/apis/apps/v1"),
            Route::GroupVersion {
                group: "apps".into(),
                version: "v1".into()
            }
        );
    }

    #[test]
    fn decodes_selectors() {
        let q = query(Some("labelSelector=app%3Dweb%2Ctier+in+%28a%29&watch=true"));
        assert_eq!(q["labelSelector"], "app=web,tier in (a)");
        assert_eq!(q["watch"], "true");
    }
}
