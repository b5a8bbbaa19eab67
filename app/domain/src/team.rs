//! A team's name and colour, as an admin types and picks them (the Teams section, the API).

use std::fmt;

use serde::{Deserialize, Serialize};

use super::{names::tidy, quoted};

pub const TEAM_NAME_MAX_LEN: usize = 60;

/// "Add learners" offers at most this many matches at a time; typing narrows them.
pub const CANDIDATES_SHOWN: i64 = 20;

/// A team's name: 1–60 characters, tidied like every name. Unique per academy regardless of case —
/// the database enforces that, this type only the shape.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct TeamName(String);

impl TeamName {
    pub fn parse(input: &str) -> Result<TeamName, String> {
        let name = tidy(input)?;
        let len = name.chars().count();
        if len == 0 {
            return Err("Enter a name for the team".to_owned());
        }
        if len > TEAM_NAME_MAX_LEN {
            return Err(format!(
                "{} is too long: a team name can have at most {TEAM_NAME_MAX_LEN} characters",
                quoted(&name)
            ));
        }
        Ok(TeamName(name))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for TeamName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl TryFrom<String> for TeamName {
    type Error = String;

    fn try_from(value: String) -> Result<Self, Self::Error> {
        TeamName::parse(&value)
    }
}

impl From<TeamName> for String {
    fn from(value: TeamName) -> String {
        value.0
    }
}

/// The colours a team can have: each dark enough for white text on the badge (contrast ≥ 4.5:1) and
/// named, so the picker can be read aloud.
pub const TEAM_COLORS: [(&str, &str); 10] = [
    ("#0b6e99", "Blue"),
    ("#0f7b6c", "Teal"),
    ("#2e7d32", "Green"),
    ("#8a6100", "Ochre"),
    ("#b3461d", "Orange"),
    ("#c62828", "Red"),
    ("#ad1457", "Pink"),
    ("#6a3fa0", "Purple"),
    ("#3949ab", "Indigo"),
    ("#546e7a", "Slate"),
];

pub const DEFAULT_TEAM_COLOR: &str = TEAM_COLORS[0].0;

/// A team's colour: one of `TEAM_COLORS`, stored as lower-case `#rrggbb`.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct TeamColor(String);

impl TeamColor {
    /// Accepts a palette colour as `#rrggbb` (any case, surrounding spaces) or by its name.
    pub fn parse(input: &str) -> Result<TeamColor, String> {
        let key = input.trim().to_ascii_lowercase();
        TEAM_COLORS
            .iter()
            .find(|(hex, name)| *hex == key || name.eq_ignore_ascii_case(&key))
            .map(|(hex, _)| TeamColor((*hex).to_owned()))
            .ok_or_else(|| {
                format!(
                    "{} is not one of the team colours; choose one of: {}",
                    quoted(input.trim()),
                    TEAM_COLORS
                        .iter()
                        .map(|(_, n)| *n)
                        .collect::<Vec<_>>()
                        .join(", ")
                )
            })
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The colour's name ("Blue"); a colour stored before the palette changed is named by its code.
    pub fn label_of(hex: &str) -> &str {
        TEAM_COLORS
            .iter()
            .find(|(h, _)| h.eq_ignore_ascii_case(hex))
            .map(|(_, n)| *n)
            .unwrap_or(hex)
    }
}

impl Default for TeamColor {
    fn default() -> Self {
        TeamColor(DEFAULT_TEAM_COLOR.to_owned())
    }
}

impl TryFrom<String> for TeamColor {
    type Error = String;

    fn try_from(value: String) -> Result<Self, Self::Error> {
        TeamColor::parse(&value)
    }
}

impl From<TeamColor> for String {
    fn from(value: TeamColor) -> String {
        value.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_team_name_of_a_zero_width_space_is_refused() {
        let err = TeamName::parse("\u{200b}").unwrap_err();
        assert!(err.contains("only invisible characters"), "{err}");
    }

    #[test]
    fn team_names_are_tidied_and_bounded() {
        assert_eq!(
            TeamName::parse("  Sales \t EMEA ").unwrap().as_str(),
            "Sales EMEA"
        );
        assert_eq!(
            TeamName::parse("").unwrap_err(),
            "Enter a name for the team"
        );
        assert_eq!(
            TeamName::parse("   ").unwrap_err(),
            "Enter a name for the team"
        );
        let long = "x".repeat(TEAM_NAME_MAX_LEN + 1);
        assert!(
            TeamName::parse(&long)
                .unwrap_err()
                .contains("at most 60 characters")
        );
        assert!(TeamName::parse(&"é".repeat(TEAM_NAME_MAX_LEN)).is_ok());
        assert!(
            TeamName::parse("Sales\u{202E}")
                .unwrap_err()
                .contains("invisible control character")
        );
    }

    #[test]
    fn team_colours_come_from_the_palette_by_code_or_name() {
        assert_eq!(TeamColor::parse(" #0B6E99 ").unwrap().as_str(), "#0b6e99");
        assert_eq!(TeamColor::parse("purple").unwrap().as_str(), "#6a3fa0");
        let err = TeamColor::parse("#ffffff").unwrap_err();
        assert!(
            err.contains("\"#ffffff\" is not one of the team colours"),
            "{err}"
        );
        assert!(err.contains("Blue, Teal"), "{err}");
        assert!(TeamColor::parse("red; background:url(x)").is_err());
        assert_eq!(TeamColor::default().as_str(), DEFAULT_TEAM_COLOR);
        assert_eq!(TeamColor::label_of("#C62828"), "Red");
        assert_eq!(TeamColor::label_of("#123456"), "#123456");
    }

    #[test]
    fn the_palette_has_distinct_colours_and_names() {
        let mut hexes: Vec<_> = TEAM_COLORS.iter().map(|c| c.0).collect();
        let mut names: Vec<_> = TEAM_COLORS.iter().map(|c| c.1).collect();
        hexes.sort_unstable();
        hexes.dedup();
        names.sort_unstable();
        names.dedup();
        assert_eq!(hexes.len(), TEAM_COLORS.len());
        assert_eq!(names.len(), TEAM_COLORS.len());
        assert!(hexes.iter().all(|h| h.len() == 7 && h.starts_with('#')));
    }

    /// WCAG relative luminance of `#rrggbb`.
    fn luminance(hex: &str) -> f64 {
        let channel = |i: usize| {
            let c = f64::from(u8::from_str_radix(&hex[i..i + 2], 16).unwrap()) / 255.0;
            if c <= 0.03928 {
                c / 12.92
            } else {
                ((c + 0.055) / 1.055).powf(2.4)
            }
        };
        0.2126 * channel(1) + 0.7152 * channel(3) + 0.0722 * channel(5)
    }

    #[test]
    fn white_text_is_readable_on_every_team_colour() {
        for (hex, name) in TEAM_COLORS {
            let contrast = 1.05 / (luminance(hex) + 0.05);
            assert!(contrast >= 4.5, "{name} {hex}: contrast {contrast:.2}");
        }
    }
}
