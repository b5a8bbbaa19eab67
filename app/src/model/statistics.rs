//! The Statistics page on the wire: the numbers for one filter, and the same as a CSV file.

use serde::{Deserialize, Serialize};

use super::TeamView;
use crate::domain::{
    invite::InviteSource,
    statistics::{DateRange, DayCount, Funnel},
};

/// Everything the page shows for one filter.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Statistics {
    /// The range shown (the URL's, or the default last 30 days), UTC days, both ends included.
    pub range: DateRange,
    /// Today (UTC day), for the page's "Last 7 days" links.
    pub today: i64,
    /// The team the numbers are restricted to; `None`: all teams.
    pub team: Option<TeamView>,
    /// Every team of the academy, by name (the team picker).
    pub teams: Vec<TeamView>,
    /// Over the invitations made in the range.
    pub funnel: Funnel,
    /// Invitations made in the range whose email finally failed.
    pub failed_emails: i64,
    /// The median time from invitation to acceptance of those accepted; `None` when none were.
    pub median_accept_ms: Option<i64>,
    /// Every source, in `domain::statistics::SOURCES` order, zeros included.
    pub by_source: Vec<SourceCount>,
    /// Learners and pending invitations per team now (the date range does not apply), most learners
    /// first; only the chosen team when there is one.
    pub team_rows: Vec<TeamCount>,
    /// Learners created per day, one entry per day of the range (empty days 0).
    pub signups: Vec<DayCount>,
}

impl Statistics {
    pub fn signups_total(&self) -> i64 {
        self.signups.iter().map(|d| d.count).sum()
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct SourceCount {
    pub source: InviteSource,
    pub invited: i64,
    pub accepted: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TeamCount {
    pub team: TeamView,
    pub learners: i64,
    pub pending_invites: i64,
}

/// The CSV export: its file name and text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StatisticsCsv {
    pub file_name: String,
    pub text: String,
}
