//! An API client (OAuth application) as an admin registers it: its name and optional callback URI.

use super::{names::tidy, quoted};

pub const CLIENT_NAME_MAX_LEN: usize = 80;
pub const CALLBACK_URI_MAX_LEN: usize = 2000;
/// How long a bearer token from `/oauth/token` lives: 7 days, as in the reference product.
pub const TOKEN_TTL_SECS: i64 = 604_800;

/// The application's name: 1–80 characters, tidied like every name.
pub fn parse_name(input: &str) -> Result<String, String> {
    let name = tidy(input)?;
    let len = name.chars().count();
    if len == 0 {
        return Err("Enter a name for the application, e.g. \"HR system\"".to_owned());
    }
    if len > CLIENT_NAME_MAX_LEN {
        return Err(format!(
            "{} is too long: an application name can have at most {CLIENT_NAME_MAX_LEN} characters",
            quoted(&name)
        ));
    }
    Ok(name)
}

/// The optional callback URI: empty, or an absolute `http(s)` URL without spaces.
pub fn parse_callback_uri(input: &str) -> Result<Option<String>, String> {
    let uri = input.trim();
    if uri.is_empty() {
        return Ok(None);
    }
    if uri.chars().count() > CALLBACK_URI_MAX_LEN {
        return Err(format!(
            "The callback URI is too long: at most {CALLBACK_URI_MAX_LEN} characters"
        ));
    }
    let rest = uri
        .strip_prefix("https://")
        .or_else(|| uri.strip_prefix("http://"));
    match rest {
        Some(rest)
            if !rest.is_empty()
                && !rest.starts_with('/')
                && !uri.chars().any(|c| c.is_whitespace() || c.is_control()) =>
        {
            Ok(Some(uri.to_owned()))
        }
        _ => Err(format!(
            "{} is not a web address: a callback URI starts with https:// (or http://) and has no spaces",
            quoted(uri)
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_tidied_and_bounded() {
        assert_eq!(parse_name("  HR   system ").unwrap(), "HR system");
        assert!(parse_name("   ").unwrap_err().contains("Enter a name"));
        assert!(
            parse_name(&"x".repeat(81))
                .unwrap_err()
                .contains("at most 80")
        );
    }

    #[test]
    fn callback_uris_are_optional_absolute_web_addresses() {
        assert_eq!(parse_callback_uri(" ").unwrap(), None);
        assert_eq!(
            parse_callback_uri("https://hr.example.com/cb")
                .unwrap()
                .as_deref(),
            Some("https://hr.example.com/cb")
        );
        for bad in [
            "ftp://x",
            "https://",
            "hr.example.com",
            "https://a b",
            "javascript:alert(1)",
        ] {
            assert!(parse_callback_uri(bad).is_err(), "{bad}");
        }
    }
}
