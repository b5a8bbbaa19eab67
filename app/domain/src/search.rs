//! What people type into a list's search box. Lists match it as a plain substring (LIKE's
//! wildcards taken literally); a search is a few words, so a pasted document is refused in words
//! rather than sent to the database (SQLite refuses LIKE patterns over 50,000 bytes).

/// The longest search any list takes; the search boxes' `maxlength`.
pub const SEARCH_MAX_CHARS: usize = 200;

/// The search as lists use it (trimmed), or why it cannot be one.
pub fn check(input: &str) -> Result<&str, String> {
    let text = input.trim();
    if text.chars().any(char::is_control) {
        return Err(
            "A search cannot contain control characters (such as a tab, a line break or NUL)."
                .to_owned(),
        );
    }
    let chars = text.chars().count();
    if chars > SEARCH_MAX_CHARS {
        return Err(format!(
            "A search can have at most {SEARCH_MAX_CHARS} characters; this one has {chars}. Search for a name, an email or a part of one."
        ));
    }
    Ok(text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_search_is_trimmed_and_one_too_long_is_refused_with_its_length() {
        assert_eq!(check("  ann  "), Ok("ann"));
        assert_eq!(check(&"é".repeat(SEARCH_MAX_CHARS)).map(str::len), Ok(400));
        let err = check(&"😀".repeat(13_000)).unwrap_err();
        assert!(
            err.contains("at most 200 characters; this one has 13000"),
            "{err}"
        );
        assert!(
            check("ann\u{0}")
                .unwrap_err()
                .contains("control characters")
        );
    }
}
