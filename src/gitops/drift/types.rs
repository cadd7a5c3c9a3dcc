//! The plain-data drift report: what an object's state is, which fields differ, who owns
//! them, and what other managers changed that desired never mentions. Everything here is
//! `Serialize` so `--output json` and the UI read the same thing.

use crate::kube::fieldset::FieldPath;
use serde::Serialize;
use serde_json::Value;
use std::fmt;

/// The field manager Sextant applies with.
pub const FIELD_MANAGER: &str = "sextant";

/// Identity of one Kubernetes object.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
pub struct ObjectRef {
    /// API group; empty for the core group.
    pub group: String,
    pub version: String,
    pub kind: String,
    /// `None` for cluster-scoped objects.
    pub namespace: Option<String>,
    pub name: String,
}

impl ObjectRef {
    /// The identity of a manifest or live object. Errors name what is missing.
    pub fn from_object(obj: &Value) -> Result<ObjectRef, DriftError> {
        let s = |p: &str| obj.pointer(p).and_then(Value::as_str).filter(|s| !s.is_empty());
        let api_version = s("/apiVersion").ok_or(DriftError::MissingField("apiVersion"))?;
        let kind = s("/kind").ok_or(DriftError::MissingField("kind"))?;
        let name = s("/metadata/name").ok_or(DriftError::MissingField("metadata.name"))?;
        let (group, version) = match api_version.rsplit_once('/') {
            Some((g, v)) => (g.to_string(), v.to_string()),
            None => (String::new(), api_version.to_string()),
        };
        Ok(ObjectRef {
            group,
            version,
            kind: kind.to_string(),
            namespace: s("/metadata/namespace").map(str::to_string),
            name: name.to_string(),
        })
    }

    /// `apps/v1`, or `v1` for the core group.
    pub fn api_version(&self) -> String {
        if self.group.is_empty() {
            self.version.clone()
        } else {
            format!("{}/{}", self.group, self.version)
        }
    }

    pub fn is_secret(&self) -> bool {
        self.group.is_empty() && self.kind == "Secret"
    }
}

impl fmt::Display for ObjectRef {
    /// `apps/v1 Deployment corpus/web`, `v1 Namespace corpus-team-a`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {} ", self.api_version(), self.kind)?;
        match &self.namespace {
            Some(ns) => write!(f, "{ns}/{}", self.name),
            None => f.write_str(&self.name),
        }
    }
}

/// Per-object sync state.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub enum SyncState {
    Synced,
    OutOfSync,
    /// Desired, not live.
    Missing,
    /// Live and tracked as the app's, no longer desired: a prune candidate.
    Extra,
    /// Could not be decided; `ObjectDrift::error` says why.
    Unknown,
}

impl fmt::Display for SyncState {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            SyncState::Synced => "Synced",
            SyncState::OutOfSync => "OutOfSync",
            SyncState::Missing => "Missing",
            SyncState::Extra => "Extra",
            SyncState::Unknown => "Unknown",
        })
    }
}

/// How the verdict was reached.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum CompareMethod {
    /// Live against the server-side apply dry-run of desired.
    Preview,
    /// Desired against live locally (dry-run forbidden, or the fast path).
    Local,
    /// No comparison was possible (Missing, Extra, Unknown).
    None,
}

/// What applying desired would do to one path, seen from live.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum ChangeOp {
    /// Desired adds a field live does not have.
    Add,
    /// Applying would remove a field live has.
    Remove,
    /// The value differs.
    Replace,
}

/// One `managedFields` entry that owns a path in live.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Owner {
    pub manager: String,
    /// `Apply` or `Update`.
    pub operation: String,
    /// `scale`, `status`, … when the write went through a subresource.
    pub subresource: Option<String>,
    /// RFC 3339; `None` when the server recorded none (`kubectl scale`).
    pub time: Option<String>,
}

/// One differing path. For Secrets `live` and `desired` are masked (`*** (before)`).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Change {
    #[serde(skip)]
    pub path: FieldPath,
    /// The path as text: `.spec.template.spec.containers[name=web].image`.
    #[serde(rename = "path")]
    pub path_text: String,
    pub op: ChangeOp,
    /// The value in live (absent for `Add`).
    pub live: Option<Value>,
    /// The value after applying desired (absent for `Remove`).
    pub desired: Option<Value>,
    /// The managers owning this path in live (the one who changed it, for drift).
    pub owners: Vec<Owner>,
}

impl Change {
    /// The manager to blame: the first owner that is not Sextant itself.
    pub fn culprit(&self) -> Option<&Owner> {
        self.owners.iter().find(|o| o.manager != FIELD_MANAGER)
    }
}

/// A field that another manager set and desired never mentions. Applying keeps it, so it
/// is not drift, but an SRE wants to see it (an added label, `suspend: true`, …).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct UnmanagedChange {
    #[serde(skip)]
    pub path: FieldPath,
    #[serde(rename = "path")]
    pub path_text: String,
    /// The live value (masked for Secrets).
    pub value: Option<Value>,
    pub owner: Owner,
}

/// The server refused the dry-run of desired (422 for an immutable field, …).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ApplyRejection {
    pub code: u16,
    pub reason: String,
    /// The server's message, shortened to its first line; withheld for Secrets.
    pub message: String,
}

/// The verdict for one object.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ObjectDrift {
    pub object: ObjectRef,
    pub state: SyncState,
    pub method: CompareMethod,
    /// What applying desired would change (empty when Synced).
    pub changes: Vec<Change>,
    /// Changes by other managers that applying keeps.
    pub unmanaged: Vec<UnmanagedChange>,
    /// Set when the dry-run was refused: desired cannot be applied as is.
    pub rejection: Option<ApplyRejection>,
    /// Changes to immutable fields (predicted): applying fails; the object must be
    /// deleted and recreated. One sentence each.
    pub needs_replace: Vec<String>,
    /// Why the state is Unknown, or a problem met on the way (malformed managedFields).
    pub error: Option<String>,
}

impl ObjectDrift {
    pub fn unknown(object: ObjectRef, error: impl Into<String>) -> ObjectDrift {
        ObjectDrift {
            object,
            state: SyncState::Unknown,
            method: CompareMethod::None,
            changes: Vec::new(),
            unmanaged: Vec::new(),
            rejection: None,
            needs_replace: Vec::new(),
            error: Some(error.into()),
        }
    }

    pub(crate) fn bare(object: ObjectRef, state: SyncState) -> ObjectDrift {
        ObjectDrift {
            object,
            state,
            method: CompareMethod::None,
            changes: Vec::new(),
            unmanaged: Vec::new(),
            rejection: None,
            needs_replace: Vec::new(),
            error: None,
        }
    }
}

/// Bad input to the drift core: a manifest or live object it cannot read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DriftError {
    #[error("the object has no {0}; every manifest needs apiVersion, kind and metadata.name")]
    MissingField(&'static str),
    #[error("desired {desired} and live {live} are not the same object")]
    Mismatch { desired: String, live: String },
    /// A dry-run answers with the resourceVersion it was computed against; when that is
    /// not live's, live changed in between and the comparison would mix two versions.
    #[error(
        "the dry-run was computed against resourceVersion {dry_run} but live is at {live}; \
         the object changed meanwhile, compare again"
    )]
    StalePreview { live: String, dry_run: String },
}

/// Options shared by every comparison.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CompareOptions {
    /// The field manager Sextant applies as.
    pub field_manager: String,
}

impl Default for CompareOptions {
    fn default() -> Self {
        CompareOptions {
            field_manager: FIELD_MANAGER.to_string(),
        }
    }
}
