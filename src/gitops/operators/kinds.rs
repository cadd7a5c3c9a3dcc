//! The operator kinds Sextant reads, at the API versions of the CRDs in
//! `tests/fixtures/operators` (Argo CD v1alpha1, kustomize.toolkit v1, helm.toolkit v2,
//! source.toolkit v1), and what to say when a cluster serves another version.

use kube::discovery::ApiResource;

/// One kind Sextant watches.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OperatorKind {
    pub group: &'static str,
    /// The version Sextant reads.
    pub version: &'static str,
    pub kind: &'static str,
    pub plural: &'static str,
    /// The app-defining kinds (Application, Kustomization, HelmRelease), as opposed to
    /// the ones read for context (AppProject, ApplicationSet, sources).
    pub defines_apps: bool,
}

impl OperatorKind {
    pub fn api_version(&self) -> String {
        format!("{}/{}", self.group, self.version)
    }

    pub fn resource(&self) -> ApiResource {
        ApiResource {
            group: self.group.into(),
            version: self.version.into(),
            api_version: self.api_version(),
            kind: self.kind.into(),
            plural: self.plural.into(),
        }
    }
}

const fn kind(
    group: &'static str,
    version: &'static str,
    kind: &'static str,
    plural: &'static str,
    defines_apps: bool,
) -> OperatorKind {
    OperatorKind {
        group,
        version,
        kind,
        plural,
        defines_apps,
    }
}

pub const ARGO_GROUP: &str = "argoproj.io";
pub const KUSTOMIZE_GROUP: &str = "kustomize.toolkit.fluxcd.io";
pub const HELM_GROUP: &str = "helm.toolkit.fluxcd.io";
pub const SOURCE_GROUP: &str = "source.toolkit.fluxcd.io";

pub const APPLICATION: OperatorKind = kind(ARGO_GROUP, "v1alpha1", "Application", "applications", true);
pub const APPLICATION_SET: OperatorKind =
    kind(ARGO_GROUP, "v1alpha1", "ApplicationSet", "applicationsets", false);
pub const APP_PROJECT: OperatorKind = kind(ARGO_GROUP, "v1alpha1", "AppProject", "appprojects", false);
pub const KUSTOMIZATION: OperatorKind = kind(KUSTOMIZE_GROUP, "v1", "Kustomization", "kustomizations", true);
pub const HELM_RELEASE: OperatorKind = kind(HELM_GROUP, "v2", "HelmRelease", "helmreleases", true);
pub const GIT_REPOSITORY: OperatorKind = kind(SOURCE_GROUP, "v1", "GitRepository", "gitrepositories", false);
pub const OCI_REPOSITORY: OperatorKind = kind(SOURCE_GROUP, "v1", "OCIRepository", "ocirepositories", false);
pub const HELM_REPOSITORY: OperatorKind =
    kind(SOURCE_GROUP, "v1", "HelmRepository", "helmrepositories", false);
pub const HELM_CHART: OperatorKind = kind(SOURCE_GROUP, "v1", "HelmChart", "helmcharts", false);

/// Every kind Sextant watches, app-defining kinds first.
pub const ALL: [OperatorKind; 9] = [
    APPLICATION,
    KUSTOMIZATION,
    HELM_RELEASE,
    APPLICATION_SET,
    APP_PROJECT,
    GIT_REPOSITORY,
    OCI_REPOSITORY,
    HELM_REPOSITORY,
    HELM_CHART,
];

/// The kind with this group and kind name, if Sextant reads it.
pub fn find(group: &str, kind: &str) -> Option<OperatorKind> {
    ALL.into_iter().find(|k| k.group == group && k.kind == kind)
}

/// What the cluster serves of one kind, from discovery.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Served {
    /// Served at the version Sextant reads.
    Yes,
    /// The group is served, but not this kind at Sextant's version: the versions it is
    /// served at instead (empty when the kind is missing altogether).
    OtherVersions(Vec<String>),
    /// The group is not served at all (the operator is not installed): normal, silent.
    NoGroup,
}

/// Whether `kind` is served, from the versions the cluster serves its group at and the
/// kinds each version holds.
pub fn served(kind: &OperatorKind, versions: &[(String, Vec<String>)]) -> Served {
    if versions.is_empty() {
        return Served::NoGroup;
    }
    let at = |v: &str| {
        versions
            .iter()
            .any(|(version, kinds)| version == v && kinds.iter().any(|k| k == kind.kind))
    };
    if at(kind.version) {
        return Served::Yes;
    }
    let others: Vec<String> = versions
        .iter()
        .filter(|(_, kinds)| kinds.iter().any(|k| k == kind.kind))
        .map(|(v, _)| v.clone())
        .collect();
    if others.is_empty() && !kind.defines_apps {
        // A context kind the installed version does not have (no OCIRepository in an old
        // source-controller): nothing to say, apps naming it say so themselves.
        return Served::NoGroup;
    }
    Served::OtherVersions(others)
}

/// The message for a kind served only at other versions, naming what to do.
pub fn version_message(kind: &OperatorKind, others: &[String], cluster: &str) -> String {
    if others.is_empty() {
        format!(
            "{} is installed on cluster {cluster} without the {} kind: Sextant reads {} {}; \
             its apps are not shown",
            kind.group,
            kind.kind,
            kind.kind,
            kind.api_version()
        )
    } else {
        format!(
            "cluster {cluster} serves {} only as {} ({}), an older or newer version than the {} \
             Sextant reads: its apps are not shown; upgrade the operator's CRDs or Sextant",
            kind.kind,
            others
                .iter()
                .map(|v| format!("{}/{v}", kind.group))
                .collect::<Vec<_>>()
                .join(", "),
            kind.kind,
            kind.api_version()
        )
    }
}
