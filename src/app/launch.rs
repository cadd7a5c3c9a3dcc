//! What the cockpit is launched on: plain data the command layer fills from its flags.

use std::path::PathBuf;

#[derive(Debug, Clone, Default)]
pub struct Launch {
    /// Config repositories: local paths or URLs. Empty: the repo holding the current directory.
    pub repos: Vec<String>,
    /// Kubeconfig file. `None`: `$KUBECONFIG`, then `~/.kube/config`.
    pub kubeconfig: Option<PathBuf>,
    /// Kubeconfig contexts to use. Empty: every cluster the apps name.
    pub contexts: Vec<String>,
    /// Refuse every write.
    pub readonly: bool,
    /// Theme name or path, beating the config's.
    pub theme: Option<String>,
    /// Forge hosts added to (or replacing) config.yaml's: the demo's pretend forge.
    pub forges: std::collections::BTreeMap<String, crate::config::ForgeHostSettings>,
}
