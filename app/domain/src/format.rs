//! Formatting shared by server and browser, so server-rendered and hydrated text are identical.

use crate::calendar::{civil_from_days, day_of_ms, long_date};

/// The first letter or digit of a title (a course card's mark); "•" when there is none. As
/// written: the stylesheet shows it in capitals (`text-transform`), which spares the browser's
/// WASM Rust's upper-casing tables (13.6 KB of data, measured; nothing else there upper-cases).
pub fn initial(title: &str) -> String {
    title
        .chars()
        .find(|c| c.is_alphanumeric())
        .map(String::from)
        .unwrap_or_else(|| "•".into())
}

/// An invitation's expiry as lists show it: the date, or "Never" for a link that never expires.
pub fn expiry(ms: i64) -> String {
    if ms >= crate::invite::NEVER_EXPIRES {
        "Never".into()
    } else {
        date(ms)
    }
}

/// "28 Nov 2026" (UTC) from unix milliseconds.
pub fn date(ms: i64) -> String {
    long_date(day_of_ms(ms))
}

/// "28 Nov 2026, 14:05 UTC" from unix milliseconds.
pub fn date_time(ms: i64) -> String {
    let secs = ms.div_euclid(1000).rem_euclid(86_400);
    format!(
        "{}, {:02}:{:02} UTC",
        date(ms),
        secs / 3600,
        (secs % 3600) / 60
    )
}

/// "2026-11-28 14:05" (UTC) from unix milliseconds: a time spreadsheets read as one (exports).
pub fn spreadsheet_time(ms: i64) -> String {
    let (y, m, d) = civil_from_days(day_of_ms(ms));
    let secs = ms.div_euclid(1000).rem_euclid(86_400);
    format!(
        "{y}-{m:02}-{d:02} {:02}:{:02}",
        secs / 3600,
        (secs % 3600) / 60
    )
}

/// "1 problem", "2 problems", "1,234 rows": a count with its noun, singular for exactly one.
/// Every count shown with a noun goes through here (or through `noun` when the number is set
/// apart), so no screen says "1 problems".
pub fn count(n: i64, one: &str, many: &str) -> String {
    format!("{} {}", crate::statistics::thousands(n), noun(n, one, many))
}

/// The noun for `n` things: `one` for exactly one, else `many`.
pub fn noun<'a>(n: i64, one: &'a str, many: &'a str) -> &'a str {
    if n == 1 { one } else { many }
}

/// A query value percent-encoded: everything but letters, digits and `-_.~`.
pub fn query_value(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for b in text.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                out.push(b as char)
            }
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spreadsheet_times_are_year_first_in_utc() {
        assert_eq!(
            spreadsheet_time(1_796_083_200_000 + 50_700_000),
            "2026-12-01 14:05"
        );
        assert_eq!(spreadsheet_time(0), "1970-01-01 00:00");
    }

    #[test]
    fn one_thing_is_singular_and_other_counts_are_plural_and_grouped() {
        assert_eq!(count(1, "problem", "problems"), "1 problem");
        assert_eq!(count(0, "problem", "problems"), "0 problems");
        assert_eq!(count(1234, "row", "rows"), "1,234 rows");
        assert_eq!(noun(1, "duplicate", "duplicates"), "duplicate");
        assert_eq!(noun(2, "duplicate", "duplicates"), "duplicates");
    }

    #[test]
    fn query_values_keep_only_unreserved_characters() {
        assert_eq!(query_value("a b&c=d/é~"), "a%20b%26c%3Dd%2F%C3%A9~");
    }

    #[test]
    fn the_card_mark_is_the_first_letter_or_digit() {
        assert_eq!(initial("safety basics"), "s");
        assert_eq!(initial("  «über» uns"), "ü");
        assert_eq!(initial("2026 kick-off"), "2");
        assert_eq!(initial("—"), "•");
    }

    #[test]
    fn dates_are_written_day_month_year_in_utc() {
        assert_eq!(date(0), "1 Jan 1970");
        assert_eq!(date(1_796_083_200_000), "1 Dec 2026");
        assert_eq!(date(951_782_400_000), "29 Feb 2000");
        assert_eq!(
            date_time(1_796_083_200_000 + 14 * 3_600_000 + 5 * 60_000),
            "1 Dec 2026, 14:05 UTC"
        );
    }
}
