//! Option values as callers send them. A form-encoded call arrives as JSON whose numbers and
//! booleans are strings and whose lists may be objects keyed "0", "1", …; each type here reads
//! both, and says in words what it got when it cannot. `decode` names the option that failed.

use serde::{Deserialize, Deserializer, de::DeserializeOwned, de::Error as _};
use serde_json::Value;

use crate::{domain::TeamId, error::AppError};

/// Reads one option value, or says why it cannot: the end of a sentence "options.teams …".
pub trait Lenient: Sized {
    fn read(value: &Value) -> Result<Self, String>;
}

/// An action's options as `T`, or a 422 naming the option: `options.teams[1] must be a team id …`.
pub fn decode<T: DeserializeOwned>(options: &Value) -> Result<T, AppError> {
    serde_path_to_error::deserialize(options).map_err(|e| {
        let path = e.path().to_string();
        let field = path
            .split(['.', '['])
            .next()
            .unwrap_or_default()
            .to_string();
        let why = e.into_inner().to_string();
        // A list names the item itself: "[2] must be …".
        let space = if why.starts_with('[') { "" } else { " " };
        AppError::invalid(&field, format!("options.{path}{space}{why}"))
    })
}

/// `Deserialize` through `Lenient`, for the types of this module.
macro_rules! through_lenient {
    ($($ty:ty),+) => {$(
        impl<'de> Deserialize<'de> for $ty {
            fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                <$ty as Lenient>::read(&Value::deserialize(d)?).map_err(D::Error::custom)
            }
        }
    )+};
}

through_lenient!(Flag, Text, StrictText, Whole);

/// A yes or no: `true`/`false`, `1`/`0`, or (from a form) "1", "true", "yes", "on" and their opposites.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Flag(pub bool);

impl Lenient for Flag {
    fn read(value: &Value) -> Result<Self, String> {
        match value {
            Value::Null => Err("must be true or false, not null".into()),
            Value::Bool(b) => Ok(Flag(*b)),
            Value::Number(n) if n.as_i64() == Some(0) => Ok(Flag(false)),
            Value::Number(n) if n.as_i64() == Some(1) => Ok(Flag(true)),
            Value::String(s) => match s.trim().to_ascii_lowercase().as_str() {
                "1" | "true" | "yes" | "on" => Ok(Flag(true)),
                "0" | "false" | "no" | "off" | "" => Ok(Flag(false)),
                _ => Err(format!("must be true or false, not {s:?}")),
            },
            other => Err(format!("must be true or false, not {other}")),
        }
    }
}

/// A text field of a learner or a filter: a string, or a number written as one; anything else
/// reads as empty (and is then refused by the rule for that field, with the address named).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Text(pub String);

impl Lenient for Text {
    fn read(value: &Value) -> Result<Self, String> {
        Ok(Text(match value {
            Value::String(s) => s.clone(),
            Value::Number(n) => n.to_string(),
            _ => String::new(),
        }))
    }
}

/// Text and nothing else (null is the option left out).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StrictText(pub String);

impl Lenient for StrictText {
    fn read(value: &Value) -> Result<Self, String> {
        match value {
            Value::String(s) => Ok(StrictText(s.clone())),
            other => Err(format!("must be text, not {other}")),
        }
    }
}

/// A whole number, or a string of one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Whole(pub i64);

fn whole(value: &Value) -> Option<i64> {
    match value {
        Value::Number(n) => n.as_i64(),
        Value::String(s) => s.trim().parse().ok(),
        _ => None,
    }
}

impl Lenient for Whole {
    fn read(value: &Value) -> Result<Self, String> {
        whole(value)
            .map(Whole)
            .ok_or_else(|| format!("must be a whole number, not {value}"))
    }
}

impl Lenient for TeamId {
    fn read(value: &Value) -> Result<Self, String> {
        whole(value)
            .map(TeamId::new)
            .ok_or_else(|| format!("must be a team id (a number), not {value}"))
    }
}

/// A list: a JSON array, or (from a form) an object keyed "0", "1", …, or a single value; "" is
/// the empty list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Items<T>(pub Vec<T>);

impl<T> Default for Items<T> {
    fn default() -> Self {
        Items(Vec::new())
    }
}

impl<T: Lenient> Lenient for Items<T> {
    fn read(value: &Value) -> Result<Self, String> {
        let values: Vec<&Value> = match value {
            Value::Null => Vec::new(),
            Value::Array(items) => items.iter().collect(),
            Value::Object(map) if map.keys().all(|k| k.parse::<usize>().is_ok()) => {
                let mut keyed: Vec<(usize, &Value)> = map
                    .iter()
                    .filter_map(|(k, v)| Some((k.parse().ok()?, v)))
                    .collect();
                keyed.sort_by_key(|(k, _)| *k);
                keyed.into_iter().map(|(_, v)| v).collect()
            }
            Value::String(s) if s.is_empty() => Vec::new(),
            v @ (Value::String(_) | Value::Number(_)) => vec![v],
            _ => return Err("must be an array".into()),
        };
        values
            .into_iter()
            .enumerate()
            .map(|(i, v)| T::read(v).map_err(|why| format!("[{i}] {why}")))
            .collect::<Result<_, _>>()
            .map(Items)
    }
}

impl<'de, T: Lenient> Deserialize<'de> for Items<T> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        Self::read(&Value::deserialize(d)?).map_err(D::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[derive(Debug, Deserialize)]
    struct Options {
        #[serde(default)]
        teams: Items<TeamId>,
        #[serde(default)]
        send_email: Option<Flag>,
    }

    #[test]
    fn a_form_s_strings_read_as_numbers_and_booleans() {
        let o: Options =
            decode(&json!({"teams": {"1": "14", "0": "12"}, "send_email": "0"})).unwrap();
        assert_eq!(o.teams.0, [TeamId::new(12), TeamId::new(14)]);
        assert_eq!(o.send_email, Some(Flag(false)));
        let o: Options = decode(&json!({"teams": 12, "send_email": "yes"})).unwrap();
        assert_eq!(o.teams.0, [TeamId::new(12)]);
        assert_eq!(o.send_email, Some(Flag(true)));
    }

    #[test]
    fn a_value_that_cannot_be_read_names_its_option_and_what_it_was() {
        let e = decode::<Options>(&json!({"teams": [12, "x"]})).unwrap_err();
        assert_eq!(
            e,
            AppError::invalid(
                "teams",
                "options.teams[1] must be a team id (a number), not \"x\""
            )
        );
        let e = decode::<Options>(&json!({"send_email": "maybe"})).unwrap_err();
        assert_eq!(
            e,
            AppError::invalid(
                "send_email",
                "options.send_email must be true or false, not \"maybe\""
            )
        );
        let e = decode::<Options>(&json!({"teams": true})).unwrap_err();
        assert_eq!(
            e,
            AppError::invalid("teams", "options.teams must be an array")
        );
    }

    #[test]
    fn text_takes_numbers_and_reads_anything_else_as_empty() {
        assert_eq!(Text::read(&json!(42)).unwrap().0, "42");
        assert_eq!(Text::read(&json!({"a": 1})).unwrap().0, "");
        assert!(StrictText::read(&json!(42)).is_err());
        assert_eq!(Whole::read(&json!(" 7 ")).unwrap(), Whole(7));
    }
}
