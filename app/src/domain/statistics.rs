//! The Statistics page's rules: its filter (team, date range) as the URL carries it, the funnel's
//! percentages, durations in words, and the sign-ups chart's scale, ticks, bars and labels. Days are
//! whole UTC days counted from 1970-01-01, so the server's SQL buckets and the browser's chart agree.

use serde::{Deserialize, Serialize};

pub use super::DAY_MS;
use super::{
    calendar::{self, iso_date, long_date, short_date},
    invite::InviteSource,
};

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
    pub team_id: Option<i64>,
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
pub fn parse_team(text: &str) -> Result<Option<i64>, String> {
    let text = text.trim();
    if text.is_empty() || text == "all" {
        return Ok(None);
    }
    match text.parse::<i64>() {
        Ok(id) if id > 0 => Ok(Some(id)),
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

/// Invited → email sent → accepted, counted over the invitations made in the range.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Funnel {
    pub invited: i64,
    pub email_sent: i64,
    pub accepted: i64,
}

impl Funnel {
    /// The funnel's steps with their share of "Invited".
    pub fn steps(self) -> [(&'static str, i64, String); 3] {
        [
            ("Invited", self.invited, percent(self.invited, self.invited)),
            (
                "Email sent",
                self.email_sent,
                percent(self.email_sent, self.invited),
            ),
            (
                "Accepted",
                self.accepted,
                percent(self.accepted, self.invited),
            ),
        ]
    }

    /// Accepted invitations as a share of all made in the range.
    pub fn acceptance_rate(self) -> String {
        percent(self.accepted, self.invited)
    }
}

/// `part` of `whole` as a whole percentage: "42%". Never rounds to a misleading 0% or 100%:
/// "<1%" and ">99%" instead; "–" when there is no whole.
pub fn percent(part: i64, whole: i64) -> String {
    if whole <= 0 {
        return "–".into();
    }
    let p = part as f64 * 100.0 / whole as f64;
    if part > 0 && p < 1.0 {
        "<1%".into()
    } else if part < whole && p > 99.0 {
        ">99%".into()
    } else {
        format!("{}%", p.round() as i64)
    }
}

/// `1234567` → "1,234,567".
pub fn thousands(n: i64) -> String {
    let out = super::csv_import::thousands(n.unsigned_abs() as usize);
    if n < 0 { format!("-{out}") } else { out }
}

/// `part` of `whole` as a bar length between 0 and 100 (for CSS widths).
pub fn share(part: i64, whole: i64) -> f64 {
    if whole <= 0 {
        0.0
    } else {
        (part as f64 * 100.0 / whole as f64).clamp(0.0, 100.0)
    }
}

/// A duration in words a person reads at a glance: "40 s", "12 min", "2 h 5 min", "1 day 4 h",
/// "3 days".
pub fn duration_words(ms: i64) -> String {
    let secs = ms.max(0) / 1000;
    let mins = secs / 60;
    let hours = mins / 60;
    if secs < 60 {
        format!("{secs} s")
    } else if mins < 60 {
        format!("{mins} min")
    } else if hours < 24 {
        match mins % 60 {
            0 => format!("{hours} h"),
            m => format!("{hours} h {m} min"),
        }
    } else if hours < 72 {
        let days = hours / 24;
        let unit = if days == 1 { "day" } else { "days" };
        match hours % 24 {
            0 => format!("{days} {unit}"),
            h => format!("{days} {unit} {h} h"),
        }
    } else {
        // Three days and more: to the nearest day.
        format!("{} days", (hours + 12) / 24)
    }
}

/// How invitations came in, in the words the admin pages use.
pub fn source_label(source: InviteSource) -> &'static str {
    match source {
        InviteSource::Form => "Invite form",
        InviteSource::Csv => "CSV upload",
        InviteSource::Team => "Invite to team",
        InviteSource::Api => "API",
        InviteSource::Request => "Access request",
    }
}

/// Every source, in the order the page lists them.
pub const SOURCES: [InviteSource; 5] = [
    InviteSource::Form,
    InviteSource::Csv,
    InviteSource::Team,
    InviteSource::Api,
    InviteSource::Request,
];

/// The stored form of a source (`invites.source`); `None` for anything else.
pub fn parse_source(text: &str) -> Option<InviteSource> {
    SOURCES.into_iter().find(|s| s.as_str() == text)
}

/// One day of the sign-ups series.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct DayCount {
    pub day: i64,
    pub count: i64,
}

/// One entry per day of the range, in order: the days the database had (`sparse`, any order)
/// with their counts, every other day 0. Days outside the range are dropped.
pub fn fill_days(range: DateRange, sparse: &[DayCount]) -> Vec<DayCount> {
    let mut out: Vec<DayCount> = (range.from_day..=range.to_day)
        .map(|day| DayCount { day, count: 0 })
        .collect();
    for d in sparse {
        if (range.from_day..=range.to_day).contains(&d.day) {
            out[(d.day - range.from_day) as usize].count += d.count;
        }
    }
    out
}

/// A value axis: from 0 to `top` in steps of `step` (1, 2 or 5 × a power of ten), at most
/// [`MAX_INTERVALS`] steps, `top` the first step at or above the largest value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Scale {
    pub top: i64,
    pub step: i64,
}

pub const MAX_INTERVALS: i64 = 5;

impl Scale {
    pub fn for_max(max: i64) -> Scale {
        let max = max.max(1);
        let mut power = 1i64;
        loop {
            for m in [1, 2, 5] {
                let step = m * power;
                let intervals = (max + step - 1) / step;
                if intervals <= MAX_INTERVALS {
                    return Scale {
                        top: intervals * step,
                        step,
                    };
                }
            }
            power *= 10;
        }
    }

    /// 0, step, 2·step, …, top.
    pub fn ticks(&self) -> Vec<i64> {
        (0..=self.top / self.step).map(|i| i * self.step).collect()
    }
}

/// The chart's drawing box (SVG user units): the whole picture and the plot's margins.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Frame {
    pub width: f64,
    pub height: f64,
    pub left: f64,
    pub right: f64,
    pub top: f64,
    pub bottom: f64,
}

/// The sign-ups chart's frame: room for count labels on the left and dates below.
pub const CHART: Frame = Frame {
    width: 1100.0,
    height: 300.0,
    left: 52.0,
    right: 28.0,
    top: 16.0,
    bottom: 36.0,
};

impl Frame {
    pub fn plot_width(&self) -> f64 {
        self.width - self.left - self.right
    }

    pub fn plot_height(&self) -> f64 {
        self.height - self.top - self.bottom
    }

    /// The bottom of the plot (value 0).
    pub fn baseline(&self) -> f64 {
        self.height - self.bottom
    }

    /// The y of `value` on `scale`.
    pub fn y(&self, value: i64, scale: &Scale) -> f64 {
        round1(self.baseline() - value as f64 / scale.top as f64 * self.plot_height())
    }

    /// The width each of `n` days gets.
    pub fn slot(&self, n: usize) -> f64 {
        self.plot_width() / n.max(1) as f64
    }

    /// The x of the middle of day `i` of `n`.
    pub fn centre(&self, i: usize, n: usize) -> f64 {
        round1(self.left + (i as f64 + 0.5) * self.slot(n))
    }
}

fn round1(v: f64) -> f64 {
    (v * 10.0).round() / 10.0
}

/// One day's bar in SVG units.
#[derive(Debug, Clone, PartialEq)]
pub struct Bar {
    pub day: i64,
    pub count: i64,
    pub x: f64,
    pub y: f64,
    pub width: f64,
    pub height: f64,
}

/// One bar per day: 70% of its slot (at most 28 units, at least 1), rising from the baseline.
pub fn bars(series: &[DayCount], scale: &Scale, frame: &Frame) -> Vec<Bar> {
    let n = series.len();
    let slot = frame.slot(n);
    let width = round1((slot * 0.7).clamp(1.0_f64.min(slot), 28.0));
    series
        .iter()
        .enumerate()
        .map(|(i, d)| {
            let y = frame.y(d.count, scale);
            Bar {
                day: d.day,
                count: d.count,
                x: round1(frame.centre(i, n) - width / 2.0),
                y,
                width,
                height: round1(frame.baseline() - y),
            }
        })
        .collect()
}

/// The date labels under the chart: every `k`-th day from the first, `k` chosen (1, 2, 7, 14, …
/// days) so at most [`MAX_LABELS`] fit. (x of the day's centre, "1 Mar").
pub fn date_labels(range: DateRange, frame: &Frame) -> Vec<(f64, String)> {
    let n = range.days().max(1) as usize;
    let every = label_every(n);
    (0..n)
        .step_by(every)
        .map(|i| (frame.centre(i, n), short_date(range.from_day + i as i64)))
        .collect()
}

pub const MAX_LABELS: usize = 8;

/// Days between two date labels for `n` days: the smallest of 1, 2, 7, 14, 28, 56, … that keeps
/// the labels to [`MAX_LABELS`].
pub fn label_every(n: usize) -> usize {
    let mut every = 1;
    let mut next = [2usize, 7, 14].into_iter();
    while n.div_ceil(every) > MAX_LABELS {
        every = next.next().unwrap_or(every * 2);
    }
    every
}

/// What the chart says, for screen readers (`aria-label`) and as its caption.
pub fn chart_summary(range: DateRange, series: &[DayCount]) -> String {
    let total: i64 = series.iter().map(|d| d.count).sum();
    let span = range.label();
    if total == 0 {
        return format!("Sign-ups per day, {span}: none.");
    }
    let best = series
        .iter()
        .max_by_key(|d| (d.count, -d.day))
        .copied()
        .unwrap_or(DayCount { day: 0, count: 0 });
    let empty = series.iter().filter(|d| d.count == 0).count();
    let signups = if total == 1 { "sign-up" } else { "sign-ups" };
    let days = match empty {
        0 => "every day had some".to_string(),
        1 => "1 day with none".to_string(),
        n => format!("{n} days with none"),
    };
    format!(
        "Sign-ups per day, {span}: {total} {signups} in all; most on {} ({}); {days}.",
        long_date(best.day),
        best.count
    )
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
        let cases: &[(&str, Result<Option<i64>, ()>)] = &[
            ("", Ok(None)),
            ("all", Ok(None)),
            ("7", Ok(Some(7))),
            (" 12 ", Ok(Some(12))),
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

    #[test]
    fn percentages_never_round_to_a_misleading_0_or_100() {
        let cases: &[(i64, i64, &str)] = &[
            (0, 0, "–"),
            (0, 10, "0%"),
            (10, 10, "100%"),
            (1, 3, "33%"),
            (2, 3, "67%"),
            (1, 200, "<1%"),
            (199, 200, ">99%"),
            (1, 2, "50%"),
            (5, 8, "63%"),
        ];
        for (part, whole, expected) in cases {
            assert_eq!(percent(*part, *whole), *expected, "{part}/{whole}");
        }
        let f = Funnel {
            invited: 8,
            email_sent: 6,
            accepted: 4,
        };
        assert_eq!(f.acceptance_rate(), "50%");
        assert_eq!(
            f.steps().map(|(_, n, p)| (n, p)),
            [
                (8, "100%".to_string()),
                (6, "75%".to_string()),
                (4, "50%".to_string())
            ]
        );
        assert_eq!(share(3, 4), 75.0);
        assert_eq!(share(3, 0), 0.0);
    }

    #[test]
    fn counts_are_grouped_in_thousands() {
        let cases: &[(i64, &str)] = &[
            (0, "0"),
            (999, "999"),
            (1000, "1,000"),
            (100_000, "100,000"),
            (1_234_567, "1,234,567"),
            (-4500, "-4,500"),
        ];
        for (n, expected) in cases {
            assert_eq!(thousands(*n), *expected);
        }
    }

    #[test]
    fn durations_read_as_words() {
        let s = 1000;
        let m = 60 * s;
        let h = 60 * m;
        let d = 24 * h;
        let cases: &[(i64, &str)] = &[
            (0, "0 s"),
            (-5, "0 s"),
            (42 * s, "42 s"),
            (m, "1 min"),
            (59 * m + 59 * s, "59 min"),
            (h, "1 h"),
            (2 * h + 5 * m, "2 h 5 min"),
            (23 * h + 59 * m, "23 h 59 min"),
            (d, "1 day"),
            (d + 4 * h + 30 * m, "1 day 4 h"),
            (2 * d, "2 days"),
            (2 * d + 23 * h, "2 days 23 h"),
            (3 * d, "3 days"),
            (3 * d + 11 * h, "3 days"),
            (3 * d + 12 * h, "4 days"),
            (13 * d, "13 days"),
        ];
        for (ms, expected) in cases {
            assert_eq!(duration_words(*ms), *expected, "{ms} ms");
        }
    }

    #[test]
    fn sources_have_words_and_stored_forms() {
        for s in SOURCES {
            assert_eq!(parse_source(s.as_str()), Some(s));
            assert!(!source_label(s).is_empty());
        }
        assert_eq!(parse_source("fax"), None);
        assert_eq!(source_label(InviteSource::Csv), "CSV upload");
    }

    #[test]
    fn every_day_of_the_range_gets_a_count_empty_days_zero() {
        let range = DateRange {
            from_day: 100,
            to_day: 104,
        };
        let sparse = [
            DayCount { day: 103, count: 2 },
            DayCount { day: 100, count: 5 },
            DayCount { day: 99, count: 9 },
            DayCount { day: 105, count: 9 },
        ];
        let filled = fill_days(range, &sparse);
        assert_eq!(
            filled.iter().map(|d| (d.day, d.count)).collect::<Vec<_>>(),
            [(100, 5), (101, 0), (102, 0), (103, 2), (104, 0)]
        );
    }

    #[test]
    fn the_value_axis_uses_round_steps_and_at_most_five_intervals() {
        let cases: &[(i64, i64, i64)] = &[
            // max, step, top
            (0, 1, 1),
            (1, 1, 1),
            (3, 1, 3),
            (5, 1, 5),
            (6, 2, 6),
            (7, 2, 8),
            (10, 2, 10),
            (12, 5, 15),
            (25, 5, 25),
            (26, 10, 30),
            (100, 20, 100),
            (101, 50, 150),
            (999, 200, 1000),
            (4321, 1000, 5000),
        ];
        for (max, step, top) in cases {
            let s = Scale::for_max(*max);
            assert_eq!((s.step, s.top), (*step, *top), "max {max}");
            let ticks = s.ticks();
            assert_eq!(ticks.first(), Some(&0));
            assert_eq!(ticks.last(), Some(top));
            assert!(
                ticks.len() as i64 <= MAX_INTERVALS + 1,
                "max {max}: {ticks:?}"
            );
        }
    }

    #[test]
    fn bars_stand_on_the_baseline_in_their_day_slots() {
        let frame = Frame {
            width: 140.0,
            height: 120.0,
            left: 20.0,
            right: 20.0,
            top: 10.0,
            bottom: 10.0,
        };
        let scale = Scale { top: 10, step: 2 };
        let series = [
            DayCount { day: 1, count: 10 },
            DayCount { day: 2, count: 0 },
            DayCount { day: 3, count: 5 },
            DayCount { day: 4, count: 1 },
        ];
        let b = bars(&series, &scale, &frame);
        // 100 units for 4 days: 25 a slot, bars 17.5 wide, centred.
        let cases: &[(f64, f64, f64)] = &[
            // x, y, height
            (23.8, 10.0, 100.0),
            (48.8, 110.0, 0.0),
            (73.8, 60.0, 50.0),
            (98.8, 100.0, 10.0),
        ];
        for (bar, (x, y, h)) in b.iter().zip(cases) {
            assert_eq!((bar.x, bar.y, bar.height), (*x, *y, *h), "{bar:?}");
            assert_eq!(bar.width, 17.5);
            assert_eq!(bar.y + bar.height, frame.baseline());
        }
        // Many days: thin bars, never wider than 28 nor narrower than 1 unit.
        let many: Vec<DayCount> = (0..366).map(|day| DayCount { day, count: 1 }).collect();
        let b = bars(&many, &scale, &CHART);
        assert!(b.iter().all(|bar| bar.width >= 1.0 && bar.width <= 28.0));
        assert!(b.last().unwrap().x + b.last().unwrap().width <= CHART.width - CHART.right + 0.1);
        let one = bars(&[DayCount { day: 0, count: 3 }], &scale, &CHART);
        assert_eq!(one[0].width, 28.0);
    }

    #[test]
    fn date_labels_thin_out_so_they_never_crowd() {
        let cases: &[(usize, usize)] = &[
            (1, 1),
            (8, 1),
            (9, 2),
            (16, 2),
            (17, 7),
            (30, 7),
            (56, 7),
            (57, 14),
            (112, 14),
            (113, 28),
            (366, 56),
        ];
        for (n, every) in cases {
            assert_eq!(label_every(*n), *every, "{n} days");
            assert!(n.div_ceil(*every) <= MAX_LABELS);
        }
        let range = DateRange {
            from_day: MAR_1_2026,
            to_day: MAR_1_2026 + 29,
        };
        let labels = date_labels(range, &CHART);
        assert_eq!(
            labels.iter().map(|(_, l)| l.as_str()).collect::<Vec<_>>(),
            ["1 Mar", "8 Mar", "15 Mar", "22 Mar", "29 Mar"]
        );
        assert_eq!(labels[0].0, CHART.centre(0, 30));
    }

    #[test]
    fn the_chart_summary_says_total_peak_and_empty_days() {
        let range = DateRange {
            from_day: MAR_1_2026,
            to_day: MAR_1_2026 + 2,
        };
        let d = |i: i64, count| DayCount {
            day: MAR_1_2026 + i,
            count,
        };
        let cases: &[(Vec<DayCount>, &str)] = &[
            (
                vec![d(0, 0), d(1, 0), d(2, 0)],
                "Sign-ups per day, 1 Mar 2026 – 3 Mar 2026: none.",
            ),
            (
                vec![d(0, 2), d(1, 0), d(2, 3)],
                "Sign-ups per day, 1 Mar 2026 – 3 Mar 2026: 5 sign-ups in all; most on 3 Mar 2026 (3); 1 day with none.",
            ),
            (
                vec![d(0, 1), d(1, 0), d(2, 0)],
                "Sign-ups per day, 1 Mar 2026 – 3 Mar 2026: 1 sign-up in all; most on 1 Mar 2026 (1); 2 days with none.",
            ),
            (
                vec![d(0, 4), d(1, 4), d(2, 1)],
                "Sign-ups per day, 1 Mar 2026 – 3 Mar 2026: 9 sign-ups in all; most on 1 Mar 2026 (4); every day had some.",
            ),
        ];
        for (series, expected) in cases {
            assert_eq!(chart_summary(range, series), *expected);
        }
    }
}
