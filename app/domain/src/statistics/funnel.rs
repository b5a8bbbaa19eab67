//! The funnel of the Statistics page (invited → email sent → accepted) and the words its numbers
//! are shown in: percentages, grouped counts, durations, where invitations came from.

use serde::{Deserialize, Serialize};

use crate::invite::InviteSource;

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
    let out = crate::csv_import::thousands(n.unsigned_abs() as usize);
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

#[cfg(test)]
mod tests {
    use super::*;

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
    fn every_source_is_listed_once_and_has_words() {
        use crate::stored::Stored;
        assert_eq!(SOURCES.len(), InviteSource::ALL.len());
        for s in InviteSource::ALL {
            assert_eq!(SOURCES.iter().filter(|&t| t == s).count(), 1, "{s:?}");
            assert!(!source_label(*s).is_empty());
        }
        assert_eq!(source_label(InviteSource::Csv), "CSV upload");
    }
}
