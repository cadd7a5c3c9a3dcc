//! Asking on the terminal before a write: one line read from stdin, the question on stderr so
//! that stdout stays the command's output.

use color_eyre::eyre::{WrapErr, eyre};
use std::io::{BufRead, IsTerminal, Write};

/// Print `question` on stderr and read one line from stdin.
pub fn ask(question: &str) -> color_eyre::Result<String> {
    eprint!("{question}");
    std::io::stderr().flush().ok();
    let mut line = String::new();
    std::io::stdin()
        .lock()
        .read_line(&mut line)
        .wrap_err("reading the answer")?;
    Ok(line.trim().to_string())
}

/// Whether to go on: `--yes`, else a `y` typed on the terminal. Without a terminal and without
/// `--yes`, an error that names what was not done (`what`: "revert", "push", ...).
pub fn confirm(question: &str, yes: bool, what: &str) -> color_eyre::Result<bool> {
    if yes {
        return Ok(true);
    }
    if !std::io::stdin().is_terminal() {
        return Err(eyre!(
            "refusing to {what} without confirmation: there is no terminal to ask on; pass --yes \
             (after checking the preview with --dry-run)"
        ));
    }
    Ok(ask(&format!("{question} [y/N] "))?.eq_ignore_ascii_case("y"))
}
