//! The one calendar: dates as whole UTC days counted from 1970-01-01 (proleptic Gregorian), and
//! their text forms. The Statistics filter, the audit log's date range, lists and exports all use
//! it, on the server and in the browser, so server-rendered and hydrated dates agree.

use super::DAY_MS;

const MONTHS: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];

/// A strict `YYYY-MM-DD` (what `<input type="date">` sends): four, two and two ASCII digits naming
/// a real date, as (year, month 1–12, day). `None` for anything else.
pub fn parse_ymd(text: &str) -> Option<(i64, u32, u32)> {
    let b = text.as_bytes();
    if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
        return None;
    }
    let digits = |r: std::ops::Range<usize>| -> Option<u32> {
        let s = &text[r];
        s.bytes()
            .all(|c| c.is_ascii_digit())
            .then(|| s.parse().ok())
            .flatten()
    };
    let (y, m, d) = (i64::from(digits(0..4)?), digits(5..7)?, digits(8..10)?);
    ((1..=12).contains(&m) && d >= 1 && d <= days_in_month(y, m)).then_some((y, m, d))
}

/// 28–31: the days of month `m` (1–12) of year `y`.
pub fn days_in_month(y: i64, m: u32) -> u32 {
    match m {
        2 if (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// The day number of a date: days since 1970-01-01.
pub fn days_from_civil(y: i64, m: u32, d: u32) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y.rem_euclid(400);
    let m = i64::from(m);
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + i64::from(d) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// (year, month 1–12, day) of a day number.
pub fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let month = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (yoe + era * 400 + i64::from(month <= 2), month, day)
}

/// The UTC day of a unix-milliseconds time.
pub fn day_of_ms(ms: i64) -> i64 {
    ms.div_euclid(DAY_MS)
}

/// `2026-03-01`: the date fields' and the URL's form.
pub fn iso_date(day: i64) -> String {
    let (y, m, d) = civil_from_days(day);
    format!("{y:04}-{m:02}-{d:02}")
}

/// "1 Mar 2026".
pub fn long_date(day: i64) -> String {
    let (y, m, d) = civil_from_days(day);
    format!("{d} {} {y}", MONTHS[(m - 1) as usize])
}

/// "1 Mar": the chart's axis labels.
pub fn short_date(day: i64) -> String {
    let (_, m, d) = civil_from_days(day);
    format!("{d} {}", MONTHS[(m - 1) as usize])
}

#[cfg(test)]
mod tests {
    use super::*;

    const MAR_1_2026: i64 = 20_513;

    #[test]
    fn dates_round_trip_between_text_and_day_numbers() {
        let cases: &[(&str, Option<i64>)] = &[
            ("1970-01-01", Some(0)),
            ("1969-12-31", Some(-1)),
            ("2026-03-01", Some(MAR_1_2026)),
            ("2024-02-29", Some(19_782)),
            ("2000-02-29", Some(11_016)),
            ("1900-02-29", None),
            ("2023-02-29", None),
            ("2026-13-01", None),
            ("2026-00-10", None),
            ("2026-04-31", None),
            ("2026-04-00", None),
            ("2026-3-1", None),
            ("01/03/2026", None),
            ("２０２６-03-01", None),
            ("2026-03-0x", None),
            ("+026-03-01", None),
            (" 2026-03-01", None),
            ("", None),
        ];
        for (text, day) in cases {
            let parsed = parse_ymd(text).map(|(y, m, d)| days_from_civil(y, m, d));
            assert_eq!(parsed, *day, "{text:?}");
            if let Some(day) = day {
                assert_eq!(&iso_date(*day), text);
            }
        }
        for day in [-719_468, -1, 0, 59, 60, 365, 11_016, 19_782, 2_932_896] {
            let (y, m, d) = civil_from_days(day);
            assert_eq!(days_from_civil(y, m, d), day, "{y}-{m}-{d}");
        }
    }

    #[test]
    fn dates_read_as_words_and_days_start_at_utc_midnight() {
        assert_eq!(long_date(MAR_1_2026), "1 Mar 2026");
        assert_eq!(short_date(MAR_1_2026 + 30), "31 Mar");
        assert_eq!(long_date(-1), "31 Dec 1969");
        assert_eq!(day_of_ms(MAR_1_2026 * DAY_MS), MAR_1_2026);
        assert_eq!(day_of_ms(MAR_1_2026 * DAY_MS + DAY_MS - 1), MAR_1_2026);
        assert_eq!(day_of_ms(-1), -1);
    }
}
