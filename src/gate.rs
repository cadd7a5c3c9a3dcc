//! The action gate: the one place that decides whether Sextant may write. Every write to a
//! cluster (apply, prune), a remote (push) or a forge (pull request) needs a [`Permit`], and
//! only [`Gate::permit`] makes one: a key handler, a subcommand or a test cannot write around
//! it. The gate refuses everything under `--readonly` or `readonly: true` in config.yaml,
//! refuses a cluster marked `readonly: true`, and asks for a `protected: true` cluster's name
//! to be typed before a write.
//!
//! A revert commits onto a new branch of the user's repository: a local write, but still a
//! write, so it needs a permit too and read-only mode refuses it (DESIGN.md: every action is
//! refused in read-only mode). Reading, planning and previewing never need one.

use std::collections::BTreeMap;
use std::fmt;

/// What is about to be written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Action {
    /// Server-side apply of an app's objects.
    Sync,
    /// Deleting objects no longer in Git.
    Prune,
    /// Pushing a branch to a remote.
    Push,
    /// Opening a pull request.
    PullRequest,
    /// Asking an operator (Argo CD, Flux) to sync or reconcile an app.
    OperatorSync,
    /// Asking an operator to compare again (Argo CD's refresh annotation).
    Refresh,
    /// Stopping an operator from reconciling an app on its own (Flux `spec.suspend`, Argo
    /// CD's automated sync policy).
    Suspend,
    /// Undoing a suspend.
    Resume,
    /// Committing a revert onto a new branch of the local repository.
    Revert,
}

impl Action {
    pub fn as_str(self) -> &'static str {
        match self {
            Action::Sync => "sync",
            Action::Prune => "prune",
            Action::Push => "push",
            Action::PullRequest => "pull request",
            Action::OperatorSync => "sync an app through its operator on",
            Action::Refresh => "refresh an app on",
            Action::Suspend => "suspend an app on",
            Action::Resume => "resume an app on",
            Action::Revert => "commit a revert branch in",
        }
    }
}

/// Where it is written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Target {
    /// A cluster, by the name the apps use and its kubeconfig context.
    Cluster { name: String, context: String },
    /// A Git remote or forge, by a printable (token-free) name.
    Remote(String),
    /// The local repository, by its path.
    Repository(String),
}

impl fmt::Display for Target {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Target::Cluster { name, context } if name == context => write!(f, "cluster {name}"),
            Target::Cluster { name, context } => write!(f, "cluster {name} ({context})"),
            Target::Remote(r) => write!(f, "{r}"),
            Target::Repository(path) => write!(f, "the repository {path}"),
        }
    }
}

/// What the configuration says of one cluster.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ClusterRule {
    /// Refuse every write.
    pub readonly: bool,
    /// Ask for the cluster's name to be typed before a write.
    pub protected: bool,
}

/// The rules the gate applies, from the command line and config.yaml.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct GateRules {
    /// Why every write is refused (`--readonly`, or `readonly: true` in config.yaml), if so.
    pub readonly: Option<String>,
    /// Per cluster, by the name the apps use or by context.
    pub clusters: BTreeMap<String, ClusterRule>,
}

/// Why a write was refused, said so the user knows what to do.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Refusal {
    #[error(
        "refused: Sextant runs read-only ({why}), so it will not {action} {target}; run without it to write"
    )]
    ReadOnly {
        why: String,
        action: &'static str,
        target: String,
    },
    #[error(
        "refused: {target} is read-only in config.yaml (`readonly: true`), so Sextant will not {action} it; \
         change the config to write there"
    )]
    ClusterReadOnly { action: &'static str, target: String },
    #[error("{target} is protected: type its name, `{name}`, to {action} it")]
    NeedsTypedName {
        action: &'static str,
        target: String,
        name: String,
    },
    #[error("{target} is protected and `{typed}` is not its name (`{name}`): nothing was written")]
    WrongTypedName {
        target: String,
        name: String,
        typed: String,
    },
}

/// Proof that the gate allowed one action on one target. It cannot be built anywhere else.
#[derive(Debug, Clone)]
pub struct Permit {
    action: Action,
    target: Target,
    _sealed: Sealed,
}

#[derive(Debug, Clone)]
struct Sealed;

impl Permit {
    pub fn action(&self) -> Action {
        self.action
    }

    pub fn target(&self) -> &Target {
        &self.target
    }

    /// Whether this permit covers exactly `action` on `target`.
    pub fn covers(&self, action: Action, target: &Target) -> bool {
        self.action == action && self.target == *target
    }

    /// Whether this permit covers `action` on the cluster with this context.
    pub fn allows(&self, action: Action, context: &str) -> bool {
        self.action == action && matches!(&self.target, Target::Cluster { context: c, .. } if c == context)
    }
}

/// The gate itself: cheap to clone, plain data.
#[derive(Debug, Clone, Default)]
pub struct Gate {
    rules: GateRules,
}

impl Gate {
    pub fn new(rules: GateRules) -> Gate {
        Gate { rules }
    }

    pub fn rules(&self) -> &GateRules {
        &self.rules
    }

    fn rule(&self, target: &Target) -> ClusterRule {
        match target {
            Target::Cluster { name, context } => self
                .rules
                .clusters
                .get(name)
                .or_else(|| self.rules.clusters.get(context))
                .copied()
                .unwrap_or_default(),
            Target::Remote(_) | Target::Repository(_) => ClusterRule::default(),
        }
    }

    /// Whether writing to `target` will ask for its name to be typed.
    pub fn needs_typed_name(&self, target: &Target) -> bool {
        self.rule(target).protected
    }

    /// Everything but the typed name: what a preview says before anyone confirms.
    pub fn check(&self, action: Action, target: &Target) -> Result<(), Refusal> {
        let t = target.to_string();
        if let Some(why) = &self.rules.readonly {
            return Err(Refusal::ReadOnly {
                why: why.clone(),
                action: action.as_str(),
                target: t,
            });
        }
        if self.rule(target).readonly {
            return Err(Refusal::ClusterReadOnly {
                action: action.as_str(),
                target: t,
            });
        }
        Ok(())
    }

    /// A permit for `action` on `target`, or why not. `typed` is the name the user typed to
    /// confirm a protected cluster.
    pub fn permit(&self, action: Action, target: &Target, typed: Option<&str>) -> Result<Permit, Refusal> {
        self.check(action, target)?;
        if let (true, Target::Cluster { name, context }) = (self.needs_typed_name(target), target) {
            match typed.map(str::trim) {
                None | Some("") => {
                    return Err(Refusal::NeedsTypedName {
                        action: action.as_str(),
                        target: target.to_string(),
                        name: name.clone(),
                    });
                }
                Some(t) if t != name && t != context => {
                    return Err(Refusal::WrongTypedName {
                        target: target.to_string(),
                        name: name.clone(),
                        typed: t.to_string(),
                    });
                }
                Some(_) => {}
            }
        }
        Ok(Permit {
            action,
            target: target.clone(),
            _sealed: Sealed,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cluster(name: &str) -> Target {
        Target::Cluster {
            name: name.into(),
            context: format!("ctx-{name}"),
        }
    }

    fn gate(readonly: Option<&str>, rules: &[(&str, ClusterRule)]) -> Gate {
        Gate::new(GateRules {
            readonly: readonly.map(str::to_string),
            clusters: rules.iter().map(|(n, r)| (n.to_string(), *r)).collect(),
        })
    }

    #[test]
    fn read_only_refuses_every_write() {
        let g = gate(Some("--readonly"), &[]);
        for action in [
            Action::Sync,
            Action::Prune,
            Action::Push,
            Action::PullRequest,
            Action::Revert,
        ] {
            let err = g.permit(action, &cluster("prod"), None).unwrap_err();
            assert!(matches!(err, Refusal::ReadOnly { .. }), "{err}");
        }
        let err = g
            .permit(Action::Push, &Target::Remote("origin".into()), None)
            .unwrap_err();
        assert!(err.to_string().contains("read-only (--readonly)"), "{err}");
        let err = g
            .permit(Action::Revert, &Target::Repository("/src/cfg".into()), None)
            .unwrap_err();
        assert_eq!(
            err.to_string(),
            "refused: Sextant runs read-only (--readonly), so it will not commit a revert branch in the \
             repository /src/cfg; run without it to write"
        );
    }

    #[test]
    fn a_permit_covers_its_action_and_target_only() {
        let g = gate(None, &[]);
        let origin = Target::Remote("origin".into());
        let permit = g.permit(Action::Push, &origin, None).expect("writable");
        assert!(permit.covers(Action::Push, &origin));
        assert!(!permit.covers(Action::PullRequest, &origin));
        assert!(!permit.covers(Action::Push, &Target::Remote("upstream".into())));
    }

    #[test]
    fn a_read_only_cluster_refuses_and_others_do_not() {
        let ro = ClusterRule {
            readonly: true,
            protected: false,
        };
        let g = gate(None, &[("prod", ro)]);
        let err = g.permit(Action::Sync, &cluster("prod"), None).unwrap_err();
        assert!(
            err.to_string()
                .contains("cluster prod (ctx-prod) is read-only in config.yaml"),
            "{err}"
        );
        // Found by context too.
        let g2 = gate(None, &[("ctx-prod", ro)]);
        assert!(g2.permit(Action::Sync, &cluster("prod"), None).is_err());
        let permit = g
            .permit(Action::Sync, &cluster("staging"), None)
            .expect("staging is writable");
        assert!(permit.allows(Action::Sync, "ctx-staging"));
        assert!(!permit.allows(Action::Prune, "ctx-staging"));
        assert!(!permit.allows(Action::Sync, "ctx-prod"));
    }

    #[test]
    fn a_protected_cluster_wants_its_name_typed() {
        let p = ClusterRule {
            readonly: false,
            protected: true,
        };
        let g = gate(None, &[("prod", p)]);
        assert!(g.needs_typed_name(&cluster("prod")));
        assert!(g.check(Action::Sync, &cluster("prod")).is_ok());
        let err = g.permit(Action::Sync, &cluster("prod"), None).unwrap_err();
        assert_eq!(
            err.to_string(),
            "cluster prod (ctx-prod) is protected: type its name, `prod`, to sync it"
        );
        let err = g
            .permit(Action::Sync, &cluster("prod"), Some("staging"))
            .unwrap_err();
        assert!(matches!(err, Refusal::WrongTypedName { .. }), "{err}");
        assert!(g.permit(Action::Sync, &cluster("prod"), Some(" prod ")).is_ok());
        assert!(g.permit(Action::Sync, &cluster("prod"), Some("ctx-prod")).is_ok());
    }
}
