//! The user's config file: mistakes in the keymap or theme stop the TUI before it starts,
//! with exit code 2 and one line naming the file, the entry and what is accepted.

use std::process::Command;

fn run_with_config(config: &str, args: &[&str]) -> (i32, String) {
    let home = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(home.path().join("config")).unwrap();
    std::fs::write(home.path().join("config/config.yaml"), config).unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_sextant"))
        .args(args)
        .env("SEXTANT_HOME", home.path())
        .current_dir(home.path())
        .output()
        .unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stderr).to_string(),
    )
}

#[test]
fn unknown_keymap_action_is_named() {
    let (code, err) = run_with_config("keymap:\n  quitt: [q]\n", &[]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("unknown action `quitt`"), "{err}");
    assert!(err.contains("config.yaml"), "{err}");
}

#[test]
fn bad_key_name_is_named() {
    let (code, err) = run_with_config("keymap:\n  help: [hyper-x]\n", &[]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("keymap.help") && err.contains("`hyper-x`"), "{err}");
}

#[test]
fn unknown_theme_and_colour_role_are_named() {
    let (code, err) = run_with_config("", &["--theme", "neon"]);
    assert_eq!(code, 2, "{err}");
    assert!(
        err.contains("unknown theme `neon`") && err.contains("high-contrast"),
        "{err}"
    );

    let (code, err) = run_with_config("colors:\n  addded: red\n", &[]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("unknown colour role `addded`"), "{err}");
}
