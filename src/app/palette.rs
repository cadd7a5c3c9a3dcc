//! The `:` command palette: the commands, their candidates, fuzzy filtering and parsing.

/// A command the palette can run.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Command {
    Quit,
    Help,
    Theme(String),
    Branch(String),
    Repo(String),
    Tree,
    Refresh,
    Clusters,
    /// The drift matrix.
    Matrix,
    /// Show one cluster's apps; empty = every cluster.
    Ctx(String),
    /// Open an app's detail: `NAME` on the shown cluster, or `NAME CLUSTER`.
    App(String),
    /// What syncing a revision (default: the selected commit) to a cluster would change.
    Preview {
        revision: Option<String>,
        cluster: Option<String>,
    },
    /// The audit log: what Sextant did.
    Audit,
}

/// (name, argument hint, description) of every command, in palette order.
pub const COMMANDS: &[(&str, &str, &str)] = &[
    ("branch", "NAME", "show the log of a branch"),
    ("repo", "NAME", "switch to an open repo (alone: the Repos pane)"),
    ("theme", "NAME", "switch theme"),
    ("tree", "", "browse the files of the selected commit"),
    ("refresh", "", "reload: the repo, a preview, app events"),
    ("clusters", "", "focus the Clusters pane"),
    ("matrix", "", "drift matrix: apps × clusters"),
    // No argument hint: `:ctx` alone is a command (every cluster), `:ctx NAME` one cluster.
    ("ctx", "", "every cluster's apps; `:ctx NAME` one cluster's"),
    (
        "app",
        "NAME",
        "open an app (on the shown cluster, or `:app NAME CLUSTER`)",
    ),
    // Arguments are optional: the selected commit, then a cluster picker.
    (
        "preview",
        "",
        "what syncing a commit would change; `:preview REV [CLUSTER]`",
    ),
    (
        "audit",
        "",
        "what Sextant did: syncs, refusals, reverts, pull requests",
    ),
    ("help", "", "show the keys"),
    ("quit", "", "quit Sextant"),
];

/// The palette's input and selection.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct PaletteState {
    pub input: String,
    pub selected: usize,
    /// The user moved the selection: Enter runs the selected suggestion as is.
    pub picked: bool,
}

/// One suggestion: the text it fills in and a description.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Candidate {
    pub text: String,
    pub help: String,
}

/// Dynamic arguments the palette can suggest.
#[derive(Debug, Clone, Copy)]
pub struct Suggestions<'a> {
    pub themes: &'a [&'a str],
    pub branches: &'a [String],
    pub repos: &'a [String],
    /// Cluster names, each with what to say about it (its state).
    pub clusters: &'a [(String, String)],
    /// `NAME` and `NAME CLUSTER` arguments of `:app`, each with what to say about it.
    pub apps: &'a [(String, String)],
}

/// Candidates matching `input`, best first: every command, plus its arguments once something
/// is typed (`theme X`, `branch X`, `repo X`, `ctx CLUSTER`, `app NAME [CLUSTER]`). With
/// nothing typed, each command appears once, so a fleet's app names do not bury `:quit`.
pub fn candidates<'a>(input: &str, s: Suggestions<'a>) -> Vec<Candidate> {
    let needle = input.trim().to_lowercase();
    let mut all: Vec<Candidate> = Vec::new();
    for (name, arg, help) in COMMANDS {
        let plain = |names: Vec<&'a str>| names.into_iter().map(|n| (n, *help)).collect();
        let described =
            |args: &'a [(String, String)]| args.iter().map(|(a, h)| (a.as_str(), h.as_str())).collect();
        let args: Vec<(&str, &str)> = match *name {
            _ if needle.is_empty() => Vec::new(),
            "theme" => plain(s.themes.to_vec()),
            "branch" => plain(s.branches.iter().map(String::as_str).collect()),
            "repo" => plain(s.repos.iter().map(String::as_str).collect()),
            "ctx" => described(s.clusters),
            "app" => described(s.apps),
            _ => Vec::new(),
        };
        if arg.is_empty() || args.is_empty() {
            let text = if arg.is_empty() {
                name.to_string()
            } else {
                format!("{name} {arg}")
            };
            all.push(Candidate {
                text,
                help: help.to_string(),
            });
        }
        for (a, help) in args {
            all.push(Candidate {
                text: format!("{name} {a}"),
                help: help.to_string(),
            });
        }
    }
    let mut scored: Vec<(i64, usize, Candidate)> = all
        .into_iter()
        .enumerate()
        .filter_map(|(i, c)| fuzzy_score(&c.text.to_lowercase(), &needle).map(|s| (s, i, c)))
        .collect();
    scored.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
    scored.into_iter().map(|(_, _, c)| c).collect()
}

/// A subsequence match score: None if `needle` is not a subsequence of `hay`; higher is better
/// (prefix and contiguous matches win).
pub fn fuzzy_score(hay: &str, needle: &str) -> Option<i64> {
    if needle.is_empty() {
        return Some(0);
    }
    if hay.starts_with(needle) {
        return Some(1000 - hay.len() as i64);
    }
    if let Some(pos) = hay.find(needle) {
        return Some(500 - pos as i64);
    }
    let mut score = 0i64;
    let mut last: Option<usize> = None;
    let mut chars = hay.char_indices();
    for n in needle.chars() {
        let (pos, _) = chars.by_ref().find(|(_, h)| *h == n)?;
        score += match last {
            Some(l) if pos == l + 1 => 5,
            _ => 1,
        };
        last = Some(pos);
    }
    Some(score)
}

/// Whether Enter should run `candidate` for what was typed: any fuzzy match while the command
/// name is being typed; once an argument is typed, only a candidate whose command and argument
/// start with what was typed (so `:branch v1.2` is never swapped for `branch overview1.2`).
pub fn completes(input: &str, candidate: &str) -> bool {
    let split = |s: &str| {
        let s = s.trim_start();
        match s.split_once(char::is_whitespace) {
            Some((c, a)) => (c.to_lowercase(), a.trim().to_lowercase()),
            None => (s.trim().to_lowercase(), String::new()),
        }
    };
    let (ic, ia) = split(input);
    let (cc, ca) = split(candidate);
    ia.is_empty() || (cc.starts_with(&ic) && ca.starts_with(&ia))
}

/// Parse a command line as typed (without the `:`).
pub fn parse(line: &str) -> Result<Command, String> {
    let line = line.trim();
    let (name, arg) = match line.split_once(char::is_whitespace) {
        Some((n, a)) => (n, a.trim()),
        None => (line, ""),
    };
    let needs_arg = |cmd: fn(String) -> Command, what: &str| {
        if arg.is_empty() || arg.contains(['<', '>']) || arg == "NAME" {
            Err(format!(":{name} needs a {what} name, e.g. `:{name} main`"))
        } else {
            Ok(cmd(arg.to_string()))
        }
    };
    match name {
        "q" | "quit" | "q!" => Ok(Command::Quit),
        "help" => Ok(Command::Help),
        "theme" => needs_arg(Command::Theme, "theme"),
        "branch" | "b" => needs_arg(Command::Branch, "branch"),
        // `:repo` alone focuses the Repos pane.
        "repo" if arg.is_empty() => Ok(Command::Repo(String::new())),
        "repo" => needs_arg(Command::Repo, "repo"),
        "tree" => Ok(Command::Tree),
        "refresh" => Ok(Command::Refresh),
        "clusters" => Ok(Command::Clusters),
        "matrix" => Ok(Command::Matrix),
        "audit" => Ok(Command::Audit),
        "ctx" if arg.is_empty() => Ok(Command::Ctx(String::new())),
        "ctx" => needs_arg(Command::Ctx, "cluster"),
        "app" => needs_arg(Command::App, "app"),
        "preview" => {
            let mut words = arg.split_whitespace().map(str::to_string);
            let (revision, cluster) = (words.next(), words.next());
            match words.next() {
                Some(extra) => Err(format!(
                    ":preview takes a revision and a cluster; `{extra}` is one word too many"
                )),
                None => Ok(Command::Preview { revision, cluster }),
            }
        }
        "" => Err("type a command, e.g. `:theme light`".into()),
        other => {
            let known: Vec<&str> = COMMANDS.iter().map(|c| c.0).collect();
            Err(format!(
                "unknown command `:{other}` (commands: {})",
                known.join(", ")
            ))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const THEMES: &[&str] = &["dark", "light"];

    #[test]
    fn filters_fuzzily_prefix_first() {
        let branches = vec!["main".to_string(), "feature/x".to_string()];
        let pair = |a: &str, h: &str| (a.to_string(), h.to_string());
        let clusters = vec![pair("prod-eu", "ready"), pair("staging", "ready")];
        let apps = vec![
            pair("guestbook", "open on prod-eu"),
            pair("guestbook prod-eu", "OutOfSync"),
            pair("payments", "open on prod-eu"),
        ];
        let s = Suggestions {
            themes: THEMES,
            branches: &branches,
            repos: &[],
            clusters: &clusters,
            apps: &apps,
        };
        let c = candidates("th li", s);
        assert_eq!(c[0].text, "theme light");
        let c = candidates("qu", s);
        assert_eq!(c[0].text, "quit");
        let c = candidates("br fea", s);
        assert_eq!(c[0].text, "branch feature/x");
        let c = candidates("ctx st", s);
        assert_eq!(c[0].text, "ctx staging");
        let c = candidates("app gue", s);
        assert_eq!(c[0].text, "app guestbook");
        assert_eq!(c[1].text, "app guestbook prod-eu");
        assert_eq!(c[1].help, "OutOfSync", "an argument says what it names");
        assert!(candidates("zzzz", s).is_empty());
        // With nothing typed, every command appears once, with a NAME hint when it takes one.
        let all = candidates("", s);
        assert_eq!(all.len(), COMMANDS.len());
        assert!(all.iter().any(|c| c.text == "theme NAME"));
        assert!(all.iter().any(|c| c.text == "ctx"));
    }

    #[test]
    fn typed_arguments_are_not_swapped_for_fuzzy_matches() {
        assert!(completes("th li", "theme light"));
        assert!(completes("qu", "quit"));
        assert!(completes("tme", "theme NAME"));
        assert!(!completes("branch v1.2", "branch overview1.2"));
        assert!(completes("branch ov", "branch overview1.2"));
    }

    #[test]
    fn parses_commands_and_names_mistakes() {
        assert_eq!(parse("theme light"), Ok(Command::Theme("light".into())));
        assert_eq!(parse(" branch  dev "), Ok(Command::Branch("dev".into())));
        assert_eq!(parse("q"), Ok(Command::Quit));
        assert!(parse("theme").unwrap_err().contains(":theme needs a theme name"));
        assert_eq!(
            parse("preview HEAD~2 prod-eu"),
            Ok(Command::Preview {
                revision: Some("HEAD~2".into()),
                cluster: Some("prod-eu".into())
            })
        );
        assert_eq!(
            parse("preview"),
            Ok(Command::Preview {
                revision: None,
                cluster: None
            })
        );
        assert!(parse("preview a b c").unwrap_err().contains("one word too many"));
        assert!(
            parse("frobnicate")
                .unwrap_err()
                .contains("unknown command `:frobnicate`")
        );
    }
}
