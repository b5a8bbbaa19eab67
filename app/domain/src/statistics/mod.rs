//! The Statistics page's rules: its filter (team, date range) as the URL carries it, the funnel's
//! percentages, durations in words (`funnel`), and the sign-ups chart's scale, ticks, bars and
//! labels (`chart`). Days are whole UTC days counted from 1970-01-01 (`domain::calendar`), so the
//! server's SQL buckets and the browser's chart agree.

use serde::{Deserialize, Serialize};

pub use super::DAY_MS;
use super::calendar::{self, iso_date, long_date};
use crate::TeamId;

pub mod chart;
pub mod funnel;

pub use chart::{
    Bar, CHART, DayCount, Frame, MAX_INTERVALS, MAX_LABELS, Scale, bars, chart_summary,
    date_labels, fill_days, label_every,
};
pub use funnel::{Funnel, SOURCES, duration_words, percent, share, source_label, thousands};

/// The range shown when the URL names none: the last 30 days, today included.
pub const DEFAULT_DAYS: i64 = 30;
/// The longest range: a year (a leap year's 366 days), one bar a day.
pub const MAX_DAYS: i64 = 366;

/// The filters as they travel in the URL (`?team=&from=&to=`) and to the server: raw text, parsed
/// by [`parse_filter`] on the server, so a shared link with a typo gets a clear error.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct StatisticsFilter {
    /// A team id, or empty for all teams.
    #[serde(default)]
    pub team: String,
    /// `YYYY-MM-DD`, or empty for 29 days before `to`.
    #[serde(default)]
    pub from: String,
    /// `YYYY-MM-DD`, or empty for today (UTC).
    #[serde(default)]
    pub to: String,
}

impl StatisticsFilter {
    /// `?team=3&from=2026-03-01&to=2026-03-30` (empty parts left out; `""` when all are empty).
    pub fn query_string(&self) -> String {
        let parts: Vec<String> = [("team", &self.team), ("from", &self.from), ("to", &self.to)]
            .into_iter()
            .filter(|(_, v)| !v.trim().is_empty())
            .map(|(k, v)| format!("{k}={}", crate::format::query_value(v.trim())))
            .collect();
        if parts.is_empty() {
            String::new()
        } else {
            format!("?{}", parts.join("&"))
        }
    }
}

/// A range of whole UTC days, both ends included.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct DateRange {
    pub from_day: i64,
    pub to_day: i64,
}

impl DateRange {
    /// The last `days` days up to and including `today`.
    pub fn last_days(today: i64, days: i64) -> DateRange {
        DateRange {
            from_day: today - (days - 1),
            to_day: today,
        }
    }

    pub fn days(self) -> i64 {
        self.to_day - self.from_day + 1
    }

    /// The first millisecond of the range.
    pub fn start_ms(self) -> i64 {
        self.from_day * DAY_MS
    }

    /// The first millisecond after the range.
    pub fn end_ms(self) -> i64 {
        (self.to_day + 1) * DAY_MS
    }

    /// "1 Mar 2026 – 30 Mar 2026", or one date for a one-day range.
    pub fn label(self) -> String {
        if self.from_day == self.to_day {
            long_date(self.from_day)
        } else {
            format!("{} – {}", long_date(self.from_day), long_date(self.to_day))
        }
    }
}

/// The filter, checked: a team (or all) and a date range.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ParsedFilter {
    pub team_id: Option<TeamId>,
    pub range: DateRange,
}

/// Checks the filter against `today` (a UTC day number). Every wrong field is named, with the reason.
pub fn parse_filter(
    filter: &StatisticsFilter,
    today: i64,
) -> Result<ParsedFilter, Vec<(&'static str, String)>> {
    let mut errors = Vec::new();
    let team_id = match parse_team(&filter.team) {
        Ok(t) => t,
        Err(e) => {
            errors.push(("team", e));
            None
        }
    };
    match parse_range(&filter.from, &filter.to, today) {
        Ok(range) if errors.is_empty() => Ok(ParsedFilter { team_id, range }),
        Ok(_) => Err(errors),
        Err(mut e) => {
            errors.append(&mut e);
            Err(errors)
        }
    }
}

/// `""` → all teams; a team id → that team.
pub fn parse_team(text: &str) -> Result<Option<TeamId>, String> {
    let text = text.trim();
    if text.is_empty() || text == "all" {
        return Ok(None);
    }
    match text.parse::<TeamId>() {
        Ok(id) if id.get() > 0 => Ok(Some(id)),
        _ => Err(format!(
            "Team: {} is not a team. Choose a team from the list, or \"All teams\".",
            super::quoted(text)
        )),
    }
}

/// The date range from the two date fields. An empty `to` is today; an empty `from` is
/// [`DEFAULT_DAYS`] − 1 days before `to`.
pub fn parse_range(
    from: &str,
    to: &str,
    today: i64,
) -> Result<DateRange, Vec<(&'static str, String)>> {
    let field = |name: &'static str,
                 label: &str,
                 text: &str|
     -> Result<Option<i64>, (&'static str, String)> {
        let text = text.trim();
        if text.is_empty() {
            return Ok(None);
        }
        parse_date(text).map(Some).ok_or_else(|| {
            (
                name,
                format!(
                    "{label}: {} is not a date. Use the form YYYY-MM-DD, for example {}.",
                    super::quoted(text),
                    iso_date(today)
                ),
            )
        })
    };
    let (from_day, to_day) = match (field("from", "From", from), field("to", "To", to)) {
        (Ok(f), Ok(t)) => (f, t),
        (f, t) => return Err([f.err(), t.err()].into_iter().flatten().collect()),
    };
    let to_day = to_day.unwrap_or(today);
    let from_day = from_day.unwrap_or(to_day - (DEFAULT_DAYS - 1));
    let range = DateRange { from_day, to_day };
    if from_day > to_day {
        return Err(vec![(
            "from",
            format!(
                "From ({}) is after To ({}). Choose a start date on or before the end date.",
                long_date(from_day),
                long_date(to_day)
            ),
        )]);
    }
    if range.days() > MAX_DAYS {
        return Err(vec![(
            "to",
            format!(
                "To: the range is {} days long; choose at most {MAX_DAYS} days (one bar a day).",
                range.days()
            ),
        )]);
    }
    Ok(range)
}

/// A strict `YYYY-MM-DD` from 1970 on as a UTC day number; `None` when it is not a real date.
pub fn parse_date(text: &str) -> Option<i64> {
    let (y, m, d) = calendar::parse_ymd(text)?;
    (y >= 1970).then(|| calendar::days_from_civil(y, m, d))
}

#[cfg(test)]
mod tests {
    use super::*;

    const MAR_1_2026: i64 = 20_513;

    #[test]
    fn filter_dates_are_strict_iso_days_from_1970_on() {
        assert_eq!(parse_date("1970-01-01"), Some(0));
        assert_eq!(parse_date("2026-03-01"), Some(MAR_1_2026));
        assert_eq!(parse_date("1969-12-31"), None);
        assert_eq!(parse_date("2026-02-29"), None);
        assert_eq!(parse_date("2026-3-1"), None);
        assert_eq!(parse_date(""), None);
    }

    #[test]
    fn the_range_defaults_to_the_last_30_days_and_includes_both_ends() {
        let today = MAR_1_2026 + 40;
        type Expected = Result<(i64, i64), &'static str>;
        let cases: &[(&str, &str, Expected)] = &[
            ("", "", Ok((today - 29, today))),
            ("2026-03-01", "", Ok((MAR_1_2026, today))),
            ("", "2026-03-31", Ok((MAR_1_2026 + 1, MAR_1_2026 + 30))),
            (" 2026-03-01 ", "2026-03-01", Ok((MAR_1_2026, MAR_1_2026))),
            ("2026-03-02", "2026-03-01", Err("from")),
            ("2026-02-30", "2026-03-01", Err("from")),
            ("2026-03-01", "tomorrow", Err("to")),
            ("2025-01-01", "2026-03-01", Err("to")),
        ];
        for (from, to, expected) in cases {
            let got = parse_range(from, to, today);
            match (expected, got) {
                (Ok((f, t)), Ok(r)) => {
                    assert_eq!((r.from_day, r.to_day), (*f, *t), "{from:?}..{to:?}")
                }
                (Err(field), Err(errors)) => {
                    assert_eq!(errors.len(), 1, "{errors:?}");
                    assert_eq!(errors[0].0, *field, "{from:?}..{to:?}: {errors:?}");
                }
                (e, g) => panic!("{from:?}..{to:?}: expected {e:?}, got {g:?}"),
            }
        }
        let range = parse_range("2026-03-01", "2026-03-03", today).unwrap();
        assert_eq!(range.days(), 3);
        assert_eq!(range.start_ms(), MAR_1_2026 * DAY_MS);
        assert_eq!(range.end_ms(), (MAR_1_2026 + 3) * DAY_MS);
        assert_eq!(range.label(), "1 Mar 2026 – 3 Mar 2026");
        assert_eq!(
            DateRange::last_days(today, 30),
            parse_range("", "", today).unwrap()
        );
    }

    #[test]
    fn range_errors_name_the_field_and_say_what_to_do() {
        let today = MAR_1_2026;
        let e = parse_range("2026-03-05", "2026-03-01", today).unwrap_err();
        assert_eq!(
            e[0].1,
            "From (5 Mar 2026) is after To (1 Mar 2026). Choose a start date on or before the end date."
        );
        let e = parse_range("03/01/2026", "soon", today).unwrap_err();
        assert_eq!(e.len(), 2);
        assert_eq!(
            e[0].1,
            "From: \"03/01/2026\" is not a date. Use the form YYYY-MM-DD, for example 2026-03-01."
        );
        assert!(e[1].1.starts_with("To: \"soon\" is not a date."), "{e:?}");
        let e = parse_range("2024-01-01", "2026-03-01", today).unwrap_err();
        assert!(e[0].1.contains("choose at most 366 days"), "{e:?}");
    }

    #[test]
    fn the_team_filter_is_all_teams_or_one_team_id() {
        let cases: &[(&str, Result<Option<TeamId>, ()>)] = &[
            ("", Ok(None)),
            ("all", Ok(None)),
            ("7", Ok(Some(TeamId::new(7)))),
            (" 12 ", Ok(Some(TeamId::new(12)))),
            ("0", Err(())),
            ("-3", Err(())),
            ("sales", Err(())),
        ];
        for (text, expected) in cases {
            assert_eq!(parse_team(text).map_err(|_| ()), *expected, "{text:?}");
        }
        let both = parse_filter(
            &StatisticsFilter {
                team: "x".into(),
                from: "2026-03-02".into(),
                to: "2026-03-01".into(),
            },
            MAR_1_2026,
        )
        .unwrap_err();
        assert_eq!(
            both.iter().map(|(f, _)| *f).collect::<Vec<_>>(),
            ["team", "from"]
        );
    }

    #[test]
    fn the_filter_travels_in_the_query_string() {
        let cases: &[(&str, &str, &str, &str)] = &[
            ("", "", "", ""),
            ("3", "", "", "?team=3"),
            (
                "",
                "2026-03-01",
                "2026-03-30",
                "?from=2026-03-01&to=2026-03-30",
            ),
            ("4", "a b&c", "", "?team=4&from=a%20b%26c"),
        ];
        for (team, from, to, expected) in cases {
            let f = StatisticsFilter {
                team: (*team).into(),
                from: (*from).into(),
                to: (*to).into(),
            };
            assert_eq!(&f.query_string(), expected);
        }
    }
}
