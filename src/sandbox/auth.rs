//! Bearer-token authentication and the two roles: `admin` (everything) and `viewer`
//! (the `view` ClusterRole: reads, but not Secrets; every write refused, dry-runs included).

use super::kinds::ResourceType;
use super::status::ApiError;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Identity {
    Admin,
    Viewer,
}

impl Identity {
    pub fn user(self) -> &'static str {
        match self {
            Identity::Admin => "admin",
            Identity::Viewer => "viewer",
        }
    }
}

/// Match the `Authorization` header against the cluster's tokens.
pub fn authenticate(header: Option<&str>, admin: &str, readonly: &str) -> Result<Identity, ApiError> {
    let token = header.and_then(|h| h.strip_prefix("Bearer ")).map(str::trim);
    match token {
        Some(t) if t == admin => Ok(Identity::Admin),
        Some(t) if t == readonly => Ok(Identity::Viewer),
        _ => Err(ApiError::unauthorized()),
    }
}

/// Whether `who` may `verb` (`get`, `list`, `watch`, `create`, `patch`, ...) the resource.
pub fn authorize(
    who: Identity,
    verb: &str,
    rt: &ResourceType,
    namespace: &str,
    name: &str,
) -> Result<(), ApiError> {
    if who == Identity::Admin {
        return Ok(());
    }
    let read = matches!(verb, "get" | "list" | "watch");
    if read && !(rt.builtin && rt.group.is_empty() && rt.resource == "secrets") {
        return Ok(());
    }
    Err(ApiError::forbidden(who.user(), verb, rt, namespace, name))
}
