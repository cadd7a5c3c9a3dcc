//! The user configuration file: `config.yaml` in the platform config dir
//! (`$XDG_CONFIG_HOME/sextant/config.yaml` on Linux, or `$SEXTANT_HOME/config/config.yaml`).

use crate::logging::Dirs;
use serde::Deserialize;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// Everything a user can set. Every field is optional; missing means the built-in default.
#[derive(Debug, Clone, Default, Deserialize, PartialEq)]
#[serde(default, deny_unknown_fields)]
pub struct UserConfig {
    /// Theme name (`dark`, `light`, `high-contrast`, `colorblind`) or a theme file path.
    pub theme: Option<String>,
    /// Single-colour overrides of the theme, by role, e.g. `added: "#00ff00"`.
    pub colors: BTreeMap<String, String>,
    /// Key overrides: action name -> keys, e.g. `quit: ["q", "ctrl-c"]`.
    pub keymap: BTreeMap<String, Vec<String>>,
    /// Cluster aliases and per-cluster settings, by alias.
    pub clusters: BTreeMap<String, ClusterSettings>,
    /// Refuse every write on every cluster.
    pub readonly: bool,
    /// How pull requests find a token.
    pub forge: ForgeSettings,
    /// Per forge host (`git.example.com`, or `host:port`): which forge it runs, where its API is,
    /// and where its token comes from. Hosts named like github.com, gitlab.com, codeberg.org (or
    /// containing github, gitlab, gitea, forgejo) need no entry.
    pub forges: BTreeMap<String, ForgeHostSettings>,
    /// Refresh intervals.
    pub refresh: RefreshSettings,
    /// Local clones of repositories, by URL: an Argo CD or Flux app whose source is one of
    /// these URLs is rendered from that path, so Sextant computes its own drift too.
    pub repos: BTreeMap<String, PathBuf>,
}

/// One cluster alias.
#[derive(Debug, Clone, Default, Deserialize, PartialEq)]
#[serde(default, deny_unknown_fields)]
pub struct ClusterSettings {
    /// The kubeconfig context this alias names. Default: the alias itself.
    pub context: Option<String>,
    /// Refuse every write on this cluster.
    pub readonly: bool,
    /// Ask for the cluster's name to be typed before every write.
    pub protected: bool,
}

#[derive(Debug, Clone, Default, Deserialize, PartialEq)]
#[serde(default, deny_unknown_fields)]
pub struct ForgeSettings {
    /// A command that prints a forge token on stdout (never logged), for any host without a
    /// token of its own. It runs with `SEXTANT_FORGE_HOST` and `SEXTANT_FORGE_KIND` set.
    pub token_command: Option<String>,
}

/// One forge host, e.g.
/// `git.example.com: { kind: gitlab, api: https://git.example.com/api/v4, token_command: "pass show gitlab" }`.
#[derive(Debug, Clone, Default, Deserialize, PartialEq, Eq)]
#[serde(default, deny_unknown_fields)]
pub struct ForgeHostSettings {
    /// `github`, `gitlab` or `gitea` (Forgejo too). Default: guessed from the host name.
    pub kind: Option<crate::forge::ForgeKind>,
    /// The API base. Default: `https://api.github.com` for github.com, else
    /// `https://HOST/api/v3` (GitHub Enterprise), `/api/v4` (GitLab), `/api/v1` (Gitea).
    pub api: Option<String>,
    /// The web base, when the forge is not at `https://HOST` (e.g. under a path).
    pub web: Option<String>,
    /// A command that prints this host's token on stdout (never logged). Tried first.
    pub token_command: Option<String>,
    /// An environment variable holding this host's token, tried before the usual ones.
    pub token_env: Option<String>,
    /// A pretend forge with no server (the demo's): no token is looked for and no API called;
    /// its pull requests are left to open by hand. Never read from config.yaml.
    #[serde(skip)]
    pub pretend: bool,
}

#[derive(Debug, Clone, Deserialize, PartialEq)]
#[serde(default, deny_unknown_fields)]
pub struct RefreshSettings {
    /// Seconds between fetches of remote repositories.
    pub fetch_interval_secs: u64,
}

impl Default for RefreshSettings {
    fn default() -> Self {
        RefreshSettings {
            fetch_interval_secs: 60,
        }
    }
}

/// A config file that could not be read or parsed.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("cannot read {path}: {source}")]
    Read { path: PathBuf, source: std::io::Error },
    #[error("{path}: {source}")]
    Parse {
        path: PathBuf,
        source: crate::yaml::YamlError,
    },
}

impl UserConfig {
    /// The action gate's rules: `--readonly` (`readonly_flag`) or `readonly: true` here
    /// refuse every write; each cluster alias may be read-only or protected (by alias, and by
    /// the context it names).
    pub fn gate_rules(&self, readonly_flag: bool) -> crate::gate::GateRules {
        let readonly = if readonly_flag {
            Some("--readonly".to_string())
        } else if self.readonly {
            Some("`readonly: true` in config.yaml".to_string())
        } else {
            None
        };
        let mut clusters = std::collections::BTreeMap::new();
        for (alias, settings) in &self.clusters {
            let rule = crate::gate::ClusterRule {
                readonly: settings.readonly,
                protected: settings.protected,
            };
            clusters.insert(alias.clone(), rule);
            if let Some(context) = &settings.context {
                clusters.entry(context.clone()).or_insert(rule);
            }
        }
        crate::gate::GateRules { readonly, clusters }
    }

    /// The path of the user config file.
    pub fn path(dirs: &Dirs) -> PathBuf {
        dirs.config.join("config.yaml")
    }

    /// Load the user config; a missing file is the default config.
    pub fn load(dirs: &Dirs) -> Result<UserConfig, ConfigError> {
        Self::load_from(&Self::path(dirs))
    }

    pub fn load_from(path: &Path) -> Result<UserConfig, ConfigError> {
        let text = match std::fs::read_to_string(path) {
            Ok(t) => t,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(UserConfig::default()),
            Err(source) => {
                return Err(ConfigError::Read {
                    path: path.to_path_buf(),
                    source,
                });
            }
        };
        if text.trim().is_empty() {
            return Ok(UserConfig::default());
        }
        crate::yaml::from_str(&text).map_err(|source| ConfigError::Parse {
            path: path.to_path_buf(),
            source,
        })
    }

    /// The kubeconfig context an alias (or a plain context name) refers to.
    pub fn context_for<'a>(&'a self, name: &'a str) -> &'a str {
        self.clusters
            .get(name)
            .and_then(|c| c.context.as_deref())
            .unwrap_or(name)
    }

    /// Whether writes to this cluster (alias or context) are refused by configuration.
    pub fn is_readonly(&self, name: &str) -> bool {
        self.readonly
            || self.clusters.get(name).is_some_and(|c| c.readonly)
            || self
                .clusters
                .values()
                .any(|c| c.readonly && c.context.as_deref() == Some(name))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_aliases_and_readonly() {
        let cfg: UserConfig = crate::yaml::from_str(
            "theme: light\nclusters:\n  prod:\n    context: gke-prod-eu\n    readonly: true\n",
        )
        .unwrap();
        assert_eq!(cfg.context_for("prod"), "gke-prod-eu");
        assert_eq!(cfg.context_for("other"), "other");
        assert!(cfg.is_readonly("prod"));
        assert!(cfg.is_readonly("gke-prod-eu"));
        assert!(!cfg.is_readonly("staging"));
    }

    #[test]
    fn unknown_key_names_the_line() {
        let err = crate::yaml::from_str::<UserConfig>("theme: dark\nthemez: x\n").unwrap_err();
        assert_eq!(err.line, Some(2));
    }
}
