//! What the TUI needs before it starts: the user config, the keymap, the theme and the repos.
//! Mistakes in the user's files stop here with a message naming the file and the entry.

use super::Launch;
use super::keymap::Keymap;
use crate::config::UserConfig;
use crate::logging::Dirs;
use crate::ui::theme::{Theme, ThemeError};
use color_eyre::eyre::{WrapErr, eyre};
use std::collections::BTreeMap;

/// Everything loaded at start.
pub struct Setup {
    pub repos: Vec<String>,
    pub keymap: Keymap,
    pub theme: Theme,
    /// The user's colour overrides, kept to re-apply on `:theme`.
    pub colors: BTreeMap<String, String>,
    pub no_color: bool,
    /// The user config, for the Git actions (forges, tokens, the gate's rules).
    pub user: UserConfig,
}

impl Setup {
    pub fn load(global: &Launch, dirs: &Dirs) -> color_eyre::Result<Setup> {
        let mut config = UserConfig::load(dirs)?;
        config.forges.extend(global.forges.clone());
        let path = UserConfig::path(dirs);
        let keymap = Keymap::load(&config.keymap).wrap_err_with(|| format!("in {}", path.display()))?;
        let no_color = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
        let name = global
            .theme
            .clone()
            .or(config.theme.clone())
            .unwrap_or_else(|| "dark".into());
        let theme = theme(&name, &config.colors, no_color)
            .map_err(|e| eyre!("{e} (set by --theme or `theme:` in {})", path.display()))?;
        let repos = if global.repos.is_empty() {
            vec![".".to_string()]
        } else {
            global.repos.clone()
        };
        Ok(Setup {
            repos,
            keymap,
            theme,
            colors: config.colors.clone(),
            no_color,
            user: config,
        })
    }
}

/// A built-in theme by name, or a theme file by path, with the user's colour overrides.
pub fn theme(name: &str, colors: &BTreeMap<String, String>, no_color: bool) -> Result<Theme, ThemeError> {
    if no_color {
        return Ok(Theme::no_color(name));
    }
    let mut theme = if crate::ui::theme::NAMES.contains(&name) {
        Theme::builtin(name)?
    } else if name.ends_with(".yaml") || name.ends_with(".yml") || name.contains('/') {
        let text = std::fs::read_to_string(name).map_err(|e| ThemeError::Parse {
            theme: name.to_string(),
            message: format!("cannot read the theme file: {e}"),
        })?;
        Theme::from_yaml(name, &text)?
    } else {
        return Err(ThemeError::Unknown(name.to_string()));
    };
    theme.apply_colors(colors)?;
    Ok(theme)
}
