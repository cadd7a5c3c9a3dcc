//! Finding a forge token, and keeping it out of sight. A [`Token`] prints as `***` in Debug and
//! Display; only the HTTP layer reads its value. Where it came from ([`TokenSource`]) is what
//! messages name, so "the token from GITHUB_TOKEN was refused" tells the user what to fix.
//!
//! Order: the host's `token_command`, the host's `token_env`, the forge's usual variables
//! (`GH_TOKEN`/`GITHUB_TOKEN` for github.com, `GH_ENTERPRISE_TOKEN`/`GITHUB_ENTERPRISE_TOKEN` for
//! GitHub Enterprise, `GITLAB_TOKEN`, `GITEA_TOKEN`/`FORGEJO_TOKEN`), the global
//! `forge.token_command`, then `gh auth token` for GitHub. A github.com token is never sent to
//! another host.

use super::ForgeKind;
use super::detect::Forge;
use super::error::ForgeError;
use crate::config::UserConfig;
use std::io::Read;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// How long a token command may run (a password manager may ask for a passphrase).
const COMMAND_TIMEOUT: Duration = Duration::from_secs(60);

/// A secret. Debug and Display print `***`.
#[derive(Clone, PartialEq, Eq)]
pub struct Token(String);

impl Token {
    pub fn new(value: impl Into<String>) -> Token {
        Token(value.into())
    }

    /// The value, for the Authorization header only.
    pub(crate) fn expose(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Debug for Token {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Token(***)")
    }
}

impl std::fmt::Display for Token {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("***")
    }
}

/// Where a token came from, as messages name it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TokenSource {
    /// An environment variable.
    Env(String),
    /// The `token_command` of this host in config.yaml.
    HostCommand(String),
    /// `forge.token_command` in config.yaml.
    ConfigCommand,
    /// `gh auth token`.
    GhCli,
}

impl std::fmt::Display for TokenSource {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            TokenSource::Env(var) => write!(f, "the {var} environment variable"),
            TokenSource::HostCommand(host) => write!(f, "the token_command for {host} in config.yaml"),
            TokenSource::ConfigCommand => f.write_str("forge.token_command in config.yaml"),
            TokenSource::GhCli => f.write_str("`gh auth token`"),
        }
    }
}

/// A token and where it came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ForgeToken {
    pub token: Token,
    pub source: TokenSource,
}

impl ForgeToken {
    pub fn new(token: impl Into<String>, source: TokenSource) -> ForgeToken {
        ForgeToken {
            token: Token::new(token),
            source,
        }
    }
}

/// The environment variables that hold a token for this forge, in order.
fn env_vars(forge: &Forge) -> &'static [&'static str] {
    match forge.kind {
        ForgeKind::GitHub if forge.host == "github.com" => &["GH_TOKEN", "GITHUB_TOKEN"],
        ForgeKind::GitHub => &["GH_ENTERPRISE_TOKEN", "GITHUB_ENTERPRISE_TOKEN"],
        ForgeKind::GitLab => &["GITLAB_TOKEN"],
        ForgeKind::Gitea => &["GITEA_TOKEN", "FORGEJO_TOKEN"],
    }
}

/// Find a token for `forge` in the process environment, the config, and `gh`. `Ok(None)`: there
/// is none (open the compare page instead). A configured command that fails is an error.
pub fn find_token(forge: &Forge, config: &UserConfig) -> Result<Option<ForgeToken>, ForgeError> {
    find_token_with(forge, config, &|var| std::env::var(var).ok(), "gh")
}

/// [`find_token`] with the environment and the `gh` program given (for tests and embedders).
pub fn find_token_with(
    forge: &Forge,
    config: &UserConfig,
    env: &dyn Fn(&str) -> Option<String>,
    gh_program: &str,
) -> Result<Option<ForgeToken>, ForgeError> {
    let nonempty = |v: Option<String>| v.map(|t| t.trim().to_owned()).filter(|t| !t.is_empty());
    if forge.settings.pretend {
        return Ok(None);
    }
    if let Some(cmd) = &forge.settings.token_command {
        let source = TokenSource::HostCommand(forge.host.clone());
        return run_token_command(cmd, forge, source).map(Some);
    }
    let own_env = forge.settings.token_env.as_deref();
    for var in own_env.into_iter().chain(env_vars(forge).iter().copied()) {
        if let Some(token) = nonempty(env(var)) {
            return Ok(Some(ForgeToken::new(token, TokenSource::Env(var.to_owned()))));
        }
    }
    if let Some(cmd) = &config.forge.token_command {
        return run_token_command(cmd, forge, TokenSource::ConfigCommand).map(Some);
    }
    if forge.kind == ForgeKind::GitHub {
        return Ok(gh_token(gh_program, &forge.host));
    }
    Ok(None)
}

/// `gh auth token --hostname HOST`; `None` when gh is missing or not logged in there.
fn gh_token(program: &str, host: &str) -> Option<ForgeToken> {
    let mut cmd = Command::new(program);
    cmd.args(["auth", "token", "--hostname", host]);
    match run_captured(cmd) {
        Ok((true, out, _)) if !out.trim().is_empty() => Some(ForgeToken::new(out.trim(), TokenSource::GhCli)),
        Ok(_) => {
            tracing::debug!(host, "gh has no token for this host");
            None
        }
        Err(e) => {
            tracing::debug!(host, "gh is not available: {e}");
            None
        }
    }
}

/// Run a configured token command through `sh -c`; its stdout (trimmed) is the token.
fn run_token_command(command: &str, forge: &Forge, source: TokenSource) -> Result<ForgeToken, ForgeError> {
    let mut cmd = Command::new("sh");
    cmd.arg("-c")
        .arg(command)
        .env("SEXTANT_FORGE_HOST", &forge.host)
        .env("SEXTANT_FORGE_KIND", forge.kind.as_str());
    let failed = |message: String| ForgeError::TokenCommand {
        token_from: source.clone(),
        message,
    };
    let (ok, out, err) = run_captured(cmd).map_err(|e| failed(e.to_string()))?;
    let first_err_line = err
        .lines()
        .map(str::trim)
        .find(|l| !l.is_empty())
        .unwrap_or("no message");
    if !ok {
        return Err(failed(format!("it exited with an error ({first_err_line})")));
    }
    let token = out.trim();
    if token.is_empty() || token.contains(char::is_whitespace) {
        return Err(failed("it printed no single token on stdout".into()));
    }
    Ok(ForgeToken::new(token, source))
}

/// Run a command without stdin, capturing stdout and stderr, killed after [`COMMAND_TIMEOUT`].
fn run_captured(mut cmd: Command) -> std::io::Result<(bool, String, String)> {
    let mut child = cmd
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()?;
    let no_pipe = || std::io::Error::other("the command's output could not be read");
    let mut out_pipe = child.stdout.take().ok_or_else(no_pipe)?;
    let mut err_pipe = child.stderr.take().ok_or_else(no_pipe)?;
    let out_reader = std::thread::spawn(move || {
        let mut s = String::new();
        let _ = out_pipe.read_to_string(&mut s);
        s
    });
    let err_reader = std::thread::spawn(move || {
        let mut s = String::new();
        let _ = err_pipe.read_to_string(&mut s);
        s
    });
    let started = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait()? {
            break status;
        }
        if started.elapsed() > COMMAND_TIMEOUT {
            let _ = child.kill();
            let _ = child.wait();
            return Err(std::io::Error::new(
                std::io::ErrorKind::TimedOut,
                format!("it ran longer than {} seconds", COMMAND_TIMEOUT.as_secs()),
            ));
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    let out = out_reader.join().unwrap_or_default();
    let err = err_reader.join().unwrap_or_default();
    Ok((status.success(), out, err))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    fn forge(remote: &str, config: &UserConfig) -> Forge {
        Forge::detect(remote, config).expect("forge")
    }

    fn find(
        remote: &str,
        config_yaml: &str,
        env: &[(&str, &str)],
        gh: &str,
    ) -> Result<Option<ForgeToken>, ForgeError> {
        let config: UserConfig = if config_yaml.is_empty() {
            UserConfig::default()
        } else {
            crate::yaml::from_str(config_yaml).expect("config")
        };
        let env: HashMap<String, String> = env.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect();
        find_token_with(&forge(remote, &config), &config, &|k| env.get(k).cloned(), gh)
    }

    fn source(found: Result<Option<ForgeToken>, ForgeError>) -> Option<(String, TokenSource)> {
        found
            .expect("lookup")
            .map(|t| (t.token.expose().to_owned(), t.source))
    }

    /// A fake `gh` that prints a token for github.com only.
    fn fake_gh(dir: &std::path::Path) -> String {
        use std::os::unix::fs::PermissionsExt;
        let path = dir.join("gh");
        std::fs::write(
            &path,
            "#!/bin/sh\n[ \"$4\" = github.com ] && echo gho_from_gh && exit 0\necho 'not logged in' >&2\nexit 1\n",
        )
        .expect("write gh");
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o755)).expect("chmod");
        path.display().to_string()
    }

    #[test]
    fn environment_variables_per_forge() {
        let env = [
            ("GITHUB_TOKEN", "a"),
            ("GH_TOKEN", "b"),
            ("GITLAB_TOKEN", "c"),
            ("GITEA_TOKEN", "d"),
        ];
        let gh = "/nonexistent/gh";
        assert_eq!(
            source(find("git@github.com:o/r.git", "", &env, gh)),
            Some(("b".into(), TokenSource::Env("GH_TOKEN".into())))
        );
        assert_eq!(
            source(find("git@gitlab.com:g/r.git", "", &env, gh)),
            Some(("c".into(), TokenSource::Env("GITLAB_TOKEN".into())))
        );
        assert_eq!(
            source(find("https://codeberg.org/o/r", "", &env, gh)),
            Some(("d".into(), TokenSource::Env("GITEA_TOKEN".into())))
        );
        // A github.com token never goes to GitHub Enterprise.
        assert_eq!(
            source(find("git@github.corp.example:o/r.git", "", &env, gh)),
            None
        );
        assert_eq!(
            source(find(
                "git@github.corp.example:o/r.git",
                "",
                &[("GH_ENTERPRISE_TOKEN", "e")],
                gh
            )),
            Some(("e".into(), TokenSource::Env("GH_ENTERPRISE_TOKEN".into())))
        );
        let own = "forges:\n  github.corp.example:\n    token_env: CORP_TOKEN\n";
        assert_eq!(
            source(find(
                "git@github.corp.example:o/r.git",
                own,
                &[("CORP_TOKEN", " f \n")],
                gh
            )),
            Some(("f".into(), TokenSource::Env("CORP_TOKEN".into())))
        );
    }

    #[test]
    fn commands_and_gh() {
        let dir = tempfile::tempdir().expect("temp dir");
        let gh = fake_gh(dir.path());
        assert_eq!(
            source(find("git@github.com:o/r.git", "", &[], &gh)),
            Some(("gho_from_gh".into(), TokenSource::GhCli))
        );
        assert_eq!(
            source(find("git@github.corp.example:o/r.git", "", &[], &gh)),
            None,
            "gh has no token there"
        );
        assert_eq!(
            source(find("git@gitlab.com:g/r.git", "", &[], &gh)),
            None,
            "gh is for GitHub only"
        );

        let host = "forges:\n  git.example.com:\n    kind: gitlab\n    token_command: echo \"tok-$SEXTANT_FORGE_KIND\"\n";
        assert_eq!(
            source(find(
                "git@git.example.com:g/r.git",
                host,
                &[("GITLAB_TOKEN", "env")],
                &gh
            )),
            Some((
                "tok-gitlab".into(),
                TokenSource::HostCommand("git.example.com".into())
            )),
            "the host's own command comes first"
        );
        let global = "forge:\n  token_command: printf '%s' \"$SEXTANT_FORGE_HOST-tok\"\n";
        assert_eq!(
            source(find("git@gitlab.com:g/r.git", global, &[], &gh)),
            Some(("gitlab.com-tok".into(), TokenSource::ConfigCommand))
        );
        let failing = "forge:\n  token_command: \"echo 'vault: sealed' >&2; exit 3\"\n";
        let err = find("git@gitlab.com:g/r.git", failing, &[], &gh).unwrap_err();
        assert_eq!(
            err.to_string(),
            "forge.token_command in config.yaml failed: it exited with an error (vault: sealed)"
        );
        let silent = "forge:\n  token_command: \"true\"\n";
        let err = find("git@gitlab.com:g/r.git", silent, &[], &gh).unwrap_err();
        assert!(err.to_string().contains("printed no single token"), "{err}");
    }

    #[test]
    fn tokens_never_print() {
        let t = ForgeToken::new("ghp_s3cret", TokenSource::Env("GITHUB_TOKEN".into()));
        let shown = format!("{t:?} {} {}", t.token, t.source);
        assert!(!shown.contains("ghp_s3cret"), "{shown}");
        assert!(shown.contains("the GITHUB_TOKEN environment variable"), "{shown}");
    }
}
