//! The revert commit's message and branch name, following Git's conventions so that people and
//! tools (`This reverts commit <sha>.` is what forges and scripts look for) read them as usual.

/// One reverted commit, as the message names it.
pub(super) struct Reverted<'a> {
    pub sha: &'a str,
    pub subject: &'a str,
    /// The mainline parent kept when the commit is a merge.
    pub mainline_parent: Option<&'a str>,
}

/// `Revert "<subject>"`, or `Reapply "<subject>"` for the revert of a revert, as Git (2.43+) writes it.
pub(super) fn revert_subject(subject: &str) -> String {
    match subject.strip_prefix("Revert \"") {
        // Git leaves deeper nesting alone: `Revert "Revert "x""` only becomes `Reapply "x"` once.
        Some(inner) if !inner.starts_with("Revert \"") => format!("Reapply \"{inner}"),
        _ => format!("Revert \"{subject}\""),
    }
}

/// `This reverts commit <sha>.`, with Git's `, reversing changes made to <parent>.` for a merge.
fn reverts_line(commit: &Reverted<'_>) -> String {
    match commit.mainline_parent {
        Some(parent) => format!(
            "This reverts commit {}, reversing\nchanges made to {parent}.",
            commit.sha
        ),
        None => format!("This reverts commit {}.", commit.sha),
    }
}

/// The message of a one-commit revert, exactly as `git revert --no-edit` writes it.
pub(super) fn single(commit: &Reverted<'_>) -> String {
    format!("{}\n\n{}\n", revert_subject(commit.subject), reverts_line(commit))
}

/// The message of a range revert: a subject that counts the commits, then one Git-style block per
/// reverted commit, newest first (the order they were undone in).
pub(super) fn range(range_label: &str, branch: &str, commits: &[Reverted<'_>]) -> String {
    if let [only] = commits {
        return single(only);
    }
    let mut text = format!(
        "Revert {} commits {range_label}\n\nThis undoes, newest first, the commits on {branch} {range_label}:\n",
        commits.len()
    );
    for commit in commits {
        text.push('\n');
        text.push_str(&revert_subject(commit.subject));
        text.push('\n');
        text.push_str(&reverts_line(commit));
        text.push('\n');
    }
    text
}

/// The branch a revert goes on: `sextant/revert-<short>`, and `-2`, `-3`, ... after the first.
pub(super) fn branch_name(stem: &str, attempt: usize) -> String {
    if attempt <= 1 {
        format!("sextant/revert-{stem}")
    } else {
        format!("sextant/revert-{stem}-{attempt}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SHA: &str = "9f2c1e0a9f2c1e0a9f2c1e0a9f2c1e0a9f2c1e0a";

    #[test]
    fn single_follows_git() {
        let c = Reverted {
            sha: SHA,
            subject: "bump api to 1.4",
            mainline_parent: None,
        };
        assert_eq!(
            single(&c),
            format!("Revert \"bump api to 1.4\"\n\nThis reverts commit {SHA}.\n")
        );
    }

    #[test]
    fn revert_of_a_revert_is_a_reapply() {
        assert_eq!(revert_subject("Revert \"add worker\""), "Reapply \"add worker\"");
        assert_eq!(
            revert_subject("Revert \"Revert \"add worker\"\""),
            "Revert \"Revert \"Revert \"add worker\"\"\""
        );
    }

    #[test]
    fn merge_names_the_mainline() {
        let c = Reverted {
            sha: SHA,
            subject: "Merge branch 'x'",
            mainline_parent: Some("abc"),
        };
        assert!(single(&c).contains(&format!(
            "This reverts commit {SHA}, reversing\nchanges made to abc."
        )));
    }

    #[test]
    fn range_lists_every_commit() {
        let a = Reverted {
            sha: "a1",
            subject: "second",
            mainline_parent: None,
        };
        let b = Reverted {
            sha: "b2",
            subject: "first",
            mainline_parent: None,
        };
        let text = range("since 1234567", "main", &[a, b]);
        assert!(text.starts_with("Revert 2 commits since 1234567\n\n"), "{text}");
        assert!(
            text.contains("Revert \"second\"\nThis reverts commit a1.\n"),
            "{text}"
        );
        assert!(
            text.contains("Revert \"first\"\nThis reverts commit b2.\n"),
            "{text}"
        );
    }

    #[test]
    fn branch_names_count_up() {
        assert_eq!(branch_name("1a2b3c4", 1), "sextant/revert-1a2b3c4");
        assert_eq!(branch_name("since-1a2b3c4", 3), "sextant/revert-since-1a2b3c4-3");
    }
}
