//! Themes as data: the built-in `themes/*.yaml` (a UI palette plus a syntect theme name),
//! single-colour overrides from the user, and `NO_COLOR`. Every colour on screen comes from
//! here; widgets ask for a role (`selected()`, `added()`, ...) and get a `Style`.

use super::theme_syntax::Syntax;
use ratatui::style::{Color, Modifier, Style};
use serde::Deserialize;
use std::collections::BTreeMap;
use std::str::FromStr;
use std::sync::Arc;

/// The built-in theme names.
pub const NAMES: &[&str] = &["dark", "light", "high-contrast", "colorblind"];

fn builtin(name: &str) -> Option<&'static str> {
    Some(match name {
        "dark" => include_str!("../../themes/dark.yaml"),
        "light" => include_str!("../../themes/light.yaml"),
        "high-contrast" => include_str!("../../themes/high-contrast.yaml"),
        "colorblind" => include_str!("../../themes/colorblind.yaml"),
        _ => return None,
    })
}

macro_rules! palette {
    ($($field:ident),* $(,)?) => {
        /// The UI colours of a theme, by role.
        #[derive(Debug, Clone, PartialEq)]
        pub struct Palette { $(pub $field: Color,)* }

        impl Palette {
            const NAMES: &'static [&'static str] = &[$(stringify!($field),)*];

            fn set(&mut self, name: &str, color: Color) -> bool {
                match name {
                    $(stringify!($field) => self.$field = color,)*
                    _ => return false,
                }
                true
            }
        }

        impl Default for Palette {
            fn default() -> Self { Palette { $($field: Color::Reset,)* } }
        }
    };
}

palette!(
    text,
    muted,
    border,
    focus,
    title,
    selection_fg,
    selection_bg,
    accent,
    key,
    added,
    removed,
    added_bg,
    removed_bg,
    added_emph_bg,
    removed_emph_bg,
    hunk,
    error,
    warning,
    ok,
    status_fg,
    status_bg,
);

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ThemeFile {
    syntax: Option<String>,
    #[serde(default)]
    colors: BTreeMap<String, String>,
}

/// A theme that could not be built; the message says which theme and which colour.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ThemeError {
    #[error(
        "unknown theme `{0}` (built-in themes: dark, light, high-contrast, colorblind; or a path to a .yaml file)"
    )]
    Unknown(String),
    #[error("theme {theme}: {message}")]
    Parse { theme: String, message: String },
    #[error(
        "theme {theme}: unknown colour role `{role}` (roles: {roles})",
        roles = Palette::NAMES.join(", ")
    )]
    UnknownRole { theme: String, role: String },
    #[error("theme {theme}: `{role}: {value}` is not a colour (use a name, #rrggbb, 0-255 or reset)")]
    BadColor {
        theme: String,
        role: String,
        value: String,
    },
}

/// A loaded theme: palette, syntax highlighter, and whether colour is off.
#[derive(Debug, Clone)]
pub struct Theme {
    pub name: String,
    pub palette: Palette,
    /// `NO_COLOR`: styles carry modifiers only.
    pub no_color: bool,
    pub syntax: Option<Arc<Syntax>>,
}

impl Theme {
    /// A built-in theme by name.
    pub fn builtin(name: &str) -> Result<Theme, ThemeError> {
        let text = builtin(name).ok_or_else(|| ThemeError::Unknown(name.to_string()))?;
        Self::from_yaml(name, text)
    }

    /// A theme from the text of a theme file.
    pub fn from_yaml(name: &str, text: &str) -> Result<Theme, ThemeError> {
        let file: ThemeFile = crate::yaml::from_str(text).map_err(|e| ThemeError::Parse {
            theme: name.to_string(),
            message: e.to_string(),
        })?;
        let mut theme = Theme {
            name: name.to_string(),
            palette: Palette::default(),
            no_color: false,
            syntax: None,
        };
        theme.apply_colors(&file.colors)?;
        theme.syntax = Some(Arc::new(Syntax::new(file.syntax.as_deref())));
        Ok(theme)
    }

    /// A theme without any colour, for `NO_COLOR` and tests.
    pub fn no_color(name: &str) -> Theme {
        Theme {
            name: name.to_string(),
            palette: Palette::default(),
            no_color: true,
            syntax: None,
        }
    }

    /// Override single colours by role, e.g. `added: "#00ff00"`.
    pub fn apply_colors(&mut self, colors: &BTreeMap<String, String>) -> Result<(), ThemeError> {
        for (role, value) in colors {
            let color = Color::from_str(value).map_err(|_| ThemeError::BadColor {
                theme: self.name.clone(),
                role: role.clone(),
                value: value.clone(),
            })?;
            if !self.palette.set(role, color) {
                return Err(ThemeError::UnknownRole {
                    theme: self.name.clone(),
                    role: role.clone(),
                });
            }
        }
        Ok(())
    }

    fn fg(&self, color: Color) -> Style {
        if self.no_color {
            Style::new()
        } else {
            Style::new().fg(color)
        }
    }

    pub fn text(&self) -> Style {
        self.fg(self.palette.text)
    }
    pub fn muted(&self) -> Style {
        if self.no_color {
            Style::new().add_modifier(Modifier::DIM)
        } else {
            self.fg(self.palette.muted)
        }
    }
    pub fn border(&self, focused: bool) -> Style {
        match (focused, self.no_color) {
            (true, true) => Style::new().add_modifier(Modifier::BOLD),
            (true, false) => self.fg(self.palette.focus),
            (false, _) => self.fg(self.palette.border),
        }
    }
    pub fn title(&self) -> Style {
        self.fg(self.palette.title).add_modifier(Modifier::BOLD)
    }
    pub fn selected(&self) -> Style {
        if self.no_color {
            Style::new().add_modifier(Modifier::REVERSED)
        } else {
            Style::new()
                .fg(self.palette.selection_fg)
                .bg(self.palette.selection_bg)
        }
    }
    /// The selection of a list that does not have the focus.
    pub fn selected_unfocused(&self) -> Style {
        if self.no_color {
            Style::new().add_modifier(Modifier::UNDERLINED)
        } else {
            Style::new()
                .bg(self.palette.status_bg)
                .add_modifier(Modifier::BOLD)
        }
    }
    pub fn accent(&self) -> Style {
        self.fg(self.palette.accent)
    }
    pub fn key(&self) -> Style {
        self.fg(self.palette.key).add_modifier(Modifier::BOLD)
    }
    pub fn added(&self) -> Style {
        self.fg(self.palette.added)
    }
    pub fn removed(&self) -> Style {
        self.fg(self.palette.removed)
    }
    /// Background of a whole added / removed diff line.
    pub fn added_line(&self) -> Style {
        if self.no_color {
            Style::new()
        } else {
            Style::new().bg(self.palette.added_bg)
        }
    }
    pub fn removed_line(&self) -> Style {
        if self.no_color {
            Style::new()
        } else {
            Style::new().bg(self.palette.removed_bg)
        }
    }
    /// Changed words inside an added / removed line.
    pub fn added_emph(&self) -> Style {
        let s = Style::new().add_modifier(Modifier::BOLD);
        if self.no_color {
            s.add_modifier(Modifier::UNDERLINED)
        } else {
            s.bg(self.palette.added_emph_bg)
        }
    }
    pub fn removed_emph(&self) -> Style {
        let s = Style::new().add_modifier(Modifier::BOLD);
        if self.no_color {
            s.add_modifier(Modifier::UNDERLINED)
        } else {
            s.bg(self.palette.removed_emph_bg)
        }
    }
    pub fn hunk(&self) -> Style {
        self.fg(self.palette.hunk).add_modifier(Modifier::ITALIC)
    }
    pub fn error(&self) -> Style {
        self.fg(self.palette.error).add_modifier(Modifier::BOLD)
    }
    pub fn warning(&self) -> Style {
        self.fg(self.palette.warning)
    }
    pub fn ok(&self) -> Style {
        self.fg(self.palette.ok)
    }
    pub fn status(&self) -> Style {
        if self.no_color {
            Style::new()
        } else {
            Style::new().fg(self.palette.status_fg).bg(self.palette.status_bg)
        }
    }
    /// Whether syntax colours should be drawn.
    pub fn highlighting(&self) -> Option<&Syntax> {
        if self.no_color {
            None
        } else {
            self.syntax.as_deref()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_builtin_theme_loads_with_every_role() {
        for name in NAMES {
            let text = builtin(name).unwrap();
            let file: ThemeFile = crate::yaml::from_str(text).unwrap();
            for role in Palette::NAMES {
                assert!(file.colors.contains_key(*role), "{name} lacks {role}");
            }
            let theme = Theme::builtin(name).unwrap();
            assert_ne!(theme.palette.added, theme.palette.removed);
        }
    }

    #[test]
    fn overrides_and_mistakes() {
        let mut t = Theme::builtin("dark").unwrap();
        let mut o = BTreeMap::new();
        o.insert("added".to_string(), "#00ff00".to_string());
        t.apply_colors(&o).unwrap();
        assert_eq!(t.palette.added, Color::Rgb(0, 255, 0));
        o.insert("addded".to_string(), "red".to_string());
        let err = t.apply_colors(&o).unwrap_err().to_string();
        assert!(err.contains("unknown colour role `addded`"), "{err}");
        let mut o = BTreeMap::new();
        o.insert("added".to_string(), "greenish".to_string());
        assert!(
            t.apply_colors(&o)
                .unwrap_err()
                .to_string()
                .contains("`added: greenish` is not a colour")
        );
        assert!(
            Theme::builtin("neon")
                .unwrap_err()
                .to_string()
                .contains("unknown theme `neon`")
        );
    }

    #[test]
    fn no_color_has_no_colours() {
        let t = Theme::no_color("dark");
        for s in [
            t.selected(),
            t.added(),
            t.removed_emph(),
            t.status(),
            t.border(true),
        ] {
            assert_eq!((s.fg, s.bg), (None, None));
        }
        assert!(t.selected().add_modifier.contains(Modifier::REVERSED));
    }
}
