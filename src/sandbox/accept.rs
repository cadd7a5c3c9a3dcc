//! Content negotiation of the `Accept` header: the object itself, a `meta.k8s.io` Table, or
//! its metadata alone (PartialObjectMetadata / PartialObjectMetadataList), taking the first
//! media type the sandbox can serve, as the real server does.

/// What to send back for a GET or LIST.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Representation {
    Object,
    Table,
    /// `PartialObjectMetadata` for a GET, `PartialObjectMetadataList` for a LIST.
    Metadata,
}

/// The representation the first servable media type of `accept` asks for; `None` when none
/// can be served (the real server answers 406 then). `list` is whether the request is a LIST.
pub fn negotiate(accept: &str, list: bool) -> Option<Representation> {
    if accept.trim().is_empty() {
        return Some(Representation::Object);
    }
    accept.split(',').find_map(|media| servable(media, list))
}

fn servable(media: &str, list: bool) -> Option<Representation> {
    let mut parts = media.split(';').map(str::trim);
    // Every plain media type gets JSON: the sandbox speaks nothing else, and a client that
    // offers protobuf offers JSON too.
    let _base = parts.next().unwrap_or_default();
    let (mut as_kind, mut group, mut version) = ("", "", "");
    for p in parts {
        match p.split_once('=') {
            Some(("as", v)) => as_kind = v,
            Some(("g", v)) => group = v,
            Some(("v", v)) => version = v,
            _ => {}
        }
    }
    if as_kind.is_empty() {
        return Some(Representation::Object);
    }
    if group != "meta.k8s.io" || !matches!(version, "v1" | "v1beta1") {
        return None;
    }
    match (as_kind, list) {
        ("Table", _) => Some(Representation::Table),
        ("PartialObjectMetadataList", true) | ("PartialObjectMetadata", false) => {
            Some(Representation::Metadata)
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn takes_the_first_servable_media_type() {
        let kubectl = "application/json;as=Table;v=v1;g=meta.k8s.io,application/json;as=Table;v=v1beta1;g=meta.k8s.io,application/json";
        assert_eq!(negotiate(kubectl, true), Some(Representation::Table));
        let meta = "application/json;as=PartialObjectMetadataList;v=v1;g=meta.k8s.io";
        assert_eq!(negotiate(meta, true), Some(Representation::Metadata));
        assert_eq!(negotiate(meta, false), None);
        let fallback = "application/json;as=PartialObjectMetadataList;v=v1;g=meta.k8s.io,application/json";
        assert_eq!(negotiate(fallback, false), Some(Representation::Object));
        assert_eq!(negotiate("", false), Some(Representation::Object));
        assert_eq!(
            negotiate("application/vnd.kubernetes.protobuf,application/json", true),
            Some(Representation::Object)
        );
        assert_eq!(
            negotiate("application/json;as=Table;v=v9;g=meta.k8s.io", true),
            None
        );
    }
}
